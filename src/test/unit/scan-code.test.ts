import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectFileKind } from '../../scan';
import {
  findCodePorts,
  findCodePortsInLine,
  findCodePortsLineByLine,
  MAX_HEURISTIC_LINE_LENGTH,
} from '../../scan/code';
import { scannerOf, view } from './scanTestKit';

const scan = scannerOf(findCodePorts, 'code');

type Expected = Record<string, unknown>;

// Positive cases: the line and exactly what it must yield (in order).
const positives: [string, Expected[]][] = [
  ['const db = "localhost:5432";', [{ at: '5432', port: 5432, role: 'connect', host: 'localhost' }]],
  [
    'const r = "redis://127.0.0.1:6379";',
    [{ at: '6379', port: 6379, role: 'connect', host: '127.0.0.1', scheme: 'redis' }],
  ],
  [
    'url = "postgres://u:p@db:5432/app"',
    [{ at: '5432', port: 5432, role: 'connect', host: 'db', scheme: 'postgres' }],
  ],
  [
    'new WebSocket("ws://[::1]:8765/feed")',
    [{ at: '8765', port: 8765, role: 'connect', host: '::1', scheme: 'ws' }],
  ],
  [
    'String url = "jdbc:postgresql://h:5432/db";',
    [{ at: '5432', port: 5432, role: 'connect', host: 'h', scheme: 'postgresql' }],
  ],
  [
    'amqp.connect("amqp://guest:guest@rabbit:5672/")',
    [{ at: '5672', port: 5672, role: 'connect', host: 'rabbit', scheme: 'amqp' }],
  ],
  [
    'MONGO = "mongodb://a:27017,b:27018/x?replicaSet=rs0"',
    [
      { at: '27017', port: 27017, role: 'connect', host: 'a', scheme: 'mongodb' },
      { at: '27018', port: 27018, role: 'connect', host: 'b', scheme: 'mongodb' },
    ],
  ],
  ['log.Fatal(http.ListenAndServe(":8080", nil))', [{ at: '8080', port: 8080, role: 'listen' }]],
  ['srv := &http.Server{Addr: ":9090"}', [{ at: '9090', port: 9090, role: 'listen' }]],
  ['app.listen(8080)', [{ at: '8080', port: 8080, role: 'listen' }]],
  ['app.listen(99999);', [{ at: '99999', port: 99999, role: 'listen' }]],
  [
    'server.listen(PORT || 3000, () => console.log("up"))',
    [{ at: '3000', port: 3000, role: 'listen', variable: 'PORT', isDefault: true }],
  ],
  ["server.listen(3000, '0.0.0.0')", [{ at: '3000', port: 3000, role: 'listen', host: '0.0.0.0' }]],
  ['sock.bind(("0.0.0.0", 53))', [{ at: '53', port: 53, role: 'listen', host: '0.0.0.0' }]],
  ['httpd = HTTPServer(("", 8000), Handler)', [{ at: '8000', port: 8000, role: 'listen' }]],
  ['s.connect(("db.internal", 5432))', [{ at: '5432', port: 5432, role: 'connect', host: 'db.internal' }]],
  ['uvicorn.run(app, port=8000)', [{ at: '8000', port: 8000, role: 'listen', variable: 'port' }]],
  [
    'app.run(host="0.0.0.0", port=5000)',
    [{ at: '5000', port: 5000, role: 'listen', host: '0.0.0.0', variable: 'port' }],
  ],
  [
    'HttpServer::new(f).bind("127.0.0.1:8080")?',
    [{ at: '8080', port: 8080, role: 'listen', host: '127.0.0.1' }],
  ],
  [
    'let l = TcpListener::bind("0.0.0.0:7878").unwrap();',
    [{ at: '7878', port: 7878, role: 'listen', host: '0.0.0.0' }],
  ],
  ['port=8000', [{ at: '8000', port: 8000, role: 'setting', variable: 'port' }]],
  ['  port: 5000,', [{ at: '5000', port: 5000, role: 'setting', variable: 'port' }]],
  ['{ "port": 5000 }', [{ at: '5000', port: 5000, role: 'setting', variable: 'port' }]],
  ["$config = ['port' => 8080];", [{ at: '8080', port: 8080, role: 'setting', variable: 'port' }]],
  [
    'const PORT = process.env.PORT || 4000;',
    [{ at: '4000', port: 4000, role: 'setting', variable: 'PORT', isDefault: true }],
  ],
  [
    'const port = Number(process.env.APP_PORT) ?? 3001',
    [{ at: '3001', port: 3001, role: 'setting', variable: 'APP_PORT', isDefault: true }],
  ],
  [
    'port = int(os.environ.get("PORT", 8000))',
    [{ at: '8000', port: 8000, role: 'setting', variable: 'PORT', isDefault: true }],
  ],
  [
    'port = os.getenv("PORT") or 5001',
    [{ at: '5001', port: 5001, role: 'setting', variable: 'PORT', isDefault: true }],
  ],
  ['server.port=8081', [{ at: '8081', port: 8081, role: 'setting', variable: 'server.port' }]],
  ['httpPort := 8080', [{ at: '8080', port: 8080, role: 'setting', variable: 'httpPort' }]],
  ['var port int = 8080', [{ at: '8080', port: 8080, role: 'setting', variable: 'port' }]],
  ['let port: number = 3000;', [{ at: '3000', port: 3000, role: 'setting', variable: 'port' }]],
  ['	port = "8080"', [{ at: '8080', port: 8080, role: 'setting', variable: 'port' }]],
  ['port: -1', [{ at: '-1', port: -1, role: 'setting', variable: 'port' }]],
  ['PORT=70000 node server.js', [{ at: '70000', port: 70000, role: 'setting', variable: 'PORT' }]],
  ['Port 2222', [{ at: '2222', port: 2222, role: 'setting', variable: 'Port' }]],
  [
    'ports = [8080, 8081]',
    [
      { at: '8080', port: 8080, role: 'setting', variable: 'ports' },
      { at: '8081', port: 8081, role: 'setting', variable: 'ports' },
    ],
  ],
  [
    '@Value("${server.port:8080}") int port;',
    [{ at: '8080', port: 8080, role: 'setting', variable: 'server.port', isDefault: true }],
  ],
  [
    'exec gunicorn --bind 0.0.0.0:${PORT:-8000} app:app',
    [{ at: '8000', port: 8000, role: 'setting', variable: 'PORT', isDefault: true }],
  ],
  [
    'r = redis.Redis(host="localhost", port=6379)',
    [{ at: '6379', port: 6379, role: 'connect', host: 'localhost', variable: 'port' }],
  ],
  ['new ServerSocket(8080)', [{ at: '8080', port: 8080, role: 'listen' }]],
  [
    'new InetSocketAddress("example.com", 443)',
    [{ at: '443', port: 443, role: 'connect', host: 'example.com' }],
  ],
  [
    "net.createConnection(6379, '127.0.0.1')",
    [{ at: '6379', port: 6379, role: 'connect', host: '127.0.0.1' }],
  ],
  ['options.ListenAnyIP(5000);', [{ at: '5000', port: 5000, role: 'listen' }]],
  ['vite --port 5173', [{ at: '5173', port: 5173, role: 'listen' }]],
  ['vite --port=5173', [{ at: '5173', port: 5173, role: 'listen' }]],
  ['next dev -p 3001', [{ at: '3001', port: 3001, role: 'listen' }]],
  ['psql -h db -p 5432 -U app', [{ at: '5432', port: 5432, role: 'connect', host: 'db' }]],
  ['node --inspect=9229 app.js', [{ at: '9229', port: 9229, role: 'listen' }]],
  ['node --inspect-brk=0.0.0.0:9230 app.js', [{ at: '9230', port: 9230, role: 'listen', host: '0.0.0.0' }]],
  ['gunicorn -b 0.0.0.0:8000 app:app', [{ at: '8000', port: 8000, role: 'listen', host: '0.0.0.0' }]],
  ['gunicorn --bind :8001 app:app', [{ at: '8001', port: 8001, role: 'listen' }]],
  [
    'CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "80"]',
    [{ at: '80', port: 80, role: 'listen', host: '0.0.0.0' }],
  ],
  [
    'uvicorn app:app --host 127.0.0.1 --port 8000 && echo -h x',
    [{ at: '8000', port: 8000, role: 'listen', host: '127.0.0.1' }],
  ],
  [
    'docker run -p 8080:80 nginx',
    [
      { at: '8080', port: 8080, role: 'publish' },
      { at: '80', port: 80, role: 'target' },
    ],
  ],
  [
    'docker run -p 127.0.0.1:5353:53/udp dns',
    [
      { at: '5353', port: 5353, role: 'publish', host: '127.0.0.1', protocol: 'udp' },
      { at: '53', port: 53, role: 'target', protocol: 'udp' },
    ],
  ],
  [
    'podman run --publish 3000-3005:3000-3005 app',
    [
      { at: '3000-3005', port: 3000, portEnd: 3005, role: 'publish' },
      { at: '3000-3005', port: 3000, portEnd: 3005, role: 'target' },
    ],
  ],
  ['docker run -p 9000 minio', [{ at: '9000', port: 9000, role: 'target' }]],
  [
    'ssh -L 8080:localhost:3000 user@bastion',
    [
      { at: '8080', port: 8080, role: 'listen' },
      { at: '3000', port: 3000, role: 'connect', host: 'localhost' },
    ],
  ],
  [
    'ssh -N -L 127.0.0.1:15432:db.internal:5432 jump',
    [
      { at: '15432', port: 15432, role: 'listen', host: '127.0.0.1' },
      { at: '5432', port: 5432, role: 'connect', host: 'db.internal' },
    ],
  ],
  ['ssh -D 1080 proxyhost', [{ at: '1080', port: 1080, role: 'listen' }]],
  [
    'see api.example.com:8443 for details',
    [{ at: '8443', port: 8443, role: 'connect', host: 'api.example.com' }],
  ],
  ['const addr = "db:5432";', [{ at: '5432', port: 5432, role: 'connect', host: 'db' }]],
  ['server 10.0.0.5:6443', [{ at: '6443', port: 6443, role: 'connect', host: '10.0.0.5' }]],
  ['upstream = "[2001:db8::1]:443"', [{ at: '443', port: 443, role: 'connect', host: '2001:db8::1' }]],
  ['listen_addr = "0.0.0.0:9100"', [{ at: '9100', port: 9100, role: 'listen', host: '0.0.0.0' }]],
  ['server=172.20.0.2#5054', [{ at: '5054', port: 5054, role: 'connect', host: '172.20.0.2' }]],
  [
    'parser.add_argument("--port", type=int, default=8000)',
    [{ at: '8000', port: 8000, role: 'setting', variable: 'port', isDefault: true }],
  ],
  [
    'cmd.Flags().IntP("port", "p", 8080, "port to use")',
    [{ at: '8080', port: 8080, role: 'setting', variable: 'port', isDefault: true }],
  ],
  [
    '@click.option("--port", default=5000, help="port")',
    [{ at: '5000', port: 5000, role: 'setting', variable: 'port', isDefault: true }],
  ],
  [
    "program.option('-p, --port <n>', 'port to listen on', '3000')",
    [{ at: '3000', port: 3000, role: 'setting', variable: 'port', isDefault: true }],
  ],
  [
    "yargs.option('port', { alias: 'p', default: 3000 })",
    [{ at: '3000', port: 3000, role: 'setting', variable: 'port', isDefault: true }],
  ],
  [
    'flag.IntVar(&cfg.httpPort, "http-port", 4000, "API port")',
    [{ at: '4000', port: 4000, role: 'setting', variable: 'http-port', isDefault: true }],
  ],
  ['addr.sin_port = htons(8080);', [{ at: '8080', port: 8080, role: 'setting' }]],
  ['port(4567); // Spark', [{ at: '4567', port: 4567, role: 'setting' }]],
  ['builder.setPort(8443).build()', [{ at: '8443', port: 8443, role: 'setting' }]],
  [
    'let addr = SocketAddr::from(([127, 0, 0, 1], 3000));',
    [{ at: '3000', port: 3000, role: 'setting', host: '127.0.0.1' }],
  ],
  ['Listen 8080', [{ at: '8080', port: 8080, role: 'listen' }]],
  ['Listen 0.0.0.0:8443', [{ at: '8443', port: 8443, role: 'listen', host: '0.0.0.0' }]],
  ['listen = 127.0.0.1:9000', [{ at: '9000', port: 9000, role: 'listen', host: '127.0.0.1' }]],
  ['listen = 9001', [{ at: '9001', port: 9001, role: 'listen' }]],
  [
    'docker run -p "8080:80" nginx',
    [
      { at: '8080', port: 8080, role: 'publish' },
      { at: '80', port: 80, role: 'target' },
    ],
  ],
  ['vite --port "5173"', [{ at: '5173', port: 5173, role: 'listen' }]],
  [
    'val port = System.getenv("PORT") ?: "8080"',
    [{ at: '8080', port: 8080, role: 'setting', variable: 'PORT', isDefault: true }],
  ],
  [
    "app.listen(process.env.PORT ?? '3000')",
    [{ at: '3000', port: 3000, role: 'listen', variable: 'PORT', isDefault: true }],
  ],
  ['mysql -h db -P 3306 -u root -p', [{ at: '3306', port: 3306, role: 'connect', host: 'db' }]],
  ['cd app && ssh -p 2222 deploy@host', [{ at: '2222', port: 2222, role: 'connect' }]],
  ['npm install && next dev -p 3001', [{ at: '3001', port: 3001, role: 'listen' }]],
  [
    '["docker", "run", "-p", "8080:80", "nginx"]',
    [
      { at: '8080', port: 8080, role: 'publish' },
      { at: '80', port: 80, role: 'target' },
    ],
  ],
  ['addr := ":8080"', [{ at: '8080', port: 8080, role: 'listen' }]],
  ['const schemes = {"https:": ":443"}', [{ at: '443', port: 443, role: 'setting' }]],
  ['"redis.default:6379"', [{ at: '6379', port: 6379, role: 'connect', host: 'redis.default' }]],
  [
    'this.debugPortStart = options.debugPortStart || 43210;',
    [{ at: '43210', port: 43210, role: 'setting', variable: 'this.debugPortStart', isDefault: true }],
  ],
  [
    'kubectl port-forward svc/web 8080:80 :9090 5000 -n app',
    [
      { at: '8080', port: 8080, role: 'listen', host: 'localhost' },
      { at: '80', port: 80, role: 'target' },
      { at: '9090', port: 9090, role: 'target' },
      { at: '5000', port: 5000, role: 'listen', host: 'localhost' },
    ],
  ],
  [
    'kubectl port-forward --address 0.0.0.0 pod/db 15432:5432',
    [
      { at: '15432', port: 15432, role: 'listen', host: '0.0.0.0' },
      { at: '5432', port: 5432, role: 'target' },
    ],
  ],
  [
    'curl -f http://localhost:8080/health || exit 1',
    [{ at: '8080', port: 8080, role: 'connect', host: 'localhost', scheme: 'http' }],
  ],
];

