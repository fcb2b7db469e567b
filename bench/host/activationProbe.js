// Test entry for the real VS Code host (scripts/vscode-host/run-extension-tests.cjs): reads the
// extension host's own performance marks for Portolan (code/extHost/willLoadExtensionCode/...,
// didLoadExtensionCode, willActivateExtension, didActivateExtension: the figures behind
// "Developer: Show Running Extensions") and writes them to bench/.build/host-activation.json
// for bench/startup.mjs. Whatever activated Portolan first, the marks are the host's.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, loaded by node and by the extension host as is */
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const vscode = require('vscode');

const OUT = path.join(__dirname, '..', '.build', 'host-activation.json');

async function run() {
  const extension = vscode.extensions.all.find((e) => e.packageJSON?.name === 'portolan');
  if (!extension) {
    throw new Error('the Portolan extension is not loaded in this host');
  }
  const wasActive = extension.isActive;
  const started = performance.now();
  await extension.activate();
  const awaitedMs = performance.now() - started;
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
    extensionHostNode: process.versions.node,
    vscodeVersion: vscode.version,
    recordedAt: new Date().toISOString(),
  };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(record) + '\n');
  console.log(`portolan activation in the extension host: ${JSON.stringify(record)}`);
}

module.exports = { run };
