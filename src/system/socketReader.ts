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

import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, statSync } from 'node:fs';
import { logFailure } from '../model/log';
import { containerProxyKind } from './dockerProxy';
import { bootId, processStartTime, readOwnerHints, writeOwnerHints, type ProcessHint } from './ownerHints';
import { userNameForUid } from './passwd';
import { decodeProcAddress, isUnconnected, parseProcNetTable, ProcNetEntry, TcpState } from './procNet';
import type {
  AddressFamily,
  ConnectionCounts,
  ListeningSnapshot,
  ListeningSocket,
  ProxyKind,
  SocketOwner,
  SocketProtocol,
  SnapshotOptions,
  SocketReaderOptions,
} from './types';

interface OwnerFacts {
  owner: SocketOwner;
  proxy: ProxyKind | undefined;
}

/** Lookups shared by every socket of one snapshot. */
interface SnapshotCache {
  owners: Map<number, OwnerFacts>;
  users: Map<number, string | undefined>;
}

interface ProcessState {
  fdCount: number;
  /** fd number -> socket inode, or 0 for an fd that is not a socket. */
  fds: Map<string, number>;
  name?: string;
  command?: string;
  /** Working folder, null when it cannot be read (another user's process, exited). */
  cwd?: string | null;
  /** From /proc/PID/stat once known (the hint file keeps it). */
  startTime?: string;
  /** The hint file's line this state was taken from, while it still says exactly this. */
  hintLine?: string;
}

const tcpStates: ReadonlySet<number> = new Set([
  TcpState.listen,
  TcpState.established,
  TcpState.timeWait,
  TcpState.closeWait,
]);
const udpStates: ReadonlySet<number> = new Set([TcpState.close]);
const listenState: ReadonlySet<number> = new Set([TcpState.listen]);

/**
 * Whether the last whole row of a chunk is past the listening sockets. The kernel prints every
 * listener before any other row, so the last row is enough, and its state is the fourth column.
 */
function endsPastListeners(data: Buffer): boolean {
  const end = data.lastIndexOf(10);
  if (end <= 0) {
    return false;
  }
  const start = data.lastIndexOf(10, end - 1) + 1;
  let column = 0;
  let pos = start;
  while (pos < end) {
    while (pos < end && data[pos] === 32) {
      pos++;
    }
    const from = pos;
    while (pos < end && data[pos] !== 32) {
      pos++;
    }
    if (pos > from && ++column === 4) {
      const state = Number.parseInt(data.toString('latin1', from, pos), 16);
      // The header row ("st") does not parse and does not count.
      return Number.isInteger(state) && state !== TcpState.listen;
    }
  }
  return false;
}

/**
 * Reads a TCP table only as far as its listening sockets. The kernel prints the listening hash
 * before the established one and formats rows only as they are read, so stopping at the first
 * other row skips walking and printing every connection: the cost then follows the number of
 * listeners, not of connections.
 */
