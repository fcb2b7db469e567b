import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findNginxPorts, isNginxFileName } from '../../scan/nginx';
import { mutations } from './scanMutations';
import { at, written } from './scanTestKit';

const SAMPLES = path.resolve(__dirname, '../../../src/test/fixtures/samples/awesome-compose');
const FIXTURES = path.resolve(__dirname, '../../../src/test/fixtures/scan-structured');

describe('findNginxPorts: listen', () => {
  const text = [
    '# listen 9999;',
    'user nginx;',
    'worker_processes auto;',
    'events { worker_connections 1024; }',
    'http {',
    '  client_max_body_size 100m;',
    '  keepalive_timeout 65;',
    '  server {',
    '    listen 80 default_server;',
    '    listen [::]:80 default_server ipv6only=on;',
    '    return 301 https://$host$request_uri;',
    '    server_name example.com www.example.com;',
    '  }',
    '  server {',
    '    listen 443 ssl http2;',
    '    listen 443 quic reuseport;',
    '    listen 127.0.0.1:8080;',
    '    listen *:8081;',
    '    listen localhost:8082 default;',
    '    listen unix:/var/run/nginx.sock;',
    '    listen 10.0.0.1;',
    '    listen "8443" ssl;',
    '    listen [::1]:8444 ipv6only=off;',
    '    server_name "api.example.com" # trailing comment 7777',
    '      api2.example.com;',
    '  }',
    '}',
    '',
  ].join('\n');
  const mentions = findNginxPorts(text);
  const listens = mentions.filter((m) => m.role === 'listen');

  it('finds every listen, with its port or the address that implies 80, and nothing in comments or other directives', () => {
    assert.deepEqual(
      listens.map((m) => written(text, m)),
      ['80', '80', '443', '443', '8080', '8081', '8082', '10.0.0.1', '8443', '8444'],
    );
    for (const notAPort of [9999, 1024, 100, 65, 301, 7777]) {
      assert.ok(!mentions.some((m) => m.port === notAPort), `${notAPort} is not a port`);
    }
    assert.ok(mentions.every((m) => m.kind === 'nginx'));
  });

  it('a plain port: no host, tcp, default_server, and server_name written after listen', () => {
    const m = at(mentions, text, '80 default_server');
    assert.equal(m.port, 80);
    assert.equal(m.host, undefined);
    assert.equal(m.protocol, 'tcp');
    assert.equal(m.nginx?.defaultServer, true);
    assert.deepEqual(m.nginx?.serverNames, ['example.com', 'www.example.com']);
    assert.equal(m.nginx?.ssl, false);
    assert.equal(m.nginx?.serverBlock, text.indexOf('server {'));
  });

  it('[::]:80 with ipv6only', () => {
    const m = at(mentions, text, '[::]:80', 5);
    assert.equal(m.host, '::');
    assert.equal(m.nginx?.ipv6only, true);
    assert.equal(m.nginx?.defaultServer, true);
    assert.equal(at(mentions, text, '[::1]:8444', 6).nginx?.ipv6only, false);
  });

  it('ssl, quic (udp) and the second server block', () => {
    const ssl = at(mentions, text, '443 ssl');
    assert.equal(ssl.nginx?.ssl, true);
    assert.equal(ssl.protocol, 'tcp');
    const quic = at(mentions, text, '443 quic');
    assert.equal(quic.protocol, 'udp');
    assert.equal(quic.nginx?.ssl, false);
    assert.deepEqual(quic.nginx?.serverNames, ['api.example.com', 'api2.example.com']);
    assert.notEqual(quic.nginx?.serverBlock, at(mentions, text, '80 default_server').nginx?.serverBlock);
    assert.equal(quic.nginx?.defaultServer, false);
  });

  it('addresses: 127.0.0.1, * (all), localhost, and the legacy `default` flag', () => {
    assert.equal(at(mentions, text, '127.0.0.1:8080', 10).host, '127.0.0.1');
    assert.equal(at(mentions, text, '*:8081', 2).host, undefined);
    const local = at(mentions, text, 'localhost:8082', 10);
    assert.equal(local.host, 'localhost');
    assert.equal(local.nginx?.defaultServer, true);
  });

  it('listen with an address and no port is port 80, over the address', () => {
    const t = [
      'server { listen 127.0.0.1; server_name a; }',
      'server { listen [::1] default_server; server_name b; }',
      'server { listen localhost; server_name c; }',
      'server { listen *; server_name d; }',
      'server { listen ${NGINX_HOST}; listen example.com; listen unix:/tmp/s; server_name e; }',
      '',
    ].join('\n');
    const got = findNginxPorts(t).map((m) => [
      written(t, m),
      m.port,
      m.host,
      m.implied,
      m.nginx?.defaultServer,
    ]);
    assert.deepEqual(got, [
      ['127.0.0.1', 80, '127.0.0.1', 'address', false],
      ['[::1]', 80, '::1', 'address', true],
      ['localhost', 80, 'localhost', 'address', false],
      ['*', 80, undefined, 'address', false],
    ]);
  });

  it('a server block without listen is served on 80, anchored on `server`; not in stream/mail, not with an include', () => {
    const t = [
      'http {',
      '  server { server_name a.example; location / { root /srv; } }',
      '  server { server_name b.example; include snippets/listen.conf; }',
      '  server { listen 8080; }',
      '}',
      'stream { server { proxy_pass db:5432; } }',
      'mail { server { server_name mail; protocol smtp; } }',
      '',
    ].join('\n');
    const listens = findNginxPorts(t).filter((m) => m.role === 'listen');
    assert.deepEqual(
      listens.map((m) => [written(t, m), m.port, m.implied, m.protocol, m.nginx?.serverNames]),
      [
        ['server', 80, 'server', 'tcp', ['a.example']],
        ['8080', 8080, undefined, 'tcp', []],
      ],
    );
    assert.equal(listens[0].range.start, t.indexOf('server { server_name a'));
    assert.equal(listens[0].nginx?.serverBlock, listens[0].range.start);
  });

  it('a quoted port points inside the quotes', () => {
    const m = at(mentions, text, '"8443"', 1);
    assert.equal(written(text, m), '8443');
    assert.equal(m.nginx?.ssl, true);
  });
});

