import * as assert from 'node:assert/strict';
import { findAddressPorts, findHostPorts, findUrlPorts } from '../../scan/addresses';
import { splitLines } from '../../scan/lines';
import { isListenLikeName, isPortLikeName } from '../../scan/names';
import { readPortSpec, readVariableDefault } from '../../scan/portSpec';
import { findPortsInValue } from '../../scan/values';
import { view } from './scanTestKit';

// A value placed at offset 10 of a file, so base offsets are exercised too.
function value(text: string, variable?: string): Record<string, unknown>[] {
  const file = 'X'.repeat(10) + text;
  return findPortsInValue(text, 10, 'dotenv', variable).map((m) => view(file, m));
}

describe('isPortLikeName', () => {
  for (const name of [
    'PORT',
    'DB_PORT',
    'port',
    'httpPort',
    'server.port',
    'ports',
    'PORTS',
    'forwardPorts',
    'PORT_HTTP',
    'portNumber',
    'web-port',
    'REDIS_PORT_NUMBER',
    'debugPortStart',
    'MAX_PORTS',
    // A dotted key is judged by its last segment: the protocol section's port.
    'dubbo.protocol.port',
    'com.example.server.port',
  ]) {
    it(`${name} is a port name`, () => assert.equal(isPortLikeName(name), true));
  }
  for (const name of [
    'TIMEOUT',
    'REPORT',
    'SUPPORT',
    'TRANSPORT',
    'export',
    'import',
    'PORT_TIMEOUT',
    'portCount',
    'passport',
    'HOST',
    'PORTAL',
    'Airport',
    'viewPort',
    'serialPort',
    'hasDebugPortAllocator',
    'ports.length',
    'portMapper',
    'server.port.protocol',
    'dubbo.protocol.name',
  ]) {
    it(`${name} is not a port name`, () => assert.equal(isPortLikeName(name), false));
  }
  it('knows listen-like names', () => {
    assert.equal(isListenLikeName('LISTEN_ADDR'), true);
    assert.equal(isListenLikeName('bindAddress'), true);
    assert.equal(isListenLikeName('DATABASE_URL'), false);
  });
});

