// The Ports view in a real VS Code: a listener this test opens (owned by the extension host, where
// the tests run) shows up with the host's pid, through the refresh command and the exported provider.
import * as assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import { spawnSync } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PortolanApi } from '../../extension';
import type {
  DeclaredPortNode,
  PortsNode,
  ProcessNode,
  SectionNode,
  SocketNode,
  WatchedPortNode,
} from '../../present/portsModel';
import { PortsTreeProvider, WorkspaceDeclarations } from '../../providers/portsView';
import { activatePortolan, fixtureRoot, nextEvent, portolanHoverAt, positionOf, waitFor } from './helpers';

function listen(host = '127.0.0.1'): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => resolve(server));
  });
}

function listenUdp(host: string): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', reject);
    socket.bind(0, host, () => resolve(socket));
  });
}

function ownersKey(owners: readonly { pid: number; process: string }[]): string {
  return owners
    .map((o) => `${o.pid}/${o.process}`)
    .sort()
    .join(',');
}

/** `ss -tulnpH` as protocol/address/port -> owners, in the tree's notation. */
function readSs(): Map<string, string> {
  const out = spawnSync('ss', ['-tulnpH'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
  const map = new Map<string, string>();
  for (const line of out.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 5) {
      continue;
    }
    const local = fields[4];
    const cut = local.lastIndexOf(':');
    const address = local
      .slice(0, cut)
      .replace(/^\[|\]$/g, '')
      .replace(/%.*$/, '');
    const owners = [...new Set([...line.matchAll(/\("([^"]*)",pid=(\d+)/g)].map((m) => `${m[2]}/${m[1]}`))]
      .sort()
      .join(',');
    map.set(`${fields[0]} ${address} ${local.slice(cut + 1)}`, owners);
  }
  return map;
}

/** A node child running `script`, which prints the port it listens on; the caller kills it. */
async function spawnServer(script: string): Promise<{ child: cp.ChildProcess; port: number }> {
  const child = cp.spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (data: Buffer) => resolve(Number(String(data).trim())));
    child.once('exit', (code) => reject(new Error(`server child exited early (${code})`)));
  });
  return { child, port };
}

function portOf(server: net.Server): number {
  return (server.address() as net.AddressInfo).port;
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function section(api: PortolanApi, id: SectionNode['section']): SectionNode | undefined {
  return api.live.portsView.provider
    .getChildren()
    .find((n): n is SectionNode => n.kind === 'section' && n.section === id);
}

/** Socket nodes of the Listening section, flat or under process nodes. */
function listeningSockets(api: PortolanApi): SocketNode[] {
  const listening = section(api, 'listening');
  assert.ok(listening, 'no Listening section');
  return listening.children.flatMap((n) =>
    n.kind === 'process' ? n.children : n.kind === 'socket' ? [n] : [],
  );
}

/** The process name Linux reports for the extension host (what /proc/PID/comm says). */
function hostProcessName(): string | undefined {
  try {
    return fs.readFileSync(`/proc/${process.pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

describe('Ports view (tree)', () => {
  let api: PortolanApi;
  let server: net.Server;
  let port: number;

  let limit: number;

  before(async () => {
    api = (await activatePortolan<PortolanApi>()).exports;
    assert.ok(api.live.live.available, `live features are off: ${api.live.live.unavailableReason}`);
    // A busy machine (CI, the socket benchmark) can have more listeners than the view lists.
    limit = api.live.portsView.provider.listingLimit;
    api.live.portsView.provider.listingLimit = Number.POSITIVE_INFINITY;
  });

  after(() => {
    api.live.portsView.provider.listingLimit = limit;
  });

  beforeEach(async () => {
    server = await listen();
    port = portOf(server);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('portolan.clearFilter');
    await vscode.commands.executeCommand('portolan.showFlat');
    if (server.listening) {
      await close(server);
    }
  });

  it('shows the test listener with the extension host’s pid after the refresh command', async () => {
    await vscode.commands.executeCommand('portolan.refresh');
    const node = listeningSockets(api).find((n) => n.port === port && n.protocol === 'tcp');
    assert.ok(node, `:${port} is not in the Listening section`);
    assert.equal(node.socket.pid, process.pid);
    assert.equal(node.socket.address, '127.0.0.1');
    const name = hostProcessName();
    if (name) {
      assert.equal(node.socket.process, name);
    }
    const item = api.live.portsView.provider.getTreeItem(node);
    assert.equal(item.label, `:${port}`);
    assert.match(
      String(item.description),
      new RegExp(`^.+ \\(${process.pid}\\) · (?:.+ · )?127\\.0\\.0\\.1 · tcp$`),
    );
    const words = (item.contextValue ?? '').split(' ');
    assert.ok(words.includes('port') && words.includes('hasPid'));
    assert.ok(!words.includes('killable'), 'the extension host must not be offered for killing');
    const resolved = await api.live.portsView.provider.resolveTreeItem(item, node);
    assert.match(
      typeof resolved.tooltip === 'string' ? resolved.tooltip : (resolved.tooltip?.value ?? ''),
      /Connections: \d+ established/,
    );
  });

  it('recounts connections on request, as a tooltip asks', async () => {
    const client = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => client.once('connect', resolve).once('error', reject));
    try {
      const snapshot = await api.live.live.refresh({ recountConnections: true });
      const mine = snapshot?.sockets.find((s) => s.port === port && s.address === '127.0.0.1');
      assert.ok(mine, `:${port} in the snapshot`);
      assert.ok(mine.connections.established >= 1, `established ${mine.connections.established}`);
      assert.ok((snapshot?.connectionsTakenAt ?? 0) >= (snapshot?.takenAt ?? Infinity) - 1000);
    } finally {
      client.destroy();
    }
  });

  it('drops the listener once it closes', async () => {
    await vscode.commands.executeCommand('portolan.refresh');
    assert.ok(listeningSockets(api).some((n) => n.port === port));
    await close(server);
    await vscode.commands.executeCommand('portolan.refresh');
    assert.ok(!listeningSockets(api).some((n) => n.port === port), `:${port} is still listed after closing`);
  });

  it('groups by process and back to flat through the commands', async () => {
    await vscode.commands.executeCommand('portolan.refresh');
    await vscode.commands.executeCommand('portolan.groupByProcess');
    const groups = section(api, 'listening')!.children.filter((n): n is ProcessNode => n.kind === 'process');
    assert.ok(groups.length > 0, 'no process nodes when grouped');
    const host = groups.find((g) => g.pid === process.pid);
    assert.ok(host, 'no group for the extension host');
    assert.ok(host.children.some((c) => c.port === port));
    assert.equal(api.live.portsView.provider.getParent(host.children[0])?.id, host.id);
    await vscode.commands.executeCommand('portolan.showFlat');
    assert.ok(section(api, 'listening')!.children.every((n) => n.kind !== 'process'));
  });

  it('filters by port and clears the filter, with a view message while filtered', async () => {
    const other = await listen();
    try {
      await vscode.commands.executeCommand('portolan.refresh');
      await vscode.commands.executeCommand('portolan.filter', `:${port}`);
      const shown = listeningSockets(api).map((n) => n.port);
      assert.deepEqual([...new Set(shown)], [port]);
      assert.match(api.live.portsView.view.message ?? '', new RegExp(`:${port}`));
      await vscode.commands.executeCommand('portolan.clearFilter');
      const all = listeningSockets(api).map((n) => n.port);
      assert.ok(all.includes(port) && all.includes(portOf(other)));
      assert.equal(api.live.portsView.view.message, undefined);
    } finally {
      await close(other);
    }
  });

  it('says when a filter matches nothing, and how to clear it (issue 13 item 7)', async () => {
    await vscode.commands.executeCommand('portolan.filter', 'no-such-port-anywhere-zq');
    assert.deepEqual(api.live.portsView.provider.getChildren(), []);
    assert.equal(
      api.live.portsView.view.message,
      'Nothing matches “no-such-port-anywhere-zq”: Clear Filter (✕ above) shows every port again.',
    );
    await vscode.commands.executeCommand('portolan.clearFilter');
    assert.equal(api.live.portsView.view.message, undefined);
    assert.ok(section(api, 'listening'), 'the Listening section is back');
  });

  it('watches and unwatches a port through portolan.watchPorts', async () => {
    const config = () => vscode.workspace.getConfiguration('portolan');
    const previous = config().inspect<number[]>('watchPorts')?.workspaceValue;
    try {
      await vscode.commands.executeCommand('portolan.refresh');
      await vscode.commands.executeCommand('portolan.watchPort', { port });
      assert.ok(
        config().inspect<number[]>('watchPorts')?.workspaceValue?.includes(port),
        'not written to the workspace settings',
      );
      const watched = await waitFor(
        () =>
          section(api, 'watched')?.children.find(
            (n): n is WatchedPortNode => n.kind === 'watched' && n.port === port,
          ),
        api.live.portsView.provider.onDidChangeModel,
        `:${port} in the Watched section`,
      );
      assert.equal(watched.state, 'busy');
      assert.match(watched.description ?? '', new RegExp(`in use by .+ \\(${process.pid}\\)`));
      assert.ok((watched.contextValue ?? '').split(' ').includes('watched'));
      await vscode.commands.executeCommand('portolan.unwatchPort', watched);
      assert.ok(
        !config().inspect<number[]>('watchPorts')?.workspaceValue?.includes(port),
        'still in the workspace settings',
      );
      await waitFor(
        () => !section(api, 'watched')?.children.some((n) => n.kind === 'watched' && n.port === port),
        api.live.portsView.provider.onDidChangeModel,
        `:${port} to leave the Watched section`,
      );
    } finally {
      await config().update('watchPorts', previous, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('offers Open in Browser where the listener answers HTTP, not by its port number (issue 13 item 7)', async () => {
    // Two child processes on loopback (the extension host's own sockets are never probed): an HTTP
    // server, and a server that greets with a protocol of its own, as SMTP or Redis do.
    const web = await spawnServer(
      "require('http').createServer((q, r) => r.end('ok')).listen(0, '127.0.0.1', function () { console.log(this.address().port); });",
    );
    const other = await spawnServer(
      "require('net').createServer((s) => s.end('220 ready\\r\\n')).listen(0, '127.0.0.1', function () { console.log(this.address().port); });",
    );
    const files: string[] = [];
    try {
      await vscode.commands.executeCommand('portolan.refresh');
      const row = (p: number): SocketNode => {
        const node = listeningSockets(api).find((n) => n.port === p && n.protocol === 'tcp');
        assert.ok(node, `:${p} is not in the Listening section`);
        return node;
      };
      assert.equal(await api.live.probes.result(row(web.port).socket), 'http');
      assert.equal(await api.live.probes.result(row(other.port).socket), 'other');
      await vscode.commands.executeCommand('portolan.refresh');
      const offered = (p: number): boolean => (row(p).contextValue ?? '').split(' ').includes('http');
      assert.equal(offered(web.port), true, 'the HTTP server’s row offers no Open in Browser');
      assert.equal(offered(other.port), false, 'a non-HTTP server’s row offers Open in Browser');
      const hover = async (p: number): Promise<string> => {
        const file = path.join(fixtureRoot().fsPath, `browser-probe-${p}.js`);
        files.push(file);
        fs.writeFileSync(file, `require('http').createServer(() => {}).listen(${p}, '127.0.0.1');\n`);
        const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
        return portolanHoverAt(document.uri, positionOf(document, String(p), 0, 1));
      };
      assert.match(await hover(web.port), /command:portolan\.openInBrowser/);
      assert.doesNotMatch(await hover(other.port), /command:portolan\.openInBrowser/);
    } finally {
      for (const file of files) {
        fs.rmSync(file, { force: true });
      }
      web.child.kill();
      other.child.kill();
    }
  });

  it('lists the workspace’s declared ports, busy with the holder, and opens the declaration on click', async () => {
    const file = path.join(fixtureRoot().fsPath, `tree-probe-${port}.js`);
    fs.writeFileSync(file, `require('http').createServer(() => {}).listen(${port});\n`);
    try {
      await vscode.commands.executeCommand('portolan.refresh');
      const declared = await waitFor(
        () =>
          section(api, 'workspace')?.children.find(
            (n): n is DeclaredPortNode<vscode.Uri> =>
              n.kind === 'declared' && n.port === port && n.state === 'busy',
          ),
        api.live.portsView.provider.onDidChangeModel,
        `:${port} busy in the Workspace section`,
      );
      assert.equal(declared.holders[0]?.pid, process.pid);
      assert.match(
        declared.description ?? '',
        // In the multi-root test workspace the path starts with the folder's name, as VS Code shows it.
        new RegExp(`in use by .+ \\(${process.pid}\\) · (?:[^/]+/)?tree-probe-${port}\\.js`),
      );
      assert.ok(api.live.portsView.provider.current().busyWorkspacePorts.some((n) => n.port === port));
      assert.ok((api.live.portsView.view.badge?.value ?? 0) >= 1, 'no badge for a busy workspace port');
      // The fixture's own ports are listed too (server.js listens on 3000).
      assert.ok(section(api, 'workspace')!.children.some((n) => n.kind === 'declared' && n.port === 3000));

      const item = api.live.portsView.provider.getTreeItem(declared);
      assert.equal(item.command?.command, 'portolan.revealDeclaration');
      const editor = await vscode.commands.executeCommand<vscode.TextEditor>(
        item.command.command,
        ...((item.command.arguments ?? []) as unknown[]),
      );
      assert.equal(path.basename(editor.document.uri.fsPath), `tree-probe-${port}.js`);
      assert.equal(editor.document.getText(editor.selection), String(port));

      await close(server);
      await vscode.commands.executeCommand('portolan.refresh');
      const freed = section(api, 'workspace')!.children.find(
        (n): n is DeclaredPortNode<vscode.Uri> => n.kind === 'declared' && n.port === port,
      );
      assert.equal(freed?.state, 'free');
      assert.ok(!api.live.portsView.provider.current().busyWorkspacePorts.some((n) => n.port === port));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(file, { force: true });
    }
  });

  it('polls only while the view is visible', async () => {
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    if (api.live.portsView.view.visible) {
      await nextEvent(
        api.live.portsView.view.onDidChangeVisibility,
        (e) => !e.visible,
        'the Ports view to hide',
      );
    }
    assert.equal(api.live.live.isPolling, false, 'polling while the view is hidden');
    const shown = api.live.portsView.view.visible
      ? Promise.resolve()
      : nextEvent(api.live.portsView.view.onDidChangeVisibility, (e) => e.visible, 'the Ports view to show');
    await vscode.commands.executeCommand('portolan.ports.focus');
    await shown;
    assert.equal(api.live.live.isPolling, true, 'not polling while the view is visible');
    // A poll finds a new listener without any refresh command.
    const later = await listen();
    try {
      await nextEvent(
        api.live.live.onDidRefresh,
        (s) => s.sockets.some((x) => x.port === portOf(later)),
        'a poll that sees the new listener',
      );
    } finally {
      await close(later);
    }
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    if (api.live.portsView.view.visible) {
      await nextEvent(
        api.live.portsView.view.onDidChangeVisibility,
        (e) => !e.visible,
        'the Ports view to hide again',
      );
    }
    assert.equal(api.live.live.isPolling, false);
  });

  it('reads sockets in a worker thread, or in the host thread only while reads are a few ms', async () => {
    await vscode.commands.executeCommand('portolan.refresh');
    if (process.platform !== 'linux') {
      assert.equal(api.live.live.mode, 'spawn');
      return;
    }
    // The service starts in a worker and moves into the host thread after short snapshots (the
    // thread hop costs more than the read on small machines); long reads send it back.
    assert.ok(
      ['worker', 'in-thread'].includes(api.live.live.mode ?? ''),
      `mode ${String(api.live.live.mode)}`,
    );
  });

  it('agrees with `ss -tulnp` on listening sockets, owner pids and process names', async function () {
    if (spawnSync('ss', ['-V']).error) {
      this.skip(); // no iproute2 here
    }
    // Sockets this test controls, on both families and both protocols, plus whatever the machine has.
    const v6 = await listen('::1');
    const udp = await listenUdp('127.0.0.1');
    try {
      const fromTree = async (): Promise<Map<string, string>> => {
        await vscode.commands.executeCommand('portolan.refresh');
        return new Map(
          listeningSockets(api).map((n) => [
            `${n.protocol} ${n.socket.address} ${n.port}`,
            ownersKey(n.socket.owners),
          ]),
        );
      };
      const before = await fromTree();
      const fromSs = readSs();
      const after = await fromTree();
      // Other processes open and close sockets between the reads: compare what both tree reads agree on.
      const stable = [...before].filter(([key, owners]) => after.get(key) === owners);
      const differ = stable.filter(([key, owners]) => fromSs.has(key) && fromSs.get(key) !== owners);
      assert.deepEqual(
        differ.slice(0, 10).map(([key, owners]) => `${key}: tree ${owners}, ss ${fromSs.get(key)}`),
        [],
        `${differ.length} sockets with other owners in ss`,
      );
      const missing = stable.filter(([key]) => !fromSs.has(key));
      assert.deepEqual(
        missing.slice(0, 10),
        [],
        `${missing.length} stable tree sockets that ss does not list`,
      );
      const unseen = [...fromSs.keys()].filter(
        (key) => !before.has(key) && !after.has(key) && fromSs.get(key)?.startsWith(`${process.pid}/`),
      );
      assert.deepEqual(unseen, [], 'sockets of the extension host that the tree missed');
      const expected = [
        `tcp 127.0.0.1 ${port}`,
        `tcp ::1 ${portOf(v6)}`,
        `udp 127.0.0.1 ${udp.address().port}`,
      ];
      for (const key of expected) {
        assert.ok(
          fromSs.get(key)?.startsWith(`${process.pid}/`),
          `ss does not show ${key} owned by the host`,
        );
        assert.equal(after.get(key), fromSs.get(key), `tree and ss disagree on ${key}`);
      }
    } finally {
      await close(v6);
      udp.close();
    }
  });

  it('sends VS Code no change before it has fetched the root, then refreshes the sections it holds', async () => {
    // A refresh sent before VS Code's first fetch of the root reached it after that fetch, and made it
    // forget sections whose children it was still fetching ("No tree item with id" after a reload).
    await vscode.commands.executeCommand('portolan.refresh');
    assert.ok(listeningSockets(api).length > 1, 'fewer than two listening sockets to list');
    const provider = new PortsTreeProvider({
      live: api.live.live,
      settings: api.settings,
      declarations: new WorkspaceDeclarations(undefined),
      names: api.live.names,
    });
    const sent: (PortsNode<vscode.Uri>[] | undefined)[] = [];
    const listening = provider.onDidChangeTreeData((changed) => sent.push(changed ?? undefined));
    try {
      provider.listingLimit = 1;
      await nextEvent(provider.onDidChangeModel, () => true, 'the model listing one socket');
      assert.equal(sent.length, 0, 'a change was sent before VS Code asked for the root');
      const root = provider.getChildren();
      // More than one socket listens (checked above): the rows change, the sections do not.
      provider.listingLimit = 1000;
      await nextEvent(provider.onDidChangeModel, () => true, 'the model listing every socket');
      assert.equal(sent.length, 1, 'no change sent after the root was fetched');
      // The very section objects VS Code fetched: it knows the tree by them.
      assert.deepEqual(
        sent[0]?.map((section) => root.includes(section)),
        root.map(() => true),
      );
    } finally {
      listening.dispose();
      provider.dispose();
    }
  });

  it('has cached children: two reads without a change give the same nodes', async () => {
    await vscode.commands.executeCommand('portolan.refresh');
    const first: PortsNode[] = api.live.portsView.provider.getChildren();
    const second: PortsNode[] = api.live.portsView.provider.getChildren();
    assert.equal(first, second);
  });
});
