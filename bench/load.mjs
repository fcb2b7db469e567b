// Load test: Portolan under a busy machine and a big workspace, in plain Node, with the same core
// the Ports view and `portolan check` use.
//
//   npm run load                      both parts, sockets for 10 minutes
//   npm run load -- --minutes 2       shorter socket part
//   npm run load -- --part sockets    only the socket part (or --part workspace)
//   npm run load -- --listeners 5000 --files 20000 --mentions 50000 --json
//
// Sockets: opens `--listeners` (default 10,000) listening TCP sockets on loopback (127.0.0.1, a
// tenth on ::1) and one established loopback connection into each (so 10,000 established pairs),
// held by 20 child processes (bench/sockets.mjs: each child raises its own `ulimit -n`, has a
// time-to-live and exits when this process goes away). Then it runs the socket service's
// refresh() once a second for `--minutes` (default 10), as the Ports view's poller does, through
// dist/socketWorker.js when `npm run build` made it (else in-thread), and reports memory before
// and after and each refresh's time (p50 / p95 / max).
//
// Workspace: generates `--files` (default 20,000) files holding `--mentions` (default 50,000)
// port mentions in a temporary folder, times `portolan check --format json` on it (dist/cli.js,
// a new process; peak RSS from the process itself), then indexes it in-process as the editor
// does (scan every file, keep the mentions, run the rules), edits one file and times the
// diagnostics of that edit (rescan the file, rerun the rules). Everything is removed afterwards.
//
// In the extension host (the figures for the note):
//
//   npm run compile-tests && npm run load -- --in-host              both parts, 10 minutes of refreshes
//   npm run load -- --in-host --minutes 1 --part sockets            a short socket run
//   npm run load -- --in-host --profile /tmp/prof                   CPU profiles of the host (rescan,
//                                                                   edits, refreshes) as .cpuprofile
//
// The same sockets are opened here and the same workspace is generated, then the local
// code-server (`npm run host:install`, PORTOLAN_HOST_DIR) opens that workspace with the extension
// and runs src/test/integration/load.test.ts (PORTOLAN_LOAD=1) inside its extension host: a
// workspace rescan (time, memory, event-loop delay), ten edits of a compose file timed until their
// port-conflict diagnostic appears, then the Ports view revealed and refreshed once a second
// (`portolan.refresh` plus the view's model) for `--minutes`, with the host's memory before and
// after, each refresh's time and the event loop's worst delay. The suite writes its figures as
// JSON, printed here.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { buildBenchBundles } from './build.mjs';
import { openSocketFarm } from './sockets.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const MB = 1024 * 1024;

function parseArgs(argv) {
  const options = {
    minutes: 10,
    listeners: 10000,
    files: 20000,
    mentions: 50000,
    part: 'all',
    json: false,
    inHost: false,
    profile: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const number = (min, max) => {
      const n = Number(argv[++i]);
      if (!Number.isFinite(n) || n < min || n > max) {
        throw new Error(`${a} takes a number from ${min} to ${max}`);
      }
      return n;
    };
    if (a === '--minutes') {
      options.minutes = number(0.05, 60);
    } else if (a === '--listeners') {
      options.listeners = Math.round(number(0, 12000));
    } else if (a === '--files') {
      options.files = Math.round(number(1, 100000));
    } else if (a === '--mentions') {
      options.mentions = Math.round(number(0, 500000));
    } else if (a === '--part') {
      options.part = argv[++i];
      if (!['all', 'sockets', 'workspace'].includes(options.part)) {
        throw new Error('--part takes all, sockets or workspace');
      }
    } else if (a === '--json') {
      options.json = true;
    } else if (a === '--in-host') {
      options.inHost = true;
    } else if (a === '--profile') {
      options.profile = path.resolve(argv[++i] ?? 'load-profiles');
    } else {
      throw new Error(`unknown option ${a}`);
    }
  }
  return options;
}

