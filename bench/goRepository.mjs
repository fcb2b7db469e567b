// A generated stand-in for a real Go repository (issue 16 measured a 2,256-file, 37 MB one): mostly
// Go source and tests, testdata, docs, CI and deployment files, a few compose, nginx and .env files,
// and some binary assets. Deterministic: the same seed always writes the same bytes, so the bench
// runs offline and runs compare.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fillLines, seededRandom } from './corpus.mjs';

const WORDS = [
  'cache',
  'client',
  'config',
  'handler',
  'index',
  'ledger',
  'metrics',
  'peer',
  'queue',
  'router',
  'session',
  'store',
  'stream',
  'token',
  'worker',
  'batch',
  'shard',
  'lease',
];
const PORTS = [80, 443, 2379, 3000, 4317, 5432, 6379, 8080, 8443, 9090, 9100, 26257];
const HOSTS = ['localhost', '127.0.0.1', 'db', 'etcd', 'collector', '0.0.0.0'];

function picker(random) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  const word = () => pick(WORDS);
  const Word = () => {
    const w = word();
    return w[0].toUpperCase() + w.slice(1);
  };
  return { pick, int, word, Word, random };
}

// Ordinary Go: most lines carry no number at all, some carry small ones (sizes, timeouts, codes).
const GO_LINES = [
  (p) =>
    `func (s *${p.Word()}Service) ${p.Word()}${p.Word()}(ctx context.Context, req *${p.Word()}Request) error {`,
  () => `\tif err != nil {`,
  (p) => `\t\treturn fmt.Errorf("${p.word()} ${p.word()}: %w", err)`,
  () => `\t}`,
  () => `}`,
  () => ``,
  () => ``,
  (p) => `\t${p.word()}, err := s.${p.word()}.Get(ctx, key)`,
  (p) => `\tdefer s.${p.word()}.Release()`,
  (p) =>
    `// ${p.Word()}${p.Word()} returns the ${p.word()} for the ${p.word()}, or nil when the ${p.word()} is closed.`,
  (p) => `\tctx, cancel := context.WithTimeout(ctx, ${p.int(1, 120)}*time.Second)`,
  () => `\tdefer cancel()`,
  (p) => `\tbuf := make([]byte, 0, ${p.pick([64, 512, 1024, 4096, 65536])})`,
  (p) => `\tfor i := 0; i < len(${p.word()}s); i++ {`,
  (p) => `\t\tif ${p.word()}s[i].ID == id {`,
  (p) => `\t\t\treturn ${p.word()}s[i], nil`,
  () => `\t\t}`,
  (p) => `\tcase ${p.pick(['http.StatusOK', 'http.StatusNotFound', '404', '429', '503'])}:`,
  (p) => `\t${p.word()}Total.WithLabelValues("${p.word()}").Inc()`,
  (p) => `\tif len(${p.word()}) > ${p.int(8, 4096)} {`,
  (p) => `\tmode := os.FileMode(0o${p.pick(['644', '600', '755'])})`,
  (p) => `type ${p.Word()}${p.Word()} struct {`,
  (p) =>
    `\t${p.Word()} ${p.pick(['string', 'int64', 'time.Duration', '[]byte', 'uint32'])} \`json:"${p.word()}"\``,
  (p) => `\tmu sync.${p.pick(['Mutex', 'RWMutex'])}`,
  (p) => `\tconst max${p.Word()} = ${p.int(2, 100000)}`,
  (p) => `\tlog.Printf("${p.word()}: %d ${p.word()}s in %s", n, time.Since(start))`,
  (p) => `\treturn &${p.Word()}{${p.word()}: ${p.word()}, created: time.Now()}, nil`,
  (p) => `\t// TODO(${p.word()}): drop this once every ${p.word()} speaks v${p.int(2, 3)}.`,
  (p) => `\tx := binary.LittleEndian.Uint${p.pick([16, 32, 64])}(b[${p.int(0, 16)}:])`,
  (p) => `\tif got, want := ${p.word()}.Len(), ${p.int(0, 500)}; got != want {`,
  (p) => `\t\tt.Fatalf("${p.word()}: got %d, want %d", got, want)`,
];

// About one line in five carries a number, as in real Go trees (sizes, timeouts, codes, tests).
const GO_NUMBERS = GO_LINES.filter((template) => /\d/.test(template(picker(seededRandom(1)))));
const GO_WORDS = GO_LINES.filter((template) => !GO_NUMBERS.includes(template));

