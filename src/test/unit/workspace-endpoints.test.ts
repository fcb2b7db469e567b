import * as assert from 'node:assert/strict';
import { composeEnvOf } from '../../scan/dotenv';
import { WorkspaceIndex } from '../../workspace';
import { EndpointMap, parsePortValue, renameEdits, type EndpointLink } from '../../workspace/endpoints';

/** A small project: two built services on container port 80, a database, nginx, code, a `.env`. */
const PROJECT: Record<string, string> = {
  '/w/compose.yaml': [
    'services:',
    '  web:',
    '    build: ./web',
    '    ports:',
    '      - "${WEB_PORT:-8080}:80"',
    '    environment:',
    '      DATABASE_URL: postgres://u:p@db:5432/app',
    '    healthcheck:',
    '      test: curl -f http://localhost:80/health',
    '  api:',
    '    build: ./api',
    '    ports:',
    "      - '8081:80'",
    '  db:',
    '    image: postgres',
    '    ports:',
    '      - 15432:5432',
    '',
  ].join('\n'),
  '/w/.env': 'WEB_PORT=8080\n',
  '/w/web/server.js':
    'app.listen(80);\nfetch("http://api:80/x");\nfetch("http://localhost:5555/");\nfetch("http://localhost:80/");\n',
  '/w/web/Dockerfile': 'FROM node\nEXPOSE 80\n',
  '/w/api/server.js': 'server.listen(80);\n',
  '/w/nginx/nginx.conf': 'server {\n  listen 8000;\n  location / { proxy_pass http://web:80; }\n}\n',
  '/w/test/smoke.js': 'fetch("http://localhost:8080/");\nfetch("http://127.0.0.1:8081/");\n',
};

function indexOf(files: Record<string, string>): WorkspaceIndex {
  const index = new WorkspaceIndex();
  for (const [file, text] of Object.entries(files)) {
    index.set(file, text);
  }
  return index;
}

function build(files: Record<string, string>): EndpointMap {
  return EndpointMap.of(indexOf(files).allFiles());
}

/** The offset of `digits` inside the first `snippet` of a file. */
function at(files: Record<string, string>, file: string, snippet: string, digits: string): number {
  const start = files[file].indexOf(snippet);
  assert.ok(start >= 0, `${snippet} in ${file}`);
  const inner = snippet.indexOf(digits);
  assert.ok(inner >= 0, `${digits} in ${snippet}`);
  return start + inner;
}

function linkAt(
  map: EndpointMap,
  files: Record<string, string>,
  file: string,
  snippet: string,
  digits: string,
) {
  const link = map.endpointOf(file, at(files, file, snippet, digits));
  assert.ok(link, `a link at ${digits} of ${snippet}`);
  return link;
}

/** `file:line text` of each link, for readable comparisons. */
function places(links: readonly EndpointLink[], files: Record<string, string>): string[] {
  return links.map((l) => {
    const text = files[l.file];
    const line = text.slice(0, l.mention.range.start).split('\n').length;
    return `${l.file}:${line} ${l.part}${l.inferred ? '?' : ''} ${text.slice(l.mention.range.start, l.mention.range.end)}`;
  });
}

function apply(files: Record<string, string>, edits: ReturnType<typeof renameEdits>): Record<string, string> {
  const out = { ...files };
  const sorted = edits.slice().sort((a, b) => b.range.start - a.range.start);
  for (const edit of sorted) {
    const text = out[edit.file];
    out[edit.file] = text.slice(0, edit.range.start) + edit.newText + text.slice(edit.range.end);
  }
  return out;
}

