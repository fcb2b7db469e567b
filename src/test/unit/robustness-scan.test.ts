// Bad input for every finder: malformed YAML, huge and binary files, CR line ends, absurd nesting
// and numbers that only look like ports. The rule: a number in a port position gives a mention with
// exactly that number (rules report the invalid ones), anything else gives nothing, nothing throws.
import * as assert from 'node:assert/strict';
import { findCodePorts } from '../../scan/code';
import { findComposePorts } from '../../scan/compose';
import { findDockerfilePorts } from '../../scan/dockerfile';
import { findDotenvPorts } from '../../scan/dotenv';
import { findDevcontainerPorts, findLaunchJsonPorts, findPackageJsonPorts } from '../../scan/jsonFiles';
import { findKubernetesPorts } from '../../scan/kubernetes';
import { findNginxPorts } from '../../scan/nginx';
import { findPropertiesPorts } from '../../scan/properties';
import { detectFileKind, scanText, type FileKind, type PortMention } from '../../scan';
import { withFailureLog } from './logSupport';

/** A file name each finder is chosen for, and one template per port position it understands. */
interface Format {
  kind: FileKind;
  file: string;
  finder: (text: string) => PortMention[];
  /** Texts with the value `V` in a port position. */
  positions: ((v: string) => string)[];
}

const k8sHead =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: x\n';

const formats: Format[] = [
  {
    kind: 'code',
    file: 'server.js',
    finder: findCodePorts,
    positions: [
      (v) => `const app = express();\napp.listen(${v});\n`,
      (v) => `const PORT = process.env.PORT || ${v};\n`,
    ],
  },
  {
    kind: 'compose',
    file: 'docker-compose.yml',
    finder: findComposePorts,
    positions: [
      (v) => `services:\n  web:\n    image: nginx\n    ports:\n      - "${v}:80"\n`,
      (v) => `services:\n  web:\n    image: nginx\n    expose:\n      - ${v}\n`,
    ],
  },
  {
    kind: 'nginx',
    file: 'nginx.conf',
    finder: findNginxPorts,
    positions: [(v) => `server {\n  listen ${v};\n  server_name a;\n}\n`],
  },
  { kind: 'dotenv', file: '.env', finder: findDotenvPorts, positions: [(v) => `# app\nPORT=${v}\n`] },
  {
    kind: 'dockerfile',
    file: 'Dockerfile',
    finder: findDockerfilePorts,
    positions: [(v) => `FROM node:20\nEXPOSE ${v}\n`],
  },
  {
    kind: 'kubernetes',
    file: 'deploy.yaml',
    finder: findKubernetesPorts,
    positions: [(v) => `${k8sHead}      ports:\n        - containerPort: ${v}\n`],
  },
  {
    kind: 'properties',
    file: 'application.properties',
    finder: findPropertiesPorts,
    positions: [(v) => `server.port=${v}\n`],
  },
  {
    kind: 'packagejson',
    file: 'package.json',
    finder: findPackageJsonPorts,
    positions: [(v) => `{"scripts": {"start": "node server.js --port ${v}"}}\n`],
  },
  {
    kind: 'launchjson',
    file: '.vscode/launch.json',
    finder: findLaunchJsonPorts,
    positions: [(v) => `{"configurations": [{"type": "node", "request": "attach", "port": ${v}}]}\n`],
  },
  {
    kind: 'devcontainer',
    file: '.devcontainer/devcontainer.json',
    finder: findDevcontainerPorts,
    positions: [(v) => `{"forwardPorts": [${v}]}\n`],
  },
];

/** Every mention's range lies inside the text and covers digits (or a `$VAR` reference). */
function assertWellFormed(text: string, mentions: PortMention[], label: string): void {
  for (const m of mentions) {
    assert.ok(Number.isInteger(m.port), `${label}: port ${m.port} is not an integer`);
    assert.ok(
      m.range.start >= 0 && m.range.start < m.range.end && m.range.end <= text.length,
      `${label}: bad range ${JSON.stringify(m.range)}`,
    );
    const written = text.slice(m.range.start, m.range.end);
    assert.ok(
      /^-?\d/.test(written) || written.startsWith('$'),
      `${label}: range covers ${JSON.stringify(written.slice(0, 40))}`,
    );
  }
}

/**
 * Runs the finder itself as well as scanText. Both survive a crash inside a finder (the finder's own
 * catch, or scanText's), so what proves there was none is an empty failure log.
 */
function scanBoth(format: Format, text: string, label: string): PortMention[] {
  const { value: direct, failures } = withFailureLog(() => format.finder(text));
  assert.deepEqual(failures, [], `${label}: ${format.kind} finder failed`);
  const dispatched = withFailureLog(() => scanText(format.file, text));
  assert.deepEqual(dispatched.failures, [], `${label}: scanText failed on ${format.file}`);
  const viaDispatch = dispatched.value;
  assertWellFormed(text, direct, `${label} (finder)`);
  assertWellFormed(text, viaDispatch, `${label} (scanText)`);
  return viaDispatch;
}

