// Go to Definition, Find All References and Rename on ports, in the real host, over a small project
// written for the suite: two built services that both listen on container port 80, a database, nginx,
// code and a `.env`. The fixture workspace's own compose file has a `web` with container port 80 and a
// `db` on 5432 too: other endpoints with the same numbers, which nothing here may touch.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, fixtureUri, portolanApi, positionOf, waitFor } from './helpers';

const FOLDER = 'portlinks';

const FILES: Record<string, string> = {
  'compose.yaml': [
    'services:',
    '  web:',
    '    build: ./web',
    '    ports:',
    '      - "${WEB_PORT:-18080}:80"',
    '    environment:',
    '      DATABASE_URL: postgres://app:secret@db:5432/app',
    '  api:',
    '    build: ./api',
    '    ports:',
    "      - '18081:80'",
    '  db:',
    '    image: postgres:16',
    '    ports:',
    '      - "15432:5432"',
    '',
  ].join('\n'),
  '.env': 'WEB_PORT=18080\n',
  'web/Dockerfile': 'FROM node:20\nEXPOSE 80\n',
  'web/server.js': 'app.listen(80);\nfetch("http://api:80/items");\n',
  'api/server.js': 'server.listen(80);\n',
  'nginx/nginx.conf': 'server {\n  listen 18000;\n  location / {\n    proxy_pass http://web:80;\n  }\n}\n',
  'smoke.js': 'fetch("http://localhost:18080/health");\n',
  // A Kustomize-style pair: the Service in one manifest, the workload it selects in the one beside it.
  'k8s/service.yaml': [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: shop',
    'spec:',
    '  selector:',
    '    app: shop',
    '  ports:',
    '    - name: web',
    '      port: 18100',
    '      targetPort: http',
    '    - name: direct',
    '      port: 18101',
    '      targetPort: 18200',
    '',
  ].join('\n'),
  'k8s/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: shop',
    'spec:',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: shop',
    '    spec:',
    '      containers:',
    '        - name: shop',
    '          image: example/shop',
    '          ports:',
    '            - name: http',
    '              containerPort: 18200',
    '',
  ].join('\n'),
};

function uriOf(file: string): vscode.Uri {
  return fixtureUri(`${FOLDER}/${file}`);
}

async function documentOf(file: string): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(uriOf(file));
}

/** `folder/file:line` of each location, relative to the fixture workspace, sorted. */
function places(locations: ReadonlyArray<vscode.Location | vscode.LocationLink>): string[] {
  return locations
    .map((l) => {
      const uri = 'targetUri' in l ? l.targetUri : l.uri;
      const range = 'targetRange' in l ? l.targetRange : l.range;
      return `${vscode.workspace.asRelativePath(uri, false)}:${range.start.line + 1}`;
    })
    .sort();
}

async function writeProject(): Promise<void> {
  for (const [file, text] of Object.entries(FILES)) {
    await vscode.workspace.fs.writeFile(uriOf(file), new TextEncoder().encode(text));
  }
}

