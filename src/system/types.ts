// Public model of this machine's live sockets. No vscode import.
//
// Functions the system layer exports (see each module for details):
//
//   src/system/index.ts re-exports everything below.
//
//   listListeningSockets(): Promise<ListeningSnapshot>
//       One-shot listing for the current platform (Linux /proc, macOS lsof, Windows netstat).
//   socketsOnPort(port: number, protocol?: SocketProtocol): Promise<ListeningSocket[]>
//       Fresh lookup of what holds one port (used by `portolan who` and by kill's re-check).
//   class SocketReader { constructor(options?: SocketReaderOptions); snapshot(): ListeningSnapshot }
//       Linux, synchronous, keeps an inode->pid cache between calls so warm refreshes are cheap.
//       Used inside the worker and by the CLI.
//   createSocketService(options?: SocketServiceOptions): SocketService
//       Async client for the sidebar: runs SocketReader in a worker_threads Worker
//       (dist/socketWorker.js) so the extension host never blocks; falls back to running
//       in-thread when the worker file is missing, and to lsof/netstat off Linux.
//       Only changed sockets cross the thread boundary: an unchanged socket is the SAME object
//       in consecutive snapshots, so treat snapshots as read-only (and use identity for caching).
//   findFreePort(query: FreePortQuery): Promise<number[]>
//       Up to `count` (default 1) ports >= `from` that are free on every relevant address family
//       AND absent from the socket table. Never returns a busy port; may return fewer than asked.
//   testConnection(host: string, port: number, timeoutMs?: number): Promise<ConnectionTest>
//   killPortOwner(pid: number, port: number, protocol: SocketProtocol,
//                 options?: { signal?: 'SIGTERM' | 'SIGKILL' }): Promise<KillResult>
//       Guards: positive integer pid > 1, not this process nor one of its ancestors, and it must
//       own the port now (fresh lookup just before signalling). Docker proxies are refused.
//   isProcessAlive(pid: number): boolean
//       For "it survived SIGTERM, offer SIGKILL".
//   readKernelPortLimits(): KernelPortLimits

import type { ContainerInfo, ContainerSource } from './containerEngine';

export type SocketProtocol = 'tcp' | 'udp';

export type AddressFamily = 'ipv4' | 'ipv6';

/** Connections to a listening port, counted from the same socket tables. */
export interface ConnectionCounts {
  established: number;
  timeWait: number;
  closeWait: number;
}

/** A process that holds the socket's file descriptor (a forked server shares one socket). */
export interface SocketOwner {
  pid: number;
  /** Short name: Linux `comm`, lsof `c`, tasklist image name. */
  process: string;
  /** Full command line joined with spaces; empty when it cannot be read. */
  command: string;
  /** Working folder (Linux /proc/PID/cwd); undefined when unreadable (another user, exited) or elsewhere. */
  cwd?: string;
}

/** Why a process is only a proxy for the real listener. */
export type ProxyKind = 'docker';

export interface ListeningSocket {
  protocol: SocketProtocol;
  family: AddressFamily;
  /** Local address as text, without brackets: `0.0.0.0`, `127.0.0.1`, `::`, `::1`, `::ffff:127.0.0.1`. */
  address: string;
  port: number;
  /**
   * False when the socket is real but no visible process holds it (another user without root,
   * another pid namespace, hidepid). Then `owners` is empty and `pid` is undefined: never a guess.
   */
  ownerVisible: boolean;
  /** Every visible holder, lowest pid first (usually the parent of a pre-forking server). */
  owners: SocketOwner[];
  /** Convenience copies of `owners[0]`. */
  pid?: number;
  process?: string;
  command?: string;
  cwd?: string;
  /** Owning user id from the socket table (Linux) and its name when known. */
  uid?: number;
  user?: string;
  /** Kernel socket inode (Linux); stable identity across refreshes. */
  inode?: number;
  /** Set when the holder is docker-proxy, com.docker.backend, rootlessport or a containerd shim. */
  proxy?: ProxyKind;
  /** TCP only: connections on this local port; zeros for UDP. */
  connections: ConnectionCounts;
  /** The container that publishes this port, when a container engine answered. */
  container?: ContainerAttribution;
  /**
   * True for a port a container engine publishes with no host process at all (Docker with
   * `userland-proxy: false` forwards it in the kernel): not in the socket table, `ownerVisible` false.
   */
  publishedOnly?: boolean;
}

/** Which container publishes a socket, from the engine's `GET /containers/json`. */
export interface ContainerAttribution {
  id: string;
  /** Without the leading `/`: `shop-db-1`. */
  name: string;
  image: string;
  /** `running`, `paused`, `restarting`, ... */
  state: string;
  /** The engine's text: `Up 3 minutes`. */
  status: string;
  /** Port inside the container. */
  privatePort: number;
  /** Compose labels, when a compose tool started it. */
  project?: string;
  service?: string;
  configFiles?: string[];
  workingDir?: string;
}