describe('findNginxPorts: upstreams and passes', () => {
  const text = [
    'http {',
    '  upstream backend {',
    '    server app1:8000 weight=5;',
    '    server 10.0.0.2:8001 max_fails=3;',
    '    server unix:/tmp/app.sock;',
    '    server backup.example.com;',
    '    server [::1]:8002 backup;',
    '    keepalive 32;',
    '  }',
    '  server {',
    '    listen 80;',
    '    location / { proxy_pass http://backend; }',
    '    location /api { proxy_pass http://api:8003/v1/; }',
    '    location ~ \\.php$ { fastcgi_pass 127.0.0.1:9000; }',
    '    location /py { uwsgi_pass uwsgi://py:3031; }',
    '    location /py2 { uwsgi_pass py2:3032; }',
    '    location /grpc { grpc_pass grpc://h:50051; }',
    '    location /v6 { proxy_pass http://[::1]:8765; }',
    '    location /sock { proxy_pass http://unix:/tmp/x.sock:/; }',
    '    location /var { proxy_pass http://$upstream_host:8004$request_uri; }',
    '    location /env { proxy_pass http://$FLASK_SERVER_ADDR; }',
    '    location /scgi { scgi_pass localhost:4000; }',
    '    resolver 127.0.0.11:53 8.8.8.8 valid=30s;',
    '  }',
    '}',
    'stream {',
    '  upstream dns { server 10.0.0.53:53; }',
    '  server { listen 53 udp; proxy_pass dns; }',
    '  server { listen 12345; proxy_pass 127.0.0.1:12346; }',
    '}',
    '',
  ].join('\n');
  const mentions = findNginxPorts(text);

  it('upstream servers with a port are connects; unix sockets and bare hosts are not', () => {
    const app = at(mentions, text, 'app1:8000', 5);
    assert.equal(app.role, 'connect');
    assert.equal(app.host, 'app1');
    assert.equal(app.protocol, 'tcp');
    assert.equal(at(mentions, text, '10.0.0.2:8001', 9).host, '10.0.0.2');
    assert.equal(at(mentions, text, '[::1]:8002', 6).host, '::1');
    assert.ok(!mentions.some((m) => m.port === 32 || m.port === 5 || m.port === 3));
  });

  it('proxy_pass to an upstream name connects to its servers with a port; with a port and path it does', () => {
    const api = at(mentions, text, 'api:8003', 4);
    assert.equal(api.role, 'connect');
    assert.equal(api.scheme, 'http');
    assert.equal(api.host, 'api');
    assert.equal(written(text, api), '8003');
    const line = text.indexOf('proxy_pass http://backend;');
    const through = mentions.filter((m) => m.range.start > line && m.range.start < line + 30);
    assert.deepEqual(
      through.map((m) => [written(text, m), m.upstream, `${m.host}:${m.port}`, m.role, m.scheme]),
      [
        ['backend', 'backend', 'app1:8000', 'connect', 'http'],
        ['backend', 'backend', '10.0.0.2:8001', 'connect', 'http'],
        ['backend', 'backend', '::1:8002', 'connect', 'http'],
      ],
    );
    // stream: `proxy_pass dns;` reaches `upstream dns`, with no protocol of its own.
    const dns = at(mentions, text, 'proxy_pass dns', 11);
    assert.deepEqual([dns.port, dns.host, dns.upstream, dns.protocol], [53, '10.0.0.53', 'dns', undefined]);
  });

  it('a name with no upstream block, or an upstream with no port, gives nothing', () => {
    const t =
      'upstream u { server app; }\nserver { listen 80; location / { proxy_pass http://u; } location /x { proxy_pass http://other; } }';
    assert.deepEqual(
      findNginxPorts(t).map((m) => m.port),
      [80],
    );
  });

  it('fastcgi, uwsgi (with and without scheme), grpc, scgi, IPv6', () => {
    assert.equal(at(mentions, text, '127.0.0.1:9000', 10).port, 9000);
    assert.equal(at(mentions, text, 'py:3031', 3).scheme, 'uwsgi');
    assert.equal(at(mentions, text, 'py2:3032', 4).host, 'py2');
    const grpc = at(mentions, text, 'h:50051', 2);
    assert.equal(grpc.scheme, 'grpc');
    assert.equal(grpc.port, 50051);
    assert.equal(at(mentions, text, '[::1]:8765', 6).host, '::1');
    assert.equal(at(mentions, text, 'localhost:4000', 10).port, 4000);
  });

  it('a variable scheme still leaves the port readable', () => {
    const conf = 'location / { proxy_pass $scheme://web:8085; grpc_pass ${proto}://g:50052; }';
    const found = findNginxPorts(conf);
    assert.deepEqual(
      found.map((m) => `${written(conf, m)} ${m.host} ${m.scheme ?? '-'}`),
      ['8085 web -', '50052 g -'],
    );
  });

  it('a port followed by a variable counts; a variable address and a unix socket do not', () => {
    const m = at(mentions, text, '8004$', 0);
    assert.equal(m.host, '$upstream_host');
    assert.ok(!mentions.some((x) => x.host?.startsWith('unix')));
  });

  it('resolver addresses are udp connects; options are skipped', () => {
    const m = at(mentions, text, '127.0.0.11:53', 11);
    assert.equal(m.protocol, 'udp');
    assert.equal(m.role, 'connect');
    assert.ok(!mentions.some((x) => x.port === 30));
  });

  it('stream: listen 53 udp is udp, proxy_pass takes a bare address', () => {
    const dns = at(mentions, text, '53 udp');
    assert.equal(dns.role, 'listen');
    assert.equal(dns.protocol, 'udp');
    assert.ok(dns.nginx, 'stream servers carry their block');
    assert.equal(at(mentions, text, '12345;').protocol, 'tcp');
    const pass = at(mentions, text, '127.0.0.1:12346', 10);
    assert.equal(pass.role, 'connect');
    assert.equal(pass.protocol, undefined);
    assert.equal(at(mentions, text, '10.0.0.53:53', 10).role, 'connect');
  });

  it('is sorted by position', () => {
    const starts = mentions.map((m) => m.range.start);
    assert.deepEqual(
      starts,
      [...starts].sort((a, b) => a - b),
    );
  });
});

