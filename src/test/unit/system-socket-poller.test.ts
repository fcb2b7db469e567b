// The socket poller's schedule and coalescing over a fake socket service and a fake clock: no
// socket table is read and no test waits on real time.
import * as assert from 'node:assert/strict';
import { SocketPoller, holdersOf, snapshotSignature, type PollClock } from '../../system/socketPoller';
import type { ListeningSnapshot, SnapshotOptions, SocketService } from '../../system/types';
import { snap, sock } from './live-fakes';

/** A socket service whose snapshots the test decides; counts how often it was asked. */
class FakeSocketService implements SocketService {
  readonly mode = 'in-thread' as const;
  last: ListeningSnapshot | undefined;
  calls: SnapshotOptions[] = [];
  ports: number[] = [];
  failWith: string | undefined;
  disposed = false;
  private gate: Promise<void> = Promise.resolve();
  private release: () => void = () => undefined;

  constructor(private readonly clock: FakeClock) {}

  /** Holds every refresh until `open()`; lets a test pile up concurrent calls. */
  hold(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }

  open(): void {
    this.release();
  }

  async refresh(options: SnapshotOptions = {}): Promise<ListeningSnapshot> {
    this.calls.push(options);
    await this.gate;
    if (this.failWith) {
      throw new Error(this.failWith);
    }
    this.last = { ...snap(this.ports.map((port) => sock(port, { pid: 4242 }))), takenAt: this.clock.now() };
    return this.last;
  }

  dispose(): void {
    this.disposed = true;
  }
}

/** Time that moves only when the test says so; timers run when their time comes. */
class FakeClock implements PollClock {
  time = 1_000_000;
  private nextId = 1;
  readonly timers = new Map<number, { at: number; run: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(run: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, run });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Moves time on by `ms`, running each timer that comes due, and lets its promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()]
        .filter(([, t]) => t.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) {
        break;
      }
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].run();
      await settle();
    }
    this.time = end;
  }
}

