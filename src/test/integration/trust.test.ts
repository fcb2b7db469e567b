// Issue 10 in the editor: the project's `.env` resolves compose host ports for hovers and rules, and
// a CAP_NET_BIND_SERVICE grant makes a listen on 80 information, as `portolan check` does.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  fixtureUri,
  openFixture,
  portolanApi,
  portolanHoverAt,
  positionOf,
  setPortolanSetting,
  waitFor,
  waitForDiagnostics,
} from './helpers';

async function write(
  relativePath: string,
  text: string,
  uri = fixtureUri(relativePath),
): Promise<vscode.Uri> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

/** A file in the second workspace folder, where no Dockerfile puts the code in a container. */
function secondFolderUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[1];
  assert.ok(folder, 'the integration workspace has a second folder');
  return vscode.Uri.joinPath(folder.uri, ...relativePath.split('/'));
}

function withRule(rule: string, diagnostics: readonly vscode.Diagnostic[]): vscode.Diagnostic[] {
  return diagnostics.filter((d) => typeof d.code === 'object' && d.code.value === rule);
}

describe('trust: context from other files', function () {
  // Each test writes files and waits for the watcher, the index and the diagnostics in turn.
  this.timeout(120000);
  let restoreThreshold: (() => Promise<void>) | undefined;

  before(async () => {
    await (
      await portolanApi()
    ).index.ready;
    // Containers often run with ip_unprivileged_port_start=0; the suite wants Linux's usual 1024.
    restoreThreshold = await setPortolanSetting('privilegedPortThreshold', 1024);
  });

  after(async () => {
    await restoreThreshold?.();
  });

  afterEach(async () => {
    await closeAllEditors();
  });

  it('resolves a compose host port from the project .env: hover names the value and its line, rules use it, an edit of .env follows', async () => {
    const api = await portolanApi();
    await write('envproject/.env', '# published ports\nDB_BIND=5433\n');
    const compose = await write(
      'envproject/compose.yaml',
      'services:\n  db:\n    image: postgres:16\n    ports:\n      - "${DB_BIND}:5432"\n',
    );
    try {
      // A rebuild reads the new folder whole, `.env` first, rather than racing the watcher's events
      // for two new files (the compose file's event first left it waiting past 60 s in a CI run).
      await api.index.rescan();
      await waitFor(
        () => api.index.mentionsOf(compose).some((m) => m.port === 5433),
        api.index.onDidChange,
        'the index to read envproject/compose.yaml with its .env',
        60000,
      );
      const { document } = await openFixture('envproject/compose.yaml');
      const hover = await portolanHoverAt(document.uri, positionOf(document, '${DB_BIND}', 0, 3));
      assert.match(hover, /\*\*5433\/tcp\*\*/);
      assert.match(hover, /`DB_BIND` is 5433 in `\.env` line 2, as Compose reads it/);

      const exposed = withRule(
        'exposed-database',
        await waitForDiagnostics(document.uri, (d) => withRule('exposed-database', d).length === 1),
      );
      assert.match(exposed[0].message, /PostgreSQL on all interfaces \(host port 5433\)/);

      // A new value in .env reaches the open compose file's rules without touching it.
      await write('envproject/.env', '# published ports\n\nDB_BIND=5434\n');
      const after = await waitForDiagnostics(document.uri, (d) =>
        withRule('exposed-database', d).some((x) => /host port 5434/.test(x.message)),
      );
      assert.equal(withRule('exposed-database', after).length, 1);
      const moved = await portolanHoverAt(document.uri, positionOf(document, '${DB_BIND}', 0, 3));
      assert.match(moved, /`DB_BIND` is 5434 in `\.env` line 3/);
    } finally {
      await closeAllEditors();
      await vscode.workspace.fs.delete(fixtureUri('envproject'), { recursive: true });
    }
  });

  it('a listen on 80 is a warning until the project grants CAP_NET_BIND_SERVICE, then information naming the grant', async () => {
    const server = await write(
      'capserver/server.go',
      'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":80", nil)\n}\n',
      secondFolderUri('capserver/server.go'),
    );
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(server));
      const warned = withRule(
        'privileged-port',
        await waitForDiagnostics(server, (d) => withRule('privileged-port', d).length === 1),
      );
      assert.equal(warned[0].severity, vscode.DiagnosticSeverity.Warning);

      const grant = secondFolderUri('capserver/setcap.sh');
      await write('', '#!/bin/sh\nsudo setcap cap_net_bind_service=+ep ./server\n', grant);
      const informed = withRule(
        'privileged-port',
        await waitForDiagnostics(server, (d) =>
          withRule('privileged-port', d).some((x) => x.severity === vscode.DiagnosticSeverity.Information),
        ),
      );
      assert.match(informed[0].message, /CAP_NET_BIND_SERVICE \(capserver\/setcap\.sh\)/);

      // The grant gone, the warning is back.
      await vscode.workspace.fs.delete(grant);
      await waitForDiagnostics(server, (d) =>
        withRule('privileged-port', d).some((x) => x.severity === vscode.DiagnosticSeverity.Warning),
      );
    } finally {
      await closeAllEditors();
      await vscode.workspace.fs.delete(secondFolderUri('capserver'), { recursive: true });
    }
  });

  it('compose files that never run together are not compared until a -f group combines them; a built service is not named from its number', async () => {
    const api = await portolanApi();
    await write(
      'altproject/docker-compose.yml',
      'services:\n  proxy:\n    image: example/proxy\n    ports:\n      - "80:80"\n',
    );
    const split = await write(
      'altproject/docker-compose-split.yml',
      'services:\n  web:\n    image: nginx\n    ports:\n      - "80:80"\n  stats:\n    build: ./stats\n    ports:\n      - "7000:7000"\n',
    );
    try {
      await waitFor(
        () =>
          api.index.mentionsOf(fixtureUri('altproject/docker-compose.yml')).length > 0 &&
          api.index.mentionsOf(split).length > 0,
        api.index.onDidChange,
        'the index to read both altproject compose files',
        // New files wait behind any rescan an earlier suite started.
        60000,
      );
      const { document } = await openFixture('altproject/docker-compose-split.yml');
      const first = await waitForDiagnostics(
        document.uri,
        (d) => withRule('privileged-port', d).length === 1,
      );
      assert.deepEqual(withRule('port-conflict', first), []);
      assert.deepEqual(withRule('exposed-database', first), []);
      const hover = await portolanHoverAt(document.uri, positionOf(document, '7000:7000', 0, 1));
      // The headline names no program: the port, then what the line does.
      assert.equal(hover.split('\n')[0]?.replace(/ — .*$/, ''), '**7000/tcp**');
      assert.doesNotMatch(hover, /\$\(warning\) Cassandra/);
      assert.match(hover, /Built from `\.\/stats`/);

      const makefile = await write(
        'altproject/Makefile',
        'up:\n\tdocker compose -f docker-compose.yml -f docker-compose-split.yml up\n',
      );
      const combined = withRule(
        'port-conflict',
        await waitForDiagnostics(document.uri, (d) => withRule('port-conflict', d).length === 1),
      );
      assert.match(combined[0].message, /service "proxy" in docker-compose\.yml/);
      await vscode.workspace.fs.delete(makefile);
      await waitForDiagnostics(document.uri, (d) => withRule('port-conflict', d).length === 0);
    } finally {
      await closeAllEditors();
      await vscode.workspace.fs.delete(fixtureUri('altproject'), { recursive: true });
    }
  });
});
