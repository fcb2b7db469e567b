import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { composeFamily, composeProjectFiles, findComposePorts, isComposeFileName } from '../../scan/compose';
import type { PortMention } from '../../scan/mention';
import { mutations } from './scanMutations';
import { written } from './scanTestKit';

const SAMPLES = path.resolve(__dirname, '../../../src/test/fixtures/samples/awesome-compose');
const FIXTURES = path.resolve(__dirname, '../../../src/test/fixtures/scan-structured');

function readSample(relative: string): string {
  return fs.readFileSync(path.join(SAMPLES, relative), 'utf8');
}

/** The one mention of `role` whose characters start at the n-th occurrence of `needle` + `offset`. */
function at(
  mentions: PortMention[],
  text: string,
  needle: string,
  role: PortMention['role'],
  offset = 0,
): PortMention {
  const start = text.indexOf(needle);
  assert.ok(start >= 0, `fixture has ${needle}`);
  const found = mentions.filter((m) => m.range.start === start + offset && m.role === role);
  assert.equal(
    found.length,
    1,
    `one ${role} at ${JSON.stringify(needle)}+${offset}, got ${JSON.stringify(found)}`,
  );
  return found[0];
}

function summary(text: string, mentions: PortMention[]): string[] {
  return mentions.map(
    (m) =>
      `${m.service ?? '-'} ${m.role} ${written(text, m)}/${m.protocol ?? '-'}${m.host ? ' @' + m.host : ''}`,
  );
}

