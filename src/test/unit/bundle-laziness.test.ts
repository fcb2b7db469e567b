// The bundles keep Portolan's services out of the extension's main file, and IANA's tables, the YAML
// parser and the glob matcher out of the services and the CLI (esbuild.mjs LAZY_CHUNKS), so
// activation parses none of them. Built here with the project's own esbuild options into a
// temporary folder; no timing is asserted (the bench prints activation times).
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(__dirname, '../../..');

interface LazyChunk {
  name: string;
  entry: string;
}
interface EsbuildConfig {
  LAZY_CHUNKS: LazyChunk[];
  bundleOptions(options: { production?: boolean; outdir?: string }): Record<string, unknown>[];
}
interface Metafile {
  outputs: Record<
    string,
    { inputs: Record<string, unknown>; imports: { path: string; external?: boolean }[] }
  >;
}

/** Sources that only a lazy chunk may hold. */
const LAZY_SOURCES = [
  /^node_modules\/yaml\//,
  /^node_modules\/re2js\//,
  /^node_modules\/picomatch\//,
  /^src\/data\/generated\/iana\.ts$/,
  /^src\/workspace\/globMatcher\.ts$/,
];

describe('bundles: what activation does not load', function () {
  this.timeout(120000);
  let out: string;
  let config: EsbuildConfig;
  const inputsOf = new Map<string, string[]>();
  /** What each bundle requires at run time (Node's modules, vscode, other chunks). */
  const importsOf = new Map<string, string[]>();

  before(async () => {
    // esbuild.mjs is an ES module; a dynamic import() stays one in the compiled test.
    config = (await import(pathToFileURL(path.join(root, 'esbuild.mjs')).href)) as EsbuildConfig;
    const esbuild = (await import('esbuild')) as typeof import('esbuild');
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'portolan-bundles-'));
    const bundleDir = path.join(out, 'dist');
    for (const options of config.bundleOptions({ production: true, outdir: bundleDir })) {
      const result = await esbuild.build({ ...options, logLevel: 'silent', metafile: true });
      for (const [file, output] of Object.entries((result.metafile as Metafile).outputs)) {
        const bundle = path.relative(bundleDir, path.resolve(root, file));
        inputsOf.set(bundle, Object.keys(output.inputs));
        importsOf.set(bundle, [...new Set(output.imports.filter((i) => i.external).map((i) => i.path))]);
      }
    }
  });

  after(() => {
    if (out) {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('keeps everything but the stand-ins out of extension.js: it requires vscode and the services chunk only', () => {
    const inputs = inputsOf.get('extension.js') ?? [];
    assert.deepEqual(inputs.sort(), [
      'src/extension.ts',
      'src/present/commands.ts',
      'src/providers/contributions.ts',
      'src/providers/standIns.ts',
    ]);
    assert.deepEqual(importsOf.get('extension.js')?.sort(), ['./lazy/services.js', 'vscode']);
  });

  it('keeps the registry tables, yaml, re2js and picomatch out of the services and the CLI', () => {
    // Each bundle, and the chunks it requires (written relative to it; all live in dist/lazy/).
    const requires: Array<[string, string[]]> = [
      [path.join('lazy', 'services.js'), ['./iana.js', './yaml.js', './globMatcher.js']],
      [path.join('lazy', 'cliWorkspace.js'), ['./iana.js', './yaml.js', './globMatcher.js']],
      ['cli.js', ['./lazy/cliWorkspace.js', './lazy/iana.js']],
    ];
    for (const [bundle, chunks] of requires) {
      const inputs = inputsOf.get(bundle);
      assert.ok(inputs && inputs.length > 20, `${bundle} was built from ${inputs?.length} files`);
      assert.deepEqual(
        inputs.filter((input) => LAZY_SOURCES.some((source) => source.test(input))),
        [],
        bundle,
      );
      const text = fs.readFileSync(path.join(out, 'dist', bundle), 'utf8');
      for (const required of chunks) {
        assert.ok(text.includes(`require("${required}")`), `${bundle} requires ${required}`);
        assert.ok(fs.existsSync(path.join(out, 'dist', path.dirname(bundle), required)), required);
      }
    }
  });

  it('keeps the finders, rules and project model out of cli.js: ls, who and free start without them', () => {
    const inputs = inputsOf.get('cli.js') ?? [];
    assert.deepEqual(
      inputs.filter((input) => /^src\/(scan|rules|workspace|context)\//.test(input)),
      [],
    );
    assert.ok(inputs.includes('src/cli/ls.ts') && inputs.includes('src/system/listening.ts'));
    const loaded = (verb: string[]): string[] => {
      const run = spawnSync(
        process.execPath,
        ['-r', path.join(out, 'report-lazy.cjs'), path.join(out, 'dist', 'cli.js'), ...verb],
        { cwd: root, encoding: 'utf8', timeout: 60000 },
      );
      const line = /^LAZY (.*)$/m.exec(run.stderr)?.[1];
      assert.ok(line, `no report from ${verb.join(' ')}: ${run.stderr}`);
      return (JSON.parse(line) as string[]).sort();
    };
    fs.writeFileSync(
      path.join(out, 'report-lazy.cjs'),
      "process.on('exit', () => process.stderr.write('LAZY ' + JSON.stringify(Object.keys(require.cache)" +
        ".filter((f) => f.includes('/lazy/')).map((f) => f.slice(f.lastIndexOf('/') + 1))) + '\\n'));\n",
    );
    assert.ok(!loaded(['ls', '--json']).includes('cliWorkspace.js'));
    assert.deepEqual(loaded(['free', '--json']), []);
    assert.ok(loaded(['scan', '--json', 'samples/shop']).includes('cliWorkspace.js'));
  });

  it('builds each lazy chunk on its own, holding what it is for', () => {
    assert.deepEqual(config.LAZY_CHUNKS.map((c) => c.name).sort(), [
      'cliWorkspace',
      'globMatcher',
      'iana',
      'services',
      'yaml',
    ]);
    const has = (chunk: string, source: RegExp): boolean =>
      (inputsOf.get(path.join('lazy', `${chunk}.js`)) ?? []).some((input) => source.test(input));
    assert.ok(has('iana', /^src\/data\/generated\/iana\.ts$/));
    assert.ok(has('yaml', /^node_modules\/yaml\//));
    assert.ok(has('globMatcher', /^node_modules\/re2js\//));
    assert.ok(has('globMatcher', /^node_modules\/picomatch\//));
    for (const folder of ['scan', 'rules', 'system', 'data', 'present', 'workspace', 'context']) {
      assert.ok(has('services', new RegExp(`^src/${folder}/`)), `the services hold src/${folder}`);
    }
    assert.ok(importsOf.get(path.join('lazy', 'services.js'))?.includes('node:child_process'));
    for (const folder of ['scan', 'rules', 'workspace', 'context']) {
      assert.ok(
        has('cliWorkspace', new RegExp(`^src/${folder}/`)),
        `the CLI's workspace verbs hold src/${folder}`,
      );
    }
  });

  it('refuses to build a static import of a lazy chunk', async () => {
    const esbuild = (await import('esbuild')) as typeof import('esbuild');
    const [extension] = config.bundleOptions({ production: true, outdir: path.join(out, 'refused') });
    await assert.rejects(
      esbuild.build({
        ...extension,
        entryPoints: undefined,
        outfile: path.join(out, 'refused', 'extension.js'),
        stdin: {
          contents:
            "import { startServices } from './providers/services';\nexport const start = startServices;\n",
          resolveDir: path.join(root, 'src'),
          loader: 'ts',
        },
        logLevel: 'silent',
      }),
      /\.\/providers\/services is loaded on first use/,
    );
  });

  it('loads none of the lazy chunks when the extension is required and activated', () => {
    // bench/activate.cjs: the extension in plain Node with a stand-in vscode module.
    const extension = path.join(out, 'dist', 'extension.js');
    const report = JSON.parse(
      execFileSync(process.execPath, [path.join(root, 'bench', 'activate.cjs'), extension, root], {
        encoding: 'utf8',
        timeout: 60000,
      }),
    ) as { error?: string; subscriptions: number; lazyLoaded: string[]; builtinsLoaded: string[] };
    assert.equal(report.error, undefined);
    // The stand-ins: commands, the Ports view, the providers, and the timer that starts the services.
    assert.equal(report.subscriptions, 4);
    assert.deepEqual(report.lazyLoaded, []);
    assert.deepEqual(report.builtinsLoaded, []);
  });

  it('finds the lazy chunks at run time: the bundled CLI reads compose files and names services', () => {
    const rows = JSON.parse(
      execFileSync(process.execPath, [path.join(out, 'dist', 'cli.js'), 'scan', '--json', 'samples/shop'], {
        cwd: root,
        encoding: 'utf8',
        timeout: 60000,
      }),
    ) as { file: string; port: number; service: { name: string } | null }[];
    const compose = rows.filter((r) => r.file.endsWith('compose.yaml'));
    assert.ok(compose.length > 0, 'mentions in samples/shop/compose.yaml (the yaml chunk)');
    assert.ok(
      rows.some((r) => r.port === 5432 && r.service?.name === 'postgresql'),
      'IANA names 5432 (the iana chunk)',
    );
    // `check` exits 1 when it finds problems; its JSON is what counts here.
    const check = (...extra: string[]): string =>
      spawnSync(
        process.execPath,
        [path.join(out, 'dist', 'cli.js'), 'check', '--format', 'json', ...extra, 'samples/shop'],
        {
          cwd: root,
          encoding: 'utf8',
          timeout: 60000,
        },
      ).stdout;
    assert.ok(check().includes('compose.yaml'), 'compose.yaml has findings');
    assert.ok(
      !check('--ignore', '**/*.yaml').includes('compose.yaml'),
      'the glob chunk leaves compose.yaml out',
    );
  });

  it('ships the lazy chunks in the .vsix (.vscodeignore keeps them)', async () => {
    fs.copyFileSync(path.join(root, 'package.json'), path.join(out, 'package.json'));
    fs.copyFileSync(path.join(root, '.vscodeignore'), path.join(out, '.vscodeignore'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const vsce = require('@vscode/vsce') as {
      listFiles(options: { cwd: string; packageManager: number }): Promise<string[]>;
      PackageManager: { None: number };
    };
    const listed = await vsce.listFiles({ cwd: out, packageManager: vsce.PackageManager.None });
    const built = [...inputsOf.keys()]
      .filter((f) => f.endsWith('.js'))
      .map((f) => path.posix.join('dist', f));
    assert.deepEqual(
      built.filter((f) => !listed.includes(f)),
      [],
    );
    assert.ok(built.length >= 6);
  });
});