describe('workspace: endpoints (which mentions name the same port of the same listener)', () => {
  const map = build(PROJECT);

  it('a service name is one of the project the file sits in, even inside an outer build context', () => {
    // The outer project builds `.`, so every file below /o/ is in its api's build context; the inner
    // project's nginx config still reaches the inner web (a regression: it reached the outer web).
    const files: Record<string, string> = {
      '/o/compose.yaml':
        'services:\n  web:\n    image: nginx\n    ports:\n      - "8080:80"\n  api:\n    build: .\n    ports:\n      - "8081:3000"\n',
      '/o/Dockerfile': 'FROM node\n',
      '/o/inner/compose.yaml': 'services:\n  web:\n    build: ./web\n    ports:\n      - "18080:80"\n',
      '/o/inner/nginx/nginx.conf':
        'server {\n  listen 18000;\n  location / { proxy_pass http://web:80; }\n}\n',
    };
    const nested = build(files);
    const link = linkAt(nested, files, '/o/inner/nginx/nginx.conf', 'web:80', '80');
    assert.deepEqual(link.endpoint.scope, { type: 'compose', project: '/o/inner/', service: 'web' });
  });

  it('a published port, the .env variable that feeds it and localhost URLs are the host endpoint', () => {
    const link = linkAt(map, PROJECT, '/w/compose.yaml', '${WEB_PORT:-8080}', '8080');
    assert.equal(link.endpoint.label, 'localhost:8080/tcp');
    assert.deepEqual(places(map.references(link.endpoint), PROJECT), [
      '/w/.env:1 configures 8080',
      '/w/compose.yaml:5 serves 8080',
      '/w/test/smoke.js:1 connects 8080',
    ]);
    assert.deepEqual(places(map.servers(link.endpoint), PROJECT), ['/w/compose.yaml:5 serves 8080']);
    assert.deepEqual(
      map.forwardsTo(link.endpoint).map((e) => e.label),
      ['web:80/tcp'],
    );
  });

  it("a service's container port gathers its listen, EXPOSE, proxy_pass and healthcheck, not the other service's 80", () => {
    const link = linkAt(map, PROJECT, '/w/compose.yaml', '}:80"', '80');
    assert.equal(link.endpoint.label, 'web:80/tcp');
    assert.deepEqual(places(map.references(link.endpoint), PROJECT), [
      '/w/compose.yaml:5 serves 80',
      '/w/compose.yaml:9 connects 80',
      '/w/nginx/nginx.conf:3 connects 80',
      '/w/web/Dockerfile:2 serves 80',
      '/w/web/server.js:1 serves 80',
      '/w/web/server.js:4 connects? 80',
    ]);
    const api = linkAt(map, PROJECT, '/w/compose.yaml', ":80'", '80');
    assert.equal(api.endpoint.label, 'api:80/tcp');
    assert.notEqual(api.endpoint.id, link.endpoint.id);
    assert.deepEqual(places(map.references(api.endpoint), PROJECT), [
      '/w/api/server.js:1 serves 80',
      '/w/compose.yaml:13 serves 80',
      '/w/web/server.js:2 connects 80',
    ]);
  });

  it('a connection is served by what listens on its endpoint (Go to Definition)', () => {
    const fetchApi = linkAt(map, PROJECT, '/w/web/server.js', 'api:80', '80');
    assert.deepEqual(places(map.servers(fetchApi.endpoint), PROJECT), [
      '/w/api/server.js:1 serves 80',
      '/w/compose.yaml:13 serves 80',
    ]);
    const database = linkAt(map, PROJECT, '/w/compose.yaml', '@db:5432', '5432');
    assert.equal(database.endpoint.label, 'db:5432/tcp');
    assert.deepEqual(places(map.servers(database.endpoint), PROJECT), ['/w/compose.yaml:17 serves 5432']);
    const published = linkAt(map, PROJECT, '/w/test/smoke.js', '127.0.0.1:8081', '8081');
    assert.deepEqual(places(map.servers(published.endpoint), PROJECT), ['/w/compose.yaml:13 serves 8081']);
  });

  it('localhost inside a container is the container only when it serves that port', () => {
    const own = linkAt(map, PROJECT, '/w/compose.yaml', 'localhost:80/', '80');
    assert.equal(own.endpoint.label, 'web:80/tcp');
    const elsewhere = linkAt(map, PROJECT, '/w/web/server.js', 'localhost:5555', '5555');
    assert.equal(elsewhere.endpoint.label, 'localhost:5555/tcp');
    assert.equal(elsewhere.inferred, false);
    // Only the container serves 80 (the host has 8000, 8080, 8081, 15432): its own port, a guess.
    const self = linkAt(map, PROJECT, '/w/web/server.js', 'localhost:80/', '80');
    assert.equal(self.endpoint.label, 'web:80/tcp');
    assert.equal(self.inferred, true);
    // A host port published by another service is the host's, even from inside a build context.
    const published = build({ ...PROJECT, '/w/web/check.js': 'fetch("http://localhost:8081/");\n' });
    const check = linkAt(
      published,
      { ...PROJECT, '/w/web/check.js': 'fetch("http://localhost:8081/");\n' },
      '/w/web/check.js',
      '8081',
      '8081',
    );
    assert.equal(check.endpoint.label, 'localhost:8081/tcp');
  });

  it('a rename changes the digits of every mention of the endpoint, and only those', () => {
    const link = linkAt(map, PROJECT, '/w/compose.yaml', '}:80"', '80');
    const renamed = apply(
      PROJECT,
      renameEdits(map, link.endpoint, 8088, (f) => PROJECT[f]),
    );
    assert.match(renamed['/w/compose.yaml'], /"\$\{WEB_PORT:-8080\}:8088"/);
    assert.match(renamed['/w/compose.yaml'], /http:\/\/localhost:8088\/health/);
    assert.match(renamed['/w/compose.yaml'], /'8081:80'/, 'the api service keeps its own 80');
    assert.equal(renamed['/w/web/Dockerfile'], 'FROM node\nEXPOSE 8088\n');
    assert.equal(
      renamed['/w/nginx/nginx.conf'],
      PROJECT['/w/nginx/nginx.conf'].replace('web:80', 'web:8088'),
    );
    assert.equal(
      renamed['/w/web/server.js'],
      'app.listen(8088);\nfetch("http://api:80/x");\nfetch("http://localhost:5555/");\nfetch("http://localhost:8088/");\n',
    );
    assert.equal(renamed['/w/api/server.js'], PROJECT['/w/api/server.js']);

    const host = linkAt(map, PROJECT, '/w/.env', 'WEB_PORT=8080', '8080');
    const moved = apply(
      PROJECT,
      renameEdits(map, host.endpoint, 9090, (f) => PROJECT[f]),
    );
    assert.equal(moved['/w/.env'], 'WEB_PORT=9090\n');
    assert.match(moved['/w/compose.yaml'], /"\$\{WEB_PORT:-9090\}:80"/);
    assert.equal(
      moved['/w/test/smoke.js'],
      'fetch("http://localhost:9090/");\nfetch("http://127.0.0.1:8081/");\n',
    );
  });

  it('a value read from .env through a variable is renamed in the .env, not over the `$VAR`', () => {
    const files: Record<string, string> = {
      '/p/docker-compose.yml':
        'services:\n  sentry:\n    image: sentry\n    ports:\n      - "$SENTRY_BIND:9000"\n      - "${WEB_PORT:-8000}:80"\n',
      '/p/.env': 'SENTRY_BIND=9000\nexport WEB_PORT="8000"\n',
    };
    const index = new WorkspaceIndex({ composeEnv: () => composeEnvOf(files['/p/.env']) });
    for (const [file, text] of Object.entries(files)) {
      index.set(file, text);
    }
    const endpoints = EndpointMap.of(index.allFiles());
    // SENTRY_BIND is no port name to the .env finder: the compose mention leads to its line.
    const bind = linkAt(endpoints, files, '/p/docker-compose.yml', '$SENTRY_BIND', '$SENTRY_BIND');
    assert.equal(bind.endpoint.label, 'localhost:9000/tcp');
    const renamed = apply(
      files,
      renameEdits(endpoints, bind.endpoint, 9001, (f) => files[f]),
    );
    assert.equal(renamed['/p/.env'], 'SENTRY_BIND=9001\nexport WEB_PORT="8000"\n');
    assert.equal(renamed['/p/docker-compose.yml'], files['/p/docker-compose.yml']);
    // WEB_PORT is one: its line is indexed and linked to the compose entry it feeds, edited once.
    const web = linkAt(endpoints, files, '/p/.env', 'WEB_PORT="8000"', '8000');
    assert.deepEqual(places(endpoints.references(web.endpoint), files), [
      '/p/.env:2 configures 8000',
      '/p/docker-compose.yml:6 serves ${WEB_PORT:-8000}',
    ]);
    const edits = renameEdits(endpoints, web.endpoint, 8001, (f) => files[f]);
    assert.equal(edits.length, 2);
    assert.equal(apply(files, edits)['/p/.env'], 'SENTRY_BIND=9000\nexport WEB_PORT="8001"\n');
    assert.match(apply(files, edits)['/p/docker-compose.yml'], /"\$\{WEB_PORT:-8001\}:80"/);
  });

  it('Kubernetes: a Service port forwards to the container port its targetPort names; a named port is not rewritten', () => {
    const files = {
      '/k/app.yaml': [
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  name: shop',
        'spec:',
        '  selector:',
        '    app: shop',
        '  ports:',
        '    - port: 80',
        '      targetPort: http',
        '---',
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: shop',
        'spec:',
        '  template:',
        '    metadata:',
        '      labels:',
        '        app: shop',
        '    spec:',
        '      containers:',
        '        - name: app',
        '          ports:',
        '            - containerPort: 8080',
        '              name: http',
        '',
      ].join('\n'),
      '/k/client.js': 'fetch("http://shop:80/cart");\nfetch("http://shop.default.svc.cluster.local:80/");\n',
    };
    const endpoints = build(files);
    const service = linkAt(endpoints, files, '/k/app.yaml', 'port: 80', '80');
    assert.equal(service.endpoint.label, 'shop:80/tcp');
    assert.deepEqual(places(endpoints.references(service.endpoint), files), [
      '/k/app.yaml:9 serves 80',
      '/k/client.js:1 connects 80',
      '/k/client.js:2 connects 80',
    ]);
    const [pod] = endpoints.forwardsTo(service.endpoint);
    assert.ok(pod);
    assert.equal(pod.label, 'app (container):8080/tcp');
    assert.deepEqual(places(endpoints.references(pod), files), [
      '/k/app.yaml:10 forwards http',
      '/k/app.yaml:25 serves 8080',
    ]);
    const edits = renameEdits(endpoints, pod, 8081, (f) => files[f as keyof typeof files]);
    assert.deepEqual(
      edits.map((e) => [e.file, e.newText]),
      [['/k/app.yaml', '8081']],
    );
  });

  it('a service name two projects define resolves to the project of the file', () => {
    const files = {
      '/a/compose.yaml': 'services:\n  api:\n    image: a\n    expose: ["8000"]\n',
      '/b/compose.yaml': 'services:\n  api:\n    image: b\n    expose: ["8000"]\n',
      '/b/nginx.conf': 'server {\n  location / { proxy_pass http://api:8000; }\n}\n',
    };
    const endpoints = build(files);
    const pass = linkAt(endpoints, files, '/b/nginx.conf', 'api:8000', '8000');
    assert.deepEqual(
      endpoints.servers(pass.endpoint).map((l) => l.file),
      ['/b/compose.yaml'],
    );
    assert.equal(pass.inferred, false);
  });

  it("an nginx config is the project's nginx service when one runs an nginx image", () => {
    const files = {
      '/n/compose.yaml':
        'services:\n  proxy:\n    image: nginx:1.27\n    ports:\n      - "8080:80"\n  app:\n    build: .\n    expose: ["3000"]\n',
      '/n/conf/default.conf': 'server {\n  listen 80;\n  location / { proxy_pass http://app:3000; }\n}\n',
    };
    const endpoints = build(files);
    const listen = linkAt(endpoints, files, '/n/conf/default.conf', 'listen 80', '80');
    assert.equal(listen.endpoint.label, 'proxy:80/tcp');
    assert.equal(listen.inferred, true);
    assert.deepEqual(places(endpoints.references(listen.endpoint), files), [
      '/n/compose.yaml:5 serves 80',
      '/n/conf/default.conf:2 serves? 80',
    ]);
    const pass = linkAt(endpoints, files, '/n/conf/default.conf', 'app:3000', '3000');
    assert.deepEqual(places(endpoints.servers(pass.endpoint), files), ['/n/compose.yaml:8 serves 3000']);
  });

  it('an nginx upstream reached by name links to its server; an implied listen 80 links nothing', () => {
    const files = {
      '/u/compose.yaml': 'services:\n  api:\n    image: api\n    expose: ["8000"]\n',
      '/u/nginx.conf':
        'upstream backend { server api:8000; }\nserver {\n  location / { proxy_pass http://backend; }\n}\n',
    };
    const endpoints = build(files);
    const byName = linkAt(endpoints, files, '/u/nginx.conf', 'http://backend', 'backend');
    assert.equal(byName.endpoint.label, 'api:8000/tcp');
    assert.deepEqual(places(endpoints.servers(byName.endpoint), files), ['/u/compose.yaml:4 serves 8000']);
    assert.equal(
      endpoints.endpointOf('/u/nginx.conf', files['/u/nginx.conf'].indexOf('server {')),
      undefined,
    );
    const renamed = apply(
      files,
      renameEdits(endpoints, byName.endpoint, 8001, (f) => files[f as keyof typeof files]),
    );
    assert.equal(
      renamed['/u/nginx.conf'],
      'upstream backend { server api:8001; }\nserver {\n  location / { proxy_pass http://backend; }\n}\n',
    );
    assert.match(renamed['/u/compose.yaml'], /expose: \["8001"\]/);
  });

  it('ranges and invalid numbers belong to no endpoint; a cursor just after the digits still finds one', () => {
    const files = {
      '/r/compose.yaml':
        'services:\n  web:\n    image: x\n    ports:\n      - "3000-3005:3000-3005"\n      - "7000:70"\n',
    };
    const endpoints = build(files);
    assert.equal(
      endpoints.endpointOf('/r/compose.yaml', at(files, '/r/compose.yaml', '3000-3005:', '3000')),
      undefined,
    );
    const end = at(files, '/r/compose.yaml', '"7000:', '7000') + 4;
    assert.equal(endpoints.endpointOf('/r/compose.yaml', end)?.endpoint.label, 'localhost:7000/tcp');
    assert.deepEqual(
      endpoints.endpointsWithPort(70).map((e) => e.label),
      ['web:70/tcp'],
    );
  });

  it('parsePortValue accepts 1–65535 written as digits only', () => {
    assert.equal(parsePortValue('8080'), 8080);
    assert.equal(parsePortValue(' 1 '), 1);
    assert.equal(parsePortValue('65535'), 65535);
    for (const bad of ['0', '65536', '80a', '-1', '', '1e3', '8080.0', '100000']) {
      assert.equal(parsePortValue(bad), undefined, bad);
    }
  });
});