describe('findComposePorts: short syntax', () => {
  const text = [
    'services:',
    '  web:',
    '    ports:',
    '      - "8080"',
    '      - 8081:80',
    '      - "8082:81"',
    '      - "127.0.0.1:8083:82"',
    '      - "[::1]:8084:83"',
    '      - "::1:8085:84"',
    '      - "3000-3005:3000-3005"',
    '      - "9090-9091:8080-8081"',
    '      - "53:53/udp"',
    '      - "${WEB_PORT:-8086}:85"',
    '      - "127.0.0.1::86"',
    "      - '99999:87'",
    '      - "-1:88"',
    '      - 8089:89/sctp',
    '      - "${ONLY_VAR}:90"',
    '      - 8091:91/TCP',
    '',
  ].join('\n');
  const mentions = findComposePorts(text);

  it('a container port alone is a target with no host side', () => {
    const m = at(mentions, text, '"8080"', 'target', 1);
    assert.equal(m.port, 8080);
    assert.equal(written(text, m), '8080');
    assert.equal(m.counterpart, undefined);
    assert.equal(m.protocol, 'tcp');
    assert.equal(m.service, 'web');
    assert.equal(mentions.filter((x) => x.port === 8080 && x.portEnd === undefined).length, 1);
  });

  it('unquoted host:container is read as a mapping, not a sexagesimal number', () => {
    const pub = at(mentions, text, '8081:80', 'publish');
    assert.equal(pub.port, 8081);
    assert.equal(written(text, pub), '8081');
    assert.deepEqual(pub.counterpart, { port: 80 });
    assert.equal(pub.host, undefined);
    const target = at(mentions, text, '8081:80', 'target', 5);
    assert.equal(target.port, 80);
    assert.equal(written(text, target), '80');
    assert.deepEqual(target.counterpart, { port: 8081 });
  });

  it('quoted mappings point inside the quotes', () => {
    const pub = at(mentions, text, '"8082:81"', 'publish', 1);
    assert.equal(written(text, pub), '8082');
    assert.equal(at(mentions, text, '"8082:81"', 'target', 6).port, 81);
  });

  it('reads the host address of IPv4, bracketed and bare IPv6 bindings', () => {
    const v4 = at(mentions, text, '8083:82', 'publish');
    assert.equal(v4.host, '127.0.0.1');
    assert.equal(v4.port, 8083);
    const bracketed = at(mentions, text, '8084:83', 'publish');
    assert.equal(bracketed.host, '::1');
    const bare = at(mentions, text, '8085:84', 'publish');
    assert.equal(bare.host, '::1');
    assert.equal(at(mentions, text, '8085:84', 'target', 5).port, 84);
    // The container side never carries the host address.
    assert.equal(at(mentions, text, '8083:82', 'target', 5).host, undefined);
  });

  it('ranges cover the whole written range on both sides', () => {
    const pub = at(mentions, text, '3000-3005:', 'publish');
    assert.equal(written(text, pub), '3000-3005');
    assert.equal(pub.port, 3000);
    assert.equal(pub.portEnd, 3005);
    assert.deepEqual(pub.counterpart, { port: 3000, portEnd: 3005 });
    const target = at(mentions, text, '9090-9091:8080-8081', 'target', 10);
    assert.equal(written(text, target), '8080-8081');
    assert.deepEqual(target.counterpart, { port: 9090, portEnd: 9091 });
  });

  it('takes the protocol from /udp, /sctp and upper-case /TCP', () => {
    assert.equal(at(mentions, text, '53:53/udp', 'publish').protocol, 'udp');
    assert.equal(at(mentions, text, '53:53/udp', 'target', 3).protocol, 'udp');
    assert.equal(at(mentions, text, '8089:89/sctp', 'publish').protocol, 'sctp');
    assert.equal(at(mentions, text, '8091:91/TCP', 'publish').protocol, 'tcp');
  });

  it('an interpolated host port reports its default with the variable', () => {
    const m = at(mentions, text, '8086}', 'publish');
    assert.equal(m.port, 8086);
    assert.equal(m.variable, 'WEB_PORT');
    assert.equal(m.isDefault, true);
    assert.equal(written(text, m), '8086');
    assert.deepEqual(m.counterpart, { port: 85 });
    const target = at(mentions, text, '85"', 'target');
    assert.deepEqual(target.counterpart, { port: 8086 });
    assert.equal(target.variable, undefined);
  });

  it('a variable without default gives only the container side', () => {
    const target = at(mentions, text, '90"', 'target');
    assert.equal(target.counterpart, undefined);
    assert.equal(mentions.filter((m) => written(text, m).includes('ONLY_VAR')).length, 0);
  });

  it('an empty host port (random) keeps the container side only', () => {
    const target = at(mentions, text, '86"', 'target');
    assert.equal(target.port, 86);
    assert.equal(target.counterpart, undefined);
    assert.equal(mentions.filter((m) => m.host === '127.0.0.1' && m.role === 'publish').length, 1);
  });

  it('invalid numbers still come out so rules can report them', () => {
    assert.equal(at(mentions, text, '99999', 'publish').port, 99999);
    const negative = at(mentions, text, '-1:88', 'publish');
    assert.equal(negative.port, -1);
    assert.equal(written(text, negative), '-1');
  });

  it('is sorted by position and every mention belongs to the service', () => {
    const starts = mentions.map((m) => m.range.start);
    assert.deepEqual(
      starts,
      [...starts].sort((a, b) => a - b),
    );
    assert.ok(mentions.every((m) => m.service === 'web' && m.kind === 'compose'));
  });
});