export function readListenerRows(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.allocUnsafe(1 << 16);
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n <= 0) {
        break;
      }
      const data = Buffer.from(chunk.subarray(0, n));
      chunks.push(data);
      total += n;
      if (endsPastListeners(data)) {
        break;
      }
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
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
  /** inode -> pids holding it (ascending), kept in step with `processes`. */
  private readonly holders = new Map<number, number[]>();
  /** Decoded local addresses by hex: a machine has few distinct ones. */
  private readonly addresses = new Map<string, string>();
  /** Inodes a full rescan could not attribute (they stay "owner not visible"), with the snapshot that last saw them. */
  private readonly unowned = new Map<number, number>();
  private generation = 0;
  private fdSizeIsCount: boolean | undefined;
  private readonly connectionsMaxAgeMs: number;
  /** Connection counts by listener inode from the last full table read, and when it was. */
  private lastCounts = new Map<number, ConnectionCounts>();
  private countsTakenAt = 0;
  private readonly ownerHintsPath: string | undefined;
  private hintsLoaded = false;
  /** Processes taken from the hint file whose listener fds the next snapshot checks. */
  private readonly hinted: number[] = [];
  /** What the hint file held, and which of its processes are still taken from it unchanged. */
  private hintFile: { unowned: Set<number> } | undefined;
  private readonly adopted = new Set<number>();
  private tableBuffer: Buffer | undefined;
  /** Processes whose every fd link was read during the current snapshot. */
  private readonly readInFull = new Set<number>();

  constructor(options: SocketReaderOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.passwdPath = options.passwdPath ?? '/etc/passwd';
    this.includeUdp = options.udp ?? true;
    this.connectionsMaxAgeMs = options.connectionsMaxAgeMs ?? 0;
    this.ownerHintsPath = options.ownerHintsPath;
  }

  /**
   * The listening sockets now. Connections are recounted when the last count is older than
   * `connectionsMaxAgeMs` or when `recountConnections` asks for it (a tooltip showing counts).
   */
  snapshot(options: SnapshotOptions = {}): ListeningSnapshot {
    const started = performance.now();
    const warnings: string[] = [];
    const listening: ProcNetEntry[] = [];
    const connections: ProcNetEntry[] = [];
    const now = Date.now();
    const count =
      options.recountConnections === true ||
      this.connectionsMaxAgeMs <= 0 ||
      now - this.countsTakenAt >= this.connectionsMaxAgeMs;
    for (const table of tables) {
      if (table.protocol === 'udp' && !this.includeUdp) {
        continue;
      }
      const file = `${this.procRoot}/net/${table.file}`;
      let bytes: Buffer;
      try {
        bytes = table.protocol === 'tcp' && !count ? readListenerRows(file) : this.readTable(file);
      } catch (error) {
        // No IPv6 in the kernel is normal; anything else is worth saying.
        if (errorCode(error) !== 'ENOENT') {
          warnings.push(`cannot read ${file}: ${errorMessage(error)}`);
        }
        continue;
      }
      const states = table.protocol === 'udp' ? udpStates : count ? tcpStates : listenState;
      for (const entry of parseProcNetTable(bytes, table.protocol, table.family, states)) {
        if (entry.state === TcpState.listen || (table.protocol === 'udp' && isUnconnected(entry))) {
          listening.push(entry);
        } else if (table.protocol === 'tcp') {
          connections.push(entry);
        }
      }
    }

    this.resolveOwners(listening);
    if (this.ownerHintsPath !== undefined) {
      this.saveOwnerHints(this.ownerHintsPath, listening);
    }

    const cache: SnapshotCache = { owners: new Map(), users: new Map() };
    const sockets = listening.map((entry) => this.toSocket(entry, cache));
    if (count) {
      countConnections(listening, sockets, connections);
      this.countsTakenAt = now;
      if (this.connectionsMaxAgeMs > 0) {
        this.lastCounts = new Map(sockets.map((socket) => [socket.inode ?? 0, socket.connections]));
      }
    } else {
      for (const socket of sockets) {
        const counts = this.lastCounts.get(socket.inode ?? 0);
        if (counts) {
          socket.connections = { ...counts };
        }
      }
    }
    sockets.sort(compareSockets);
    return {
      sockets,
      takenAt: now,
      durationMs: performance.now() - started,
      source: 'proc',
      warnings,
      connectionsTakenAt: this.countsTakenAt,
    };
  }

  /**
   * A whole /proc/net table into one buffer kept between tables and snapshots (procfs reports
   * no size, so a plain readFileSync gathers 64 KB pieces and copies them again). The bytes are
   * valid until the next call.
   */
  private readTable(path: string): Buffer {
    const fd = openSync(path, 'r');
    try {
      let buffer = this.tableBuffer ?? Buffer.allocUnsafe(1 << 20);
      let total = 0;
      for (;;) {
        if (total === buffer.length) {
          const bigger = Buffer.allocUnsafe(buffer.length * 2);
          buffer.copy(bigger, 0, 0, total);
          buffer = bigger;
        }
        const n = readSync(fd, buffer, total, buffer.length - total, null);
        if (n <= 0) {
          break;
        }
        total += n;
      }
      this.tableBuffer = buffer;
      return buffer.subarray(0, total);
    } finally {
      closeSync(fd);
    }
  }

  /** Forgets every cached fd, so the next snapshot rescans all processes. */
  reset(): void {
    this.processes.clear();
    this.holders.clear();
    this.unowned.clear();
  }

  private resolveOwners(listening: ProcNetEntry[]): void {
    this.readInFull.clear();
    const live = this.listPids();
    for (const pid of this.processes.keys()) {
      if (!live.has(pid)) {
        this.dropProcess(pid);
      }
    }
    if (this.ownerHintsPath !== undefined && !this.hintsLoaded) {
      this.hintsLoaded = true;
      this.adoptOwnerHints(this.ownerHintsPath, live);
    }
    for (const pid of live) {
      const count = this.fdCount(pid);
      const known = this.processes.get(pid);
      if (count === undefined) {
        this.dropProcess(pid);
        continue;
      }
      if (known && known.fdCount === count) {
        continue;
      }
      this.scanProcess(pid, count, known, false);
    }

    if (this.hinted.length > 0) {
      this.checkHintedListeners(listening);
    }

    const generation = ++this.generation;
    const missing = new Set<number>();
    for (const entry of listening) {
      if (this.holders.has(entry.inode)) {
        continue;
      }
      if (this.unowned.has(entry.inode)) {
        this.unowned.set(entry.inode, generation);
      } else {
        missing.add(entry.inode);
      }
    }
    for (const [inode, seen] of this.unowned) {
      if (seen !== generation) {
        this.unowned.delete(inode);
      }
    }
    if (missing.size === 0) {
      return;
    }
    // An fd number was reused (same count, same names) or a socket was passed between
    // processes: re-read every link, smallest processes first, and stop once all are found.
    // Processes read in full moments ago are not read again (a cold start would read twice).
    const order = [...live]
      .filter((pid) => this.processes.has(pid) && !this.readInFull.has(pid))
      .sort((a, b) => (this.processes.get(a)?.fdCount ?? 0) - (this.processes.get(b)?.fdCount ?? 0));
    for (const pid of order) {
      const known = this.processes.get(pid);
      if (known) {
        this.scanProcess(pid, known.fdCount, known, true);
      }
      for (const inode of missing) {
        if (this.holders.has(inode)) {
          missing.delete(inode);
        }
      }
      if (missing.size === 0) {
        return;
      }
    }
    for (const inode of missing) {
      this.unowned.set(inode, generation);
    }
  }

  private listPids(): Set<number> {
    const pids = new Set<number>();
    let names: string[];
    try {
      names = readdirSync(this.procRoot);
    } catch (error) {
      logFailure('listing processes', error, { file: this.procRoot, level: 'warn' });
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
      // The process exited or is not ours: normal on every poll, so not logged.
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
      // Exited or not ours (normal on every poll): forget it.
      this.dropProcess(pid);
      return;
    }
    const previous = full ? undefined : known?.fds;
    if (previous === undefined) {
      this.readInFull.add(pid);
    }
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
      } catch (error) {
        const code = errorCode(error);
        if (code === 'EACCES' || code === 'EPERM') {
          // Every other fd of this process would refuse too (another user, another user
          // namespace), and each refusal costs a thrown error.
          break;
        }
        continue; // closed since readdir
      }
      fds.set(name, socketInode(target));
    }
    this.dropProcess(pid);
    // No name or command cached: exec changes both, and it also changes the fd count.
    this.adoptProcess(pid, { fdCount: count, fds });
  }

  private adoptProcess(pid: number, state: ProcessState): void {
    this.processes.set(pid, state);
    for (const inode of state.fds.values()) {
      if (inode === 0) {
        continue;
      }
      const pids = this.holders.get(inode);
      if (!pids) {
        this.holders.set(inode, [pid]);
      } else if (!pids.includes(pid)) {
        pids.push(pid);
        pids.sort((x, y) => x - y);
      }
    }
  }

  /** Takes the processes of the hint file that are provably the same and have as many fds. */
  private adoptOwnerHints(file: string, live: Set<number>): void {
    const hints = readOwnerHints(file, bootId(this.procRoot));
    this.hintFile = { unowned: new Set(hints.unowned) };
    for (const inode of hints.unowned) {
      this.unowned.set(inode, this.generation);
    }
    for (const hint of hints.processes) {
      if (!live.has(hint.pid) || this.processes.has(hint.pid)) {
        continue;
      }
      if (
        this.fdCount(hint.pid) !== hint.fdCount ||
        processStartTime(this.procRoot, hint.pid) !== hint.startTime
      ) {
        continue;
      }
      // The hint's own map becomes the cached fds: it is not used for anything else.
      this.adoptProcess(hint.pid, {
        fdCount: hint.fdCount,
        fds: hint.socketFds,
        startTime: hint.startTime,
        hintLine: hint.line,
      });
      this.adopted.add(hint.pid);
      if (hint.socketFds.size > 0) {
        this.hinted.push(hint.pid);
      }
    }
  }

  /**
   * One readlink per listener that only the hint file attributes: the fd must still be that
   * socket, or its process is read again in full. Owners are never taken on trust from a file.
   */
  private checkHintedListeners(listening: ProcNetEntry[]): void {
    const listeners = new Set<number>();
    for (const entry of listening) {
      listeners.add(entry.inode);
    }
    for (const pid of this.hinted) {
      const state = this.processes.get(pid);
      if (!state) {
        continue;
      }
      const prefix = `${this.procRoot}/${pid}/fd/`;
      let stale = false;
      for (const [fd, inode] of state.fds) {
        if (!listeners.has(inode)) {
          continue;
        }
        let target = '';
        try {
          target = readlinkSync(prefix + fd);
        } catch {
          // Gone or refused: read the process again below.
        }
        if (!isSocketLink(target, inode)) {
          stale = true;
          break;
        }
      }
      if (stale) {
        this.scanProcess(pid, state.fdCount, undefined, true);
      }
    }
    this.hinted.length = 0;
  }

  /** Whether the hint file already says exactly what this reader knows (then it is not rewritten). */
  private hintFileCurrent(): boolean {
    // Entries of processes that have exited since do no harm (a reused pid has another start
    // time); a process the file does not have, or had to be read again, does.
    const loaded = this.hintFile;
    const self = this.procRoot === '/proc' && this.processes.has(process.pid) ? 1 : 0;
    if (!loaded || this.adopted.size !== this.processes.size - self) {
      return false;
    }
    if (loaded.unowned.size !== this.unowned.size) {
      return false;
    }
    for (const inode of this.unowned.keys()) {
      if (!loaded.unowned.has(inode)) {
        return false;
      }
    }
    return true;
  }

  private saveOwnerHints(file: string, listening: ProcNetEntry[]): void {
    if (this.hintFileCurrent()) {
      return;
    }
    // Listeners only: connections are never attributed to a process, so their fds need no hint.
    const listeners = new Set<number>();
    for (const entry of listening) {
      listeners.add(entry.inode);
    }
    const processes: ProcessHint[] = [];
    for (const [pid, state] of this.processes) {
      if (pid === process.pid && this.procRoot === '/proc') {
        continue; // this process: gone by the time the file is read
      }
      if (
        state.hintLine !== undefined &&
        state.startTime !== undefined &&
        allListeners(state.fds, listeners)
      ) {
        // Taken from the file and every fd in it still holds a listener: the same line again.
        processes.push({
          pid,
          startTime: state.startTime,
          fdCount: state.fdCount,
          socketFds: state.fds,
          line: state.hintLine,
        });
        continue;
      }
      const socketFds = new Map<string, number>();
      for (const [fd, inode] of state.fds) {
        if (listeners.has(inode)) {
          socketFds.set(fd, inode);
        }
      }
      // Processes without sockets too: otherwise the next run would read all their fds again.
      const startTime = state.startTime ?? processStartTime(this.procRoot, pid);
      if (startTime !== undefined) {
        processes.push({ pid, startTime, fdCount: state.fdCount, socketFds });
      }
    }
    const unowned = [...this.unowned.keys()];
    writeOwnerHints(file, bootId(this.procRoot), { processes, unowned });
    this.hintFile = { unowned: new Set(unowned) };
    this.adopted.clear();
    for (const hint of processes) {
      this.adopted.add(hint.pid);
    }
  }

  private dropProcess(pid: number): void {
    this.adopted.delete(pid);
    const state = this.processes.get(pid);
    if (!state) {
      return;
    }
    this.processes.delete(pid);
    for (const inode of state.fds.values()) {
      if (inode === 0) {
        continue;
      }
      const pids = this.holders.get(inode);
      if (!pids) {
        continue;
      }
      const at = pids.indexOf(pid);
      if (at >= 0) {
        pids.splice(at, 1);
      }
      if (pids.length === 0) {
        this.holders.delete(inode);
      }
    }
  }

  /** One owner object per pid and snapshot; name and command are cached until the fd count changes. */
  private owner(pid: number, owners: Map<number, OwnerFacts>): OwnerFacts {
    let facts = owners.get(pid);
    if (facts) {
      return facts;
    }
    const state = this.processes.get(pid);
    let owner: SocketOwner;
    if (state?.name !== undefined) {
      owner = { pid, process: state.name, command: state.command ?? '' };
      if (state.cwd) {
        owner.cwd = state.cwd;
      }
    } else {
      const name = readText(`${this.procRoot}/${pid}/comm`).trimEnd();
      const command = readText(`${this.procRoot}/${pid}/cmdline`).replace(/\0+$/, '').split('\0').join(' ');
      // Only holders of listed sockets get here, once per pid until its fds change (exec, restart).
      const cwd = readWorkingFolder(`${this.procRoot}/${pid}/cwd`);
      if (state) {
        state.name = name;
        state.command = command;
        state.cwd = cwd ?? null;
      }
      owner = { pid, process: name, command };
      if (cwd) {
        owner.cwd = cwd;
      }
    }
    facts = { owner, proxy: containerProxyKind(owner.process) };
    owners.set(pid, facts);
    return facts;
  }

  private address(hex: string): string {
    let text = this.addresses.get(hex);
    if (text === undefined) {
      text = decodeProcAddress(hex) ?? hex;
      if (this.addresses.size > 4096) {
        this.addresses.clear();
      }
      this.addresses.set(hex, text);
    }
    return text;
  }

  private toSocket(entry: ProcNetEntry, cache: SnapshotCache): ListeningSocket {
    const pids = this.holders.get(entry.inode);
    const socket: ListeningSocket = {
      protocol: entry.protocol,
      family: entry.family,
      address: this.address(entry.localHex),
      port: entry.port,
      ownerVisible: false,
      owners: [],
      uid: entry.uid,
      inode: entry.inode,
      connections: { established: 0, timeWait: 0, closeWait: 0 },
    };
    let user = cache.users.get(entry.uid);
    if (user === undefined && !cache.users.has(entry.uid)) {
      user = userNameForUid(entry.uid, this.passwdPath);
      cache.users.set(entry.uid, user);
    }
    if (user !== undefined) {
      socket.user = user;
    }
    if (pids && pids.length > 0) {
      for (const pid of pids) {
        const facts = this.owner(pid, cache.owners);
        socket.owners.push(facts.owner);
        if (facts.proxy && !socket.proxy) {
          socket.proxy = facts.proxy;
        }
      }
      const first = socket.owners[0]!;
      socket.ownerVisible = true;
      socket.pid = first.pid;
      socket.process = first.process;
      socket.command = first.command;
      if (first.cwd !== undefined) {
        socket.cwd = first.cwd;
      }
    }
    return socket;
  }
}