describe('findNginxPorts: robustness', () => {
  it('CRLF keeps offsets exact', () => {
    const text =
      'server {\r\n  listen 8080;\r\n  server_name a;\r\n  location / {\r\n    proxy_pass http://b:9000;\r\n  }\r\n}\r\n';
    const mentions = findNginxPorts(text);
    assert.deepEqual(
      mentions.map((m) => written(text, m)),
      ['8080', '9000'],
    );
    assert.deepEqual(mentions[0].nginx?.serverNames, ['a']);
  });

  it('unbalanced braces: what is there is still read', () => {
    const open = 'http {\n  server {\n    listen 8080;\n    server_name x;\n';
    const m = findNginxPorts(open);
    assert.equal(m.length, 1);
    assert.deepEqual(m[0].nginx?.serverNames, ['x']);
    const extraClose = '}\n}\nserver { listen 81; }\n';
    assert.deepEqual(
      findNginxPorts(extraClose).map((x) => x.port),
      [81],
    );
  });

  it('quotes and comments: braces and semicolons inside them change nothing', () => {
    const text = [
      'server {',
      '  add_header X-Note "a { b ; listen 1234; }";',
      "  set $x '}';",
      '  # } listen 4321;',
      '  listen 8080;',
      '  server_name q;',
      '}',
    ].join('\n');
    const m = findNginxPorts(text);
    assert.deepEqual(
      m.map((x) => x.port),
      [8080],
    );
    assert.deepEqual(m[0].nginx?.serverNames, ['q']);
  });

  it('envsubst templates: ${VAR} is not a block and not a port', () => {
    const text =
      'server {\n  listen ${NGINX_PORT} default_server;\n  listen 8080;\n  server_name ${HOST};\n}\n';
    const m = findNginxPorts(text);
    assert.deepEqual(
      m.map((x) => written(text, x)),
      ['8080'],
    );
    assert.deepEqual(m[0].nginx?.serverNames, ['${HOST}']);
  });

  it('lines inside map, geo and types tables are not directives', () => {
    const text = [
      'http {',
      '  map $host $backend { default 10.0.0.1:8080; listen 9999; }',
      '  geo $addr $zone { 10.0.0.0/8 8081; }',
      '  types { text/html html; }',
      '  upstream u { server a:8082; }',
      '  server { listen 80; }',
      '}',
    ].join('\n');
    assert.deepEqual(
      findNginxPorts(text).map((m) => `${m.role} ${m.port}`),
      ['connect 8082', 'listen 80'],
    );
  });

  it('invalid and out-of-range ports are reported for the rules', () => {
    const text = 'server { listen 99999; listen -1; listen 0; }';
    assert.deepEqual(
      findNginxPorts(text).map((x) => x.port),
      [99999, -1, 0],
    );
  });

  it('a server without server_name has no names; not a default server', () => {
    const m = findNginxPorts('server { listen 80; }')[0];
    assert.deepEqual(m.nginx, { serverBlock: 0, serverNames: [], defaultServer: false, ssl: false });
  });

  it('legacy `ssl on;` marks the block ssl', () => {
    assert.equal(findNginxPorts('server { ssl on; listen 443; }')[0].nginx?.ssl, true);
  });

  it('reads junk without throwing, and only the ports it really holds', () => {
    for (const input of [
      '',
      '{',
      '}',
      ';;;',
      '"unterminated',
      'listen',
      'listen ;',
      '\\',
      '${',
      'server { listen [::1 ; }',
    ]) {
      assert.deepEqual(findNginxPorts(input), [], JSON.stringify(input));
    }
    assert.deepEqual(
      findNginxPorts("listen '80").map((m) => [m.port, m.role]),
      [[80, 'listen']],
    );
    assert.deepEqual(findNginxPorts('listen [::1 ;'), []);
  });

  it('a written fixture with two sites on 443 and a mail block', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'nginx-sites.conf'), 'utf8');
    const listens = findNginxPorts(text).filter((m) => m.role === 'listen');
    const summary = listens.map(
      (m) =>
        `${m.host === undefined ? '*' : `[${m.host}]`}:${m.port}/${m.protocol} ${m.nginx?.serverNames.join(',')}${m.nginx?.defaultServer ? ' default' : ''}`,
    );
    assert.deepEqual(summary, [
      '*:80/tcp _ default',
      '[::]:80/tcp _ default',
      '*:443/tcp a.example.com',
      '*:443/tcp b.example.com',
      '*:25/tcp mail.example.com',
    ]);
  });
});

