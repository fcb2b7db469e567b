// Linux listening sockets straight from procfs, with no child process.
//
// The expensive part is mapping socket inodes to pids: it means reading every fd link of every
// process. The reader keeps that map between snapshots and only re-reads what changed:
// - a process whose fd count is unchanged (stat of /proc/PID/fd reports the count on
//   Linux >= 6.2; older kernels count the directory entries) keeps its cached fds;
// - a process whose count changed re-reads only the links of fd numbers it did not have before;
// - a listening inode that nobody in the cache holds triggers one full rescan, and inodes still
//   unowned after a full rescan (another user, another pid namespace, hidepid) are remembered
//   so they do not trigger it again.
// Sync fs calls on purpose: on procfs they are several times faster than fs.promises, and the
// async client runs this class in a worker thread.

import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { containerProxyKind } from './dockerProxy';
import { userNameForUid } from './passwd';
import {
  decodeProcAddress,
  isUnconnected,
  isWildcardAddress,
  parseProcNetTable,
  ProcNetEntry,
  TcpState,
  unmapIpv4,
} from './procNet';
import type {
  AddressFamily,
  ConnectionCounts,
  ListeningSnapshot,
  ListeningSocket,
  SocketOwner,
  SocketProtocol,
  SocketReaderOptions,
} from './types';

interface ProcessState {
  fdCount: number;
  /** fd number -> socket inode, or 0 for an fd that is not a socket. */
  fds: Map<string, number>;
  name?: string;
  command?: string;
}

const tables: { file: string; protocol: SocketProtocol; family: AddressFamily }[] = [
  { file: 'tcp', protocol: 'tcp', family: 'ipv4' },
  { file: 'tcp6', protocol: 'tcp', family: 'ipv6' },
  { file: 'udp', protocol: 'udp', family: 'ipv4' },
  { file: 'udp6', protocol: 'udp', family: 'ipv6' },
];

export class SocketReader {
  private readonly procRoot: string;
  private readonly passwdPath: string;
  private readonly includeUdp: boolean;
  private readonly processes = new Map<number, ProcessState>();
  /** inode -> pids holding it, rebuilt from `processes` when they change. */
  private holders = new Map<number, number[]>();
  private holdersStale = true;
  /** Inodes a full rescan could not attribute; they stay "owner not visible". */
  private readonly unowned = new Set<number>();
  private fdSizeIsCount: boolean | undefined;

  constructor(options: SocketReaderOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.passwdPath = options.passwdPath ?? '/etc/passwd';
    this.includeUdp = options.udp ?? true;
  }

  snapshot(): ListeningSnapshot {
    const started = performance.now();
    const warnings: string[] = [];
    const listening: ProcNetEntry[] = [];
    const connections: ProcNetEntry[] = [];
    for (const table of tables) {
      if (table.protocol === 'udp' && !this.includeUdp) {
        continue;
      }
      let text: string;
      try {
        text = readFileSync(`${this.procRoot}/net/${table.file}`, 'latin1');
      } catch (error) {
        // No IPv6 in the kernel is normal; anything else is worth saying.
        if (errorCode(error) !== 'ENOENT') {
          warnings.push(`cannot read ${this.procRoot}/net/${table.file}: ${errorMessage(error)}`);
        }
        continue;
      }
      for (const entry of parseProcNetTable(text, table.protocol, table.family)) {
        if (table.protocol === 'tcp') {
          if (entry.state === TcpState.listen) {
            listening.push(entry);
          } else if (
            entry.state === TcpState.established ||
            entry.state === TcpState.timeWait ||
            entry.state === TcpState.closeWait
          ) {
            connections.push(entry);
          }
        } else if (entry.state === TcpState.close && isUnconnected(entry)) {
          listening.push(entry);
        }
      }
    }

    this.resolveOwners(listening);

    const sockets = listening.map((entry) => this.toSocket(entry));
    countConnections(sockets, connections);
    sockets.sort(compareSockets);
    return {
      sockets,
      takenAt: Date.now(),
      durationMs: performance.now() - started,
      source: 'proc',
      warnings,
    };
  }

