import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from '../../providers/commands';

const root = path.resolve(__dirname, '../../..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<string, any>;

describe('package.json manifest', () => {
  const manifest = readJson('package.json');
  const contributes = manifest.contributes;
  const contributed: string[] = contributes.commands.map((c: { command: string }) => c.command);

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
    for (const entries of Object.values(contributes.menus) as Array<Array<{ command: string; group?: string }>>) {
      for (const e of entries) {
        if (e.group?.startsWith('inline') || e.group?.startsWith('navigation')) {
          buttons.add(e.command);
        }
      }
    }
    assert.ok(buttons.size > 0);
    for (const id of buttons) {
      const c = contributes.commands.find((x: { command: string }) => x.command === id);
      assert.match(c?.icon ?? '', /^\$\([a-z-]+\)$/, id);
    }
  });

  it('only names contributed commands in menus', () => {
    for (const [menu, entries] of Object.entries(contributes.menus) as Array<[string, Array<{ command: string }>]>) {
      for (const e of entries) {
        assert.ok(contributed.includes(e.command), `${menu}: ${e.command}`);
      }
    }
  });

  it('hides item-only commands from the palette', () => {
    const hidden = contributes.menus.commandPalette.filter((e: { when?: string }) => e.when === 'false');
    const ids = hidden.map((e: { command: string }) => e.command);
    for (const id of [Command.KillProcess, Command.CopyPid, Command.IgnoreLine, Command.DisableRule]) {
      assert.ok(ids.includes(id), id);
    }
  });

  it('describes every setting in Markdown with a scope', () => {
    const properties = contributes.configuration.properties as Record<string, Record<string, unknown>>;
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
  });

  it('runs where the ports are and pins @types/vscode to the engine minimum', () => {
    assert.deepEqual(manifest.extensionKind, ['workspace']);
    const engine = String(manifest.engines.vscode).replace(/^\^/, '');
    assert.equal(manifest.devDependencies['@types/vscode'], engine);
  });

  for (const file of ['package.nls.json', 'package.nls.pt-br.json']) {
    it(`${file} has every %key% the manifest uses, and no others`, () => {
      const strings = readJson(file);
      const used = new Set([...JSON.stringify(manifest).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
      assert.deepEqual(Object.keys(strings).sort(), [...used].sort());
      for (const [k, v] of Object.entries(strings)) {
        assert.ok(typeof v === 'string' && v.trim().length > 0, k);
      }
    });
  }
});
