// Section 4: bundle and package sizes, and activation time.
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTimed } from './listings.mjs';
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
 * activated Portolan before the probe (bench/host/activationProbe.js) asks for it. `extension`
 * names the package to measure (the empty anchor extension, see emptyExtension); `profile`, a
 * folder for CPU profiles of the activations.
 */
async function activationInHost(extensionRoot, samples, log, { extension = 'portolan', profile } = {}) {
  let runner;
  let host;
  try {
    host = require(path.join(root, 'scripts', 'vscode-host', 'host.cjs'));
    runner = require(path.join(root, 'scripts', 'vscode-host', 'run-extension-tests.cjs'));
  } catch (error) {
    return { where: 'VS Code extension host', error: `host scripts not available: ${error.message}` };
  }
  if (!host.isHostInstalled()) {
    return {
      where: 'VS Code extension host',
      error: 'the local VS Code host is not installed (npm run host:install)',
    };
  }
  const record = path.join(here, '.build', 'host-activation.json');
  const samplesTaken = [];
  let last;
  for (let i = 0; i < samples; i++) {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'portolan-bench-empty-'));
    rmSync(record, { force: true });
    log(`[startup] activation of ${extension} inside the VS Code host, sample ${i + 1}/${samples}...`);
    const env = { PORTOLAN_PROBE_EXTENSION: extension, PORTOLAN_PROBE_PROFILE: profile };
    const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
    try {
      // The runner prints the host's progress; keep the bench's own output readable.
      const original = console.log;
      console.log = () => {};
      let code;
      try {
        // The host inherits the environment: the probe reads what to measure from it.
        for (const [key, value] of Object.entries(env)) {
          if (value === undefined) {
            delete process.env[key];
          } else {
            process.env[key] =
              profile && key === 'PORTOLAN_PROBE_PROFILE' ? path.join(value, `${i + 1}`) : value;
          }
        }
        code = await runner.runExtensionTests({
          extensionDevelopmentPath: extensionRoot,
          extensionTestsPath: path.join(here, 'host', 'activationProbe.js'),
          folder,
          timeoutMs: 240_000,
        });
      } finally {
        console.log = original;
        for (const [key, value] of Object.entries(saved)) {
          if (value === undefined) {
            delete process.env[key];
          } else {
            process.env[key] = value;
          }
        }
      }
      if (code !== 0 || !existsSync(record)) {
        return { where: 'VS Code extension host', error: `host run failed (exit ${code})` };
      }
      last = JSON.parse(readFileSync(record, 'utf8'));
      if (last.activationMs === null) {
        return {
          where: 'VS Code extension host',
          error: `${extension} was already active and the host has no activation marks`,
        };
      }
      samplesTaken.push(last);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }
  return {
    where: `VS Code ${last.vscodeVersion} extension host (code-server, Node ${last.extensionHostNode})`,
    extension,
    samples,
    fromHostMarks: samplesTaken.every((s) => s.fromHostMarks),
    times: samplesTaken.map((s) => s.activationMs),
    // Per sample: whether the host had activated it before the probe asked (its marks count then).
    perSample: samplesTaken.map((s) => ({
      codeLoadingMs: s.codeLoadingMs,
      activateCallMs: s.activateCallMs,
      alreadyActive: s.alreadyActive,
      waitedForQuietMs: s.waitedForQuietMs,
    })),
    medianTotalMs: median(samplesTaken.map((s) => s.activationMs)),
    medianCodeLoadingMs: last.fromHostMarks ? median(samplesTaken.map((s) => s.codeLoadingMs)) : undefined,
    medianActivateCallMs: last.fromHostMarks ? median(samplesTaken.map((s) => s.activateCallMs)) : undefined,
    medianSpanMs: last.fromHostMarks ? median(samplesTaken.map((s) => s.spanMs)) : undefined,
    medianWaitedForQuietMs:
      last.waitedForQuietMs !== undefined ? median(samplesTaken.map((s) => s.waitedForQuietMs)) : undefined,
  };
}

/**
 * An extension with nothing in it but what every extension does (a manifest, `require('vscode')`,
 * an empty `activate`): what the host spends on any extension's activation, measured the same way
 * as Portolan's, as the anchor for its figure. Requiring 'vscode' makes the host build the API
 * object for the extension, which profiles show is most of a small extension's code loading.
 */
