// Commands that never surprise (issue 13): Find a Free Port never edits a document by itself,
// commands that write settings say which file with Undo, failures say why, and the palette's
// context keys follow the view. Messages are answered through the API's `choices`, as a person
// would click them.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PortolanApi } from '../../extension';
import type { AskChoice, MessageSeverity } from '../../providers/feedback';
import {
  activatePortolan,
  closeAllEditors,
  codeActionsAt,
  fixtureUri,
  openFixture,
  portolanManifest,
  positionOf,
  waitFor,
  waitForDiagnostics,
} from './helpers';

interface Asked {
  message: string;
  items: readonly string[];
  severity: MessageSeverity;
}

describe('commands: what they tell and what they touch', () => {
  let api: PortolanApi;
  let savedAsk: AskChoice;
  let savedAskPort: PortolanApi['choices']['askPort'];
  let asked: Asked[];
  /** The button the next message gets "clicked"; undefined dismisses it. */
  let answer: (asked: Asked) => string | undefined;

  before(async () => {
    api = (await activatePortolan<PortolanApi>()).exports;
    savedAsk = api.choices.ask;
    savedAskPort = api.choices.askPort;
  });

  beforeEach(() => {
    asked = [];
    answer = () => undefined;
    api.choices.ask = (message, items, severity = 'information') => {
      const entry = { message, items, severity };
      asked.push(entry);
      return Promise.resolve(answer(entry));
    };
  });

  afterEach(async () => {
    api.choices.ask = savedAsk;
    api.choices.askPort = savedAskPort;
    await closeAllEditors();
  });

  describe('Find a Free Port…', function () {
    // Opening the first editor also starts its hover and diagnostics work: slow on a busy 2-core machine.
    this.timeout(90000);
    async function editorAfter3000(): Promise<vscode.TextEditor> {
      const editor = await openFixture('server.js');
      const at = positionOf(editor.document, 'listen(3000', 0, 'listen(3000'.length);
      editor.selection = new vscode.Selection(at, at);
      return editor;
    }

    it('leaves the open document untouched when run from the palette or the view title', async () => {
      // The view's title button runs the same command, with no argument, as the palette does.
      const titleButton = (
        portolanManifest() as unknown as {
          contributes: { menus: Record<string, { command: string; when?: string }[]> };
        }
      ).contributes.menus['view/title'].find((e) => e.command === 'portolan.findFreePort');
      assert.ok(titleButton, 'no Find a Free Port button in the view title');
      const editor = await editorAfter3000();
      const before = { text: editor.document.getText(), version: editor.document.version };
      let askedFrom: string | undefined;
      api.choices.askPort = (_title, value) => {
        askedFrom = value;
        return Promise.resolve(3000);
      };
      const port = await vscode.commands.executeCommand<number>(titleButton.command);
      assert.ok(Number.isInteger(port) && port >= 3000, `no port found (${port})`);
      assert.equal(editor.document.getText(), before.text);
      assert.equal(editor.document.version, before.version, 'the document was edited');
      assert.equal(editor.document.isDirty, false);
      const offer = asked.at(-1);
      assert.ok(offer, 'the found port was not shown');
      assert.match(offer.message, new RegExp(`\\b${port}\\b`));
      assert.deepEqual(offer.items, ['Copy', 'Insert at Cursor', 'Watch']);
      assert.equal(askedFrom, '3000');
    });

    it('inserts at the cursor only when Insert at Cursor is chosen', async () => {
      const editor = await editorAfter3000();
      const before = editor.document.getText();
      answer = (a) => (a.items.includes('Insert at Cursor') ? 'Insert at Cursor' : undefined);
      const run = await api.live.freePort.run(undefined, {
        startAt: () => Promise.resolve(40000),
        offer: (_port, message, actions) =>
          api.choices
            .ask(message, ['Copy', 'Insert at Cursor', 'Watch'])
            .then((label) => (label === 'Insert at Cursor' ? 'insert' : undefined))
            .then((a) => (a && actions.includes(a) ? a : undefined)),
      });
      assert.equal(await run.done, 'insert');
      assert.ok(run.port !== undefined && run.port >= 40000);
      const at = before.indexOf('listen(3000') + 'listen(3000'.length;
      assert.equal(editor.document.getText(), before.slice(0, at) + String(run.port) + before.slice(at));
      await vscode.commands.executeCommand('undo');
    });

    it('copies at once from a hover link, and offers Insert and Watch, not Copy', async () => {
      await editorAfter3000();
      const port = await vscode.commands.executeCommand<number>('portolan.findFreePort', { from: 41000 });
      assert.equal(await vscode.env.clipboard.readText(), String(port));
      assert.deepEqual(asked.at(-1)?.items, ['Insert at Cursor', 'Watch']);
      assert.match(asked.at(-1)?.message ?? '', /copied/);
    });
  });

  describe('settings written by commands', () => {
    const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('portolan');
    let previousWatch: number[] | undefined;
    let previousRules: unknown;
    let savedPlace: PortolanApi['live']['watch']['placeFor'];

    before(() => {
      previousWatch = config().inspect<number[]>('watchPorts')?.workspaceValue;
      previousRules = config().inspect('diagnostics.rules')?.workspaceValue;
      savedPlace = api.live.watch.placeFor;
    });

    afterEach(async () => {
      api.live.watch.placeFor = savedPlace;
      await config().update('watchPorts', previousWatch, vscode.ConfigurationTarget.Workspace);
      await config().update('diagnostics.rules', previousRules, vscode.ConfigurationTarget.Workspace);
    });

    const workspaceLabel = (): string => path.basename(vscode.workspace.workspaceFile?.fsPath ?? '');

    it('Watch Port names the file it wrote, and Undo takes it back', async () => {
      answer = (a) => (a.items.includes('Undo') ? 'Undo' : undefined);
      const watched = await vscode.commands.executeCommand<number[]>('portolan.watchPort', 45123);
      assert.ok(watched?.includes(45123));
      const message = asked[0];
      assert.match(message.message, /Port 45123 is watched/);
      assert.ok(
        message.message.includes(`portolan.watchPorts saved in ${workspaceLabel()}`),
        message.message,
      );
      assert.deepEqual(message.items, ['Undo', 'Open Settings']);
      await waitFor(
        () => !(config().get<number[]>('watchPorts') ?? []).includes(45123),
        vscode.workspace.onDidChangeConfiguration,
        'Undo to remove the port again',
      );
    });

    it('Watch Port says the port is already watched instead of doing nothing', async () => {
      await vscode.commands.executeCommand('portolan.watchPort', 45124);
      asked = [];
      await vscode.commands.executeCommand('portolan.watchPort', 45124);
      assert.match(asked[0].message, /Port 45124 is already watched \(portolan\.watchPorts in /);
      assert.deepEqual(asked[0].items, ['Open Settings']);
    });

    it('Watch Port writes again when its settings file was deleted outside VS Code', async () => {
      // VS Code may still hold the list of a file deleted behind its back: the port looks watched.
      await vscode.commands.executeCommand('portolan.watchPort', 45125);
      const gone = vscode.Uri.file(
        path.join(os.tmpdir(), `portolan-deleted-${process.pid}`, 'settings.json'),
      );
      api.live.watch.placeFor = () => ({
        target: vscode.ConfigurationTarget.Workspace,
        file: gone,
        label: '.vscode/settings.json',
      });
      asked = [];
      const outcome = await api.live.watch.setWatched(45125, true);
      assert.ok(outcome.wrote, 'nothing was written');
      assert.ok(outcome.watched.includes(45125));
      assert.match(
        asked[0]?.message ?? '',
        /Port 45125 is watched: portolan\.watchPorts saved in \.vscode\/settings\.json/,
      );
    });

    it('a settings write that fails says why, with Open Settings', async () => {
      // A window-scoped setting cannot go into a folder's settings: VS Code refuses the write.
      api.live.watch.placeFor = () => ({
        target: vscode.ConfigurationTarget.WorkspaceFolder,
        label: 'main/.vscode/settings.json',
      });
      const outcome = await api.live.watch.setWatched(45126, true);
      assert.equal(outcome.wrote, undefined);
      const error = asked.find((a) => a.severity === 'error');
      assert.ok(error, `no error message; asked: ${JSON.stringify(asked)}`);
      assert.match(
        error.message,
        /^Could not save portolan\.watchPorts in main\/\.vscode\/settings\.json: .+/,
      );
      assert.deepEqual(error.items, ['Open Settings']);
    });

    it('Disable rule names the file it wrote, and Undo takes it back', async () => {
      answer = (a) => (a.items.includes('Undo') ? 'Undo' : undefined);
      const write = await vscode.commands.executeCommand<{ feedback: Promise<string | undefined> }>(
        'portolan.disableRule',
        'ephemeral-port',
      );
      assert.equal(config().get<Record<string, string>>('diagnostics.rules')?.['ephemeral-port'], 'off');
      assert.equal(await write.feedback, 'undo');
      assert.match(asked[0].message, /Rule ephemeral-port is off: portolan\.diagnostics\.rules saved in /);
      assert.ok(asked[0].message.includes(workspaceLabel()), asked[0].message);
      assert.notEqual(config().get<Record<string, string>>('diagnostics.rules')?.['ephemeral-port'], 'off');
    });

    it('Stop Watching Port without a port says what to do', async () => {
      assert.equal(await vscode.commands.executeCommand('portolan.unwatchPort'), undefined);
      assert.match(asked[0]?.message ?? '', /Choose a watched port/);
    });
  });

  describe('Show Port Information…', () => {
    afterEach(async () => {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    });

    async function searchAndAccept(query: string): Promise<{ labels: string[]; port: number | undefined }> {
      const info = api.live.portInfo;
      const shown = vscode.commands.executeCommand<number | undefined>('portolan.showPortInfo', query);
      const pick = await waitFor(
        () => (info.activePick && info.activePick.items.length > 0 ? info.activePick : undefined),
        info.onDidChangePick,
        `the quick pick for "${query}"`,
      );
      const labels = pick.items.map((i) => i.label);
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return { labels, port: await shown };
    }

    for (const [query, port, name] of [
      ['redis', 6379, /Redis/],
      ['5432', 5432, /PostgreSQL/],
      ['kafka', 9092, /Kafka/],
    ] as const) {
      it(`finds ${port} by "${query}" and opens its page`, async () => {
        const { labels, port: opened } = await searchAndAccept(query);
        assert.match(labels[0] ?? '', new RegExp(`^${port} · `), labels.slice(0, 5).join(' | '));
        assert.equal(opened, port);
        const html = api.live.portInfo.html ?? '';
        assert.match(html, new RegExp(`<h1>${port}/tcp · `));
        assert.match(html, name);
        assert.match(html, /On this machine/);
        assert.match(html, /IANA registry/);
        assert.doesNotMatch(html, /<script/i);
      });
    }

    it('shows live status with actions, and follows the socket as it closes', async () => {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as net.AddressInfo).port;
      try {
        await vscode.commands.executeCommand('portolan.refresh');
        assert.equal(await vscode.commands.executeCommand('portolan.showPortInfo', port), port);
        const busy = api.live.portInfo.html ?? '';
        assert.match(busy, /In use on this machine/);
        assert.match(busy, new RegExp(`\\(${process.pid}\\)`));
        const commands = [...busy.matchAll(/href="command:([\w.]+)\?/g)].map((m) => m[1]);
        assert.ok(commands.includes('portolan.testConnection'), commands.join(' '));
        assert.ok(commands.includes('portolan.watchPort'), commands.join(' '));
        // The extension host is never offered for stopping.
        assert.ok(!commands.includes('portolan.killProcess'), commands.join(' '));
        await new Promise<void>((resolve) => server.close(() => resolve()));
        const freed = waitFor(
          () => /Free on this machine/.test(api.live.portInfo.html ?? ''),
          api.live.portInfo.onDidRender,
          'the page to say the port is free',
        );
        await vscode.commands.executeCommand('portolan.refresh');
        await freed;
      } finally {
        server.close();
        await closeAllEditors();
      }
    });
  });

  describe('privileged-port: message and quick fix', () => {
    it('name the same port, and the message says when the usual one is taken', async () => {
      // compose.yaml in the fixture publishes 8080, so 80's usual stand-in is taken.
      const uri = fixtureUri('probe-privileged.js');
      await vscode.workspace.fs.writeFile(
        uri,
        Buffer.from('const app = require("express")();\napp.listen(80);\n'),
      );
      try {
        const document = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(document);
        const [diagnostic] = (
          await waitForDiagnostics(uri, (d) => d.some((x) => x.code !== undefined))
        ).filter((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'privileged-port');
        assert.ok(diagnostic, 'no privileged-port diagnostic');
        const named = /Use (\d+) instead/.exec(diagnostic.message);
        assert.ok(named, diagnostic.message);
        assert.notEqual(named[1], '8080', diagnostic.message);
        assert.match(diagnostic.message, /\(the usual 8080 is taken\)/);
        const fix = (await codeActionsAt(uri, diagnostic.range, 'quickfix')).find((a) =>
          a.title.startsWith('Change to port'),
        );
        assert.equal(fix?.title, `Change to port ${named[1]}`);
      } finally {
        await closeAllEditors();
        await vscode.workspace.fs.delete(uri);
      }
    });
  });

  describe('palette context keys', () => {
    afterEach(async () => {
      await vscode.commands.executeCommand('portolan.clearFilter');
      await vscode.commands.executeCommand('portolan.showFlat');
    });

    it('sets portolan.filtered and portolan.groupedByProcess as the view changes', async () => {
      const contexts = api.live.portsView.contexts;
      await vscode.commands.executeCommand('portolan.filter', ':1');
      assert.equal(contexts.get('portolan.filtered'), true);
      await vscode.commands.executeCommand('portolan.clearFilter');
      assert.equal(contexts.get('portolan.filtered'), false);
      await vscode.commands.executeCommand('portolan.groupByProcess');
      assert.equal(contexts.get('portolan.groupedByProcess'), true);
      await vscode.commands.executeCommand('portolan.showFlat');
      assert.equal(contexts.get('portolan.groupedByProcess'), false);
    });
  });
});
