// Worker-thread entry (bundled separately as dist/socketWorker.js): owns one SocketReader so its
// caches live across refreshes, and answers each `snapshot` request.

import { parentPort } from 'node:worker_threads';
import { errorMessage, SocketReader } from './socketReader';

export interface SnapshotRequest {
  id: number;
}

export type SnapshotReply =
  | { id: number; snapshot: import('./types').ListeningSnapshot }
  | { id: number; error: string };

if (parentPort) {
  const port = parentPort;
  const reader = new SocketReader();
  port.on('message', (request: SnapshotRequest) => {
    let reply: SnapshotReply;
    try {
      reply = { id: request.id, snapshot: reader.snapshot() };
    } catch (error) {
      reply = { id: request.id, error: errorMessage(error) };
    }
    port.postMessage(reply);
  });
}
