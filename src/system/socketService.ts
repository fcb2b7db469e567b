// Async client for the sidebar and hovers. On Linux the synchronous reader runs in a worker
// thread, so a refresh at thousands of sockets never blocks the extension host's event loop.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { listListeningSockets } from './listening';
import { SocketReader } from './socketReader';
import type { ContainerSource } from './containerEngine';
import { withContainers } from './containerPorts';
import { DeltaDecoder, type SnapshotReply, type SnapshotRequest } from './socketDelta';
import type {
  ListeningSnapshot,
  ListeningSocket,
  SnapshotOptions,
  SocketReaderOptions,
  SocketService,
  SocketServiceOptions,
} from './types';

/**
 * How old connection counts may get between refreshes by default. Counting means reading the
 * whole TCP tables, which the kernel builds by walking every bucket of its connection hash
 * (3 ms per table even on an idle machine); listeners alone cost a fraction of that.
 */
export const DEFAULT_CONNECTIONS_MAX_AGE_MS = 10_000;

export function createSocketService(options: SocketServiceOptions = {}): SocketService {
  const service = createPlacedService(options);
  service.containerSource = options.containers;
  return service;
}

function createPlacedService(options: SocketServiceOptions): BaseService {
  if (process.platform !== 'linux') {
    return new SpawningService();
  }
  const readerOptions: SocketReaderOptions = {
    connectionsMaxAgeMs: options.connectionsMaxAgeMs ?? DEFAULT_CONNECTIONS_MAX_AGE_MS,
  };
  const workerPath = options.workerPath ?? path.join(__dirname, 'socketWorker.js');
  if (!options.inThread && existsSync(workerPath)) {
    return options.adaptive === false
      ? new WorkerService(workerPath, readerOptions)
      : new AdaptiveService(new WorkerService(workerPath, readerOptions), readerOptions);
  }
  return new InThreadService(new SocketReader(readerOptions));
}

abstract class BaseService implements SocketService {
  abstract readonly mode: SocketService['mode'];
  last: ListeningSnapshot | undefined;
  /** Asked after each snapshot to attribute published ports to containers. */
  containerSource: ContainerSource | undefined;
  private readonly attributed = new WeakMap<ListeningSocket, ListeningSocket>();
  private inFlight: Promise<ListeningSnapshot> | undefined;
  private inFlightRecounts = false;

  refresh(options: SnapshotOptions = {}): Promise<ListeningSnapshot> {
    const recount = options.recountConnections === true;
    if (this.inFlight) {
      // Bursts of refresh requests share the one already running, unless it will not have the
      // fresh counts this one asks for.
      if (!recount || this.inFlightRecounts) {
        return this.inFlight;
      }
      return this.inFlight.then(
        () => this.refresh(options),
        () => this.refresh(options),
      );
    }
    this.inFlightRecounts = recount;
    this.inFlight = this.take({ recountConnections: recount })
      .then((snapshot) => this.attribute(snapshot))
      .then(
        (snapshot) => {
          this.inFlight = undefined;
          this.last = snapshot;
          return snapshot;
        },
        (error: unknown) => {
          this.inFlight = undefined;
          throw error;
        },
      );
    return this.inFlight;
  }

  protected abstract take(options: SnapshotOptions): Promise<ListeningSnapshot>;

  private async attribute(snapshot: ListeningSnapshot): Promise<ListeningSnapshot> {
    if (!this.containerSource) {
      return snapshot;
    }
    try {
      return withContainers(snapshot, await this.containerSource.containers(), this.attributed);
    } catch {
      // The engine client reports its own failures; a snapshot without containers is still right.
      return snapshot;
    }
  }

  dispose(): void {}
}

class InThreadService extends BaseService {
  readonly mode = 'in-thread' as const;
  constructor(private readonly reader: SocketReader) {
    super();
  }
  protected take(options: SnapshotOptions): Promise<ListeningSnapshot> {
    return Promise.resolve().then(() => this.reader.snapshot(options));
  }
}

