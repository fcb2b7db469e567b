// The CLI on a folder full of things that are not config files: a named pipe (reading it would
// block forever), a dangling link, a link looping back to its parent, a 50 MB file, binary files.
// It must finish, exit 0, print the ports of the readable files and say on stderr what it skipped.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { cliEntry as cli, runCli as portolan } from './cliProcess';

/** `skipped <file>: <reason>` lines by file. */
function skipReasons(stderr: string): Map<string, string> {
  const reasons = new Map<string, string>();
  for (const line of stderr.split('\n').filter((l) => l !== '')) {
    const m = /^skipped (.+?): (.+)$/.exec(line);
    assert.ok(m, `stderr line is not a 'skipped FILE: REASON' line: ${JSON.stringify(line)}`);
    reasons.set(m[1], m[2]);
  }
  return reasons;
}

function noise(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  let x = 0x2545f491;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  bytes[10] = 0;
  return bytes;
}

describe('robustness: the CLI on hostile folders', function () {
  this.timeout(180000);
  let dir: string;

  before(() => {
    assert.ok(fs.existsSync(cli), 'out/cli.js is compiled (npx tsc -p .)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portolan-hostile-'));
    fs.writeFileSync(path.join(dir, 'server.js'), "const app = require('express')();\napp.listen(3000);\n");
    fs.writeFileSync(path.join(dir, '.env'), 'API_PORT=4000\r\nDB_PORT=5432\r\n');
    const mkfifo = spawnSync('mkfifo', [path.join(dir, 'pipe.js')]);
    assert.equal(mkfifo.status, 0, `mkfifo failed: ${String(mkfifo.stderr)}`);
    fs.symlinkSync(path.join(dir, 'missing.env'), path.join(dir, 'dangling.env'));
    fs.symlinkSync('.', path.join(dir, 'loop'));
    fs.mkdirSync(path.join(dir, 'nested'));
    fs.symlinkSync('..', path.join(dir, 'nested', 'up'));
    // 50 MB of minified-looking code with a port in it: must be skipped by size, not read.
    const half = 'var a=function(b){return b+1},c={d:[1,2,3]};'.repeat(Math.ceil((25 * 1024 * 1024) / 45));
    fs.writeFileSync(path.join(dir, 'bundle.min.js'), `${half}c="http://localhost:9999/";${half}`);
    fs.writeFileSync(path.join(dir, 'image.js'), noise(64 * 1024));
    fs.writeFileSync(path.join(dir, 'docker-compose.yml'), noise(4096));
    // Not UTF-8 but no NUL: read as text, replacement characters and all.
    fs.writeFileSync(
      path.join(dir, 'legacy.properties'),
      Buffer.from([
        0x73, 0x65, 0x72, 0x76, 0x65, 0x72, 0x2e, 0x70, 0x6f, 0x72, 0x74, 0x3d, 0x38, 0x30, 0x38, 0x31, 0x0a,
        0xff, 0xfe, 0xc3, 0x28, 0x0a,
      ]),
    );
    // Root reads mode-000 files anyway; this only shows that such a file does not upset the walk.
    fs.writeFileSync(path.join(dir, 'locked.env'), 'LOCKED_PORT=6000\n');
    fs.chmodSync(path.join(dir, 'locked.env'), 0o000);
  });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('scan finishes, exits 0, reports the readable files and names every skip on stderr', () => {
    const t0 = performance.now();
    const r = portolan(['scan', '--json', '.'], dir);
    const ms = performance.now() - t0;
    console.log(`      [measure] portolan scan over the hostile folder: ${ms.toFixed(0)} ms`);
    assert.equal(r.error, undefined, `spawn: ${String(r.error)}`);
    assert.equal(r.signal, null, 'the CLI was killed by the timeout: it hung');
    assert.equal(r.code, 0, r.err);
    const rows = JSON.parse(r.out) as { file: string; port: number; line: number; column: number }[];
    const found = rows.map((row) => `${row.file}:${row.port}`).sort();
    const expected = ['.env:4000', '.env:5432', 'legacy.properties:8081', 'server.js:3000'];
    if (process.getuid?.() === 0) {
      expected.push('locked.env:6000');
    }
    assert.deepEqual(found, expected.sort());
    // CRLF: the second line's column is counted without the CR.
    assert.deepEqual(
      rows.filter((row) => row.file === '.env').map((row) => [row.line, row.column]),
      [
        [1, 10],
        [2, 9],
      ],
    );

    const reasons = skipReasons(r.err);
    assert.match(reasons.get('pipe.js') ?? '', /not a regular file \(named pipe\)/);
    assert.match(reasons.get('dangling.env') ?? '', /symbolic link/);
    assert.match(reasons.get('loop') ?? '', /symbolic link/);
    assert.match(reasons.get('nested/up') ?? '', /symbolic link/);
    assert.match(reasons.get('bundle.min.js') ?? '', /larger than 1048576 bytes/);
    assert.equal(reasons.get('image.js'), 'binary');
    assert.equal(reasons.get('docker-compose.yml'), 'binary');
    assert.equal(reasons.has('server.js'), false);
  });

  it('check walks the same folder the same way', () => {
    const r = portolan(['check', '.'], dir);
    assert.equal(r.signal, null, 'the CLI was killed by the timeout: it hung');
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.err}`);
    const reasons = skipReasons(r.err);
    for (const file of ['pipe.js', 'dangling.env', 'loop', 'bundle.min.js', 'image.js']) {
      assert.ok(reasons.has(file), `no skip line for ${file}:\n${r.err}`);
    }
  });

  it('a named pipe given by name is skipped, not opened', () => {
    const r = portolan(['scan', 'pipe.js'], dir);
    assert.equal(r.signal, null, 'the CLI hung on the named pipe');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /skipped pipe\.js: not a regular file/);
  });

  it('with --max-size lifted, the 50 MB file is read and its ports found', () => {
    const t0 = performance.now();
    const r = portolan(['scan', '--json', '--max-size', String(64 * 1024 * 1024), 'bundle.min.js'], dir);
    const ms = performance.now() - t0;
    assert.equal(r.signal, null, 'the CLI hung on the 50 MB file');
    assert.equal(r.code, 0, r.err);
    const rows = JSON.parse(r.out) as { port: number }[];
    console.log(
      `      [measure] portolan scan of a 50 MB minified file (whole process): ${ms.toFixed(0)} ms, ${rows.length} mentions`,
    );
    assert.deepEqual(
      rows.map((row) => row.port),
      [9999],
    );
  });
});

// `f(...array)` passes every element on the stack: ~125k of them overflow it at Node's default stack
// size. The CLI runs here with a smaller stack (--stack-size=100, about a tenth) so that tens of
// thousands of entries stand in for the ~125k mentions or folder entries of the real reproductions.
describe('robustness: the CLI on huge folders and files', function () {
  this.timeout(180000);
  const smallStack = ['--stack-size=100'];
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portolan-huge-'));
    fs.mkdirSync(path.join(dir, 'many'));
    for (let i = 0; i < 25000; i++) {
      fs.writeFileSync(path.join(dir, 'many', `f${i}`), '');
    }
    fs.writeFileSync(path.join(dir, 'many', 'server.js'), 'app.listen(4321);\n');
    const lines: string[] = [];
    for (let i = 0; i < 30000; i++) {
      lines.push(`APP${i}_PORT=${10000 + i}`);
    }
    fs.writeFileSync(path.join(dir, '.env'), lines.join('\n') + '\n');
  });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('walks a folder of tens of thousands of entries (stack.push(...children) overflowed)', () => {
    const r = portolan(['scan', '--json', 'many'], dir, 120000, smallStack);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(
      (JSON.parse(r.out) as { file: string; port: number }[]).map((m) => `${m.file}:${m.port}`),
      ['many/server.js:4321'],
    );
  });

  it('prints the scan table of tens of thousands of mentions (Math.max(...widths) overflowed)', () => {
    const r = portolan(['scan', '.env'], dir, 120000, smallStack);
    assert.equal(r.code, 0, r.err);
    const rows = r.out.split('\n');
    assert.match(rows[0], /^WHERE\s+PORT\s+ROLE/);
    assert.match(rows[1], /^\.env:1:11\s+10000\/tcp /);
    assert.equal(rows.at(-2), '30000 ports in 1 files.');
  });
});

// CI runs `portolan check` on pull requests: the .vscode/settings.json it reads by default comes with
// the change under review, and gets the walker's guards.
describe('robustness: check reads hostile VS Code settings safely', function () {
  this.timeout(120000);
  let dir: string;
  let outside: string;
  const settings = () => path.join(dir, '.vscode', 'settings.json');

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portolan-settings-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'portolan-outside-'));
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  web:\n    ports:\n      - "80:8080"\n');
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  const check = (...args: string[]) => portolan(['check', ...args, '.'], dir, 20000);
  const quiet = JSON.stringify({ 'portolan.diagnostics.rules': { 'privileged-port': 'off' } });

  it('refuses a named pipe instead of hanging on it', () => {
    assert.equal(spawnSync('mkfifo', [settings()]).status, 0);
    const r = check();
    assert.equal(r.signal, null, 'check hung on the FIFO');
    assert.equal(r.code, 2);
    assert.equal(
      r.err,
      'portolan check: cannot read .vscode/settings.json: not a regular file (named pipe)\n',
    );
  });

  it('refuses a link to /dev/zero, even when named with --settings', () => {
    fs.symlinkSync('/dev/zero', settings());
    const r = check();
    assert.equal(r.signal, null);
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      /^portolan check: \.vscode\/settings\.json links outside the working folder \(to \/dev\/zero\)/,
    );
    const named = check('--settings', '/dev/zero');
    assert.equal(named.code, 2);
    assert.equal(named.err, 'portolan check: cannot read /dev/zero: not a regular file (device)\n');
  });

  it('follows a link out of the tree only when the file is named with --settings', () => {
    fs.writeFileSync(path.join(outside, 'settings.json'), quiet);
    fs.symlinkSync(path.join(outside, 'settings.json'), settings());
    assert.equal(check().code, 2);
    const named = check('--json', '--settings', path.join(outside, 'settings.json'));
    assert.equal(named.code, 0, named.err);
    assert.deepEqual(JSON.parse(named.out), []);
  });

  it('reads a link that stays inside the tree, as before', () => {
    fs.writeFileSync(path.join(dir, 'shared.json'), quiet);
    fs.symlinkSync('../shared.json', settings());
    const r = check('--json');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), []);
  });

  it('refuses settings larger than --max-size', () => {
    fs.writeFileSync(settings(), `{"x": "${'a'.repeat(4096)}"}`);
    const r = check('--max-size', '1024');
    assert.equal(r.code, 2);
    assert.equal(r.err, 'portolan check: cannot read .vscode/settings.json: larger than 1024 bytes\n');
  });
});

describe('robustness: file names that are not UTF-8', function () {
  this.timeout(60000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portolan-bytes-'));
    // Latin-1 "latiné.env" and a folder named "d" + 0xff: bytes no UTF-8 string can name.
    fs.writeFileSync(
      Buffer.concat([Buffer.from(`${dir}/latin`), Buffer.from([0xe9]), Buffer.from('.env')]),
      'API_PORT=4100\n',
    );
    const folder = Buffer.concat([Buffer.from(`${dir}/d`), Buffer.from([0xff])]);
    fs.mkdirSync(folder);
    fs.writeFileSync(
      Buffer.concat([folder, Buffer.from('/compose.yaml')]),
      'services:\n  db:\n    ports:\n      - "5432:5432"\n',
    );
  });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads them (they were reported as ENOENT) and shows each odd byte as \\xNN', () => {
    const r = portolan(['scan', '--json', '.'], dir);
    assert.equal(r.err, '');
    assert.deepEqual(
      (JSON.parse(r.out) as { file: string; port: number; role: string }[]).map(
        (m) => `${m.file}:${m.port}:${m.role}`,
      ),
      ['d\\xff/compose.yaml:5432:publish', 'd\\xff/compose.yaml:5432:target', 'latin\\xe9.env:4100:setting'],
    );
    const check = portolan(['check', '--no-settings', '.'], dir);
    assert.equal(check.err, '');
    assert.match(check.out, /^d\\xff\/compose\.yaml:4:10: warning: Service "db" publishes PostgreSQL/);
  });
});
