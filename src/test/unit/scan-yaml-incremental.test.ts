// YAML parsed in pieces (src/scan/yamlIncremental.ts) must read exactly as the whole text does:
// every compose and Kubernetes fixture, generated files and hand-written corner cases, as written
// and after seeded random one-character edits, give the same mentions, ranges and facts either way.
// Work is counted in pieces parsed, never timed.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findComposePorts, readComposeFile } from '../../scan/compose';
import { findKubernetesPorts } from '../../scan/kubernetes';
import { readKubernetesLinks } from '../../scan/kubernetesLinks';
import { composeOutline } from '../../context/composeProject';
import { scanTextReport } from '../../scan';
import {
  forgetYamlPieces,
  setIncrementalYamlFrom,
  yamlParseCounts,
  type YamlParseCounts,
} from '../../scan/yamlIncremental';
import { seededRandom } from '../seededRandom';

const root = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(root, 'src/test/fixtures');

function yamlFixtures(folder: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      out.push(...yamlFixtures(full));
    } else if (/\.ya?ml$/i.test(entry.name)) {
      out.push(full);
    }
  }
  return out.sort();
}

/** Everything the YAML finders say about a text. */
function readings(text: string): unknown {
  return {
    compose: findComposePorts(text),
    composeFacts: readComposeFile(text),
    kubernetes: findKubernetesPorts(text),
    links: readKubernetesLinks(text),
    outline: composeOutline('file:///work/compose.yaml', text),
  };
}

/** The readings with the text parsed whole, then in pieces (kept pieces reused where they fit). */
function bothWays(text: string): { whole: unknown; pieces: unknown; cut: boolean } {
  const previous = setIncrementalYamlFrom(Number.POSITIVE_INFINITY);
  try {
    const whole = readings(text);
    setIncrementalYamlFrom(0);
    const before = yamlParseCounts().wholeParses;
    const pieces = readings(text);
    return { whole, pieces, cut: yamlParseCounts().wholeParses === before };
  } finally {
    setIncrementalYamlFrom(previous);
  }
}

function difference(after: YamlParseCounts, before: YamlParseCounts): YamlParseCounts {
  return {
    wholeParses: after.wholeParses - before.wholeParses,
    piecesParsed: after.piecesParsed - before.piecesParsed,
    piecesReused: after.piecesReused - before.piecesReused,
  };
}

/** Characters a typist (or a bad paste) puts anywhere, the structural ones first. */
const EDIT_CHARS = ' \n\t:-#&*<[]{}"\'|>,!%?.0123456789abcxyz\r';

function oneCharacterEdit(text: string, random: () => number): string {
  const at = Math.floor(random() * (text.length + 1));
  const ch = EDIT_CHARS[Math.floor(random() * EDIT_CHARS.length)];
  const op = random();
  if (op < 0.4 || at >= text.length) {
    return text.slice(0, at) + ch + text.slice(at);
  }
  if (op < 0.7) {
    return text.slice(0, at) + text.slice(at + 1);
  }
  return text.slice(0, at) + ch + text.slice(at + 1);
}

/** Written to exercise each cut: shared anchors, merges, block scalars, flow and quoted values across lines. */
const CORNER_CASES: Record<string, string> = {
  anchorsAcrossServices: [
    'x-common: &common',
    '  environment:',
    '    PORT: "8080"',
    '  ports:',
    '    - "9000:9000"',
    'services:',
    '  api:',
    '    <<: *common',
    '    image: api',
    '  web:',
    '    <<: [*common]',
    '    ports:',
    '      - &webport "3000:3000"',
    '  admin:',
    '    ports:',
    '      - *webport',
    '    environment: *common',
    '',
  ].join('\n'),
  blockScalarsAndComments: [
    '# a compose file',
    'services:',
    '  # the api',
    '  api:',
    '    command: |',
    '      serve --port 8080',
    '      --admin 127.0.0.1:9090',
    '# between services, at column 0',
    '  web:',
    '    entrypoint: >-',
    '      nginx -g "daemon off;"',
    '      --listen :8081',
    '',
    '  "quoted": {ports: ["5000:5000"]}',
    'volumes:',
    '  data: {}',
    '',
  ].join('\n'),
  flowAndQuotedAcrossLines: [
    'services:',
    '  api:',
    '    ports: ["8080:80",',
    '      "8443:443"]',
    '    environment:',
    '      URL: "http://db:5432/',
    '        app"',
    '  db:',
    '    ports:',
    '    - 5432:5432',
    'networks: {',
    '  default: {} }',
    '',
  ].join('\n'),
  multiDocument: [
    '%YAML 1.2',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: web}',
    'spec:',
    '  ports:',
    '  - port: 80',
    '    targetPort: http',
    '...',
    '# after the end marker',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  template:',
    '    metadata: {labels: {app: web}}',
    '    spec:',
    '      containers:',
    '      - name: web',
    '        ports:',
    '        - name: http',
    '          containerPort: 8080',
    '--- # a comment',
    'kind: Service',
    'apiVersion: v1',
    'metadata: {name: other}',
    'spec: {selector: {app: web}, ports: [{port: 81, targetPort: http}]}',
    '---',
    '',
  ].join('\n'),
  noDirectivesMultiDocument: [
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: web}',
    'spec:',
    '  ports:',
    '  - port: 80',
    '    targetPort: 8080',
    '---',
    '---',
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: p}',
    'spec:',
    '  hostNetwork: true',
    '  containers:',
    '  - name: c',
    '    ports: [{containerPort: 9000}]',
    '',
  ].join('\n'),
  crlfAndDuplicates: [
    'services:',
    '  api:',
    '    ports: ["80:80"]',
    '  api:',
    '    ports: ["80:80"]',
    '  web:',
    '    ports:',
    '      - "81:81"',
    '',
  ].join('\r\n'),
  legacyVersionOne: [
    'api:',
    '  image: api',
    '  ports:',
    '    - "8080:80"',
    'db:',
    '  build: ./db',
    '  expose: [5432]',
    '',
  ].join('\n'),
  extendsInFile: [
    'services:',
    '  base:',
    '    ports: ["7000:7000"]',
    '    environment: [LISTEN=:7001]',
    '  child:',
    '    extends: base',
    '    network_mode: host',
    '  other:',
    '    extends: {service: child}',
    '',
  ].join('\n'),
  oddIndentation: ['services:', '  api:', '    ports: ["80:80"]', ' web:', '   ports: ["81:81"]', ''].join(
    '\n',
  ),
};

