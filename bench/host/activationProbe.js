// Test entry for the real VS Code host (scripts/vscode-host/run-extension-tests.cjs): reads the
// extension host's own performance marks for Portolan (code/extHost/willLoadExtensionCode/...,
// didLoadExtensionCode, willActivateExtension, didActivateExtension: the figures behind
// "Developer: Show Running Extensions") and writes them to bench/.build/host-activation.json
// for bench/startup.mjs. Whatever activated Portolan first, the marks are the host's.
// PORTOLAN_PROBE_EXTENSION names another extension to measure the same way (the bench's empty
// extension, VS Code's own cost per extension); PORTOLAN_PROBE_PROFILE=<folder> also writes a CPU
// profile of the extension host from just before the activation to a little after it
// (activation.cpuprofile: code loading, activate() and what it left for the next turns).
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, loaded by node and by the extension host as is */
const fs = require('node:fs');
const path = require('node:path');
const inspector = require('node:inspector');
const { performance } = require('node:perf_hooks');
const vscode = require('vscode');

const OUT = path.join(__dirname, '..', '.build', 'host-activation.json');
/** How long the profile goes on after activate() returned: the work it deferred to the next turns. */
const PROFILE_AFTER_MS = 400;

/** How long no other extension may have activated before the probe activates the one it measures. */
const QUIET_MS = 1000;
const QUIET_AT_MOST_MS = 20_000;

/**
 * Waits until the host has activated what it activates at start-up (built-in extensions on `*` and
 * onStartupFinished). The host's activate() marks are taken a few promise turns after the call,
 * and until then the activations of the others run in between: in CPU profiles, merge-conflict's
 * activate() alone put 7 to 119 ms into Portolan's "activate()" figure.
 */
async function quietHost() {
  const started = performance.now();
  let active = -1;
  let since = started;
  while (performance.now() - started < QUIET_AT_MOST_MS) {
    const now = vscode.extensions.all.filter((e) => e.isActive).length;
    if (now !== active) {
      active = now;
      since = performance.now();
    } else if (performance.now() - since >= QUIET_MS) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return performance.now() - started;
}

/** Starts a CPU profile of this thread; the returned function stops it and writes it to `file`. */
async function startProfile(file) {
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) =>
    new Promise((resolve, reject) =>
      session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  return async () => {
    const { profile } = await post('Profiler.stop');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

async function run() {
  const name = process.env.PORTOLAN_PROBE_EXTENSION || 'portolan';
  const extension = vscode.extensions.all.find((e) => e.packageJSON?.name === name);
  if (!extension) {
    throw new Error(`the extension ${name} is not loaded in this host`);
  }
  const waitedMs = extension.isActive ? 0 : await quietHost();
  const profileFolder = process.env.PORTOLAN_PROBE_PROFILE;
  const stopProfile = profileFolder
    ? await startProfile(path.join(profileFolder, `${name}-activation.cpuprofile`))
    : undefined;
  const wasActive = extension.isActive;
  const started = performance.now();
  await extension.activate();
  const awaitedMs = performance.now() - started;
  if (stopProfile) {
    await new Promise((resolve) => setTimeout(resolve, PROFILE_AFTER_MS));
    await stopProfile();
  }
  const marks = globalThis.MonacoPerformanceMarks?.getMarks?.() ?? [];
  const at = (what) => marks.find((m) => m.name === `code/extHost/${what}/${extension.id}`)?.startTime;
  const willLoad = at('willLoadExtensionCode');
  const didLoad = at('didLoadExtensionCode');
  const willActivate = at('willActivateExtension');
  const didActivate = at('didActivateExtension');
  const known = [willLoad, didLoad, willActivate, didActivate].every((t) => typeof t === 'number');
  const record = {
    // What "Show Running Extensions" adds up: loading the code plus the activate() call. The
    // span between them is the host preparing the ExtensionContext (storage), not Portolan.
    activationMs: known ? didLoad - willLoad + (didActivate - willActivate) : wasActive ? null : awaitedMs,
    spanMs: known ? didActivate - willLoad : null,
    codeLoadingMs: known ? didLoad - willLoad : null,
    activateCallMs: known ? didActivate - willActivate : null,
    fromHostMarks: known,
    alreadyActive: wasActive,
    waitedForQuietMs: Math.round(waitedMs),
    extension: name,
    extensionHostNode: process.versions.node,
    vscodeVersion: vscode.version,
    recordedAt: new Date().toISOString(),
  };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(record) + '\n');
  console.log(`portolan activation in the extension host: ${JSON.stringify(record)}`);
}

module.exports = { run };
