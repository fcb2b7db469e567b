// Warm refresh, in a process of its own so the orchestrator's heap does not weigh on it, driven
// one round at a time over stdin so its samples interleave with the other methods' (a shared
// machine's load then falls on every method alike):
//   SocketReader.snapshot() in this thread; the same with connections recounted only hourly
//   (between recounts only the listening part of the TCP tables is read); and
//   createSocketService() with the shipped worker (dist/socketWorker.js), as the sidebar does.
//
// Protocol: one JSON line per request line. "round" -> {readerMs, listenersOnlyMs, serviceMs};
// "rows" -> the sockets each variant saw last. It starts with {ready, first-snapshot costs}.
// Arguments: <workerPath>
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const workerPath = process.argv[2];

function brief(snapshot) {
  return snapshot.sockets.map((s) => ({
    protocol: s.protocol,
    address: s.address,
    port: s.port,
    pid: s.pid ?? null,
    process: s.process ?? null,
  }));
}

const reply = (value) => process.stdout.write(JSON.stringify(value) + '\n');

function timed(take) {
  const started = performance.now();
  const value = take();
  return [performance.now() - started, value];
}

async function main() {
  const { SocketReader, createSocketService } = require(path.join(here, '.build', 'system.cjs'));
  const ready = { ready: true };

  // A fresh reader is what a one-shot caller (the first sidebar refresh, `portolan who`) pays.
  ready.freshReaderMs = [];
  for (let i = 0; i < 3; i++) {
    ready.freshReaderMs.push(timed(() => new SocketReader().snapshot())[0]);
  }
  const reader = new SocketReader();
  ready.readerFirstMs = timed(() => reader.snapshot())[0];
  const listenersOnly = new SocketReader({ connectionsMaxAgeMs: 3_600_000 });
  ready.listenersOnlyFirstMs = timed(() => listenersOnly.snapshot())[0];
  const service = createSocketService(workerPath ? { workerPath } : {});
  ready.serviceMode = service.mode;
  let started = performance.now();
  await service.refresh();
  ready.serviceFirstMs = performance.now() - started;
  reply(ready);

  let last = {};
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line === 'round') {
      const [readerMs, readerSnapshot] = timed(() => reader.snapshot());
      const [listenersOnlyMs, listenersOnlySnapshot] = timed(() => listenersOnly.snapshot());
      started = performance.now();
      const serviceSnapshot = await service.refresh();
      const serviceMs = performance.now() - started;
      last = { readerSnapshot, listenersOnlySnapshot, serviceSnapshot };
      reply({ readerMs, listenersOnlyMs, serviceMs, serviceInnerMs: serviceSnapshot.durationMs });
    } else if (line === 'rows') {
      reply({
        reader: brief(last.readerSnapshot),
        listenersOnly: brief(last.listenersOnlySnapshot),
        service: brief(last.serviceSnapshot),
        warnings: last.readerSnapshot.warnings,
      });
    }
  }
  service.dispose();
}

main().catch((error) => {
  reply({ error: String(error?.stack ?? error) });
  process.exitCode = 1;
});