describe('YAML in pieces: the same readings as the whole text', function () {
  this.timeout(120000);
  let generated: Array<{ name: string; text: string }> = [];

  before(async () => {
    // The bench's generator (seeded): the compose and Kubernetes files of a small corpus.
    const corpus = (await import(pathToFileURL(path.join(root, 'bench/corpus.mjs')).href)) as {
      generateCorpus(options: { totalBytes: number; maxFileBytes: number; seed: number }): {
        files: Array<{ kind: string; path: string; text: string }>;
      };
      generateLongCompose(lines: number, seed?: number): string;
    };
    const { files } = corpus.generateCorpus({ totalBytes: 400_000, maxFileBytes: 12_000, seed: 16 });
    generated = files
      .filter((file) => file.kind === 'compose' || file.kind === 'kubernetes')
      .slice(0, 6)
      .map((file) => ({ name: file.path, text: file.text }));
    generated.push({ name: 'long compose', text: corpus.generateLongCompose(600) });
  });

  afterEach(() => forgetYamlPieces());

  const fixtures = yamlFixtures(FIXTURES);

  it('finds the compose and Kubernetes fixtures to compare', () => {
    assert.ok(fixtures.length >= 40, `${fixtures.length} YAML fixtures`);
  });

  it('every YAML fixture reads the same in pieces as whole', () => {
    let cut = 0;
    for (const file of fixtures) {
      const text = fs.readFileSync(file, 'utf8');
      const both = bothWays(text);
      assert.deepEqual(both.pieces, both.whole, path.relative(FIXTURES, file));
      if (both.cut) {
        cut++;
      }
    }
    // Nearly every real file is cut (those with directives or tabs in indentation are not).
    assert.ok(cut >= fixtures.length * 0.9, `${cut} of ${fixtures.length} fixtures cut into pieces`);
  });

  it('the corner cases and generated files read the same in pieces as whole', () => {
    const texts = [...Object.entries(CORNER_CASES).map(([name, text]) => ({ name, text })), ...generated];
    assert.ok(texts.length > Object.keys(CORNER_CASES).length + 5);
    for (const { name, text } of texts) {
      const { whole, pieces } = bothWays(text);
      assert.deepEqual(pieces, whole, name);
    }
  });

  it('after seeded random one-character edits, with pieces kept from the text before', () => {
    const texts = [
      ...fixtures.map((file) => ({
        name: path.relative(FIXTURES, file),
        text: fs.readFileSync(file, 'utf8'),
      })),
      ...Object.entries(CORNER_CASES).map(([name, text]) => ({ name, text })),
      ...generated,
    ];
    const random = seededRandom(16);
    let compared = 0;
    for (const { name, text } of texts) {
      forgetYamlPieces();
      bothWays(text);
      const edits = text.length > 20_000 ? 2 : 8;
      for (let i = 0; i < edits; i++) {
        const edited = oneCharacterEdit(text, random);
        const { whole, pieces } = bothWays(edited);
        assert.deepEqual(pieces, whole, `${name}, edit ${i}`);
        compared++;
      }
    }
    assert.ok(compared > 500, `${compared} edits compared`);
  });
});

