// Live status in a real VS Code: hovers over a port this test holds say "in use", `port-in-use`
// appears and clears with the listener, and every live command runs without throwing. The kill
// path is driven through the exported PortActions (the modal cannot be clicked from a test).
import * as assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PortolanApi } from '../../extension';
import { LivePorts, ruleLiveView } from '../../providers/liveStatus';
import type { KillPrompts, KillTarget } from '../../system/killSequence';
import {
  activatePortolan,
  closeAllEditors,
  fixtureRoot,
  portolanHoverAt,
  positionOf,
  setPortolanSetting,
  waitFor,
  waitForDiagnostics,
} from './helpers';

function listen(host = '127.0.0.1', port = 0): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function portOf(server: net.Server): number {
  return (server.address() as net.AddressInfo).port;
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
}

/**
 * A node child that listens on an ephemeral loopback port and says which; with `stubborn` it
 * ignores SIGTERM. Killed at the end whatever happens.
 */
async function spawnListener(
  stubborn: boolean,
): Promise<{ pid: number; port: number; exited: Promise<void> }> {
  const script = `${stubborn ? "process.on('SIGTERM', () => {});" : ''}const s = require('net').createServer().listen(0, '127.0.0.1', () => console.log(s.address().port));`;
  const child = cp.spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  children.push(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (data: Buffer) => resolve(Number(String(data).trim())));
    child.once('exit', (code) => reject(new Error(`listener child exited early (${code})`)));
  });
  assert.ok(child.pid !== undefined && port > 0);
  return { pid: child.pid, port, exited };
}

const children: cp.ChildProcess[] = [];

/** Prompts that record what they were asked and answer as told. */
function prompts(answer: boolean): KillPrompts & { asked: number } {
  const p = {
    asked: 0,
    confirm: () => {
      p.asked++;
      return Promise.resolve(answer);
    },
    confirmForce: () => Promise.resolve(false),
  };
  return p;
}

/** A throwaway source file in the (copied) fixture workspace that listens on `port`. */
async function probeFile(port: number): Promise<vscode.TextDocument> {
  const file = path.join(fixtureRoot().fsPath, `live-probe-${port}.js`);
  fs.writeFileSync(
    file,
    `const http = require('http');\nhttp.createServer(() => {}).listen(${port}, '127.0.0.1');\n`,
  );
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(document);
  return document;
}

