// Runs a VS Code extension test entry (the `run()` of extensionTestsPath) inside code-server's Node extension
// host. code-server only starts an extension host for a connected workbench, so headless chromium opens one;
// the workbench's smoke-test driver hands output and the exit code back through two page functions.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, run by node without a build step */
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const host = require('./host.cjs');

// Workbench chatter (connection set-up, offline gallery lookups, agent host) is not test output.
const workbenchChatter =
  /open-vsx\.org|marketplace|^\s+at .*workbench|copilot|^\[?agent ?host|^Resolv(ing|ed) connection token|^Creating a socket|^\[reconnection-grace-time\]|^Updating additional builtin extensions cache|^\[Service Worker\]|^\[AccountPolicyGate\]|authentication provider 'github'|^Creation of workbench contribution/i;

function resolveTestsEntry(p) {
  const abs = path.resolve(p);
  if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) return path.join(abs, 'index.js');
  if (!fs.existsSync(abs) && fs.existsSync(abs + '.js')) return abs + '.js';
  return abs;
}

/**
 * `locale` starts the host in that display language (`--locale`); `languagePacks` are language pack
 * extension folders installed into the run's profile first, as code-server cannot download them offline.
 * @param {{ extensionDevelopmentPath: string, extensionTestsPath: string, folder?: string,
 *           timeoutMs?: number, verbose?: boolean, locale?: string, languagePacks?: string[] }} options
 * @returns {Promise<number>} 0 when every test passed, the runner's failure code otherwise, 2 for a host failure
 */
async function runExtensionTests(options) {
  const t0 = Date.now();
  const lap = (message) => console.log(`[vscode-host ${((Date.now() - t0) / 1000).toFixed(1)}s] ${message}`);
  const extensionPath = path.resolve(options.extensionDevelopmentPath);
  const testsEntry = resolveTestsEntry(options.extensionTestsPath);
  const folder = options.folder ? path.resolve(options.folder) : undefined;
  const timeoutMs = options.timeoutMs ?? Number(process.env.PORTOLAN_TEST_TIMEOUT_MS || 600000);
  if (!fs.existsSync(testsEntry)) {
    console.error(
      `vscode-host: test entry ${testsEntry} does not exist (compile the tests first: npm run compile-tests)`,
    );
    return 2;
  }
  host.requireHostInstalled();
  const runDir = host.makeRunDir('test');
  let server;
  let browser;
  let settled = false;
  let finish;
  const outcome = new Promise((resolve) => {
    finish = (code, why) => {
      if (settled) return;
      settled = true;
      if (why) console.error(`vscode-host: ${why}`);
      resolve(code);
    };
  });
  const onSignal = (signal) => finish(signal === 'SIGINT' ? 130 : 143, `stopped by ${signal}`);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const timer = setTimeout(
    () =>
      finish(
        2,
        `no result from the extension host after ${timeoutMs / 1000}s; see ${runDir}/code-server.log`,
      ),
    timeoutMs,
  );
  try {
    for (const pack of options.languagePacks ?? []) {
      const languages = host.installLanguagePack(runDir, path.resolve(pack));
      lap(`language pack ${path.basename(pack)} installed (${languages.join(', ')})`);
    }
    // The smoke-test driver makes the built workbench honour extensionDevelopmentPath/extensionTestsPath.
    server = await host.startCodeServer({
      runDir,
      extraArgs: [
        '--vscode-option',
        'enable-smoke-test-driver',
        ...(options.locale ? ['--locale', options.locale] : []),
      ],
    });
    lap(`code-server ${host.installedCodeServerVersion()} on ${server.url} (process group ${server.pid})`);
    browser = await host.launchBrowser(path.join(runDir, 'chromium-profile'));
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = util.format(...(Array.isArray(args) ? args : [args]));
      if (!options.verbose && workbenchChatter.test(line)) return;
      (type === 'error' ? console.error : console.log)(line);
    });
    await page.exposeFunction('codeAutomationExit', (code) => finish(Number(code) || 0));
    page.on('pageerror', (error) => console.error('[workbench error]', error.message));
    page.on('crash', () => finish(2, 'the workbench page crashed'));
    // vscode-remote:// sends the extension and its tests to the Node extension host (child_process works there).
    const authority = `127.0.0.1:${server.port}`;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${extensionPath}`],
      ['extensionTestsPath', `vscode-remote://${authority}${testsEntry}`],
    ];
    lap(`workbench on ${folder ?? '(no folder)'}, tests ${path.relative(process.cwd(), testsEntry)}`);
    // A loaded 2-core machine can take longer than the default 30 s to load the workbench.
    await page.goto(host.workbenchUrl(server, { folder, payload }), { timeout: 180000 });
    server.child.on('exit', (code) =>
      finish(2, `code-server exited early (code ${code}); log:\n${host.tail(server.log)}`),
    );
  } catch (error) {
    finish(2, `the VS Code host could not start: ${error instanceof Error ? error.message : error}`);
  }
  const code = await outcome;
  clearTimeout(timer);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  try {
    await browser?.close();
  } catch {
    // the browser may already be gone
  }
  await server?.stop();
  if (code === 0 && !options.keepRunDir) fs.rmSync(runDir, { recursive: true, force: true });
  else lap(`run files kept in ${runDir}`);
  lap(`exit ${code}`);
  return code;
}

module.exports = { runExtensionTests };
