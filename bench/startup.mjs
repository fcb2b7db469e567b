// Section 4: bundle and package sizes, and activation time.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findExecutable, runTimed } from './listings.mjs';
import { median } from './stats.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);

// eslint-disable-next-line no-control-regex
const stripAnsi = (text) => text.replace(/\u001b\[[0-9;]*m/g, '');

const sizeOf = (file) => (existsSync(file) ? statSync(file).size : undefined);

/**
 * Activation measured inside the real VS Code extension host (the local code-server host the
 * integration tests use), one fresh host per sample, on an empty folder so that nothing has
 * activated Portolan before the probe (bench/host/activationProbe.js) asks for it.
 */
async function activationInHost(samples, log) {
  let runner;
  let host;
  try {
    host = require(path.join(root, 'scripts', 'vscode-host', 'host.cjs'));
    runner = require(path.join(root, 'scripts', 'vscode-host', 'run-extension-tests.cjs'));
  } catch (error) {
    return { where: 'VS Code extension host', error: `host scripts not available: ${error.message}` };
  }
  if (!host.isHostInstalled()) {
    return { where: 'VS Code extension host', error: 'the local VS Code host is not installed (npm run host:install)' };
  }
  const record = path.join(here, '.build', 'host-activation.json');
  const samplesTaken = [];
  let last;
  for (let i = 0; i < samples; i++) {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'portolan-bench-empty-'));
    rmSync(record, { force: true });
    log(`[startup] activation inside the VS Code host, sample ${i + 1}/${samples}...`);
    try {
      // The runner prints the host's progress; keep the bench's own output readable.
      const original = console.log;
      console.log = () => {};
      let code;
      try {
        code = await runner.runExtensionTests({
          extensionDevelopmentPath: root,
          extensionTestsPath: path.join(here, 'host', 'activationProbe.js'),
          folder,
          timeoutMs: 240_000,
        });
      } finally {
        console.log = original;
      }
      if (code !== 0 || !existsSync(record)) {
        return { where: 'VS Code extension host', error: `host run failed (exit ${code})` };
      }
      last = JSON.parse(readFileSync(record, 'utf8'));
      if (last.activationMs === null) {
        return { where: 'VS Code extension host', error: 'Portolan was already active and the host has no activation marks' };
      }
      samplesTaken.push(last);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }
  return {
    where: `VS Code ${last.vscodeVersion} extension host (code-server, Node ${last.extensionHostNode})`,
    samples,
    fromHostMarks: samplesTaken.every((s) => s.fromHostMarks),
    times: samplesTaken.map((s) => s.activationMs),
    medianTotalMs: median(samplesTaken.map((s) => s.activationMs)),
    medianCodeLoadingMs: last.fromHostMarks ? median(samplesTaken.map((s) => s.codeLoadingMs)) : undefined,
    medianActivateCallMs: last.fromHostMarks ? median(samplesTaken.map((s) => s.activateCallMs)) : undefined,
    medianSpanMs: last.fromHostMarks ? median(samplesTaken.map((s) => s.spanMs)) : undefined,
  };
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
    if (run.code === 0) {
      return { vsixBytes: sizeOf(vsix), vsixNote: 'built by this run (npm run package)', extensionProduction: true };
    }
    const why = stripAnsi(`${run.stderr}\n${run.stdout}`)
      .split('\n')
      .filter((line) => /error/i.test(line))
      .join(' ')
      .slice(0, 300);
    log(`[startup] npm run package failed: ${why}`);
    // Still worth knowing the size: the same files, packaged into bench/.build with placeholder
    // base URLs (the usual reason vsce refuses is README links it cannot resolve).
    const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
    const out = path.join(here, '.build', 'portolan.vsix');
    if (existsSync(vsce)) {
      const retry = await runTimed(
        vsce,
        ['package', '--no-dependencies', '--out', out, '--baseContentUrl', 'https://example.invalid', '--baseImagesUrl', 'https://example.invalid'],
        { timeoutMs: 300_000 },
      );
      if (retry.code === 0) {
        return {
          vsixBytes: sizeOf(out),
          vsixNote: `npm run package failed (${why.slice(0, 120)}); same files packaged by vsce with placeholder base URLs`,
          packageError: why,
          extensionProduction: true,
        };
      }
    }
    return { vsixNote: `npm run package failed: ${why}`, packageError: why, extensionProduction: true };
  }
  const bytes = sizeOf(vsix);
  return bytes === undefined
    ? { vsixNote: 'no portolan.vsix; run the bench with --package' }
    : { vsixBytes: bytes, vsixNote: `existing portolan.vsix from ${statSync(vsix).mtime.toISOString()}` };
}

export async function measureStartup({ runPackage, activationSamples = 7, hostSamples = 3, log }) {
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
  if (result.extensionBytes !== undefined && hostSamples > 0) {
    result.hostActivation = await activationInHost(hostSamples, log);
  }
  return result;
}
