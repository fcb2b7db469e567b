// `npm run test:integration`: runs src/test/integration in a real VS Code through @vscode/test-electron.
// Host choice (PORTOLAN_TEST_HOST):
//   code-server  the local code-server installed by `npm run host:install`, through the stand-in executable
//   electron     VS Code downloaded by test-electron: the current stable and the oldest `engines.vscode` release
//   (unset)      code-server when it is installed, which is how CI runs without internet; electron otherwise
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const repoRoot = path.resolve(__dirname, '../..');
const extensionTestsPath = path.resolve(__dirname, 'integration/index.js');
const fixtureWorkspace = path.join(repoRoot, 'src/test/fixtures/workspace');
const codeShim = path.join(repoRoot, 'scripts/vscode-host/code-shim.cjs');

interface LocalHost {
  isHostInstalled(): boolean;
  hostPaths: { dir: string };
}
// Plain CommonJS shared with the browser checks and `npm start`, so it is loaded at run time, not compiled.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const localHost = require(path.join(repoRoot, 'scripts/vscode-host/host.cjs')) as LocalHost;

type HostKind = 'code-server' | 'electron';

function chooseHost(): HostKind {
  const requested = process.env.PORTOLAN_TEST_HOST;
  if (requested === 'code-server' || requested === 'electron') {
    return requested;
  }
  if (requested) {
    throw new Error(`PORTOLAN_TEST_HOST must be "code-server" or "electron", not "${requested}"`);
  }
  return localHost.isHostInstalled() ? 'code-server' : 'electron';
}

/** The oldest VS Code the manifest accepts (`^1.90.0` -> `1.90.0`). */
function minimumVsCodeVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    engines: { vscode: string };
  };
  return manifest.engines.vscode.replace(/^[\^~>=\s]+/, '');
}

/** Tests may edit files and settings; they get a fresh copy of the fixture workspace, never the source tree. */
function copyFixtureWorkspace(): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'portolan-workspace-'));
  fs.cpSync(fixtureWorkspace, copy, { recursive: true });
  return copy;
}

async function runOnce(host: HostKind, version?: string): Promise<void> {
  const workspace = copyFixtureWorkspace();
  console.log(
    `\n== integration tests in ${host === 'code-server' ? 'local code-server' : `VS Code ${version}`} on ${workspace}`,
  );
  try {
    await runTests({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions'],
      ...(host === 'code-server' ? { vscodeExecutablePath: codeShim } : { version }),
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  if (!fs.existsSync(path.join(repoRoot, 'dist/extension.js'))) {
    console.error('test:integration: dist/extension.js is missing; run `npm run build` first');
    return 1;
  }
  const host = chooseHost();
  if (host === 'code-server') {
    if (!localHost.isHostInstalled()) {
      console.error(
        `test:integration: PORTOLAN_TEST_HOST=code-server but the local host is not installed in ${localHost.hostPaths.dir}; run \`npm run host:install\``,
      );
      return 1;
    }
    await runOnce('code-server');
    return 0;
  }
  const versions = process.env.PORTOLAN_TEST_VSCODE_VERSIONS?.split(',') ?? [
    'stable',
    minimumVsCodeVersion(),
  ];
  for (const version of versions) {
    try {
      await runOnce('electron', version.trim());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|download/i.test(message)) {
        console.error(
          `test:integration: could not download VS Code ${version} (${message}).\n` +
            'Without internet, install the local host with `npm run host:install`; the same suites then run in code-server.',
        );
      }
      throw error;
    }
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`test:integration failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
