// The local VS Code host: code-server (VS Code 1.139) on Node 24, driven by the system chromium through
// playwright-core. Shared by the test runner (code-shim.cjs), the browser checks (ui-check.mjs) and `npm start`.
// Installed by install.sh into .vscode-test/code-server (or $PORTOLAN_HOST_DIR).
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, run by node without a build step */
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '../..');
const hostDir = path.resolve(
  process.env.PORTOLAN_HOST_DIR || path.join(repoRoot, '.vscode-test/code-server'),
);

function readVersions() {
  const versions = {};
  for (const line of fs.readFileSync(path.join(__dirname, 'versions.env'), 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(\S+)/.exec(line);
    if (m) versions[m[1]] = m[2];
  }
  return versions;
}

const hostPaths = {
  dir: hostDir,
  node: path.join(hostDir, 'node24/bin/node'),
  codeServerEntry: path.join(hostDir, 'cs/node_modules/code-server/out/node/entry.js'),
  codeServerPackage: path.join(hostDir, 'cs/node_modules/code-server/package.json'),
  playwrightCore: path.join(hostDir, 'tools/node_modules/playwright-core'),
  runs: path.join(hostDir, 'run'),
};

function installedCodeServerVersion() {
  try {
    return JSON.parse(fs.readFileSync(hostPaths.codeServerPackage, 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** True when install.sh has put the pinned code-server, Node 24 and playwright-core in place. */
function isHostInstalled() {
  return (
    installedCodeServerVersion() === readVersions().CODE_SERVER_VERSION &&
    fs.existsSync(hostPaths.node) &&
    fs.existsSync(path.join(hostPaths.playwrightCore, 'package.json'))
  );
}

function requireHostInstalled() {
  if (!isHostInstalled()) {
    throw new Error(
      `The local VS Code host is not installed in ${hostDir}.\n` +
        'Run `npm run host:install` (needs the npm registry; as root it also apt-installs chromium and libkrb5-dev).',
    );
  }
}

/** The progress line announcing an install, the same under `npm start` and `npm run test:integration`. */
const INSTALL_STEP = 'install the local VS Code host (code-server + Node 24, about 2 minutes, once)';

/**
 * Installs the host with install.sh (idempotent), its `[host:install …]` progress lines on this terminal.
 * `announce` prints INSTALL_STEP in the caller's progress format first. Throws when the install fails.
 */
function installHost(announce) {
  announce(INSTALL_STEP);
  const result = spawnSync('bash', [path.join(__dirname, 'install.sh')], { stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(`installing the local VS Code host in ${hostDir} failed (see above)`);
  }
}

function chromiumPath() {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(
      'No chromium found (tried ' +
        candidates.join(', ') +
        '). Install it: apt-get install chromium, or set CHROMIUM=/path.',
    );
  }
  return found;
}

/** A port the OS says is free on 127.0.0.1 right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A fresh directory for one run: user data, extensions, XDG dirs, temp files, logs. */
function makeRunDir(label) {
  fs.mkdirSync(hostPaths.runs, { recursive: true });
  return fs.mkdtempSync(path.join(hostPaths.runs, label + '-'));
}

// Quiet first start: no welcome page, no telemetry, no update or gallery traffic, no AI panels, no trust prompt.
const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

function hostEnv(runDir) {
  const tmp = path.join(runDir, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  return {
    ...process.env,
    TMPDIR: tmp,
    // Any code-server command writes config and state under these; keep it out of $HOME.
    XDG_CONFIG_HOME: path.join(runDir, 'xdg-config'),
    XDG_DATA_HOME: path.join(runDir, 'xdg-data'),
    PATH: `${path.dirname(hostPaths.node)}${path.delimiter}${process.env.PATH}`,
  };
}

function codeServerArgs(runDir) {
  const config = path.join(runDir, 'code-server.yaml');
  if (!fs.existsSync(config)) {
    // An empty config file is rejected, and without --config code-server writes ~/.config/code-server.
    fs.writeFileSync(config, 'auth: none\ncert: false\n');
  }
  return [
    hostPaths.codeServerEntry,
    '--config',
    config,
    '--auth',
    'none',
    '--user-data-dir',
    path.join(runDir, 'user-data'),
    '--extensions-dir',
    path.join(runDir, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
}

/** Runs a one-shot code-server CLI command (e.g. --install-extension) against the run's dirs. */
function runCodeServerCli(runDir, args) {
  requireHostInstalled();
  const result = spawnSync(hostPaths.node, [...codeServerArgs(runDir), ...args], {
    env: hostEnv(runDir),
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(
      `code-server ${args.join(' ')} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
}

/**
 * Installs a language pack extension folder (contributes.localizations) into the run's extensions dir and
 * registers it in user-data/languagepacks.json the way VS Code does after an install from the gallery
 * (the `--install-extension` CLI does not), so `--locale <languageId>` takes effect on start.
 */
function installLanguagePack(runDir, folder) {
  const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  const installed = path.join(runDir, 'extensions', `${id}-${manifest.version}`);
  fs.cpSync(folder, installed, { recursive: true });
  const file = path.join(runDir, 'user-data/languagepacks.json');
  const packs = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  for (const localization of manifest.contributes?.localizations ?? []) {
    packs[localization.languageId] = {
      hash: crypto.createHash('md5').update(id).update(manifest.version).digest('hex'),
      extensions: [{ extensionIdentifier: { id }, version: manifest.version }],
      translations: Object.fromEntries(
        localization.translations.map((t) => [t.id, path.join(installed, t.path)]),
      ),
      label: localization.localizedLanguageName ?? localization.languageName,
    };
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(packs));
  return Object.keys(packs);
}

function isHealthy(port) {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => {
      request.destroy();
      resolve(false);
    });
  });
}

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The port code-server reports in its log once it listens ("HTTP server listening on http://127.0.0.1:PORT/"). */
function listeningPort(log) {
  try {
    const match = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(fs.readFileSync(log, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts code-server on 127.0.0.1 in its own process group and waits until it answers /healthz.
 * The port is 0 unless given: the OS picks a free one at bind time, so a busy machine cannot take it between
 * asking and binding; code-server's log says which. `extraArgs` go after the fixed flags.
 * Returns { port, url, pid, log, child, stop() }; stop() ends the whole group (server, extension hosts, watchers).
 */
async function startCodeServer({ runDir, extraArgs = [], settings = {}, port = 0, startTimeoutMs = 60000 }) {
  requireHostInstalled();
  const userDir = path.join(runDir, 'user-data/User');
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(
    path.join(userDir, 'settings.json'),
    JSON.stringify({ ...quietSettings, ...settings }, null, 2),
  );
  const log = path.join(runDir, 'code-server.log');
  const logFd = fs.openSync(log, 'w');
  const child = spawn(
    hostPaths.node,
    [...codeServerArgs(runDir), '--bind-addr', `127.0.0.1:${port}`, ...extraArgs],
    { env: hostEnv(runDir), detached: true, stdio: ['ignore', logFd, logFd] },
  );
  fs.closeSync(logFd);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const stop = () => stopProcessGroup(child.pid);
  const deadline = Date.now() + startTimeoutMs;
  let boundPort;
  while (!(boundPort ??= listeningPort(log)) || !(await isHealthy(boundPort))) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(
        `code-server did not come up on 127.0.0.1 (${exited ? 'it exited' : 'timed out'}). Log ${log}:\n${tail(log)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { port: boundPort, url: `http://127.0.0.1:${boundPort}/`, pid: child.pid, log, child, stop };
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the whole process group, SIGKILL to whatever is left after a grace period. */
async function stopProcessGroup(pid, graceMs = 3000) {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Headless chromium with a throwaway profile; close the returned context to end it. */
async function launchBrowser(profileDir, { viewport = { width: 1400, height: 900 } } = {}) {
  requireHostInstalled();
  const { chromium } = require(hostPaths.playwrightCore);
  return chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    headless: true,
    viewport,
    // Chromium keeps crash reports and caches under XDG dirs regardless of the profile; keep them in the run.
    env: {
      ...process.env,
      XDG_CONFIG_HOME: path.join(profileDir, 'xdg-config'),
      XDG_CACHE_HOME: path.join(profileDir, 'xdg-cache'),
    },
    args: [
      '--disable-crash-reporter',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Workbench URL for a folder or a multi-root `.code-workspace` file; `payload` is VS Code's list of
 * [key, value] launch options.
 */
function workbenchUrl(server, { folder, payload } = {}) {
  const query = [];
  const kind = folder?.endsWith('.code-workspace') ? 'workspace' : 'folder';
  query.push(folder ? `${kind}=${encodeURIComponent(folder)}` : 'ew=true');
  if (payload) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${server.url}?${query.join('&')}`;
}

module.exports = {
  repoRoot,
  hostPaths,
  readVersions,
  installedCodeServerVersion,
  isHostInstalled,
  requireHostInstalled,
  installHost,
  chromiumPath,
  freePort,
  makeRunDir,
  runCodeServerCli,
  installLanguagePack,
  startCodeServer,
  stopProcessGroup,
  launchBrowser,
  workbenchUrl,
  tail,
};
