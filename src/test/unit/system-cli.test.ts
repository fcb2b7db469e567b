import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import * as net from 'node:net';
import { jsonLines, run as ls, SocketJson } from '../../cli/ls';
import { run as who } from '../../cli/who';
import { run as free } from '../../cli/free';
import { findFreePort } from '../../system/freePort';

function collector() {
  const io = {
    stdout: '',
    stderr: '',
    out: (s: string) => void (io.stdout += s),
    err: (s: string) => void (io.stderr += s),
  };
  return io;
}

describe('system: CLI verbs ls, who, free', function () {
  if (process.platform !== 'linux') {
    return;
  }
  let server: net.Server;
  let port: number;

  before(async () => {
    server = net.createServer().listen(0, '::1');
    await once(server, 'listening');
    port = (server.address() as net.AddressInfo).port;
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('ls --json lists our listener with the documented fields', async () => {
    const io = collector();
    assert.equal(await ls(['--json'], io), 0);
    const rows = JSON.parse(io.stdout) as SocketJson[];
    const ours = rows.find((r) => r.port === port && r.address === '::1');
    assert.ok(ours);
    for (const key of [
      'protocol',
      'family',
      'address',
      'port',
      'pid',
      'process',
      'command',
      'user',
      'service',
      'connections',
    ]) {
      assert.ok(key in ours, key);
    }
    assert.equal(ours.pid, process.pid);
    assert.equal(ours.protocol, 'tcp');
    assert.equal(ours.family, 'ipv6');
    assert.ok(rows.every((r) => r.protocol === 'tcp'));
    // One socket per line between the brackets.
    const lines = io.stdout.trimEnd().split('\n');
    assert.equal(lines.length, rows.length + 2);
    assert.deepEqual(JSON.parse(lines[1].replace(/,$/, '')), rows[0]);
  });

  it('jsonLines writes one JSON array, one element per line', () => {
    assert.equal(jsonLines([]), '[]\n');
    assert.equal(jsonLines([{ a: 1 }, { b: 'x,y' }]), '[\n{"a":1},\n{"b":"x,y"}\n]\n');
    assert.deepEqual(JSON.parse(jsonLines([{ a: [1, 2] }, 3])), [{ a: [1, 2] }, 3]);
  });

  it('ls --udp shows only UDP and the table names our pid', async () => {
    const udp = collector();
    assert.equal(await ls(['--udp', '--json'], udp), 0);
    assert.ok((JSON.parse(udp.stdout) as SocketJson[]).every((r) => r.protocol === 'udp'));
    const table = collector();
    assert.equal(await ls([], table), 0);
    const line = table.stdout.split('\n').find((l) => l.includes(`[::1]:${port}`));
    assert.ok(line?.includes(String(process.pid)), line);
    assert.match(table.stdout, /^PROTO\s+LOCAL\s+PID/);
  });

  it('ls rejects unknown options with exit 2', async () => {
    const io = collector();
    assert.equal(await ls(['--bogus'], io), 2);
    assert.match(io.stderr, /unknown option/);
  });

  it('who PORT names the holder; a free port exits 1', async () => {
    const io = collector();
    assert.equal(await who([String(port)], io), 0);
    assert.match(io.stdout, new RegExp(`pid ${process.pid}`));
    // Below the ephemeral range, so no listen(0) elsewhere on the machine can take it meanwhile.
    const [closedPort] = await findFreePort({ from: 21000 });
    const none = collector();
    assert.equal(await who([String(closedPort)], none), 1);
    assert.match(none.stdout, /Nothing is listening/);
    assert.equal(await who(['http'], collector()), 2);
    assert.equal(await who([], collector()), 2);
  });

  it('free --from PORT --count 2 skips the held port', async () => {
    const io = collector();
    assert.equal(await free(['--from', String(port), '--count', '2'], io), 0);
    const ports = io.stdout.trim().split('\n').map(Number);
    assert.equal(ports.length, 2);
    assert.ok(!ports.includes(port));
    assert.ok(ports.every((p) => p > port));
    assert.equal(await free(['--from', 'abc'], collector()), 2);
    assert.equal(await free(['--count=0'], collector()), 2);
  });

  it('free --host checks the address once and fails fast when it is no address of this machine', async () => {
    const badIp = collector();
    assert.equal(await free(['--host', '999.1.1.1'], badIp), 2);
    assert.match(badIp.stderr, /^portolan free: --host 999\.1\.1\.1 is not an IP address\n/);
    const foreign = collector();
    assert.equal(await free(['--host', '192.0.2.1'], foreign), 2); // TEST-NET-1: never assigned here
    assert.match(foreign.stderr, /^portolan free: --host 192\.0\.2\.1 is not an address of this machine\n/);
    const unknown = collector();
    assert.equal(await free(['--host', 'no-such-host.invalid'], unknown), 2);
    assert.match(unknown.stderr, /^portolan free: --host no-such-host\.invalid does not resolve \(/);
    const loopback = collector();
    assert.equal(await free(['--host', '127.0.0.1', '--from', '20000', '--json'], loopback), 0);
    assert.equal((JSON.parse(loopback.stdout) as number[]).length, 1);
  });

  it('every verb has --help', async () => {
    for (const verb of [ls, who, free]) {
      const io = collector();
      assert.equal(await verb(['--help'], io), 0);
      assert.match(io.stdout, /^Usage: portolan /);
    }
  });
});
