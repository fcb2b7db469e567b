// Issue 13 item 7: a live row names its process by its working folder too, when that tells two
// `node server.js` or `python manage.py runserver` apart; the tooltip always shows the folder.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  buildPortsModel,
  socketTooltip,
  type PortsNode,
  type ProcessNode,
  type SocketNode,
} from '../../present/portsModel';
import { liveStatusMarkdown } from '../../present/liveMarkdown';
import { displayFolder, folderHints, type ProcessFolders } from '../../system/processIdentity';
import { readWorkingFolder, SocketReader } from '../../system/socketReader';
import { createSocketService } from '../../system/socketService';
import type { ListeningSocket } from '../../system/types';
import { names, snap, sock } from './live-fakes';

const home = '/home/ana';
const folders: ProcessFolders = {
  home,
  workspaceFolders: [{ name: 'shop', path: '/home/ana/src/shop' }],
};

function listeningRows(sockets: ListeningSocket[], groupByProcess = false): PortsNode[] {
  const model = buildPortsModel({
    snapshot: snap(sockets),
    liveAvailable: true,
    declarations: [],
    watchPorts: [],
    groupByProcess,
    showUdp: true,
    names,
    folders,
  });
  return model.sections.find((s) => s.section === 'listening')!.children;
}

function descriptionOf(rows: PortsNode[], port: number): string | undefined {
  return rows.find((n): n is SocketNode => n.kind === 'socket' && n.port === port)?.description;
}

describe('process working folder: labels and tooltips', () => {
  it('shortens the home folder to ~ and leaves other folders as they are', () => {
    assert.equal(displayFolder('/home/ana/src/api', home), '~/src/api');
    assert.equal(displayFolder('/home/ana', home), '~');
    assert.equal(displayFolder('/home/ana/', '/home/ana/'), '~');
    assert.equal(displayFolder('/home/anastasia/api', home), '/home/anastasia/api');
    assert.equal(displayFolder('/srv/api', home), '/srv/api');
    assert.equal(displayFolder('/srv/api', undefined), '/srv/api');
    assert.equal(displayFolder('/srv/api', '/'), '/srv/api');
  });

  it('names the last folder only for processes of one identity in different folders', () => {
    const hints = folderHints(
      [
        { pid: 1, process: 'node', command: 'node server.js', cwd: '/home/ana/src/api' },
        { pid: 2, process: 'node', command: 'node server.js', cwd: '/home/ana/src/web/' },
        { pid: 3, process: 'python3', command: 'python3 manage.py runserver', cwd: '/home/ana/src/blog' },
        { pid: 4, process: 'node', command: 'node worker.js', cwd: '/home/ana/src/api' },
        // Same identity, same folder: the folder tells nothing apart.
        { pid: 5, process: 'redis-server', command: 'redis-server *:6379', cwd: '/' },
        { pid: 6, process: 'redis-server', command: 'redis-server *:6380', cwd: '/' },
        // Unknown folder (another user's process): nothing, and it does not make others ambiguous.
        { pid: 7, process: 'python3', command: 'python3 manage.py runserver' },
      ],
      { home },
    );
    assert.deepEqual(
      [...hints].sort((a, b) => a[0] - b[0]),
      [
        [1, 'api'],
        [2, 'web'],
      ],
    );
  });

  it('names the workspace folder a process runs in, even when it is the only one of its kind', () => {
    const hints = folderHints(
      [
        { pid: 1, process: 'python3', command: 'python3 manage.py runserver', cwd: '/home/ana/src/shop' },
        { pid: 2, process: 'node', command: 'node vite', cwd: '/home/ana/src/shop/frontend' },
        { pid: 3, process: 'node', command: 'node server.js', cwd: '/home/ana/src/shopping' },
      ],
      folders,
    );
    assert.equal(hints.get(1), 'shop');
    assert.equal(hints.get(2), 'shop');
    assert.equal(hints.get(3), undefined);
  });

  it('rows of two `node server.js` say which folder each runs in; a lone process stays short', () => {
    const rows = listeningRows([
      sock(3000, { pid: 11, process: 'node', command: 'node server.js', cwd: '/home/ana/src/api' }),
      sock(3001, { pid: 12, process: 'node', command: 'node server.js', cwd: '/srv/web' }),
      sock(5432, { pid: 13, process: 'postgres', command: '/usr/lib/postgresql/16/bin/postgres', cwd: '/' }),
      sock(8000, {
        pid: 14,
        process: 'python3',
        command: 'python3 manage.py runserver',
        cwd: '/home/ana/src/shop',
      }),
    ]);
    assert.match(descriptionOf(rows, 3000)!, /^node server\.js in api \(11\) · /);
    assert.match(descriptionOf(rows, 3001)!, /^node server\.js in web \(12\) · /);
    assert.match(descriptionOf(rows, 5432)!, /^postgres \(13\) · /);
    assert.match(descriptionOf(rows, 8000)!, /^python manage\.py runserver in shop \(14\) · /);
  });

  it('process groups carry the folder in the label when it disambiguates, and always in the tooltip', () => {
    const rows = listeningRows(
      [
        sock(3000, { pid: 11, process: 'node', command: 'node server.js', cwd: '/home/ana/src/api' }),
        sock(3001, { pid: 12, process: 'node', command: 'node server.js', cwd: '/srv/web' }),
        sock(6379, {
          pid: 15,
          process: 'redis-server',
          command: 'redis-server *:6379',
          cwd: '/var/lib/redis',
        }),
      ],
      true,
    ) as ProcessNode[];
    const byPid = new Map(rows.map((g) => [g.pid, g]));
    assert.equal(byPid.get(11)?.label, 'node server.js in api');
    assert.equal(byPid.get(12)?.label, 'node server.js in web');
    assert.equal(byPid.get(15)?.label, 'redis-server');
    assert.equal(byPid.get(11)?.tooltip, 'node server.js\nFolder: ~/src/api');
    assert.equal(byPid.get(15)?.tooltip, 'redis-server *:6379\nFolder: /var/lib/redis');
  });

  it('the socket tooltip always shows the folder, home as ~, and nothing when it is unknown', () => {
    const known = sock(3000, {
      pid: 11,
      process: 'node',
      command: 'node server.js',
      cwd: '/home/ana/src/api',
    });
    const lines = socketTooltip(known, names, undefined, folders).split('\n');
    assert.ok(lines.includes('Command: node server.js'), lines.join('|'));
    assert.ok(lines.includes('Folder: ~/src/api'), lines.join('|'));
    const unknown = sock(3001, { pid: 12, process: 'node', command: 'node server.js' });
    assert.ok(!socketTooltip(unknown, names, undefined, folders).includes('Folder'));
  });

  it('the hover names the folder a holder runs in, and nothing for a holder without one', () => {
    const hover = liveStatusMarkdown(
      [
        sock(3000, { pid: 11, process: 'node', command: 'node server.js', cwd: '/home/ana/src/api' }),
        sock(3000, { pid: 12, process: 'node', command: 'node server.js', address: '::1', inode: 1 }),
      ],
      3000,
      { names, home },
    );
    assert.match(hover, /node server\\\.js \(pid 11\) in `~\/src\/api` on `127\.0\.0\.1`/);
    assert.match(hover, /node server\\\.js \(pid 12\) on `::1`/);
  });
});