describe('findComposePorts: long syntax, expose, flow sequences', () => {
  const text = [
    'services:',
    '  api:',
    '    ports:',
    '      - target: 80',
    '        published: 8080',
    '        host_ip: 127.0.0.1',
    '        protocol: udp',
    '        mode: host',
    '      - target: 443',
    '        published: "8443"',
    '      - target: 9000',
    '        published: 9000-9001',
    '      - target: 5000',
    '      - published: "${API_PORT:-7000}"',
    '        target: 7001',
    '    expose:',
    '      - 3000',
    '      - "4000-4005"',
    '      - "5000/udp"',
    '  flow:',
    '    ports: [6000:60, "6001:61", 6002]',
    '    expose: [ "7100" ]',
    '',
  ].join('\n');
  const mentions = findComposePorts(text);

  it('reads target, published, host_ip and protocol', () => {
    const pub = at(mentions, text, '8080', 'publish');
    assert.equal(pub.host, '127.0.0.1');
    assert.equal(pub.protocol, 'udp');
    assert.deepEqual(pub.counterpart, { port: 80 });
    const target = at(mentions, text, '80\n', 'target');
    assert.equal(target.port, 80);
    assert.deepEqual(target.counterpart, { port: 8080 });
    assert.equal(target.protocol, 'udp');
  });

  it('published as a quoted string, a range and an interpolation', () => {
    assert.equal(written(text, at(mentions, text, '"8443"', 'publish', 1)), '8443');
    const range = at(mentions, text, '9000-9001', 'publish');
    assert.equal(range.portEnd, 9001);
    const interpolated = at(mentions, text, '7000}', 'publish');
    assert.equal(interpolated.variable, 'API_PORT');
    assert.equal(interpolated.isDefault, true);
    assert.deepEqual(interpolated.counterpart, { port: 7001 });
  });

  it('a target without published is only a target', () => {
    const target = at(mentions, text, '5000\n', 'target');
    assert.equal(target.counterpart, undefined);
  });

  it('expose entries, with ranges and protocols', () => {
    assert.equal(at(mentions, text, '3000', 'expose').port, 3000);
    const range = at(mentions, text, '4000-4005', 'expose');
    assert.equal(range.portEnd, 4005);
    assert.equal(written(text, range), '4000-4005');
    const udp = at(mentions, text, '5000/udp', 'expose');
    assert.equal(udp.protocol, 'udp');
    assert.equal(written(text, udp), '5000');
  });

  it('flow sequences, quoted or not', () => {
    assert.equal(at(mentions, text, '6000:60', 'publish').service, 'flow');
    assert.equal(at(mentions, text, '6001:61', 'publish').port, 6001);
    assert.equal(at(mentions, text, '6002', 'target').port, 6002);
    assert.equal(at(mentions, text, '7100', 'expose').service, 'flow');
  });
});

describe('findComposePorts: anchors, merges, documents, host network', () => {
  it('follows merge keys and aliases, once per service using them', () => {
    const text = [
      'x-web: &web',
      '  ports:',
      '    - "7000:7000"',
      'x-list: &list',
      '  - "7100:7100"',
      'services:',
      '  a:',
      '    <<: *web',
      '  b:',
      '    <<: *web',
      '    ports: ["7001:7001"]',
      '  c:',
      '    ports: *list',
      '',
    ].join('\n');
    const mentions = findComposePorts(text);
    const shared = mentions.filter((m) => m.port === 7000 && m.role === 'publish');
    assert.deepEqual(
      shared.map((m) => m.service),
      ['a'],
    );
    assert.equal(written(text, shared[0]), '7000');
    // b's own `ports` wins over the merged one.
    assert.deepEqual(
      mentions.filter((m) => m.service === 'b').map((m) => m.port),
      [7001, 7001],
    );
    const viaAlias = mentions.find((m) => m.service === 'c' && m.role === 'publish');
    assert.ok(viaAlias);
    assert.equal(viaAlias.port, 7100);
    assert.equal(written(text, viaAlias), '7100');
  });

  it('two services merging the same anchor both claim its port', () => {
    const text = 'x-p: &p\n  ports: ["9000:9000"]\nservices:\n  one:\n    <<: *p\n  two:\n    <<: *p\n';
    const publishes = findComposePorts(text).filter((m) => m.role === 'publish');
    assert.deepEqual(publishes.map((m) => m.service).sort(), ['one', 'two']);
    assert.equal(publishes[0].range.start, publishes[1].range.start);
  });

  it('a service that extends another in the same file inherits its ports; other files are not followed', () => {
    const text = [
      'services:',
      '  base:',
      '    ports: ["8000:8000"]',
      '    environment: [PORT=8000]',
      '  web:',
      '    extends: base',
      '    ports: ["8001:8001"]',
      '  worker:',
      '    extends:',
      '      service: web',
      '  remote:',
      '    extends:',
      '      file: common.yaml',
      '      service: base',
      '  loop:',
      '    extends: loop',
      '    expose: [9]',
      '',
    ].join('\n');
    const mentions = findComposePorts(text);
    const publishedBy = (service: string): number[] =>
      mentions.filter((m) => m.service === service && m.role === 'publish').map((m) => m.port);
    assert.deepEqual(publishedBy('base'), [8000]);
    assert.deepEqual(publishedBy('web'), [8000, 8001]);
    assert.deepEqual(publishedBy('worker'), [8000, 8001]);
    assert.deepEqual(publishedBy('remote'), []);
    assert.equal(mentions.filter((m) => m.service === 'loop').length, 1);
    assert.ok(mentions.some((m) => m.service === 'web' && m.role === 'setting' && m.variable === 'PORT'));
  });

  it('reads every document of a multi-document file', () => {
    const text =
      'services:\n  a:\n    ports: ["1111:1111"]\n---\nservices:\n  b:\n    ports: ["2222:2222"]\n';
    const mentions = findComposePorts(text).filter((m) => m.role === 'publish');
    assert.deepEqual(
      mentions.map((m) => `${m.service}:${m.port}`),
      ['a:1111', 'b:2222'],
    );
    assert.equal(written(text, mentions[1]), '2222');
  });

  it('with network_mode: host the container port is a host listen and the published side binds nothing', () => {
    const text =
      'services:\n  dns:\n    network_mode: host\n    ports:\n      - "5353:53/udp"\n    command: --metrics --listen=:9153\n';
    const mentions = findComposePorts(text);
    assert.deepEqual(summary(text, mentions), [
      'dns setting 5353/udp',
      'dns listen 53/udp',
      'dns listen 9153/-',
    ]);
    assert.equal(
      mentions.some((m) => m.role === 'publish'),
      false,
    );
  });

  it('reads the legacy v1 layout (services at the top level)', () => {
    const text = 'web:\n  image: nginx\n  ports:\n    - "8080:80"\nnot_a_service: 3\n';
    assert.deepEqual(summary(text, findComposePorts(text)), ['web publish 8080/tcp', 'web target 80/tcp']);
  });
});

