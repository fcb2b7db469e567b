// nginx `include` followed as nginx does: the facts the finder keeps, the read order and contexts
// the model derives, and what the endpoint model and the rules make of files read together.
import * as assert from 'node:assert/strict';
import { runRules } from '../../rules';
import { dependentFiles } from '../../rules/dependents';
import type { Finding } from '../../rules/types';
import { findComposeNginxMounts } from '../../scan/composeMounts';
import { nginxFactsOf } from '../../scan/nginx';
import { WorkspaceIndex } from '../../workspace';
import { renameEdits } from '../../workspace/endpoints';
import { LINUX_LIMITS } from './rulesSupport';

function indexOf(files: Record<string, string>): WorkspaceIndex {
  const index = new WorkspaceIndex();
  for (const [file, text] of Object.entries(files)) {
    index.set(file, text);
  }
  return index;
}

function findingsIn(index: WorkspaceIndex, file: string, rule: string): Finding[] {
  const entry = index.get(file);
  assert.ok(entry, `${file} is indexed`);
  return runRules({ file: entry, workspace: index, limits: LINUX_LIMITS }).filter((f) => f.rule === rule);
}

function offsetOf(text: string, snippet: string, inner = snippet): number {
  const at = text.indexOf(snippet);
  assert.ok(at >= 0, snippet);
  return at + snippet.indexOf(inner);
}

const MAIN =
  'events {}\nhttp {\n  include mime.types;\n  include conf.d/*.conf;\n  include sites-enabled/*;\n}\n';

describe('nginx include facts', () => {
  it('keeps includes with the blocks around them, upstreams, and passes by a name the file does not define', () => {
    const text =
      'include modules/*.conf;\nhttp {\n  upstream local { server 127.0.0.1:9000; }\n  include "conf.d/*.conf";\n  server {\n    include snippets/ssl.conf;\n    location / { proxy_pass http://backend/api; }\n    location /l { proxy_pass http://local; }\n    location /p { proxy_pass http://app:8000; }\n    location /v { proxy_pass http://$host; }\n  }\n}\nstream { server { listen 53; proxy_pass dns; } }\n';
    const facts = nginxFactsOf(text);
    assert.ok(facts);
    assert.deepEqual(
      facts.includes.map((i) => [i.path, i.context.join('>'), text.slice(i.range.start, i.range.end)]),
      [
        ['modules/*.conf', '', 'modules/*.conf'],
        ['conf.d/*.conf', 'http', 'conf.d/*.conf'],
        ['snippets/ssl.conf', 'http>server', 'snippets/ssl.conf'],
      ],
    );
    assert.deepEqual(
      facts.upstreams.map((u) => [u.name, u.stream, u.servers.map((s) => `${s.host}:${s.port}`)]),
      [['local', false, ['127.0.0.1:9000']]],
    );
    assert.deepEqual(
      facts.namedPasses.map((p) => [p.name, p.stream, p.scheme, text.slice(p.range.start, p.range.end)]),
      [
        ['backend', false, 'http', 'backend'],
        ['dns', true, undefined, 'dns'],
      ],
    );
  });

  it('a file with no include, upstream or pass has no facts', () => {
    assert.equal(nginxFactsOf('server { listen 80; server_name a; }\n'), undefined);
  });
});