export interface ListeningSnapshot {
  sockets: ListeningSocket[];
  /** Date.now() when the snapshot was taken. */
  takenAt: number;
  /** Time the snapshot took to build, in milliseconds. */
  durationMs: number;
  /** Which reader produced it. */
  source: 'proc' | 'lsof' | 'netstat' | 'none';
  /** Non-fatal problems (a table that could not be read, a tool that is missing). */
  warnings: string[];
  /**
   * Date.now() when `connections` were counted (Linux). Older than `takenAt` when the reader
   * was asked to recount only every `connectionsMaxAgeMs`.
   */
  connectionsTakenAt?: number;
  /** What the container engines said for this snapshot; absent when none was asked. */
  containers?: { available: boolean; list: ContainerInfo[] };
}

export interface SocketReaderOptions {
  /** Root of procfs; tests point it at fixtures. Default `/proc`. */
  procRoot?: string;
  /** Path of the passwd file for user names. Default `/etc/passwd`. */
  passwdPath?: string;
  /** Include bound UDP sockets. Default true. */
  udp?: boolean;
  /**
   * Recount connections only when the last count is older than this (ms); in between, a
   * refresh reads just the listening part of the TCP tables, which at thousands of connections
   * is most of the cost. Default 0: count on every snapshot.
   */
  connectionsMaxAgeMs?: number;
  /**
   * A file of socket owners kept between processes (the CLI's cold runs): read on the first
   * snapshot, checked before use, rewritten after each snapshot. Default: none.
   */
  ownerHintsPath?: string;
}

export interface SnapshotOptions {
  /** Count connections in this snapshot whatever the age of the last count. */
  recountConnections?: boolean;
}

export interface SocketServiceOptions {
  /** Path of the worker script; default `path.join(__dirname, 'socketWorker.js')`. */
  workerPath?: string;
  /** Force running in this thread (tests, CLI). */
  inThread?: boolean;
  /**
   * Default true: start in the worker and move into this thread while snapshots are short
   * (a few ms), back to the worker when they are long. False: always the worker.
   */
  adaptive?: boolean;
  /**
   * Passed to the SocketReader: see `SocketReaderOptions.connectionsMaxAgeMs`. Default 10 s:
   * a refresh every few seconds then reads only the listening part of the TCP tables, and a
   * caller that shows counts asks for fresh ones with `refresh({ recountConnections: true })`.
   */
  connectionsMaxAgeMs?: number;
  /** Container engines asked on every refresh to attribute published ports; none by default. */
  containers?: ContainerSource;
}

export interface SocketService {
  /**
   * Takes a new snapshot (concurrent calls share one in-flight refresh; one that asks for a
   * recount while a plain refresh runs gets a follow-up refresh with fresh counts).
   */
  refresh(options?: SnapshotOptions): Promise<ListeningSnapshot>;
  /** The last completed snapshot, if any. */
  readonly last: ListeningSnapshot | undefined;
  /** Where the work runs now (an adaptive service moves between worker and in-thread). */
  readonly mode: 'worker' | 'in-thread' | 'spawn';
  /** Terminates the worker. */
  dispose(): void;
}

export interface FreePortQuery {
  /** First port to try (clamped to 1..65535). */
  from: number;
  /** Address that will be bound; default: loopback and wildcard of both families. */
  host?: string;
  /** How many free ports to return. Default 1. */
  count?: number;
  protocol?: SocketProtocol;
  /** Upper bound on ports tried. Default 200 + count. */
  maxAttempts?: number;
}

export interface ConnectionTest {
  open: boolean;
  /** Error code or message when not open: `ECONNREFUSED`, `timeout`, ... */
  error?: string;
  /** Time until connected or failed, in milliseconds. */
  ms: number;
}

export type KillResult =
  | { kind: 'signalled'; pid: number; signal: 'SIGTERM' | 'SIGKILL'; process?: string }
  /** The owner is a container port publisher: stopping it would not stop the container. */
  | { kind: 'docker'; pid: number; process: string; message: string }
  | {
      kind: 'refused';
      reason: 'invalid-pid' | 'self' | 'ancestor' | 'not-owner';
      message: string;
    }
  /** `code` is the errno name: EPERM (another user's process), ESRCH (already gone), ... */
  | { kind: 'error'; code: string; message: string };

export interface KernelPortLimits {
  /** Ports below this need privileges (`net.ipv4.ip_unprivileged_port_start`). */
  unprivilegedPortStart: number;
  /** Ephemeral range the kernel hands out for port 0 and outgoing connections. */
  ephemeralRange: { from: number; to: number };
  /** False when the defaults were used because the values could not be read. */
  fromKernel: boolean;
}
