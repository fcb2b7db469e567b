// Workspace and system text never reaches the CLI's text output raw: a service key such as
// "a\n::error file=x.js,line=1::PWNED" must not print a line GitHub Actions would run as a command.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { socketRows } from '../../cli/ls';
import { printable } from '../../cli/printable';
import { formatTable } from '../../cli/table';
import type { ListeningSocket } from '../../system/types';
import { runCli } from './cliProcess';

const HOSTILE = 'a\n::error file=x.js,line=1::PWNED\u001b[31m';

describe('cli: printable text output', function () {
  this.timeout(60000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portolan-printable-'));
    const compose = `services:\n  ${JSON.stringify(HOSTILE)}:\n    image: postgres\n    ports:\n      - "5432:5432"\n`;
    fs.writeFileSync(path.join(dir, 'compose.yaml'), compose);
    const nested = path.join(dir, 'x\n::warning::y,z:w');
    fs.mkdirSync(nested);
    fs.writeFileSync(path.join(nested, 'compose.yaml'), compose);
  });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('escapes control characters in names and values', () => {
    assert.equal(printable('plain · ünïcode'), 'plain · ünïcode');
    assert.equal(printable('a\nb\rc\td'), 'a\\nb\\rc\\td');
    assert.equal(printable('\u001b[2J\u0000\u007f\u009b'), '\\x1b[2J\\x00\\x7f\\x9b');
    assert.equal(printable('evil\u202efdp.exe\u2028'), 'evil\\u202efdp.exe\\u2028');
  });

  it('check: every finding stays on its own line, file names and messages escaped', () => {
    const r = runCli(['check', '--no-settings', '.'], dir);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.ok(!lines.some((l) => l.startsWith('::') || l.includes('\u001b')), r.out);
    assert.ok(
      lines.includes(
        `compose.yaml:5:10: warning: Service "a\\n::error file=x.js,line=1::PWNED\\x1b[31m" publishes PostgreSQL on all interfaces (host port 5432), so anyone who can reach this machine can try it, and Docker's published ports bypass ufw/firewalld rules. Bind it to loopback ("127.0.0.1:5432:5432") or drop the mapping and use the Compose network. [exposed-database]`,
      ),
      r.out,
    );
    assert.ok(
      lines.some((l) => l.startsWith('x\\n::warning::y,z:w/compose.yaml:5:10: warning: Service "a\\n')),
    );
    assert.deepEqual(lines.slice(-3), ['', '2 warnings', '']);
  });

  it('check --format github: one annotation per finding, escaped by GitHub rules', () => {
    const r = runCli(['check', '--no-settings', '--format', 'github', '.'], dir);
    const lines = r.out.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 2, r.out);
    assert.ok(lines.every((l) => l.startsWith('::warning file=')));
    assert.ok(lines[0].startsWith('::warning file=compose.yaml,line=5,col=10,'), lines[0]);
    assert.match(lines[0], /::Service "a%0A::error file=x\.js,line=1::PWNED\\x1b\[31m" publishes /);
    assert.ok(
      lines[1].startsWith('::warning file=x%0A%3A%3Awarning%3A%3Ay%2Cz%3Aw/compose.yaml,line=5,'),
      lines[1],
    );
  });

  it('scan: table cells and skip notes escaped', () => {
    fs.writeFileSync(path.join(dir, 'bad\u001b[2J.env'), 'A_PORT=1\0\n');
    try {
      const r = runCli(['scan', '.'], dir);
      assert.equal(r.code, 0, r.err);
      assert.ok(!r.out.includes('\u001b') && !r.out.split('\n').some((l) => l.startsWith('::')), r.out);
      assert.match(
        r.out,
        /^compose\.yaml:5:10 +5432\/tcp +publish +compose +PostgreSQL · service a\\n::error file=x\.js,line=1::PWNED\\x1b\[31m$/m,
      );
      assert.match(r.out, /^x\\n::warning::y,z:w\/compose\.yaml:5:10 /m);
      assert.equal(r.err, 'skipped bad\\x1b[2J.env: binary\n');
    } finally {
      fs.rmSync(path.join(dir, 'bad\u001b[2J.env'));
    }
  });

  it('ls: process names and users from the system escaped in the table', () => {
    const socket: ListeningSocket = {
      protocol: 'tcp',
      family: 'ipv4',
      address: '127.0.0.1',
      port: 4999,
      ownerVisible: true,
      owners: [{ pid: 42, process: 'vite\u001b]0;owned\u0007', command: 'vite\nrm -rf /' }],
      pid: 42,
      process: 'vite\u001b]0;owned\u0007',
      command: 'vite\nrm -rf /',
      user: 'me\r',
      connections: { established: 0, timeWait: 0, closeWait: 0 },
    };
    const { header, rows } = socketRows([socket]);
    const table = formatTable(header, rows);
    assert.equal(table.split('\n').length, 3);
    assert.match(table.split('\n')[1], /^tcp +127\.0\.0\.1:4999 +42 +vite\\x1b\]0;owned\\x07 +me\\r /);
  });
});