describe('nginx includes: read order, contexts and bounds', () => {
  it('a glob reads its matches sorted, leaves dot files out, and places them inside http', () => {
    const index = indexOf({
      '/n/nginx.conf': MAIN,
      '/n/conf.d/b.conf': 'server { listen 8081; }\n',
      '/n/conf.d/a.conf': 'server { listen 8080; }\n',
      '/n/conf.d/.default.conf': 'server { listen 8082; }\n',
      '/n/conf.d/notes.txt.conf.bak': 'server { listen 8083; }\n',
      '/n/sites-enabled/default': 'server { listen 8084; }\n',
    });
    const includes = index.nginxIncludes();
    const [instance, ...more] = includes.instancesOf('/n/conf.d/a.conf');
    assert.deepEqual(more, []);
    assert.equal(instance?.root, '/n/nginx.conf');
    assert.deepEqual(instance?.files, [
      '/n/nginx.conf',
      '/n/conf.d/a.conf',
      '/n/conf.d/b.conf',
      '/n/sites-enabled/default',
    ]);
    assert.deepEqual(includes.contextOf('/n/sites-enabled/default', '/n/nginx.conf'), ['http']);
    assert.equal(includes.isGuessed('/n/conf.d/a.conf', '/n/nginx.conf'), false);
    const a = includes.orderOf('/n/nginx.conf', '/n/conf.d/a.conf', 10)!;
    const b = includes.orderOf('/n/nginx.conf', '/n/conf.d/b.conf', 0)!;
    const tail = includes.orderOf('/n/nginx.conf', '/n/nginx.conf', MAIN.length - 2)!;
    assert.ok(a[0] < b[0] && b[0] < tail[0]);
  });

  it('an absolute /etc/nginx path is read from the main file folder, as a guess', () => {
    const index = indexOf({
      '/d/nginx/nginx.conf': 'http {\n  include /etc/nginx/conf.d/*.conf;\n}\n',
      '/d/nginx/conf.d/site.conf': 'server { listen 8080; }\n',
    });
    const includes = index.nginxIncludes();
    assert.deepEqual(includes.relatedFiles('/d/nginx/conf.d/site.conf').sort(), [
      '/d/nginx/conf.d/site.conf',
      '/d/nginx/nginx.conf',
    ]);
    assert.equal(includes.isGuessed('/d/nginx/conf.d/site.conf', '/d/nginx/nginx.conf'), true);
  });

  it('cycles and self-includes end; a file read twice keeps its first place', () => {
    const index = indexOf({
      '/c/nginx/nginx.conf': 'http { include a.conf; include b.conf; include a.conf; include nginx.conf; }\n',
      '/c/nginx/a.conf': 'include b.conf;\nserver { listen 1; }\n',
      '/c/nginx/b.conf': 'include a.conf;\nserver { listen 2; }\n',
    });
    const [instance] = index.nginxIncludes().instancesOf('/c/nginx/b.conf');
    assert.deepEqual(instance?.files, ['/c/nginx/nginx.conf', '/c/nginx/a.conf', '/c/nginx/b.conf']);
  });

  it('URI ids (the editor) resolve like paths', () => {
    const index = indexOf({
      'file:///w/nginx/nginx.conf': 'http { include conf.d/*.conf; }\n',
      'file:///w/nginx/conf.d/x.conf': 'server { listen 8080; }\n',
    });
    assert.deepEqual(index.nginxIncludes().relatedFiles('file:///w/nginx/conf.d/x.conf').sort(), [
      'file:///w/nginx/conf.d/x.conf',
      'file:///w/nginx/nginx.conf',
    ]);
  });
});

const UPSTREAMS = {
  '/u/nginx/nginx.conf': 'events {}\nhttp {\n  include conf.d/*.conf;\n}\n',
  '/u/nginx/conf.d/00-upstreams.conf': 'upstream backend {\n  server 127.0.0.1:8000;\n}\n',
  '/u/nginx/conf.d/site.conf':
    'server {\n  listen 80 default_server;\n  location / {\n    proxy_pass http://backend;\n  }\n}\n',
  '/u/app/server.js': 'app.listen(8000);\n',
};

