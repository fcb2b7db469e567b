import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ancestorPids, isProcessAlive, killPortOwner, parseStatParent } from '../../system/kill';

const fixtures = path.resolve(__dirname, '../../../src/test/fixtures/system');

/** A child node process; with `listen`, it listens on 127.0.0.1 and reports the port. */
async function startChild(listen: boolean): Promise<{ child: ChildProcess; port: number }> {
  const script = listen
    ? "const s=require('net').createServer().listen(0,'127.0.0.1',()=>console.log(s.address().port));"
    : 'console.log(0);setInterval(()=>{},1000);';
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [data] = (await once(child.stdout, 'data')) as [Buffer];
  return { child, port: Number(data.toString().trim()) };
}

describe('system: killPortOwner guards', () => {
  let server: net.Server;
  let port: number;
  const children: ChildProcess[] = [];

  before(async () => {
    server = net.createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as net.AddressInfo).port;
  });

  after(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
    }
    await new Promise((resolve) => server.close(resolve));
  });

  for (const pid of [
    1,
    0,
    -5,
    Number.NaN,
    1.5,
    Number.POSITIVE_INFINITY,
    2 ** 60,
    '1234' as unknown as number,
  ]) {
    it(`refuses pid ${String(pid)} as invalid`, async () => {
      const result = await killPortOwner(pid, port, 'tcp');
      assert.equal(result.kind, 'refused');
      assert.equal(result.kind === 'refused' && result.reason, 'invalid-pid');
    });
  }

  it('refuses this process even though it owns the port', async () => {
    const result = await killPortOwner(process.pid, port, 'tcp');
    assert.equal(result.kind === 'refused' && result.reason, 'self');
  });

  it('refuses the parent and every ancestor', async () => {
    const ancestors = ancestorPids();
    if (process.ppid > 1) {
      assert.equal(ancestors[0], process.ppid);
    }
    for (const pid of ancestors) {
      const result = await killPortOwner(pid, port, 'tcp');
      assert.equal(result.kind === 'refused' && result.reason, 'ancestor', `pid ${pid}`);
    }
  });

  it('refuses a live process that does not hold the port, and leaves it running', async () => {
    const { child } = await startChild(false);
    children.push(child);
    const result = await killPortOwner(child.pid!, port, 'tcp');
    assert.equal(result.kind === 'refused' && result.reason, 'not-owner');
    assert.equal(isProcessAlive(child.pid!), true);
  });

  it('refuses a port number that is out of range', async () => {
    const result = await killPortOwner(424242, 70000, 'tcp');
    assert.equal(result.kind, 'refused');
  });

  it('stops a child that listens on the port with SIGTERM', async () => {
    const { child, port: childPort } = await startChild(true);
    children.push(child);
    const exited = once(child, 'exit');
    const result = await killPortOwner(child.pid!, childPort, 'tcp');
    assert.deepEqual(result, { kind: 'signalled', pid: child.pid, signal: 'SIGTERM', process: 'node' });
    const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    assert.equal(signal, 'SIGTERM');
    assert.equal(isProcessAlive(child.pid!), false);
    // The pid no longer owns anything: a second attempt is refused, not sent to a reused pid.
    const again = await killPortOwner(child.pid!, childPort, 'tcp');
    assert.equal(again.kind === 'refused' && again.reason, 'not-owner');
  });

  it('escalates with SIGKILL when asked', async () => {
    const script =
      "process.on('SIGTERM',()=>{});const s=require('net').createServer().listen(0,'127.0.0.1',()=>console.log(s.address().port));";
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    const [data] = (await once(child.stdout, 'data')) as [Buffer];
    const childPort = Number(data.toString().trim());
    const exited = once(child, 'exit');
    const result = await killPortOwner(child.pid!, childPort, 'tcp', { signal: 'SIGKILL' });
    assert.equal(result.kind === 'signalled' && result.signal, 'SIGKILL');
    const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    assert.equal(signal, 'SIGKILL');
  });

  it('says "stop the container" for a Docker proxy instead of signalling it', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'portolan-kill-'));
    try {
      mkdirSync(path.join(root, 'net'));
      for (const table of ['tcp', 'tcp6']) {
        copyFileSync(path.join(fixtures, `proc-net-${table}.txt`), path.join(root, 'net', table));
      }
      // A pid far above pid_max, so nothing real can be hit if the guard were missing.
      const fakePid = 99_999_999;
      mkdirSync(path.join(root, String(fakePid), 'fd'), { recursive: true });
      writeFileSync(path.join(root, String(fakePid), 'comm'), 'docker-proxy\n');
      symlinkSync('socket:[3001]', path.join(root, String(fakePid), 'fd', '3'));
      const result = await killPortOwner(fakePid, 80, 'tcp', { procRoot: root });
      assert.equal(result.kind, 'docker');
      assert.match(result.kind === 'docker' ? result.message : '', /stop the container/);
      const wrongPort = await killPortOwner(fakePid, 8080, 'tcp', { procRoot: root });
      assert.equal(wrongPort.kind === 'refused' && wrongPort.reason, 'not-owner');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('reads ppid from stat even when the name has spaces and parentheses', () => {
    assert.equal(parseStatParent('4242 (my (weird) name) S 17 4242 4242 0 -1 4194560'), 17);
    assert.equal(parseStatParent('garbage'), undefined);
  });
});
