// `portolan ls`: listening sockets on this machine.

import { serviceName } from '../data/registry';
import { containerLabel } from '../system/containerPorts';
import { readKernelPortLimits } from '../system/kernel';
import { listListeningSockets } from '../system/listening';
import type { ListeningSocket } from '../system/types';
import { cliContainerEngine, containerJson, type ContainerJson } from './containers';
import type { CliIo } from './io';
import { formatTable } from './table';

const HELP = `Usage: portolan ls [--json] [--udp] [--all]

Lists the sockets listening on this machine with their pid, process, user and service name.
  (default)  TCP listening sockets
  --udp      bound UDP sockets only
  --all      TCP and UDP
  --json     an array of objects: protocol, family, address, port, pid, process, command,
             user, service, connections {established, timeWait, closeWait}, ownerVisible, pids,
             container (null, or {id, name, image, state, status, service, project,
             containerPort} for a port a container publishes)
The CONTAINER column (shown when a container engine publishes a listed port) reads
"service · project (image)" for compose containers, "name (image)" otherwise; the engine is
asked over its socket (DOCKER_HOST, the Docker context, /var/run/docker.sock, rootless
Docker, Podman). A port the engine forwards with no proxy process shows as "(no proxy)".
SERVICE is the registry name, left empty inside the kernel's ephemeral port range.
Sockets whose process cannot be seen (another user, another pid namespace) show
"owner not visible"; run as that user or root to see them.
`;

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
    const pids = s.owners.length > 1 ? `${s.owners[0].pid}+${s.owners.length - 1}` : String(s.pid ?? '-');
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

export async function run(args: string[], io: CliIo): Promise<number> {
  let json = false;
  let tcp = true;
  let udp = false;
  for (const arg of args) {
    if (arg === '--help' || arg === '-h') {
      io.out(HELP);
      return 0;
    } else if (arg === '--json') {
      json = true;
    } else if (arg === '--udp') {
      tcp = false;
      udp = true;
    } else if (arg === '--all') {
      tcp = true;
      udp = true;
    } else {
      io.err(`portolan ls: unknown option '${arg}'\n\n${HELP}`);
      return 2;
    }
  }
  const snapshot = await listListeningSockets(process.platform, {
    ownerHints: true,
    containers: cliContainerEngine(io, 'ls'),
  });
  for (const warning of snapshot.warnings) {
    io.err(`portolan ls: ${warning}\n`);
  }
  const sockets = snapshot.sockets.filter((s) => (s.protocol === 'tcp' ? tcp : udp));
  if (json) {
    io.out(JSON.stringify(sockets.map(socketJson), null, 2) + '\n');
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
