// `portolan refs`: the editor's references, grouped by endpoint, run as a process on a small project.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { endpointMatches, parseRefsQuery } from '../../cli/refs';
import { runCli } from './cliProcess';

const PROJECT: Record<string, string> = {
  'compose.yaml': [
    'services:',
    '  web:',
    '    build: ./web',
    '    ports:',
    '      - "${WEB_PORT:-8080}:80"',
    '  api:',
    '    build: ./api',
    '    ports:',
    "      - '8081:80'",
    '',
  ].join('\n'),
  '.env': 'WEB_PORT=8080\n',
  'web/server.js': 'app.listen(80);\nfetch("http://api:80/items");\n',
  'web/Dockerfile': 'FROM node:20\nEXPOSE 80\n',
  'api/server.js': 'server.listen(80);\n',
  'nginx.conf': 'server {\n  listen 9000;\n  location / { proxy_pass http://web:80; }\n}\n',
  'smoke.js': 'fetch("http://localhost:8080/");\n',
};

interface RefsJson {
  endpoint: { id: string; label: string; port: number; protocol: string; scope: Record<string, string> };
  forwardsTo: string[];
  references: Array<{
    file: string;
    line: number;
    column: number;
    length: number;
    text: string;
    part: string;
    role: string;
    kind: string | null;
    inferred: boolean;
  }>;
}

describe('portolan refs', function () {
  this.timeout(120000);
  let root: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'portolan-refs-'));
    for (const [file, text] of Object.entries(PROJECT)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
  });

  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('--json: one entry per endpoint with the same number, each with its own references', () => {
    const r = runCli(['refs', '80', '--json'], root);
    assert.equal(r.code, 0, r.err);
    const endpoints = JSON.parse(r.out) as RefsJson[];
    assert.deepEqual(
      endpoints.map((e) => [e.endpoint.label, e.endpoint.scope]),
      [
        ['api:80/tcp', { type: 'compose', project: '.', service: 'api' }],
        ['web:80/tcp', { type: 'compose', project: '.', service: 'web' }],
      ],
    );
    const web = endpoints[1];
    assert.deepEqual(Object.keys(web.endpoint).sort(), ['id', 'label', 'port', 'protocol', 'scope']);
    assert.equal(web.endpoint.port, 80);
    assert.equal(web.endpoint.protocol, 'tcp');
    assert.deepEqual(
      web.references.map((l) => `${l.file}:${l.line}:${l.column} ${l.part} ${l.role} ${l.kind} ${l.text}`),
      [
        'compose.yaml:5:28 serves target compose 80',
        'nginx.conf:3:38 connects connect nginx 80',
        'web/Dockerfile:2:8 serves expose dockerfile 80',
        'web/server.js:1:12 serves listen code 80',
      ],
    );
    assert.deepEqual(Object.keys(web.references[0]).sort(), [
      'column',
      'file',
      'inferred',
      'kind',
      'length',
      'line',
      'part',
      'role',
      'text',
    ]);
    assert.equal(web.references[0].length, 2);
    assert.equal(web.references[0].inferred, false);
    assert.deepEqual(
      endpoints[0].references.map((l) => `${l.file}:${l.line} ${l.part}`),
      ['api/server.js:1 serves', 'compose.yaml:9 serves', 'web/server.js:2 connects'],
    );
  });

  it('SERVICE:PORT and localhost:PORT pick one endpoint; text output lists places and where traffic goes', () => {
    const web = runCli(['refs', 'web:80'], root);
    assert.equal(web.code, 0, web.err);
    assert.equal(
      web.out,
      [
        'web:80/tcp  (compose service web in .)',
        '  compose.yaml:5:28  serves target (compose)',
        '  nginx.conf:3:38  connects connect (nginx)',
        '  web/Dockerfile:2:8  serves expose (dockerfile)',
        '  web/server.js:1:12  serves listen (code)',
        '',
      ].join('\n'),
    );
    const host = runCli(['refs', 'localhost:8080', '--json', root], os.tmpdir());
    assert.equal(host.code, 0, host.err);
    const [endpoint, ...others] = JSON.parse(host.out) as RefsJson[];
    assert.equal(others.length, 0);
    assert.equal(endpoint.endpoint.label, 'localhost:8080/tcp');
    assert.deepEqual(endpoint.forwardsTo, ['web:80/tcp']);
    assert.deepEqual(
      endpoint.references.map((l) => `${path.basename(l.file)} ${l.part}`),
      ['.env configures', 'compose.yaml serves', 'smoke.js connects'],
    );
  });

  it('exits 1 when nothing mentions the port and 2 on what is not a port', () => {
    const none = runCli(['refs', '4444'], root);
    assert.equal(none.code, 1);
    assert.equal(none.out, '');
    assert.match(none.err, /nothing under \. mentions 4444/);
    const bad = runCli(['refs', '99999'], root);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /'99999' is not a port/);
    assert.equal(runCli(['refs'], root).code, 2);
    assert.match(runCli(['--help'], root).out, /^ {2}refs \[--json\] PORT\[\/PROTO\] \[PATH\]/m);
  });

  it('parses the forms of a port query and matches endpoints by them', () => {
    assert.deepEqual(parseRefsQuery('8080'), { port: 8080 });
    assert.deepEqual(parseRefsQuery('53/UDP'), { port: 53, protocol: 'udp' });
    assert.deepEqual(parseRefsQuery('api:8000'), { port: 8000, host: 'api' });
    assert.deepEqual(parseRefsQuery('[::1]:80/tcp'), { port: 80, protocol: 'tcp', host: '::1' });
    for (const bad of ['0', '65536', 'api:', ':80', 'a:b:80', '80/icmp', 'http://x:80']) {
      assert.equal(parseRefsQuery(bad), undefined, bad);
    }
    const host = {
      id: 'h',
      label: 'localhost:80/tcp',
      port: 80,
      protocol: 'tcp' as const,
      scope: { type: 'host' as const },
    };
    assert.equal(endpointMatches(host, { port: 80, host: '127.0.0.1' }), true);
    assert.equal(endpointMatches(host, { port: 80, host: 'api' }), false);
    assert.equal(endpointMatches(host, { port: 80, protocol: 'udp' }), false);
  });
});

