// A deterministic, generated corpus of the files Portolan reads: code in several languages,
// compose files, nginx configs, .env, Dockerfiles, Kubernetes manifests and .properties.
// Mostly ordinary lines with ports here and there, as in real projects; the same seed always
// gives the same bytes, so runs compare.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** mulberry32: small, fast, good enough for picking templates. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PORTS = [
  80, 443, 3000, 3001, 4200, 5000, 5173, 5432, 5672, 6379, 8000, 8080, 8443, 8888, 9000, 9090, 9200, 11211,
  15672, 27017,
];
const NAMES = [
  'api',
  'web',
  'worker',
  'db',
  'cache',
  'auth',
  'billing',
  'search',
  'gateway',
  'metrics',
  'queue',
  'admin',
];
const HOSTS = ['localhost', '127.0.0.1', 'db', 'redis', 'api.internal', '0.0.0.0', 'rabbitmq', 'elastic'];

function picker(random) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  return { pick, int, port: () => pick(PORTS), name: () => pick(NAMES), host: () => pick(HOSTS) };
}

// Per language: many plain lines (the bulk of real code) and a few lines that carry ports.
const CODE = {
  ts: {
    plain: [
      (p) =>
        `export function handle${p.name()}${p.int(1, 999)}(request: Request, response: Response): void {`,
      (p) =>
        `  const items = await repository.findMany({ where: { id: ${p.int(1, 99999)} }, take: ${p.int(10, 100)} });`,
      () => `  if (!user) { throw new HttpError(401, 'not signed in'); }`,
      (p) => `  // TODO(${p.name()}): move this to the ${p.name()} service once the migration is done`,
      (p) =>
        `  logger.info(\`processed \${count} records in \${Date.now() - started} ms\`, { batch: ${p.int(1, 500)} });`,
      () => `  return response.status(200).json({ ok: true, data: result.rows.map(toDto) });`,
      () => `}`,
      (p) => `const retryDelays = [${p.int(100, 900)}, ${p.int(1000, 4000)}, ${p.int(5000, 30000)}];`,
      () => ``,
      (p) => `import { ${p.name()}Client } from './clients/${p.name()}';`,
    ],
    ports: [
      (p) => `app.listen(${p.port()}, () => console.log('listening'));`,
      (p) => `const PORT = Number(process.env.PORT) || ${p.port()};`,
      (p) => `const baseUrl = 'http://${p.host()}:${p.port()}/v1';`,
      (p) => `  redis: { host: '${p.host()}', port: ${p.port()} },`,
    ],
  },
  py: {
    plain: [
      (p) => `def handle_${p.name()}_${p.int(1, 999)}(request, session=None):`,
      (p) =>
        `    rows = session.query(Model).filter(Model.id == ${p.int(1, 99999)}).limit(${p.int(10, 100)}).all()`,
      () => `    if not rows:`,
      () => `        raise NotFound("no such record")`,
      (p) => `    # keep in sync with the ${p.name()} schema`,
      () => `    return [row.to_dict() for row in rows]`,
      () => ``,
      (p) => `TIMEOUT_SECONDS = ${p.int(5, 120)}`,
      (p) => `from .${p.name()} import ${p.name()}_router`,
    ],
    ports: [
      (p) => `    app.run(host="0.0.0.0", port=${p.port()})`,
      (p) => `DATABASE_URL = "postgresql://app:secret@${p.host()}:5432/app"`,
      (p) => `PORT = int(os.environ.get("PORT", ${p.port()}))`,
      (p) => `    uvicorn.run(app, host="127.0.0.1", port=${p.port()})`,
    ],
  },
  go: {
    plain: [
      (p) => `func (s *${p.name()}Server) Handle${p.int(1, 999)}(w http.ResponseWriter, r *http.Request) {`,
      () => `\tif err != nil {`,
      () => `\t\treturn fmt.Errorf("decode request: %w", err)`,
      () => `\t}`,
      (p) => `\tctx, cancel := context.WithTimeout(r.Context(), ${p.int(1, 30)}*time.Second)`,
      () => `\tdefer cancel()`,
      () => `}`,
      () => ``,
      (p) => `// ${p.name()} keeps the cache warm between requests.`,
    ],
    ports: [
      (p) => `\tlog.Fatal(http.ListenAndServe(":${p.port()}", mux))`,
      (p) => `\taddr := flag.String("addr", "${p.host()}:${p.port()}", "listen address")`,
      (p) => `\tconn, err := net.Dial("tcp", "${p.host()}:${p.port()}")`,
    ],
  },
  java: {
    plain: [
      (p) => `    public ResponseEntity<${p.name()}Dto> get${p.int(1, 999)}(@PathVariable long id) {`,
      () => `        var entity = repository.findById(id).orElseThrow(NotFoundException::new);`,
      () => `        return ResponseEntity.ok(mapper.toDto(entity));`,
      () => `    }`,
      (p) => `    private static final int BATCH_SIZE = ${p.int(10, 1000)};`,
      () => ``,
      (p) => `    // ${p.name()}: retried by the scheduler`,
    ],
    ports: [
      (p) => `        server.setPort(${p.port()});`,
      (p) => `    private static final String URL = "jdbc:postgresql://${p.host()}:5432/app";`,
      (p) => `        var socket = new ServerSocket(${p.port()});`,
    ],
  },
  rs: {
    plain: [
      (p) =>
        `pub async fn handle_${p.name()}_${p.int(1, 999)}(State(state): State<AppState>) -> Result<Json<Value>, AppError> {`,
      () => `    let rows = sqlx::query_as::<_, Row>("select * from items").fetch_all(&state.pool).await?;`,
      () => `    Ok(Json(json!({ "items": rows })))`,
      () => `}`,
      () => ``,
      (p) => `const MAX_RETRIES: u32 = ${p.int(1, 10)};`,
    ],
    ports: [
      (p) => `    let listener = TcpListener::bind("127.0.0.1:${p.port()}").await?;`,
      (p) => `    let addr = SocketAddr::from(([0, 0, 0, 0], ${p.port()}));`,
    ],
  },
};