describe('findComposePorts: values', () => {
  const text = [
    'services:',
    '  app:',
    '    image: postgres:16',
    '    environment:',
    '      - PORT=5054',
    '      - DNS=172.20.0.2#5054',
    '      - TIMEOUT=3000',
    '      - DATABASE_URL=postgres://u:p@db:5432/app',
    '      - "QUOTED_PORT=6060"',
    '    healthcheck:',
    '      test: ["CMD", "curl", "-f", "http://localhost:8080/health"]',
    '    command: --port 9000 --workers 4',
    '    volumes:',
    '      - ./data:/var/lib/postgresql/data',
    '  worker:',
    '    environment:',
    '      HTTP_PORT: 7070',
    '      REDIS_URL: "redis://cache:6379/0"',
    '      RETRIES: 5',
    '      ESCAPED: "curl \\"http://api:8088/x\\""',
    '    command: ["serve", "--port", "9001"]',
    '    labels:',
    '      - "traefik.http.services.w.loadbalancer.server.port=8000"',
    '    entrypoint: >',
    '      sh -c "wait-for db:5432',
    '      && run --http-port=8181"',
    '',
  ].join('\n');
  const mentions = findComposePorts(text);

  it('list-form environment: PORT=, dnsmasq address#port, URLs', () => {
    const port = at(mentions, text, '5054', 'setting');
    assert.equal(port.variable, 'PORT');
    assert.equal(port.service, 'app');
    const dns = at(mentions, text, '#5054', 'connect', 1);
    assert.equal(dns.host, '172.20.0.2');
    const url = at(mentions, text, '5432/app', 'connect');
    assert.equal(url.host, 'db');
    assert.equal(url.scheme, 'postgres');
    assert.equal(at(mentions, text, '6060', 'setting').variable, 'QUOTED_PORT');
  });

  it('map-form environment with numbers and quoted URLs', () => {
    const port = at(mentions, text, '7070', 'setting');
    assert.equal(port.variable, 'HTTP_PORT');
    assert.equal(port.service, 'worker');
    const url = at(mentions, text, '6379', 'connect');
    assert.equal(url.host, 'cache');
    assert.equal(url.variable, 'REDIS_URL');
  });

  it('escaped double quotes keep offsets exact', () => {
    const m = at(mentions, text, '8088', 'connect');
    assert.equal(m.host, 'api');
    assert.equal(written(text, m), '8088');
  });

  it('healthcheck URLs and port flags in commands, string or list', () => {
    const health = at(mentions, text, '8080/health', 'connect');
    assert.equal(health.host, 'localhost');
    assert.equal(health.variable, undefined, 'curl -f is not the name of the URL');
    const flag = at(mentions, text, '9000', 'setting');
    assert.equal(flag.variable, 'port');
    assert.equal(at(mentions, text, '9001', 'setting').service, 'worker');
  });

  it('labels and folded entrypoints', () => {
    assert.equal(at(mentions, text, '8000"', 'setting').port, 8000);
    const folded = at(mentions, text, '5432\n', 'connect');
    assert.equal(folded.host, 'db');
    assert.equal(at(mentions, text, '8181', 'setting').variable, 'http-port');
  });

  it('no ports in timeouts, worker counts, image tags or volume paths', () => {
    const numbers = mentions.map((m) => m.port);
    for (const notAPort of [3000, 4, 16, 5]) {
      assert.ok(!numbers.includes(notAPort), `${notAPort} is not a port`);
    }
    assert.equal(mentions.filter((m) => m.range.start < text.indexOf('environment')).length, 0);
  });

  it('build args are read like environment', () => {
    const build =
      'services:\n  api:\n    build:\n      context: .\n      args:\n        APP_PORT: 4000\n        NODE_VERSION: 20\n';
    const found = findComposePorts(build);
    assert.deepEqual(
      found.map((m) => `${m.service} ${m.role} ${written(build, m)} ${m.variable}`),
      ['api setting 4000 APP_PORT'],
    );
  });

  it('a container that binds :8080 binds it inside its own network namespace', () => {
    const inner = 'services:\n  t:\n    command: --entrypoints.web.address=:80\n';
    const m = findComposePorts(inner);
    assert.equal(m.length, 1);
    assert.equal(m[0].role, 'setting');
    assert.equal(written(inner, m[0]), '80');
  });
});

