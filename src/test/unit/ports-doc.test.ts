import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LineIndex } from '../../model/text';
import {
  PORTS_DOC_BEGIN,
  PORTS_DOC_END,
  portsDocRows,
  portsDocTable,
  updatePortsDoc,
  type DocFile,
} from '../../present/portsDoc';
import { scanText } from '../../scan';
import { cliEntry, runCli } from './cliProcess';

function docFile(file: string, text: string): DocFile {
  const lines = new LineIndex(text);
  return { path: file, mentions: scanText(file, text), lineOf: (offset) => lines.position(offset).line };
}

const COMPOSE =
  'services:\n  db:\n    image: postgres\n    ports:\n      - "127.0.0.1:5432:5432"\n  web:\n    ports:\n      - "8080:80"\n';
const SERVER = "const url = 'postgres://db:5432/app';\napp.listen(3000);\n";

describe('PORTS.md model', () => {
  it('lists what the workspace binds, publishes, exposes and configures, by port, with file and line', () => {
    const rows = portsDocRows([docFile('server.js', SERVER), docFile('compose.yaml', COMPOSE)]);
    assert.deepEqual(
      rows.map((r) => `${r.port}/${r.protocol} ${r.file}:${r.line} ${r.what}`),
      [
        '3000/tcp server.js:2 listens',
        '5432/tcp compose.yaml:5 published on the host → container port 5432 · service `db`',
        '8080/tcp compose.yaml:8 published on the host → container port 80 · service `web`',
      ],
      'the client URL to db:5432 and the container sides are not declarations of this workspace',
    );
    assert.equal(rows[1].name, 'PostgreSQL');
  });

  it('writes a table whose cells a service name cannot break', () => {
    const rows = portsDocRows([
      docFile('compose.yaml', 'services:\n  "a|b":\n    ports:\n      - "9000:9000"\n'),
      docFile('my app/server.js', 'app.listen(4000);\n'),
    ]);
    const table = portsDocTable(rows);
    const lines = table.trimEnd().split('\n');
    assert.equal(lines[0], '| Port | Service | What | Where |');
    assert.equal(lines.length, 4);
    for (const line of lines.slice(2)) {
      assert.equal(line.split(/(?<!\\)\|/).length, 6, line);
    }
    assert.match(table, /\[`my app\/server\.js:1`\]\(my%20app\/server\.js#L1\)/);
    assert.equal(portsDocTable([]), 'No ports are declared in this workspace.\n');
  });

  it('replaces only the text between its markers, appends a section, or starts a file', () => {
    const fresh = updatePortsDoc(undefined, 'T1\n');
    assert.match(fresh, /^# Ports\n/);
    assert.ok(fresh.includes(`${PORTS_DOC_BEGIN}\nT1\n${PORTS_DOC_END}`));
    const edited = `Intro by hand.\n\n${fresh}\nFooter by hand.\n`;
    const next = updatePortsDoc(edited, 'T2\n');
    assert.equal(next, edited.replace('T1\n', 'T2\n'));
    assert.equal(updatePortsDoc(next, 'T2\n'), next, 'the same table changes nothing');
    assert.equal(
      updatePortsDoc('# Our service\n\n', 'T3\n'),
      `# Our service\n\n## Ports\n\n${PORTS_DOC_BEGIN}\nT3\n${PORTS_DOC_END}\n`,
    );
  });
});

describe('portolan doc (as a process)', function () {
  this.timeout(60000);
  let dir: string;

  beforeEach(() => {
    assert.ok(fs.existsSync(cliEntry), 'out/cli.js is compiled (npm run compile-tests)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portolan-doc-'));
    fs.writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE);
    fs.writeFileSync(path.join(dir, 'server.js'), SERVER);
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes PORTS.md with the model’s table, keeps hand-written text, and --check tells when it is stale', () => {
    const first = runCli(['doc', dir]);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /^Wrote .*PORTS\.md: 3 ports from 2 files\.\n$/);
    const written = fs.readFileSync(path.join(dir, 'PORTS.md'), 'utf8');
    const table = portsDocTable(
      portsDocRows([docFile('compose.yaml', COMPOSE), docFile('server.js', SERVER)]),
    );
    assert.equal(written, updatePortsDoc(undefined, table));
    assert.equal(runCli(['doc', '--check', dir]).code, 0);

    fs.writeFileSync(path.join(dir, 'PORTS.md'), `Our notes.\n\n${written}`);
    fs.appendFileSync(path.join(dir, 'server.js'), 'app2.listen(3001);\n');
    const stale = runCli(['doc', '--check', dir]);
    assert.equal(stale.code, 1);
    assert.match(stale.err, /out of date/);
    assert.equal(runCli(['doc', dir]).code, 0);
    const again = fs.readFileSync(path.join(dir, 'PORTS.md'), 'utf8');
    assert.match(again, /^Our notes\.\n/);
    assert.match(again, /\| 3001\/tcp \|/);
  });

  it('prints the table with --stdout and writes nothing', () => {
    const r = runCli(['doc', '--stdout', dir]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^\| Port \| Service \| What \| Where \|/);
    assert.ok(!fs.existsSync(path.join(dir, 'PORTS.md')));
  });
});
