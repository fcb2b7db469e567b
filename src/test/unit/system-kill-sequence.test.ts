// The kill sequence (find the owner, confirm, SIGTERM, wait, offer SIGKILL) over a fake process
// table and fake signals: no process is started and no signal is sent.
import * as assert from 'node:assert/strict';
import {
  isKillable,
  killCandidate,
  stopPortOwner,
  type KillPrompts,
  type KillSequenceDeps,
  type KillTarget,
} from '../../system/killSequence';
import type { KillResult, ListeningSocket, SocketProtocol } from '../../system/types';
import { sock } from './live-fakes';

const SELF = 77;

/** A process table: pids alive, which die on which signal, and a clock the waits advance. */
function fakeMachine(
  holders: ListeningSocket[],
  options: { diesOn?: 'SIGTERM' | 'SIGKILL' | 'never'; result?: (signal: string) => KillResult } = {},
) {
  const alive = new Set(holders.flatMap((h) => (h.pid === undefined ? [] : [h.pid])));
  const signals: Array<{ pid: number; port: number; protocol: SocketProtocol; signal: string }> = [];
  let clock = 0;
  let refreshes = 0;
  const deps: KillSequenceDeps = {
    readHolders: (port, protocol) =>
      Promise.resolve(holders.filter((h) => h.port === port && h.protocol === protocol)),
    afterSignal: () => {
      refreshes++;
      return Promise.resolve();
    },
    signal: (pid, port, protocol, signal) => {
      signals.push({ pid, port, protocol, signal });
      const given = options.result?.(signal);
      if (given) {
        return Promise.resolve(given);
      }
      const diesOn = options.diesOn ?? 'SIGTERM';
      if (diesOn === signal) {
        alive.delete(pid);
      }
      return Promise.resolve({ kind: 'signalled', pid, signal } as KillResult);
    },
    isAlive: (pid) => alive.has(pid),
    sleep: (ms) => {
      clock += ms;
      return Promise.resolve();
    },
    now: () => clock,
    selfPid: SELF,
  };
  return {
    deps,
    signals,
    alive,
    get refreshes() {
      return refreshes;
    },
    get clock() {
      return clock;
    },
  };
}

function answering(
  confirm: boolean,
  force: boolean,
): KillPrompts & { asked: string[]; targets: KillTarget[] } {
  const asked: string[] = [];
  const targets: KillTarget[] = [];
  return {
    asked,
    targets,
    confirm(target) {
      asked.push('confirm');
      targets.push(target);
      return Promise.resolve(confirm);
    },
    confirmForce(target) {
      asked.push('force');
      targets.push(target);
      return Promise.resolve(force);
    },
  };
}