  /** Forgets every cached fd, so the next snapshot rescans all processes. */
  reset(): void {
    this.processes.clear();
    this.holders.clear();
    this.unowned.clear();
    this.holdersStale = true;
  }

  private resolveOwners(listening: ProcNetEntry[]): void {
    const live = this.listPids();
    for (const pid of this.processes.keys()) {
      if (!live.has(pid)) {
        this.processes.delete(pid);
        this.holdersStale = true;
      }
    }
    for (const pid of live) {
      const count = this.fdCount(pid);
      const known = this.processes.get(pid);
      if (count === undefined) {
        if (known) {
          this.processes.delete(pid);
          this.holdersStale = true;
        }
        continue;
      }
      if (known && known.fdCount === count) {
        continue;
      }
      this.scanProcess(pid, count, known, false);
    }

    let holders = this.currentHolders();
    const inTable = new Set<number>();
    let missing = false;
    for (const entry of listening) {
      inTable.add(entry.inode);
      if (!holders.has(entry.inode) && !this.unowned.has(entry.inode)) {
        missing = true;
      }
    }
    for (const inode of this.unowned) {
      if (!inTable.has(inode)) {
        this.unowned.delete(inode);
      }
    }
    if (!missing) {
      return;
    }
    // An fd number was reused or a socket was passed between processes: read everything again.
    for (const pid of live) {
      const known = this.processes.get(pid);
      if (known) {
        this.scanProcess(pid, known.fdCount, known, true);
      }
    }
    holders = this.currentHolders();
    for (const entry of listening) {
      if (!holders.has(entry.inode)) {
        this.unowned.add(entry.inode);
      }
    }
  }

  private listPids(): Set<number> {
    const pids = new Set<number>();
    let names: string[];
    try {
      names = readdirSync(this.procRoot);
    } catch {
      return pids;
    }
    for (const name of names) {
      const code = name.charCodeAt(0);
      if (code >= 48 && code <= 57 && /^\d+$/.test(name)) {
        pids.add(Number(name));
      }
    }
    return pids;
  }

  /** Number of open fds, or undefined when the process cannot be inspected or has gone. */
  private fdCount(pid: number): number | undefined {
    const dir = `${this.procRoot}/${pid}/fd`;
    if (this.fdSizeIsCount === undefined) {
      this.fdSizeIsCount = this.procRoot === '/proc' && statSizeCountsFds();
    }
    try {
      if (this.fdSizeIsCount) {
        return statSync(dir).size;
      }
      return readdirSync(dir).length;
    } catch {
      return undefined;
    }
  }