describe('YAML in pieces: an edit parses only what changed', () => {
  afterEach(() => forgetYamlPieces());

  /** `services:` with `count` services of five lines each. */
  function composeWith(count: number): string {
    const lines = ['# generated', 'services:'];
    for (let i = 0; i < count; i++) {
      lines.push(`  svc${i}:`, `    image: app:${i}`, '    ports:', `      - "${10000 + i}:80"`, '');
    }
    lines.push('volumes:', '  data: {}', '');
    return lines.join('\n');
  }

  /** `work` with YAML texts of `from` characters and up cut into pieces (0: all, Infinity: none). */
  function cutFrom<T>(from: number, work: () => T): T {
    const previous = setIncrementalYamlFrom(from);
    try {
      return work();
    } finally {
      setIncrementalYamlFrom(previous);
    }
  }
  const withPieces = <T>(work: () => T): T => cutFrom(0, work);
  const whole = <T>(work: () => T): T => cutFrom(Number.POSITIVE_INFINITY, work);

  it('a one-character edit in one of 200 services parses that service again, and moves the rest', () => {
    const text = composeWith(200);
    const first = yamlParseCounts();
    withPieces(() => findComposePorts(text));
    // The `services:` line, 200 services, `volumes:`.
    assert.deepEqual(difference(yamlParseCounts(), first), {
      wholeParses: 0,
      piecesParsed: 202,
      piecesReused: 0,
    });

    const at = text.indexOf('"10100:80"') + 5;
    const edited = text.slice(0, at) + '1' + text.slice(at + 1);
    const before = yamlParseCounts();
    const mentions = withPieces(() => findComposePorts(edited));
    assert.deepEqual(difference(yamlParseCounts(), before), {
      wholeParses: 0,
      piecesParsed: 1,
      piecesReused: 201,
    });

    const published = mentions.find((m) => m.service === 'svc100' && m.role === 'publish');
    assert.equal(published?.port, 10101);
    assert.equal(edited.slice(published.range.start, published.range.end), '10101');
    // The services after the edit moved by nothing (same length), the ones before too: every range is exact.
    const last = mentions.find((m) => m.service === 'svc199' && m.role === 'publish');
    assert.equal(edited.slice(last!.range.start, last!.range.end), '10199');
    assert.deepEqual(
      mentions,
      whole(() => findComposePorts(edited)),
    );
  });

  it('an inserted line moves every later service to its new offset', () => {
    const text = composeWith(50);
    withPieces(() => findComposePorts(text));
    const at = text.indexOf('  svc10:');
    const edited = text.slice(0, at) + '  # a new comment line\n' + text.slice(at);
    const before = yamlParseCounts();
    const mentions = withPieces(() => findComposePorts(edited));
    // The comment joins svc9's piece.
    assert.deepEqual(difference(yamlParseCounts(), before), {
      wholeParses: 0,
      piecesParsed: 1,
      piecesReused: 51,
    });
    for (const m of mentions.filter((x) => x.role === 'publish')) {
      assert.equal(edited.slice(m.range.start, m.range.end), String(m.port));
    }
    assert.equal(mentions.filter((m) => m.role === 'publish').length, 50);
  });

  it('an edit that leaves a piece unfinished parses the whole text, with the same result', () => {
    const text = composeWith(20);
    withPieces(() => findComposePorts(text));
    const at = text.indexOf('"10005:80"');
    const edited = text.slice(0, at) + '[' + text.slice(at);
    const before = yamlParseCounts();
    const mentions = withPieces(() => findComposePorts(edited));
    const spent = difference(yamlParseCounts(), before);
    assert.equal(spent.wholeParses, 1);
    assert.equal(spent.piecesParsed, 1);
    assert.deepEqual(
      mentions,
      whole(() => findComposePorts(edited)),
    );
  });

  it('a document of a multi-document manifest is parsed alone', () => {
    const doc = (i: number): string =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\nspec:\n  ports:\n  - port: ${8000 + i}\n`;
    const text = Array.from({ length: 30 }, (_, i) => doc(i)).join('---\n');
    withPieces(() => findKubernetesPorts(text));
    const edited = text.replace('port: 8012', 'port: 8112');
    const before = yamlParseCounts();
    const mentions = withPieces(() => findKubernetesPorts(edited));
    const spent = difference(yamlParseCounts(), before);
    assert.equal(spent.wholeParses, 0);
    // Each document is cut at its top-level keys; only the edited `spec:` entry is new.
    assert.equal(spent.piecesParsed, 1);
    const moved = mentions.find((m) => m.port === 8112);
    assert.equal(moved?.service, 's12');
    assert.equal(edited.slice(moved.range.start, moved.range.end), '8112');
  });

  it('nesting too deep to compose is skipped as before, in pieces or whole', () => {
    let deep = 'services:\n  api:\n';
    for (let i = 0; i < 260; i++) {
      deep += `${' '.repeat(4 + 2 * i)}k${i}:\n`;
    }
    deep += `${' '.repeat(4 + 2 * 260)}port: 8080\n  web:\n    ports: ["80:80"]\n`;
    const whole = scanTextReport('compose.yaml', deep);
    const previous = setIncrementalYamlFrom(0);
    try {
      forgetYamlPieces();
      const pieces = scanTextReport('compose.yaml', deep);
      assert.deepEqual(pieces, whole);
      assert.match(pieces.skipped ?? '', /nested deeper/);
    } finally {
      setIncrementalYamlFrom(previous);
    }
  });
});
