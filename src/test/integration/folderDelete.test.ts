// A deleted or renamed folder leaves the workspace index whole. VS Code's watcher reports the folder,
// not each file in it, so without care the folder's ports stayed in the index and the cross-file
// rules kept reporting against them. The project: an nginx.conf beside a conf.d/ whose file claims
// the same listen as default_server, a port-conflict on both; the conf.d/ folder then goes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { PortolanApi } from '../../extension';
import {
  closeAllEditors,
  fixtureUri,
  indexedFilesUnder,
  portolanApi,
  waitFor,
  waitForDiagnostics,
} from './helpers';

const FOLDER = 'folderdelete';
const INDEX_TIMEOUT_MS = 60000;

const block = (name: string): string =>
  `server {\n  listen 18123 default_server;\n  server_name ${name};\n}\n`;

const FILES: Record<string, string> = {
  'nginx.conf': block('main.example'),
  'conf.d/extra.conf': block('extra.example'),
  'conf.d/more/server.js': 'app.listen(18124);\n',
};

function uriOf(file: string): vscode.Uri {
  return fixtureUri(`${FOLDER}/${file}`);
}

/** The indexed files under `folder` (by default the project's), relative to it, sorted. */
function indexedFiles(api: PortolanApi, folder = FOLDER): string[] {
  return indexedFilesUnder(api, folder);
}

const conflicts = (diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] =>
  diagnostics.filter((d) => typeof d.code === 'object' && d.code.value === 'port-conflict');

async function writeProject(): Promise<void> {
  for (const [file, text] of Object.entries(FILES)) {
    await vscode.workspace.fs.writeFile(uriOf(file), new TextEncoder().encode(text));
  }
  const api = await portolanApi();
  // A rebuild reads the new folder whole rather than racing the watcher's events for new files.
  await api.index.rescan();
  await waitFor(
    () => indexedFiles(api).length === 3,
    api.index.onDidChange,
    'the index to read the folderdelete project',
    INDEX_TIMEOUT_MS,
  );
}

/** Opens nginx.conf and waits for the conflict with conf.d/extra.conf. */
async function openWithConflict(): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(uriOf('nginx.conf'));
  await vscode.window.showTextDocument(document);
  const found = await waitForDiagnostics(document.uri, (d) => conflicts(d).length === 1, INDEX_TIMEOUT_MS);
  assert.match(conflicts(found)[0].message, /18123/);
  return document;
}

/** Waits until nothing under conf.d/ is indexed and nginx.conf's conflict is gone. */
async function assertFolderGone(
  document: vscode.TextDocument,
  left: string[] = ['nginx.conf'],
): Promise<void> {
  const api = await portolanApi();
  await waitFor(
    () => JSON.stringify(indexedFiles(api)) === JSON.stringify(left),
    api.index.onDidChange,
    'the deleted folder to leave the index',
    INDEX_TIMEOUT_MS,
  );
  assert.deepEqual(indexedFiles(api), left);
  assert.deepEqual(api.index.mentionsOf(uriOf('conf.d/extra.conf')), []);
  assert.deepEqual(api.index.mentionsOf(uriOf('conf.d/more/server.js')), []);
  await waitForDiagnostics(document.uri, (d) => conflicts(d).length === 0, INDEX_TIMEOUT_MS);
}

describe('folder deletion: the workspace index forgets a folder reported alone', function () {
  this.timeout(240000);

  before(async () => {
    await (
      await portolanApi()
    ).index.ready;
  });

  afterEach(async () => {
    await closeAllEditors();
  });

  after(async () => {
    fs.rmSync(fixtureUri(FOLDER).fsPath, { recursive: true, force: true });
    fs.rmSync(fixtureUri(`${FOLDER}-renamed`).fsPath, { recursive: true, force: true });
    await (await portolanApi()).index.rescan();
  });

  it('workspace.fs.delete of a folder: its ports leave the index and the conflict clears', async () => {
    await writeProject();
    const document = await openWithConflict();
    await vscode.workspace.fs.delete(uriOf('conf.d'), { recursive: true, useTrash: false });
    await assertFolderGone(document);
  });

  it('a folder removed outside VS Code (rm -r): the same', async () => {
    await writeProject();
    const document = await openWithConflict();
    fs.rmSync(uriOf('conf.d').fsPath, { recursive: true, force: true });
    await assertFolderGone(document);
  });

  it('a renamed folder: the old paths leave the index, the new ones come in', async () => {
    await writeProject();
    const edit = new vscode.WorkspaceEdit();
    edit.renameFile(fixtureUri(FOLDER), fixtureUri(`${FOLDER}-renamed`));
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    const api = await portolanApi();
    await waitFor(
      () => indexedFiles(api).length === 0 && indexedFiles(api, `${FOLDER}-renamed`).length === 3,
      api.index.onDidChange,
      'the renamed folder to replace the old one in the index',
      INDEX_TIMEOUT_MS,
    );
    assert.deepEqual(indexedFiles(api, `${FOLDER}-renamed`), Object.keys(FILES).sort());
    assert.deepEqual(api.index.mentionsOf(uriOf('nginx.conf')), []);
    assert.ok(api.index.mentionsOf(fixtureUri(`${FOLDER}-renamed/conf.d/extra.conf`)).length > 0);
  });
});
