// Containers against a real Docker engine in the real VS Code host (PORTOLAN_DOCKER=1; see
// src/test/dockerEngine.ts): a compose project inside the workspace, another one outside it and a
// plain container, all published on loopback. The Ports view, the hover and `port-in-use` must name
// them, and stopping a container from the view's actions must free its port.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PortolanApi } from '../../extension';
import type { ContainerNode, SocketNode } from '../../present/portsModel';
import { findFreePort } from '../../system/freePort';
import {
  compose,
  composeYaml,
  DOCKER_SKIP_REASON,
  dockerTestsWanted,
  ensureEngine,
  ensureTestImage,
  releaseEngine,
  removeTestContainers,
  runContainer,
} from '../dockerEngine';
import {
  activatePortolan,
  closeAllEditors,
  fixtureRoot,
  portolanHoverAt,
  positionOf,
  waitForDiagnostics,
} from './helpers';

function codeOf(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  return typeof code === 'object' && code !== null
    ? String(code.value)
    : code === undefined
      ? undefined
      : String(code);
}

describe('containers (real Docker engine)', function () {
  this.timeout(240_000);
  const project = `portolanws${process.pid}`;
  const other = `portolanother${process.pid}`;
  let api: PortolanApi;
  let dir: string;
  let file: string;
  let otherDir: string;
  let otherFile: string;
  let dbPort: number;
  let webPort: number;
  let plainPort: number;
  let plainId: string;
  let engaged = false;

  before(async function () {
    if (!dockerTestsWanted()) {
      process.stderr.write(`    (pending: ${DOCKER_SKIP_REASON})\n`);
      this.skip();
    }
    engaged = true;
    api = (await activatePortolan<PortolanApi>()).exports;
    await ensureEngine();
    await ensureTestImage();
    [dbPort, webPort, plainPort] = await findFreePort({
      from: 21000 + (process.pid % 20000),
      host: '127.0.0.1',
      count: 3,
    });
    // This workspace's stack: `db` is brought up, `web` is declared but its port is taken by
    // another project's container.
    dir = path.join(fixtureRoot().fsPath, 'containers-probe');
    fs.mkdirSync(dir, { recursive: true });
    file = path.join(dir, 'compose.yaml');
    fs.writeFileSync(
      file,
      composeYaml([
        { name: 'db', hostPort: dbPort, containerPort: 5432 },
        { name: 'web', hostPort: webPort, containerPort: 8080 },
      ]),
    );
    compose(file, project, ['up', '-d', 'db']);
    otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portolan-other-'));
    otherFile = path.join(otherDir, 'compose.yaml');
    fs.writeFileSync(otherFile, composeYaml([{ name: 'site', hostPort: webPort, containerPort: 8080 }]));
    compose(otherFile, other, ['up', '-d']);
    plainId = await runContainer({
      name: `portolan-plain-${process.pid}`,
      ports: [{ hostIp: '127.0.0.1', hostPort: plainPort, containerPort: 8080 }],
    });
    // An engine that was absent at activation is looked for again at once.
    api.live.engine.invalidate();
    await vscode.commands.executeCommand('portolan.refresh');
  });

  after(async function () {
    if (!engaged) {
      return;
    }
    await closeAllEditors();
    try {
      if (file) {
        compose(file, project, ['down', '--timeout', '1']);
      }
      if (otherFile) {
        compose(otherFile, other, ['down', '--timeout', '1']);
      }
    } finally {
      await removeTestContainers();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(otherDir, { recursive: true, force: true });
      await releaseEngine();
    }
  });

  function listening(grouped: boolean) {
    api.live.portsView.provider.setGroupedByProcess(grouped);
    const section = api.live.portsView.provider.current().sections.find((s) => s.section === 'listening');
    assert.ok(section, 'the Listening section');
    return section.children;
  }

  it('the Ports view reads "PORT/tcp  service · project (image)" with the container state', () => {
    const rows = listening(false) as SocketNode[];
    const db = rows.find((r) => r.kind === 'socket' && r.port === dbPort);
    assert.ok(db, `no row for ${dbPort}`);
    assert.equal(db.label, `${dbPort}/tcp`);
    assert.match(
      db.description ?? '',
      new RegExp(`^db · ${project} \\(portolan/busybox:test\\) · Up .* · 127\\.0\\.0\\.1$`),
    );
    assert.match(db.contextValue ?? '', /\bcontainer\b/);
    assert.match(db.contextValue ?? '', /\bcompose\b/);
    assert.doesNotMatch(db.contextValue ?? '', /\bkillable\b/);
    const plain = rows.find((r) => r.kind === 'socket' && r.port === plainPort);
    assert.match(
      plain?.description ?? '',
      new RegExp(`^portolan-plain-${process.pid} \\(portolan/busybox:test\\)`),
    );
  });

  it('groups published ports under their containers beside the processes', () => {
    try {
      const groups = listening(true);
      const db = groups.find((g) => g.kind === 'container' && g.children.some((c) => c.port === dbPort)) as
        ContainerNode | undefined;
      assert.ok(db, 'a container group for the db service');
      assert.match(db.label, new RegExp(`^${project}[_-]db[_-]1$`));
      assert.ok(
        groups.some((g) => g.kind === 'process'),
        'process groups stay',
      );
    } finally {
      listening(false);
    }
  });

  it('the hover on the compose file says which of its containers is running', async () => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
    const text = await portolanHoverAt(document.uri, positionOf(document, String(dbPort), 0, 1));
    assert.match(text, new RegExp(`Running: \`${project}[_-]db[_-]1\` \\(up `));
    assert.match(text, /command:portolan\.stopContainer/);
  });

  it('port-in-use is information for its own running service, a warning naming another project', async () => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
    const found = await waitForDiagnostics(
      document.uri,
      (d) => d.filter((x) => codeOf(x) === 'port-in-use').length >= 2,
    );
    const own = found.find((d) => codeOf(d) === 'port-in-use' && d.message.includes(String(dbPort)));
    assert.equal(own?.severity, vscode.DiagnosticSeverity.Information, own?.message);
    assert.match(own?.message ?? '', new RegExp(`of this compose project ${project}: the stack is running`));
    const foreign = found.find((d) => codeOf(d) === 'port-in-use' && d.message.includes(String(webPort)));
    assert.equal(foreign?.severity, vscode.DiagnosticSeverity.Warning, foreign?.message);
    assert.match(
      foreign?.message ?? '',
      new RegExp(`container ${other}[_-]site[_-]1 \\(service site of compose project ${other}\\)`),
    );
  });

  it('reveals the compose service of a container whose compose file is in the workspace', async () => {
    const rows = listening(false) as SocketNode[];
    const db = rows.find((r) => r.kind === 'socket' && r.port === dbPort);
    const editor = await api.live.containers.revealComposeService(db);
    assert.equal(editor?.document.uri.fsPath, file);
    assert.equal(editor?.document.getText(editor.selection), String(dbPort));
  });

  it('refuses to kill a container proxy, and stops the container after a confirmation naming it', async () => {
    const refused = await api.live.actions.kill(
      { port: plainPort, protocol: 'tcp' },
      {
        confirm: () => Promise.resolve(true),
        confirmForce: () => Promise.resolve(false),
      },
    );
    assert.equal(refused.kind, 'docker');
    const rows = listening(false) as SocketNode[];
    const plain = rows.find((r) => r.kind === 'socket' && r.port === plainPort);
    const asked: string[] = [];
    // The node's container name is tampered with: the handler must go by the engine's answer.
    const node = plain && {
      ...plain,
      socket: { ...plain.socket, container: { ...plain.socket.container!, name: 'forged' } },
    };
    const outcome = await api.live.containers.stop(node, (action, container) => {
      asked.push(`${action} ${container.name}`);
      return Promise.resolve(true);
    });
    assert.deepEqual(asked, [`stop portolan-plain-${process.pid}`]);
    assert.equal(outcome.kind, 'done');
    assert.equal((await api.live.engine.inspect(plainId))?.state, 'exited');
    await vscode.commands.executeCommand('portolan.refresh');
    assert.equal(api.live.live.holders(plainPort).length, 0, 'the port is free once the container stopped');
  });
});