export interface PlacementLimits {
  /** Snapshots in the worker shorter than this, three times running, bring the reader into this thread... */
  inThreadBelowMs: number;
  /** ...unless the worker's first snapshot (every fd of every process) took longer than this... */
  inThreadColdLimitMs: number;
  /** ...and a snapshot in this thread longer than this sends it back to the worker. */
  workerAboveMs: number;
}

const defaultLimits: PlacementLimits = { inThreadBelowMs: 8, inThreadColdLimitMs: 60, workerAboveMs: 16 };

/**
 * Runs the reader where it costs least. It starts in the worker, since a first read of every
 * process's fds can take hundreds of milliseconds. On a machine where the worker's snapshots stay
 * short, posting to the worker and waking up again (0.5 to 4 ms on a busy 2-core machine) is a
 * large part of a refresh, so the reader moves into this thread; a long snapshot here moves it
 * back. Both readers keep their caches across moves.
 */
export class AdaptiveService extends BaseService {
  private placement: 'worker' | 'in-thread' = 'worker';
  private fastInWorker = 0;
  private coldMs: number | undefined;
  private reader: SocketReader | undefined;
  private inThreadSnapshots = 0;

  constructor(
    private readonly worker: SocketService,
    private readonly readerOptions: SocketReaderOptions,
    private readonly limits: PlacementLimits = defaultLimits,
  ) {
    super();
  }

  get mode(): 'worker' | 'in-thread' {
    return this.placement;
  }

  protected async take(options: SnapshotOptions): Promise<ListeningSnapshot> {
    if (this.placement === 'worker') {
      const snapshot = await this.worker.refresh(options);
      this.coldMs ??= snapshot.durationMs;
      this.fastInWorker = snapshot.durationMs < this.limits.inThreadBelowMs ? this.fastInWorker + 1 : 0;
      if (
        this.fastInWorker >= 3 &&
        (this.reader !== undefined || this.coldMs < this.limits.inThreadColdLimitMs)
      ) {
        this.placement = 'in-thread';
        this.fastInWorker = 0;
        this.inThreadSnapshots = 0;
      }
      return snapshot;
    }
    this.reader ??= new SocketReader(this.readerOptions);
    const snapshot = this.reader.snapshot(options);
    // A new reader's first snapshot reads every fd; it says nothing about the ones after it.
    if (++this.inThreadSnapshots > 1 && snapshot.durationMs > this.limits.workerAboveMs) {
      this.placement = 'worker';
    }
    return snapshot;
  }

  override dispose(): void {
    this.worker.dispose();
  }
}

class SpawningService extends BaseService {
  readonly mode = 'spawn' as const;
  protected take(): Promise<ListeningSnapshot> {
    return listListeningSockets();
  }
}

class WorkerService extends BaseService {
  readonly mode = 'worker' as const;
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (s: ListeningSnapshot) => void; reject: (e: Error) => void }
  >();
  private disposed = false;
  private decoder = new DeltaDecoder();

  constructor(
    private readonly workerPath: string,
    private readonly readerOptions: SocketReaderOptions,
  ) {
    super();
  }

  protected take(options: SnapshotOptions): Promise<ListeningSnapshot> {
    if (this.disposed) {
      return Promise.reject(new Error('socket service disposed'));
    }
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      const request: SnapshotRequest = { id, recountConnections: options.recountConnections === true };
      worker.postMessage(request);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) {
      return this.worker;
    }
    const worker = new Worker(this.workerPath, { workerData: this.readerOptions });
    // A new worker starts its deltas from nothing.
    this.decoder = new DeltaDecoder();
    // An idle worker must not keep the CLI or a test run alive.
    worker.unref();
    worker.on('message', (reply: SnapshotReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) {
        return;
      }
      this.pending.delete(reply.id);
      if (this.pending.size === 0) {
        worker.unref();
      }
      if ('delta' in reply) {
        waiter.resolve(this.decoder.decode(reply.delta));
      } else {
        waiter.reject(new Error(reply.error));
      }
    });
    const fail = (error: Error) => {
      this.worker = undefined;
      for (const waiter of this.pending.values()) {
        waiter.reject(error);
      }
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`socket worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  override dispose(): void {
    this.disposed = true;
    const worker = this.worker;
    this.worker = undefined;
    if (worker) {
      void worker.terminate();
    }
  }
}