const GO_PORT_LINES = [
  (p) => `\tlog.Fatal(http.ListenAndServe(":${p.pick(PORTS)}", mux))`,
  (p) => `\taddr := flag.String("addr", "${p.pick(HOSTS)}:${p.pick(PORTS)}", "listen address")`,
  (p) => `\tconn, err := net.Dial("tcp", "${p.pick(HOSTS)}:${p.pick(PORTS)}")`,
  (p) => `\tdefaultPort = ${p.pick(PORTS)}`,
];

function goFile(p, bytes, pkg) {
  const head = [`package ${pkg}`, '', 'import (', '\t"context"', '\t"fmt"', '\t"time"', ')', ''];
  return fillLines(
    bytes,
    () => {
      const template =
        p.int(1, 250) === 1
          ? p.pick(GO_PORT_LINES)
          : p.random() < 0.2
            ? p.pick(GO_NUMBERS)
            : p.pick(GO_WORDS);
      return template(p);
    },
    { head, startBytes: 60 },
  );
}

function jsonFile(p, bytes) {
  return fillLines(
    bytes,
    () =>
      `  {"id": ${p.int(1, 999999)}, "${p.word()}": "${p.word()}-${p.int(1, 99)}", "size": ${p.int(0, 65535)}, "ok": ${p.random() < 0.5}},`,
    {
      head: ['['],
      startBytes: 2,
      tail: ['  {}', ']'],
    },
  );
}

function textFile(p, bytes) {
  return fillLines(
    bytes,
    () =>
      `${p.word()} ${p.word()} ${p.int(0, 99999)} ${p.word()} ${p.Word()} ${p.random().toString(36).slice(2)}`,
  );
}

function markdownFile(p, bytes) {
  return fillLines(
    bytes,
    () =>
      p.pick([
        () =>
          `The ${p.word()} keeps every ${p.word()} in memory until the ${p.word()} is flushed; see [${p.word()}](${p.word()}.md).`,
        () => '',
        () => `- \`${p.word()}\`: the ${p.word()} to ${p.word()} (default ${p.int(1, 100)})`,
        () => `## ${p.Word()}`,
        () => `Run \`go test ./${p.word()}/...\` before sending a change.`,
        () => `    curl http://localhost:${p.pick(PORTS)}/${p.word()}`,
      ])(),
    { head: [`# ${p.Word()} ${p.word()}`, ''], startBytes: 20 },
  );
}

function workflowFile(p) {
  return [
    `name: ${p.word()}`,
    'on: [push, pull_request]',
    'jobs:',
    '  test:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: actions/setup-go@v5',
    '        with:',
    `          go-version: "1.${p.int(20, 23)}"`,
    `      - run: go test -race -timeout ${p.int(5, 30)}m ./...`,
    '',
  ].join('\n');
}

function kubernetesFile(p) {
  const name = p.word();
  const port = p.pick(PORTS);
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    `  replicas: ${p.int(1, 5)}`,
    '  template:',
    '    spec:',
    '      containers:',
    `        - name: ${name}`,
    `          image: example.com/${name}:v1.${p.int(0, 30)}.${p.int(0, 9)}`,
    '          ports:',
    `            - containerPort: ${port}`,
    '          resources:',
    '            limits:',
    `              memory: ${p.int(64, 2048)}Mi`,
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  ports:',
    `    - port: ${p.pick(PORTS)}`,
    `      targetPort: ${port}`,
    '',
  ].join('\n');
}

function composeFile(p) {
  const out = ['services:'];
  for (let i = 0; i < p.int(2, 6); i++) {
    const name = `${p.word()}${i}`;
    out.push(
      `  ${name}:`,
      `    image: example.com/${name}:latest`,
      '    ports:',
      `      - "${p.pick(PORTS) + i}:${p.pick(PORTS)}"`,
      '    environment:',
      `      ${name.toUpperCase()}_ADDR: "${p.pick(HOSTS)}:${p.pick(PORTS)}"`,
      '    depends_on: [db]',
    );
  }
  out.push('  db:', '    image: postgres:16', '    ports:', '      - "${DB_PORT:-5432}:5432"', '');
  return out.join('\n');
}