function emptyExtension() {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'portolan-bench-anchor-'));
  const manifest = {
    name: 'portolan-empty-anchor',
    publisher: 'portolan-bench',
    version: '0.0.0',
    engines: { vscode: '^1.90.0' },
    main: './extension.js',
    activationEvents: [],
  };
  writeFileSync(path.join(folder, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(
    path.join(folder, 'extension.js'),
    "'use strict';\nconst vscode = require('vscode');\nexports.activate = () => vscode.version;\n",
  );
  return { folder, name: manifest.name };
}

/**
 * The built extension with no activation events of its own, so that only the probe activates it,
 * once the host is quiet, as it does the empty extension. As shipped, the test host activates
 * Portolan at start-up (onLanguage:jsonc) in one batch with configuration-editing, JSON and
 * TypeScript, and the host's activate() marks of each extension in a batch include the activate()
 * calls of the others (they run a few promise turns apart).
 */
function withoutActivationEvents(extensionRoot) {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'portolan-bench-alone-'));
  for (const name of readdirSync(extensionRoot)) {
    if (name !== 'package.json') {
      symlinkSync(path.join(extensionRoot, name), path.join(folder, name));
    }
  }
  const manifest = JSON.parse(readFileSync(path.join(extensionRoot, 'package.json'), 'utf8'));
  writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ ...manifest, activationEvents: [] }));
  return folder;
}

async function activationInNode(extensionRoot, samples) {
  const extensionJs = path.join(extensionRoot, 'dist', 'extension.js');
  const results = [];
  for (let i = 0; i < samples; i++) {
    const run = await runTimed(
      process.execPath,
      [path.join(here, 'activate.cjs'), extensionJs, extensionRoot],
      { timeoutMs: 60_000 },
    );
    const parsed = JSON.parse(run.stdout || '{}');
    if (parsed.error || run.code !== 0) {
      return {
        where: 'plain Node with a stub vscode module',
        error: parsed.error ?? `exit ${run.code}: ${run.stderr.slice(0, 300)}`,
      };
    }
    results.push(parsed);
  }
  return {
    where: 'plain Node with a stub vscode module, not the VS Code host',
    samples,
    medianRequireMs: median(results.map((r) => r.requireMs)),
    medianActivateMs: median(results.map((r) => r.activateMs)),
    medianTotalMs: median(results.map((r) => r.totalMs)),
    medianServicesRequireMs: results.every((r) => r.servicesRequireMs !== undefined)
      ? median(results.map((r) => r.servicesRequireMs))
      : undefined,
    subscriptions: results[0].subscriptions,
  };
}

/** Files of the repository root that go into the package (.vscodeignore keeps the rest out). */
const PACKAGE_FILES = [
  'package.json',
  '.vscodeignore',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'esbuild.mjs',
];

/**
 * Builds what ships into a private staging folder, so that other people's `npm run build` in the
 * shared dist/ cannot change the figures half-way: the project's own esbuild.mjs with
 * --production (src and node_modules linked in), then `vsce package`. If vsce refuses (the usual
 * reason is README links it cannot resolve without a repository URL), the same files are packaged
 * again with placeholder base URLs and the reason is recorded.
 */
