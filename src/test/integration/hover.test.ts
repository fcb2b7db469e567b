// Hovers as VS Code asks for them: vscode.executeHoverProvider on the fixture workspace.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { marked } from 'marked';
import * as vscode from 'vscode';
import {
  activatePortolan,
  closeAllEditors,
  fixtureRoot,
  hoverText,
  hoversAt,
  openFixture,
  PORTOLAN_HOVER_HEADING,
  portolanHoverAt,
  positionOf,
  setPortolanSetting,
} from './helpers';

describe('hover', () => {
  before(async () => {
    await activatePortolan();
  });

  afterEach(async () => {
    await closeAllEditors();
  });

  it('names PostgreSQL over the published 5432 in compose.yaml', async () => {
    const { document } = await openFixture('compose.yaml');
    const text = await portolanHoverAt(document.uri, positionOf(document, '5432:5432', 0, 1));
    assert.match(text, /\*\*5432\/tcp\*\*/);
    assert.match(text, /postgres/i);
  });

  it('describes the container side of 5432:5432 as the same service', async () => {
    const { document } = await openFixture('compose.yaml');
    const text = await portolanHoverAt(document.uri, positionOf(document, '5432:5432', 0, 6));
    assert.match(text, /\*\*5432\/tcp\*\*/);
    assert.match(text, /container port/i);
  });

  it('explains app.listen(3000) in server.js', async () => {
    const { document } = await openFixture('server.js');
    const text = await portolanHoverAt(
      document.uri,
      positionOf(document, 'listen(3000', 0, 'listen('.length + 1),
    );
    assert.match(text, /\*\*3000\/tcp\*\*/);
    assert.match(text, /listens/i);
  });

  it('explains PORT=3000 in .env', async () => {
    const { document } = await openFixture('.env');
    const text = await portolanHoverAt(
      document.uri,
      positionOf(document, 'PORT=3000', 0, 'PORT='.length + 1),
    );
    assert.match(text, /\*\*3000\/tcp\*\*/);
    assert.match(text, /PORT/);
  });

  it('gives no Portolan hover away from a port', async () => {
    const { document } = await openFixture('compose.yaml');
    for (const [needle, offset] of [
      ['services:', 2],
      ['image: postgres', 9],
      ['POSTGRES_PASSWORD', 3],
    ] as const) {
      const hovers = await hoversAt(document.uri, positionOf(document, needle, 0, offset));
      assert.doesNotMatch(
        hoverText(hovers),
        PORTOLAN_HOVER_HEADING,
        `unexpected Portolan hover over "${needle}"`,
      );
    }
  });

  it('stops hovering when portolan.hover.enabled is false, and resumes when it is back', async () => {
    const { document } = await openFixture('compose.yaml');
    const position = positionOf(document, '5432:5432', 0, 1);
    const restore = await setPortolanSetting('hover.enabled', false);
    try {
      assert.equal(await portolanHoverAt(document.uri, position), '');
    } finally {
      await restore();
    }
    assert.match(await portolanHoverAt(document.uri, position), /postgres/i);
  });

  it('shows a service name carrying a command link as text, with only Portolan’s own links', async () => {
    // The report's payload: a compose service (or Kubernetes container) named to close the code
    // span and smuggle a Stop link with a pid and process of its choosing.
    const stop =
      '[Stop](command:portolan.killProcess?%5B%7B%22port%22%3A5432%2C%22pid%22%3A4242%2C%22process%22%3A%22vite%22%7D%5D)';
    const file = path.join(fixtureRoot().fsPath, 'hostile', 'compose.yaml');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      `services:\n  "x\`\` ${stop} \`\`y":\n    image: postgres\n    ports:\n      - "5432:5432"\n`,
    );
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      await vscode.window.showTextDocument(document);
      const markdown = await portolanHoverAt(document.uri, positionOf(document, '5432:5432', 0, 1));
      assert.match(markdown, /\*\*5432\/tcp\*\*/);
      const html = marked.parse(markdown, { gfm: true, async: false });
      const commands = [...html.matchAll(/href="(command:[^"]*)"/g)].map((m) => m[1]);
      for (const href of commands) {
        const [command, query] = href.split('?');
        assert.ok(
          [
            'command:portolan.findFreePort',
            'command:portolan.openInBrowser',
            'command:portolan.killProcess',
            'command:portolan.showPortInfo',
          ].includes(command),
          `unexpected link ${href}`,
        );
        const args = JSON.parse(decodeURIComponent(query)) as Record<string, unknown>[];
        assert.ok(!args.some((a) => 'pid' in a || 'process' in a), `a link names a process: ${href}`);
      }
      const hrefs = [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => m[1]);
      assert.deepEqual(
        hrefs.filter((h) => !h.startsWith('https://www.iana.org/')),
        commands,
        'a link that is neither a Portolan command nor the IANA entry',
      );
      assert.equal((html.match(/<a\s/g) ?? []).length, hrefs.length);
      assert.match(html.replace(/<[^>]*>/g, ''), /Service x`` \[Stop\]\(command:portolan\.killProcess\?%5B/);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});
