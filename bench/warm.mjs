// Warm refresh, measured in a fresh process so the orchestrator's heap does not weigh on it:
// SocketReader.snapshot() repeated in this thread, then createSocketService() with the shipped
// worker (dist/socketWorker.js), as the sidebar refreshes. Prints one JSON object.
//
// Arguments: <runs> <workerPath>
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const runs = Number(process.argv[2] ?? 7);
const workerPath = process.argv[3];

function brief(snapshot) {
  return snapshot.sockets.map((s) => ({
    protocol: s.protocol,
    address: s.address,
    port: s.port,
    pid: s.pid ?? null,
    process: s.process ?? null,
  }));
}

async function main() {
  const { SocketReader, createSocketService } = require(path.join(here, '.build', 'system.cjs'));
  const result = {};

  const reader = new SocketReader();
  let started = performance.now();
  let snapshot = reader.snapshot();
  result.readerFirstMs = performance.now() - started;
  result.readerMs = [];
  for (let i = 0; i < runs; i++) {
    started = performance.now();
    snapshot = reader.snapshot();
    result.readerMs.push(performance.now() - started);
  }
  result.readerWarnings = snapshot.warnings;
  result.sockets = brief(snapshot);

  // The reader can recount connections only now and then and otherwise read just the listening
  // part of the TCP tables; measured between two recounts.
  const listenersOnly = new SocketReader({ connectionsMaxAgeMs: 3_600_000 });
  listenersOnly.snapshot();
  result.listenersOnlyMs = [];
  let listenersOnlySnapshot;
  for (let i = 0; i < runs; i++) {
    started = performance.now();
    listenersOnlySnapshot = listenersOnly.snapshot();
    result.listenersOnlyMs.push(performance.now() - started);
  }
  result.listenersOnlySockets = brief(listenersOnlySnapshot);

  // A fresh reader is what a one-shot caller (the first sidebar refresh, `portolan who`) pays.
  result.freshReaderMs = [];
  for (let i = 0; i < Math.min(runs, 3); i++) {
    const fresh = new SocketReader();
    started = performance.now();
    fresh.snapshot();
    result.freshReaderMs.push(performance.now() - started);
  }

  const service = createSocketService(workerPath ? { workerPath } : {});
  result.serviceMode = service.mode;
  try {
    started = performance.now();
    await service.refresh();
    result.serviceFirstMs = performance.now() - started;
    result.serviceMs = [];
    let last;
    for (let i = 0; i < runs; i++) {
      started = performance.now();
      last = await service.refresh();
      result.serviceMs.push(performance.now() - started);
    }
    result.serviceSocketCount = last.sockets.length;
    result.serviceWorkerDurationMs = last.durationMs;
  } finally {
    service.dispose();
  }
  process.stdout.write(JSON.stringify(result));
}

main().catch((error) => {
  process.stdout.write(JSON.stringify({ error: String(error?.stack ?? error) }));
  process.exitCode = 1;
});
