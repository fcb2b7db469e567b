import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from '../../present/commands';

const root = path.resolve(__dirname, '../../..');
interface ManifestCommand {
  command: string;
  title: string;
  category?: string;
  icon?: string;
}
interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}
interface Manifest {
  engines: { vscode: string };
  devDependencies: Record<string, string>;
  extensionKind: string[];
  capabilities: Record<string, { supported: string | boolean; description?: string }>;
  contributes: {
    commands: ManifestCommand[];
    menus: Record<string, MenuEntry[]>;
    configuration: { properties: Record<string, Record<string, unknown>> };
  };
}
const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as T;

describe('package.json manifest', () => {
  const manifest = readJson<Manifest>('package.json');
  const contributes = manifest.contributes;
  const contributed = contributes.commands.map((c) => c.command);

  it('contributes exactly the commands of the Command enum', () => {
    assert.deepEqual([...contributed].sort(), Object.values(Command).sort());
  });

  it('gives every command the Portolan category and a localized title', () => {
    for (const c of contributes.commands) {
      assert.equal(c.category, 'Portolan', c.command);
      assert.match(c.title, /^%command\.[A-Za-z]+%$/, c.command);
    }
  });

  it('gives every command shown as a button a codicon', () => {
    const buttons = new Set<string>();
    for (const entries of Object.values(contributes.menus)) {
      for (const e of entries) {
        if (e.group?.startsWith('inline') || e.group?.startsWith('navigation')) {
          buttons.add(e.command);
        }
      }
    }
    assert.ok(buttons.size > 0);
    for (const id of buttons) {
      const c = contributes.commands.find((x) => x.command === id);
      assert.match(c?.icon ?? '', /^\$\([a-z-]+\)$/, id);
    }
  });

  it('only names contributed commands in menus', () => {
    for (const [menu, entries] of Object.entries(contributes.menus)) {
      for (const e of entries) {
        assert.ok(contributed.includes(e.command), `${menu}: ${e.command}`);
      }
    }
  });

  it('hides item-only commands from the palette', () => {
    const ids = contributes.menus.commandPalette.filter((e) => e.when === 'false').map((e) => e.command);
    for (const id of [
      Command.KillProcess,
      Command.CopyPid,
      Command.IgnoreLine,
      Command.DisableRule,
    ] as string[]) {
      assert.ok(ids.includes(id), id);
    }
  });

  it('keeps every command that acts on a tree item out of the palette, unless it asks for its port', () => {
    const hidden = new Set(
      contributes.menus.commandPalette.filter((e) => e.when === 'false').map((e) => e.command),
    );
    // These ask for a port when run without a tree item, so the palette may offer them.
    const asksForItsPort = new Set<string>([Command.WatchPort]);
    const itemCommands = new Set(contributes.menus['view/item/context'].map((e) => e.command));
    assert.ok(itemCommands.size >= 10);
    for (const id of itemCommands) {
      assert.ok(hidden.has(id) || asksForItsPort.has(id), `${id} needs a tree item but shows in the palette`);
    }
  });

  it('offers the view commands in the palette only where they change something', () => {
    const when = (id: string): string | undefined =>
      contributes.menus.commandPalette.find((e) => e.command === id)?.when;
    assert.equal(when(Command.ClearFilter), 'portolan.filtered');
    assert.match(when(Command.GroupByProcess) ?? '', /!portolan\.groupedByProcess\b/);
    assert.match(when(Command.ShowFlat) ?? '', /(?<!!)portolan\.groupedByProcess\b/);
    assert.doesNotMatch(when(Command.ShowFlat) ?? '', /!portolan\.groupedByProcess/);
  });

  it('names the activity-bar container apart from the Ports view inside it, in both languages', () => {
    const container = (
      manifest as unknown as {
        contributes: { viewsContainers: { activitybar: { id: string; title: string }[] } };
      }
    ).contributes.viewsContainers.activitybar.find((c) => c.id === 'portolan');
    const views = (
      manifest as unknown as { contributes: { views: Record<string, { id: string; name: string }[]> } }
    ).contributes.views.portolan;
    assert.ok(container && views.length > 0);
    for (const file of ['package.nls.json', 'package.nls.pt-br.json']) {
      const strings = readJson<Record<string, string>>(file);
      const resolve = (value: string): string => strings[/^%(.+)%$/.exec(value)?.[1] ?? ''] ?? value;
      assert.equal(resolve(container.title), 'Portolan', file);
      for (const view of views) {
        assert.notEqual(resolve(view.name), resolve(container.title), `${file}: ${view.id}`);
      }
    }
    assert.equal(readJson<Record<string, string>>('package.nls.json')['view.ports'], 'Ports');
  });

  it('describes every setting in Markdown with a scope', () => {
    const properties = contributes.configuration.properties;
    assert.ok(Object.keys(properties).length >= 10);
    for (const [key, p] of Object.entries(properties)) {
      assert.match(String(p.markdownDescription), /^%config\.[\w.]+%$/, key);
      assert.ok(typeof p.scope === 'string', `${key} has a scope`);
      assert.ok('default' in p, `${key} has a default`);
    }
  });

  it('declares untrusted and virtual workspace support with reasons', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(manifest.capabilities.untrustedWorkspaces.description);
    assert.equal(manifest.capabilities.virtualWorkspaces.supported, 'limited');
    assert.ok(manifest.capabilities.virtualWorkspaces.description);
    // Only a Node.js entry: Portolan does not run in the web editor without a server.
    assert.equal((manifest as { browser?: string }).browser, undefined);
  });

  it('runs where the ports are and pins @types/vscode to the engine minimum', () => {
    assert.deepEqual(manifest.extensionKind, ['workspace']);
    const engine = String(manifest.engines.vscode).replace(/^\^/, '');
    assert.equal(manifest.devDependencies['@types/vscode'], engine);
  });

  for (const file of ['package.nls.json', 'package.nls.pt-br.json']) {
    it(`${file} has every %key% the manifest uses, and no others`, () => {
      const strings = readJson<Record<string, unknown>>(file);
      const used = new Set([...JSON.stringify(manifest).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
      assert.deepEqual(Object.keys(strings).sort(), [...used].sort());
      for (const [k, v] of Object.entries(strings)) {
        assert.ok(typeof v === 'string' && v.trim().length > 0, k);
      }
    });
  }
});