  /**
   * Reads the fd links of one process. Without `full`, links of fd numbers already cached are
   * trusted and only new fd numbers are read.
   */
  private scanProcess(pid: number, count: number, known: ProcessState | undefined, full: boolean): void {
    const dir = `${this.procRoot}/${pid}/fd`;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      if (known) {
        this.processes.delete(pid);
        this.holdersStale = true;
      }
      return;
    }
    const previous = full ? undefined : known?.fds;
    const fds = new Map<string, number>();
    for (const name of names) {
      const cached = previous?.get(name);
      if (cached !== undefined) {
        fds.set(name, cached);
        continue;
      }
      let target: string;
      try {
        target = readlinkSync(`${dir}/${name}`);
      } catch {
        continue; // closed since readdir, or not permitted
      }
      fds.set(name, socketInode(target));
    }
    // Name and command can change on exec, which also changes the fd count: re-read them then.
    this.processes.set(pid, { fdCount: count, fds });
    this.holdersStale = true;
  }

  private currentHolders(): Map<number, number[]> {
    if (!this.holdersStale) {
      return this.holders;
    }
    const holders = new Map<number, number[]>();
    for (const [pid, state] of this.processes) {
      for (const inode of state.fds.values()) {
        if (inode === 0) {
          continue;
        }
        const pids = holders.get(inode);
        if (!pids) {
          holders.set(inode, [pid]);
        } else if (!pids.includes(pid)) {
          pids.push(pid);
        }
      }
    }
    for (const pids of holders.values()) {
      if (pids.length > 1) {
        pids.sort((a, b) => a - b);
      }
    }
    this.holders = holders;
    this.holdersStale = false;
    return holders;
  }

  private owner(pid: number): SocketOwner {
    const state = this.processes.get(pid);
    if (state && state.name !== undefined) {
      return { pid, process: state.name, command: state.command ?? '' };
    }
    const name = readText(`${this.procRoot}/${pid}/comm`).trimEnd();
    const command = readText(`${this.procRoot}/${pid}/cmdline`).replace(/\0+$/, '').split('\0').join(' ');
    if (state) {
      state.name = name;
      state.command = command;
    }
    return { pid, process: name, command };
  }

  private toSocket(entry: ProcNetEntry): ListeningSocket {
    const pids = this.holders.get(entry.inode) ?? [];
    const owners = pids.map((pid) => this.owner(pid));
    const first = owners[0];
    const socket: ListeningSocket = {
      protocol: entry.protocol,
      family: entry.family,
      address: decodeProcAddress(entry.localHex) ?? entry.localHex,
      port: entry.port,
      ownerVisible: owners.length > 0,
      owners,
      uid: entry.uid,
      inode: entry.inode,
      connections: { established: 0, timeWait: 0, closeWait: 0 },
    };
    const user = userNameForUid(entry.uid, this.passwdPath);
    if (user !== undefined) {
      socket.user = user;
    }
    if (first) {
      socket.pid = first.pid;
      socket.process = first.process;
      socket.command = first.command;
      const proxy = owners.map((o) => containerProxyKind(o.process)).find((k) => k !== undefined);
      if (proxy) {
        socket.proxy = proxy;
      }
    }
    return socket;
  }
}

/** Inode of a `socket:[12345]` link target, 0 for anything else. */
export function socketInode(linkTarget: string): number {
  if (!linkTarget.startsWith('socket:[')) {
    return 0;
  }
  const inode = Number(linkTarget.slice(8, -1));
  return Number.isSafeInteger(inode) && inode > 0 ? inode : 0;
}

/**
 * Adds each TCP connection to the listener that accepted it: same local port, and the same
 * local address or a wildcard of a family that covers it (`::` also takes IPv4-mapped peers).
 */
export function countConnections(sockets: ListeningSocket[], connections: ProcNetEntry[]): void {
  const byPort = new Map<number, ListeningSocket[]>();
  for (const socket of sockets) {
    if (socket.protocol !== 'tcp') {
      continue;
    }
    const list = byPort.get(socket.port);
    if (list) {
      list.push(socket);
    } else {
      byPort.set(socket.port, [socket]);
    }
  }
  for (const connection of connections) {
    const listeners = byPort.get(connection.port);
    if (!listeners) {
      continue;
    }
    const address = unmapIpv4(decodeProcAddress(connection.localHex) ?? '');
    const isV4 = address.includes('.');
    const listener =
      listeners.find((l) => unmapIpv4(l.address) === address) ??
      listeners.find((l) => l.address === (isV4 ? '0.0.0.0' : '::')) ??
      listeners.find((l) => isWildcardAddress(l.address) && l.address === '::');
    if (!listener) {
      continue;
    }
    bump(listener.connections, connection.state);
  }
}

function bump(counts: ConnectionCounts, state: number): void {
  if (state === TcpState.established) {
    counts.established++;
  } else if (state === TcpState.timeWait) {
    counts.timeWait++;
  } else if (state === TcpState.closeWait) {
    counts.closeWait++;
  }
}

export function compareSockets(a: ListeningSocket, b: ListeningSocket): number {
  return (
    a.port - b.port ||
    a.protocol.localeCompare(b.protocol) ||
    a.family.localeCompare(b.family) ||
    a.address.localeCompare(b.address) ||
    (a.pid ?? 0) - (b.pid ?? 0)
  );
}

function statSizeCountsFds(): boolean {
  try {
    return statSync('/proc/self/fd').size > 0;
  } catch {
    return false;
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
