// Stopping what holds a port, as a person would: find the owner in a fresh socket table, ask,
// SIGTERM, give it a moment, and offer SIGKILL only if it survived. The questions are callbacks, so
// the extension asks with modal dialogs, and the tests answer with plain functions.
import { formatPlain, type Translate } from '../model/translate';
import { isProcessAlive, killPortOwner } from './kill';
import type { KillResult, ListeningSocket, SocketProtocol } from './types';

/** How long a process gets to exit after a signal before it counts as still running. */
export const SIGTERM_GRACE_MS = 2000;
/** How often the grace period looks whether the process is gone. */
const EXIT_POLL_MS = 100;

/** What to stop: only where to look. The pid is always read again from the socket table. */
export interface KillRequest {
  port: number;
  protocol?: SocketProtocol;
  address?: string;
}

/** The process a kill acts on, as read from the socket table just before asking. */
export interface KillTarget {
  port: number;
  protocol: SocketProtocol;
  pid: number;
  process?: string;
  address: string;
}

export interface KillPrompts {
  /** Asked before anything is signalled, with the owner found in the socket table. */
  confirm(target: KillTarget): PromiseLike<boolean>;
  /** Asked when the process survived SIGTERM. */
  confirmForce(target: KillTarget): PromiseLike<boolean>;
}

export type KillOutcome =
  | { kind: 'cancelled' }
  | { kind: 'no-owner'; message: string }
  | { kind: 'stopped'; pid: number; signal: 'SIGTERM' | 'SIGKILL' }
  | { kind: 'still-running'; pid: number }
  | Exclude<KillResult, { kind: 'signalled' }>;

/** This machine, as the sequence needs it; every member but `readHolders` has a real default. */
export interface KillSequenceDeps {
  /** The sockets on the port from a fresh read of the socket table. */
  readHolders: (port: number, protocol: SocketProtocol) => Promise<readonly ListeningSocket[]>;
  /** Called once a signal was tried, so views read the table again. */
  afterSignal?: () => Promise<void>;
  signal?: (
    pid: number,
    port: number,
    protocol: SocketProtocol,
    signal: 'SIGTERM' | 'SIGKILL',
  ) => Promise<KillResult>;
  isAlive?: (pid: number) => boolean;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** The process that must never be stopped (the extension host). */
  selfPid?: number;
  graceMs?: number;
  t?: Translate;
}

/** A process may be offered for killing: visible, not a container proxy, not this extension host. */
export function isKillable(socket: ListeningSocket, selfPid?: number): boolean {
  return (
    socket.ownerVisible &&
    socket.pid !== undefined &&
    socket.pid > 1 &&
    socket.proxy === undefined &&
    socket.pid !== selfPid
  );
}

/** The holder a kill acts on: the one at the target's address when there is one, a killable one first. */
export function killCandidate(
  holders: readonly ListeningSocket[],
  address: string | undefined,
  selfPid?: number,
): ListeningSocket | undefined {
  const here = address === undefined ? [] : holders.filter((h) => h.address === address);
  for (const pool of [here, holders]) {
    const owner = pool.find((h) => isKillable(h, selfPid)) ?? pool.find((h) => h.pid !== undefined);
    if (owner) {
      return owner;
    }
  }
  return holders[0];
}

const sleepReal = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Confirm, SIGTERM through the system layer's guards (it re-checks ownership right before
 * signalling), wait, offer SIGKILL if the process survived.
 */
export async function stopPortOwner(
  request: KillRequest,
  prompts: KillPrompts,
  deps: KillSequenceDeps,
): Promise<KillOutcome> {
  const t = deps.t ?? formatPlain;
  const signal =
    deps.signal ?? ((pid, port, protocol, sig) => killPortOwner(pid, port, protocol, { signal: sig }));
  const isAlive = deps.isAlive ?? isProcessAlive;
  const sleep = deps.sleep ?? sleepReal;
  const now = deps.now ?? Date.now;
  const selfPid = deps.selfPid ?? process.pid;
  const graceMs = deps.graceMs ?? SIGTERM_GRACE_MS;
  const afterSignal = deps.afterSignal ?? (() => Promise.resolve());

  const exitsWithin = async (pid: number): Promise<boolean> => {
    const deadline = now() + graceMs;
    while (now() < deadline) {
      if (!isAlive(pid)) {
        return true;
      }
      await sleep(EXIT_POLL_MS);
    }
    return !isAlive(pid);
  };

  const protocol: SocketProtocol = request.protocol ?? 'tcp';
  // Whoever holds the port now: never the pid or name an argument claims, and the confirmation
  // names exactly this process.
  const holders = await deps.readHolders(request.port, protocol);
  const owner = killCandidate(holders, request.address, selfPid);
  if (!owner || owner.pid === undefined || !owner.ownerVisible) {
    return {
      kind: 'no-owner',
      message:
        holders.length > 0
          ? t(
              'Port {0} is in use, but its owner is not visible to you (another user or container).',
              request.port,
            )
          : t('Nothing holds port {0} now.', request.port),
    };
  }
  const pid = owner.pid;
  if (pid === selfPid) {
    return {
      kind: 'refused',
      reason: 'self',
      message: t(
        'Port {0} is held by this editor’s extension host, which Portolan does not stop.',
        request.port,
      ),
    };
  }
  const target: KillTarget = { port: request.port, protocol, pid, address: owner.address };
  if (owner.process !== undefined) {
    target.process = owner.process;
  }
  if (!(await prompts.confirm(target))) {
    return { kind: 'cancelled' };
  }
  const first = await signal(pid, request.port, protocol, 'SIGTERM');
  if (first.kind !== 'signalled') {
    await afterSignal();
    return first;
  }
  if (await exitsWithin(pid)) {
    await afterSignal();
    return { kind: 'stopped', pid, signal: 'SIGTERM' };
  }
  if (!(await prompts.confirmForce(target))) {
    await afterSignal();
    return { kind: 'still-running', pid };
  }
  const forced = await signal(pid, request.port, protocol, 'SIGKILL');
  if (forced.kind !== 'signalled') {
    await afterSignal();
    // It may have exited on its own between the two signals.
    return forced.kind === 'refused' && forced.reason === 'not-owner' && !isAlive(pid)
      ? { kind: 'stopped', pid, signal: 'SIGTERM' }
      : forced;
  }
  const gone = await exitsWithin(pid);
  await afterSignal();
  return gone ? { kind: 'stopped', pid, signal: 'SIGKILL' } : { kind: 'still-running', pid };
}