function percentile(sorted, p) {
  if (sorted.length === 0) {
    return NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function timings(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

function memory() {
  globalThis.gc?.();
  globalThis.gc?.();
  const m = process.memoryUsage();
  return { rssMb: m.rss / MB, heapUsedMb: m.heapUsed / MB, externalMb: m.external / MB };
}

const log = (text) => process.stderr.write(`${text}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function socketPart(options) {
  const { createSocketService } = require(path.join(here, '.build', 'system.cjs'));
  const ttlSeconds = Math.min(5000, Math.ceil(options.minutes * 60) + 600);
  log(`opening ${options.listeners} loopback listeners with one connection each…`);
  let started = performance.now();
  // 20 holders of 500 listeners each: fewer Node start-ups than the bench's 100 on a busy machine.
  const farm = await openSocketFarm({ listeners: options.listeners, processes: 20, udp: 0, ttlSeconds });
  const openMs = performance.now() - started;
  const stop = () => {
    void farm.close().then(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const workerPath = path.join(repo, 'dist', 'socketWorker.js');
    const before = memory();
    const service = createSocketService(existsSync(workerPath) ? { workerPath } : { inThread: true });
    const refreshMs = [];
    const snapshotMs = [];
    let sockets = 0;
    let established = 0;
    let failures = 0;
    let firstRefreshMemory;
    const until = performance.now() + options.minutes * 60_000;
    started = performance.now();
    try {
      while (performance.now() < until) {
        const tick = performance.now();
        try {
          const snapshot = await service.refresh();
          refreshMs.push(performance.now() - tick);
          snapshotMs.push(snapshot.durationMs);
          // The worker's own heap shows up in RSS from here on: compare the end with this, not with before.
          firstRefreshMemory ??= memory();
          sockets = snapshot.sockets.length;
          established = snapshot.sockets.reduce((n, s) => n + s.connections.established, 0);
        } catch (error) {
          failures++;
          log(`refresh failed: ${error?.message ?? error}`);
        }
        if (refreshMs.length % 60 === 0) {
          log(`  ${refreshMs.length} refreshes, last ${refreshMs.at(-1)?.toFixed(1)} ms, ${sockets} sockets`);
        }
        await sleep(Math.max(0, 1000 - (performance.now() - tick)));
      }
    } finally {
      service.dispose();
    }
    const runMinutes = (performance.now() - started) / 60_000;
    const after = memory();
    return {
      listeners: options.listeners,
      establishedConnections: options.listeners,
      openMs,
      mode: existsSync(workerPath) ? 'worker (dist/socketWorker.js), adaptive' : 'in-thread',
      minutes: runMinutes,
      refreshMs: timings(refreshMs),
      snapshotDurationMs: timings(snapshotMs),
      failures,
      lastSnapshot: { sockets, establishedCounted: established },
      memoryBefore: before,
      memoryAfterFirstRefresh: firstRefreshMemory,
      memoryAfter: after,
    };
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    await farm.close();
  }
}

/**
 * `files` files with `mentions` port mentions in all, spread evenly: compose projects (published
 * `host:container` pairs), `.env` files (`*_PORT=`) and TypeScript files (`listen(port)`), in
 * packages of 50 files.
 */
function writeWorkspace(root, files, mentions) {
  const written = [];
  let left = mentions;
  for (let i = 0; i < files; i++) {
    const remainingFiles = files - i;
    const count = Math.min(left, Math.max(0, Math.round(left / remainingFiles)));
    left -= count;
    const port = (k) => 3000 + ((i * 7 + k * 13) % 5000);
    const pkg = path.join(root, `pkg${Math.floor(i / 50)}`);
    let file;
    let text;
    if (i % 3 === 0) {
      // A compose project of its own; "host:container" is two mentions, `expose` one.
      const dir = path.join(pkg, `svc${i}`);
      mkdirSync(dir, { recursive: true });
      file = path.join(dir, 'compose.yaml');
      const pairs = Array.from(
        { length: Math.floor(count / 2) },
        (_, k) => `      - "${port(k)}:${8000 + k}"`,
      );
      const single = count % 2 === 1 ? `    expose:\n      - "${9000 + (i % 500)}"\n` : '';
      text = `services:\n  app${i}:\n    image: app:${i}\n${pairs.length > 0 ? `    ports:\n${pairs.join('\n')}\n` : ''}${single}`;
    } else if (i % 3 === 1) {
      mkdirSync(pkg, { recursive: true });
      file = path.join(pkg, `service${i}.env`);
      text =
        Array.from({ length: count }, (_, k) => `SERVICE_${k}_PORT=${port(k)}`).join('\n') +
        '\nDEBUG=false\n';
    } else {
      mkdirSync(path.join(pkg, 'src'), { recursive: true });
      file = path.join(pkg, 'src', `server${i}.ts`);
      const lines = Array.from({ length: count }, (_, k) => `app0.listen(${port(k)});`);
      text = `import express from 'express';\nconst app0 = express();\n${lines.join('\n')}\nexport default app0;\n`;
    }
    writeFileSync(file, text);
    written.push(file);
  }
  return written;
}

function workspacePart(options) {
  const { runRules, WorkspaceIndex, detectFileKind, folderOf, scanText } = require(
    path.join(here, '.build', 'rules.cjs'),
  );
  const root = mkdtempSync(path.join(os.tmpdir(), 'portolan-load-ws-'));
  try {
    let started = performance.now();
    const files = writeWorkspace(root, options.files, options.mentions);
    const writeMs = performance.now() - started;

    // 1. The CLI, cold, as CI runs it.
    const cli = path.join(repo, 'dist', 'cli.js');
    let check;
    if (existsSync(cli)) {
      const preload = path.join(here, 'peakRss.cjs');
      started = performance.now();
      const r = spawnSync(
        process.execPath,
        ['--require', preload, cli, 'check', '--format', 'json', '--no-settings', root],
        {
          encoding: 'utf8',
          maxBuffer: 512 * MB,
        },
      );
      const ms = performance.now() - started;
      const peak = /"peakRssMb":([\d.]+)/.exec(r.stderr ?? '');
      const records = r.stdout ? JSON.parse(r.stdout) : [];
      check = {
        ms,
        exitCode: r.status,
        peakRssMb: peak ? Number(peak[1]) : undefined,
        findings: records.length,
        byRule: records.reduce((m, x) => ({ ...m, [x.code]: (m[x.code] ?? 0) + 1 }), {}),
      };
    }

    // 2. The editor's index, in-process: scan every file, keep its mentions, run the rules.
    const before = memory();
    started = performance.now();
    const scanned = [];
    let mentionCount = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const mentions = scanText(file, text);
      mentionCount += mentions.length;
      // The text goes along, as `portolan check` passes it: the Kubernetes link rules read it.
      scanned.push({ file, kind: detectFileKind(file, undefined, text), mentions, text });
    }
    const scanMs = performance.now() - started;
    const workspace = WorkspaceIndex.of(scanned);
    const limits = { unprivilegedPortStart: 1024, ephemeralRange: { from: 32768, to: 60999 } };
    started = performance.now();
    let findings = 0;
    for (const file of workspace.files()) {
      findings += runRules({ file, workspace, limits }).length;
    }
    const rulesMs = performance.now() - started;
    const indexed = memory();

    // 3. An edit: a compose file gains a port another service of its project already publishes.
    const edited = scanned.find((f) => f.file.endsWith('.yaml') && f.mentions.length > 1);
    const editTimes = [];
    let editFindings = 0;
    for (let round = 0; round < 20; round++) {
      const text =
        readFileSync(edited.file, 'utf8') +
        `  extra${round}:\n    image: x\n    ports:\n      - "${edited.mentions[0].port}:9${round}"\n`;
      const t0 = performance.now();
      workspace.set(edited.file, text);
      // The edited file, then the files that share its folder (their cross-file claims changed).
      editFindings = runRules({ file: { ...workspace.get(edited.file), text }, workspace, limits }).length;
      for (const file of workspace.filesInFolder(folderOf(edited.file))) {
        if (file.file !== edited.file) {
          runRules({ file, workspace, limits });
        }
      }
      editTimes.push(performance.now() - t0);
    }
    return {
      files: files.length,
      mentionsRequested: options.mentions,
      mentionsFound: mentionCount,
      writeMs,
      check,
      index: {
        scanMs,
        rulesMs,
        findings,
        heapRetainedMb: indexed.heapUsedMb - before.heapUsedMb,
        rssMb: indexed.rssMb,
      },
      edit: { diagnosticsMs: timings(editTimes), findingsInEditedFile: editFindings },
      keepAlive: scanned.length,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function fmt(n) {
  return Number.isFinite(n) ? (n >= 100 ? n.toFixed(0) : n.toFixed(1)) : '–';
}

/** Both parts inside code-server's extension host; see the header. */
async function inHost(options) {
  const outFile = path.join(repo, 'out', 'test', 'integration', 'load.test.js');
  if (!existsSync(path.join(repo, 'dist', 'extension.js')) || !existsSync(outFile)) {
    throw new Error(
      '--in-host needs dist/extension.js and out/test/integration/load.test.js: npm run build && npm run compile-tests',
    );
  }
  const { runExtensionTests } = require(path.join(repo, 'scripts', 'vscode-host', 'run-extension-tests.cjs'));
  const root = mkdtempSync(path.join(os.tmpdir(), 'portolan-load-host-'));
  const resultFile = path.join(root, 'result.json');
  const folder = path.join(root, 'workspace');
  mkdirSync(folder);
  let farm;
  const stop = () => {
    void (farm?.close() ?? Promise.resolve()).then(() => {
      rmSync(root, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    if (options.part !== 'sockets') {
      log(`generating ${options.files} files with ${options.mentions} mentions…`);
      writeWorkspace(folder, options.files, options.mentions);
    } else {
      writeFileSync(path.join(folder, 'server.js'), 'app.listen(3000);\n');
    }
    if (options.part !== 'workspace') {
      log(`opening ${options.listeners} loopback listeners with one connection each…`);
      const ttlSeconds = Math.min(5000, Math.ceil(options.minutes * 60) + 900);
      farm = await openSocketFarm({ listeners: options.listeners, processes: 20, udp: 0, ttlSeconds });
    }
    Object.assign(process.env, {
      PORTOLAN_LOAD: '1',
      PORTOLAN_LOAD_PART: options.part,
      PORTOLAN_LOAD_MINUTES: String(options.minutes),
      PORTOLAN_LOAD_SOCKETS: String(options.part === 'workspace' ? 0 : options.listeners),
      PORTOLAN_LOAD_OUT: resultFile,
      ...(options.profile ? { PORTOLAN_LOAD_PROFILE: options.profile } : {}),
      PORTOLAN_TEST_GREP: 'load in the extension host',
      PORTOLAN_TEST_TIMEOUT_MS: String(Math.ceil(options.minutes * 60_000) + 20 * 60_000),
    });
    const code = await runExtensionTests({
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(repo, 'out', 'test', 'integration', 'index.js'),
      folder,
    });
    if (!existsSync(resultFile)) {
      throw new Error(`the load suite wrote no figures (exit ${code})`);
    }
    return { exitCode: code, ...JSON.parse(readFileSync(resultFile, 'utf8')) };
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    await farm?.close();
    rmSync(root, { recursive: true, force: true });
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.inHost) {
    const result = {
      machine: `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB, ${os.platform()} ${os.release()}`,
      startedAt: new Date().toISOString(),
      loadAverage: os.loadavg(),
      listeners: options.part === 'workspace' ? 0 : options.listeners,
      ...(await inHost(options)),
    };
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    process.exitCode = result.exitCode === 0 ? 0 : 1;
    return;
  }
  const failures = await buildBenchBundles();
  for (const name of ['system', 'rules']) {
    if (failures[name]) {
      throw new Error(`bench/.build/${name}.cjs: ${failures[name]}`);
    }
  }
  const result = {
    machine: `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB, Node ${process.version}, ${os.platform()} ${os.release()}`,
    gcExposed: typeof globalThis.gc === 'function',
    startedAt: new Date().toISOString(),
    loadAverage: os.loadavg(),
  };
  if (options.part !== 'workspace') {
    result.sockets = await socketPart(options);
  }
  if (options.part !== 'sockets') {
    log(`generating ${options.files} files with ${options.mentions} mentions…`);
    result.workspace = workspacePart(options);
  }
  if (options.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const out = [`Portolan load test — ${result.machine}; started ${result.startedAt}`];
  if (result.sockets) {
    const s = result.sockets;
    out.push(
      `Sockets: ${s.listeners} loopback listeners + ${s.establishedConnections} established connections (opened in ${fmt(s.openMs / 1000)} s), ${s.mode}`,
      `  ${s.refreshMs.count} refreshes over ${fmt(s.minutes)} min, one a second: p50 ${fmt(s.refreshMs.p50)} ms, p95 ${fmt(s.refreshMs.p95)} ms, max ${fmt(s.refreshMs.max)} ms (snapshot itself p50 ${fmt(s.snapshotDurationMs.p50)} / p95 ${fmt(s.snapshotDurationMs.p95)} / max ${fmt(s.snapshotDurationMs.max)} ms); ${s.failures} failed`,
      `  last snapshot: ${s.lastSnapshot.sockets} sockets, ${s.lastSnapshot.establishedCounted} established connections counted`,
      `  memory before: RSS ${fmt(s.memoryBefore.rssMb)} MB, heap ${fmt(s.memoryBefore.heapUsedMb)} MB; after the first refresh (worker started): RSS ${fmt(s.memoryAfterFirstRefresh?.rssMb)} MB; after: RSS ${fmt(s.memoryAfter.rssMb)} MB, heap ${fmt(s.memoryAfter.heapUsedMb)} MB`,
    );
  }
  if (result.workspace) {
    const w = result.workspace;
    out.push(
      `Workspace: ${w.files} files, ${w.mentionsFound} mentions found (${w.mentionsRequested} written)`,
    );
    if (w.check) {
      out.push(
        `  portolan check --format json: ${fmt(w.check.ms)} ms, peak RSS ${fmt(w.check.peakRssMb)} MB, ${w.check.findings} findings, exit ${w.check.exitCode}`,
      );
    } else {
      out.push('  portolan check: skipped (dist/cli.js missing: npm run build)');
    }
    out.push(
      `  in-process index: scan ${fmt(w.index.scanMs)} ms, rules over every file ${fmt(w.index.rulesMs)} ms, ${w.index.findings} findings; heap retained ${fmt(w.index.heapRetainedMb)} MB, RSS ${fmt(w.index.rssMb)} MB`,
      `  diagnostics after an edit (rescan + rules for the edited file's folder): p50 ${fmt(w.edit.diagnosticsMs.p50)} ms, p95 ${fmt(w.edit.diagnosticsMs.p95)} ms, max ${fmt(w.edit.diagnosticsMs.max)} ms; ${w.edit.findingsInEditedFile} findings in the edited file`,
    );
  }
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((error) => {
  process.stderr.write(`load: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
