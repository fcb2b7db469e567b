// Load inside the real extension host (issue 11), opt-in: it runs only when PORTOLAN_LOAD=1, which
// `npm run load -- --in-host` sets after opening the sockets and generating the workspace it opens
// (see bench/load.mjs). Nothing here asserts a duration: the figures are written as JSON to
// PORTOLAN_LOAD_OUT (and printed) for the note; only correctness is asserted (the index holds the
// workspace, each edit's diagnostics arrive, refreshes see the sockets).
//
//   PORTOLAN_LOAD_PART     all | sockets | workspace (default all)
//   PORTOLAN_LOAD_MINUTES  how long the Ports view is refreshed, once a second (default 10)
//   PORTOLAN_LOAD_SOCKETS  how many loopback listeners the runner opened (to check the snapshots)
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import { EVENT_TIMEOUT_MS, portolanApi } from './helpers';

const enabled = process.env.PORTOLAN_LOAD === '1';
const part = process.env.PORTOLAN_LOAD_PART ?? 'all';
const minutes = Number(process.env.PORTOLAN_LOAD_MINUTES ?? '10');
const expectedListeners = Number(process.env.PORTOLAN_LOAD_SOCKETS ?? '0');
const MB = 1024 * 1024;

const results: Record<string, unknown> = {};

/**
 * With PORTOLAN_LOAD_PROFILE=<folder> (`npm run load -- --in-host --profile <folder>`), a CPU profile
 * of the extension host while `work` runs, written as <folder>/<name>.cpuprofile (open it in Chrome's
 * DevTools or summarize it with `node bench/profileTop.mjs`).
 */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  const folder = process.env.PORTOLAN_LOAD_PROFILE;
  if (!folder) {
    return work();
  }
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) =>
      session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

function memory(): { rssMb: number; heapUsedMb: number; externalMb: number } {
  collectGarbage();
  const m = process.memoryUsage();
  return { rssMb: m.rss / MB, heapUsedMb: m.heapUsed / MB, externalMb: m.external / MB };
}

function timings(values: number[]): { count: number; p50: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return { count: sorted.length, p50: at(50), p95: at(95), max: sorted[sorted.length - 1] };
}

/** The event loop's worst delays while `work` runs: a stall of the extension host shows here. */
async function withLoopDelay<T>(work: () => Promise<T>): Promise<{ value: T; loop: Record<string, number> }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  try {
    const value = await work();
    return {
      value,
      loop: {
        maxMs: histogram.max / 1e6,
        p99Ms: histogram.percentile(99) / 1e6,
        meanMs: histogram.mean / 1e6,
      },
    };
  } finally {
    histogram.disable();
  }
}

function say(text: string): void {
  console.log(`      [load] ${text}`);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when `uri` has `count` or more diagnostics of `rule`. */
function diagnosticsReach(uri: vscode.Uri, rule: string, count: number): Promise<void> {
  const reached = (): boolean =>
    vscode.languages
      .getDiagnostics(uri)
      .filter((d) => (typeof d.code === 'object' ? d.code.value : d.code) === rule).length >= count;
  return new Promise((resolve, reject) => {
    if (reached()) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`${rule} diagnostics on ${uri.path} did not reach ${count}`));
    }, EVENT_TIMEOUT_MS);
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString()) && reached()) {
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      }
    });
  });
}

