// Diagnostics and quick fixes inside a real VS Code: what appears, what clears, what the fixes write.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  applyCodeAction,
  closeAllEditors,
  codeActionsAt,
  fixtureUri,
  openFixture,
  portolanApi,
  portolanDiagnostics,
  rangeOf,
  setPortolanSetting,
  waitForDiagnostics,
} from './helpers';

type Check = (d: vscode.Diagnostic[]) => boolean;

function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' ? d.code.value : d.code;
}

function withRule(rule: string, diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] {
  return diagnostics.filter((d) => codeOf(d) === rule);
}

const has =
  (rule: string, count?: number): Check =>
  (d) =>
    count === undefined ? withRule(rule, d).length > 0 : withRule(rule, d).length === count;
const lacks =
  (rule: string): Check =>
  (d) =>
    withRule(rule, d).length === 0;

async function replaceText(
  document: vscode.TextDocument,
  needle: string,
  replacement: string,
): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, rangeOf(document, needle), replacement);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

describe('diagnostics', () => {
  let restoreThreshold: (() => Promise<void>) | undefined;

  before(async () => {
    const api = await portolanApi();
    await api.index.ready;
    // Containers often run with ip_unprivileged_port_start=0; the suite wants Linux's usual 1024.
    restoreThreshold = await setPortolanSetting('privilegedPortThreshold', 1024);
  });

  after(async () => {
    await restoreThreshold?.();
  });

  afterEach(async () => {
    await closeAllEditors();
  });

  it('reports the fixture compose conflict on both claims, each pointing at the other', async () => {
    const editor = await openFixture('compose.yaml');
    const uri = editor.document.uri;
    const diagnostics = await waitForDiagnostics(
      uri,
      (d) => has('port-conflict', 2)(d) && has('exposed-database')(d),
    );
    const conflicts = withRule('port-conflict', diagnostics);
    for (const conflict of conflicts) {
      assert.equal(editor.document.getText(conflict.range), '8080');
      assert.equal(conflict.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(conflict.source, 'Portolan');
      const related = conflict.relatedInformation ?? [];
      assert.equal(related.length, 1);
      assert.equal(related[0].location.uri.toString(), uri.toString());
      assert.notDeepEqual(related[0].location.range, conflict.range);
      assert.equal(editor.document.getText(related[0].location.range), '8080');
      assert.ok(
        typeof conflict.code === 'object' && conflict.code.target.toString().includes('port-conflict'),
      );
    }
    const exposed = withRule('exposed-database', diagnostics);
    assert.equal(editor.document.getText(exposed[0].range), '5432');
    // "8080:80" publishes 8080 and targets 80 in the container: no privileged warning.
    assert.equal(withRule('privileged-port', diagnostics).length, 0);
  });

  it('clears a conflict after an edit fixes it', async () => {
    const editor = await openFixture('diagnostics/compose.yaml');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, has('port-conflict', 2));
    await replaceText(editor.document, '"9000:3000"', '"9001:3000"');
    await waitForDiagnostics(uri, (d) => lacks('port-conflict')(d) && has('privileged-port')(d));
    await replaceText(editor.document, '"9001:3000"', '"9000:3000"');
    await waitForDiagnostics(uri, has('port-conflict', 2));
  });

  it('privileged-port quick fix moves the host port to the usual alternative (8080 or the next unclaimed) and the warning goes', async () => {
    const editor = await openFixture('diagnostics/compose.yaml');
    const uri = editor.document.uri;
    const [privileged] = withRule(
      'privileged-port',
      await waitForDiagnostics(uri, has('privileged-port', 1)),
    );
    assert.match(privileged.message, /CAP_NET_BIND_SERVICE/);
    const actions = await codeActionsAt(uri, privileged.range, vscode.CodeActionKind.QuickFix.value);
    // 8080 is the usual choice, unless the workspace already claims it (the root compose.yaml does).
    const change = actions.find((a) => a.title.startsWith('Change to port '));
    assert.ok(change, `actions: ${actions.map((a) => a.title).join(' | ')}`);
    const port = Number(change.title.replace('Change to port ', ''));
    assert.ok(port >= 8080 && port < 8100, change.title);
    assert.equal(change.isPreferred, true);
    assert.ok(actions.some((a) => a.title === 'Ignore privileged-port on this line'));
    assert.ok(actions.some((a) => a.title === 'Disable rule privileged-port in this workspace'));
    await applyCodeAction(change);
    assert.ok(editor.document.getText().includes(`- "${port}:80"`));
    await waitForDiagnostics(uri, lacks('privileged-port'));
    await vscode.commands.executeCommand('undo');
    await waitForDiagnostics(uri, has('privileged-port', 1));
  });

  it('port-conflict quick fix picks a port nobody in the workspace claims', async () => {
    const editor = await openFixture('diagnostics/compose.yaml');
    const uri = editor.document.uri;
    const conflicts = withRule('port-conflict', await waitForDiagnostics(uri, has('port-conflict', 2)));
    const second = conflicts.sort((a, b) => a.range.start.line - b.range.start.line)[1];
    const actions = await codeActionsAt(uri, second.range, vscode.CodeActionKind.QuickFix.value);
    const change = actions.find((a) => a.title.startsWith('Change to port '));
    assert.ok(change);
    const port = Number(change.title.replace('Change to port ', ''));
    assert.ok(port > 9000 && port !== 9100, String(port));
    await applyCodeAction(change);
    assert.ok(editor.document.getText().includes(`- "${port}:3000"`));
    await waitForDiagnostics(uri, lacks('port-conflict'));
    await vscode.commands.executeCommand('undo');
    await waitForDiagnostics(uri, has('port-conflict', 2));
  });

  it('exposed-database quick fix binds to 127.0.0.1; ignore-line silences a line', async () => {
    const editor = await openFixture('diagnostics/compose.yaml');
    const uri = editor.document.uri;
    const [exposed] = withRule('exposed-database', await waitForDiagnostics(uri, has('exposed-database', 1)));
    assert.equal(editor.document.getText(exposed.range), '6379');
    const bind = (await codeActionsAt(uri, exposed.range, vscode.CodeActionKind.QuickFix.value)).find(
      (a) => a.title === 'Bind to 127.0.0.1 only',
    );
    assert.ok(bind);
    await applyCodeAction(bind);
    assert.ok(editor.document.getText().includes('- "127.0.0.1:6379:6379"'));
    await waitForDiagnostics(uri, lacks('exposed-database'));
    await vscode.commands.executeCommand('undo');
    const [again] = withRule('exposed-database', await waitForDiagnostics(uri, has('exposed-database', 1)));
    const ignore = (await codeActionsAt(uri, again.range, vscode.CodeActionKind.QuickFix.value)).find(
      (a) => a.title === 'Ignore exposed-database on this line',
    );
    assert.ok(ignore);
    await applyCodeAction(ignore);
    assert.ok(
      editor.document
        .getText()
        .includes('      # portolan-ignore-next-line exposed-database\n      - "6379:6379"'),
    );
    await waitForDiagnostics(uri, lacks('exposed-database'));
    await vscode.commands.executeCommand('undo');
    await waitForDiagnostics(uri, has('exposed-database', 1));
  });

  it('severity "off" removes a rule and another severity changes it', async () => {
    const editor = await openFixture('compose.yaml');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, has('exposed-database'));
    const restore = await setPortolanSetting('diagnostics.rules', {
      'exposed-database': 'off',
      'port-conflict': 'error',
    });
    try {
      const d = await waitForDiagnostics(uri, (x) => lacks('exposed-database')(x) && has('port-conflict')(x));
      assert.ok(withRule('port-conflict', d).every((x) => x.severity === vscode.DiagnosticSeverity.Error));
    } finally {
      await restore();
    }
    await waitForDiagnostics(uri, has('exposed-database'));
  });

  it('the disable-rule action writes the workspace setting', async () => {
    const editor = await openFixture('compose.yaml');
    const uri = editor.document.uri;
    const [exposed] = withRule('exposed-database', await waitForDiagnostics(uri, has('exposed-database')));
    const restore = await setPortolanSetting('diagnostics.rules', {});
    try {
      const disable = (await codeActionsAt(uri, exposed.range, vscode.CodeActionKind.QuickFix.value)).find(
        (a) => a.title === 'Disable rule exposed-database in this workspace',
      );
      assert.ok(disable?.command);
      await applyCodeAction(disable);
      await waitForDiagnostics(uri, lacks('exposed-database'));
      const rules = vscode.workspace
        .getConfiguration('portolan')
        .inspect<Record<string, string>>('diagnostics.rules')?.workspaceValue;
      assert.equal(rules?.['exposed-database'], 'off');
    } finally {
      await restore();
    }
    await waitForDiagnostics(uri, has('exposed-database'));
  });

  it('sees an override file appear and disappear through the workspace index', async () => {
    const editor = await openFixture('diagnostics/compose.yaml');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, has('port-conflict', 2));
    const override = fixtureUri('diagnostics/compose.override.yaml');
    await vscode.workspace.fs.writeFile(
      override,
      Buffer.from('services:\n  exporter:\n    image: example/exporter\n    ports:\n      - "9100:9100"\n'),
    );
    try {
      const d = await waitForDiagnostics(uri, has('port-conflict', 3));
      const onMetrics = withRule('port-conflict', d).find(
        (x) => editor.document.getText(x.range) === '9100' && x.range.start.line === 21,
      );
      assert.ok(onMetrics, "conflict on the base file's 9100");
      assert.equal(onMetrics.relatedInformation?.[0].location.uri.toString(), override.toString());
      assert.equal(onMetrics.relatedInformation?.[0].location.range.start.line, 4);
    } finally {
      await vscode.workspace.fs.delete(override);
    }
    await waitForDiagnostics(uri, has('port-conflict', 2));
  });

  it('the workspace scope reports files that are not open, and only while it is set', async () => {
    const unopened = fixtureUri('diagnostics/unopened/compose.yaml');
    const api = await portolanApi();
    assert.ok(api.index.mentionsOf(unopened).length > 0, 'the index holds the unopened file');
    assert.equal(portolanDiagnostics(unopened).length, 0);
    const restore = await setPortolanSetting('diagnostics.scope', 'workspace');
    try {
      const d = await waitForDiagnostics(unopened, has('privileged-port', 1));
      assert.equal(d[0].range.start.line, 5);
    } finally {
      await restore();
    }
    await waitForDiagnostics(unopened, (d) => d.length === 0);
  });

  it("portolan.diagnostics.enabled false clears Portolan's problems; true brings them back", async () => {
    const editor = await openFixture('compose.yaml');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, has('port-conflict', 2));
    const restore = await setPortolanSetting('diagnostics.enabled', false);
    try {
      await waitForDiagnostics(uri, (d) => d.length === 0);
    } finally {
      await restore();
    }
    await waitForDiagnostics(uri, has('port-conflict', 2));
  });

  it('the ignoreLine command silences the problems on the cursor line', async () => {
    const editor = await openFixture('diagnostics/compose.yaml');
    const uri = editor.document.uri;
    const [privileged] = withRule(
      'privileged-port',
      await waitForDiagnostics(uri, has('privileged-port', 1)),
    );
    editor.selection = new vscode.Selection(privileged.range.start, privileged.range.start);
    await vscode.commands.executeCommand('portolan.ignoreLine');
    assert.ok(
      editor.document
        .getText()
        .includes('      # portolan-ignore-next-line privileged-port\n      - "80:80"'),
    );
    await waitForDiagnostics(uri, lacks('privileged-port'));
    await vscode.commands.executeCommand('undo');
    await waitForDiagnostics(uri, has('privileged-port', 1));
  });

  it('the index honours portolan.diagnostics.ignore and the file budget', async () => {
    const api = await portolanApi();
    const unopened = fixtureUri('diagnostics/unopened/compose.yaml');
    assert.ok(api.index.mentionsOf(unopened).length > 0);
    const restoreIgnore = await setPortolanSetting('diagnostics.ignore', ['diagnostics/unopened/**']);
    try {
      await api.index.ready;
      assert.equal(api.index.mentionsOf(unopened).length, 0);
      assert.ok(api.index.mentionsOf(fixtureUri('diagnostics/compose.yaml')).length > 0);
    } finally {
      await restoreIgnore();
    }
    await api.index.ready;
    assert.ok(api.index.mentionsOf(unopened).length > 0);
    const everything = api.index.fileCount;
    const restoreBudget = await setPortolanSetting('index.maxFiles', 2);
    try {
      await api.index.ready;
      assert.equal(api.index.truncated, true);
      // Two files from disk, plus any open document (always indexed, so diagnostics see it).
      const open = vscode.workspace.textDocuments.filter(
        (d) => api.index.mentionsOf(d.uri).length > 0,
      ).length;
      assert.ok(
        api.index.fileCount <= 2 + open && api.index.fileCount < everything,
        `${api.index.fileCount} of ${everything}`,
      );
    } finally {
      await restoreBudget();
    }
    await api.index.ready;
    assert.equal(api.index.truncated, false);
  });
});
