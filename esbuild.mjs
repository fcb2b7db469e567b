// Bundles the extension and the CLI. `--watch` rebuilds on change; `--production` minifies.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

/**
 * Big parts that only some work needs, each bundled on its own into dist/lazy/<name>.js and loaded
 * by a `require()` on first use, so that activating the extension (or starting the CLI) does not
 * parse them: Portolan's services themselves (activation registers stand-ins that load them on the
 * next turn or on first use, see src/extension.ts), IANA's tables (first hover or rule that names a
 * service), the YAML parser (first compose or Kubernetes file), the glob matcher (first
 * `portolan.diagnostics.ignore` pattern) and the CLI's workspace verbs (not needed by `portolan ls`).
 * `filter` matches the module name the source requires.
 */
export const LAZY_CHUNKS = [
  { name: 'services', filter: /^\.\/providers\/services$/, entry: 'src/providers/services.ts' },
  { name: 'iana', filter: /^\.\/generated\/iana$/, entry: 'src/data/generated/iana.ts' },
  { name: 'yaml', filter: /^yaml$/, entry: 'yaml' },
  { name: 'globMatcher', filter: /^\.\/globMatcher$/, entry: 'src/workspace/globMatcher.ts' },
  // The CLI's verbs that read a workspace: `portolan ls`, `who` and `free` start without them.
  { name: 'cliWorkspace', filter: /^\.\/cli\/workspaceVerbs$/, entry: 'src/cli/workspaceVerbs.ts' },
];

/**
 * A lazy chunk's module becomes an external `require()` of dist/lazy/<name>.js, written relative to
 * the bundle (`folder`: where it is written, below dist/). Only a `require()` call may name it: an
 * `import` would load it with the bundle and undo the point.
 */
const lazyChunks = (folder = '.') => ({
  name: 'lazy-chunks',
  setup(build) {
    for (const chunk of LAZY_CHUNKS) {
      build.onResolve({ filter: chunk.filter }, (args) => {
        if (args.kind === 'entry-point') {
          return undefined;
        }
        if (args.kind !== 'require-call') {
          return {
            errors: [
              {
                text: `${args.path} is loaded on first use (esbuild.mjs LAZY_CHUNKS): require() it inside a function instead of importing it`,
              },
            ],
          };
        }
        const target = path.posix.relative(folder, `lazy/${chunk.name}.js`);
        return { path: target.startsWith('.') ? target : `./${target}`, external: true };
      });
    }
  },
});

/** Every bundle, with outputs under `outdir` (dist/ for the package). */
export function bundleOptions({ production = false, outdir = path.join(root, 'dist') } = {}) {
  /** @type {import('esbuild').BuildOptions} */
  const common = {
    absWorkingDir: root,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'info',
    external: ['vscode'],
    // jsonc-parser's `main` is a UMD build whose dynamic requires esbuild cannot follow; its ESM build bundles.
    mainFields: ['module', 'main'],
    define: { 'process.env.PORTOLAN_VERSION': JSON.stringify(version) },
  };
  const split = { ...common, plugins: [lazyChunks()] };
  return [
    { ...split, entryPoints: ['src/extension.ts'], outfile: path.join(outdir, 'extension.js') },
    // The socket reader runs here, off the extension host's event loop (see src/system/socketService.ts).
    { ...common, entryPoints: ['src/system/socketWorker.ts'], outfile: path.join(outdir, 'socketWorker.js') },
    {
      ...split,
      entryPoints: ['src/cli.ts'],
      outfile: path.join(outdir, 'cli.js'),
      banner: { js: '#!/usr/bin/env node' },
    },
    // A chunk may load others on first use too (the services load IANA's tables, YAML, globs).
    ...LAZY_CHUNKS.map((chunk) => ({
      ...common,
      plugins: [lazyChunks('lazy')],
      entryPoints: [chunk.entry],
      outfile: path.join(outdir, 'lazy', `${chunk.name}.js`),
    })),
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const builds = bundleOptions({ production: process.argv.includes('--production') });
  if (process.argv.includes('--watch')) {
    const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
    await Promise.all(contexts.map((ctx) => ctx.watch()));
  } else {
    await Promise.all(builds.map((options) => esbuild.build(options)));
  }
}
