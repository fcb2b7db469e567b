// Builders for the live-ports unit tests: sockets, snapshots and mentions shaped like the real ones.
import type { PortMention } from '../../scan/mention';
import type { ListeningSnapshot, ListeningSocket, SocketProtocol } from '../../system/types';
import type { ServiceNames } from '../../present/portsModel';

export function sock(
  port: number,
  options: {
    protocol?: SocketProtocol;
    address?: string;
    pid?: number;
    process?: string;
    command?: string;
    cwd?: string;
    proxy?: 'docker';
    hidden?: boolean;
    inode?: number;
    established?: number;
  } = {},
): ListeningSocket {
  const address = options.address ?? '127.0.0.1';
  const hidden = options.hidden === true;
  const owner = hidden
    ? undefined
    : {
        pid: options.pid ?? 1000 + port,
        process: options.process ?? 'server',
        command: options.command ?? '',
        ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      };
  return {
    protocol: options.protocol ?? 'tcp',
    family: address.includes(':') ? 'ipv6' : 'ipv4',
    address,
    port,
    ownerVisible: !hidden,
    owners: owner ? [owner] : [],
    pid: owner?.pid,
    process: owner?.process,
    command: owner?.command,
    ...(owner?.cwd !== undefined ? { cwd: owner.cwd } : {}),
    uid: 1000,
    user: 'dev',
    inode: options.inode ?? port * 10,
    proxy: options.proxy,
    connections: { established: options.established ?? 0, timeWait: 0, closeWait: 0 },
  };
}

export function snap(sockets: ListeningSocket[]): ListeningSnapshot {
  return { sockets, takenAt: Date.now(), durationMs: 1, source: 'proc', warnings: [] };
}

/** A tiny registry: enough names to tell a database from a web port. */
export const names: ServiceNames = {
  serviceName: (port) =>
    ({ 5432: 'postgresql', 6379: 'redis', 443: 'https', 8443: 'https-alt', 53: 'dns' })[port],
  isTlsPort: (port) => port === 443 || port === 8443,
  browserScheme: (port) => (port === 80 ? 'http' : port === 443 ? 'https' : undefined),
};

export function mention(
  port: number,
  role: PortMention['role'],
  extra: Partial<PortMention> = {},
): PortMention {
  const start = extra.range?.start ?? port;
  return { port, role, kind: 'compose', range: { start, end: start + String(port).length }, ...extra };
}