/**
 * Text of `head`'s lines, then lines from `next(i)` (i counting from 0) until the text's size,
 * counted from `startBytes`, reaches `targetBytes`, then `tail`'s lines: one newline after each.
 */
export function fillLines(targetBytes, next, { head = [], startBytes = 0, tail = [] } = {}) {
  const out = [...head];
  let bytes = startBytes;
  for (let i = 0; bytes < targetBytes; i++) {
    const line = next(i);
    out.push(line);
    bytes += line.length + 1;
  }
  out.push(...tail);
  return out.join('\n') + '\n';
}

function codeFile(p, language, targetBytes) {
  const { plain, ports } = CODE[language];
  // About one line in forty names a port: dense enough to exercise the finders.
  return fillLines(targetBytes, () => (p.int(1, 40) === 1 ? p.pick(ports) : p.pick(plain))(p));
}

function composeFile(p, targetBytes) {
  return fillLines(
    targetBytes,
    (i) => {
      const name = `${p.name()}${i}`;
      const host = p.port() + i + 1;
      return [
        `  ${name}:`,
        `    image: registry.example.com/${name}:${p.int(1, 9)}.${p.int(0, 20)}`,
        `    restart: unless-stopped`,
        `    ports:`,
        `      - "${host}:${p.port()}"`,
        `      - "127.0.0.1:${host + 1}:${p.port()}/tcp"`,
        `    expose:`,
        `      - "${p.port()}"`,
        `    environment:`,
        `      PORT: "${p.port()}"`,
        `      DATABASE_URL: postgres://app:secret@db:5432/${name}`,
        `      LOG_LEVEL: info`,
        `    depends_on:`,
        `      - db`,
        `    healthcheck:`,
        `      test: ["CMD", "curl", "-f", "http://localhost:${p.port()}/health"]`,
        `      interval: ${p.int(5, 60)}s`,
      ].join('\n');
    },
    { head: ['services:'], startBytes: 10 },
  );
}

function nginxFile(p, targetBytes) {
  return fillLines(targetBytes, (i) =>
    [
      `upstream ${p.name()}_${i} {`,
      `    server ${p.host()}:${p.port()} max_fails=3 fail_timeout=30s;`,
      `    server ${p.host()}:${p.port()} backup;`,
      `}`,
      `server {`,
      `    listen ${p.pick([80, 8080, 443])}${p.int(0, 1) ? ' ssl' : ''};`,
      `    listen [::]:${p.pick([80, 8080, 443])};`,
      `    server_name ${p.name()}${i}.example.com;`,
      `    client_max_body_size ${p.int(1, 100)}m;`,
      `    location / {`,
      `        proxy_pass http://${p.name()}_${i};`,
      `        proxy_set_header Host $host;`,
      `        proxy_read_timeout ${p.int(30, 300)}s;`,
      `    }`,
      `    location /api/ {`,
      `        proxy_pass http://127.0.0.1:${p.port()}/;`,
      `    }`,
      `}`,
    ].join('\n'),
  );
}

function dotenvFile(p, targetBytes) {
  return fillLines(targetBytes, () => {
    const name = p.name().toUpperCase();
    return p.pick([
      () => `${name}_PORT=${p.port()}`,
      () => `${name}_URL=http://${p.host()}:${p.port()}`,
      () => `${name}_TIMEOUT_MS=${p.int(100, 60000)}`,
      () => `${name}_ENABLED=true`,
      () => `# ${name.toLowerCase()} settings`,
      () => `${name}_SECRET=${Math.floor(p.int(1, 1e9)).toString(36)}${p.int(1, 1e6)}`,
    ])();
  });
}

function dockerfile(p) {
  return (
    [
      'FROM node:20-slim AS build',
      'WORKDIR /app',
      'COPY package*.json ./',
      'RUN npm ci --omit=dev',
      'COPY . .',
      `ENV PORT=${p.port()}`,
      `EXPOSE ${p.port()}`,
      `EXPOSE ${p.port()}/udp`,
      'CMD ["node", "server.js"]',
    ].join('\n') + '\n'
  );
}