function nginxFile(p) {
  return [
    `upstream ${p.word()} {`,
    `    server ${p.pick(HOSTS)}:${p.pick(PORTS)};`,
    '}',
    'server {',
    `    listen ${p.pick([80, 443, 8080])};`,
    `    server_name ${p.word()}.example.com;`,
    '    location / {',
    `        proxy_pass http://${p.word()};`,
    '    }',
    '}',
    '',
  ].join('\n');
}

function dotenvFile(p) {
  return [
    `${p.word().toUpperCase()}_PORT=${p.pick(PORTS)}`,
    `DB_PORT=\${DB_PORT:-5432}`,
    `${p.word().toUpperCase()}_ADDR=${p.pick(HOSTS)}:${p.pick(PORTS)}`,
    `LOG_LEVEL=info`,
    '',
  ].join('\n');
}

function binaryFile(p, bytes) {
  const data = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) {
    data[i] = Math.floor(p.random() * 256);
  }
  return data;
}

/** Sizes skewed small, as in real trees, up to `max`. */
const size = (p, min, max) => Math.round(min + Math.pow(p.random(), 2.2) * (max - min));

/**
 * Writes the tree under `root` (a fresh folder). Returns the number of files and bytes written.
 * The defaults give about 2,260 files and 37 MB.
 */
export function writeGoRepository(root, { seed = 16 } = {}) {
  const p = picker(seededRandom(seed));
  let files = 0;
  let bytes = 0;
  const write = (relative, content) => {
    const full = path.join(root, relative);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
    files++;
    bytes += Buffer.byteLength(content);
  };
  const packages = Array.from(
    { length: 140 },
    (_, i) => `${p.pick(['internal', 'pkg', 'cmd'])}/${p.word()}${i}`,
  );
  for (let i = 0; i < 1450; i++) {
    const dir = packages[i % packages.length];
    const pkg = path.basename(dir).replace(/\d+$/, '');
    const test = i % 3 === 0 ? '_test' : '';
    write(`${dir}/${p.word()}_${i}${test}.go`, goFile(p, size(p, 600, 60_000), pkg));
  }
  for (let i = 0; i < 260; i++) {
    const dir = `${packages[i % packages.length]}/testdata`;
    if (i % 2 === 0) {
      write(`${dir}/${p.word()}${i}.json`, jsonFile(p, size(p, 300, 60_000)));
    } else {
      write(`${dir}/${p.word()}${i}.golden`, textFile(p, size(p, 300, 40_000)));
    }
  }
  for (let i = 0; i < 150; i++) {
    write(`docs/${p.word()}/${p.word()}${i}.md`, markdownFile(p, size(p, 500, 30_000)));
  }
  for (let i = 0; i < 90; i++) {
    write(`api/${p.word()}${i}.proto`, textFile(p, size(p, 500, 12_000)));
  }
  for (let i = 0; i < 40; i++) {
    write(`scripts/${p.word()}${i}.sh`, textFile(p, size(p, 200, 6_000)));
  }
  for (let i = 0; i < 20; i++) {
    write(`.github/workflows/${p.word()}${i}.yml`, workflowFile(p));
  }
  for (let i = 0; i < 30; i++) {
    write(`deploy/k8s/${p.word()}${i}.yaml`, kubernetesFile(p));
  }
  for (let i = 0; i < 12; i++) {
    write(`examples/${p.word()}${i}/compose.yaml`, composeFile(p));
    write(`examples/${p.word()}${i}/.env`, dotenvFile(p));
  }
  for (let i = 0; i < 10; i++) {
    write(`deploy/nginx/${p.word()}${i}.conf`, nginxFile(p));
    write(`build/${p.word()}${i}/Dockerfile`, `FROM golang:1.22\nEXPOSE ${p.pick(PORTS)}\n`);
  }
  // Assets no finder reads (images, archives): the walker should pass them by unread.
  for (let i = 0; i < 150; i++) {
    write(
      `assets/${p.word()}${i}.${p.pick(['png', 'gz', 'bin', 'woff2'])}`,
      binaryFile(p, size(p, 2_000, 60_000)),
    );
  }
  write('go.mod', 'module example.com/portolan-bench\n\ngo 1.22\n');
  write('go.sum', textFile(p, 300_000));
  write('Makefile', 'test:\n\tgo test ./...\n\nbuild:\n\tgo build -o bin/server ./cmd/server\n');
  write('README.md', markdownFile(p, 12_000));
  return { files, bytes };
}