// Negative cases: shapes that look numeric or colon-separated but are not ports.
const negatives: string[] = [
  'setTimeout(fn, 3000)',
  'const timeoutMs = 3000;',
  'const breakpoints = [320, 768, 1024];',
  'version 1.2.3',
  'src/file.ts:1234:5 - error TS2304',
  'at foo (/src/app.js:10:5)',
  'Traceback: File "main.py", line 3, in app.py:12',
  'color: #808080;',
  'see /docs/8080 for details',
  'image: postgres:16',
  'const img = "postgres:16";',
  'FROM node:20-alpine',
  'sock.listen(128)',
  's.listen(5)',
  'self.socket.listen(10)',
  'listen(fd, 128);',
  'link http://example.com/a:80b',
  'at 12:30:45 the job ran',
  'version: "3.8"',
  'ip -6 addr add fe80::1/64 dev eth0',
  'addr = "2001:db8::8080"',
  'aspect ratio 16:9',
  '{timeout:3000, width:1024}',
  'x = cond ? a :8080',
  'mac 00:1a:2b:3c:4d:5e',
  'const REPORT_LIMIT = 3000;',
  'transport: 3000',
  'supportCount = 4000',
  'import { port } from "./config";',
  'if (port) { start(); }',
  'fn.bind(this)',
  'retries=5 --timeout 3000',
  'mkdir -p /var/app',
  'const PORT_TIMEOUT = 3000;',
  'user:12345@example.org',
  'viewPort = 800',
  'Local Address:Port(4) Peer Address:Port(5)',
  'ps -p 1234 -o pid',
  'git add -p 1',
  'this.server?.listen(0, "127.0.0.1")',
  'return x?n.length:1}',
  "await keyv.set('user:123', value)",
  'hasRequiredDebugPortAllocator = 1;',
  'if (matchingPorts.length === 0) {',
  'const web = "web:80";',
  'serialPort = 3',
  'parser.add_argument("--workers", type=int, default=4)',
  'flag.Duration("timeout", 3000, "ms")',
  'listen(sockfd, 5);',
  'bind 127.0.0.1 ::1',
  '2024-01-01T12:30:00Z',
];

