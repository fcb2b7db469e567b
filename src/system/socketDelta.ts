// Snapshots sent from the socket worker as differences. Cloning ten thousand sockets into the
// extension host blocks its event loop for tens of milliseconds; a steady machine changes a
// handful of sockets per refresh, so only those cross the thread boundary.

import type { ListeningSnapshot, ListeningSocket } from './types';

export interface SnapshotRequest {
  id: number;
  recountConnections?: boolean;
}

/** A snapshot as the difference to the previous reply of the same worker. */
export interface SnapshotDelta {
  /** Inodes of every socket, in snapshot order. */
  order: Float64Array;
  /** Sockets that are new or differ from what was last sent... */
  changed: ListeningSocket[];
  /** ...and their keys (the inode), in the same order. */
  changedKeys: number[];
  takenAt: number;
  durationMs: number;
  source: ListeningSnapshot['source'];
  warnings: string[];
  connectionsTakenAt?: number;
}

export type SnapshotReply = { id: number; delta: SnapshotDelta } | { id: number; error: string };

/**
 * Whether two readings of one inode show the same thing: everything about a socket that can
 * change while its inode stays the same. Compared field by field rather than through a built
 * string, since this runs for every socket on every refresh.
 */
export function sameSocketState(a: ListeningSocket, b: ListeningSocket): boolean {
  if (
    a.uid !== b.uid ||
    a.user !== b.user ||
    a.proxy !== b.proxy ||
    a.connections.established !== b.connections.established ||
    a.connections.timeWait !== b.connections.timeWait ||
    a.connections.closeWait !== b.connections.closeWait ||
    a.owners.length !== b.owners.length
  ) {
    return false;
  }
  for (let i = 0; i < a.owners.length; i++) {
    const x = a.owners[i]!;
    const y = b.owners[i]!;
    if (x.pid !== y.pid || x.process !== y.process || x.command !== y.command || x.cwd !== y.cwd) {
      return false;
    }
  }
  return true;
}

/** Turns full snapshots into deltas; keeps what the other side already has. */
export class DeltaEncoder {
  private sent = new Map<number, ListeningSocket>();

  encode(snapshot: ListeningSnapshot): SnapshotDelta {
    const next = new Map<number, ListeningSocket>();
    const order = new Float64Array(snapshot.sockets.length);
    const changed: ListeningSocket[] = [];
    const changedKeys: number[] = [];
    snapshot.sockets.forEach((socket, i) => {
      const inode = socket.inode ?? -1 - i;
      order[i] = inode;
      next.set(inode, socket);
      const previous = this.sent.get(inode);
      if (!previous || !sameSocketState(previous, socket)) {
        changed.push(socket);
        changedKeys.push(inode);
      }
    });
    this.sent = next;
    return {
      order,
      changed,
      changedKeys,
      takenAt: snapshot.takenAt,
      durationMs: snapshot.durationMs,
      source: snapshot.source,
      warnings: snapshot.warnings,
      connectionsTakenAt: snapshot.connectionsTakenAt,
    };
  }
}

/** Rebuilds full snapshots from deltas; unchanged sockets keep their object identity. */
export class DeltaDecoder {
  private known = new Map<number, ListeningSocket>();

  decode(delta: SnapshotDelta): ListeningSnapshot {
    delta.changed.forEach((socket, i) => this.known.set(delta.changedKeys[i]!, socket));
    const next = new Map<number, ListeningSocket>();
    const sockets: ListeningSocket[] = [];
    for (const inode of delta.order) {
      const socket = this.known.get(inode);
      if (socket) {
        next.set(inode, socket);
        sockets.push(socket);
      }
    }
    this.known = next;
    return {
      sockets,
      takenAt: delta.takenAt,
      durationMs: delta.durationMs,
      source: delta.source,
      warnings: delta.warnings,
      connectionsTakenAt: delta.connectionsTakenAt,
    };
  }
}
