import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { cliEntry, repoRoot as root, runCli as portolan } from './cliProcess';

interface Row {
  file: string;
  line: number;
  column: number;
  length: number;
  port: number;
  portEnd: number | null;
  protocol: string | null;
  role: string;
  kind: string;
  service: { name: string; description: string } | null;
  context: { variable?: string; envFile?: string };
}

describe('unit suite setup', () => {
  it('needs only `npm run compile-tests`: no unit test runs the dist/ bundle', () => {
    const unitDir = path.join(root, 'out/test/unit');
    const readers = fs
      .readdirSync(unitDir)
      .filter(
        (f) => f.endsWith('.js') && /['"`/]dist\//.test(fs.readFileSync(path.join(unitDir, f), 'utf8')),
      );
    assert.deepEqual(readers, []);
  });
});

describe('portolan scan (as a process)', function () {
  this.timeout(60000);
  let rows: Row[];

  before(() => {
    assert.ok(fs.existsSync(cliEntry), 'out/cli.js is compiled (npm run compile-tests)');
    const r = portolan(['scan', '--json', 'samples/shop']);
    assert.equal(r.code, 0, r.err);
    rows = JSON.parse(r.out) as Row[];
  });

  it('emits the JSON contract for every mention', () => {
    assert.ok(rows.length > 20, `found ${rows.length}`);
    for (const row of rows) {
      assert.equal(typeof row.file, 'string');
      assert.ok(!path.isAbsolute(row.file) && !row.file.includes('\\'), row.file);
      assert.ok(Number.isInteger(row.line) && row.line >= 1);
      assert.ok(Number.isInteger(row.column) && row.column >= 1);
      assert.ok(row.length >= 1);
      assert.ok(['listen', 'publish', 'target', 'expose', 'connect', 'setting'].includes(row.role), row.role);
      assert.ok('portEnd' in row && 'protocol' in row && 'service' in row);
    }
  });

  it('points line and column at the first digit of the port', () => {
    for (const row of rows.slice(0, 40)) {
      const text = fs.readFileSync(path.join(root, row.file), 'utf8').split('\n')[row.line - 1];
      const written = text.slice(row.column - 1, row.column - 1 + row.length);
      if (row.context.envFile !== undefined) {
        // Taken from the project's .env: the range is the variable written, `${WEB_PORT:-5173}`.
        assert.match(written, new RegExp(`^\\$\\{?${String(row.context.variable)}\\b`), written);
        continue;
      }
      assert.match(written, /^-?\d/, `${row.file}:${row.line}:${row.column} → ${written}`);
      assert.equal(Number(written.split('-')[0] || written), row.port, `${row.file}:${row.line}`);
    }
  });

  it('finds the published PostgreSQL port with its IANA service', () => {
    const pg = rows.find(
      (r) => r.file === 'samples/shop/compose.yaml' && r.port === 5432 && r.role === 'publish',
    );
    assert.ok(pg, 'compose publishes 5432');
    assert.equal(pg.kind, 'compose');
    assert.equal(pg.protocol, 'tcp');
    assert.equal(pg.service?.name, 'postgresql');
  });

  it('reads every kind of file in the sample', () => {
    const kinds = new Set(rows.map((r) => r.kind));
    for (const k of [
      'code',
      'compose',
      'nginx',
      'dotenv',
      'dockerfile',
      'kubernetes',
      'properties',
      'packagejson',
      'launchjson',
      'devcontainer',
    ]) {
      assert.ok(kinds.has(k), `kind ${k}`);
    }
  });

  it('leaves timeouts and worker counts alone', () => {
    assert.ok(
      !rows.some((r) => r.port === 3000),
      'REQUEST_TIMEOUT=3000 and setTimeout(…, 3000) are not ports',
    );
    assert.ok(!rows.some((r) => r.port === 1024), 'worker_connections 1024 is not a port');
  });

  it('prints a readable table without --json', () => {
    const r = portolan(['scan', 'samples/shop/compose.yaml']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^WHERE\s+PORT\s+ROLE\s+KIND/m);
    assert.match(r.out, /samples\/shop\/compose\.yaml:\d+:\d+\s+5432\/tcp\s+publish\s+compose/);
  });

  it('documents every verb and rejects unknown ones', () => {
    const help = portolan(['--help']);
    assert.equal(help.code, 0);
    for (const verb of ['scan', 'check', 'ls', 'who', 'free']) {
      assert.match(help.out, new RegExp(`^  ${verb} `, 'm'));
    }
    assert.equal(portolan(['frobnicate']).code, 2);
    assert.equal(portolan(['scan', '--bogus']).code, 2);
  });

  describe('walking', () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portolan-walk-'));
      fs.mkdirSync(path.join(dir, 'node_modules/dep'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'node_modules/dep/index.js'), 'app.listen(4001)\n');
      fs.writeFileSync(path.join(dir, 'server.js'), 'app.listen(4002)\r\napp.listen(4003)\r\n');
      fs.writeFileSync(
        path.join(dir, 'blob.js'),
        Buffer.concat([Buffer.from('app.listen(4004)'), Buffer.alloc(16)]),
      );
      fs.writeFileSync(path.join(dir, 'big.js'), 'app.listen(4005)\n' + 'x'.repeat(2048));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('skips node_modules, binaries and large files, and says so', () => {
      const r = portolan(['scan', '--json', '--max-size', '1024', '.'], dir);
      assert.equal(r.code, 0, r.err);
      const ports = (JSON.parse(r.out) as Row[]).map((x) => x.port).sort();
      assert.deepEqual(ports, [4002, 4003]);
      assert.match(r.err, /blob\.js: binary/);
      assert.match(r.err, /big\.js: larger than 1024 bytes/);
    });

    it('counts CRLF lines right', () => {
      const r = portolan(['scan', '--json', 'server.js'], dir);
      const rows2 = JSON.parse(r.out) as Row[];
      assert.deepEqual(
        rows2.map((x) => [x.line, x.column]),
        [
          [1, 12],
          [2, 12],
        ],
      );
    });

    it('reports a missing path without failing the others', () => {
      const r = portolan(['scan', '--json', 'nope', 'server.js'], dir);
      assert.equal(r.code, 0);
      assert.match(r.err, /nope: cannot read: ENOENT/);
      assert.equal((JSON.parse(r.out) as Row[]).length, 2);
    });
  });
});