describe('findComposePorts: robustness', () => {
  it('CRLF line endings keep offsets exact', () => {
    const text =
      'services:\r\n  web:\r\n    ports:\r\n      - "8080:80"\r\n      - 9000:9000/udp\r\n    environment:\r\n      - PORT=3000\r\n';
    const mentions = findComposePorts(text);
    assert.deepEqual(
      mentions.map((m) => written(text, m)),
      ['8080', '80', '9000', '9000', '3000'],
    );
    assert.equal(mentions[2].protocol, 'udp');
  });

  it('malformed YAML: mentions from what parsed, no exception', () => {
    const text =
      'services:\n  web:\n    ports:\n      - "8080:80"\n  bad: [unclosed\n  other:\n    ports: ["1234:1234"]\n';
    const mentions = findComposePorts(text);
    assert.ok(mentions.some((m) => m.port === 8080 && written(text, m) === '8080'));
  });

  it('reads odd shapes without throwing, and only the ports they really hold', () => {
    const cases: Array<[string, string[]]> = [
      ['', []],
      ['\tfoo', []],
      ['services: 5', []],
      ['services: [a, b]', []],
      ['services:\n  web: 3\n', []],
      ['services:\n  web:\n    ports: 8080\n', []],
      ['services:\n  web:\n    ports: [{}, [], null, ~, true]\n', []],
      ['services:\n  web:\n    ports: ["::::", ":", "/udp", "a:b:c", "1-2-3:4"]\n', ['4/target']],
      ['{{{{', []],
      ['- - - -', []],
      ['a: &x [*x]', []],
      ['%YAML 1.1\n---\nservices:\n  w:\n    ports:\n      - 22:22\n', ['22/publish', '22/target']],
    ];
    for (const [input, expected] of cases) {
      assert.deepEqual(
        findComposePorts(input).map((m) => `${m.port}/${m.role}`),
        expected,
        JSON.stringify(input),
      );
    }
  });

  it('Compose merge tags !override and !reset', () => {
    const text = 'services:\n  web:\n    ports: !override\n      - "8080:80"\n  db:\n    ports: !reset []\n';
    assert.deepEqual(summary(text, findComposePorts(text)), ['web publish 8080/tcp', 'web target 80/tcp']);
  });

  it('YAML 1.1 documents still read 22:22 as a mapping', () => {
    const text = '%YAML 1.1\n---\nservices:\n  w:\n    ports:\n      - 22:22\n';
    assert.deepEqual(summary(text, findComposePorts(text)), ['w publish 22/tcp', 'w target 22/tcp']);
  });

  it('a file without services reports nothing', () => {
    assert.deepEqual(
      findComposePorts('version: "3"\nnetworks:\n  default:\n    name: x\nvolumes:\n  data: {}\n'),
      [],
    );
  });

  it('handles a written fixture with comments, anchors and CRLF', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'compose-mixed.yaml'), 'utf8');
    assert.ok(text.includes('\r\n'), 'fixture keeps CRLF');
    const mentions = findComposePorts(text);
    for (const m of mentions) {
      assert.match(written(text, m), /^-?\d+(?:-\d+)?$/);
      assert.equal(written(text, m).startsWith(String(m.port)), true);
    }
    assert.deepEqual(summary(text, mentions), [
      'proxy target 8443/tcp',
      'proxy publish 443/tcp @0.0.0.0',
      'proxy publish 80/tcp',
      'proxy target 8080/tcp',
      'db publish 5432/tcp @127.0.0.1',
      'db target 5432/tcp',
      'cache publish 6379/tcp',
      'cache target 6379/tcp',
    ]);
  });
});

