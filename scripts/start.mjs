// `npm start`: build and package Portolan, then open it in a real VS Code on the sample workspace.
// With a `code` command on PATH: desktop VS Code with the extension under development.
// Otherwise: the local code-server (installed on first use) on 127.0.0.1 with the packaged .vsix installed;
// Ctrl+C stops it and everything it started.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const host = require('./vscode-host/host.cjs');
const repoRoot = host.repoRoot;
const vsix = path.join(repoRoot, 'portolan.vsix');
const t0 = Date.now();

function progress(step, total, message) {
  console.log(`[start ${step}/${total} ${((Date.now() - t0) / 1000).toFixed(0)}s] ${message}`);
}

function fail(message) {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

function npmRun(script, extra = []) {
  // Under `npm start`, npm_execpath is the npm that launched us; reuse it rather than whatever `npm` PATH finds.
  const npmCli = process.env.npm_execpath;
  const [command, args] =
    npmCli && npmCli.endsWith('.js')
      ? [process.execPath, [npmCli, 'run', '--silent', script, ...extra]]
      : ['npm', ['run', '--silent', script, ...extra]];
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) fail(`npm run ${script} failed (exit ${result.status ?? result.signal})`);
}

/** A `code` executable on PATH that is a real VS Code CLI (not our own test stand-in). */
function findCodeOnPath() {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'code');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The bundled samples (their one project folder when there is just one), else the test fixture workspace. */
function sampleWorkspace() {
  const samples = path.join(repoRoot, 'samples');
  const entries = fs.existsSync(samples) ? fs.readdirSync(samples, { withFileTypes: true }) : [];
  if (entries.length === 1 && entries[0].isDirectory()) return path.join(samples, entries[0].name);
  if (entries.length > 0) return samples;
  const fixture = path.join(repoRoot, 'src/test/fixtures/workspace');
  console.log(
    `(samples/ is empty; opening the test fixture workspace ${path.relative(repoRoot, fixture)} instead)`,
  );
  return fixture;
}

async function main() {
  const code = process.env.PORTOLAN_START_HOST === 'code-server' ? undefined : findCodeOnPath();
  const total = code ? 3 : host.isHostInstalled() ? 5 : 6;
  let step = 0;
  const next = (message) => progress(++step, total, message);
  next('build');
  npmRun('build');
  next('package portolan.vsix');
  npmRun('package');
  const workspace = sampleWorkspace();

  if (code) {
    next(
      `open VS Code (${code}) with the extension under development on ${path.relative(repoRoot, workspace)}`,
    );
    const result = spawnSync(code, [`--extensionDevelopmentPath=${repoRoot}`, workspace], {
      stdio: 'inherit',
    });
    if (result.status !== 0) fail(`${code} exited with ${result.status ?? result.signal}`);
    return;
  }

  if (!host.isHostInstalled()) host.installHost(next);
  const runDir = host.makeRunDir('start');
  next('install portolan.vsix into a fresh profile');
  host.runCodeServerCli(runDir, ['--install-extension', vsix]);

  next('start code-server on 127.0.0.1');
  const server = await host.startCodeServer({ runDir });
  let stopping = false;
  const stop = async (exitCode) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping code-server and everything it started ...');
    await server.stop();
    fs.rmSync(runDir, { recursive: true, force: true });
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGHUP', () => void stop(0));
  server.child.on('exit', (exitCode) => {
    if (stopping) return;
    console.error(`code-server exited unexpectedly (code ${exitCode}); log:\n${host.tail(server.log)}`);
    void stop(1);
  });

  next('ready');
  const url = host.workbenchUrl(server, { folder: workspace });
  console.log(
    `\n  Portolan is running in code-server ${host.installedCodeServerVersion()} on ${path.relative(repoRoot, workspace) || '.'}.`,
  );
  console.log(`  Open ${url}`);
  console.log('  (on another machine: ssh -L <port>:127.0.0.1:<port> first)');
  console.log('  Press Ctrl+C to stop.\n');
  if (process.env.PORTOLAN_START_URL_FILE) fs.writeFileSync(process.env.PORTOLAN_START_URL_FILE, url + '\n');
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
