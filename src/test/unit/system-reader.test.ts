import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { DeltaDecoder, DeltaEncoder } from '../../system/socketDelta';
import { AdaptiveService, createSocketService } from '../../system/socketService';
import { parseProcNetTable, TcpState } from '../../system/procNet';
import { isSocketLink, readListenerRows, SocketReader } from '../../system/socketReader';
import type { ListeningSnapshot, ListeningSocket, SocketService } from '../../system/types';

const fixtures = path.resolve(__dirname, '../../../src/test/fixtures/system');

/** A fake procfs: the fixture tables plus processes whose fds are symlinks like the kernel's. */
class FakeProc {
  readonly root = mkdtempSync(path.join(os.tmpdir(), 'portolan-proc-'));

  constructor() {
    mkdirSync(path.join(this.root, 'net'));
    for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) {
      copyFileSync(path.join(fixtures, `proc-net-${table}.txt`), path.join(this.root, 'net', table));
    }
    mkdirSync(path.join(this.root, 'self'));
  }

  addProcess(pid: number, comm: string, argv: string[], fds: Record<number, string>): void {
    const dir = path.join(this.root, String(pid));
    mkdirSync(path.join(dir, 'fd'), { recursive: true });
    writeFileSync(path.join(dir, 'comm'), `${comm}\n`);
    writeFileSync(path.join(dir, 'cmdline'), argv.map((a) => `${a}\0`).join(''));
    for (const [fd, target] of Object.entries(fds)) {
      this.setFd(pid, Number(fd), target);
    }
  }

  setFd(pid: number, fd: number, target: string): void {
    const link = path.join(this.root, String(pid), 'fd', String(fd));
    rmSync(link, { force: true });
    symlinkSync(target, link);
  }

  appendRow(table: string, row: string): void {
    appendFileSync(path.join(this.root, 'net', table), row);
  }

  closeFd(pid: number, fd: number): void {
    unlinkSync(path.join(this.root, String(pid), 'fd', String(fd)));
  }

  removeProcess(pid: number): void {
    rmSync(path.join(this.root, String(pid)), { recursive: true, force: true });
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

function find(
  snapshot: ListeningSnapshot,
  protocol: string,
  address: string,
  port: number,
): ListeningSocket | undefined {
  return snapshot.sockets.find((s) => s.protocol === protocol && s.address === address && s.port === port);
}

describe('system: SocketReader on a fake procfs', () => {
  let proc: FakeProc;
  let passwd: string;

  beforeEach(() => {
    proc = new FakeProc();
    passwd = path.join(proc.root, 'passwd');
    writeFileSync(
      passwd,
      '# users\nroot:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\npostgres:x:105:110::/var/lib/postgresql:/bin/bash\nbroken line\nalice:x:1000:1000::/home/alice:/bin/bash\n',
    );
    proc.addProcess(100, 'postgres', ['/usr/lib/postgresql/16/bin/postgres', '-D', '/var/lib/postgresql'], {
      0: '/dev/null',
      3: 'socket:[1002]',
      4: 'socket:[2001]',
      5: 'pipe:[777]',
    });
    proc.addProcess(101, 'postgres', ['postgres: checkpointer'], { 3: 'socket:[1002]' });
    proc.addProcess(200, 'node', ['node', 'server.js'], {
      10: 'socket:[1003]',
      11: 'socket:[3002]',
      12: 'socket:[3003]',
    });
    proc.addProcess(300, 'docker-proxy', ['/usr/bin/docker-proxy', '-proto', 'tcp'], { 3: 'socket:[3001]' });
    proc.addProcess(400, 'systemd-resolve', ['/lib/systemd/systemd-resolved'], { 7: 'socket:[4001]' });
  });

  afterEach(() => proc.dispose());

  it('lists TCP listeners and bound UDP sockets with owners, users and families', () => {
    const snapshot = new SocketReader({ procRoot: proc.root, passwdPath: passwd }).snapshot();
    assert.equal(snapshot.source, 'proc');
    assert.deepEqual(
      snapshot.sockets.map((s) => `${s.protocol} ${s.address} ${s.port}`),
      [
        'tcp 0.0.0.0 22',
        'udp 127.0.0.53 53',
        'udp 0.0.0.0 68',
        'tcp :: 80',
        'tcp ::ffff:127.0.0.1 3000',
        'udp :: 5353',
        'tcp 127.0.0.1 5432',
        'tcp fe80::a00:1 6667',
        'tcp 127.0.0.1 8080',
        'tcp ::1 8080',
        'tcp 2001:db8::1 9000',
      ],
    );
    const postgres = find(snapshot, 'tcp', '127.0.0.1', 5432);
    assert.equal(postgres?.pid, 100);
    assert.equal(postgres?.process, 'postgres');
    assert.equal(postgres?.command, '/usr/lib/postgresql/16/bin/postgres -D /var/lib/postgresql');
    assert.deepEqual(
      postgres?.owners.map((o) => o.pid),
      [100, 101],
    );
    assert.equal(postgres?.user, 'postgres');
    assert.equal(postgres?.family, 'ipv4');
    const node6 = find(snapshot, 'tcp', '::1', 8080);
    assert.equal(node6?.pid, 200);
    assert.equal(node6?.family, 'ipv6');
    assert.equal(node6?.user, 'alice');
    assert.equal(find(snapshot, 'udp', '127.0.0.53', 53)?.process, 'systemd-resolve');
  });

  it('says "owner not visible" instead of guessing when no process holds the inode', () => {
    const snapshot = new SocketReader({ procRoot: proc.root, passwdPath: passwd }).snapshot();
    const ssh = find(snapshot, 'tcp', '0.0.0.0', 22);
    assert.equal(ssh?.ownerVisible, false);
    assert.equal(ssh?.pid, undefined);
    assert.deepEqual(ssh?.owners, []);
    assert.equal(ssh?.user, 'root');
    assert.equal(find(snapshot, 'tcp', '127.0.0.1', 5432)?.ownerVisible, true);
  });

  it('counts established, time-wait and close-wait connections per listener', () => {
    const snapshot = new SocketReader({ procRoot: proc.root, passwdPath: passwd }).snapshot();
    assert.deepEqual(find(snapshot, 'tcp', '127.0.0.1', 5432)?.connections, {
      established: 2,
      timeWait: 1,
      closeWait: 1,
    });
    assert.deepEqual(find(snapshot, 'tcp', '0.0.0.0', 22)?.connections, {
      established: 1,
      timeWait: 0,
      closeWait: 0,
    });
    // An IPv4 client of a dual-stack `::` listener shows up as ::ffff:127.0.0.1.
    assert.deepEqual(find(snapshot, 'tcp', '::', 80)?.connections, {
      established: 1,
      timeWait: 0,
      closeWait: 0,
    });
    assert.deepEqual(find(snapshot, 'tcp', '127.0.0.1', 8080)?.connections, {
      established: 0,
      timeWait: 0,
      closeWait: 0,
    });
  });

  it('marks Docker port publishers', () => {
    const snapshot = new SocketReader({ procRoot: proc.root, passwdPath: passwd }).snapshot();
    assert.equal(find(snapshot, 'tcp', '::', 80)?.proxy, 'docker');
    assert.equal(find(snapshot, 'tcp', '127.0.0.1', 5432)?.proxy, undefined);
  });

  it('leaves UDP out when asked', () => {
    const snapshot = new SocketReader({ procRoot: proc.root, passwdPath: passwd, udp: false }).snapshot();
    assert.ok(snapshot.sockets.length > 0);
    assert.ok(snapshot.sockets.every((s) => s.protocol === 'tcp'));
  });

  it('keeps owners right across refreshes: new fds, exits, and an fd number reused for another socket', () => {
    const reader = new SocketReader({ procRoot: proc.root, passwdPath: passwd });
    reader.snapshot();

    proc.setFd(200, 13, 'socket:[3006]');
    let snapshot = reader.snapshot();
    assert.equal(find(snapshot, 'tcp', '2001:db8::1', 9000)?.pid, 200);

    proc.removeProcess(101);
    snapshot = reader.snapshot();
    assert.deepEqual(
      find(snapshot, 'tcp', '127.0.0.1', 5432)?.owners.map((o) => o.pid),
      [100],
    );

    // A new socket on a reused fd number (same fd count): only a full rescan can see it.
    proc.appendRow(
      'tcp6',
      '   6: 00000000000000000000000001000000:2329 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 3007 1 0000000000000000 100 0 0 10 0\n',
    );
    proc.setFd(200, 13, 'socket:[3007]');
    snapshot = reader.snapshot();
    assert.equal(find(snapshot, 'tcp', '::1', 9001)?.pid, 200);
    assert.equal(find(snapshot, 'tcp', '2001:db8::1', 9000)?.ownerVisible, false);

    proc.closeFd(300, 3);
    snapshot = reader.snapshot();
    assert.equal(find(snapshot, 'tcp', '::', 80)?.ownerVisible, false);
  });

  it('recounts connections only as often as asked, and keeps the last counts in between', () => {
    const reader = new SocketReader({ procRoot: proc.root, passwdPath: passwd, connectionsMaxAgeMs: 60_000 });
    const first = reader.snapshot();
    assert.equal(find(first, 'tcp', '127.0.0.1', 5432)?.connections.established, 2);
    proc.appendRow(
      'tcp',
      '  11: 0100007F:1538 0100007F:C360 01 00000000:00000000 00:00000000 00000000   105        0 2010 1 0000000000000000 20 4 30 10 -1\n',
    );
    const second = reader.snapshot();
    assert.equal(find(second, 'tcp', '127.0.0.1', 5432)?.connections.established, 2);
    assert.equal(second.connectionsTakenAt, first.connectionsTakenAt);
    const fresh = new SocketReader({ procRoot: proc.root, passwdPath: passwd }).snapshot();
    assert.equal(find(fresh, 'tcp', '127.0.0.1', 5432)?.connections.established, 3);
    // A caller that shows counts asks for a recount, and the counts after it are kept.
    const asked = reader.snapshot({ recountConnections: true });
    assert.equal(find(asked, 'tcp', '127.0.0.1', 5432)?.connections.established, 3);
    assert.ok((asked.connectionsTakenAt ?? 0) >= (first.connectionsTakenAt ?? 0));
    assert.equal(find(reader.snapshot(), 'tcp', '127.0.0.1', 5432)?.connections.established, 3);
  });

  it("a later process takes remembered owners only after checking each listener's fd", () => {
    const hints = path.join(proc.root, 'owners.txt');
    for (const pid of [100, 101, 200, 300, 400]) {
      writeFileSync(
        path.join(proc.root, String(pid), 'stat'),
        `${pid} (some (odd) name) S 1 1 1 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 ${5000 + pid} 0 0\n`,
      );
    }
    const first = new SocketReader({
      procRoot: proc.root,
      passwdPath: passwd,
      ownerHintsPath: hints,
    }).snapshot();
    const remembered = readFileSync(hints, 'latin1');
    assert.match(remembered, /^100 5100 4 3:1002$/m);
    assert.match(remembered, /^unowned .*\b1001\b/m);
    appendFileSync(hints, 'marker\n');
    const again = new SocketReader({
      procRoot: proc.root,
      passwdPath: passwd,
      ownerHintsPath: hints,
    }).snapshot();
    // Nothing changed, so the file was not rewritten.
    assert.match(readFileSync(hints, 'latin1'), /^marker$/m);
    assert.deepEqual(
      again.sockets.map((s) => `${s.port} ${s.owners.map((o) => `${o.pid}:${o.process}`).join(',')}`),
      first.sockets.map((s) => `${s.port} ${s.owners.map((o) => `${o.pid}:${o.process}`).join(',')}`),
    );
    // Same pid, start time and fd count, but fd 3 now holds another socket: the file is wrong
    // about pid 100 and must not be believed.
    proc.setFd(100, 3, 'socket:[9999]');
    const stale = new SocketReader({
      procRoot: proc.root,
      passwdPath: passwd,
      ownerHintsPath: hints,
    }).snapshot();
    assert.deepEqual(
      find(stale, 'tcp', '127.0.0.1', 5432)?.owners.map((o) => o.pid),
      [101],
    );
    assert.doesNotMatch(readFileSync(hints, 'latin1'), /^marker$/m);
    assert.match(readFileSync(hints, 'latin1'), /^100 5100 4$/m);
    // A pid that now names another process (new start time) is read afresh, not taken from the file.
    proc.setFd(200, 10, '/dev/null');
    writeFileSync(
      path.join(proc.root, '200', 'stat'),
      '200 (node) S 1 1 1 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 9999 0 0\n',
    );
    const reused = new SocketReader({
      procRoot: proc.root,
      passwdPath: passwd,
      ownerHintsPath: hints,
    }).snapshot();
    assert.equal(find(reused, 'tcp', '127.0.0.1', 8080)?.ownerVisible, false);
    assert.equal(find(reused, 'tcp', '::1', 8080)?.pid, 200);
  });

  it("rewrites the owner file with the unchanged processes' lines as they were, and only current listeners", () => {
    const hints = path.join(proc.root, 'owners.txt');
    for (const pid of [100, 101, 200, 300, 400]) {
      writeFileSync(
        path.join(proc.root, String(pid), 'stat'),
        `${pid} (x) S 1 1 1 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 ${5000 + pid} 0 0\n`,
      );
    }
    new SocketReader({ procRoot: proc.root, passwdPath: passwd, ownerHintsPath: hints }).snapshot();
    const before = readFileSync(hints, 'latin1');
    const line100 = before.split('\n').find((l) => l.startsWith('100 '));
    assert.equal(line100, '100 5100 4 3:1002');
    // A new process appears: the file is rewritten, pid 100's line stays as it was.
    proc.addProcess(500, 'sleep', ['sleep', '9'], { 0: '/dev/null' });
    writeFileSync(
      path.join(proc.root, '500', 'stat'),
      '500 (sleep) S 1 1 1 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 5500 0 0\n',
    );
    const second = new SocketReader({
      procRoot: proc.root,
      passwdPath: passwd,
      ownerHintsPath: hints,
    }).snapshot();
    const after = readFileSync(hints, 'latin1');
    assert.notEqual(after, before);
    assert.match(after, /^500 5500 1$/m);
    assert.match(after, /^100 5100 4 3:1002$/m);
    assert.deepEqual(
      find(second, 'tcp', '127.0.0.1', 5432)?.owners.map((o) => o.pid),
      [100, 101],
    );
  });

  it('reports an unreadable table as a warning and still lists the others', () => {
    rmSync(path.join(proc.root, 'net', 'tcp'));
    mkdirSync(path.join(proc.root, 'net', 'tcp'));
    const snapshot = new SocketReader({ procRoot: proc.root, passwdPath: passwd }).snapshot();
    assert.equal(snapshot.warnings.length, 1);
    assert.match(snapshot.warnings[0], /net\/tcp/);
    assert.ok(find(snapshot, 'tcp', '::1', 8080));
    assert.equal(find(snapshot, 'tcp', '127.0.0.1', 8080), undefined);
  });
});

describe('system: socket link targets', () => {
  it('matches socket:[inode] exactly and nothing else', () => {
    assert.equal(isSocketLink('socket:[1002]', 1002), true);
    assert.equal(isSocketLink('socket:[1002]', 100), false);
    assert.equal(isSocketLink('socket:[10020]', 1002), false);
    assert.equal(isSocketLink('pipe:[1002]', 1002), false);
    assert.equal(isSocketLink('socket:[10a2]', 1002), false);
    assert.equal(isSocketLink('socket:[]', 0), false);
    assert.equal(isSocketLink('socket:[1002', 1002), false);
    assert.equal(isSocketLink('', 0), false);
  });
});

describe('system: snapshot deltas between worker and client', () => {
  const socket = (inode: number, port: number, established = 0): ListeningSocket => ({
    protocol: 'tcp',
    family: 'ipv4',
    address: '127.0.0.1',
    port,
    ownerVisible: true,
    owners: [{ pid: 10, process: 'node', command: 'node a.js' }],
    pid: 10,
    process: 'node',
    command: 'node a.js',
    inode,
    connections: { established, timeWait: 0, closeWait: 0 },
  });
  const snapshot = (sockets: ListeningSocket[]): ListeningSnapshot => ({
    sockets,
    takenAt: 1,
    durationMs: 1,
    source: 'proc',
    warnings: [],
  });
  // Structured clone, as postMessage does.
  const send = <T>(value: T): T => structuredClone(value);

  it('sends only new or changed sockets and rebuilds the full list in order', () => {
    const encoder = new DeltaEncoder();
    const decoder = new DeltaDecoder();
    const first = encoder.encode(snapshot([socket(1, 80), socket(2, 443)]));
    assert.equal(first.changed.length, 2);
    const a = decoder.decode(send(first));
    assert.deepEqual(
      a.sockets.map((s) => s.port),
      [80, 443],
    );

    const second = encoder.encode(snapshot([socket(1, 80, 5), socket(2, 443), socket(3, 8080)]));
    assert.deepEqual(second.changedKeys, [1, 3]);
    const b = decoder.decode(send(second));
    assert.deepEqual(
      b.sockets.map((s) => [s.port, s.connections.established]),
      [
        [80, 5],
        [443, 0],
        [8080, 0],
      ],
    );
    assert.equal(b.sockets[1], a.sockets[1], 'unchanged socket keeps its identity');

    const third = encoder.encode(snapshot([socket(3, 8080)]));
    assert.equal(third.changed.length, 0);
    assert.deepEqual(
      decoder.decode(send(third)).sockets.map((s) => s.port),
      [8080],
    );
  });

  it('resends a socket whose owner changed', () => {
    const encoder = new DeltaEncoder();
    encoder.encode(snapshot([socket(1, 80)]));
    const moved = socket(1, 80);
    moved.owners = [{ pid: 11, process: 'nginx', command: 'nginx' }];
    assert.equal(encoder.encode(snapshot([moved])).changed.length, 1);
  });
});

describe('system: SocketReader on this machine', function () {
  if (process.platform !== 'linux') {
    return;
  }
  const servers: net.Server[] = [];
  const sockets: net.Socket[] = [];
  let udp: dgram.Socket | undefined;
  const ownName = readFileSync('/proc/self/comm', 'utf8').trim();

  async function listen(host: string): Promise<number> {
    const server = net.createServer((socket) => sockets.push(socket));
    servers.push(server);
    server.listen(0, host);
    await once(server, 'listening');
    return (server.address() as net.AddressInfo).port;
  }

  after(async () => {
    for (const socket of sockets) {
      socket.destroy();
    }
    udp?.close();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it('finds listeners on 127.0.0.1 and ::1 and a UDP socket, owned by this process', async () => {
    const port4 = await listen('127.0.0.1');
    const port6 = await listen('::1');
    udp = dgram.createSocket('udp4');
    udp.bind(0, '127.0.0.1');
    await once(udp, 'listening');
    const udpPort = udp.address().port;

    const snapshot = new SocketReader().snapshot();
    const v4 = find(snapshot, 'tcp', '127.0.0.1', port4);
    const v6 = find(snapshot, 'tcp', '::1', port6);
    const u = find(snapshot, 'udp', '127.0.0.1', udpPort);
    for (const socket of [v4, v6, u]) {
      assert.ok(socket, 'socket listed');
      assert.equal(socket.pid, process.pid);
      assert.equal(socket.process, ownName);
      assert.ok(socket.command?.includes('mocha'), socket.command);
      assert.equal(socket.uid, process.getuid?.());
    }
    assert.equal(v6?.family, 'ipv6');
    // True negatives: nothing invented on the other family or the other protocol.
    assert.equal(find(snapshot, 'tcp', '::1', port4), undefined);
    assert.equal(find(snapshot, 'udp', '127.0.0.1', port4), undefined);
  });

  it('counts a connected client, and sees a listener that appeared after a warm-up', async () => {
    const reader = new SocketReader();
    reader.snapshot();
    const port = await listen('127.0.0.1');
    let snapshot = reader.snapshot();
    assert.deepEqual(find(snapshot, 'tcp', '127.0.0.1', port)?.connections, {
      established: 0,
      timeWait: 0,
      closeWait: 0,
    });
    assert.equal(find(snapshot, 'tcp', '127.0.0.1', port)?.pid, process.pid);

    const client = net.connect(port, '127.0.0.1');
    sockets.push(client);
    await once(client, 'connect');
    snapshot = reader.snapshot();
    assert.equal(find(snapshot, 'tcp', '127.0.0.1', port)?.connections.established, 1);
  });

  it('drops a listener once it is closed', async () => {
    const reader = new SocketReader();
    const server = net.createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;
    assert.ok(find(reader.snapshot(), 'tcp', '127.0.0.1', port));
    await new Promise((resolve) => server.close(resolve));
    assert.equal(find(reader.snapshot(), 'tcp', '127.0.0.1', port), undefined);
  });

  it('gives the same answer through the worker thread and in-thread', async () => {
    const port = await listen('::1');
    const worker = createSocketService();
    const inThread = createSocketService({ inThread: true });
    try {
      assert.equal(worker.mode, 'worker');
      assert.equal(inThread.mode, 'in-thread');
      const [a, b] = await Promise.all([worker.refresh(), inThread.refresh()]);
      assert.equal(find(a, 'tcp', '::1', port)?.pid, process.pid);
      assert.equal(find(b, 'tcp', '::1', port)?.pid, process.pid);
      assert.equal(worker.last, a);
      // Warm refreshes through the worker send deltas: a new listener appears, a closed one goes,
      // and an unchanged socket keeps its object identity.
      const extra = net.createServer().listen(0, '127.0.0.1');
      await once(extra, 'listening');
      const extraPort = (extra.address() as net.AddressInfo).port;
      const again = await worker.refresh();
      assert.equal(find(again, 'tcp', '::1', port)?.process, ownName);
      assert.equal(find(again, 'tcp', '::1', port), find(a, 'tcp', '::1', port));
      assert.equal(find(again, 'tcp', '127.0.0.1', extraPort)?.pid, process.pid);
      await new Promise((resolve) => extra.close(resolve));
      const after = await worker.refresh();
      assert.equal(find(after, 'tcp', '127.0.0.1', extraPort), undefined);
      assert.ok(find(after, 'tcp', '::1', port));
    } finally {
      worker.dispose();
      inThread.dispose();
    }
  });

  it('reading only the listening part of the kernel table finds the same listeners', async () => {
    // Keep a connection open so the table has rows after the listeners.
    const port = await listen('127.0.0.1');
    const client = net.connect(port, '127.0.0.1');
    sockets.push(client);
    await once(client, 'connect');
    const listeners = (bytes: Buffer, family: 'ipv4' | 'ipv6') =>
      new Set(parseProcNetTable(bytes, 'tcp', family, new Set([TcpState.listen])).map((e) => e.inode));
    for (const [file, family] of [
      ['tcp', 'ipv4'],
      ['tcp6', 'ipv6'],
    ] as const) {
      const before = listeners(readFileSync(`/proc/net/${file}`), family);
      const partial = listeners(readListenerRows(`/proc/net/${file}`), family);
      const after = listeners(readFileSync(`/proc/net/${file}`), family);
      // Other processes may open or close listeners meanwhile: compare with what both full reads agree on.
      for (const inode of before) {
        if (after.has(inode)) {
          assert.ok(partial.has(inode), `${file}: listener inode ${inode} missed`);
        }
      }
      for (const inode of partial) {
        assert.ok(before.has(inode) || after.has(inode), `${file}: inode ${inode} invented`);
      }
    }
  });

  for (const inThread of [false, true]) {
    it(`recounts connections on request between timed recounts (${inThread ? 'in-thread' : 'worker'})`, async () => {
      const port = await listen('127.0.0.1');
      const service = createSocketService({ inThread, adaptive: false, connectionsMaxAgeMs: 3_600_000 });
      try {
        assert.equal(service.mode, inThread ? 'in-thread' : 'worker');
        const first = await service.refresh();
        assert.equal(find(first, 'tcp', '127.0.0.1', port)?.connections.established, 0);
        const client = net.connect(port, '127.0.0.1');
        sockets.push(client);
        await once(client, 'connect');
        // A plain refresh keeps the last counts (and still sees the listener and its owner)...
        const plain = await service.refresh();
        assert.equal(find(plain, 'tcp', '127.0.0.1', port)?.pid, process.pid);
        assert.equal(find(plain, 'tcp', '127.0.0.1', port)?.connections.established, 0);
        assert.equal(plain.connectionsTakenAt, first.connectionsTakenAt);
        // ...and a recount asked for while a plain refresh runs waits for a refresh of its own.
        const [, recounted] = await Promise.all([
          service.refresh(),
          service.refresh({ recountConnections: true }),
        ]);
        assert.equal(find(recounted, 'tcp', '127.0.0.1', port)?.connections.established, 1);
        assert.ok((recounted.connectionsTakenAt ?? 0) >= (first.connectionsTakenAt ?? 0));
        assert.equal(find(await service.refresh(), 'tcp', '127.0.0.1', port)?.connections.established, 1);
      } finally {
        service.dispose();
      }
    });
  }

  describe('adaptive placement', () => {
    /** A stand-in worker whose snapshots report the given durations, one per refresh. */
    function fakeWorker(durations: number[]): SocketService & { calls: number } {
      const fake = {
        calls: 0,
        mode: 'worker' as const,
        last: undefined,
        refresh: () => {
          const durationMs = durations[Math.min(fake.calls++, durations.length - 1)];
          return Promise.resolve<ListeningSnapshot>({
            sockets: [],
            takenAt: Date.now(),
            durationMs,
            source: 'proc',
            warnings: [],
          });
        },
        dispose: () => undefined,
      };
      return fake;
    }

    it('moves into this thread after three short worker snapshots, and back after a long one here', async () => {
      const port = await listen('127.0.0.1');
      const worker = fakeWorker([20, 2, 2, 2]);
      const service = new AdaptiveService(
        worker,
        {},
        { inThreadBelowMs: 8, inThreadColdLimitMs: 60, workerAboveMs: -1 },
      );
      for (let i = 0; i < 4; i++) {
        assert.equal(service.mode, 'worker');
        await service.refresh();
      }
      assert.equal(service.mode, 'in-thread');
      // Read here for real: the listener is there with its owner.
      const here = await service.refresh();
      assert.equal(worker.calls, 4);
      assert.equal(find(here, 'tcp', '127.0.0.1', port)?.pid, process.pid);
      // The first snapshot in this thread never counts as long; the second one does here (limit -1).
      assert.equal(service.mode, 'in-thread');
      await service.refresh();
      assert.equal(service.mode, 'worker');
      await service.refresh();
      assert.equal(worker.calls, 5);
      service.dispose();
    });

    it('stays in the worker when its first snapshot was long, or its snapshots are not short', async () => {
      const coldSlow = new AdaptiveService(fakeWorker([500, 1, 1, 1, 1]), {});
      const warmSlow = new AdaptiveService(fakeWorker([20, 9, 2, 9, 2, 2]), {});
      for (let i = 0; i < 5; i++) {
        await coldSlow.refresh();
        await warmSlow.refresh();
      }
      assert.equal(coldSlow.mode, 'worker');
      assert.equal(warmSlow.mode, 'worker');
      await warmSlow.refresh();
      assert.equal(warmSlow.mode, 'worker');
      await warmSlow.refresh();
      assert.equal(warmSlow.mode, 'in-thread');
      coldSlow.dispose();
      warmSlow.dispose();
    });
  });

  it('falls back to in-thread when the worker file is missing', () => {
    const service = createSocketService({ workerPath: path.join(os.tmpdir(), 'no-such-socketWorker.js') });
    assert.equal(service.mode, 'in-thread');
    service.dispose();
  });
});
