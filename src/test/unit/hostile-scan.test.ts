// The finders against the exact inputs of an adversarial pass (issue 11): each took Node down,
// ran for minutes or hid a port. Each test runs the reproduction at the size that was reported and
// checks what the scan finds; before the fixes they aborted mocha or ran past its timeout.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LineIndex } from '../../model/text';
import { detectFileKind, scanReport, scanText, scanTextReport } from '../../scan';
import { findComposePorts } from '../../scan/compose';
import { findKubernetesPorts } from '../../scan/kubernetes';
import { findUrlPorts } from '../../scan/addresses';
import { flagValues } from '../../scan/flags';
import { cliEntry, runCli } from './cliProcess';
import { written } from './scanTestKit';

const podHead =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: x\n';

function urls(count: number): string {
  return Array.from({ length: count }, (_, i) => `http://h${i}:${1000 + (i % 60000)}`).join(' ');
}

describe('hostile input: finders (issue 11)', () => {
  it('#2 a compose file of "- " x 1000 and x 131072, scanned again and again, is skipped as too deep', () => {
    for (const count of [1000, 131072]) {
      for (let round = 0; round < 3; round++) {
        const report = scanTextReport('compose.yaml', '- '.repeat(count));
        assert.deepEqual(report.mentions, []);
        assert.match(report.skipped ?? '', /too complex to scan: YAML nested deeper than 200 levels/);
        assert.deepEqual(findKubernetesPorts(`${podHead}${'- '.repeat(count)}`), []);
      }
    }
    // Nesting within one line without any `- ` (mappings, tabs) counts too.
    for (const unit of ['a: ', '-\t', '? ', '{a: ']) {
      const report = scanTextReport('compose.yaml', unit.repeat(2000) + '8080');
      assert.match(report.skipped ?? '', /nested deeper/, JSON.stringify(unit));
    }
    // And the next parse still works.
    assert.deepEqual(
      scanText('compose.yaml', 'services:\n  a:\n    ports: ["8080:80"]\n').map((m) => m.port),
      [8080, 80],
    );
  });

  it('#16 brackets in comments and strings are not nesting: the exposed database is still found', () => {
    const service = 'services:\n  db:\n    image: postgres\n    ports:\n      - "5432:5432"\n';
    for (const text of [
      `# ${'['.repeat(201)}\n${service}`,
      `x-note: "${'{'.repeat(500)}"\n${service}`,
      `x-note: '${'['.repeat(500)}'\n${service}`,
      `${service}    command: echo ${'['.repeat(300)}   # ${'{'.repeat(300)}\n`,
    ]) {
      const report = scanTextReport('compose.yaml', text);
      assert.equal(report.skipped, undefined);
      assert.deepEqual(
        report.mentions.map((m) => `${m.service}:${m.role}:${m.port}`),
        ['db:publish:5432', 'db:target:5432'],
      );
    }
  });

  it('#3 5,000 aliases of an env entry holding 3,000 URLs (Kubernetes, 78 KB) read the entry once', () => {
    const text = [
      podHead.trimEnd(),
      '      env:',
      `        - &e { name: PEERS, value: "${urls(3000)}" }`,
      ...Array.from({ length: 5000 }, () => '        - *e'),
      '',
    ].join('\n');
    const report = scanTextReport('pod.yaml', text);
    assert.equal(report.skipped, undefined);
    assert.equal(report.mentions.length, 3000);
    assert.equal(written(text, report.mentions[2999]), String(1000 + 2999));
    assert.ok(report.mentions.every((m) => m.service === 'c' && m.role === 'connect'));
  });

  it('#3 the compose equivalent (15 KB): each aliased value is read once', () => {
    const text = [
      `x-e: &e "PEERS=${urls(300)}"`,
      'services:',
      '  app:',
      '    environment:',
      ...Array.from({ length: 2000 }, () => '      - *e'),
      '',
    ].join('\n');
    const mentions = findComposePorts(text);
    assert.equal(mentions.length, 300);
    assert.ok(mentions.every((m) => m.service === 'app' && m.variable === 'PEERS'));
  });

  it('#3 aliased content that really is read in many scopes stops at the work budget with a note', () => {
    // 1,000 containers, each a distinct scope, each with the same 1,000-URL variable: a million mentions.
    const lines = [podHead.slice(0, podHead.indexOf('    - name')).trimEnd()];
    lines.push(`    - name: c0\n      env: &e [{ name: PEERS, value: "${urls(1000)}" }]`);
    for (let i = 1; i < 1000; i++) {
      lines.push(`    - { name: c${i}, env: *e }`);
    }
    const report = scanReport('kubernetes', lines.join('\n') + '\n');
    assert.deepEqual(report.mentions, []);
    assert.match(report.skipped ?? '', /^too complex to scan: more work than its size can justify/);
  });

  it('issue 10: a value under an anchor merged into twenty services is one mention, at the anchor', () => {
    const text = [
      'x-defaults: &defaults',
      '  environment:',
      '    PORT: 3000',
      'services:',
      ...Array.from({ length: 20 }, (_, i) => `  s${i}:\n    <<: *defaults`),
      '',
    ].join('\n');
    const mentions = findComposePorts(text);
    assert.deepEqual(
      mentions.map((m) => `${m.service}:${m.role}:${m.variable}:${written(text, m)}`),
      ['s0:setting:PORT:3000'],
    );
  });

  it('#4 findUrlPorts: an unclosed { in a URL host followed by 150,000 commas', () => {
    const text = `x://{1${','.repeat(150000)}`;
    assert.deepEqual(findUrlPorts(text), []);
    const file = `const u = "x://{1${','.repeat(150000)}";\nconst v = "http://db:5432";\n`;
    assert.deepEqual(
      scanText('app.js', file).map((m) => m.port),
      [5432],
    );
  });

  it('#5 a compose command and Kubernetes args of "-a." x 85,000 (256 KB)', () => {
    const hostile = '-a.'.repeat(85000);
    assert.deepEqual(flagValues(`${hostile} --port 9000`), [{ flag: 'port', start: 255008, end: 255012 }]);
    const compose = `services:\n  app:\n    command: "${hostile} 1 --port 9000"\n`;
    assert.deepEqual(
      findComposePorts(compose).map((m) => `${m.variable}:${m.port}`),
      ['port:9000'],
    );
    const pod = `${podHead}      args: ["${hostile}", "--port=9001"]\n`;
    assert.deepEqual(
      findKubernetesPorts(pod).map((m) => `${m.variable}:${m.port}`),
      ['port:9001'],
    );
  });

  it('flagValues reads flags the way the command line does', () => {
    const read = (s: string) => flagValues(s).map((f) => `${f.flag}=${s.slice(f.start, f.end)}`);
    assert.deepEqual(read('--port 9000 -p=80 --a --b=1 x-y --c\t\t7 "--listen-addr=:9090"'), [
      'port=9000',
      'p=80',
      'b=1',
      'c=7',
      'listen-addr=:9090',
    ]);
    assert.deepEqual(read('a-b 1 --x.y.z=2 -1 3 --port'), ['x.y.z=2']);
    assert.deepEqual(read('-a.-b 5'), ['a.-b=5']);
  });

  it('#6 64 KB of "- *a" lines resolve each alias without searching the document', () => {
    const count = 16000;
    const text = `x: &a "8080:80"\nservices:\n  web:\n    ports:\n${'      - *a\n'.repeat(count)}`;
    assert.ok(text.length > 64 * 1024);
    const mentions = findComposePorts(text);
    assert.deepEqual(
      mentions.map((m) => `${m.role}:${written(text, m)}`),
      ['publish:8080', 'target:80'],
    );
  });

  it('an alias names the last node anchored before it, as YAML says', () => {
    const text = [
      'x-a: &p "7000:7000"',
      'services:',
      '  one:',
      '    ports: [*p]',
      'x-b: &p "7001:7001"',
      'more:',
      '  two:',
      '    image: x',
      '    ports: [*p]',
      '',
    ].join('\n');
    assert.deepEqual(
      findComposePorts(text)
        .filter((m) => m.role === 'publish')
        .map((m) => `${m.service}:${m.port}`),
      ['one:7000'],
    );
  });

  it('#15 a 1 MB line of 130,000 URLs with portolan-ignore: every mention is silenced', () => {
    const line = `${urls(130000)} // portolan-ignore insecure-protocol`;
    assert.ok(line.length > 1024 * 1024);
    const mentions = scanText('urls.txt', `${line}\nhttp://next:8080\n`);
    assert.equal(mentions.length, 130001);
    assert.ok(mentions.slice(0, 130000).every((m) => m.suppressed?.join() === 'insecure-protocol'));
    assert.equal(mentions[130000].suppressed, undefined);
  });

  it('#17 a byte order mark hides neither the first .env line nor a manifest', () => {
    const env = '\uFEFFPORT=3000\nDB_URL=postgres://db:5432/x\n';
    assert.deepEqual(
      scanText('.env', env).map((m) => `${m.variable}:${written(env, m)}`),
      ['PORT:3000', 'DB_URL:5432'],
    );
    const manifest = `\uFEFF${podHead}      ports:\n        - containerPort: 8080\n`;
    assert.equal(detectFileKind('pod.yaml', undefined, manifest), 'kubernetes');
    assert.deepEqual(
      scanText('pod.yaml', manifest).map((m) => `${m.role}:${written(manifest, m)}`),
      ['expose:8080'],
    );
    const props = '\uFEFFserver.port=8081\n';
    assert.deepEqual(
      scanText('application.properties', props).map((m) => written(props, m)),
      ['8081'],
    );
  });

  it('#17 lone-CR files put each mention on its own line', () => {
    const text = 'PORT=3000\rDB=postgres://db:5432\r\rAPI=http://api:8080\r';
    const mentions = scanText('.env', text);
    const lines = new LineIndex(text);
    assert.deepEqual(
      mentions.map((m) => lines.position(m.range.start)),
      [
        { line: 1, column: 6 },
        { line: 2, column: 18 },
        { line: 4, column: 16 },
      ],
    );
    const crlf = new LineIndex('a\r\nb\rc\nd');
    assert.deepEqual(
      [0, 3, 5, 7].map((o) => crlf.position(o).line),
      [1, 2, 3, 4],
    );
  });

  it('portolan scan and check say which file was too complex and go on with the others', function () {
    this.timeout(60000);
    assert.ok(fs.existsSync(cliEntry), 'out/cli.js is compiled (npm run compile-tests)');
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'portolan-hostile-'));
    try {
      fs.mkdirSync(path.join(folder, 'deep'));
      fs.writeFileSync(path.join(folder, 'deep', 'compose.yaml'), '- '.repeat(131072));
      fs.writeFileSync(path.join(folder, '.env'), 'PORT=3000\n');
      for (const command of ['scan', 'check']) {
        const r = runCli([command, '--json', '.'], folder, 30000);
        assert.equal(r.code, 0, r.err);
        assert.equal(
          r.err,
          'skipped deep/compose.yaml: too complex to scan: YAML nested deeper than 200 levels\n',
        );
        if (command === 'scan') {
          assert.deepEqual(
            (JSON.parse(r.out) as { file: string; port: number }[]).map((row) => `${row.file}:${row.port}`),
            ['.env:3000'],
          );
        }
      }
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
