// A new folder reported alone still brings its files into the workspace index, with no rebuild. A
// folder moved in from outside the workspace is one event for the folder: its files were never
// created where the watcher looks. A folder made and filled at once outside VS Code may be one too,
// when its files are written before the recursive watcher (inotify) watches the new folder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PortolanApi } from '../../extension';
import { fixtureRoot, fixtureUri, indexedFilesUnder, portolanApi, waitFor } from './helpers';

const INDEX_TIMEOUT_MS = 60000;

/** A compose project whose host port comes from its `.env`, and a server beside it. */
const FILES: Record<string, string> = {
  'compose.yaml': 'services:\n  web:\n    image: nginx\n    ports:\n      - "${WEB_PORT}:80"\n',
  '.env': 'WEB_PORT=18231\n',
  'api/server.js': 'app.listen(18232);\n',
};

function writeFiles(root: string): void {
  for (const [file, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
}

/** Waits for the watcher path alone (no rescan) to index the project, with the `.env` value read. */
async function assertIndexed(api: PortolanApi, folder: string): Promise<void> {
  await waitFor(
    () =>
      indexedFilesUnder(api, folder).length === 3 &&
      api.index.mentionsOf(fixtureUri(`${folder}/compose.yaml`)).some((m) => m.port === 18231),
    api.index.onDidChange,
    `the index to read ${folder}/ through the watcher`,
    INDEX_TIMEOUT_MS,
  );
  assert.deepEqual(indexedFilesUnder(api, folder), Object.keys(FILES).sort());
  assert.ok(api.index.mentionsOf(fixtureUri(`${folder}/api/server.js`)).some((m) => m.port === 18232));
}

describe('folder creation: the workspace index reads a new folder reported alone', function () {
  this.timeout(180000);
  const made: string[] = [];

  before(async () => {
    await (
      await portolanApi()
    ).index.ready;
  });

  after(async () => {
    for (const dir of made) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await (await portolanApi()).index.rescan();
  });

  it('a folder moved in from outside the workspace (mv): its files come in', async () => {
    const api = await portolanApi();
    // Beside the workspace folder, so the move is a rename on one file system.
    const staging = fs.mkdtempSync(path.join(path.dirname(fixtureRoot().fsPath), 'portolan-staging-'));
    made.push(staging);
    assert.equal(
      vscode.workspace.getWorkspaceFolder(vscode.Uri.file(staging)),
      undefined,
      'the staging folder is inside the workspace',
    );
    writeFiles(path.join(staging, 'project'));
    const target = fixtureUri('movedin').fsPath;
    made.push(target);
    fs.renameSync(path.join(staging, 'project'), target);
    await assertIndexed(api, 'movedin');
  });

  it('a folder made and filled at once outside VS Code: its files come in', async () => {
    const api = await portolanApi();
    const target = fixtureUri('madeatonce').fsPath;
    made.push(target);
    writeFiles(target);
    await assertIndexed(api, 'madeatonce');
  });

  it('many folders at once, as a checkout makes them: every one comes in, through one rebuild', async () => {
    const api = await portolanApi();
    const root = fixtureUri('manyatonce').fsPath;
    made.push(root);
    // The parent first, on its own: then twenty new folders in one burst, more than are searched one
    // by one (16), so the index is rebuilt instead (a rebuild announces an empty list of files).
    fs.mkdirSync(root);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    let rebuilt = false;
    const listening = api.index.onDidChangeFiles((files) => {
      rebuilt ||= files.length === 0;
    });
    const count = 20;
    try {
      for (let i = 0; i < count; i++) {
        fs.mkdirSync(path.join(root, `svc${i}`));
        fs.writeFileSync(path.join(root, `svc${i}`, 'server.js'), `app.listen(${18300 + i});\n`);
      }
      await waitFor(
        () => indexedFilesUnder(api, 'manyatonce').length === count,
        api.index.onDidChange,
        'the index to read the 20 new folders through the watcher',
        INDEX_TIMEOUT_MS,
      );
    } finally {
      listening.dispose();
    }
    assert.ok(rebuilt, 'the twenty folders were not read by a rebuild');
    for (let i = 0; i < count; i++) {
      assert.ok(
        api.index.mentionsOf(fixtureUri(`manyatonce/svc${i}/server.js`)).some((m) => m.port === 18300 + i),
        `svc${i}/server.js`,
      );
    }
  });
});
