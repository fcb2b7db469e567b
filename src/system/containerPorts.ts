// Which container publishes a listening socket. The socket table says `docker-proxy` (or
// rootlesskit, rootlessport, pasta, slirp4netns, conmon); the engine's container list says which
// container publishes that port on that address. Ports an engine forwards in the kernel, with no
// proxy process (Docker's `userland-proxy: false`), are not in the socket table at all: they are
// added as sockets of their own, marked `publishedOnly`.

import * as path from 'node:path';
import type { ContainerInfo, ContainerPort } from './containerEngine';
import { containerProxyKind } from './dockerProxy';
import type { ContainerAttribution, ListeningSnapshot, ListeningSocket, SocketProtocol } from './types';

/** States in which a container's published ports are open. */
const PUBLISHING_STATES: ReadonlySet<string> = new Set(['running', 'paused', 'restarting']);

function isWildcardIp(ip: string): boolean {
  return ip === '' || ip === '0.0.0.0' || ip === '::';
}

function unmapped(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** How well a published entry matches a socket: 2 exact address, 1 compatible, 0 no. */
function addressMatch(port: ContainerPort, socket: ListeningSocket): number {
  const address = unmapped(socket.address);
  if (port.ip === address) {
    return 2;
  }
  if (port.ip === '') {
    return 1;
  }
  // Docker lists 0.0.0.0 and :: for one `-p 8080:80`; an older engine lists only 0.0.0.0 while its
  // proxy binds both, so a wildcard entry covers the other family's wildcard as well.
  return isWildcardIp(port.ip) && isWildcardIp(address) ? 1 : 0;
}

export function attributionOf(container: ContainerInfo, port: ContainerPort): ContainerAttribution {
  const attribution: ContainerAttribution = {
    id: container.id,
    name: container.name,
    image: container.image,
    state: container.state,
    status: container.status,
    privatePort: port.privatePort,
  };
  const compose = container.compose;
  if (compose) {
    attribution.project = compose.project;
    if (compose.service !== undefined) {
      attribution.service = compose.service;
    }
    if (compose.configFiles.length > 0) {
      attribution.configFiles = compose.configFiles;
    }
    if (compose.workingDir !== undefined) {
      attribution.workingDir = compose.workingDir;
    }
  }
  return attribution;
}

interface Published {
  container: ContainerInfo;
  port: ContainerPort & { publicPort: number; protocol: SocketProtocol };
}

function publishedPorts(containers: readonly ContainerInfo[]): Map<string, Published[]> {
  const byPort = new Map<string, Published[]>();
  for (const container of containers) {
    if (!PUBLISHING_STATES.has(container.state)) {
      continue;
    }
    for (const port of container.ports) {
      if (port.publicPort === undefined || port.protocol === 'sctp') {
        continue;
      }
      const key = `${port.protocol}/${port.publicPort}`;
      const list = byPort.get(key) ?? [];
      list.push({ container, port: port as Published['port'] });
      byPort.set(key, list);
    }
  }
  return byPort;
}

/**
 * The container publishing this socket, or undefined. A socket held by a visible process that is
 * not a container publisher is never attributed: with the kernel forwarding (no proxy), a host
 * program may hold the same port number on another address, and it is not the container.
 */
function matchSocket(socket: ListeningSocket, candidates: Published[] | undefined): Published | undefined {
  if (!candidates) {
    return undefined;
  }
  const publisher = socket.proxy !== undefined || containerProxyKind(socket.process) !== undefined;
  if (socket.ownerVisible && !publisher) {
    return undefined;
  }
  let best: Published | undefined;
  let bestScore = 0;
  for (const candidate of candidates) {
    const score = addressMatch(candidate.port, socket);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  // A proxy on a port the engine publishes on an address we cannot match (a host IP the engine
  // reports differently) still belongs to that container when only one container publishes it.
  if (!best && publisher && new Set(candidates.map((c) => c.container.id)).size === 1) {
    best = candidates[0];
  }
  return best;
}

function sameAttribution(a: ContainerAttribution | undefined, b: ContainerAttribution): boolean {
  return (
    a !== undefined &&
    a.id === b.id &&
    a.state === b.state &&
    a.status === b.status &&
    a.privatePort === b.privatePort &&
    a.image === b.image
  );
}

/**
 * Attributes sockets to containers. Returns a new array; sockets that gain no attribution are the
 * same objects, and `previous` (the last result) lets an unchanged attributed socket keep its
 * identity too, so consumers that cache by identity keep working.
 */
export function attributeSockets(
  sockets: readonly ListeningSocket[],
  containers: readonly ContainerInfo[],
  previous?: WeakMap<ListeningSocket, ListeningSocket>,
): ListeningSocket[] {
  const byPort = publishedPorts(containers);
  if (byPort.size === 0) {
    return [...sockets];
  }
  const result: ListeningSocket[] = [];
  const covered = new Set<string>();
  for (const socket of sockets) {
    const key = `${socket.protocol}/${socket.port}`;
    const match = matchSocket(socket, byPort.get(key));
    if (!match) {
      result.push(socket);
      continue;
    }
    covered.add(key);
    const attribution = attributionOf(match.container, match.port);
    const last = previous?.get(socket);
    if (last && sameAttribution(last.container, attribution)) {
      result.push(last);
      continue;
    }
    const attributed: ListeningSocket = { ...socket, container: attribution };
    previous?.set(socket, attributed);
    result.push(attributed);
  }
  // Published ports no socket holds: the engine forwards them without a proxy process.
  const added: ListeningSocket[] = [];
  const present = new Set<string>();
  for (const [key] of byPort) {
    if (!covered.has(key)) {
      present.add(key);
    }
  }
  for (const socket of sockets) {
    present.delete(`${socket.protocol}/${socket.port}`);
  }
  for (const [key, list] of byPort) {
    if (!present.has(key)) {
      continue;
    }
    for (const { container, port } of list) {
      const address = port.ip === '' ? '0.0.0.0' : port.ip;
      added.push({
        protocol: port.protocol,
        family: address.includes(':') ? 'ipv6' : 'ipv4',
        address,
        port: port.publicPort,
        ownerVisible: false,
        owners: [],
        proxy: 'docker',
        connections: { established: 0, timeWait: 0, closeWait: 0 },
        container: attributionOf(container, port),
        publishedOnly: true,
      });
    }
  }
  if (added.length === 0) {
    return result;
  }
  return [...result, ...added].sort(
    (a, b) =>
      a.port - b.port ||
      compareText(a.protocol, b.protocol) ||
      compareText(a.family, b.family) ||
      compareText(a.address, b.address),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The snapshot with its sockets attributed and the engines' answer attached. */
export function withContainers(
  snapshot: ListeningSnapshot,
  list: { available: boolean; containers: ContainerInfo[] },
  previous?: WeakMap<ListeningSocket, ListeningSocket>,
): ListeningSnapshot {
  return {
    ...snapshot,
    sockets: list.available
      ? attributeSockets(snapshot.sockets, list.containers, previous)
      : snapshot.sockets,
    containers: { available: list.available, list: list.containers },
  };
}

/** `db · shop (postgres:16)` for a compose container, `web1 (nginx)` otherwise. */
export function containerLabel(container: ContainerAttribution): string {
  const who =
    container.service !== undefined && container.project !== undefined
      ? `${container.service} · ${container.project}`
      : container.name;
  return container.image ? `${who} (${container.image})` : who;
}

/**
 * Whether the compose file at `file` (absolute) started this container: it is among the
 * container's config files, or, when the engine did not record them, sits in its working dir.
 */
export function isComposeFileOf(
  container: Pick<ContainerAttribution, 'configFiles' | 'workingDir'>,
  file: string,
): boolean {
  const target = path.resolve(file);
  const files = composeConfigPaths(container).map((f) => path.resolve(f));
  if (files.length > 0) {
    return files.includes(target);
  }
  return container.workingDir !== undefined && path.resolve(container.workingDir) === path.dirname(target);
}

/** The compose files of a container as absolute paths (Compose v1 writes them relative to its working dir). */
export function composeConfigPaths(
  container: Pick<ContainerAttribution, 'configFiles' | 'workingDir'>,
): string[] {
  const dir = container.workingDir;
  return (container.configFiles ?? []).flatMap((file) => {
    if (path.posix.isAbsolute(file) || path.win32.isAbsolute(file)) {
      return [file];
    }
    return dir !== undefined ? [path.join(dir, file)] : [];
  });
}