describe('nginx upstreams across included files', () => {
  it('proxy_pass http://backend in one file links to upstream backend in another, for references and rename', () => {
    const index = indexOf(UPSTREAMS);
    const site = UPSTREAMS['/u/nginx/conf.d/site.conf'];
    const map = index.endpoints();
    const link = map.endpointOf('/u/nginx/conf.d/site.conf', offsetOf(site, 'http://backend', 'backend'));
    assert.ok(link);
    assert.equal(link.endpoint.label, 'localhost:8000/tcp');
    assert.equal(link.inferred, false);
    assert.equal(link.mention.upstream, 'backend');
    assert.deepEqual(
      map
        .references(link.endpoint)
        .map((l) => `${l.file} ${l.part}`)
        .sort(),
      [
        '/u/app/server.js serves',
        '/u/nginx/conf.d/00-upstreams.conf connects',
        '/u/nginx/conf.d/site.conf connects',
      ],
    );
    const edits = renameEdits(map, link.endpoint, 8001, (f) => UPSTREAMS[f as keyof typeof UPSTREAMS]);
    assert.deepEqual(edits.map((e) => e.file).sort(), [
      '/u/app/server.js',
      '/u/nginx/conf.d/00-upstreams.conf',
    ]);
    const servers = index.nginxIncludes().upstreamServersOf(link.file, link.mention);
    const upstreams = UPSTREAMS['/u/nginx/conf.d/00-upstreams.conf'];
    assert.deepEqual(servers, [
      {
        file: '/u/nginx/conf.d/00-upstreams.conf',
        range: { start: offsetOf(upstreams, '8000'), end: offsetOf(upstreams, '8000') + 4 },
      },
    ]);
  });

  it('nginx-proxy-pass-unserved follows the pass into the other file; quiet once the app serves the port', () => {
    const moved = { ...UPSTREAMS, '/u/app/server.js': 'app.listen(8001);\n' };
    const index = indexOf(moved);
    const [finding, ...rest] = findingsIn(index, '/u/nginx/conf.d/site.conf', 'nginx-proxy-pass-unserved');
    assert.deepEqual(rest, []);
    assert.match(finding.message, /^nginx passes requests to upstream backend \(127\.0\.0\.1:8000\)/);
    const site = moved['/u/nginx/conf.d/site.conf'];
    assert.equal(site.slice(finding.range.start, finding.range.end), 'backend');
    assert.deepEqual(
      findingsIn(indexOf(UPSTREAMS), '/u/nginx/conf.d/site.conf', 'nginx-proxy-pass-unserved'),
      [],
    );
  });

  it('without an nginx.conf, conf.d neighbours link as a guess and raise no warning', () => {
    const files = {
      '/g/conf.d/upstreams.conf': 'upstream backend { server 127.0.0.1:8000; }\n',
      '/g/conf.d/site.conf': 'server { listen 80; location / { proxy_pass http://backend; } }\n',
      '/g/app.js': 'app.listen(8001);\n',
    };
    const index = indexOf(files);
    const link = index
      .endpoints()
      .endpointOf('/g/conf.d/site.conf', offsetOf(files['/g/conf.d/site.conf'], 'backend'));
    assert.equal(link?.endpoint.label, 'localhost:8000/tcp');
    assert.equal(link?.inferred, true);
    assert.deepEqual(findingsIn(index, '/g/conf.d/site.conf', 'nginx-proxy-pass-unserved'), []);
  });

  it('two upstreams of one name, or a stream upstream for an http pass, link nothing', () => {
    const files = {
      '/t/nginx/nginx.conf': 'http { include conf.d/*.conf; }\nstream { include stream.d/*.conf; }\n',
      '/t/nginx/conf.d/a.conf': 'upstream twice { server 127.0.0.1:1; }\n',
      '/t/nginx/conf.d/b.conf':
        'upstream twice {\n  server 127.0.0.1:2;\n}\nserver {\n  listen 80;\n  location / { proxy_pass http://twice; }\n  location /d { proxy_pass http://dns; }\n}\n',
      '/t/nginx/stream.d/dns.conf': 'upstream dns {\n  server 10.0.0.53:53;\n}\n',
    };
    const index = indexOf(files);
    assert.equal(index.nginxIncludes().instancesOf('/t/nginx/stream.d/dns.conf').length, 1);
    assert.deepEqual(index.nginxIncludes().passesThrough('/t/nginx/conf.d/b.conf'), []);
  });
});

