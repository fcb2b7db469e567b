// Issue 13 item 4 in the real host: started with `--locale pt-br` and a language pack, VS Code reports
// pt-br and Portolan's hover, diagnostics and Ports view read in Portuguese, with no English left over.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PortolanApi } from '../../extension';
import type { DeclaredPortNode, PortsNode, SectionNode } from '../../present/portsModel';
import {
  activatePortolan,
  closeAllEditors,
  fixtureUri,
  openFixture,
  portolanHoverAt,
  positionOf,
  waitFor,
  waitForDiagnostics,
} from '../integration/helpers';

const repoRoot = path.resolve(__dirname, '../../..');

/** English source strings whose pt-BR translation differs, long enough not to be a word both share. */
function englishOnlyStrings(): string[] {
  const bundle = JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'l10n/bundle.l10n.pt-br.json'), 'utf8'),
  ) as Record<string, string>;
  return Object.entries(bundle)
    .filter(([english, portuguese]) => english !== portuguese)
    .flatMap(([english]) => english.split(/\{\d+\}/))
    .map((piece) => piece.trim())
    .filter((piece) => piece.length >= 12);
}

function assertNoEnglish(text: string, where: string): void {
  const left = englishOnlyStrings().filter((english) => text.includes(english));
  assert.deepEqual(left, [], `${where} still shows English:\n${text}`);
}

function section(api: PortolanApi, id: SectionNode['section']): SectionNode | undefined {
  return api.live.portsView.provider
    .getChildren()
    .find((n): n is SectionNode => n.kind === 'section' && n.section === id);
}

describe('Portolan in pt-BR (issue 13 item 4)', () => {
  let api: PortolanApi;

  before(async () => {
    api = (await activatePortolan<PortolanApi>()).exports;
  });

  after(closeAllEditors);

  it('runs in a host whose display language is pt-br', () => {
    assert.equal(vscode.env.language, 'pt-br');
    assert.equal(vscode.l10n.t('Workspace'), 'Espaço de trabalho', 'the l10n bundle is not loaded');
  });

  it('shows the hover in Portuguese', async () => {
    const editor = await openFixture('compose.yaml');
    const hover = await portolanHoverAt(editor.document.uri, positionOf(editor.document, '5432:5432', 0, 1));
    assert.match(hover, /^\*\*5432\/tcp\*\* · PostgreSQL — /);
    assert.match(hover, /\[Mais sobre a porta 5432…\]\(command:portolan\.showPortInfo\?/);
    assert.match(hover, /nesta máquina/);
    assertNoEnglish(hover, 'the hover over 5432');
  });

  it('reports diagnostics in Portuguese', async () => {
    await openFixture('compose.yaml');
    const diagnostics = await waitForDiagnostics(fixtureUri('compose.yaml'), (d) =>
      d.some((x) => /8080/.test(x.message)),
    );
    const conflict = diagnostics.find((d) => /8080/.test(d.message));
    assert.match(conflict?.message ?? '', /^A porta 8080\/tcp do host também é publicada por /);
    for (const d of diagnostics) {
      assertNoEnglish(d.message, `the diagnostic "${d.message}"`);
    }
  });

  it('labels the Ports view in Portuguese', async () => {
    await vscode.commands.executeCommand('portolan.refresh');
    // The workspace index fills in after start-up: wait for compose.yaml's 5432.
    const postgres = await waitFor(
      () =>
        section(api, 'workspace')?.children.find(
          (n): n is DeclaredPortNode<vscode.Uri> => n.kind === 'declared' && n.port === 5432,
        ),
      api.live.portsView.provider.onDidChangeModel,
      '5432 from compose.yaml in the Workspace section',
      60000,
    );
    assert.equal(section(api, 'workspace')?.label, 'Espaço de trabalho');
    const rows: PortsNode<vscode.Uri>[] = [postgres, ...api.live.portsView.provider.getChildren(postgres)];
    const text = rows
      .map((node) => {
        const item = api.live.portsView.provider.getTreeItem(node);
        return `${typeof item.label === 'string' ? item.label : (item.label?.label ?? '')} ${String(item.description ?? '')}`;
      })
      .join('\n');
    assert.match(text, /\(publicada · db\)/, text);
    assertNoEnglish(text, 'the 5432 rows');
    const listening = section(api, 'listening');
    assert.equal(listening?.label, 'Em escuta');
  });
});
