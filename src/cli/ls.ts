// `portolan ls`: listening sockets on this machine.

import { serviceName } from '../data/registry';
import { containerLabel } from '../system/containerPorts';
import { readKernelPortLimits } from '../system/kernel';
import { listListeningSockets } from '../system/listening';
import type { ListeningSocket } from '../system/types';
import { cliContainerEngine, containerJson, type ContainerJson } from './containers';
import type { CliIo } from './io';
import { LS, runVerb, type ParsedArgs } from './options';
import { printable } from './printable';
import { formatTable } from './table';

/** The JSON shape of one socket, shared by `ls --json` and `who --json`. */
export interface SocketJson {
  protocol: string;
  family: string;
  address: string;
  port: number;
  pid: number | null;
  process: string | null;
  command: string | null;
  user: string | null;
  service: string | null;
  connections: { established: number; timeWait: number; closeWait: number };
  ownerVisible: boolean;
  pids: number[];
  proxy?: string;
  /** The container publishing the port, or null. */
  container: ContainerJson | null;
  /** Only for a port the engine forwards with no host process (userland-proxy: false). */
  publishedOnly?: boolean;
}

let ephemeral: { from: number; to: number } | undefined;

/**
 * Registry name of a listening port, except inside the kernel's ephemeral range: a listener
 * there almost always got its port from `listen(0)`, and the IANA name would be a false claim.
 */
export function listeningServiceName(socket: ListeningSocket): string | null {
  ephemeral ??= readKernelPortLimits().ephemeralRange;
  if (socket.port >= ephemeral.from && socket.port <= ephemeral.to) {
    return null;
  }
  return serviceName(socket.port, socket.protocol) ?? null;
}

export function socketJson(socket: ListeningSocket): SocketJson {
  const json: SocketJson = {
    protocol: socket.protocol,
    family: socket.family,
    address: socket.address,
    port: socket.port,
    pid: socket.pid ?? null,
    process: socket.process ?? null,
    command: socket.command ?? null,
    user: socket.user ?? (socket.uid !== undefined ? String(socket.uid) : null),
    service: listeningServiceName(socket),
    connections: { ...socket.connections },
    ownerVisible: socket.ownerVisible,
    pids: socket.owners.map((o) => o.pid),
    container: socket.container ? containerJson(socket.container) : null,
  };
  if (socket.proxy) {
    json.proxy = socket.proxy;
  }
  if (socket.publishedOnly) {
    json.publishedOnly = true;
  }
  return json;
}

/**
 * A JSON array with one element per line: still one JSON document, greppable by line, and about
 * half the bytes of an indented one (ten thousand sockets make megabytes).
 */
export function jsonLines(items: unknown[]): string {
  if (items.length === 0) {
    return '[]\n';
  }
  return `[\n${items.map((item) => JSON.stringify(item)).join(',\n')}\n]\n`;
}

export function formatEndpoint(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

export function socketRows(sockets: ListeningSocket[]): { header: string[]; rows: string[][] } {
  const header = ['PROTO', 'LOCAL', 'PID', 'PROCESS', 'USER', 'SERVICE', 'CONN est/tw/cw'];
  const containers = sockets.some((s) => s.container !== undefined);
  if (containers) {
    header.push('CONTAINER');
  }
  const rows = sockets.map((s) => {
    const json = socketJson(s);
    const pids = s.owners.length > 1 ? `${s.owners[0]!.pid}+${s.owners.length - 1}` : String(s.pid ?? '-');
    const processName = s.publishedOnly
      ? '(no proxy)'
      : s.ownerVisible
        ? `${s.process ?? ''}${s.proxy ? ' (docker)' : ''}`
        : 'owner not visible';
    const c = s.connections;
    const row = [
      s.protocol,
      formatEndpoint(s.address, s.port),
      pids,
      processName,
      json.user ?? '-',
      json.service ?? '-',
      s.protocol === 'tcp' ? `${c.established}/${c.timeWait}/${c.closeWait}` : '-',
    ];
    if (containers) {
      row.push(s.container ? containerLabel(s.container) : '-');
    }
    return row;
  });
  return { header, rows };
}

export function run(args: string[], io: CliIo): Promise<number> {
  return runVerb(LS, args, io, (parsed) => ls(parsed, io));
}

async function ls(parsed: ParsedArgs, io: CliIo): Promise<number> {
  let json = false;
  let tcp = true;
  let udp = false;
  for (const { name } of parsed.options) {
    if (name === 'json') {
      json = true;
    } else if (name === 'udp') {
      tcp = false;
      udp = true;
    } else if (name === 'all') {
      tcp = true;
      udp = true;
    }
  }
  const snapshot = await listListeningSockets(process.platform, {
    ownerHints: true,
    udp,
    containers: cliContainerEngine(io, 'ls'),
  });
  for (const warning of snapshot.warnings) {
    io.err(`portolan ls: ${printable(warning)}\n`);
  }
  const sockets = snapshot.sockets.filter((s) => (s.protocol === 'tcp' ? tcp : udp));
  if (json) {
    io.out(jsonLines(sockets.map(socketJson)));
    return 0;
  }
  if (sockets.length === 0) {
    io.out('No listening sockets.\n');
    return 0;
  }
  const { header, rows } = socketRows(sockets);
  io.out(formatTable(header, rows));
  return 0;
}
