// The rules the linters have, as a person meets them in a real VS Code: the squiggle on the exact
// text, its severity, related places, and the quick fix that resolves it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  applyCodeAction,
  closeAllEditors,
  codeActionsAt,
  fixtureUri,
  portolanApi,
  portolanHoverAt,
  positionOf,
  rangeOf,
  waitFor,
  waitForDiagnostics,
} from './helpers';
import { deploymentYaml, serviceYaml } from '../kubernetesFixtures';

function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' ? d.code.value : d.code;
}

function withRule(rule: string, diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] {
  return diagnostics.filter((d) => codeOf(d) === rule);
}

describe('linter rules in the editor', () => {
  const written: vscode.Uri[] = [];

  async function open(relativePath: string, text: string): Promise<vscode.TextEditor> {
    const uri = fixtureUri(`linters/${relativePath}`);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
    written.push(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { preview: false });
  }

  before(async () => {
    await (
      await portolanApi()
    ).index.ready;
  });

  afterEach(async () => {
    await closeAllEditors();
  });

  after(async () => {
    await vscode.workspace.fs.delete(fixtureUri('linters'), { recursive: true, useTrash: false });
  });

  it('nginx-proxy-pass-unserved: a proxy to a port the app does not serve points at the port it does', async () => {
    // The fixture app listens on 5000 (app.py); this proxy says 5001.
    const editor = await open(
      'nginx.conf',
      'events {}\nhttp {\n  server {\n    listen 8088;\n    location / {\n      proxy_pass http://127.0.0.1:5001;\n    }\n  }\n}\n',
    );
    const diagnostics = await waitForDiagnostics(
      editor.document.uri,
      (d) => withRule('nginx-proxy-pass-unserved', d).length === 1,
    );
    const [finding] = withRule('nginx-proxy-pass-unserved', diagnostics);
    assert.equal(editor.document.getText(finding.range), '5001');
    assert.equal(finding.severity, vscode.DiagnosticSeverity.Information);
    assert.match(
      finding.message,
      /nothing in this workspace serves port 5001; the nearest port it serves is 5000\./,
    );
    const related = finding.relatedInformation ?? [];
    assert.equal(related.length, 1);
    assert.equal(related[0].location.uri.toString(), fixtureUri('app.py').toString());
    const app = await vscode.workspace.openTextDocument(fixtureUri('app.py'));
    assert.equal(app.getText(related[0].location.range), '5000');

    // Pointing the proxy at the served port clears it.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(editor.document.uri, finding.range, '5000');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(
      editor.document.uri,
      (d) => withRule('nginx-proxy-pass-unserved', d).length === 0,
    );
  });

  it('compose-base60-port: an unquoted 22:22 is reported on the mapping and the fix quotes it', async () => {
    const editor = await open(
      'compose.yaml',
      'services:\n  git:\n    image: gitea/gitea\n    ports:\n      - 2222:22\n',
    );
    const uri = editor.document.uri;
    const diagnostics = await waitForDiagnostics(uri, (d) => withRule('compose-base60-port', d).length === 1);
    const [finding] = withRule('compose-base60-port', diagnostics);
    assert.equal(editor.document.getText(finding.range), '2222:22');
    const actions = await codeActionsAt(uri, finding.range, vscode.CodeActionKind.QuickFix.value);
    const quote = actions.find((a) => /^Quote the mapping/.test(a.title));
    assert.ok(quote, actions.map((a) => a.title).join(' | '));
    await applyCodeAction(quote);
    assert.equal(editor.document.lineAt(4).text, '      - "2222:22"');
    await waitForDiagnostics(uri, (d) => withRule('compose-base60-port', d).length === 0);
  });

  it('dockerfile-expose-ssh and k8s-port-name: exact ranges and their severities', async () => {
    const dockerfile = await open('Dockerfile', 'FROM debian:12\nEXPOSE 8080 22\n');
    const [ssh] = withRule(
      'dockerfile-expose-ssh',
      await waitForDiagnostics(
        dockerfile.document.uri,
        (d) => withRule('dockerfile-expose-ssh', d).length === 1,
      ),
    );
    assert.equal(dockerfile.document.getText(ssh.range), '22');
    assert.equal(ssh.severity, vscode.DiagnosticSeverity.Warning);

    const manifest = await open(
      'pod.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx\n      ports:\n        - name: Web_HTTP\n          containerPort: 8080\n',
    );
    const [name] = withRule(
      'k8s-port-name',
      await waitForDiagnostics(manifest.document.uri, (d) => withRule('k8s-port-name', d).length === 1),
    );
    assert.equal(manifest.document.getText(name.range), 'Web_HTTP');
    assert.equal(name.severity, vscode.DiagnosticSeverity.Error);
  });

  it('dockerfile-expose-mapping: the ignored host part is reported and the fix keeps the container port', async () => {
    const editor = await open('mapping/Dockerfile', 'FROM debian:12\nEXPOSE 127.0.0.1:8080:80/TCP\n');
    const uri = editor.document.uri;
    const diagnostics = await waitForDiagnostics(
      uri,
      (d) =>
        withRule('dockerfile-expose-mapping', d).length === 1 &&
        withRule('dockerfile-expose-protocol-case', d).length === 1,
    );
    const [mapping] = withRule('dockerfile-expose-mapping', diagnostics);
    assert.equal(editor.document.getText(mapping.range), '127.0.0.1:8080:');
    assert.equal(mapping.severity, vscode.DiagnosticSeverity.Warning);
    const [casing] = withRule('dockerfile-expose-protocol-case', diagnostics);
    assert.equal(editor.document.getText(casing.range), 'TCP');
    assert.equal(casing.severity, vscode.DiagnosticSeverity.Information);
    const actions = await codeActionsAt(uri, mapping.range, vscode.CodeActionKind.QuickFix.value);
    const keep = actions.find((a) => a.title === 'Keep only the container port');
    assert.ok(keep, actions.map((a) => a.title).join(' | '));
    await applyCodeAction(keep);
    assert.equal(editor.document.lineAt(1).text, 'EXPOSE 80/TCP');
    await waitForDiagnostics(uri, (d) => withRule('dockerfile-expose-mapping', d).length === 0);
  });

  it('k8s-target-port-unmatched and k8s-probe-port-unexposed: names that land nowhere are warnings on the name', async () => {
    const editor = await open(
      'k8s/web.yaml',
      deploymentYaml('            - name: http\n              containerPort: 8080\n', {
        more: '          readinessProbe:\n            httpGet:\n              port: healthz\n',
      }) +
        '---\n' +
        serviceYaml('    - port: 80\n      targetPort: htttp\n'),
    );
    const diagnostics = await waitForDiagnostics(
      editor.document.uri,
      (d) =>
        withRule('k8s-target-port-unmatched', d).length === 1 &&
        withRule('k8s-probe-port-unexposed', d).length === 1,
    );
    const [target] = withRule('k8s-target-port-unmatched', diagnostics);
    assert.equal(editor.document.getText(target.range), 'htttp');
    assert.equal(target.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(target.message, /Declared: 8080 \(http\)\./);
    const [probe] = withRule('k8s-probe-port-unexposed', diagnostics);
    assert.equal(editor.document.getText(probe.range), 'healthz');
    assert.equal(probe.severity, vscode.DiagnosticSeverity.Warning);
  });

  it('Kubernetes across one folder: service.yaml is judged against deployment.yaml beside it, and follows its edits', async () => {
    const deployment = (ports: string): string => deploymentYaml(`${ports}\n`);
    const api = await portolanApi();
    const deploymentUri = fixtureUri('linters/k8s-split/deployment.yaml');
    await vscode.workspace.fs.writeFile(
      deploymentUri,
      Buffer.from(deployment('            - name: http\n              containerPort: 8080')),
    );
    written.push(deploymentUri);
    await waitFor(
      () => api.index.mentionsOf(deploymentUri).length > 0,
      api.index.onDidChange,
      'the index to read deployment.yaml',
      60000,
    );
    const editor = await open(
      'k8s-split/service.yaml',
      serviceYaml('    - port: 80\n      targetPort: http\n    - port: 9100\n      targetPort: metrics\n'),
    );
    const service = editor.document;
    const diagnostics = await waitForDiagnostics(
      service.uri,
      (d) => withRule('k8s-target-port-unmatched', d).length === 1,
    );
    const [unmatched] = withRule('k8s-target-port-unmatched', diagnostics);
    assert.equal(service.getText(unmatched.range), 'metrics');
    assert.match(unmatched.message, /Deployment web \(deployment\.yaml\).*Declared: 8080 \(http\)\./);
    assert.match(
      await portolanHoverAt(service.uri, positionOf(service, 'targetPort: http', 0, 13)),
      /The named port `http` is containerPort 8080 of `Deployment web, container app` in `deployment\.yaml`\./,
    );

    // Declaring the port in deployment.yaml (an unsaved edit) clears the warning in service.yaml.
    const other = await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument(deploymentUri),
      {
        preview: false,
      },
    );
    const edited = await other.edit((b) =>
      b.insert(
        other.document.lineAt(other.document.lineCount - 1).range.end,
        '            - name: metrics\n              containerPort: 9100\n',
      ),
    );
    assert.ok(edited);
    await waitForDiagnostics(service.uri, (d) => withRule('k8s-target-port-unmatched', d).length === 0);
    assert.match(
      await portolanHoverAt(service.uri, positionOf(service, 'targetPort: metrics', 0, 13)),
      /The named port `metrics` is containerPort 9100 of `Deployment web, container app` in `deployment\.yaml`\./,
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('compose-port-env-mismatch: PORT: ${APP_PORT} is judged by the .env value, and the hover says where it is set', async () => {
    const api = await portolanApi();
    const envUri = fixtureUri('linters/env-drift/.env');
    const composeUri = fixtureUri('linters/env-drift/compose.yaml');
    await vscode.workspace.fs.writeFile(
      envUri,
      Buffer.from('# the app\nNODE_ENV=production\n\nAPP_PORT=3000\n'),
    );
    await vscode.workspace.fs.writeFile(
      composeUri,
      Buffer.from(
        'services:\n  web:\n    build: .\n    environment:\n      PORT: ${APP_PORT}\n    ports:\n      - "8080:4000"\n',
      ),
    );
    written.push(envUri, composeUri);
    // A rebuild reads the `.env` before the compose file that reads it.
    await api.index.rescan();
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(composeUri), {
      preview: false,
    });
    const document = editor.document;
    const diagnostics = await waitForDiagnostics(
      document.uri,
      (d) => withRule('compose-port-env-mismatch', d).length === 1,
    );
    const [mismatch] = withRule('compose-port-env-mismatch', diagnostics);
    assert.equal(document.getText(mismatch.range), '${APP_PORT}');
    assert.match(
      mismatch.message,
      /PORT is 3000, from APP_PORT in \.env line 4, but its ports: map container port 4000/,
    );
    assert.match(
      await portolanHoverAt(document.uri, positionOf(document, '${APP_PORT}', 0, 3)),
      /`APP_PORT` is 3000 in `\.env` line 4, as Compose reads it\./,
    );
    // The mapping reads the same variable: they agree by construction.
    const edited = await editor.edit((b) =>
      b.replace(rangeOf(document, '"8080:4000"'), '"8080:${APP_PORT}"'),
    );
    assert.ok(edited);
    await waitForDiagnostics(document.uri, (d) => withRule('compose-port-env-mismatch', d).length === 0);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('compose-service-port-unserved and compose-random-host-port in one project', async () => {
    const editor = await open(
      'drift/compose.yaml',
      [
        'services:',
        '  api:',
        '    image: example/api',
        '    environment:',
        '      DATABASE_URL: postgres://app:pw@db:5433/app',
        '    ports:',
        '      - "8000"',
        '  db:',
        '    image: postgres:16',
        '    ports:',
        '      - "5433:5432"',
        '',
      ].join('\n'),
    );
    const diagnostics = await waitForDiagnostics(
      editor.document.uri,
      (d) =>
        withRule('compose-service-port-unserved', d).length === 1 &&
        withRule('compose-random-host-port', d).length === 1,
    );
    const [drift] = withRule('compose-service-port-unserved', diagnostics);
    assert.equal(editor.document.getText(drift.range), '5433');
    assert.equal(drift.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(drift.message, /write db:5432\./);
    const [random] = withRule('compose-random-host-port', diagnostics);
    assert.equal(editor.document.getText(random.range), '8000');
    assert.equal(random.severity, vscode.DiagnosticSeverity.Information);
  });

  it('nginx: the hover tells the implied port 80 and the upstream a proxy_pass reaches', async () => {
    const editor = await open(
      'implied/nginx.conf',
      'events {}\nhttp {\n  upstream app { server 127.0.0.1:5000; }\n  server {\n    listen 127.0.0.1;\n    location / { proxy_pass http://app; }\n  }\n}\n',
    );
    const uri = editor.document.uri;
    const listen = await portolanHoverAt(uri, positionOf(editor.document, '127.0.0.1;'));
    assert.match(listen, /nginx listens on port 80/);
    const upstream = await portolanHoverAt(uri, positionOf(editor.document, 'app;'));
    assert.match(upstream, /Through upstream .app.: its server .127\.0\.0\.1:5000./);
  });
});
