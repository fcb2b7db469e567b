// Stopping the process that holds a port, with the guards a "kill" button needs: the pid must be
// a real other process that owns the port at this moment (pids are reused, and a stale list can
// point at an innocent process), never this process or one of its ancestors (the extension host,
// VS Code itself, the user's shell), and never a container port publisher.

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { logFailure } from '../model/log';
import { isValidPort } from '../model/port';
import { socketsOnPort } from './listening';
import { containerProxyKind } from './dockerProxy';
import { isUnconnected, parseProcNetTable, TcpState } from './procNet';
import { errorCode, errorMessage, socketInode } from './socketReader';
import type { KillResult, SocketProtocol } from './types';

export interface KillOptions {
  signal?: 'SIGTERM' | 'SIGKILL';
  /** procfs root, for tests. */
  procRoot?: string;
}

export async function killPortOwner(
  pid: number,
  port: number,
  protocol: SocketProtocol,
  options: KillOptions = {},
): Promise<KillResult> {
  const signal = options.signal ?? 'SIGTERM';
  const procRoot = options.procRoot ?? '/proc';
  // Pids are C ints everywhere; Node's process.kill throws on anything wider.
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 1 || pid > 0x7fffffff) {
    return {
      kind: 'refused',
      reason: 'invalid-pid',
      message: `refusing to signal pid ${String(pid)}: not a valid process id`,
    };
  }
  if (!isValidPort(port)) {
    return { kind: 'refused', reason: 'not-owner', message: `invalid port ${String(port)}` };
  }
  if (pid === process.pid) {
    return { kind: 'refused', reason: 'self', message: `pid ${pid} is this process` };
  }
  if (ancestorPids(procRoot).includes(pid)) {
    return {
      kind: 'refused',
      reason: 'ancestor',
      message: `pid ${pid} is a parent of this process (editor or shell)`,
    };
  }

  const ownership = await currentOwnership(pid, port, protocol, procRoot);
  if (!ownership.owns) {
    return {
      kind: 'refused',
      reason: 'not-owner',
      message: `pid ${pid} does not hold ${protocol} port ${port} any more`,
    };
  }
  const name = ownership.process;
  if (containerProxyKind(name)) {
    return {
      kind: 'docker',
      pid,
      process: name ?? '',
      message: `port ${port} is published by Docker (${name}): stop the container instead`,
    };
  }
  try {
    process.kill(pid, signal);
  } catch (error) {
    const code = errorCode(error) ?? 'UNKNOWN';
    const message =
      code === 'EPERM'
        ? `permission denied: process ${pid}${name ? ` (${name})` : ''} belongs to another user`
        : code === 'ESRCH'
          ? `process ${pid} has already exited`
          : errorMessage(error);
    return { kind: 'error', code, message };
  }
  const result: KillResult = { kind: 'signalled', pid, signal };
  if (name) {
    result.process = name;
  }
  return result;
}

/** True while the process exists (also when it belongs to another user). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) {
    return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/** Parent chain of this process, nearest first, from /proc/PID/stat (just ppid off Linux). */
export function ancestorPids(procRoot = '/proc'): number[] {
  const chain: number[] = [];
  if (process.platform !== 'linux') {
    if (process.ppid > 1) {
      chain.push(process.ppid);
    }
    return chain;
  }
  let current = process.pid;
  for (let depth = 0; depth < 256; depth++) {
    const parent = parentPid(current, procRoot);
    if (parent === undefined || parent <= 1 || chain.includes(parent)) {
      break;
    }
    chain.push(parent);
    current = parent;
  }
  if (chain.length === 0 && process.ppid > 1) {
    chain.push(process.ppid);
  }
  return chain;
}

/** ppid from /proc/PID/stat; the name field may contain spaces and parentheses, so split after the last `)`. */
export function parentPid(pid: number, procRoot = '/proc'): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
  } catch {
    // Exited or hidden: no parent to report.
    return undefined;
  }
  return parseStatParent(stat);
}

export function parseStatParent(stat: string): number | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) {
    return undefined;
  }
  const fields = stat.slice(close + 2).split(' ');
  const ppid = Number(fields[1]);
  return Number.isSafeInteger(ppid) && ppid >= 0 ? ppid : undefined;
}

async function currentOwnership(
  pid: number,
  port: number,
  protocol: SocketProtocol,
  procRoot: string,
): Promise<{ owns: boolean; process?: string }> {
  if (process.platform === 'linux') {
    return linuxOwnership(pid, port, protocol, procRoot);
  }
  const sockets = await socketsOnPort(port, protocol);
  const owner = sockets.flatMap((s) => s.owners).find((o) => o.pid === pid);
  return owner ? { owns: true, process: owner.process } : { owns: false };
}

/** Fresh check against the kernel: a listening inode on the port is among this pid's fds now. */
function linuxOwnership(
  pid: number,
  port: number,
  protocol: SocketProtocol,
  procRoot: string,
): { owns: boolean; process?: string } {
  const inodes = new Set<number>();
  for (const family of ['ipv4', 'ipv6'] as const) {
    const file = `${procRoot}/net/${protocol}${family === 'ipv6' ? '6' : ''}`;
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch (error) {
      // tcp6/udp6 are absent when IPv6 is off.
      logFailure('reading a socket table', error, { file, level: 'debug' });
      continue;
    }
    for (const entry of parseProcNetTable(text, protocol, family)) {
      const listening =
        protocol === 'tcp'
          ? entry.state === TcpState.listen
          : entry.state === TcpState.close && isUnconnected(entry);
      if (listening && entry.port === port) {
        inodes.add(entry.inode);
      }
    }
  }
  if (inodes.size === 0) {
    return { owns: false };
  }
  const dir = `${procRoot}/${pid}/fd`;
  let fds: string[];
  try {
    fds = readdirSync(dir);
  } catch {
    // Exited, or not ours to inspect: then it is not ours to signal either.
    return { owns: false };
  }
  for (const fd of fds) {
    let target: string;
    try {
      target = readlinkSync(`${dir}/${fd}`);
    } catch {
      // Closed while we looked.
      continue;
    }
    if (inodes.has(socketInode(target))) {
      let name: string | undefined;
      try {
        name = readFileSync(`${procRoot}/${pid}/comm`, 'utf8').trimEnd();
      } catch {
        // Exited meanwhile: the socket check above already answered.
        name = undefined;
      }
      return name === undefined ? { owns: true } : { owns: true, process: name };
    }
  }
  return { owns: false };
}
