// nginx `include` followed in the real host: a main nginx.conf that reads `conf.d/*.conf` and a
// folder elsewhere, an upstream in one included file reached by name from another, and two server
// blocks in two included files on one socket.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, fixtureUri, portolanApi, positionOf, waitFor, waitForDiagnostics } from './helpers';

const FOLDER = 'nginxincludes';

const FILES: Record<string, string> = {
  'nginx/nginx.conf': 'events {}\nhttp {\n  include conf.d/*.conf;\n  include ../vhosts/extra/*.conf;\n}\n',
  'nginx/conf.d/00-upstreams.conf': 'upstream backend {\n  server 127.0.0.1:18931;\n}\n',
  'nginx/conf.d/site.conf': [
    'server {',
    '  listen 18930;',
    '  server_name site.example;',
    '  location / {',
    '    proxy_pass http://backend;',
    '  }',
    '}',
    '',
  ].join('\n'),
  'vhosts/extra/other.conf': 'server {\n  listen 18930;\n  server_name other.example;\n}\n',
};

function uriOf(file: string): vscode.Uri {
  return fixtureUri(`${FOLDER}/${file}`);
}

function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' ? d.code.value : d.code;
}

function defaultServer(diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] {
  return diagnostics.filter((d) => codeOf(d) === 'nginx-implicit-default-server');
}

describe('nginx include: files read together', function () {
  this.timeout(120000);

  before(async () => {
    const api = await portolanApi();
    await api.index.ready;
    for (const [file, text] of Object.entries(FILES)) {
      await vscode.workspace.fs.writeFile(uriOf(file), new TextEncoder().encode(text));
    }
    await api.index.rescan();
    await waitFor(
      () =>
        api.index.index.nginxIncludes().relatedFiles(uriOf('nginx/conf.d/site.conf').toString()).length === 4,
      api.index.onDidChange,
      'the index to read the nginx includes',
      60000,
    );
  });

  after(async () => {
    await closeAllEditors();
    await vscode.workspace.fs.delete(fixtureUri(FOLDER), { recursive: true });
    await (await portolanApi()).index.rescan();
  });

  it('Go to Definition on proxy_pass http://backend lands on upstream backend in another file', async () => {
    const site = await vscode.workspace.openTextDocument(uriOf('nginx/conf.d/site.conf'));
    const targets = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>(
      'vscode.executeDefinitionProvider',
      site.uri,
      positionOf(site, 'backend', 0, 2),
    );
    const [first] = targets;
    assert.ok(first && 'targetUri' in first, 'a location link');
    assert.equal(first.targetUri.toString(), uriOf('nginx/conf.d/00-upstreams.conf').toString());
    const upstreams = await vscode.workspace.openTextDocument(first.targetUri);
    assert.equal(upstreams.getText(first.targetRange), '18931');
    assert.equal(first.targetRange.start.line, 1);

    const references = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      site.uri,
      positionOf(site, 'backend', 0, 2),
    );
    assert.deepEqual(references.map((l) => vscode.workspace.asRelativePath(l.uri, false)).sort(), [
      `${FOLDER}/nginx/conf.d/00-upstreams.conf`,
      `${FOLDER}/nginx/conf.d/site.conf`,
    ]);
  });

  it('two included server blocks on one socket are reported on the first read, and cleared by default_server', async () => {
    const site = await vscode.workspace.openTextDocument(uriOf('nginx/conf.d/site.conf'));
    await vscode.window.showTextDocument(site, { preview: false });
    const [finding] = defaultServer(
      await waitForDiagnostics(site.uri, (d) => defaultServer(d).length === 1, 30000),
    );
    assert.equal(site.getText(finding.range), '18930');
    assert.match(finding.message, /^2 server blocks listen on 0\.0\.0\.0:18930 /);
    assert.deepEqual(
      (finding.relatedInformation ?? []).map((r) => vscode.workspace.asRelativePath(r.location.uri, false)),
      [`${FOLDER}/vhosts/extra/other.conf`],
    );

    // The other block, in a folder of its own, becomes the default: the first file is judged again.
    const other = await vscode.workspace.openTextDocument(uriOf('vhosts/extra/other.conf'));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(other.uri, positionOf(other, ';', 0, 0), ' default_server');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(site.uri, (d) => defaultServer(d).length === 0, 30000);
  });
});