describe('live ports', () => {
  let api: PortolanApi;
  let server: net.Server;
  let port: number;
  const probes: string[] = [];

  before(async () => {
    api = (await activatePortolan<PortolanApi>()).exports;
    assert.ok(api.live.live.available, `live features are off: ${api.live.live.unavailableReason}`);
  });

  beforeEach(async () => {
    server = await listen();
    port = portOf(server);
  });

  afterEach(async () => {
    await close(server);
    await closeAllEditors();
  });

  after(() => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
    }
    for (const file of probes) {
      fs.rmSync(file, { force: true });
    }
  });

  it('hover says "in use" with the host’s pid, then "free" once the listener closes', async () => {
    // Without the port-in-use diagnostic (switched off), the hover's live line names the holder itself.
    const restore = await setPortolanSetting('diagnostics.rules', { 'port-in-use': 'off' });
    try {
      const document = await probeFile(port);
      probes.push(document.uri.fsPath);
      const at = positionOf(document, String(port), 0, 1);
      // Hovers accept a snapshot up to HOVER_MAX_AGE_MS old; one from before the listen would say "free".
      await vscode.commands.executeCommand('portolan.refresh');
      const busy = await portolanHoverAt(document.uri, at);
      assert.match(busy, /In use on this machine/);
      assert.match(busy, new RegExp(`pid ${process.pid}\\)`));
      assert.match(busy, /command:portolan\.findFreePort/);
      assert.doesNotMatch(
        busy,
        /command:portolan\.killProcess/,
        'no kill link for the extension host itself',
      );
      await close(server);
      await vscode.commands.executeCommand('portolan.refresh');
      const free = await portolanHoverAt(document.uri, at);
      assert.match(free, /Free on this machine/);
      assert.doesNotMatch(free, /In use/);
    } finally {
      await restore();
    }
  });

  it('hover leaves "in use" to the port-in-use diagnostic at the same place and keeps the actions', async () => {
    const document = await probeFile(port);
    probes.push(document.uri.fsPath);
    const at = positionOf(document, String(port), 0, 1);
    await vscode.commands.executeCommand('portolan.refresh');
    const found = await waitForDiagnostics(document.uri, (d) => d.some((x) => codeOf(x) === 'port-in-use'));
    assert.match(found.find((x) => codeOf(x) === 'port-in-use')!.message, new RegExp(`pid ${process.pid}`));
    const busy = await portolanHoverAt(document.uri, at);
    assert.doesNotMatch(busy, /In use on this machine/, 'VS Code shows the diagnostic in the same hover');
    assert.match(busy, /command:portolan\.findFreePort/);
  });

  it('reports port-in-use on a listen held by another process, and clears it when the listener closes', async () => {
    const document = await probeFile(port);
    probes.push(document.uri.fsPath);
    await vscode.commands.executeCommand('portolan.refresh');
    const found = await waitForDiagnostics(document.uri, (d) => d.some((x) => codeOf(x) === 'port-in-use'));
    const diagnostic = found.find((x) => codeOf(x) === 'port-in-use')!;
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(diagnostic.message, new RegExp(`pid ${process.pid}`));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      diagnostic.range,
    );
    const stop = actions.find((a) => a.command?.command === 'portolan.killProcess');
    assert.ok(stop, `no stop-process fix among: ${actions.map((a) => a.title).join(', ')}`);
    assert.deepEqual(stop.command?.arguments, [{ port, protocol: 'tcp' }]);
    assert.ok(
      actions.some((a) => a.edit && /Change to port/.test(a.title)),
      'a change-port fix is offered too',
    );
    await close(server);
    await vscode.commands.executeCommand('portolan.refresh');
    await waitForDiagnostics(document.uri, (d) => !d.some((x) => codeOf(x) === 'port-in-use'));
  });

  it('refuses to kill the extension host, even when it holds the port, without signalling', async () => {
    const ask = prompts(true);
    const outcome = await api.live.actions.kill({ port, pid: process.pid, protocol: 'tcp' }, ask);
    assert.equal(outcome.kind, 'refused');
    assert.equal(outcome.kind === 'refused' && outcome.reason, 'self');
    assert.ok(server.listening, 'the listener must survive');
    // Without a pid the holder is looked up fresh: still the host, still refused.
    const looked = await api.live.actions.kill({ port }, prompts(true));
    assert.equal(looked.kind, 'refused');
  });

  it('stops a child process holding a port with SIGTERM, end to end', async () => {
    const child = await spawnListener(false);
    const outcome = await api.live.actions.kill({ port: child.port, protocol: 'tcp' }, prompts(true));
    assert.deepEqual(outcome, { kind: 'stopped', pid: child.pid, signal: 'SIGTERM' });
    await child.exited;
    assert.ok(!api.live.live.holders(child.port).length, 'the port is still listed as held after the kill');
  });

  it('offers SIGKILL when the process survives SIGTERM, and uses it when confirmed', async () => {
    const child = await spawnListener(true);
    let forced = 0;
    const outcome = await api.live.actions.kill(
      { port: child.port, protocol: 'tcp' },
      { confirm: () => Promise.resolve(true), confirmForce: () => Promise.resolve(++forced > 0) },
    );
    assert.equal(forced, 1, 'SIGKILL was not offered');
    assert.deepEqual(outcome, { kind: 'stopped', pid: child.pid, signal: 'SIGKILL' });
    await child.exited;
  });

  it('refreshes the hover and the Show Port Information page after the hover’s Stop (issue 13 item 10)', async () => {
    const child = await spawnListener(false);
    const document = await probeFile(child.port);
    probes.push(document.uri.fsPath);
    const at = positionOf(document, String(child.port), 0, 1);
    await vscode.commands.executeCommand('portolan.refresh');
    const before = await portolanHoverAt(document.uri, at);
    const link = /\[Stop [^\]]+\]\(command:portolan\.killProcess\?([^)]+)\)/.exec(before);
    assert.ok(link, `the hover offers no Stop link:\n${before}`);
    assert.equal(await vscode.commands.executeCommand('portolan.showPortInfo', child.port), child.port);
    assert.match(api.live.portInfo.html ?? '', /In use on this machine/);
    assert.match(api.live.portInfo.html ?? '', /command:portolan\.killProcess/);
    const freed = waitFor(
      () => /Free on this machine/.test(api.live.portInfo.html ?? ''),
      api.live.portInfo.onDidRender,
      'the page to say the port is free after Stop',
    );
    // What the link runs: its own argument, confirmed (the modal cannot be clicked from a test).
    const [target] = JSON.parse(decodeURIComponent(link[1])) as [KillTarget];
    const outcome = await api.live.actions.kill(target, prompts(true));
    assert.equal(outcome.kind, 'stopped');
    await child.exited;
    // No manual refresh: Stop itself refreshes what the page and the next hover show.
    await freed;
    assert.doesNotMatch(api.live.portInfo.html ?? '', /command:portolan\.killProcess/);
    const after = await portolanHoverAt(document.uri, at);
    assert.doesNotMatch(after, /command:portolan\.killProcess/, after);
    assert.doesNotMatch(after, /In use on this machine/, after);
  });

  it('asks before signalling, naming the owner it found, and does nothing when the answer is no', async () => {
    const child = await spawnListener(false);
    const asked: KillTarget[] = [];
    // A link or argument that claims another pid and process name: both are ignored.
    const outcome = await api.live.actions.kill(
      { port: child.port, protocol: 'tcp', pid: 999_999_999, process: 'vite' },
      {
        confirm: (target) => {
          asked.push(target);
          return Promise.resolve(false);
        },
        confirmForce: () => Promise.resolve(false),
      },
    );
    assert.equal(outcome.kind, 'cancelled');
    assert.equal(asked.length, 1);
    assert.equal(asked[0].pid, child.pid, 'the confirmation names the pid read from the socket table');
    assert.notEqual(asked[0].process, 'vite');
    assert.equal(asked[0].port, child.port);
    assert.ok(
      api.live.live.holders(child.port).some((h) => h.pid === child.pid),
      'the child still listens',
    );
  });

  it('stops the real holder even when the argument names pid 1, and says so for ports nobody holds', async () => {
    const child = await spawnListener(false);
    const ask = prompts(true);
    const outcome = await api.live.actions.kill({ port: child.port, pid: 1 }, ask);
    assert.deepEqual(outcome, { kind: 'stopped', pid: child.pid, signal: 'SIGTERM' });
    await child.exited;
    // The extension host's own port is refused before anything is asked.
    const self = prompts(true);
    const refused = await api.live.actions.kill({ port, pid: 4242 }, self);
    assert.equal(refused.kind === 'refused' && refused.reason, 'self');
    assert.equal(self.asked, 0);
    await close(server);
    await vscode.commands.executeCommand('portolan.refresh');
    const nobody = await api.live.actions.kill({ port }, prompts(true));
    assert.equal(nobody.kind, 'no-owner');
  });

  it('finds a free port that is not the busy one and can really be bound', async () => {
    const found = await vscode.commands.executeCommand<number>('portolan.findFreePort', { from: port });
    assert.ok(Number.isInteger(found), 'no port found');
    assert.notEqual(found, port);
    assert.ok(found > port);
    const probe = await listen('127.0.0.1', found);
    await close(probe);
    assert.equal(await vscode.env.clipboard.readText(), String(found));
  });

  it('tests connections to open and closed ports', async () => {
    const open = await vscode.commands.executeCommand<{ open: boolean }>('portolan.testConnection', {
      port,
      address: '127.0.0.1',
    });
    assert.equal(open?.open, true);
    await close(server);
    const closed = await vscode.commands.executeCommand<{ open: boolean }>('portolan.testConnection', {
      port,
      address: '127.0.0.1',
    });
    assert.equal(closed?.open, false);
  });

  it('copies host:port and pid, and builds browser URLs for wildcard and TLS ports', async () => {
    await vscode.commands.executeCommand('portolan.refresh');
    const node = api.live.portsView.provider
      .getChildren()
      .flatMap((s) => api.live.portsView.provider.getChildren(s))
      .flatMap((n) => (n.kind === 'process' ? api.live.portsView.provider.getChildren(n) : [n]))
      .find((n) => n.kind === 'socket' && n.port === port);
    assert.ok(node, 'the listener is not in the tree');
    assert.equal(await vscode.commands.executeCommand('portolan.copyAddress', node), `127.0.0.1:${port}`);
    assert.equal(await vscode.env.clipboard.readText(), `127.0.0.1:${port}`);
    assert.equal(await vscode.commands.executeCommand('portolan.copyPid', node), String(process.pid));
    assert.equal(
      api.live.actions.browserUri({ port: 8443, address: '0.0.0.0' })?.toString(true),
      'https://localhost:8443/',
    );
    assert.equal(
      api.live.actions.browserUri({ port, address: '127.0.0.1' })?.toString(true),
      `http://127.0.0.1:${port}/`,
    );
    // A link-local address is opened with its zone or not at all.
    assert.equal(api.live.actions.browserUri({ port: 8080, address: 'fe80::1' }), undefined);
    assert.equal(
      api.live.actions.browserUri({ port: 8080, address: 'fe80::1%6' })?.toString(true),
      'http://[fe80::1%6]:8080/',
    );
  });

  it('reveals a declaration at its exact range', async () => {
    const document = await probeFile(port);
    probes.push(document.uri.fsPath);
    await closeAllEditors();
    const start = document.getText().indexOf(String(port));
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('portolan.revealDeclaration', {
      uri: document.uri,
      range: { start, end: start + String(port).length },
    });
    assert.ok(editor);
    assert.equal(editor.document.getText(editor.selection), String(port));
  });

  it('runs the remaining commands without throwing in a sensible state', async () => {
    assert.equal(await vscode.commands.executeCommand('portolan.showPortInfo', 5432), 5432);
    assert.match(api.live.portInfo.html ?? '', /PostgreSQL/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assert.equal(await vscode.commands.executeCommand('portolan.openInBrowser'), false);
    const noTarget = await vscode.commands.executeCommand<{ kind: string }>('portolan.killProcess');
    assert.equal(noTarget.kind, 'no-owner');
    assert.equal(await vscode.commands.executeCommand('portolan.unwatchPort'), undefined);
    assert.equal(await vscode.commands.executeCommand('portolan.copyPid', { port: 1 }), undefined);
  });

  it('counts busy workspace ports in the status bar, and stops counting when the port frees', async () => {
    const document = await probeFile(port);
    probes.push(document.uri.fsPath);
    await vscode.commands.executeCommand('portolan.refresh');
    const busyHere = () =>
      api.live.portsView.provider.current().busyWorkspacePorts.some((n) => n.port === port);
    await waitFor(
      () => busyHere() && api.live.statusBar.state.visible && api.live.statusBar.state.busy >= 1,
      api.live.statusBar.onDidUpdate,
      'the status bar to count the probe port',
    );
    const state = api.live.statusBar.state;
    assert.equal(state.text, `$(plug) ${state.busy} busy`);
    assert.equal(state.busy, api.live.portsView.provider.current().busyWorkspacePorts.length);
    // Screen readers get a sentence, not the tooltip's Markdown source, and counts agree with their nouns.
    assert.match(state.label, new RegExp(`\\b${port} — `));
    assert.match(state.label, /is in use on this machine|are in use on this machine/);
    for (const text of [state.label, state.tooltip]) {
      assert.doesNotMatch(text, /&nbsp;|\$\(/);
      assert.doesNotMatch(text, /\b1 ports\b|\b1 of the \d+ ports this workspace declares are\b/);
    }
    const before = state.busy;
    await close(server);
    await vscode.commands.executeCommand('portolan.refresh');
    await waitFor(
      () => api.live.statusBar.state.busy === before - 1,
      api.live.statusBar.onDidUpdate,
      'the status bar to drop the freed port',
    );
  });

  it('can be switched off with portolan.statusBar.enabled', async () => {
    await vscode.commands.executeCommand('portolan.refresh');
    await waitFor(
      () => api.live.statusBar.state.visible,
      api.live.statusBar.onDidUpdate,
      'the status bar to show',
    );
    const restore = await setPortolanSetting('statusBar.enabled', false);
    try {
      await waitFor(
        () => !api.live.statusBar.state.visible,
        api.live.statusBar.onDidUpdate,
        'the status bar to hide',
      );
    } finally {
      await restore();
    }
    await waitFor(
      () => api.live.statusBar.state.visible,
      api.live.statusBar.onDidUpdate,
      'the status bar to come back',
    );
  });
});

// The poller's schedule and coalescing are unit-tested on Node (system-socket-poller.test.ts);
// here only what the VS Code side adds.
describe('LivePorts service', () => {
  it('does nothing and creates no service when live features are off', async () => {
    let created = 0;
    const off = new LivePorts({
      availability: { available: false, reason: 'virtual workspace' },
      createService: () => {
        created++;
        throw new Error('no service may be created while live features are off');
      },
    });
    assert.equal(await off.refresh(), undefined);
    off.setPolling(true);
    assert.equal(created, 0);
    assert.equal(off.unavailableReason, 'virtual workspace');
    assert.equal(ruleLiveView(off), undefined);
    off.dispose();
  });
});

function codeOf(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  if (code === undefined) {
    return undefined;
  }
  return typeof code === 'object' ? String(code.value) : String(code);
}
