// Section 4: bundle and package sizes, and activation time.
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findExecutable, runTimed } from './listings.mjs';
import { median } from './stats.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);

const sizeOf = (file) => (existsSync(file) ? statSync(file).size : undefined);

/**
 * Activation as the integration host saw it, if the harness wrote it down
 * (`.vscode-test/activation.json`: `{ "activationMs": number }`), else undefined.
 */
function activationFromHost() {
  const file = path.join(root, '.vscode-test', 'activation.json');
  if (!existsSync(file)) {
    return undefined;
  }
  try {
    const recorded = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof recorded.activationMs === 'number') {
      return { where: 'VS Code extension host, from the integration run', medianTotalMs: recorded.activationMs, samples: 1, recordedAt: recorded.recordedAt };
    }
  } catch {
    // unreadable: fall back to measuring here
  }
  return undefined;
}

async function activationInNode(samples) {
  const extensionJs = path.join(root, 'dist', 'extension.js');
  const results = [];
  for (let i = 0; i < samples; i++) {
    const run = await runTimed(process.execPath, [path.join(here, 'activate.cjs'), extensionJs, root], { timeoutMs: 60_000 });
    const parsed = JSON.parse(run.stdout || '{}');
    if (parsed.error || run.code !== 0) {
      return { where: 'plain Node with a stub vscode module', error: parsed.error ?? `exit ${run.code}: ${run.stderr.slice(0, 300)}` };
    }
    results.push(parsed);
  }
  return {
    where: 'plain Node with a stub vscode module, not the VS Code host',
    samples,
    medianRequireMs: median(results.map((r) => r.requireMs)),
    medianActivateMs: median(results.map((r) => r.activateMs)),
    medianTotalMs: median(results.map((r) => r.totalMs)),
    subscriptions: results[0].subscriptions,
  };
}

/** `npm run package` (production build + vsce) when asked; otherwise the .vsix already there. */
async function packageSize(runPackage, log) {
  const vsix = path.join(root, 'portolan.vsix');
  if (runPackage) {
    const npm = findExecutable('npm');
    if (!npm) {
      return { vsixNote: 'npm not found; not packaged' };
    }
    log('[startup] npm run package (production build + vsce package)...');
    const run = await runTimed(npm, ['run', 'package'], { timeoutMs: 300_000 });
    if (run.code !== 0) {
      return { vsixNote: `npm run package failed: ${(run.stderr || run.stdout).trim().split('\n').slice(-3).join(' ').slice(0, 300)}` };
    }
    return { vsixBytes: sizeOf(vsix), vsixNote: 'built by this run (npm run package)', extensionProduction: true };
  }
  const bytes = sizeOf(vsix);
  return bytes === undefined
    ? { vsixNote: 'no portolan.vsix; run the bench with --package' }
    : { vsixBytes: bytes, vsixNote: `existing portolan.vsix from ${statSync(vsix).mtime.toISOString()}` };
}

export async function measureStartup({ runPackage, activationSamples = 7, log }) {
  const packaged = await packageSize(runPackage, log);
  const result = {
    ...packaged,
    extensionBytes: sizeOf(path.join(root, 'dist', 'extension.js')),
    workerBytes: sizeOf(path.join(root, 'dist', 'socketWorker.js')),
    cliBytes: sizeOf(path.join(root, 'dist', 'cli.js')),
  };
  if (result.extensionBytes !== undefined) {
    log('[startup] activation in plain Node with a stub vscode module');
    result.activation = await activationInNode(activationSamples);
  }
  const fromHost = activationFromHost();
  if (fromHost) {
    result.hostActivation = fromHost;
  }
  return result;
}