function kubernetesFile(p, targetBytes) {
  return fillLines(targetBytes, () => {
    const name = p.name();
    const port = p.port();
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
      `          image: ${name}:latest`,
      '          ports:',
      `            - containerPort: ${port}`,
      '          readinessProbe:',
      '            httpGet:',
      `              port: ${port}`,
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      '  ports:',
      `    - port: ${p.port()}`,
      `      targetPort: ${port}`,
      '---',
    ].join('\n');
  });
}

function propertiesFile(p, targetBytes) {
  return fillLines(targetBytes, () => {
    return p.pick([
      () => `server.port=${p.port()}`,
      () => `spring.datasource.url=jdbc:postgresql://${p.host()}:5432/app`,
      () => `spring.jpa.hibernate.ddl-auto=validate`,
      () => `logging.level.root=INFO`,
      () => `management.server.port=${p.port()}`,
    ])();
  });
}

/** Share of the corpus's files by kind, roughly as in a service-heavy repository. */
const MIX = [
  ['ts', 0.22],
  ['py', 0.16],
  ['go', 0.12],
  ['java', 0.1],
  ['rs', 0.06],
  ['compose', 0.08],
  ['nginx', 0.07],
  ['dotenv', 0.07],
  ['dockerfile', 0.04],
  ['kubernetes', 0.05],
  ['properties', 0.03],
];

function pickKind(random) {
  let x = random();
  for (const [kind, share] of MIX) {
    x -= share;
    if (x < 0) {
      return kind;
    }
  }
  return MIX[0][0];
}

/** One generated file of `kind`, about `targetBytes` long, at a path that names its kind. */
export function generateFile(p, kind, targetBytes, index) {
  const dir = `svc${index % 200}`;
  switch (kind) {
    case 'compose':
      return { kind, path: `${dir}/compose.${index}.yaml`, text: composeFile(p, targetBytes) };
    case 'nginx':
      return { kind, path: `${dir}/nginx/sites-available/site${index}`, text: nginxFile(p, targetBytes) };
    case 'dotenv':
      return { kind, path: `${dir}/.env.${index}`, text: dotenvFile(p, targetBytes) };
    case 'dockerfile':
      return { kind, path: `${dir}/Dockerfile.${index}`, text: dockerfile(p) };
    case 'kubernetes':
      return { kind, path: `${dir}/k8s/deploy${index}.yaml`, text: kubernetesFile(p, targetBytes) };
    case 'properties':
      return { kind, path: `${dir}/application${index}.properties`, text: propertiesFile(p, targetBytes) };
    default:
      return { kind, path: `${dir}/src/file${index}.${kind}`, text: codeFile(p, kind, targetBytes) };
  }
}

/**
 * Files until `totalBytes` is reached. Sizes spread from under 1 KB to `maxFileBytes`, skewed
 * small like real repositories.
 */
export function generateCorpus({ totalBytes, maxFileBytes = 64 * 1024, seed = 6 }) {
  const random = seededRandom(seed);
  const p = picker(random);
  const files = [];
  let bytes = 0;
  for (let i = 0; bytes < totalBytes; i++) {
    const kind = pickKind(random);
    const size = Math.round(400 + Math.pow(random(), 3) * maxFileBytes);
    const file = generateFile(p, kind, size, i);
    files.push(file);
    bytes += Buffer.byteLength(file.text);
  }
  return { files, bytes };
}

/** Exactly `count` files, written under `root` (which must be a fresh temporary folder). */
export function writeWorkspace(root, { count, maxFileBytes = 6 * 1024, seed = 20000 }) {
  const random = seededRandom(seed);
  const p = picker(random);
  let bytes = 0;
  const made = new Set();
  for (let i = 0; i < count; i++) {
    const kind = pickKind(random);
    const size = Math.round(200 + Math.pow(random(), 3) * maxFileBytes);
    const file = generateFile(p, kind, size, i);
    const full = path.join(root, file.path);
    const dir = path.dirname(full);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(full, file.text);
    bytes += Buffer.byteLength(file.text);
  }
  // Folders every real workspace has and the walker must skip without reading.
  for (const skipped of ['node_modules/left-pad', '.git/objects']) {
    mkdirSync(path.join(root, skipped), { recursive: true });
    writeFileSync(path.join(root, skipped, 'index.js'), 'module.exports = 3000;\n');
  }
  return { bytes };
}

/** A file of exactly `lines` lines of one language, for hover latency. */
export function generateLongFile(language, lines, seed = 10000) {
  const p = picker(seededRandom(seed));
  const { plain, ports } = CODE[language];
  const out = [];
  for (let i = 0; i < lines; i++) {
    out.push((p.int(1, 40) === 1 ? p.pick(ports) : p.pick(plain))(p));
  }
  return out.join('\n') + '\n';
}

/** A compose file of about `lines` lines. */
export function generateLongCompose(lines, seed = 10001) {
  const p = picker(seededRandom(seed));
  const text = composeFile(p, lines * 40);
  return text.split('\n').slice(0, lines).join('\n') + '\n';
}
