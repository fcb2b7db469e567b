// One child process of the socket farm (see sockets.mjs): opens loopback listeners, one
// established connection into each TCP listener, and a few bound UDP sockets, prints what it
// holds as one JSON line, then waits. It exits when its stdin closes (the bench finished or
// died) or when its time-to-live runs out, so a crashed bench never leaves sockets behind.
//
// Arguments: <tcp4> <tcp6> <udp4> <udp6> <ttlSeconds> [connected]
// `connected` caps how many TCP listeners get an established connection (default: all); each
// costs this process two more fds, and one process cannot raise its fd limit past the hard one.
import * as dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import * as net from 'node:net';

const [tcp4, tcp6, udp4, udp6, ttlSeconds, connectedArg] = process.argv.slice(2).map((a) => Number(a));
const counts = [tcp4, tcp6, udp4, udp6, ttlSeconds];
if (counts.some((n) => !Number.isInteger(n) || n < 0 || n > 12000)) {
  process.stderr.write('socketHolder: expected five small non-negative integers\n');
  process.exit(2);
}

/** This process's soft limit on open files (Linux), or Infinity when it cannot be read. */
function fdLimit() {
  try {
    const line = readFileSync('/proc/self/limits', 'latin1')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    return Number.isInteger(soft) ? soft : Infinity;
  } catch {
    return Infinity;
  }
}

// Listeners and UDP sockets first, then as many connections (two fds each) as the limit leaves.
const spareFds = fdLimit() - (tcp4 + tcp6 + udp4 + udp6) - 64;
let connectionsLeft = Math.max(
  0,
  Math.min(Number.isInteger(connectedArg) ? connectedArg : tcp4 + tcp6, Math.floor(spareFds / 2)),
);

const clients = [];

/**
 * Resets the client ends instead of closing them: an orderly close would leave thousands of
 * TIME_WAIT entries that pad /proc/net/tcp and hold ephemeral ports for the next measurement.
 */
function shutDown() {
  for (const client of clients) {
    client.resetAndDestroy();
  }
  setTimeout(() => process.exit(0), 20);
}

const lifetime = setTimeout(shutDown, Math.max(1, ttlSeconds) * 1000);
lifetime.unref();
process.stdin.on('end', shutDown);
process.stdin.on('error', shutDown);
process.stdin.resume();

/** Resolves once the server listens and one client connection is established and accepted. */
function listenWithConnection(host) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    const connect = connectionsLeft > 0;
    connectionsLeft -= connect ? 1 : 0;
    const done = () =>
      resolve({
        protocol: 'tcp',
        family: host.includes(':') ? 'ipv6' : 'ipv4',
        address: host,
        port: server.address().port,
        connected: connect,
      });
    server.on('connection', (accepted) => {
      accepted.on('error', () => {});
      done();
    });
    server.listen({ port: 0, host, backlog: 16 }, () => {
      if (!connect) {
        done();
        return;
      }
      const client = net.connect({ port: server.address().port, host });
      client.on('error', reject);
      clients.push(client);
    });
  });
}

function bindUdp(host) {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.on('error', reject);
    socket.bind({ port: 0, address: host }, () => {
      resolve({
        protocol: 'udp',
        family: host.includes(':') ? 'ipv6' : 'ipv4',
        address: host,
        port: socket.address().port,
      });
    });
  });
}

async function openAll() {
  const sockets = [];
  // Sequential in small groups: thousands of simultaneous connects can overflow the backlog.
  const jobs = [
    ...Array.from({ length: tcp4 }, () => () => listenWithConnection('127.0.0.1')),
    ...Array.from({ length: tcp6 }, () => () => listenWithConnection('::1')),
    ...Array.from({ length: udp4 }, () => () => bindUdp('127.0.0.1')),
    ...Array.from({ length: udp6 }, () => () => bindUdp('::1')),
  ];
  for (let i = 0; i < jobs.length; i += 32) {
    sockets.push(...(await Promise.all(jobs.slice(i, i + 32).map((job) => job()))));
  }
  return sockets;
}

openAll().then(
  (sockets) => process.stdout.write(JSON.stringify({ pid: process.pid, sockets }) + '\n'),
  (error) => {
    process.stdout.write(JSON.stringify({ pid: process.pid, error: String(error?.message ?? error) }) + '\n');
    process.exit(1);
  },
);