/** Lets pending promise callbacks run (the fake service answers on the microtask queue). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await Promise.resolve();
  }
}

describe('system: the socket poller', () => {
  let clock: FakeClock;
  let fake: FakeSocketService;
  let poller: SocketPoller;
  let changes: number;
  let refreshes: number;

  beforeEach(() => {
    clock = new FakeClock();
    fake = new FakeSocketService(clock);
    poller = new SocketPoller({ createService: () => fake, intervalMs: 2000, clock });
    changes = 0;
    refreshes = 0;
    poller.onDidChange(() => changes++);
    poller.onDidRefresh(() => refreshes++);
  });

  afterEach(() => poller.dispose());

  it('creates no service until the first refresh', async () => {
    let created = 0;
    const lazy = new SocketPoller({
      createService: () => {
        created++;
        return fake;
      },
      clock,
    });
    assert.equal(created, 0);
    assert.equal(lazy.mode, undefined);
    await lazy.refresh();
    assert.equal(created, 1);
    assert.equal(lazy.mode, 'in-thread');
    lazy.dispose();
    assert.equal(fake.disposed, true);
  });

  it('fires onDidChange only when the socket set changed, onDidRefresh on every refresh', async () => {
    fake.ports = [3000];
    await poller.refresh();
    await poller.refresh();
    assert.equal(fake.calls.length, 2);
    assert.equal(refreshes, 2);
    assert.equal(changes, 1, 'an identical snapshot must not fire');
    fake.ports = [3000, 3001];
    await poller.refresh();
    assert.equal(changes, 2);
    assert.deepEqual(
      poller.holders(3001).map((h) => h.pid),
      [4242],
    );
    assert.deepEqual(poller.holders(3001, 'udp'), []);
  });

  it('shares one follow-up refresh among calls made while one runs, each getting a later snapshot', async () => {
    fake.hold();
    const first = poller.refresh();
    fake.ports = [4000];
    const second = poller.refresh();
    const third = poller.refresh({ recountConnections: true });
    assert.equal(second, third, 'the calls made meanwhile share one promise');
    fake.open();
    await Promise.all([first, second, third]);
    assert.equal(fake.calls.length, 2);
    // The follow-up recounts connections because one of the calls it serves asked for that.
    assert.deepEqual(fake.calls[1], { recountConnections: true });
    assert.deepEqual(
      (await third)?.sockets.map((s) => s.port),
      [4000],
    );
  });

  it('serves ensureFresh from a young snapshot and refreshes an old one', async () => {
    await poller.refresh();
    clock.time += 1000;
    await poller.ensureFresh(1500);
    assert.equal(fake.calls.length, 1);
    clock.time += 1000;
    await poller.ensureFresh(1500);
    assert.equal(fake.calls.length, 2);
  });

  it('joins a running refresh in ensureFresh instead of starting another', async () => {
    fake.hold();
    const running = poller.refresh();
    const fresh = poller.ensureFresh(0);
    assert.equal(fresh, running);
    fake.open();
    await fresh;
    assert.equal(fake.calls.length, 1);
  });

  it('polls an interval after each refresh ended, only while polling is on', async () => {
    poller.setPolling(true);
    await settle();
    assert.equal(fake.calls.length, 1, 'turning polling on refreshes at once');
    assert.equal(poller.nextPollScheduled, true);
    await clock.advance(1999);
    assert.equal(fake.calls.length, 1);
    await clock.advance(1);
    assert.equal(fake.calls.length, 2);
    await clock.advance(4000);
    assert.equal(fake.calls.length, 4);
    poller.setPolling(false);
    assert.equal(poller.nextPollScheduled, false, 'a poll is still scheduled after polling stopped');
    await clock.advance(10_000);
    assert.equal(fake.calls.length, 4);
    // A refresh finishing after the stop must not schedule the next poll either.
    await poller.refresh();
    assert.equal(poller.nextPollScheduled, false);
    assert.equal(poller.isPolling, false);
  });

  it('never piles up polls behind a slow refresh', async () => {
    poller.setPolling(true);
    await settle();
    fake.hold();
    await clock.advance(2000);
    assert.equal(fake.calls.length, 2);
    // The refresh hangs for a long time: no timer runs meanwhile, so no second request starts.
    await clock.advance(60_000);
    assert.equal(fake.calls.length, 2);
    assert.equal(poller.nextPollScheduled, false);
    fake.open();
    await settle();
    assert.equal(poller.nextPollScheduled, true);
    await clock.advance(2000);
    assert.equal(fake.calls.length, 3);
  });

  it('applies a new interval to the next poll, and never polls faster than 250 ms', async () => {
    poller.setPolling(true);
    await settle();
    poller.setInterval(10);
    await clock.advance(249);
    assert.equal(fake.calls.length, 1);
    await clock.advance(1);
    assert.equal(fake.calls.length, 2);
    poller.setInterval(5000);
    await clock.advance(4999);
    assert.equal(fake.calls.length, 2);
    await clock.advance(1);
    assert.equal(fake.calls.length, 3);
  });

  it('reports a failing refresh once, keeps the last snapshot, and recovers', async () => {
    fake.ports = [5000];
    await poller.refresh();
    fake.failWith = 'EACCES reading /proc';
    await poller.refresh();
    await poller.refresh();
    assert.equal(poller.error, 'EACCES reading /proc');
    assert.equal(changes, 2, 'the error fires once, not on every failed poll');
    assert.equal(poller.holders(5000).length, 1, 'the last good snapshot stays');
    fake.failWith = undefined;
    await poller.refresh();
    assert.equal(poller.error, undefined);
    assert.equal(changes, 3);
  });

  it('stops polling, fires nothing and refreshes nothing once disposed', async () => {
    poller.setPolling(true);
    await settle();
    poller.dispose();
    assert.equal(poller.nextPollScheduled, false);
    await clock.advance(10_000);
    const before = fake.calls.length;
    assert.equal(await poller.refresh(), poller.snapshot);
    assert.equal(fake.calls.length, before);
    assert.equal(fake.disposed, true);
  });
});

describe('system: snapshot helpers', () => {
  it('changes the signature when the socket set changes, not when connection counts do', () => {
    const a = snapshotSignature(snap([sock(3000, { established: 1 })]));
    assert.equal(snapshotSignature(snap([sock(3000, { established: 50 })])), a);
    assert.notEqual(snapshotSignature(snap([sock(3000), sock(3001)])), a);
    assert.notEqual(
      snapshotSignature(snap([sock(3000, { pid: 1 })])),
      snapshotSignature(snap([sock(3000, { pid: 2 })])),
    );
  });

  it('finds holders by port and protocol, none without a snapshot', () => {
    const s = snap([sock(53, { protocol: 'udp' }), sock(53), sock(80)]);
    assert.deepEqual(
      holdersOf(s, 53).map((h) => h.protocol),
      ['tcp'],
    );
    assert.deepEqual(
      holdersOf(s, 53, 'udp').map((h) => h.protocol),
      ['udp'],
    );
    assert.deepEqual(holdersOf(undefined, 53), []);
  });
});