function allListeners(fds: Map<string, number>, listeners: Set<number>): boolean {
  for (const inode of fds.values()) {
    if (!listeners.has(inode)) {
      return false;
    }
  }
  return true;
}

/** Whether a link target is `socket:[inode]`, without making strings. */
export function isSocketLink(target: string, inode: number): boolean {
  const end = target.length - 1;
  if (end < 9 || !target.startsWith('socket:[') || target.charCodeAt(end) !== 93) {
    return false;
  }
  let value = 0;
  for (let i = 8; i < end; i++) {
    const digit = target.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) {
      return false;
    }
    value = value * 10 + digit;
  }
  return value === inode;
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
 * Adds each TCP connection to the listener that accepted it. An accepted socket lives in the
 * same table as its listener (a dual-stack `::` listener's IPv4 clients appear in tcp6 as
 * ::ffff:a.b.c.d), so matching stays in hex: same local port, and the same local address or a
 * listener on the all-zero wildcard of that table.
 */
export function countConnections(
  listening: ProcNetEntry[],
  sockets: ListeningSocket[],
  connections: ProcNetEntry[],
): void {
  const byPort = new Map<number, { entry: ProcNetEntry; socket: ListeningSocket }[]>();
  for (let i = 0; i < listening.length; i++) {
    const entry = listening[i]!;
    if (entry.protocol !== 'tcp') {
      continue;
    }
    const key = entry.family === 'ipv6' ? -entry.port - 1 : entry.port;
    const list = byPort.get(key);
    const item = { entry, socket: sockets[i]! };
    if (list) {
      list.push(item);
    } else {
      byPort.set(key, [item]);
    }
  }
  for (const connection of connections) {
    const list = byPort.get(connection.family === 'ipv6' ? -connection.port - 1 : connection.port);
    if (!list) {
      continue;
    }
    let match = list.find((l) => l.entry.localHex === connection.localHex);
    match ??= list.find((l) => isAllZero(l.entry.localHex));
    if (match) {
      bump(match.socket.connections, connection.state);
    }
  }
}

function isAllZero(hex: string): boolean {
  for (let i = 0; i < hex.length; i++) {
    if (hex.charCodeAt(i) !== 48) {
      return false;
    }
  }
  return true;
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
    compareText(a.protocol, b.protocol) ||
    compareText(a.family, b.family) ||
    compareText(a.address, b.address) ||
    (a.pid ?? 0) - (b.pid ?? 0)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function statSizeCountsFds(): boolean {
  try {
    return statSync('/proc/self/fd').size > 0;
  } catch (error) {
    logFailure('counting open files', error, { file: '/proc/self/fd', level: 'debug' });
    return false;
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // A process's comm or cmdline: it exited or is not ours, which every poll meets.
    return '';
  }
}

/** A process's working folder; undefined when it is not ours (EACCES) or has exited (ENOENT). */
export function readWorkingFolder(link: string): string | undefined {
  try {
    // A folder removed while the process runs in it reads `/path (deleted)`: still the best name.
    return readlinkSync(link) || undefined;
  } catch {
    return undefined;
  }
}

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
