import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import { once } from 'node:events';
import * as net from 'node:net';
import { findFreePort, testConnection } from '../../system/freePort';

async function hold(host: string, port = 0): Promise<net.Server> {
  const server = net.createServer().listen({ port, host, ipv6Only: host.includes(':') });
  await once(server, 'listening');
  return server;
}

const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;

describe('system: free ports and connection tests', () => {
  const servers: net.Server[] = [];
  const udp: dgram.Socket[] = [];

  after(async () => {
    for (const socket of udp) {
      socket.close();
    }
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it('never returns a port held on 127.0.0.1, and what it returns can be bound', async () => {
    // Below the ephemeral range, so other processes' listen(0) cannot race for the answer.
    const [start] = await findFreePort({ from: 21500 });
    const server = await hold('127.0.0.1', start);
    servers.push(server);
    const busy = portOf(server);
    const [free] = await findFreePort({ from: busy });
    assert.ok(free !== undefined && free > busy, `got ${free}`);
    // True positive: the answer is genuinely bindable right after.
    const check = net.createServer();
    await new Promise<void>((resolve, reject) => {
      check.once('error', reject);
      check.listen(free, '127.0.0.1', () => resolve());
    });
    await new Promise((resolve) => check.close(resolve));
  });

  it('treats a port bound only on ::1 as busy, even when asked about 127.0.0.1', async () => {
    const server = await hold('::1');
    servers.push(server);
    const busy = portOf(server);
    const ports = await findFreePort({ from: busy, host: '127.0.0.1', count: 2 });
    assert.equal(ports.length, 2);
    assert.ok(!ports.includes(busy));
  });

  it('returns count distinct ascending ports, skipping every held one', async () => {
    const held = [await hold('127.0.0.1'), await hold('127.0.0.1'), await hold('::1')];
    servers.push(...held);
    const heldPorts = held.map(portOf);
    const from = Math.min(...heldPorts);
    const ports = await findFreePort({ from, count: 5 });
    assert.equal(ports.length, 5);
    assert.deepEqual(
      [...ports].sort((a, b) => a - b),
      ports,
    );
    assert.equal(new Set(ports).size, 5);
    for (const port of heldPorts) {
      assert.ok(!ports.includes(port), `held port ${port} returned`);
    }
    assert.ok(ports.every((p) => p >= from));
  });

  it('skips a held UDP port when searching UDP', async () => {
    const socket = dgram.createSocket('udp4');
    udp.push(socket);
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    const busy = socket.address().port;
    const [free] = await findFreePort({ from: busy, protocol: 'udp' });
    assert.ok(free !== undefined && free !== busy);
  });

  it('stops at the top of the port space and within its attempt budget', async () => {
    const ports = await findFreePort({ from: 65535, count: 3 });
    assert.ok(ports.length <= 1);
    assert.ok(ports.every((p) => p === 65535));
    const limited = await findFreePort({ from: 40000, count: 10, maxAttempts: 3 });
    assert.ok(limited.length <= 3);
  });

  it('testConnection: open port is open, a closed port is refused', async () => {
    const server = await hold('127.0.0.1');
    servers.push(server);
    const open = await testConnection('127.0.0.1', portOf(server), 2000);
    assert.equal(open.open, true);
    assert.equal(open.error, undefined);
    assert.ok(open.ms >= 0);

    // Below the ephemeral range, so no listen(0) elsewhere on the machine can take it meanwhile.
    const [closedPort] = await findFreePort({ from: 21000 });
    const closed = await testConnection('127.0.0.1', closedPort, 2000);
    assert.equal(closed.open, false);
    assert.equal(closed.error, 'ECONNREFUSED');

    const invalid = await testConnection('127.0.0.1', 0, 100);
    assert.equal(invalid.open, false);
  });

  it('testConnection on ::1', async () => {
    const server = await hold('::1');
    servers.push(server);
    const result = await testConnection('::1', portOf(server), 2000);
    assert.equal(result.open, true, result.error);
  });
});