describe('findNginxPorts: awesome-compose samples', () => {
  it('nginx-flask-mongo: listen 80, and proxy_pass through an env variable has no port', () => {
    const text = fs.readFileSync(path.join(SAMPLES, 'nginx-flask-mongo/nginx/nginx.conf'), 'utf8');
    const mentions = findNginxPorts(text);
    assert.equal(mentions.length, 1);
    assert.equal(mentions[0].role, 'listen');
    assert.equal(written(text, mentions[0]), '80');
    assert.deepEqual(mentions[0].nginx?.serverNames, []);
  });

  it('nginx-golang-mysql: listen 80 for localhost and proxy_pass http://backend:8000', () => {
    const text = fs.readFileSync(path.join(SAMPLES, 'nginx-golang-mysql/proxy/nginx.conf'), 'utf8');
    const mentions = findNginxPorts(text);
    assert.equal(mentions.length, 2);
    assert.deepEqual(mentions[0].nginx?.serverNames, ['localhost']);
    const pass = at(mentions, text, 'backend:8000', 8);
    assert.equal(pass.role, 'connect');
    assert.equal(pass.host, 'backend');
    assert.equal(pass.scheme, 'http');
    // proxy_http_version 1.1 is not a port.
    assert.ok(!mentions.some((m) => m.port === 1));
  });

  it('react-nginx: only listen 80; error_page codes and try_files are not ports', () => {
    const text = fs.readFileSync(path.join(SAMPLES, 'react-nginx/.nginx/nginx.conf'), 'utf8');
    const mentions = findNginxPorts(text);
    assert.deepEqual(
      mentions.map((m) => `${m.role} ${written(text, m)}`),
      ['listen 80'],
    );
  });
});

