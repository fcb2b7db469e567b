// A long compose file edited in the editor: the first hover after a one-character edit answers
// with the new port at the right range, and only the edited service is parsed again
// (src/scan/yamlIncremental.ts). Work is counted through the extension's API, never timed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { closeAllEditors, fixtureRoot, hoversAt, hoverText, portolanApi, positionOf } from './helpers';

/** About 10,000 lines: 600 services of 17 lines, as the bench's long compose file. */
function longCompose(): string {
  const lines = ['services:'];
  for (let i = 0; i < 600; i++) {
    lines.push(
      `  svc${i}:`,
      `    image: registry.example.com/svc${i}:1.${i % 20}`,
      '    restart: unless-stopped',
      '    ports:',
      `      - "${20000 + i}:80"`,
      `      - "127.0.0.1:${30000 + i}:8080/tcp"`,
      '    expose:',
      '      - "9000"',
      '    environment:',
      '      PORT: "8080"',
      `      DATABASE_URL: postgres://app:secret@db:5432/svc${i}`,
      '      LOG_LEVEL: info',
      '    depends_on:',
      '      - db',
      '    healthcheck:',
      '      test: ["CMD", "curl", "-f", "http://localhost:8080/health"]',
      '      interval: 10s',
    );
  }
  return lines.join('\n') + '\n';
}

describe('a long compose file: the first hover after an edit', () => {
  const folder = path.join(fixtureRoot().fsPath, 'long-compose');
  const file = path.join(folder, 'compose.yaml');

  before(() => {
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(file, longCompose());
  });

  after(async () => {
    await closeAllEditors();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('shows the new port at its range, and parses one service of 600 again', async () => {
    const api = await portolanApi();
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showTextDocument(document);
    assert.ok(document.lineCount > 10000, `${document.lineCount} lines`);

    const before = positionOf(document, '20300:80', 0, 1);
    assert.match(hoverText(await hoversAt(document.uri, before)), /\*\*20300\/tcp\*\*/);
    const counts = api.mentions.yamlParseCounts();

    // `20300` → `20301`: the last digit of service 300's published port.
    const digit = positionOf(document, '20300:80', 0, 4);
    assert.ok(await editor.edit((edit) => edit.replace(new vscode.Range(digit, digit.translate(0, 1)), '1')));
    const at = positionOf(document, '20301:80', 0, 2);
    const hovers = await hoversAt(document.uri, at);
    const portolan = hovers.filter((hover) => /\*\*20301\/tcp\*\*/.test(hoverText([hover])));
    assert.equal(portolan.length, 1, hoverText(hovers));
    const range = portolan[0].range!;
    assert.equal(document.getText(range), '20301');
    assert.deepEqual([range.start.line, range.start.character], [at.line, at.character - 2]);

    const after = api.mentions.yamlParseCounts();
    // The hover's scan parsed the edited service; the other 599, `services:` included, were kept.
    // Later readers of the same version (diagnostics, the workspace index) reuse the same pieces.
    assert.equal(after.piecesParsed - counts.piecesParsed, 1);
    assert.ok(
      after.piecesReused - counts.piecesReused >= 600,
      `${after.piecesReused - counts.piecesReused} reused`,
    );

    // A port after the edit keeps its exact range too.
    const last = positionOf(document, '127.0.0.1:30599', 0, '127.0.0.1:'.length + 1);
    assert.match(hoverText(await hoversAt(document.uri, last)), /\*\*30599\/tcp\*\*/);
  });
});