describe('findPortsInValue', () => {
  const cases: [string, string | undefined, Record<string, unknown>[]][] = [
    ['8080', 'PORT', [{ at: '8080', port: 8080, role: 'setting', variable: 'PORT' }]],
    ['"5432"', 'DB_PORT', [{ at: '5432', port: 5432, role: 'setting', variable: 'DB_PORT' }]],
    ['70000', 'PORT', [{ at: '70000', port: 70000, role: 'setting', variable: 'PORT' }]],
    ['-1', 'port', [{ at: '-1', port: -1, role: 'setting', variable: 'port' }]],
    [
      '3000-3005',
      'PORTS',
      [{ at: '3000-3005', port: 3000, portEnd: 3005, role: 'setting', variable: 'PORTS' }],
    ],
    ['53/udp', 'DNS_PORT', [{ at: '53', port: 53, role: 'setting', variable: 'DNS_PORT', protocol: 'udp' }]],
    [
      '8080,8081',
      'PORTS',
      [
        { at: '8080', port: 8080, role: 'setting', variable: 'PORTS' },
        { at: '8081', port: 8081, role: 'setting', variable: 'PORTS' },
      ],
    ],
    [
      '8080:80',
      'PORT_MAPPING',
      [
        { at: '8080', port: 8080, role: 'publish', variable: 'PORT_MAPPING' },
        { at: '80', port: 80, role: 'target', variable: 'PORT_MAPPING' },
      ],
    ],
    [
      '${WEB_PORT:-8080}',
      undefined,
      [{ at: '8080', port: 8080, role: 'setting', variable: 'WEB_PORT', isDefault: true }],
    ],
    [
      '${PORT-3000}',
      'PORT',
      [{ at: '3000', port: 3000, role: 'setting', variable: 'PORT', isDefault: true }],
    ],
    [
      'redis://127.0.0.1:6379',
      'REDIS_URL',
      [
        {
          at: '6379',
          port: 6379,
          role: 'connect',
          host: '127.0.0.1',
          scheme: 'redis',
          variable: 'REDIS_URL',
        },
      ],
    ],
    [
      'postgres://u:p@db:5432/app',
      undefined,
      [{ at: '5432', port: 5432, role: 'connect', host: 'db', scheme: 'postgres' }],
    ],
    [
      'postgres://admin:s3cr:et@db:5433/app',
      undefined,
      [{ at: '5433', port: 5433, role: 'connect', host: 'db', scheme: 'postgres' }],
    ],
    ['ws://[::1]:8765', undefined, [{ at: '8765', port: 8765, role: 'connect', host: '::1', scheme: 'ws' }]],
    [
      'jdbc:postgresql://h:5432/db',
      'url',
      [{ at: '5432', port: 5432, role: 'connect', host: 'h', scheme: 'postgresql', variable: 'url' }],
    ],
    [
      'jdbc:sqlserver://sql:1433;databaseName=app',
      'url',
      [{ at: '1433', port: 1433, role: 'connect', host: 'sql', scheme: 'sqlserver', variable: 'url' }],
    ],
    [
      'amqp://guest:guest@rabbit:5672/',
      undefined,
      [{ at: '5672', port: 5672, role: 'connect', host: 'rabbit', scheme: 'amqp' }],
    ],
    [
      'mongodb://a:27017,b:27018/x',
      undefined,
      [
        { at: '27017', port: 27017, role: 'connect', host: 'a', scheme: 'mongodb' },
        { at: '27018', port: 27018, role: 'connect', host: 'b', scheme: 'mongodb' },
      ],
    ],
    [
      'postgres://db:${DB_PORT:-5432}/x',
      undefined,
      [
        {
          at: '5432',
          port: 5432,
          role: 'connect',
          host: 'db',
          scheme: 'postgres',
          variable: 'DB_PORT',
          isDefault: true,
        },
      ],
    ],
    ['localhost:5432', undefined, [{ at: '5432', port: 5432, role: 'connect', host: 'localhost' }]],
    ['db:5432', 'DB_ADDR', [{ at: '5432', port: 5432, role: 'connect', host: 'db', variable: 'DB_ADDR' }]],
    ['db:80', 'DB_HOST', [{ at: '80', port: 80, role: 'connect', host: 'db', variable: 'DB_HOST' }]],
    [
      'kafka1:9092,kafka2:9093',
      'KAFKA_BROKERS',
      [
        { at: '9092', port: 9092, role: 'connect', host: 'kafka1', variable: 'KAFKA_BROKERS' },
        { at: '9093', port: 9093, role: 'connect', host: 'kafka2', variable: 'KAFKA_BROKERS' },
      ],
    ],
    [
      '172.20.0.2#5054;1.1.1.1',
      'PIHOLE_DNS_',
      [{ at: '5054', port: 5054, role: 'connect', host: '172.20.0.2', variable: 'PIHOLE_DNS_' }],
    ],
    [':8080', 'LISTEN_ADDR', [{ at: '8080', port: 8080, role: 'listen', variable: 'LISTEN_ADDR' }]],
    ['0.0.0.0:9000', 'BIND', [{ at: '9000', port: 9000, role: 'listen', host: '0.0.0.0', variable: 'BIND' }]],
  ];
  for (const [text, variable, expected] of cases) {
    it(`${variable ?? '(no variable)'} = ${text}`, () => assert.deepEqual(value(text, variable), expected));
  }

  const none: [string, string | undefined][] = [
    ['3000', 'TIMEOUT'],
    ['3000', undefined],
    ['postgres:16', 'IMAGE'],
    ['redis:7', undefined],
    ['Etc/UTC', 'TZ'],
    ['192.168.178.0/24', 'CIDR'],
    ['http://example.com/a:80b', 'LINK'],
    ['1.2.3', 'VERSION'],
    ['12:30:45', 'START_AT'],
    ['16:9', 'RATIO'],
    ['fe80::1', 'ADDR6'],
    ['${TIMEOUT:-3000}', 'X'],
    ['abc', 'PORT'],
  ];
  for (const [text, variable] of none) {
    it(`no port in ${variable ?? '(no variable)'} = ${text}`, () =>
      assert.deepEqual(value(text, variable), []));
  }

  it('finds only URLs in a huge value, quickly enough to return', () => {
    const big = 'x'.repeat(2_000_000) + ' http://localhost:8080 ' + 'db:5432 '.repeat(1000);
    const found = findPortsInValue(big, 0, 'dotenv', 'BLOB').map((m) =>
      big.slice(m.range.start, m.range.end),
    );
    assert.deepEqual(found, ['8080']);
  });
});