describe('portolan refs and check over nginx includes', function () {
  this.timeout(120000);
  let root: string;
  const FILES: Record<string, string> = {
    'nginx/nginx.conf': 'events {}\nhttp {\n  include conf.d/*.conf;\n}\n',
    'nginx/conf.d/a-upstreams.conf': 'upstream backend {\n  server 127.0.0.1:8000;\n}\n',
    'nginx/conf.d/b-site.conf': 'server {\n  listen 8080;\n  location / { proxy_pass http://backend; }\n}\n',
    'nginx/conf.d/c-other.conf': 'server {\n  listen 8080;\n  server_name other.example;\n}\n',
    'app.js': 'app.listen(8000);\n',
  };

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'portolan-refs-nginx-'));
    for (const [file, text] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
  });

  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('refs lists a proxy_pass by upstream name in another included file', () => {
    const r = runCli(['refs', '8000'], root);
    assert.equal(r.code, 0, r.err);
    assert.equal(
      r.out,
      [
        'localhost:8000/tcp  (this machine)',
        '  app.js:1:12  serves listen (code)',
        '  nginx/conf.d/a-upstreams.conf:2:20  connects connect (nginx)',
        '  nginx/conf.d/b-site.conf:3:34  connects connect (nginx)',
        '',
      ].join('\n'),
    );
  });

  it('check reports the first of two server blocks on one socket across included files', () => {
    const r = runCli(['check', '--format', 'json'], root);
    const findings = (JSON.parse(r.out) as Array<{ file: string; line: number; code: string }>).filter(
      (f) => f.code === 'nginx-implicit-default-server',
    );
    assert.deepEqual(
      findings.map((f) => `${f.file}:${f.line}`),
      [`nginx${path.sep}conf.d${path.sep}b-site.conf:2`],
    );
  });
});
