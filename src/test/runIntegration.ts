// `npm run test:integration`: runs src/test/integration in a real VS Code through @vscode/test-electron.
// Host choice (PORTOLAN_TEST_HOST):
//   code-server  the local code-server installed by `npm run host:install`, through the stand-in executable
//   electron     VS Code downloaded by test-electron: the current stable and the oldest `engines.vscode` release
//   (unset)      code-server when it is installed, which is how CI runs without internet; electron otherwise,
//                and when VS Code cannot be downloaded, the local host, installed first as `npm start` does
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { MALFORMED_IGNORE_GLOB } from './integration/workspaceSetup';
import { prepareHost } from './integrationHost';

const repoRoot = path.resolve(__dirname, '../..');
const extensionTestsPath = path.resolve(__dirname, 'integration/index.js');
// The short pt-BR run (issue 13 item 4): its own suites, the host in pt-BR with the test language pack.
const ptBrTestsPath = path.resolve(__dirname, 'integration-pt-br/index.js');
const ptBrLanguagePack = path.join(repoRoot, 'src/test/fixtures/language-pack-pt-br');
const fixtureWorkspace = path.join(repoRoot, 'src/test/fixtures/workspace');
const secondFolder = path.join(repoRoot, 'src/test/fixtures/workspace-second');
const codeShim = path.join(repoRoot, 'scripts/vscode-host/code-shim.cjs');

interface LocalHost {
  isHostInstalled(): boolean;
  installHost(announce: (message: string) => void): void;
}
// Plain CommonJS shared with the browser checks and `npm start`, so it is loaded at run time, not compiled.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const localHost = require(path.join(repoRoot, 'scripts/vscode-host/host.cjs')) as LocalHost;

/** The oldest VS Code the manifest accepts (`^1.90.0` -> `1.90.0`). */
function minimumVsCodeVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    engines: { vscode: string };
  };
  return manifest.engines.vscode.replace(/^[\^~>=\s]+/, '');
}

/**
 * Tests may edit files and settings; they get a fresh copy of the fixture workspace, never the source
 * tree. It opens as a multi-root workspace: the fixture folder first, a second folder with settings
 * of its own, and workspace settings holding a malformed ignore glob that must not stop anything.
 */
function copyFixtureWorkspace(): { root: string; workspaceFile: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'portolan-workspace-'));
  fs.cpSync(fixtureWorkspace, path.join(root, 'main'), { recursive: true });
  fs.cpSync(secondFolder, path.join(root, 'second'), { recursive: true });
  const workspaceFile = path.join(root, 'portolan.code-workspace');
  const settings = { 'portolan.diagnostics.ignore': [MALFORMED_IGNORE_GLOB] };
  fs.writeFileSync(
    workspaceFile,
    JSON.stringify({ folders: [{ path: 'main' }, { path: 'second' }], settings }, null, 2),
  );
  return { root, workspaceFile };
}

async function runOnce(
  label: string,
  vscodeExecutablePath: string,
  testsPath = extensionTestsPath,
  extraArgs: string[] = [],
): Promise<void> {
  const { root, workspaceFile } = copyFixtureWorkspace();
  console.log(`\n== integration tests in ${label} on ${workspaceFile}`);
  try {
    await runTests({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: testsPath,
      launchArgs: [workspaceFile, '--disable-extensions', ...extraArgs],
      vscodeExecutablePath,
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  if (!fs.existsSync(path.join(repoRoot, 'dist/extension.js'))) {
    console.error('test:integration: dist/extension.js is missing; run `npm run build` first');
    return 1;
  }
  const versions = (
    process.env.PORTOLAN_TEST_VSCODE_VERSIONS?.split(',') ?? ['stable', minimumVsCodeVersion()]
  )
    .map((v) => v.trim())
    .filter((v) => v !== '');
  const plan = await prepareHost(
    {
      requested: process.env.PORTOLAN_TEST_HOST,
      isHostInstalled: () => localHost.isHostInstalled(),
      installHost: (announce) => localHost.installHost(announce),
      download: (version) => downloadAndUnzipVSCode(version),
      log: (message) => console.log(message),
    },
    versions,
  );
  if (plan.kind === 'code-server') {
    const only = process.env.PORTOLAN_TEST_LOCALES?.split(',').map((l) => l.trim());
    if (!only || only.includes('en')) {
      await runOnce('local code-server', codeShim);
    }
    // A PORTOLAN_TEST_GREP that names no pt-BR test skips the pt-BR host start.
    const grep = process.env.PORTOLAN_TEST_GREP;
    if ((!only || only.includes('pt-br')) && (!grep || new RegExp(grep).test('Portolan in pt-BR'))) {
      // Desktop VS Code downloads its language pack; the shim installs the test one instead.
      await runOnce('local code-server, pt-BR', codeShim, ptBrTestsPath, [
        '--locale=pt-br',
        `--language-pack=${ptBrLanguagePack}`,
      ]);
    }
    return 0;
  }
  for (const build of plan.builds) {
    await runOnce(`VS Code ${build.version}`, build.executable);
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