describe('findCodePorts', () => {
  describe('true positives (exact ranges)', () => {
    for (const [line, expected] of positives) {
      it(line, () => {
        assert.deepEqual(scan(line), expected);
      });
    }
  });

  describe('true negatives', () => {
    for (const line of negatives) {
      it(line, () => {
        assert.deepEqual(scan(line), []);
      });
    }
  });

  it('keeps exact offsets across CRLF and LF lines in one file', () => {
    const text = 'const a = 1;\r\napp.listen(3000);\r\n\r\nconst u = "redis://cache:6380";\nport = 7000\r\n';
    const mentions = findCodePorts(text);
    assert.deepEqual(
      mentions.map((m) => text.slice(m.range.start, m.range.end)),
      ['3000', '6380', '7000'],
    );
    assert.deepEqual(
      mentions.map((m) => m.port),
      [3000, 6380, 7000],
    );
  });

  it('returns mentions sorted by position', () => {
    const text = 'port = 1\nfetch("http://localhost:2")\napp.listen(3)';
    const starts = findCodePorts(text).map((m) => m.range.start);
    assert.deepEqual(
      starts,
      [...starts].sort((a, b) => a - b),
    );
    assert.equal(starts.length, 3);
  });

  it('reports the given kind and base offset from findCodePortsInLine', () => {
    const line = 'npm start -- --port 4200';
    const [m] = findCodePortsInLine(line, 100, 'packagejson');
    assert.equal(m.kind, 'packagejson');
    assert.deepEqual(m.range, { start: 100 + line.indexOf('4200'), end: 100 + line.indexOf('4200') + 4 });
  });

  it('reads `-p host:container` as a mapping when told the text is docker run arguments', () => {
    const line = '"-p", "8081:81"';
    const found = findCodePortsInLine(line, 0, 'devcontainer', { containerRun: true }).map((m) =>
      view(line, m),
    );
    assert.deepEqual(found, [
      { at: '8081', port: 8081, role: 'publish' },
      { at: '81', port: 81, role: 'target' },
    ]);
    assert.deepEqual(findCodePortsInLine(line, 0, 'code'), []);
  });

  it('finishes a 5 MB single-line minified file and still finds its URLs', () => {
    const chunk = 'var a=function(){return x?a.b:1234},t={timeout:3000};fetch("http://localhost:8080/a");';
    const text = chunk.repeat(Math.ceil(5_000_000 / chunk.length));
    assert.ok(text.length > MAX_HEURISTIC_LINE_LENGTH);
    const mentions = findCodePorts(text);
    assert.equal(mentions.length, Math.ceil(5_000_000 / chunk.length));
    assert.ok(
      mentions.every((m) => text.slice(m.range.start, m.range.end) === '8080' && m.role === 'connect'),
    );
  });

  it('finishes hostile multi-line input made of the shapes the recognizers look for', () => {
    const hostile = [
      '('.repeat(9000),
      '("a", 1'.repeat(1200),
      ' -p'.repeat(3000),
      ']:1'.repeat(3000),
      'a:1'.repeat(3000),
      'x://a,b,c'.repeat(1000),
      '${PORT:-'.repeat(1000),
      'port'.repeat(2500),
    ].join('\n');
    const text = (hostile + '\n').repeat(20) + 'app.listen(3000)';
    assert.deepEqual(
      findCodePorts(text).map((m) => [m.port, m.role]),
      [[3000, 'listen']],
    );
  });

  it('survives binary junk and NUL bytes', () => {
    let junk = '';
    for (let i = 0; i < 200_000; i++) {
      junk += String.fromCharCode((i * 7919) % 65536);
    }
    assert.deepEqual(
      findCodePorts(`${junk}\napp.listen(3000)`).map((m) => [m.port, m.role]),
      [[3000, 'listen']],
    );
    const withNul = 'a\u0000b http://localhost:8080/ port=1\u0000\n app.listen(3000)';
    const found = findCodePorts(withNul).map((m) => withNul.slice(m.range.start, m.range.end));
    assert.deepEqual(found, ['8080', '3000']);
  });

  it('reads a `ports:` list in YAML that is not Compose (a GitHub Actions workflow)', () => {
    const file = path.resolve(__dirname, '../../../src/test/fixtures/scan/workflow/ci.yml');
    const text = fs.readFileSync(file, 'utf8');
    assert.deepEqual(scan(text), [
      { at: '5432', port: 5432, role: 'publish' },
      { at: '5432', port: 5432, role: 'target' },
      { at: '6380', port: 6380, role: 'publish', host: '127.0.0.1' },
      { at: '6379', port: 6379, role: 'target' },
      { at: '5432', port: 5432, role: 'connect', host: 'localhost', scheme: 'postgres' },
    ]);
  });

  it('does not read a generic call with type arguments as a tuple', () => {
    assert.deepEqual(scan("await keyv.set<number>('key3', 456);"), []);
    assert.deepEqual(scan('x = ("db", 5432)'), [{ at: '5432', port: 5432, role: 'connect', host: 'db' }]);
  });

  it('returns nothing for empty text', () => {
    assert.deepEqual(findCodePorts(''), []);
  });
});

