// The extension loads in a real VS Code and registers everything its manifest promises.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatePortolan, PORTOLAN_ID, portolanApi, portolanManifest } from './helpers';

describe('activation', () => {
  it(`activates ${PORTOLAN_ID} in the extension host`, async () => {
    const extension = await activatePortolan();
    assert.equal(extension.isActive, true);
    assert.equal(extension.id.toLowerCase(), PORTOLAN_ID);
  });

  it('registers every command contributed in package.json', async () => {
    await activatePortolan();
    const contributed = (portolanManifest().contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('registers every contributed command again once its services have replaced the stand-ins', async () => {
    // Activation registers stand-ins (src/providers/standIns.ts); reading the API loads the services,
    // which dispose them and register the real handlers under the same names.
    const api = await portolanApi();
    assert.ok(api.settings.current, 'the services did not load');
    const contributed = (portolanManifest().contributes?.commands ?? []).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `no handler once the services are loaded: ${missing.join(', ')}`);
  });

  it('contributes the Ports view container and its views to the workbench', async () => {
    await activatePortolan();
    const manifest = portolanManifest();
    const containers = manifest.contributes?.viewsContainers?.activitybar ?? [];
    assert.ok(
      containers.some((c) => c.id === 'portolan'),
      'no activity-bar container "portolan" in package.json',
    );
    const registered = new Set(await vscode.commands.getCommands(true));
    // VS Code generates a focus command for every view and container it actually registered.
    assert.ok(
      registered.has('workbench.view.extension.portolan'),
      'the workbench did not register the Ports container',
    );
    for (const view of manifest.contributes?.views?.portolan ?? []) {
      assert.ok(registered.has(`${view.id}.focus`), `the workbench did not register view ${view.id}`);
    }
  });
});
