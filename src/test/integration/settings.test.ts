// Settings read where they apply: per folder, per language; a malformed glob reported, never fatal.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  fixtureUri,
  nextEvent,
  openFixture,
  portolanApi,
  portolanHoverAt,
  positionOf,
  waitForDiagnostics,
} from './helpers';
import { MALFORMED_IGNORE_GLOB, SECOND_FOLDER_PORT_NAME } from './workspaceSetup';

/** Sets `portolan.<key>` for one language in the workspace settings; returns the undo. */
async function setForLanguage(languageId: string, key: string, value: unknown): Promise<() => Promise<void>> {
  const update = async (newValue: unknown): Promise<void> => {
    const changed = nextEvent(
      vscode.workspace.onDidChangeConfiguration,
      (e) => e.affectsConfiguration(`portolan.${key}`, { languageId }),
      `configuration change of [${languageId}] portolan.${key}`,
    );
    await vscode.workspace
      .getConfiguration('portolan', { languageId })
      .update(key, newValue, vscode.ConfigurationTarget.Workspace, true);
    await changed;
  };
  await update(value);
  return () => update(undefined);
}

describe('settings', () => {
  afterEach(closeAllEditors);

  // Regression: the malformed glob threw inside the index's constructor, so activation failed.
  it('activates with a malformed ignore glob in the settings, names it once, and still works', async () => {
    const api = await portolanApi();
    await api.index.ready;
    const reports = api.settings.problems.filter((m) => m.includes(MALFORMED_IGNORE_GLOB));
    assert.equal(reports.length, 1, api.settings.problems.join('\n'));
    assert.match(reports[0] ?? '', /portolan\.diagnostics\.ignore/);
    const { document } = await openFixture('compose.yaml');
    assert.match(await portolanHoverAt(document.uri, positionOf(document, '5432:5432', 0, 1)), /postgres/i);
    const diagnostics = await openFixture('diagnostics/compose.yaml');
    assert.ok((await waitForDiagnostics(diagnostics.document.uri)).length > 0);
  });

  // Regression: hovers read `hover.enabled` without the document's language.
  it('honours a language-specific portolan.hover.enabled', async () => {
    await portolanApi();
    // compose.yaml has a language of its own (dockercompose); a Kubernetes manifest is plain YAML.
    const yaml = (await openFixture('k8s/deployment.yaml')).document;
    assert.equal(yaml.languageId, 'yaml');
    const env = (await openFixture('.env')).document;
    assert.notEqual(env.languageId, 'yaml');
    const yamlAt = positionOf(yaml, 'containerPort: 8080', 0, 'containerPort: '.length + 1);
    const envAt = positionOf(env, 'PORT=3000', 0, 'PORT='.length + 1);
    assert.match(await portolanHoverAt(yaml.uri, yamlAt), /8080\/tcp/);
    const restore = await setForLanguage('yaml', 'hover.enabled', false);
    try {
      assert.equal(await portolanHoverAt(yaml.uri, yamlAt), '');
      assert.match(await portolanHoverAt(env.uri, envAt), /3000\/tcp/);
    } finally {
      await restore();
    }
    assert.match(await portolanHoverAt(yaml.uri, yamlAt), /8080\/tcp/);
  });

  // Regression: hovers read `customPorts` without the document, so folder settings never applied.
  it("applies a folder's portolan.customPorts to that folder's files only", async () => {
    await portolanApi();
    const second = vscode.workspace.workspaceFolders?.[1];
    assert.ok(second, 'the test workspace has a second folder');
    const inSecond = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(second.uri, 'compose.yaml'));
    await vscode.window.showTextDocument(inSecond);
    const secondHover = await portolanHoverAt(inSecond.uri, positionOf(inSecond, '4000:4000', 0, 1));
    assert.match(secondHover, new RegExp(SECOND_FOLDER_PORT_NAME));

    const copy = fixtureUri('scoped/compose.yaml');
    await vscode.workspace.fs.writeFile(copy, new TextEncoder().encode(inSecond.getText()));
    try {
      const inMain = await vscode.workspace.openTextDocument(copy);
      await vscode.window.showTextDocument(inMain);
      const mainHover = await portolanHoverAt(inMain.uri, positionOf(inMain, '4000:4000', 0, 1));
      assert.match(mainHover, /4000\/tcp/);
      assert.doesNotMatch(mainHover, new RegExp(SECOND_FOLDER_PORT_NAME));
    } finally {
      await closeAllEditors();
      await vscode.workspace.fs.delete(fixtureUri('scoped'), { recursive: true });
    }
  });

  // Regression: `"5353/udp"` keys were dropped when the settings were read.
  it('names a port from a protocol key of portolan.customPorts', async () => {
    const api = await portolanApi();
    const changed = nextEvent(api.settings.onDidChange, () => true, 'settings change');
    await vscode.workspace
      .getConfiguration('portolan')
      .update('customPorts', { '5353/udp': 'TeamDns' }, vscode.ConfigurationTarget.Workspace);
    await changed;
    const uri = fixtureUri('udp/compose.yaml');
    await vscode.workspace.fs.writeFile(
      uri,
      new TextEncoder().encode(
        'services:\n  dns:\n    image: example/dns\n    ports:\n      - "5353:5353/udp"\n',
      ),
    );
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      assert.match(await portolanHoverAt(uri, positionOf(document, '5353:5353', 0, 1)), /TeamDns/);
    } finally {
      await closeAllEditors();
      await vscode.workspace.fs.delete(fixtureUri('udp'), { recursive: true });
      await vscode.workspace
        .getConfiguration('portolan')
        .update('customPorts', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
