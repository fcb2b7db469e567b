// The system layer on a procfs that misbehaves the way real ones do: no IPv6 tables, rows cut
// short, a process whose fd directory is gone or is not a directory, kernel threads with no
// command line, names missing. And the kill guards against pids that are not pids.
import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isProcessAlive, killPortOwner } from '../../system/kill';
import { parseProcNetTable } from '../../system/procNet';
import { SocketReader } from '../../system/socketReader';
import type { ListeningSnapshot } from '../../system/types';

const HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

/** One kernel-style row: `addressHex:portHex`, state, uid and inode. */
function row(
  n: number,
  local: string,
  port: number,
  state: string,
  uid: number,
  inode: number,
  remote = '00000000:0000',
): string {
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  return `  ${n}: ${local}:${portHex} ${remote} ${state} 00000000:00000000 00:00000000 00000000  ${uid}        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;
}

const LOCALHOST = '0100007F';
const ANY = '00000000';
const ANY6 = '00000000000000000000000000000000';

class OddProc {
  readonly root = mkdtempSync(path.join(os.tmpdir(), 'portolan-oddproc-'));

  constructor() {
    mkdirSync(path.join(this.root, 'net'));
  }

  table(name: string, text: string | Buffer): void {
    writeFileSync(path.join(this.root, 'net', name), text);
  }

  process(pid: number, files: { comm?: string; cmdline?: string; fds?: Record<string, string> }): string {
    const dir = path.join(this.root, String(pid));
    mkdirSync(path.join(dir, 'fd'), { recursive: true });
    if (files.comm !== undefined) {
      writeFileSync(path.join(dir, 'comm'), files.comm);
    }
    if (files.cmdline !== undefined) {
      writeFileSync(path.join(dir, 'cmdline'), files.cmdline);
    }
    for (const [fd, target] of Object.entries(files.fds ?? {})) {
      symlinkSync(target, path.join(dir, 'fd', fd));
    }
    return dir;
  }

  reader(): SocketReader {
    return new SocketReader({ procRoot: this.root, passwdPath: path.join(this.root, 'no-passwd') });
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

function portsOf(snapshot: ListeningSnapshot): string[] {
  return snapshot.sockets.map((s) => `${s.protocol}/${s.family}/${s.port}/${s.pid ?? '-'}`);
}

describe('robustness: SocketReader on odd procfs trees', () => {
  let proc: OddProc;

  beforeEach(() => {
    proc = new OddProc();
  });

  afterEach(() => {
    proc.dispose();
  });

  it('IPv6 disabled (no tcp6/udp6): lists IPv4 sockets with no warning', () => {
    proc.table('tcp', HEADER + row(0, LOCALHOST, 8080, '0A', 0, 7001));
    proc.table('udp', HEADER + row(0, ANY, 5353, '07', 0, 7002));
    proc.process(300, {
      comm: 'web\n',
      cmdline: ['web', '--port', '8080', ''].join('\u0000'),
      fds: { '3': 'socket:[7001]', '4': 'socket:[7002]' },
    });
    const snapshot = proc.reader().snapshot();
    assert.deepEqual(portsOf(snapshot), ['udp/ipv4/5353/300', 'tcp/ipv4/8080/300'].sort(byPort));
    assert.deepEqual(snapshot.warnings, []);
    assert.equal(snapshot.sockets.find((s) => s.port === 8080)?.command, 'web --port 8080');
  });

  it('no net directory at all: an empty snapshot, no throw', () => {
    rmSync(path.join(proc.root, 'net'), { recursive: true });
    const snapshot = proc.reader().snapshot();
    assert.deepEqual(snapshot.sockets, []);
  });

  it('a table that is a directory is a warning, not a crash', () => {
    proc.table('tcp', HEADER + row(0, LOCALHOST, 8080, '0A', 0, 7001));
    mkdirSync(path.join(proc.root, 'net', 'tcp6'));
    const snapshot = proc.reader().snapshot();
    assert.deepEqual(portsOf(snapshot), ['tcp/ipv4/8080/-']);
    assert.equal(snapshot.warnings.length, 1);
    assert.match(snapshot.warnings[0], /tcp6/);
  });

  it('truncated and garbage rows are dropped; whole rows around them still count', () => {
    const good1 = row(0, LOCALHOST, 8080, '0A', 0, 7001);
    const good2 = row(1, ANY, 9090, '0A', 0, 7003);
    const cut = row(2, ANY, 7070, '0A', 0, 7004).slice(0, 40);
    const text = HEADER + good1 + '   1: zzzzzzzz:GGGG nonsense\n' + good2 + '\n\n' + cut;
    proc.table('tcp', text);
    proc.table('tcp6', HEADER + row(0, ANY6, 443, '0A', 0, 7005).slice(0, 60));
    assert.deepEqual(
      parseProcNetTable(text, 'tcp', 'ipv4').map((e) => `${e.port}/${e.inode}`),
      ['8080/7001', '9090/7003'],
    );
    const snapshot = proc.reader().snapshot();
    assert.deepEqual(portsOf(snapshot), ['tcp/ipv4/8080/-', 'tcp/ipv4/9090/-']);
  });

  it('binary junk and absurd numbers in a table neither throw nor invent sockets', () => {
    const junk = Buffer.alloc(64 * 1024);
    for (let i = 0; i < junk.length; i++) {
      junk[i] = (i * 7919 + 13) & 0xff;
    }
    proc.table(
      'tcp',
      Buffer.concat([Buffer.from(HEADER), junk, Buffer.from('\n' + row(0, LOCALHOST, 8080, '0A', 0, 7001))]),
    );
    // Port field past 0xFFFF and an inode past 2^53: not sockets the kernel could print.
    proc.table(
      'udp',
      HEADER +
        '   0: 0100007F:FFFFF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 99999999999999999999 1\n',
    );
    const snapshot = proc.reader().snapshot();
    for (const s of snapshot.sockets) {
      assert.ok(s.port >= 0 && s.port <= 65535, `port ${s.port}`);
      assert.ok(s.inode === undefined || Number.isSafeInteger(s.inode), `inode ${s.inode}`);
    }
    assert.ok(snapshot.sockets.some((s) => s.port === 8080 && s.protocol === 'tcp'));
  });

  it('a process whose fd is a file instead of a directory (it exited mid-scan) has no sockets, others keep theirs', () => {
    proc.table(
      'tcp',
      HEADER + row(0, LOCALHOST, 8080, '0A', 0, 7001) + row(1, LOCALHOST, 8081, '0A', 0, 7002),
    );
    proc.process(300, { comm: 'good\n', cmdline: 'good\0', fds: { '3': 'socket:[7001]' } });
    const gone = proc.process(301, { comm: 'gone\n', cmdline: 'gone\0' });
    rmSync(path.join(gone, 'fd'), { recursive: true });
    writeFileSync(path.join(gone, 'fd'), 'not a directory');
    const snapshot = proc.reader().snapshot();
    const s8080 = snapshot.sockets.find((s) => s.port === 8080);
    const s8081 = snapshot.sockets.find((s) => s.port === 8081);
    assert.equal(s8080?.pid, 300);
    assert.equal(s8081?.ownerVisible, false);
  });

  it('fd entries that dangle, loop or hold junk targets are skipped', () => {
    proc.table('tcp', HEADER + row(0, LOCALHOST, 8080, '0A', 0, 7001));
    const dir = proc.process(300, {
      comm: 'odd\n',
      cmdline: 'odd\0',
      fds: {
        '0': 'socket:[abc]',
        '1': 'socket:[99999999999999999999]',
        '2': 'socket:[',
        '4': 'socket:[7001]',
      },
    });
    symlinkSync('5', path.join(dir, 'fd', '5'));
    mkdirSync(path.join(dir, 'fd', '6'));
    writeFileSync(path.join(dir, 'fd', '7'), 'a file where a link should be');
    const snapshot = proc.reader().snapshot();
    assert.deepEqual(portsOf(snapshot), ['tcp/ipv4/8080/300']);
  });

  it('the whole process directory vanishing between snapshots drops its owner and nothing else', () => {
    proc.table(
      'tcp',
      HEADER + row(0, LOCALHOST, 8080, '0A', 0, 7001) + row(1, LOCALHOST, 8081, '0A', 0, 7002),
    );
    proc.process(300, { comm: 'a\n', cmdline: 'a\0', fds: { '3': 'socket:[7001]' } });
    const b = proc.process(301, { comm: 'b\n', cmdline: 'b\0', fds: { '3': 'socket:[7002]' } });
    const reader = proc.reader();
    assert.deepEqual(portsOf(reader.snapshot()), ['tcp/ipv4/8080/300', 'tcp/ipv4/8081/301']);
    rmSync(b, { recursive: true });
    assert.deepEqual(portsOf(reader.snapshot()), ['tcp/ipv4/8080/300', 'tcp/ipv4/8081/-']);
  });

  it('missing comm and an empty cmdline (kernel threads) still name the pid, with empty strings, not undefined', () => {
    proc.table(
      'tcp',
      HEADER + row(0, LOCALHOST, 8080, '0A', 0, 7001) + row(1, LOCALHOST, 8081, '0A', 0, 7002),
    );
    proc.process(300, { cmdline: 'server\0', fds: { '3': 'socket:[7001]' } });
    proc.process(2, { comm: 'kthreadd\n', cmdline: '', fds: { '3': 'socket:[7002]' } });
    const snapshot = proc.reader().snapshot();
    const noComm = snapshot.sockets.find((s) => s.port === 8080);
    const kernel = snapshot.sockets.find((s) => s.port === 8081);
    assert.equal(noComm?.pid, 300);
    assert.equal(typeof noComm?.process, 'string');
    assert.equal(noComm?.command, 'server');
    assert.equal(kernel?.pid, 2);
    assert.equal(kernel?.process, 'kthreadd');
    assert.equal(kernel?.command, '');
  });

  it('an unreadable comm (a directory) and non-numeric entries under the root are tolerated', () => {
    proc.table('tcp', HEADER + row(0, LOCALHOST, 8080, '0A', 0, 7001));
    const dir = proc.process(300, { cmdline: 'x\0', fds: { '3': 'socket:[7001]' } });
    mkdirSync(path.join(dir, 'comm'));
    mkdirSync(path.join(proc.root, '12abc'));
    mkdirSync(path.join(proc.root, 'self'));
    writeFileSync(path.join(proc.root, '999'), 'a file, not a process directory');
    const snapshot = proc.reader().snapshot();
    assert.equal(snapshot.sockets[0]?.pid, 300);
  });

  it('an unreadable fd directory counts as not visible (skipped as root, who reads anything)', function () {
    if (process.getuid?.() === 0) {
      this.skip();
    }
    proc.table('tcp', HEADER + row(0, LOCALHOST, 8080, '0A', 0, 7001));
    const dir = proc.process(300, { comm: 'x\n', cmdline: 'x\0', fds: { '3': 'socket:[7001]' } });
    chmodSync(path.join(dir, 'fd'), 0o000);
    try {
      const snapshot = proc.reader().snapshot();
      assert.equal(snapshot.sockets[0]?.ownerVisible, false);
    } finally {
      chmodSync(path.join(dir, 'fd'), 0o755);
    }
  });
});

function byPort(a: string, b: string): number {
  return Number(a.split('/')[2]) - Number(b.split('/')[2]);
}

describe('robustness: kill guards refuse what is not a pid', () => {
  let proc: OddProc;

  before(() => {
    proc = new OddProc();
    proc.table('tcp', HEADER + row(0, LOCALHOST, 8080, '0A', 0, 7001));
  });

  after(() => {
    proc.dispose();
  });

  const notPids: [string, unknown][] = [
    ['"1; rm -rf /"', '1; rm -rf /'],
    ['"1234" (a numeric string)', '1234'],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['1.5', 1.5],
    ['-5', -5],
    ['0 (the whole process group)', 0],
    ['-1 (every process)', -1],
    ['1 (init)', 1],
    ['2**53 (not a safe integer)', 2 ** 53],
    ['undefined', undefined],
    ['an object', { valueOf: () => 1234 }],
  ];
  for (const [label, pid] of notPids) {
    it(`refuses ${label} without signalling anything`, async () => {
      const result = await killPortOwner(pid as number, 8080, 'tcp', { procRoot: proc.root });
      assert.equal(result.kind, 'refused', JSON.stringify(result));
      assert.equal(result.kind === 'refused' && result.reason, 'invalid-pid');
      if (pid !== 1) {
        assert.equal(isProcessAlive(pid as number), false);
      }
    });
  }

  it('refuses 2**40 and 2**31 as invalid pids: no kernel hands them out and Node rejects them', async () => {
    for (const pid of [2 ** 40, 2 ** 31]) {
      const result = await killPortOwner(pid, 8080, 'tcp', { procRoot: proc.root });
      assert.equal(result.kind, 'refused', JSON.stringify(result));
      assert.equal(result.kind === 'refused' && result.reason, 'invalid-pid', JSON.stringify(result));
    }
    assert.equal(isProcessAlive(2 ** 40), false);
  });

  it('refuses a real pid that does not hold the port', async () => {
    const result = await killPortOwner(process.pid === 4242 ? 4243 : 4242, 8080, 'tcp', {
      procRoot: proc.root,
    });
    assert.equal(result.kind, 'refused');
    assert.equal(result.kind === 'refused' && result.reason, 'not-owner');
  });

  it('refuses invalid ports before looking at any process', async () => {
    for (const port of [0, -1, 65536, 99999, 1.5, NaN]) {
      const result = await killPortOwner(4242, port, 'tcp', { procRoot: proc.root });
      assert.equal(result.kind, 'refused', `port ${port}`);
    }
  });
});