(enabled ? describe : describe.skip)('load in the extension host (PORTOLAN_LOAD=1)', function () {
  this.timeout(0);

  after(() => {
    const out = process.env.PORTOLAN_LOAD_OUT;
    if (out) {
      fs.writeFileSync(out, JSON.stringify(results, null, 2));
    }
  });

  (part === 'sockets' ? it.skip : it)(
    'indexes the generated workspace; diagnostics follow an edit',
    async () => {
      const api = await portolanApi();
      await api.index.ready;
      const before = memory();
      const { value: indexMs, loop } = await profiled('rescan', () =>
        withLoopDelay(async () => {
          const started = performance.now();
          await vscode.commands.executeCommand('portolan.rescanWorkspace');
          return performance.now() - started;
        }),
      );
      const after = memory();
      let mentions = 0;
      for (const file of api.index.files()) {
        mentions += file.mentions.length;
      }
      say(`index: ${api.index.fileCount} files, ${mentions} mentions in ${indexMs.toFixed(0)} ms`);
      assert.ok(api.index.fileCount > 1000, `only ${api.index.fileCount} files indexed`);

      // An edit: a compose file gains a service publishing a host port it already publishes.
      const target = [...api.index.files()].find((f) => f.kind === 'compose' && f.mentions.length > 1);
      assert.ok(target, 'no compose file with mentions in the generated workspace');
      const document = await vscode.workspace.openTextDocument(target.uri);
      await vscode.window.showTextDocument(document, { preview: false });
      const published = target.mentions.find((m) => m.role === 'publish');
      assert.ok(published);
      const editMs: number[] = [];
      const edits = await profiled('edits', () =>
        withLoopDelay(async () => {
          for (let round = 0; round < 10; round++) {
            const conflicts = vscode.languages
              .getDiagnostics(document.uri)
              .filter((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'port-conflict').length;
            const edit = new vscode.WorkspaceEdit();
            edit.insert(
              document.uri,
              document.positionAt(document.getText().length),
              `  extra${round}:\n    image: x\n    ports:\n      - "${published.port}:9${round}"\n`,
            );
            const started = performance.now();
            assert.ok(await vscode.workspace.applyEdit(edit));
            await diagnosticsReach(document.uri, 'port-conflict', conflicts + 1);
            editMs.push(performance.now() - started);
          }
        }),
      );
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      results.workspace = {
        files: api.index.fileCount,
        mentions,
        rescanMs: indexMs,
        rescanEventLoop: loop,
        memoryBefore: before,
        memoryAfter: after,
        heapRetainedMb: after.heapUsedMb - before.heapUsedMb,
        editToDiagnosticsMs: timings(editMs),
        editEventLoop: edits.loop,
        note: 'edit to diagnostics includes the diagnostics debounce (300 ms)',
      };
      say(`workspace: ${JSON.stringify(results.workspace)}`);
    },
  );

  (part === 'workspace' ? it.skip : it)(
    'refreshes the Ports view once a second under many sockets',
    async () => {
      const api = await portolanApi();
      const config = vscode.workspace.getConfiguration('portolan');
      // Only the refreshes below run: the poller's own timer is pushed out of the way.
      await config.update('ports.refreshInterval', 3_600_000, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('portolan.ports.focus');
      await api.live.live.refresh();
      const before = memory();
      const refreshMs: number[] = [];
      const snapshotMs: number[] = [];
      const modelMs: number[] = [];
      let sockets = 0;
      let established = 0;
      let listening = 0;
      const until = performance.now() + minutes * 60_000;
      const { loop } = await profiled('refreshes', () =>
        withLoopDelay(async () => {
          while (performance.now() < until) {
            const tick = performance.now();
            await vscode.commands.executeCommand('portolan.refresh');
            const refreshed = performance.now();
            // The view's content as VS Code asks for it: the model is built on the first question.
            const sections = api.live.portsView.provider.getChildren();
            const done = performance.now();
            refreshMs.push(done - tick);
            snapshotMs.push(refreshed - tick);
            modelMs.push(done - refreshed);
            const snapshot = api.live.live.snapshot;
            sockets = snapshot?.sockets.length ?? 0;
            established = snapshot?.sockets.reduce((n, s) => n + s.connections.established, 0) ?? 0;
            listening = sections.length;
            if (refreshMs.length % 60 === 0) {
              say(`${refreshMs.length} refreshes, last ${(done - tick).toFixed(1)} ms, ${sockets} sockets`);
            }
            await sleep(Math.max(0, 1000 - (performance.now() - tick)));
          }
        }),
      );
      const after = memory();
      await config.update('ports.refreshInterval', undefined, vscode.ConfigurationTarget.Workspace);
      assert.ok(listening > 0);
      assert.ok(sockets >= expectedListeners, `the last snapshot held ${sockets} sockets`);
      results.sockets = {
        minutes,
        socketsInLastSnapshot: sockets,
        establishedCounted: established,
        mode: api.live.live.mode,
        refreshMs: timings(refreshMs),
        refreshCommandMs: timings(snapshotMs),
        viewModelMs: timings(modelMs),
        eventLoop: loop,
        memoryBefore: before,
        memoryAfter: after,
      };
      say(`sockets: ${JSON.stringify(results.sockets)}`);
    },
  );
});