describe('value helpers', () => {
  it('readPortSpec reads ports, ranges and protocols and rejects trailing junk', () => {
    assert.deepEqual(readPortSpec('8080/tcp', 0), {
      port: 8080,
      range: { start: 0, end: 4 },
      end: 8,
      protocol: 'tcp',
    });
    assert.deepEqual(readPortSpec('3000-3005', 0), {
      port: 3000,
      portEnd: 3005,
      range: { start: 0, end: 9 },
      end: 9,
    });
    assert.equal(readPortSpec('8080abc', 0), undefined);
    assert.equal(readPortSpec('1.5', 0), undefined);
    assert.equal(readPortSpec('-1', 0), undefined);
    assert.equal(readPortSpec('-1', 0, 2, true)?.port, -1);
    assert.equal(readPortSpec('1234567', 0), undefined);
  });

  it('readVariableDefault reads ${VAR:-N} forms only', () => {
    assert.deepEqual(readVariableDefault('${P:-80}', 0), {
      variable: 'P',
      port: 80,
      range: { start: 5, end: 7 },
      end: 8,
    });
    assert.equal(readVariableDefault('${P:=81}', 0)?.port, 81);
    assert.equal(readVariableDefault('${P}', 0), undefined);
    assert.equal(readVariableDefault('${P:-abc}', 0), undefined);
  });

  it('findUrlPorts reads only the authority and shifts by base', () => {
    const text = 'a http://h:81/p:82?q=h:83#x:84 b';
    assert.deepEqual(
      findUrlPorts(text, 5).map((a) => [a.port, a.range.start - 5]),
      [[81, text.indexOf('81')]],
    );
  });

  it('findHostPorts honours the single-label policy', () => {
    assert.equal(findHostPorts('"db:5432"', 0, { singleLabel: 'never' }).length, 0);
    assert.equal(findHostPorts('"db:5432"', 0, { singleLabel: 'long-port' }).length, 1);
    assert.equal(findHostPorts("'user:123'", 0, { singleLabel: 'long-port' }).length, 0);
    assert.equal(
      findHostPorts('x?n.length:1', 0, { singleLabel: 'long-port', dottedHosts: 'known-tld' }).length,
      0,
    );
    assert.equal(
      findHostPorts('redis.default:6379', 0, { singleLabel: 'never', dottedHosts: 'any' }).length,
      1,
    );
    assert.equal(
      findHostPorts('api.example.com:8443', 0, { singleLabel: 'never', dottedHosts: 'known-tld' }).length,
      1,
    );
    assert.equal(findHostPorts('x db:5432 y', 0, { singleLabel: 'long-port' }).length, 0);
    assert.equal(findHostPorts('"web:80"', 0, { singleLabel: 'long-port' }).length, 0);
    assert.equal(findHostPorts('web:80', 0, { singleLabel: 'always' }).length, 1);
  });

  it('reads every URL of a comma-separated listener list', () => {
    const text = 'PLAINTEXT://0.0.0.0:29092,OUTSIDE://0.0.0.0:9092';
    const found = findPortsInValue(text, 0, 'compose', 'KAFKA_LISTENERS');
    assert.deepEqual(
      found.map((m) => [m.port, m.host, text.slice(m.range.start, m.range.end)]),
      [
        [29092, '0.0.0.0', '29092'],
        [9092, '0.0.0.0', '9092'],
      ],
    );
  });

  it('findAddressPorts does not report a URL port twice', () => {
    assert.equal(findAddressPorts('http://localhost:8080/', 0, { singleLabel: 'always' }).length, 1);
  });

  it('stays linear on hostile address-like input, and still reads the URL after it', () => {
    const hostile =
      ']:1'.repeat(300_000) + 'a://'.repeat(300_000) + 'x://a,b,'.repeat(100_000) + '@:1'.repeat(100_000);
    const text = `${hostile} http://localhost:8080/`;
    assert.deepEqual(
      findAddressPorts(text, 0, { singleLabel: 'always' }).map((p) => [
        p.port,
        p.form,
        text.slice(p.range.start),
      ]),
      [
        // The last `@:1` ends a URL whose authority is `a,b,...@` with an empty host.
        [1, 'url', '1 http://localhost:8080/'],
        [8080, 'url', '8080/'],
      ],
    );
  });

  it('splitLines keeps exact offsets for LF, CRLF and CR', () => {
    assert.deepEqual(splitLines('a\r\nbb\ncc\rd'), [
      { text: 'a', start: 0 },
      { text: 'bb', start: 3 },
      { text: 'cc', start: 6 },
      { text: 'd', start: 9 },
    ]);
  });
});