describe('system: the kill sequence', () => {
  it('asks about the process found in the table, sends SIGTERM, and reports it stopped', async () => {
    const m = fakeMachine([sock(3000, { pid: 4242, process: 'vite' })]);
    const prompts = answering(true, true);
    const outcome = await stopPortOwner({ port: 3000 }, prompts, m.deps);
    assert.deepEqual(outcome, { kind: 'stopped', pid: 4242, signal: 'SIGTERM' });
    assert.deepEqual(prompts.asked, ['confirm']);
    assert.deepEqual(prompts.targets[0], {
      port: 3000,
      protocol: 'tcp',
      pid: 4242,
      process: 'vite',
      address: '127.0.0.1',
    });
    assert.deepEqual(m.signals, [{ pid: 4242, port: 3000, protocol: 'tcp', signal: 'SIGTERM' }]);
    assert.equal(m.refreshes, 1);
  });

  it('sends nothing when the confirmation is declined', async () => {
    const m = fakeMachine([sock(3000, { pid: 4242 })]);
    const outcome = await stopPortOwner({ port: 3000 }, answering(false, true), m.deps);
    assert.deepEqual(outcome, { kind: 'cancelled' });
    assert.deepEqual(m.signals, []);
    assert.equal(m.refreshes, 0);
  });

  it('offers SIGKILL after the grace period when SIGTERM did not end it', async () => {
    const m = fakeMachine([sock(5000, { pid: 500 })], { diesOn: 'SIGKILL' });
    const prompts = answering(true, true);
    const outcome = await stopPortOwner({ port: 5000 }, prompts, { ...m.deps, graceMs: 2000 });
    assert.deepEqual(outcome, { kind: 'stopped', pid: 500, signal: 'SIGKILL' });
    assert.deepEqual(prompts.asked, ['confirm', 'force']);
    assert.deepEqual(
      m.signals.map((s) => s.signal),
      ['SIGTERM', 'SIGKILL'],
    );
    // It waited the whole grace period once (SIGTERM), and not at all after SIGKILL.
    assert.equal(m.clock, 2000);
  });

  it('leaves a survivor running when SIGKILL is declined, and says so', async () => {
    const m = fakeMachine([sock(5000, { pid: 500 })], { diesOn: 'never' });
    const outcome = await stopPortOwner({ port: 5000 }, answering(true, false), m.deps);
    assert.deepEqual(outcome, { kind: 'still-running', pid: 500 });
    assert.deepEqual(
      m.signals.map((s) => s.signal),
      ['SIGTERM'],
    );
    assert.ok(m.alive.has(500));
  });

  it('reports still-running when even SIGKILL did not end it within the grace period', async () => {
    const m = fakeMachine([sock(5000, { pid: 500 })], { diesOn: 'never' });
    const outcome = await stopPortOwner({ port: 5000 }, answering(true, true), m.deps);
    assert.deepEqual(outcome, { kind: 'still-running', pid: 500 });
    assert.equal(m.clock, 4000);
  });

  it('counts an exit between the two signals as stopped by SIGTERM', async () => {
    const m = fakeMachine([sock(5000, { pid: 500 })], {
      diesOn: 'never',
      result: (signal) =>
        signal === 'SIGKILL'
          ? { kind: 'refused', reason: 'not-owner', message: 'gone' }
          : { kind: 'signalled', pid: 500, signal: 'SIGTERM' },
    });
    const prompts: KillPrompts = {
      confirm: () => Promise.resolve(true),
      confirmForce: () => {
        m.alive.delete(500);
        return Promise.resolve(true);
      },
    };
    const outcome = await stopPortOwner({ port: 5000 }, prompts, m.deps);
    assert.deepEqual(outcome, { kind: 'stopped', pid: 500, signal: 'SIGTERM' });
  });

  it('passes the system layer’s refusal through (a container proxy, a permission error)', async () => {
    const docker: KillResult = { kind: 'docker', pid: 600, process: 'docker-proxy', message: 'docker' };
    const m = fakeMachine([sock(8080, { pid: 600 })], { result: () => docker });
    assert.deepEqual(await stopPortOwner({ port: 8080 }, answering(true, true), m.deps), docker);
    assert.equal(m.refreshes, 1);
    const eperm: KillResult = { kind: 'error', code: 'EPERM', message: 'denied' };
    const n = fakeMachine([sock(8080, { pid: 600 })], { result: () => eperm });
    assert.deepEqual(await stopPortOwner({ port: 8080 }, answering(true, true), n.deps), eperm);
  });

  it('says nothing holds a free port, and that a hidden owner is not visible, without asking', async () => {
    const prompts = answering(true, true);
    const free = fakeMachine([]);
    assert.deepEqual(await stopPortOwner({ port: 3000 }, prompts, free.deps), {
      kind: 'no-owner',
      message: 'Nothing holds port 3000 now.',
    });
    const hidden = fakeMachine([sock(3000, { hidden: true })]);
    const outcome = await stopPortOwner({ port: 3000 }, prompts, hidden.deps);
    assert.equal(outcome.kind, 'no-owner');
    assert.match((outcome as { message: string }).message, /not visible to you/);
    assert.deepEqual(prompts.asked, []);
  });

  it('refuses the extension host itself, without asking', async () => {
    const m = fakeMachine([sock(3000, { pid: SELF })]);
    const prompts = answering(true, true);
    const outcome = await stopPortOwner({ port: 3000 }, prompts, m.deps);
    assert.equal(outcome.kind, 'refused');
    assert.equal((outcome as { reason: string }).reason, 'self');
    assert.deepEqual(prompts.asked, []);
    assert.deepEqual(m.signals, []);
  });

  it('looks up UDP holders on UDP and translates its messages with the given t', async () => {
    const m = fakeMachine([sock(5353, { pid: 900, protocol: 'udp' })]);
    const outcome = await stopPortOwner({ port: 5353, protocol: 'udp' }, answering(true, true), m.deps);
    assert.deepEqual(outcome, { kind: 'stopped', pid: 900, signal: 'SIGTERM' });
    assert.equal(m.signals[0]?.protocol, 'udp');
    const t = (message: string) => `pt:${message}`;
    const none = await stopPortOwner({ port: 5353 }, answering(true, true), { ...fakeMachine([]).deps, t });
    assert.deepEqual(none, { kind: 'no-owner', message: 'pt:Nothing holds port {0} now.' });
  });
});

describe('system: which holder a kill acts on', () => {
  it('prefers a killable holder at the asked address, then any killable one', () => {
    const docker = sock(8080, { pid: 10, proxy: 'docker', address: '0.0.0.0' });
    const app = sock(8080, { pid: 20, address: '::1' });
    const other = sock(8080, { pid: 30, address: '127.0.0.1' });
    assert.equal(killCandidate([docker, app, other], '127.0.0.1')?.pid, 30);
    assert.equal(killCandidate([docker, app, other], undefined)?.pid, 20);
    // At an address only the proxy holds, it is still the answer (the system layer then says "docker").
    assert.equal(killCandidate([docker, app], '0.0.0.0')?.pid, 10);
    assert.equal(killCandidate([], '0.0.0.0'), undefined);
  });

  it('never offers the extension host, a proxy, a hidden owner or pid 1', () => {
    assert.equal(isKillable(sock(3000, { pid: 4242 }), SELF), true);
    assert.equal(isKillable(sock(3000, { pid: SELF }), SELF), false);
    assert.equal(isKillable(sock(3000, { pid: 4242, proxy: 'docker' })), false);
    assert.equal(isKillable(sock(3000, { hidden: true })), false);
    assert.equal(isKillable(sock(3000, { pid: 1 })), false);
  });
});