describe('findCodePorts: datagram sockets', () => {
  it('reads a Python SOCK_DGRAM bind as UDP, and a stream socket’s as unspecified', () => {
    const text = [
      'import socket',
      'sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
      'sock.bind(("0.0.0.0", 8125))',
      'tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)',
      'tcp.bind(("127.0.0.1", 8126))',
    ].join('\n');
    const found = findCodePorts(text).map((m) => ({ port: m.port, role: m.role, protocol: m.protocol }));
    assert.deepEqual(found, [
      { port: 8125, role: 'listen', protocol: 'udp' },
      { port: 8126, role: 'listen', protocol: undefined },
    ]);
  });

  it('reads `with socket.socket(…, SOCK_DGRAM) as s` and Node’s dgram.createSocket as UDP', () => {
    const python = 'with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:\n    s.bind(("", 5353))\n';
    assert.deepEqual(
      findCodePorts(python).map((m) => [m.port, m.protocol]),
      [[5353, 'udp']],
    );
    const node = "const server = dgram.createSocket('udp4');\nserver.bind(41234, '127.0.0.1');\n";
    assert.deepEqual(
      findCodePorts(node).map((m) => [m.port, m.protocol]),
      [[41234, 'udp']],
    );
  });
});

describe('scan: code files read from digit to digit', () => {
  function codeFiles(dir: string, out: string[] = []): string[] {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        codeFiles(full, out);
      } else if (entry.isFile() && detectFileKind(full) === 'code') {
        out.push(full);
      }
    }
    return out;
  }

  it('finds exactly what reading every line finds, on every code file of the samples and fixtures', () => {
    const root = path.join(__dirname, '..', '..', '..');
    const files = [
      ...codeFiles(path.join(root, 'samples')),
      ...codeFiles(path.join(root, 'src', 'test', 'fixtures')),
    ];
    assert.ok(files.length > 20, `only ${files.length} code files found`);
    let mentions = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const expected = findCodePortsLineByLine(text);
      assert.deepEqual(findCodePorts(text), expected, file);
      mentions += expected.length;
    }
    assert.ok(mentions > 20);
  });

  it('reads the first and last lines, lines without digits in between, and a text without a newline', () => {
    const text = 'listen(8080)\nno digits here\n\nconst PORT = 3000;\nserver.listen(5432)';
    const found = findCodePorts(text);
    assert.deepEqual(found, findCodePortsLineByLine(text));
    assert.deepEqual(
      found.map((m) => [m.port, text.slice(m.range.start, m.range.end)]),
      [
        [8080, '8080'],
        [3000, '3000'],
        [5432, '5432'],
      ],
    );
    assert.deepEqual(findCodePorts('app.listen(4000)'), findCodePortsLineByLine('app.listen(4000)'));
    assert.equal(findCodePorts('app.listen(4000)').length, 1);
  });
});