describe('isNginxFileName', () => {
  it('accepts nginx configs where they live', () => {
    for (const name of [
      'nginx.conf',
      'deploy/nginx/nginx.conf',
      'react-nginx/.nginx/nginx.conf',
      'nginx/default.conf',
      '/etc/nginx/conf.d/app.conf',
      'conf.d/site.conf',
      '/etc/nginx/sites-available/default',
      'sites-enabled/example.com',
      'site.nginx',
      'nginx/default.conf.template',
      'nginx/templates/site.template',
      'templates/default.conf.template',
      'C:\\srv\\nginx\\site.conf',
    ]) {
      assert.equal(isNginxFileName(name), true, name);
    }
  });

  it('rejects other .conf files and look-alikes', () => {
    for (const name of [
      'app.conf',
      'supervisor/app.conf',
      'nginx.yaml',
      'sites-enabled/.hidden',
      'templates/email.template',
      'nginxconf.md',
    ]) {
      assert.equal(isNginxFileName(name), false, name);
    }
  });
});

describe('findNginxPorts: mutated configs', () => {
  it('never throws and always points at digits', function () {
    // Hundreds of parses; slow only on a loaded machine.
    this.timeout(30_000);
    const configs = [
      fs.readFileSync(path.join(FIXTURES, 'nginx-sites.conf'), 'utf8'),
      fs.readFileSync(path.join(SAMPLES, 'nginx-golang-mysql/proxy/nginx.conf'), 'utf8'),
    ];
    configs.forEach((config, index) => {
      for (const text of mutations(config, 200, index + 7)) {
        for (const m of findNginxPorts(text)) {
          assert.ok(m.range.start >= 0 && m.range.end <= text.length && m.range.start < m.range.end);
          if (m.implied === 'server') {
            assert.equal(written(text, m), 'server');
          } else if (m.implied === undefined && m.upstream === undefined) {
            assert.match(written(text, m), /^-?\d+(?:-\d+)?$/, JSON.stringify(m));
          }
        }
      }
    });
  });
});
