// Worker-thread entry (bundled separately as dist/socketWorker.js): owns one SocketReader so its
// caches live across refreshes, and answers each request with the delta to its previous reply.

import { parentPort, workerData } from 'node:worker_threads';
import { DeltaEncoder, type SnapshotReply, type SnapshotRequest } from './socketDelta';
import { errorMessage, SocketReader } from './socketReader';
import type { SocketReaderOptions } from './types';

if (parentPort) {
  const port = parentPort;
  const options = (workerData ?? {}) as SocketReaderOptions;
  const reader = new SocketReader(options);
  const encoder = new DeltaEncoder();
  port.on('message', (request: SnapshotRequest) => {
    try {
      const delta = encoder.encode(reader.snapshot({ recountConnections: request.recountConnections }));
      const reply: SnapshotReply = { id: request.id, delta };
      port.postMessage(reply, [delta.order.buffer as ArrayBuffer]);
    } catch (error) {
      const reply: SnapshotReply = { id: request.id, error: errorMessage(error) };
      port.postMessage(reply);
    }
  });
}
