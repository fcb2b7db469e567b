// Section 4 fallback, one fresh process per sample: time `require(dist/extension.js)` and
// `activate()` in plain Node, with a stand-in `vscode` module injected through Module._load.
// This is NOT the VS Code extension host: it leaves out the host's own loading work and any
// cost hidden behind real VS Code APIs, so it is a lower bound labelled as such.
// Prints one JSON object, with `lazyLoaded`: the bundles of lazy/ (esbuild.mjs LAZY_CHUNKS) that
// loading and activating pulled in, which should be none, and `builtinsLoaded`: the Node modules
// they added (no child_process, net, http, crypto…). Arguments: <extensionJs> <extensionRoot>
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, loaded by node and by the extension host as is */
const Module = require('node:module');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const [extensionJs, extensionRoot] = process.argv.slice(2);

const disposable = () => ({ dispose() {} });

/** Any property, call or `new` gives back another stand-in, so unknown API use does not throw. */
function standIn(name) {
  const cache = new Map();
  const target = function () {};
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === 'then') {
        return undefined; // not a promise
      }
      if (prop === Symbol.iterator) {
        return function* () {};
      }
      if (prop === Symbol.toPrimitive) {
        return (hint) => (hint === 'number' ? 0 : '');
      }
      if (prop === 'dispose') {
        return () => {};
      }
      if (typeof prop === 'symbol') {
        return undefined;
      }
      if (!cache.has(prop)) {
        cache.set(prop, standIn(`${name}.${prop}`));
      }
      return cache.get(prop);
    },
    set(_t, prop, value) {
      cache.set(prop, value);
      return true;
    },
    apply() {
      return standIn(`${name}()`);
    },
    construct() {
      return standIn(`new ${name}`);
    },
  });
}

const settings = () => ({
  get: (_key, fallback) => fallback,
  has: () => false,
  inspect: () => undefined,
  update: () => Promise.resolve(),
});

const memento = () => ({
  get: (_key, fallback) => fallback,
  update: () => Promise.resolve(),
  keys: () => [],
});

function fakeVscode() {
  const base = standIn('vscode');
  const overrides = {
    workspace: new Proxy(
      {
        getConfiguration: settings,
        workspaceFolders: undefined,
        textDocuments: [],
        isTrusted: true,
        onDidChangeConfiguration: disposable,
        onDidOpenTextDocument: disposable,
        onDidCloseTextDocument: disposable,
        onDidChangeTextDocument: disposable,
        onDidSaveTextDocument: disposable,
        onDidChangeWorkspaceFolders: disposable,
        onDidGrantWorkspaceTrust: disposable,
      },
      { get: (t, p) => (p in t ? t[p] : base.workspace[p]) },
    ),
    window: new Proxy(
      {
        visibleTextEditors: [],
        activeTextEditor: undefined,
        onDidChangeActiveTextEditor: disposable,
        onDidChangeVisibleTextEditors: disposable,
        // A fresh window shows the Explorer, not Portolan's view: nothing should poll yet.
        createTreeView: () => Object.assign(Object.create(standIn('treeView')), { visible: false }),
      },
      { get: (t, p) => (p in t ? t[p] : base.window[p]) },
    ),
    l10n: {
      t: (message, ...args) =>
        String(typeof message === 'string' ? message : (message?.message ?? '')).replace(
          /\{(\d+)\}/g,
          (_m, i) => String(args[i]),
        ),
    },
    env: new Proxy(
      { language: 'en', uiKind: 1, remoteName: undefined },
      { get: (t, p) => (p in t ? t[p] : base.env[p]) },
    ),
  };
  // Own properties for what needs real values; everything else comes from the prototype, because
  // a bundle's ESM interop copies own properties and keeps the prototype of `require('vscode')`.
  const fallback = new Proxy({}, { get: (_t, p) => (typeof p === 'symbol' ? undefined : base[p]) });
  return Object.assign(Object.create(fallback), overrides);
}

const vscode = fakeVscode();
const originalLoad = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'vscode') {
    return vscode;
  }
  return originalLoad.call(this, request, parent, isMain);
};

async function main() {
  const context = {
    subscriptions: [],
    extensionPath: extensionRoot,
    extensionUri: standIn('extensionUri'),
    globalState: memento(),
    workspaceState: memento(),
    secrets: standIn('secrets'),
    storageUri: undefined,
    globalStorageUri: standIn('globalStorageUri'),
    logUri: standIn('logUri'),
    extensionMode: 1,
    asAbsolutePath: (p) => path.join(extensionRoot, p),
    extension: { id: 'portolan.portolan', packageJSON: require(path.join(extensionRoot, 'package.json')) },
  };
  // Node's own modules loaded so far (`NativeModule child_process`…), to name those the extension adds.
  const builtinsBefore = new Set(process.moduleLoadList);
  let started = performance.now();
  const extension = require(extensionJs);
  const requireMs = performance.now() - started;
  started = performance.now();
  await extension.activate(context);
  const activateMs = performance.now() - started;
  const lazyFolder = path.join(path.dirname(path.resolve(extensionJs)), 'lazy') + path.sep;
  // Before process.stdout: its stream loads Node modules of its own.
  const report = {
    requireMs,
    activateMs,
    totalMs: requireMs + activateMs,
    subscriptions: context.subscriptions.length,
    builtinsLoaded: process.moduleLoadList
      .filter((entry) => entry.startsWith('NativeModule ') && !builtinsBefore.has(entry))
      .map((entry) => entry.slice('NativeModule '.length)),
    lazyLoaded: Object.keys(require.cache)
      .filter((file) => file.startsWith(lazyFolder))
      .map((file) => path.basename(file)),
  };
  // What activation left for the next turn: loading the services chunk (esbuild.mjs LAZY_CHUNKS).
  const services = path.join(lazyFolder, 'services.js');
  if (require('node:fs').existsSync(services)) {
    started = performance.now();
    require(services);
    report.servicesRequireMs = performance.now() - started;
  }
  process.stdout.write(JSON.stringify(report));
  for (const s of context.subscriptions) {
    try {
      s?.dispose?.();
    } catch {
      // a stand-in disposable; nothing to clean up
    }
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stdout.write(JSON.stringify({ error: String(error?.stack ?? error) }));
    process.exit(1);
  },
);
