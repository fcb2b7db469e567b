// Free-port search and reachability test.
//
// A port counts as free only when binding succeeds on every address family the caller may use
// AND no socket in the table holds it: a bind test alone misses a listener on `::1` when testing
// `127.0.0.1`, and the table alone misses a socket created a moment ago.

import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { clampPort, isValidPort, MAX_PORT } from '../model/port';
import { listListeningSockets } from './listening';
import type { ConnectionTest, FreePortQuery, SocketProtocol } from './types';

/** Ports >= `from` that are free right now; fewer than `count` when the attempts run out. */
export async function findFreePort(query: FreePortQuery): Promise<number[]> {
  const count = Math.max(1, Math.floor(query.count ?? 1));
  const protocol = query.protocol ?? 'tcp';
  const maxAttempts = Math.max(1, Math.floor(query.maxAttempts ?? 200 + count));
  let port = clampPort(query.from);
  const hosts = bindHosts(query.host);

  const snapshot = await listListeningSockets();
  const taken = new Set(snapshot.sockets.filter((s) => s.protocol === protocol).map((s) => s.port));

  const found: number[] = [];
  for (
    let attempt = 0;
    attempt < maxAttempts && port <= MAX_PORT && found.length < count;
    attempt++, port++
  ) {
    if (taken.has(port)) {
      continue;
    }
    if (await canBindAll(port, hosts, protocol)) {
      found.push(port);
    }
  }
  return found;
}

/**
 * Addresses to test. A wildcard bind on `::` (dual-stack) and `0.0.0.0` collides with any
 * specific-address listener of its family, so those two cover loopback as well.
 */
function bindHosts(host: string | undefined): string[] {
  if (host === undefined || host === '' || host === 'localhost') {
    return ['0.0.0.0', '::', '127.0.0.1', '::1'];
  }
  if (host === '*') {
    return ['0.0.0.0', '::'];
  }
  return [host];
}

async function canBindAll(port: number, hosts: string[], protocol: SocketProtocol): Promise<boolean> {
  let boundAny = false;
  for (const host of hosts) {
    const outcome = protocol === 'tcp' ? await tryTcpBind(port, host) : await tryUdpBind(port, host);
    if (outcome === 'busy') {
      return false;
    }
    if (outcome === 'bound') {
      boundAny = true;
    }
  }
  return boundAny;
}

/** `unusable` means this address cannot be tested here (no IPv6, privileged port). */
type BindOutcome = 'bound' | 'busy' | 'unusable';

function classify(error: NodeJS.ErrnoException): BindOutcome {
  if (error.code === 'EADDRINUSE') {
    return 'busy';
  }
  // EACCES (privileged port) is a "no" for the caller too: it could not bind there either.
  return error.code === 'EACCES' ? 'busy' : 'unusable';
}

function tryTcpBind(port: number, host: string): Promise<BindOutcome> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(classify(error)));
    server.listen({ port, host, exclusive: true, ipv6Only: false }, () => {
      server.close(() => resolve('bound'));
    });
  });
}

function tryUdpBind(port: number, host: string): Promise<BindOutcome> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
    socket.unref();
    socket.once('error', (error: NodeJS.ErrnoException) => {
      try {
        socket.close();
      } catch {
        // never bound: nothing to close
      }
      resolve(classify(error));
    });
    socket.bind({ port, address: host, exclusive: true }, () => {
      socket.close(() => resolve('bound'));
    });
  });
}

/** TCP connect to host:port; never rejects. */
export function testConnection(host: string, port: number, timeoutMs = 1000): Promise<ConnectionTest> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (open: boolean, error?: string) => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const result: ConnectionTest = { open, ms: performance.now() - started };
      if (error !== undefined) {
        result.error = error;
      }
      resolve(result);
    };
    if (!isValidPort(port)) {
      resolve({ open: false, error: `invalid port ${String(port)}`, ms: 0 });
      return;
    }
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => finish(false, 'timeout'), timeoutMs);
    socket.once('connect', () => finish(true));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(false, error.code ?? error.message));
  });
}