describe('findComposePorts: awesome-compose samples', () => {
  const composeFiles = fs
    .readdirSync(SAMPLES)
    .flatMap((folder) =>
      ['compose.yaml', 'compose.yml']
        .map((name) => path.join(folder, name))
        .filter((p) => fs.existsSync(path.join(SAMPLES, p))),
    );

  it('every sample parses, with exact numeric ranges and a service on each mention', () => {
    assert.ok(composeFiles.length >= 18, `found ${composeFiles.length} sample compose files`);
    for (const file of composeFiles) {
      const text = readSample(file);
      for (const m of findComposePorts(text)) {
        assert.equal(written(text, m), String(m.port), `${file}: ${JSON.stringify(m)}`);
        assert.ok(m.service, `${file}: service on ${m.port}`);
        assert.equal(m.kind, 'compose');
      }
    }
  });

  it('pihole publishes 53 once per protocol, 8080:80 and the DNS upstream in an env value', () => {
    const text = readSample('pihole-cloudflared-DoH/compose.yaml');
    const mentions = findComposePorts(text);
    const dns = mentions.filter((m) => m.service === 'pihole' && m.port === 53 && m.role === 'publish');
    assert.deepEqual(
      dns.map((m) => m.protocol),
      ['tcp', 'udp'],
    );
    const web = at(mentions, text, '8080:80/tcp', 'publish');
    assert.deepEqual(web.counterpart, { port: 80 });
    assert.equal(at(mentions, text, '8080:80/tcp', 'target', 5).port, 80);
    assert.equal(at(mentions, text, '67:67/udp', 'publish').protocol, 'udp');
    const upstream = at(mentions, text, '#5054', 'connect', 1);
    assert.equal(upstream.host, '172.20.0.2');
    assert.equal(upstream.service, 'pihole');
    const setting = at(mentions, text, 'PORT=5054', 'setting', 5);
    assert.equal(setting.service, 'cloudflared');
    assert.deepEqual(
      mentions
        .filter((m) => m.service === 'cloudflared' && m.role === 'publish')
        .map((m) => `${m.port}/${m.protocol}`),
      ['5054/tcp', '5054/udp'],
    );
    // The commented-out dns entries are no mentions.
    assert.equal(
      mentions.some((m) => m.host === '127.0.0.1'),
      false,
    );
  });

  it('gitea: db:5432 in the environment and expose 5432', () => {
    const text = readSample('gitea-postgres/compose.yaml');
    const mentions = findComposePorts(text);
    const connect = at(mentions, text, 'db:5432', 'connect', 3);
    assert.equal(connect.host, 'db');
    assert.equal(connect.service, 'gitea');
    assert.equal(mentions.find((m) => m.role === 'expose')?.service, 'db');
    assert.deepEqual(
      summary(
        text,
        mentions.filter((m) => m.role === 'publish'),
      ),
      ['gitea publish 3000/tcp'],
    );
  });

  it('nginx-flask-mongo: the backend address, the port setting and 80:80', () => {
    const text = readSample('nginx-flask-mongo/compose.yaml');
    const mentions = findComposePorts(text);
    assert.equal(at(mentions, text, 'backend:9091', 'connect', 8).service, 'web');
    assert.equal(at(mentions, text, 'PORT=9091', 'setting', 5).service, 'backend');
    assert.deepEqual(
      summary(
        text,
        mentions.filter((m) => m.role === 'publish'),
      ),
      ['web publish 80/tcp'],
    );
  });

  it('elasticsearch: healthcheck URL, 5000 over tcp and udp, and no port in the image tag', () => {
    const text = readSample('elasticsearch-logstash-kibana/compose.yaml');
    const mentions = findComposePorts(text);
    assert.equal(at(mentions, text, 'localhost:9200', 'connect', 10).service, 'elasticsearch');
    assert.deepEqual(
      mentions.filter((m) => m.port === 5000 && m.role === 'publish').map((m) => m.protocol),
      ['tcp', 'udp'],
    );
    assert.equal(
      mentions.some((m) => m.port === 7 || m.port === 16),
      false,
    );
    assert.equal(mentions.filter((m) => m.role === 'publish').length, 7);
  });

  it('postgresql-pgadmin: 5050:80 and an unprivileged 5432 on all interfaces', () => {
    const text = readSample('postgresql-pgadmin/compose.yaml');
    const mentions = findComposePorts(text);
    assert.deepEqual(summary(text, mentions), [
      'postgres publish 5432/tcp',
      'postgres target 5432/tcp',
      'pgadmin publish 5050/tcp',
      'pgadmin target 80/tcp',
    ]);
  });

  it('wasmedge-kafka-mysql: URLs in map-form environment and five published ports', () => {
    const text = readSample('wasmedge-kafka-mysql/compose.yml');
    const mentions = findComposePorts(text);
    const mysql = at(mentions, text, '3306/mysql', 'connect');
    assert.equal(mysql.scheme, 'mysql');
    assert.equal(mysql.variable, 'DATABASE_URL');
    assert.equal(at(mentions, text, '9092/order', 'connect').host, 'redpanda');
    assert.deepEqual(
      mentions.filter((m) => m.role === 'publish').map((m) => m.port),
      [8081, 8082, 9092, 9644, 29092],
    );
  });

  it('expose-only databases are exposes, not publishes', () => {
    for (const [file, service, port] of [
      ['wordpress-mysql/compose.yaml', 'db', 3306],
      ['nextcloud-redis-mariadb/compose.yaml', 'redis', 6379],
      ['react-express-mongodb/compose.yaml', 'mongo', 27017],
      ['spring-postgres/compose.yaml', 'db', 5432],
    ] as const) {
      const mentions = findComposePorts(readSample(file));
      assert.ok(
        mentions.some((m) => m.service === service && m.port === port && m.role === 'expose'),
        file,
      );
      assert.ok(!mentions.some((m) => m.service === service && m.role === 'publish'), file);
    }
  });

  it('traefik: the entrypoint address and the load-balancer label are settings, 80 is published', () => {
    const text = readSample('traefik-golang/compose.yaml');
    const mentions = findComposePorts(text);
    const entrypoint = at(mentions, text, 'address=:80', 'setting', 9);
    assert.equal(entrypoint.variable, 'entrypoints.web.address');
    assert.equal(entrypoint.service, 'frontend');
    const label = mentions.find((m) => m.service === 'backend');
    assert.equal(label?.role, 'setting');
    assert.equal(label?.port, 80);
    assert.deepEqual(
      summary(
        text,
        mentions.filter((m) => m.role === 'publish'),
      ),
      ['frontend publish 80/tcp'],
    );
  });
});

