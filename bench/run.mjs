// `npm run bench`: Portolan side by side with what users would pick instead, in one run on this
// machine. Prints a table and writes bench/results.json and bench/README-performance.md.
//
//   node bench/run.mjs [--sizes 10,1000,10000] [--one-process 10000] [--runs N]
//                      [--only sockets,finders,index,check,startup]
//                      [--corpus-mb 24] [--files 20000] [--host-samples 3]
//                      [--profile-activation DIR] [--out FILE] [--no-readme] [--render]
//
// --render re-renders bench/README-performance.md from an existing results file (--out) without
// measuring anything, e.g. after editing bench/performance-notes.md.
//
// Sizes and activation are measured on a production build and package made in a private staging
// folder (the shared dist/ is left alone); --host-samples 0 skips the VS Code host;
// --profile-activation writes a CPU profile of each host activation into DIR (bench/profileTop.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBenchBundles } from './build.mjs';
import { findExecutable, runTimed } from './listings.mjs';
import { measureLiveSockets } from './liveSockets.mjs';
import { renderMarkdown, renderText } from './report.mjs';
import { MAX_LISTENERS } from './sockets.mjs';
import { measureStartup, removeStage, stageProduction } from './startup.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);

function parseArgs(argv) {
  const options = {
    sizes: [10, 1000, 10000],
    // Sizes measured again with every socket in one process (0 for none).
    onePerProcess: [10000],
    runs: undefined,
    only: new Set(['sockets', 'finders', 'index', 'check', 'startup']),
    corpusMb: 24,
    files: 20000,
    out: path.join(here, 'results.json'),
    readme: true,
    render: false,
    hostSamples: 3,
    profileActivation: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) {
        throw new Error(`${arg} needs a value`);
      }
      return next;
    };
    if (arg === '--sizes') {
      options.sizes = value().split(',').map(Number);
      if (options.sizes.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_LISTENERS)) {
        throw new Error(`--sizes takes integers from 1 to ${MAX_LISTENERS}`);
      }
    } else if (arg === '--one-process') {
      options.onePerProcess = value()
        .split(',')
        .map(Number)
        .filter((n) => n !== 0);
      if (options.onePerProcess.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_LISTENERS)) {
        throw new Error(`--one-process takes integers from 1 to ${MAX_LISTENERS}, or 0`);
      }
    } else if (arg === '--runs') {
      options.runs = Number(value());
    } else if (arg === '--only') {
      options.only = new Set(value().split(','));
    } else if (arg === '--package') {
      // Kept for old command lines: the production build and package are always made now.
    } else if (arg === '--corpus-mb') {
      options.corpusMb = Number(value());
    } else if (arg === '--files') {
      options.files = Number(value());
    } else if (arg === '--out') {
      options.out = path.resolve(value());
    } else if (arg === '--host-samples') {
      options.hostSamples = Number(value());
    } else if (arg === '--profile-activation') {
      options.profileActivation = path.resolve(value());
    } else if (arg === '--render') {
      options.render = true;
    } else if (arg === '--no-readme') {
      options.readme = false;
    } else if (arg === '--help' || arg === '-h') {
      const header = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
      process.stdout.write(
        header
          .slice(
            0,
            header.findIndex((line) => !line.startsWith('//')),
          )
          .join('\n') + '\n',
      );
      process.exit(0);
    } else {
      throw new Error(`unknown option ${arg}`);
    }
  }
  return options;
}

