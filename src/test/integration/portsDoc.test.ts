// `Portolan: Document Workspace Ports` in the real host: PORTS.md from the workspace index.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activatePortolan, closeAllEditors, fixtureRoot } from './helpers';

describe('Document Workspace Ports', () => {
  const file = (): string => path.join(fixtureRoot().fsPath, 'PORTS.md');

  before(async () => {
    await activatePortolan();
  });

  afterEach(async () => {
    await closeAllEditors();
    fs.rmSync(file(), { force: true });
  });

  it('writes PORTS.md at the folder root from the index, and keeps text outside its markers', async () => {
    // The fixture workspace has two folders: the command is told which one (without it, it asks).
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(
      'portolan.documentPorts',
      fixtureRoot(),
    );
    assert.equal(uri?.fsPath, file());
    const written = fs.readFileSync(file(), 'utf8');
    assert.match(written, /^# Ports\n/);
    assert.match(
      written,
      /\| 5432\/tcp \| PostgreSQL \| published on the host → container port 5432 · service `db` \| \[`compose\.yaml:6`\]\(compose\.yaml#L6\) \|/,
    );
    assert.match(written, /\| 3000\/tcp \| [^|]+ \| listens \| \[`server\.js:8`\]\(server\.js#L8\) \|/);
    // The fixture's own files only: other suites write Dockerfiles that do expose 80 meanwhile.
    assert.doesNotMatch(written, /postgres:\/\//, 'connections are not declarations');
    assert.doesNotMatch(
      written,
      /\| 80\/tcp \| [^|]+ \| exposed[^|]*\| \[`(?:diagnostics\/)?compose\.yaml:/,
      'the container side of a published mapping is not a row of its own',
    );

    fs.writeFileSync(
      file(),
      `Hand-written intro.\n\nAnd a closing line after the table.\n`.replace('And', `${written}\nAnd`),
    );
    await vscode.commands.executeCommand('portolan.documentPorts', fixtureRoot());
    const again = fs.readFileSync(file(), 'utf8');
    // Other suites add and remove files meanwhile, so the rows may differ; the text around them stays.
    assert.ok(again.startsWith('Hand-written intro.\n\n# Ports\n'), again.slice(0, 200));
    assert.ok(
      again.endsWith('<!-- portolan:ports:end -->\n\nAnd a closing line after the table.\n'),
      again.slice(-200),
    );
    assert.equal(again.split('<!-- portolan:ports:begin -->').length, 2, 'one table');
    assert.match(again, /\| 5432\/tcp \| PostgreSQL \|/);
  });
});
