// Bundles the parts of Portolan the bench calls in-process into bench/.build/, one bundle per
// area so that one area that does not build yet does not stop the others from being measured.
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const BUILD_DIR = path.join(here, '.build');
export const ENTRIES = ['system', 'scan', 'hover', 'walk', 'rules'];

const vscodeStub = {
  name: 'vscode-stub',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, () => ({ path: path.join(here, 'entries', 'vscodeStub.cjs') }));
  },
};

/** Builds every entry; returns `{ name: errorText }` for the ones that failed. */
export async function buildBenchBundles() {
  const failures = {};
  await Promise.all(
    ENTRIES.map(async (name) => {
      try {
        await esbuild.build({
          entryPoints: [path.join(here, 'entries', `${name}.mjs`)],
          outfile: path.join(BUILD_DIR, `${name}.cjs`),
          bundle: true,
          format: 'cjs',
          platform: 'node',
          target: 'node20',
          // Same as the shipped bundles (esbuild.mjs --production), so speed matches what users run.
          minify: true,
          sourcemap: true,
          logLevel: 'silent',
          // jsonc-parser's "main" is a UMD build whose inner require('./impl/format') a bundle cannot
          // follow; its ES module build bundles cleanly.
          mainFields: ['module', 'main'],
          define: { 'process.env.PORTOLAN_VERSION': JSON.stringify('bench') },
          plugins: [vscodeStub],
          // Generated code: the project's lint has nothing to say about it.
          banner: { js: '/* eslint-disable */' },
        });
      } catch (error) {
        failures[name] = (error.errors ?? []).map((e) => e.text).join('; ') || String(error.message ?? error);
      }
    }),
  );
  return failures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const failures = await buildBenchBundles();
  for (const [name, text] of Object.entries(failures)) {
    console.error(`bench/.build/${name}.cjs: ${text}`);
  }
  process.exitCode = Object.keys(failures).length > 0 ? 1 : 0;
}