describe('isComposeFileName', () => {
  it('accepts the names Compose and people use', () => {
    for (const name of [
      'compose.yaml',
      'compose.yml',
      'compose.override.yaml',
      'compose.prod.yml',
      'docker-compose.yml',
      'docker-compose.yaml',
      'docker-compose.override.yml',
      'docker-compose.dev.yml',
      'docker-compose-prod.yml',
      'a/b/Docker-Compose.YML',
      'C:\\work\\app\\compose.yaml',
    ]) {
      assert.equal(isComposeFileName(name), true, name);
    }
  });

  it('rejects other YAML and look-alikes', () => {
    for (const name of [
      'deployment.yaml',
      'compose.json',
      'mycompose.yaml',
      'compose.yaml.bak',
      'docker-compose',
      'compose/values.yaml',
    ]) {
      assert.equal(isComposeFileName(name), false, name);
    }
  });
});

describe('composeFamily / composeProjectFiles', () => {
  const siblings = ['compose.yaml', 'compose.override.yaml', 'compose.prod.yaml', 'README.md', 'Dockerfile'];

  it('finds the base and its overrides, the automatic override first', () => {
    assert.deepEqual(composeFamily('/p/compose.yaml', siblings), {
      base: '/p/compose.yaml',
      overrides: ['/p/compose.override.yaml', '/p/compose.prod.yaml'],
    });
  });

  it('the base runs with every override; an override with the base only', () => {
    assert.deepEqual(composeProjectFiles('/p/compose.yaml', siblings), [
      '/p/compose.yaml',
      '/p/compose.override.yaml',
      '/p/compose.prod.yaml',
    ]);
    assert.deepEqual(composeProjectFiles('/p/compose.prod.yaml', siblings), [
      '/p/compose.yaml',
      '/p/compose.prod.yaml',
    ]);
  });

  it('prefers compose.yaml over docker-compose.yml as the base, like Compose', () => {
    assert.equal(
      composeFamily('/p/docker-compose.yml', ['docker-compose.yml', 'compose.yaml']).base,
      '/p/compose.yaml',
    );
    assert.equal(
      composeFamily('/p/docker-compose.yml', ['docker-compose.yml', 'docker-compose.dev.yml']).base,
      '/p/docker-compose.yml',
    );
  });

  it('a lone override without base stands alone; Windows paths keep their separators', () => {
    assert.deepEqual(composeProjectFiles('/p/docker-compose.dev.yml', ['docker-compose.dev.yml']), [
      '/p/docker-compose.dev.yml',
    ]);
    assert.deepEqual(composeProjectFiles('C:\\p\\compose.yml', ['compose.yml', 'compose.override.yml']), [
      'C:\\p\\compose.yml',
      'C:\\p\\compose.override.yml',
    ]);
  });
});

describe('findComposePorts: mutated samples', () => {
  it('never throws and always points at digits', function () {
    // Hundreds of parses; slow only on a loaded machine.
    this.timeout(30_000);
    const files = [
      'pihole-cloudflared-DoH/compose.yaml',
      'elasticsearch-logstash-kibana/compose.yaml',
      'wasmedge-kafka-mysql/compose.yml',
    ];
    files.forEach((file, index) => {
      for (const text of mutations(readSample(file), 50, index + 1)) {
        for (const m of findComposePorts(text)) {
          assert.ok(m.range.start >= 0 && m.range.end <= text.length && m.range.start < m.range.end);
          assert.match(written(text, m), /^-?\d+(?:-\d+)?$/, `${file}: ${JSON.stringify(m)}`);
        }
      }
    });
  });
});