export async function stageProduction(log) {
  const stage = mkdtempSync(path.join(os.tmpdir(), 'portolan-bench-package-'));
  for (const name of readdirSync(root)) {
    if (PACKAGE_FILES.includes(name) || /^package\.nls(\..+)?\.json$/.test(name)) {
      copyFileSync(path.join(root, name), path.join(stage, name));
    }
  }
  for (const folder of ['media', 'l10n']) {
    if (existsSync(path.join(root, folder))) {
      cpSync(path.join(root, folder), path.join(stage, folder), { recursive: true });
    }
  }
  for (const link of ['src', 'node_modules', 'scripts']) {
    symlinkSync(path.join(root, link), path.join(stage, link));
  }
  const result = { stage };
  // The IANA table is generated by `npm run build`; a fresh clone has not built yet.
  if (
    !existsSync(path.join(root, 'src', 'data', 'generated')) &&
    existsSync(path.join(root, 'scripts', 'generate-iana.mjs'))
  ) {
    await runTimed(process.execPath, [path.join(root, 'scripts', 'generate-iana.mjs')], {
      timeoutMs: 120_000,
      cwd: root,
    });
  }
  log('[startup] production build (esbuild.mjs --production) in a staging folder...');
  const build = await runTimed(process.execPath, [path.join(stage, 'esbuild.mjs'), '--production'], {
    timeoutMs: 300_000,
    cwd: stage,
  });
  if (build.code !== 0) {
    result.buildError = stripAnsi(build.stderr).trim().split('\n').slice(-3).join(' ').slice(0, 300);
    return result;
  }
  const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
  if (!existsSync(vsce)) {
    result.vsixNote = '@vscode/vsce not installed; not packaged';
    return result;
  }
  log('[startup] vsce package...');
  const out = path.join(stage, 'portolan.vsix');
  const first = await runTimed(vsce, ['package', '--no-dependencies', '--out', out], {
    timeoutMs: 300_000,
    cwd: stage,
  });
  if (first.code === 0) {
    result.vsixBytes = sizeOf(out);
    result.vsixNote = 'production build, vsce package --no-dependencies (as npm run package)';
    return result;
  }
  const why = stripAnsi(`${first.stderr}\n${first.stdout}`)
    .split('\n')
    .filter((line) => /error/i.test(line))
    .join(' ')
    .trim()
    .slice(0, 300);
  result.packageError = why;
  const retry = await runTimed(
    vsce,
    [
      'package',
      '--no-dependencies',
      '--out',
      out,
      '--baseContentUrl',
      'https://example.invalid',
      '--baseImagesUrl',
      'https://example.invalid',
    ],
    { timeoutMs: 300_000, cwd: stage },
  );
  if (retry.code === 0) {
    result.vsixBytes = sizeOf(out);
    result.vsixNote = `vsce refused as npm run package would (${why.replace(/^ERROR\s*/, '').slice(0, 90)}…); same files packaged with placeholder base URLs`;
  } else {
    result.vsixNote = `vsce package failed: ${why}`;
  }
  return result;
}

/** Sizes and activation of the staged production build (or of dist/ when staging failed). */
export async function measureStartup({ staged, activationSamples = 7, hostSamples = 3, profile, log }) {
  const extensionRoot = staged.buildError ? root : staged.stage;
  const result = {
    measured: staged.buildError
      ? `dist/ as found (production build failed: ${staged.buildError})`
      : 'production build (esbuild.mjs --production)',
    extensionProduction: !staged.buildError,
    extensionBytes: sizeOf(path.join(extensionRoot, 'dist', 'extension.js')),
    workerBytes: sizeOf(path.join(extensionRoot, 'dist', 'socketWorker.js')),
    cliBytes: sizeOf(path.join(extensionRoot, 'dist', 'cli.js')),
    // esbuild.mjs LAZY_CHUNKS: required on first use, not parsed at activation.
    lazyBytes: Object.fromEntries(
      (existsSync(path.join(extensionRoot, 'dist', 'lazy'))
        ? readdirSync(path.join(extensionRoot, 'dist', 'lazy')).filter((f) => f.endsWith('.js'))
        : []
      ).map((f) => [f, sizeOf(path.join(extensionRoot, 'dist', 'lazy', f))]),
    ),
    vsixBytes: staged.vsixBytes,
    vsixNote:
      staged.vsixNote ?? (staged.buildError ? 'not packaged: the production build failed' : undefined),
    packageError: staged.packageError,
  };
  if (result.extensionBytes !== undefined) {
    log('[startup] activation in plain Node with a stub vscode module');
    result.activation = await activationInNode(extensionRoot, activationSamples);
  }
  if (result.extensionBytes !== undefined && hostSamples > 0) {
    result.hostActivation = await activationInHost(extensionRoot, hostSamples, log, {
      profile: profile && path.join(profile, 'portolan'),
    });
    const alone = withoutActivationEvents(extensionRoot);
    try {
      result.quietHostActivation = await activationInHost(alone, hostSamples, log, {
        profile: profile && path.join(profile, 'portolan-alone'),
      });
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
    const anchor = emptyExtension();
    try {
      result.emptyHostActivation = await activationInHost(anchor.folder, hostSamples, log, {
        extension: anchor.name,
        profile: profile && path.join(profile, 'empty'),
      });
    } finally {
      rmSync(anchor.folder, { recursive: true, force: true });
    }
  }
  return result;
}

export function removeStage(staged) {
  rmSync(staged.stage, { recursive: true, force: true });
}