describe('process working folder: read from /proc', function () {
  if (process.platform !== 'linux') {
    return;
  }
  let root: string;
  let child: ChildProcess | undefined;

  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'portolan-cwd-'));
  });

  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(root, { recursive: true, force: true });
  });

  it("reads a listener's working folder, in-thread and through the worker, and leaves out what it cannot read", async () => {
    const folder = path.join(root, 'my project');
    mkdirSync(folder);
    const script =
      "const s = require('net').createServer().listen(0, '127.0.0.1', () => console.log(s.address().port));";
    child = spawn(process.execPath, ['-e', script], { cwd: folder, stdio: ['ignore', 'pipe', 'inherit'] });
    const [data] = (await once(child.stdout!, 'data')) as [Buffer];
    const port = Number(data.toString().trim());
    const expected = realpathSync(folder);

    const reader = new SocketReader();
    const first = reader.snapshot().sockets.find((s) => s.port === port && s.address === '127.0.0.1');
    assert.equal(first?.pid, child.pid);
    assert.equal(first?.cwd, expected);
    assert.equal(first?.owners[0]?.cwd, expected);
    // Cached with the process's other facts: a warm snapshot says the same.
    const again = reader.snapshot().sockets.find((s) => s.port === port && s.address === '127.0.0.1');
    assert.equal(again?.cwd, expected);

    const service = createSocketService();
    try {
      const viaWorker = await service.refresh();
      assert.equal(
        viaWorker.sockets.find((s) => s.port === port && s.address === '127.0.0.1')?.cwd,
        expected,
      );
    } finally {
      service.dispose();
    }

    // An exited process: no folder, no throw.
    const pid = child.pid!;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    assert.equal(readWorkingFolder(`/proc/${pid}/cwd`), undefined);
    assert.equal(readWorkingFolder(path.join(root, 'not-a-link')), undefined);
  });
});