describe('nginx-implicit-default-server across included files', () => {
  const files = {
    '/s/nginx.conf': 'events {}\nhttp {\n  include conf.d/*.conf;\n}\n',
    '/s/conf.d/a.conf': 'server {\n  listen 80;\n  server_name a.example;\n}\n',
    '/s/conf.d/b.conf': 'server {\n  listen 80;\n  server_name b.example;\n}\n',
  };

  it('two server blocks in two included files on one socket: reported on the first read, with the other related', () => {
    const index = indexOf(files);
    const [finding, ...rest] = findingsIn(index, '/s/conf.d/a.conf', 'nginx-implicit-default-server');
    assert.deepEqual(rest, []);
    assert.match(finding.message, /^2 server blocks listen on 0\.0\.0\.0:80 .*server_name a\.example/);
    assert.deepEqual(
      finding.related.map((r) => r.file),
      ['/s/conf.d/b.conf'],
    );
    assert.deepEqual(findingsIn(index, '/s/conf.d/b.conf', 'nginx-implicit-default-server'), []);
  });

  it('a server block with no listen counts as *:80 when its file is read inside http', () => {
    const index = indexOf({ ...files, '/s/conf.d/b.conf': 'server {\n  server_name b.example;\n}\n' });
    assert.equal(findingsIn(index, '/s/conf.d/a.conf', 'nginx-implicit-default-server').length, 1);
  });

  it('quiet once one block says default_server, in either file', () => {
    const settled = {
      ...files,
      '/s/conf.d/b.conf': files['/s/conf.d/b.conf'].replace('80;', '80 default_server;'),
    };
    assert.deepEqual(findingsIn(indexOf(settled), '/s/conf.d/a.conf', 'nginx-implicit-default-server'), []);
  });

  it('quiet when the files are read through a guessed path or inside stream', () => {
    const guessed = { ...files, '/s/nginx.conf': 'http { include /etc/nginx/conf.d/*.conf; }\n' };
    assert.deepEqual(findingsIn(indexOf(guessed), '/s/conf.d/a.conf', 'nginx-implicit-default-server'), []);
    const stream = { ...files, '/s/nginx.conf': 'stream { include conf.d/*.conf; }\n' };
    assert.deepEqual(findingsIn(indexOf(stream), '/s/conf.d/a.conf', 'nginx-implicit-default-server'), []);
  });

  it('an edit to an included file names its includer and neighbours as dependents', () => {
    const spread = {
      '/x/etc/nginx.conf': 'http {\n  include ../sites/*.conf;\n}\n',
      '/x/sites/one.conf': 'server {\n  listen 80;\n}\n',
      '/x/etc/other/nginx/far.conf': 'http {\n  include ../../../sites/*.conf;\n}\n',
    };
    const index = indexOf(spread);
    assert.ok(dependentFiles('/x/sites/one.conf', index).includes('/x/etc/other/nginx/far.conf'));
    assert.ok(dependentFiles('/x/sites/one.conf', index).includes('/x/etc/nginx.conf'));
  });
});