describe('port links: definition, references and rename across the workspace', function () {
  this.timeout(120000);

  before(async () => {
    const api = await portolanApi();
    await api.index.ready;
    await writeProject();
    // A rebuild reads the new folder whole (the `.env` with the compose file that reads it) rather
    // than racing the watcher's events for seven new files.
    await api.index.rescan();
    await waitFor(
      () =>
        Object.keys(FILES).every((file) => api.index.mentionsOf(uriOf(file)).length > 0) &&
        api.index.mentionsOf(uriOf('compose.yaml')).some((m) => m.envFile === '.env'),
      api.index.onDidChange,
      'the index to read the portlinks project',
      // New files in a new folder: on a loaded 2-core machine the watcher has taken over 15 s.
      60000,
    );
  });

  after(async () => {
    await closeAllEditors();
    await vscode.workspace.fs.delete(fixtureUri(FOLDER), { recursive: true });
    // A rebuild from the disk; documents the suite opened may stay in the index until VS Code drops them.
    await (await portolanApi()).index.rescan();
  });

  it('Go to Definition on a connection lands on what serves that endpoint', async () => {
    const nginx = await documentOf('nginx/nginx.conf');
    const upstream = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>(
      'vscode.executeDefinitionProvider',
      nginx.uri,
      positionOf(nginx, 'web:80', 0, 4),
    );
    assert.deepEqual(places(upstream), [
      `${FOLDER}/compose.yaml:5`,
      `${FOLDER}/web/Dockerfile:2`,
      `${FOLDER}/web/server.js:1`,
    ]);

    const compose = await documentOf('compose.yaml');
    const database = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>(
      'vscode.executeDefinitionProvider',
      compose.uri,
      positionOf(compose, '@db:5432', 0, 5),
    );
    assert.deepEqual(places(database), [`${FOLDER}/compose.yaml:15`]);

    const smoke = await documentOf('smoke.js');
    const published = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>(
      'vscode.executeDefinitionProvider',
      smoke.uri,
      positionOf(smoke, '18080', 0, 2),
    );
    assert.deepEqual(places(published), [`${FOLDER}/compose.yaml:5`]);
  });

  it('Find All References lists every mention of the endpoint, in files never opened, and no other 80', async () => {
    const dockerfile = await documentOf('web/Dockerfile');
    const references = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      dockerfile.uri,
      positionOf(dockerfile, 'EXPOSE 80', 0, 7),
    );
    assert.deepEqual(places(references), [
      `${FOLDER}/compose.yaml:5`,
      `${FOLDER}/nginx/nginx.conf:4`,
      `${FOLDER}/web/Dockerfile:2`,
      `${FOLDER}/web/server.js:1`,
    ]);
    // The exact characters of the number, as VS Code highlights them.
    const compose = await documentOf('compose.yaml');
    const inCompose = references.find((l) => l.uri.toString() === compose.uri.toString());
    assert.equal(compose.getText(inCompose?.range), '80');

    const host = await documentOf('.env');
    const hostReferences = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      host.uri,
      positionOf(host, '18080', 0, 1),
    );
    assert.deepEqual(places(hostReferences), [
      `${FOLDER}/.env:1`,
      `${FOLDER}/compose.yaml:5`,
      `${FOLDER}/smoke.js:1`,
    ]);
  });

  it('Kubernetes: definition, references and rename reach from service.yaml to the deployment.yaml beside it', async () => {
    const service = await documentOf('k8s/service.yaml');
    const definition = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>(
      'vscode.executeDefinitionProvider',
      service.uri,
      positionOf(service, 'targetPort: http', 0, 13),
    );
    assert.deepEqual(places(definition), [`${FOLDER}/k8s/deployment.yaml:16`]);

    const deployment = await documentOf('k8s/deployment.yaml');
    const at = positionOf(deployment, '18200', 0, 2);
    const references = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      deployment.uri,
      at,
    );
    assert.deepEqual(places(references), [
      `${FOLDER}/k8s/deployment.yaml:16`,
      `${FOLDER}/k8s/service.yaml:11`,
      `${FOLDER}/k8s/service.yaml:14`,
    ]);

    // The numeric targetPort moves with the containerPort; the name `http` stays as written.
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      deployment.uri,
      at,
      '18300',
    );
    assert.deepEqual(
      edit
        .entries()
        .map(([uri, edits]) => `${vscode.workspace.asRelativePath(uri, false)} ×${edits.length}`)
        .sort(),
      [`${FOLDER}/k8s/deployment.yaml ×1`, `${FOLDER}/k8s/service.yaml ×1`],
    );
    assert.equal(await vscode.workspace.applyEdit(edit, { isRefactoring: true }), true);
    assert.equal(
      (await documentOf('k8s/deployment.yaml')).getText(),
      FILES['k8s/deployment.yaml'].replace('18200', '18300'),
    );
    assert.equal(
      (await documentOf('k8s/service.yaml')).getText(),
      FILES['k8s/service.yaml'].replace('targetPort: 18200', 'targetPort: 18300'),
    );
    assert.equal(await vscode.workspace.saveAll(false), true);
  });

  it('Rename rejects what is not a port and numbers outside 1–65535', async () => {
    const compose = await documentOf('compose.yaml');
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand(
          'vscode.prepareRename',
          compose.uri,
          positionOf(compose, 'image: postgres', 0, 2),
        ),
      ),
      /Portolan renames port numbers; there is no port here\./,
    );
    const prepared = await vscode.commands.executeCommand<{ range: vscode.Range; placeholder: string }>(
      'vscode.prepareRename',
      compose.uri,
      positionOf(compose, '}:80"', 0, 2),
    );
    assert.equal(prepared.placeholder, '80');
    assert.equal(compose.getText(prepared.range), '80');
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand(
          'vscode.executeDocumentRenameProvider',
          compose.uri,
          positionOf(compose, '}:80"', 0, 2),
          '70000',
        ),
      ),
      /"70000" is not a port: enter a whole number from 1 to 65535\./,
    );
  });

  it('Rename opens its box while the workspace is still being indexed: F2 needs only the port under the cursor', async () => {
    const api = await portolanApi();
    const compose = await documentOf('compose.yaml');
    let rebuilt = false;
    const rebuild = api.index.rescan().then(() => {
      rebuilt = true;
    });
    const prepared = await vscode.commands.executeCommand<{ range: vscode.Range; placeholder: string }>(
      'vscode.prepareRename',
      compose.uri,
      positionOf(compose, '}:80"', 0, 2),
    );
    assert.equal(rebuilt, false, 'the rename box waited for the whole workspace index');
    assert.equal(prepared.placeholder, '80');
    assert.equal(compose.getText(prepared.range), '80');
    await rebuild;
  });

  it('Rename changes the endpoint everywhere it is written, and leaves other endpoints with the same number alone', async () => {
    const rootCompose = (await vscode.workspace.openTextDocument(fixtureUri('compose.yaml'))).getText();
    const compose = await documentOf('compose.yaml');
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      compose.uri,
      positionOf(compose, '}:80"', 0, 2),
      '8088',
    );
    assert.deepEqual(
      edit
        .entries()
        .map(([uri, edits]) => `${vscode.workspace.asRelativePath(uri, false)} ×${edits.length}`)
        .sort(),
      [
        `${FOLDER}/compose.yaml ×1`,
        `${FOLDER}/nginx/nginx.conf ×1`,
        `${FOLDER}/web/Dockerfile ×1`,
        `${FOLDER}/web/server.js ×1`,
      ],
    );
    assert.equal(await vscode.workspace.applyEdit(edit, { isRefactoring: true }), true);
    assert.equal(
      (await documentOf('compose.yaml')).getText(),
      FILES['compose.yaml'].replace('18080}:80"', '18080}:8088"'),
    );
    assert.equal((await documentOf('web/Dockerfile')).getText(), 'FROM node:20\nEXPOSE 8088\n');
    assert.equal(
      (await documentOf('web/server.js')).getText(),
      'app.listen(8088);\nfetch("http://api:80/items");\n',
    );
    assert.equal(
      (await documentOf('nginx/nginx.conf')).getText(),
      FILES['nginx/nginx.conf'].replace('web:80', 'web:8088'),
    );
    assert.equal((await documentOf('api/server.js')).getText(), FILES['api/server.js']);
    assert.equal(
      (await vscode.workspace.openTextDocument(fixtureUri('compose.yaml'))).getText(),
      rootCompose,
    );

    // The host side: the `.env` value, the default beside it in compose, and the URL that reaches it.
    const dotenv = await documentOf('.env');
    const hostEdit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      dotenv.uri,
      positionOf(dotenv, '18080', 0, 1),
      '18090',
    );
    assert.equal(await vscode.workspace.applyEdit(hostEdit), true);
    assert.equal((await documentOf('.env')).getText(), 'WEB_PORT=18090\n');
    assert.match((await documentOf('compose.yaml')).getText(), /"\$\{WEB_PORT:-18090\}:8088"/);
    assert.equal((await documentOf('smoke.js')).getText(), 'fetch("http://localhost:18090/health");\n');
    assert.equal(await vscode.workspace.saveAll(false), true);
  });
});
