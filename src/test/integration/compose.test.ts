// Compose as Compose reads it, in the editor: every interpolation form resolves in hovers, and each
// hover says where the number came from (the project's `.env` line, the environment, a default).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  fixtureUri,
  openFixture,
  portolanApi,
  portolanHoverAt,
  positionOf,
  waitFor,
} from './helpers';

const SHELL_VARIABLE = 'PORTOLAN_IT_SHELL_PORT';

async function write(relativePath: string, text: string): Promise<vscode.Uri> {
  const uri = fixtureUri(relativePath);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

describe('compose: interpolation as Compose reads it', function () {
  this.timeout(120000);

  afterEach(async () => {
    await closeAllEditors();
  });

  it('hovers resolve .env, the environment, defaults and alternatives, and say where each came from', async () => {
    const api = await portolanApi();
    await api.index.ready;
    process.env[SHELL_VARIABLE] = '7100';
    await write('composeforms/.env', '# ports\nWEB_PORT=9000\nTLS=on\n');
    const compose = await write(
      'composeforms/compose.yaml',
      [
        'services:',
        '  web:',
        '    image: nginx',
        '    command: ["sh", "-c", "echo $$HOME"]',
        '    ports:',
        '      - "${WEB_PORT:-8080}:80"',
        `      - "\${${SHELL_VARIABLE}}:81"`,
        '      - "${UNSET_PORT-8082}:82"',
        '      - "${TLS:+8443}:443"',
        '',
      ].join('\n'),
    );
    try {
      // A rebuild reads the new folder whole, `.env` first, rather than racing the watcher's events
      // for two new files (this wait timed out at 60 s in a fresh-clone CI run).
      await api.index.rescan();
      await waitFor(
        () => api.index.mentionsOf(compose).some((m) => m.port === 9000),
        api.index.onDidChange,
        'the index to read composeforms/compose.yaml with its .env',
        60000,
      );
      // The same object while neither `.env` nor the environment changes: open documents are cached by it.
      assert.equal(api.index.composeEnvFor(compose.toString()), api.index.composeEnvFor(compose.toString()));
      const { document } = await openFixture('composeforms/compose.yaml');
      const fromDotenv = await portolanHoverAt(document.uri, positionOf(document, '${WEB_PORT', 0, 3));
      assert.match(fromDotenv, /\*\*9000\/tcp\*\*/);
      assert.match(fromDotenv, /`WEB_PORT` is 9000 in `\.env` line 2, as Compose reads it/);

      const fromShell = await portolanHoverAt(
        document.uri,
        positionOf(document, `\${${SHELL_VARIABLE}}`, 0, 3),
      );
      assert.match(fromShell, /\*\*7100\/tcp\*\*/);
      assert.match(fromShell, /is 7100 in the environment Compose runs in \(it wins over `\.env`\)/);

      const fallback = await portolanHoverAt(document.uri, positionOf(document, '8082}', 0, 1));
      assert.match(fallback, /\*\*8082\/tcp\*\*/);
      assert.match(fallback, /This is the default when `UNSET_PORT` is unset/);

      const alternative = await portolanHoverAt(document.uri, positionOf(document, '8443}', 0, 1));
      assert.match(alternative, /\*\*8443\/tcp\*\*/);
      assert.match(
        alternative,
        /`TLS` is set in `\.env` line 3, so Compose uses the alternative written here/,
      );
    } finally {
      delete process.env[SHELL_VARIABLE];
      await closeAllEditors();
      await vscode.workspace.fs.delete(fixtureUri('composeforms'), { recursive: true });
    }
  });
});