describe('nginx configs mounted by Compose', () => {
  it('reads bind mounts at nginx paths, short and long; named volumes, variables and other paths are left out', () => {
    const mounts = findComposeNginxMounts(
      [
        'services:',
        '  proxy:',
        '    image: nginx:1.27',
        '    volumes:',
        '      - ./nginx/default.conf:/etc/nginx/conf.d/default.conf:ro',
        '      - type: bind',
        '        source: ./nginx/snippets',
        '        target: /etc/nginx/snippets/',
        '      - certs:/etc/nginx/certs',
        '      - ${CONF}:/etc/nginx/conf.d',
        '      - ./html:/usr/share/web',
        '  edge:',
        '    image: openresty/openresty',
        '    volumes: ["conf/nginx.conf:/usr/local/openresty/nginx/conf/nginx.conf"]',
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      mounts.map((m) => `${m.service} ${m.source} ${m.target}`),
      [
        'proxy ./nginx/default.conf /etc/nginx/conf.d/default.conf',
        'proxy ./nginx/snippets /etc/nginx/snippets',
        'edge conf/nginx.conf /usr/local/openresty/nginx/conf/nginx.conf',
      ],
    );
  });

  const PROJECT = {
    '/m/compose.yaml': [
      'services:',
      '  proxy:',
      '    image: nginx:1.27',
      '    ports:',
      '      - "8080:80"',
      '    volumes:',
      '      - ./proxy/default.conf:/etc/nginx/conf.d/default.conf:ro',
      '  admin:',
      '    image: nginx:1.27',
      '    ports:',
      '      - "8081:80"',
      '  api:',
      '    build: ./api',
      '    expose: ["8000"]',
      '',
    ].join('\n'),
    '/m/proxy/default.conf':
      'server {\n  listen 80;\n  location / {\n    proxy_pass http://api:8000;\n  }\n}\n',
  };

  it("the mount names the service: the config's listen 80 is that service's container port, not a guess", () => {
    const map = indexOf(PROJECT).endpoints();
    const conf = PROJECT['/m/proxy/default.conf'];
    const listen = map.endpointOf('/m/proxy/default.conf', offsetOf(conf, 'listen 80', '80'));
    assert.equal(listen?.endpoint.label, 'proxy:80/tcp');
    assert.equal(listen?.inferred, false);
    assert.deepEqual(
      map.references(listen.endpoint).map((l) => `${l.file} ${l.part}`),
      ['/m/compose.yaml serves', '/m/proxy/default.conf serves'],
    );
    const publish = map.endpointOf(
      '/m/compose.yaml',
      offsetOf(PROJECT['/m/compose.yaml'], '"8080:80"', '8080'),
    );
    assert.deepEqual(
      map.forwardsTo(publish!.endpoint).map((e) => e.label),
      ['proxy:80/tcp'],
    );
    const pass = map.endpointOf('/m/proxy/default.conf', offsetOf(conf, 'api:8000', '8000'));
    assert.equal(pass?.endpoint.label, 'api:8000/tcp');
  });

  it('a proxy_pass to a port the mounted service does not serve is drift from that service', () => {
    const drifted = {
      ...PROJECT,
      '/m/proxy/default.conf': PROJECT['/m/proxy/default.conf'].replace('api:8000', 'api:8001'),
    };
    const findings = findingsIn(indexOf(drifted), '/m/proxy/default.conf', 'compose-service-port-unserved');
    assert.equal(findings.length, 1);
  });

  it("a config mounted from outside its project reaches the mounting project's services", () => {
    const files = {
      '/p/shared/nginx/site.conf':
        'server {\n  listen 80;\n  location / { proxy_pass http://api:8000; }\n}\n',
      '/p/one/compose.yaml':
        'services:\n  web:\n    image: nginx\n    volumes:\n      - ../shared/nginx/site.conf:/etc/nginx/conf.d/site.conf\n  api:\n    image: api\n    expose: ["8000"]\n',
      '/p/a-other/compose.yaml': 'services:\n  api:\n    image: api\n    expose: ["8000"]\n',
    };
    const map = indexOf(files).endpoints();
    const text = files['/p/shared/nginx/site.conf'];
    const pass = map.endpointOf('/p/shared/nginx/site.conf', offsetOf(text, 'api:8000', '8000'));
    assert.deepEqual(pass?.endpoint.scope, { type: 'compose', project: '/p/one/', service: 'api' });
    assert.equal(pass?.inferred, false);
    const listen = map.endpointOf('/p/shared/nginx/site.conf', offsetOf(text, 'listen 80', '80'));
    assert.equal(listen?.endpoint.label, 'web:80/tcp');
  });

  it('absolute and relative includes resolve through the mounts of the service that runs the main file', () => {
    const files = {
      '/k/compose.yaml': [
        'services:',
        '  web:',
        '    image: nginx',
        '    volumes:',
        '      - ./conf/nginx.conf:/etc/nginx/nginx.conf:ro',
        '      - ./sites:/etc/nginx/conf.d:ro',
        '      - ./more:/etc/nginx/more:ro',
        '',
      ].join('\n'),
      '/k/conf/nginx.conf':
        'events {}\nhttp {\n  include /etc/nginx/conf.d/*.conf;\n  include more/*.conf;\n}\n',
      '/k/sites/b.conf': 'server {\n  listen 80;\n  server_name b;\n}\n',
      '/k/sites/a.conf': 'server {\n  listen 80;\n  server_name a;\n}\n',
      '/k/more/c.conf': 'server {\n  listen 81;\n  server_name c;\n}\n',
      '/k/conf/conf.d/decoy.conf': 'server {\n  listen 82;\n}\n',
    };
    const index = indexOf(files);
    const [instance] = index.nginxIncludes().instancesOf('/k/conf/nginx.conf');
    assert.deepEqual(instance?.files, [
      '/k/conf/nginx.conf',
      '/k/sites/a.conf',
      '/k/sites/b.conf',
      '/k/more/c.conf',
    ]);
    assert.equal(index.nginxIncludes().isGuessed('/k/sites/a.conf', '/k/conf/nginx.conf'), false);
    assert.deepEqual(index.nginxIncludes().serviceOf('/k/sites/a.conf'), { project: '/k/', service: 'web' });
    assert.equal(findingsIn(index, '/k/sites/a.conf', 'nginx-implicit-default-server').length, 1);
  });

  it("files mounted into one conf.d of a service find each other's upstreams, as a guess", () => {
    const files = {
      '/v/compose.yaml':
        'services:\n  web:\n    image: nginx\n    volumes:\n      - ./nginx/up.conf:/etc/nginx/conf.d/up.conf\n      - ./nginx/site.conf:/etc/nginx/conf.d/site.conf\n',
      '/v/nginx/up.conf': 'upstream backend {\n  server 127.0.0.1:9000;\n}\n',
      '/v/nginx/site.conf': 'server {\n  listen 80;\n  location / { proxy_pass http://backend; }\n}\n',
    };
    const link = indexOf(files)
      .endpoints()
      .endpointOf('/v/nginx/site.conf', offsetOf(files['/v/nginx/site.conf'], 'backend'));
    assert.equal(link?.mention.port, 9000);
    assert.equal(link?.inferred, true);
  });
});
