// One shared view of this machine's listening sockets: the last snapshot, refreshes that coalesce,
// and a poll that runs only while someone asked for it (the visible Ports view), so nothing runs
// while the user is not looking. The clock is injectable, so the schedule is tested without waiting.
import { Emitter } from '../model/emitter';
import { logFailure } from '../model/log';
import type {
  ListeningSnapshot,
  ListeningSocket,
  SnapshotOptions,
  SocketProtocol,
  SocketService,
} from './types';

/** Timers and time, as the poller needs them; the real ones by default. */
export interface PollClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: PollClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The shortest poll interval accepted. */
export const MIN_POLL_INTERVAL_MS = 250;

export interface SocketPollerOptions {
  /** Called on the first refresh only, so constructing a poller starts no worker. */
  createService: () => SocketService;
  intervalMs?: number;
  clock?: PollClock;
}

/** Sockets on a port; TCP unless asked otherwise, since that is what "port in use" means to most people. */
export function holdersOf(
  snapshot: ListeningSnapshot | undefined,
  port: number,
  protocol: SocketProtocol = 'tcp',
): ListeningSocket[] {
  if (!snapshot) {
    return [];
  }
  return (socketsByPort(snapshot).get(`${protocol}/${port}`) ?? []).slice();
}

/**
 * Each snapshot's sockets by protocol and port, built on the first question: the Ports view and
 * the live rules ask once per declared port, and scanning 10,000 sockets for each of thousands of
 * ports was quadratic. Snapshots are never changed after they are taken.
 */
const byPortCache = new WeakMap<ListeningSnapshot, Map<string, ListeningSocket[]>>();

function socketsByPort(snapshot: ListeningSnapshot): Map<string, ListeningSocket[]> {
  let byPort = byPortCache.get(snapshot);
  if (!byPort) {
    byPort = new Map();
    for (const s of snapshot.sockets) {
      const key = `${s.protocol}/${s.port}`;
      const list = byPort.get(key);
      if (list) {
        list.push(s);
      } else {
        byPort.set(key, [s]);
      }
    }
    byPortCache.set(snapshot, byPort);
  }
  return byPort;
}

/** A signature of the socket set: equal signatures mean nothing a view shows has changed. */
export function snapshotSignature(snapshot: ListeningSnapshot): string {
  return snapshot.sockets
    .map(
      (s) =>
        `${s.protocol} ${s.address} ${s.port} ${s.inode ?? ''} ${s.ownerVisible ? s.owners.map((o) => `${o.pid}/${o.process}`).join(',') : '?'}${s.container ? ` ${s.container.id} ${s.container.state} ${s.container.status}` : ''}`,
    )
    .sort()
    .join('\n');
}

export class SocketPoller {
  private readonly createService: () => SocketService;
  private readonly clock: PollClock;
  private service: SocketService | undefined;
  private current: ListeningSnapshot | undefined;
  private signature: string | undefined;
  private lastError: string | undefined;
  private inFlight: Promise<ListeningSnapshot | undefined> | undefined;
  private queued: Promise<ListeningSnapshot | undefined> | undefined;
  /** Whether the queued follow-up refresh must recount connections too. */
  private queuedRecount = false;
  private polling = false;
  private intervalMs: number;
  private timer: unknown;
  private disposed = false;
  private readonly changed = new Emitter<void>();
  private readonly refreshed = new Emitter<ListeningSnapshot>();
  /** The socket set (or the error state) really changed; not fired for identical refreshes. */
  readonly onDidChange = this.changed.event;
  /** Every completed refresh, changed or not. */
  readonly onDidRefresh = this.refreshed.event;

  constructor(options: SocketPollerOptions) {
    this.createService = options.createService;
    this.clock = options.clock ?? realClock;
    this.intervalMs = Math.max(MIN_POLL_INTERVAL_MS, options.intervalMs ?? 2000);
  }

  /** The last snapshot; undefined before the first refresh. */
  get snapshot(): ListeningSnapshot | undefined {
    return this.current;
  }

  /** The last refresh's failure, cleared by the next success. */
  get error(): string | undefined {
    return this.lastError;
  }

  get isPolling(): boolean {
    return this.polling;
  }

  /** Whether a poll is waiting on its timer (false whenever polling is off). */
  get nextPollScheduled(): boolean {
    return this.timer !== undefined;
  }

  /** Where the socket work runs (`worker`, `in-thread`, `spawn`), once it has run. */
  get mode(): SocketService['mode'] | undefined {
    return this.service?.mode;
  }

  /** Sockets on a port in the last snapshot (TCP unless asked otherwise). */
  holders(port: number, protocol: SocketProtocol = 'tcp'): ListeningSocket[] {
    return holdersOf(this.current, port, protocol);
  }

  /**
   * A snapshot taken after this call started. Calls during a running refresh share one follow-up
   * refresh instead of each starting their own.
   */
  refresh(options: SnapshotOptions = {}): Promise<ListeningSnapshot | undefined> {
    if (this.disposed) {
      return Promise.resolve(this.current);
    }
    if (!this.inFlight) {
      this.inFlight = this.take(options).finally(() => {
        this.inFlight = undefined;
      });
      return this.inFlight;
    }
    this.queuedRecount ||= options.recountConnections === true;
    this.queued ??= this.inFlight.then(() => {
      this.queued = undefined;
      const recountConnections = this.queuedRecount;
      this.queuedRecount = false;
      return this.refresh({ recountConnections });
    });
    return this.queued;
  }

  /** The last snapshot if it is at most `maxAgeMs` old, else a new one (hovers, diagnostics). */
  ensureFresh(maxAgeMs: number): Promise<ListeningSnapshot | undefined> {
    if (this.current && this.clock.now() - this.current.takenAt <= maxAgeMs) {
      return Promise.resolve(this.current);
    }
    if (this.inFlight) {
      return this.inFlight;
    }
    return this.refresh();
  }

  /** Polls every interval while on; the Ports view turns it on only while it is visible. */
  setPolling(on: boolean): void {
    if (on === this.polling || this.disposed) {
      return;
    }
    this.polling = on;
    if (on) {
      this.tick();
    } else {
      this.cancelTimer();
    }
  }

  setInterval(ms: number): void {
    this.intervalMs = Math.max(MIN_POLL_INTERVAL_MS, ms);
    if (this.polling) {
      this.schedule();
    }
  }

  private tick(): void {
    void this.refresh().finally(() => this.schedule());
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  /** The next poll starts an interval after the previous one ended, so slow refreshes never pile up. */
  private schedule(): void {
    this.cancelTimer();
    if (!this.polling || this.disposed) {
      return;
    }
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.tick();
    }, this.intervalMs);
  }

  private async take(options: SnapshotOptions): Promise<ListeningSnapshot | undefined> {
    this.service ??= this.createService();
    try {
      const snapshot = await this.service.refresh(options);
      if (this.disposed) {
        return snapshot;
      }
      const recovered = this.lastError !== undefined;
      this.lastError = undefined;
      this.current = snapshot;
      const signature = snapshotSignature(snapshot);
      const changed = signature !== this.signature || recovered;
      this.signature = signature;
      this.refreshed.fire(snapshot);
      if (changed) {
        this.changed.fire();
      }
      return snapshot;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logFailure('reading the listening sockets', error, { level: 'warn' });
      const changed = message !== this.lastError;
      this.lastError = message;
      if (changed && !this.disposed) {
        this.changed.fire();
      }
      return this.current;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.polling = false;
    this.cancelTimer();
    this.service?.dispose();
    this.changed.dispose();
    this.refreshed.dispose();
  }
}