/** Offset of `value` standing alone (not inside a longer number or word). */
function tokenAt(text: string, value: string): number {
  for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
    if (!/[\w.-]/.test(text[at - 1] ?? ' ') && !/\w/.test(text[at + value.length] ?? ' ')) {
      return at;
    }
  }
  throw new Error(`${value} not in ${text}`);
}

/** Deterministic bytes, so a failure reproduces. */
function pseudoRandomBytes(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

describe('robustness: finders on bad input', function () {
  this.timeout(300000);

  it('each sample file name picks the finder under test', () => {
    for (const f of formats) {
      assert.equal(detectFileKind(f.file, undefined, f.positions[0]('8080')), f.kind, f.file);
    }
  });

  describe('numbers in port positions', () => {
    // Decimal integers are ports as written, valid or not; the rules decide whether they are valid.
    for (const value of ['99999', '-1', '0', '65536', '8080']) {
      it(`${value} gives exactly one mention with that number, in every format`, () => {
        for (const f of formats) {
          f.positions.forEach((template, n) => {
            const text = template(value);
            const label = `${f.file} #${n} ${value}`;
            // `listen(0)` asks the OS for any free port, so the code finder leaves it out on purpose.
            if (f.kind === 'code' && n === 0 && value === '0') {
              assert.deepEqual(scanBoth(f, text, label), [], label);
              return;
            }
            const at = tokenAt(text, value);
            const mine = scanBoth(f, text, label).filter((m) => m.range.start === at);
            assert.equal(mine.length, 1, `${label}: ${JSON.stringify(scanText(f.file, text))}`);
            assert.equal(mine[0].port, Number(value), label);
            assert.equal(text.slice(mine[0].range.start, mine[0].range.end), value, label);
          });
        }
      });
    }

    // Not decimal port numbers: exponent, hex, full-width digits. Nothing may claim any part of them.
    for (const value of ['1e3', '0x1F90', '８０８０']) {
      it(`${value} gives no mention inside it, in any format`, () => {
        for (const f of formats) {
          f.positions.forEach((template, n) => {
            const text = template(value);
            const label = `${f.file} #${n} ${value}`;
            const start = text.indexOf(value);
            const end = start + value.length;
            const inside = scanBoth(f, text, label).filter((m) => m.range.start < end && m.range.end > start);
            assert.deepEqual(inside, [], label);
          });
        }
      });
    }
  });

  describe('malformed YAML', () => {
    const broken: Record<string, string> = {
      'unclosed quote':
        'services:\n  web:\n    image: "nginx\n    ports:\n      - "8080:80\n  db:\n    ports: [\'5432:5432]\n',
      tabs: 'services:\n\tweb:\n\t\tports:\n\t\t\t- "8080:80"\n  db:\n    ports:\n      - "5432:5432"\n',
      'bad indentation':
        'services:\n  web:\n      ports:\n    - "8080:80"\n   db:\n  ports:\n        - 5432\n',
      'flow opener without closer': 'services:\n  web:\n    ports: {[\n      - "8080:80"\n  {[\n',
      'only openers': '{[{[{[',
      'stray colons and dashes': ':\n- :\n  - - : -\n::: 8080\n',
      'duplicate keys': 'services:\n  web:\n    ports: ["80:80"]\n  web:\n    ports: ["81:81"]\n',
      'anchors gone wrong': 'services:\n  web: *missing\n  db: &a\n    ports: [*a]\n',
    };
    const yamlFormats = formats.filter((f) => f.kind === 'compose' || f.kind === 'kubernetes');
    for (const [name, body] of Object.entries(broken)) {
      it(`${name}: compose and kubernetes finders return well-formed mentions`, () => {
        for (const f of yamlFormats) {
          const text = f.kind === 'kubernetes' ? `${k8sHead}${body}` : body;
          scanBoth(f, text, `${f.file} ${name}`);
        }
        // Generic YAML goes through detection (a Kubernetes sniff) and then the code finder.
        assertWellFormed(body, scanText('config.yaml', body), `config.yaml ${name}`);
      });
    }

    it('a broken service does not hide the ports of a well-formed one', () => {
      const text =
        'services:\n  web:\n    image: "nginx\n    ports:\n      - "8080:80\n  db:\n    image: postgres\n    ports:\n      - "5432:5432"\n';
      const ports = scanText('compose.yaml', text).map((m) => m.port);
      assertWellFormed(text, scanText('compose.yaml', text), 'compose.yaml');
      // The unclosed quote swallows what follows it as one string, like every YAML parser would;
      // what matters is no crash and no invented numbers.
      for (const p of ports) {
        assert.ok([8080, 80, 5432].includes(p), `invented port ${p}`);
      }
    });
  });

  describe('huge input', () => {
    const MB = 1024 * 1024;

    /** Minified-looking JavaScript: long, no newline, a port planted exactly in the middle. */
    function minifiedLine(size: number, planted: string): { text: string; at: number } {
      const chunk =
        'var a=function(b,c){return b.map(function(d){return d*c+"x:"+d})},e={f:1,g:[1,2,3],h:"k:v"};';
      const half = chunk.repeat(Math.ceil(size / 2 / chunk.length));
      const text = `${half}var db="${planted}";${half}`;
      return { text, at: half.length + 'var db="'.length };
    }

    it('a 50 MB minified JS line returns, with the planted port found', () => {
      const { text, at } = minifiedLine(50 * MB, 'postgres://localhost:5432/app');
      const t0 = performance.now();
      const mentions = scanText('bundle.min.js', text);
      const ms = performance.now() - t0;
      console.log(
        `      [measure] scanText on a ${(text.length / MB).toFixed(1)} MB minified JS line: ${ms.toFixed(0)} ms, ${mentions.length} mentions`,
      );
      assertWellFormed(text, mentions, 'bundle.min.js');
      const planted = text.indexOf('5432', at);
      assert.ok(
        mentions.some((m) => m.port === 5432 && m.range.start === planted),
        'planted localhost:5432 not found',
      );
    });

    it('the same 50 MB line under every file kind returns', () => {
      const { text } = minifiedLine(50 * MB, 'localhost:5432');
      for (const f of formats) {
        const t0 = performance.now();
        const mentions = scanText(f.file, text);
        const ms = performance.now() - t0;
        console.log(
          `      [measure] ${f.kind.padEnd(12)} on 50 MB single line: ${ms.toFixed(0)} ms, ${mentions.length} mentions`,
        );
        assertWellFormed(text, mentions, f.file);
      }
    });

    it('one huge YAML flow sequence of port mappings is read whole', () => {
      const count = 100000;
      const items: string[] = [];
      for (let i = 0; i < count; i++) {
        items.push(`"${1024 + (i % 60000)}:80"`);
      }
      const text = `services:\n  web:\n    image: nginx\n    ports: [${items.join(', ')}]\n`;
      const t0 = performance.now();
      const mentions = scanText('docker-compose.yml', text);
      const ms = performance.now() - t0;
      console.log(
        `      [measure] compose flow sequence of ${count} mappings (${(text.length / MB).toFixed(1)} MB): ${ms.toFixed(0)} ms`,
      );
      assertWellFormed(text, mentions, 'flow sequence');
      assert.equal(mentions.filter((m) => m.role === 'publish').length, count);
      assert.equal(mentions.filter((m) => m.role === 'target').length, count);
    });

    it('100k nested brackets neither overflow the stack nor throw, in YAML, JSON and code', () => {
      const depth = 100000;
      const cases: { f: Format; text: string }[] = [];
      for (const f of formats) {
        cases.push({ f, text: '['.repeat(depth) + '8080' + ']'.repeat(depth) });
        cases.push({ f, text: '{"a":'.repeat(depth) + '8080' + '}'.repeat(depth) });
        cases.push({ f, text: '['.repeat(depth) });
      }
      const composeNested = `services:\n  web:\n    ports: ${'['.repeat(depth)}"8080:80"${']'.repeat(depth)}\n`;
      cases.push({ f: formats.find((f) => f.kind === 'compose')!, text: composeNested });
      const yamlBlocks = Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}- `).join('\n') + '8080\n';
      cases.push({
        f: formats.find((f) => f.kind === 'compose')!,
        text: `services:\n  web:\n    ports:\n${yamlBlocks}`,
      });
      for (const { f, text } of cases) {
        scanBoth(f, text, `${f.file} nested ${text.slice(0, 12)}`);
      }
    });

    // Before the nesting guard, the second parse of such a text aborted Node 20 outright
    // (FATAL ERROR: RegExpCompiler Allocation failed), taking mocha or the extension host with it.
    it('deep YAML nesting parsed again and again (flow, compact "- ", indented keys) does not abort the process', () => {
      const compose = formats.find((f) => f.kind === 'compose')!;
      const kubernetes = formats.find((f) => f.kind === 'kubernetes')!;
      const texts = [
        '['.repeat(100000),
        `services:\n  web:\n    ports:\n      ${'- '.repeat(100000)}8080\n`,
        Array.from({ length: 1500 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 8080\n',
      ];
      for (let round = 0; round < 3; round++) {
        for (const text of texts) {
          scanBoth(compose, text, `compose round ${round}`);
          scanBoth(kubernetes, `${k8sHead}${text}`, `kubernetes round ${round}`);
        }
      }
    });

    it('moderate real-world nesting is still read, whitespace-only lines of any length too', () => {
      const text = `services:\n  web:\n    ports: ${'['.repeat(50)}"8080:80"${']'.repeat(50)}\n${' '.repeat(1000)}\n    expose:\n      - 9000\n${' '.repeat(1000)}`;
      const ports = scanText('docker-compose.yml', text).map((m) => m.port);
      assert.ok(ports.includes(9000), JSON.stringify(ports));
    });
  });

  describe('binary data', () => {
    const bytes = pseudoRandomBytes(5 * 1024 * 1024, 0x5eed);
    assert.ok(bytes.includes(0), 'sample has NUL bytes');
    for (const encoding of ['utf8', 'latin1'] as const) {
      it(`5 MB of random bytes (NUL included, read as ${encoding}) under every file name`, () => {
        const text = bytes.toString(encoding);
        for (const f of formats) {
          const t0 = performance.now();
          scanBoth(f, text, `${f.file} binary ${encoding}`);
          const ms = performance.now() - t0;
          if (ms > 1000) {
            console.log(`      [measure] ${f.kind} on 5 MB of ${encoding} noise: ${ms.toFixed(0)} ms`);
          }
        }
      });
    }
  });

  describe('line endings', () => {
    /** One text per format with several lines before and between ports. */
    const samples: { f: Format; text: string }[] = [
      {
        f: formats[0],
        text: '// server\nconst a = 1;\n\napp.listen(3000);\nfetch("http://localhost:4000/x");\n',
      },
      {
        f: formats[1],
        text: 'services:\n  web:\n    image: nginx\n    ports:\n      - "8080:80"\n      - 9090\n  db:\n    expose:\n      - 5432\n',
      },
      {
        f: formats[2],
        text: 'server {\n  listen 80;\n  listen [::]:443 ssl;\n  location / {\n    proxy_pass http://127.0.0.1:3000;\n  }\n}\n',
      },
      { f: formats[3], text: '# comment\nPORT=3000\n\nDB_URL=postgres://db:5432/app\n' },
      {
        f: formats[4],
        text: 'FROM node:20\nENV PORT=3000\nEXPOSE 3000 53/udp\nCMD ["node", "server.js", "--port", "3000"]\n',
      },
      {
        f: formats[5],
        text: `${k8sHead}      ports:\n        - containerPort: 8080\n          protocol: TCP\n        - containerPort: 9090\n`,
      },
      { f: formats[6], text: '# spring\nserver.port=8080\n\nmanagement.server.port=8081\n' },
      {
        f: formats[7],
        text: '{\n  "scripts": {\n    "start": "node server.js --port 3000",\n    "dev": "vite --port 5173"\n  }\n}\n',
      },
      {
        f: formats[8],
        text: '{\n  "configurations": [\n    {\n      "type": "node",\n      "port": 9229\n    },\n    {\n      "type": "node",\n      "port": 9230\n    }\n  ]\n}\n',
      },
      { f: formats[9], text: '{\n  // ports\n  "forwardPorts": [3000,\n    5432]\n}\n' },
    ];

    function shape(mentions: PortMention[]): string[] {
      return mentions.map((m) => `${m.port}@${m.range.start}-${m.range.end}/${m.role}`);
    }

    it('portolan-ignore-next-line works across CRLF and lone-CR line ends', () => {
      const text = '# portolan-ignore-next-line\nPORT=80\nOTHER_PORT=81\n';
      for (const eol of ['\n', '\r\n', '\r']) {
        const mentions = scanText('.env', text.replace(/\n/g, eol));
        assert.deepEqual(
          mentions.map((m) => [m.port, m.suppressed]),
          [
            [80, ['*']],
            [81, undefined],
          ],
          JSON.stringify(eol),
        );
      }
    });

    for (const { f, text } of samples) {
      it(`${f.kind}: CRLF shifts each offset by the CRs before it; lone CR keeps LF offsets`, () => {
        const lf = scanBoth(f, text, `${f.file} LF`);
        assert.ok(lf.length >= 2, `${f.file}: sample should have ports, got ${JSON.stringify(shape(lf))}`);

        const crlfText = text.replace(/\n/g, '\r\n');
        const crlf = scanBoth(f, crlfText, `${f.file} CRLF`);
        const shifted = lf.map((m) => {
          const before = text.slice(0, m.range.start).split('\n').length - 1;
          return `${m.port}@${m.range.start + before}-${m.range.end + before}/${m.role}`;
        });
        assert.deepEqual(shape(crlf), shifted, `${f.file} CRLF`);

        // A lone CR replaces LF one for one, so every offset stays the same.
        const crText = text.replace(/\n/g, '\r');
        const cr = scanBoth(f, crText, `${f.file} CR`);
        assert.deepEqual(shape(cr), shape(lf), `${f.file} lone CR`);
      });
    }
  });
});