function firstLine(file, args) {
  const found = findExecutable(file);
  if (!found) {
    return 'not installed';
  }
  const run = spawnSync(found, args, { encoding: 'utf8', timeout: 10_000 });
  return `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n')[0] || 'unknown version';
}

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

function machineInfo() {
  const cpus = os.cpus();
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' });
  return {
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryBytes: os.totalmem(),
    kernel: os.release(),
    platform: process.platform,
    arch: process.arch,
    node: process.versions.node,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    fdLimitNote: 'socket holders raise RLIMIT_NOFILE with bash `ulimit -n` when they can',
    commit: commit.status === 0 ? commit.stdout.trim() : undefined,
    tools: {
      ss: firstLine('ss', ['-V']),
      netstat: firstLine('netstat', ['--version']),
      lsof: firstLine('lsof', ['-v']).replace(/^lsof:?\s*/, ''),
    },
    libraries: {
      'find-process': packageVersion('find-process'),
      'pid-port': packageVersion('pid-port'),
      systeminformation: packageVersion('systeminformation'),
    },
  };
}

async function runJsonChild(script, args, nodeFlags = []) {
  const run = await runTimed(process.execPath, [...nodeFlags, path.join(here, script), ...args], {
    timeoutMs: 900_000,
  });
  try {
    return JSON.parse(run.stdout);
  } catch {
    return { error: `${script} exit ${run.code}: ${run.stderr.trim().slice(0, 500)}` };
  }
}

const log = (line) => process.stderr.write(line + '\n');

async function writeReadme(results) {
  const notesFile = path.join(here, 'performance-notes.md');
  const notes = existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : undefined;
  let markdown = renderMarkdown(results, notes);
  try {
    // Formatted as the README is, so pasting it in leaves `prettier --check` quiet.
    const prettier = await import('prettier');
    const config = (await prettier.resolveConfig(path.join(root, 'README.md'))) ?? {};
    markdown = await prettier.format(markdown, { ...config, parser: 'markdown' });
  } catch {
    // prettier is a dev dependency; without it the section is still valid Markdown
  }
  writeFileSync(path.join(here, 'README-performance.md'), markdown);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.render) {
    await writeReadme(JSON.parse(readFileSync(options.out, 'utf8')));
    log(`bench: rendered bench/README-performance.md from ${path.relative(root, options.out)}`);
    return;
  }
  const results = {
    startedAt: new Date().toISOString(),
    machine: machineInfo(),
    options: { ...options, only: [...options.only] },
  };
  if (process.platform !== 'linux') {
    log('bench: the socket section needs Linux (/proc, ss); it is skipped here.');
    options.only.delete('sockets');
  }

  // Every Portolan figure comes from one production build of the current source, made in a
  // private folder: other people rebuilding the shared dist/ cannot change it mid-run.
  const staged = await stageProduction(log);
  process.on('exit', () => removeStage(staged));
  const distRoot = staged.buildError ? root : staged.stage;
  if (staged.buildError) {
    log(`bench: the production build failed (${staged.buildError}); using dist/ as found`);
    if (!existsSync(path.join(root, 'dist', 'cli.js'))) {
      const npm = findExecutable('npm');
      const build = npm
        ? await runTimed(npm, ['run', 'build'], { timeoutMs: 300_000, cwd: root })
        : undefined;
      if (!build || build.code !== 0) {
        log('bench: `npm run build` failed too; measuring what exists');
      }
    }
  }
  const cli = path.join(distRoot, 'dist', 'cli.js');
  const workerPath = path.join(distRoot, 'dist', 'socketWorker.js');
  results.buildMeasured = staged.buildError
    ? 'dist/ as found'
    : 'production build of the working tree (esbuild.mjs --production)';
  log('bench: bundling the in-process entries into bench/.build/ ...');
  const buildFailures = await buildBenchBundles();
  for (const [name, text] of Object.entries(buildFailures)) {
    log(`bench: bench/.build/${name}.cjs did not build: ${text}`);
  }
  results.buildFailures = buildFailures;

  if (options.only.has('sockets')) {
    const runsFor = (n) => options.runs ?? (n >= 10000 ? 7 : n >= 1000 ? 9 : 15);
    results.sockets = await measureLiveSockets({
      sizes: options.sizes,
      onePerProcess: options.onePerProcess,
      runsFor,
      cli,
      workerPath,
      systemBuilt: !buildFailures.system,
      cliBuilt: existsSync(cli),
      log,
    });
  }
  if (options.only.has('finders')) {
    log(`\n[finders] throughput over ${options.corpusMb} MB and hover latency...`);
    results.finders =
      buildFailures.scan && buildFailures.hover
        ? { error: 'finder bundles did not build' }
        : await runJsonChild('finders.mjs', [String(options.corpusMb)]);
  }
  if (options.only.has('index')) {
    log(`[index] ${options.files} files...`);
    results.workspaceIndex = buildFailures.walk
      ? { error: `walk bundle did not build: ${buildFailures.walk}` }
      : await runJsonChild('workspaceIndex.mjs', [String(options.files)], ['--expose-gc']);
  }
  if (options.only.has('check')) {
    log('[check] portolan check over a generated Go repository, against ripgrep...');
    results.checkRepository = existsSync(cli)
      ? await runJsonChild('checkRepository.mjs', [cli, String(options.runs ?? 7)])
      : { error: 'dist/cli.js not built' };
  }
  if (options.only.has('startup')) {
    results.startup = await measureStartup({
      staged,
      hostSamples: options.hostSamples,
      profile: options.profileActivation,
      log,
    });
  }
  results.finishedAt = new Date().toISOString();
  results.loadAverageAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);

  writeFileSync(options.out, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write('\n' + renderText(results));
  if (options.readme) {
    await writeReadme(results);
  }
  log(
    `\nbench: wrote ${path.relative(root, options.out)}${options.readme ? ' and bench/README-performance.md' : ''}`,
  );
}

main().catch((error) => {
  log(`bench: ${error?.stack ?? error}`);
  process.exitCode = 1;
});
