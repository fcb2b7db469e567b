import * as assert from 'node:assert/strict';
import { findPropertiesPorts } from '../../scan/properties';
import { scannerOf } from './scanTestKit';

const scan = scannerOf(findPropertiesPorts, 'properties');

describe('findPropertiesPorts', () => {
  it('reads Spring Boot port keys with =, : and whitespace separators', () => {
    const text =
      'server.port=8081\nmanagement.server.port: 9001\nspring.rabbitmq.port 5672\n  grpc.server.port = 9090';
    assert.deepEqual(scan(text), [
      { at: '8081', port: 8081, role: 'setting', variable: 'server.port' },
      { at: '9001', port: 9001, role: 'setting', variable: 'management.server.port' },
      { at: '5672', port: 5672, role: 'setting', variable: 'spring.rabbitmq.port' },
      { at: '9090', port: 9090, role: 'setting', variable: 'grpc.server.port' },
    ]);
  });

  it('reads JDBC and other URLs, and broker lists', () => {
    const text = [
      'spring.datasource.url=jdbc:postgresql://localhost:5432/db',
      'spring.data.mongodb.uri=mongodb://user:pw@mongo:27017/app',
      'bootstrap.servers=kafka:9092,kafka2:9093',
      'spring.redis.url = redis://cache.internal:6380',
    ].join('\n');
    assert.deepEqual(scan(text), [
      {
        at: '5432',
        port: 5432,
        role: 'connect',
        host: 'localhost',
        scheme: 'postgresql',
        variable: 'spring.datasource.url',
      },
      {
        at: '27017',
        port: 27017,
        role: 'connect',
        host: 'mongo',
        scheme: 'mongodb',
        variable: 'spring.data.mongodb.uri',
      },
      { at: '9092', port: 9092, role: 'connect', host: 'kafka', variable: 'bootstrap.servers' },
      { at: '9093', port: 9093, role: 'connect', host: 'kafka2', variable: 'bootstrap.servers' },
      {
        at: '6380',
        port: 6380,
        role: 'connect',
        host: 'cache.internal',
        scheme: 'redis',
        variable: 'spring.redis.url',
      },
    ]);
  });

  it('reads Spring placeholders with defaults', () => {
    const text = 'server.port=${PORT:8080}\napp.url=http://api:${API_PORT:9000}/v1';
    assert.deepEqual(scan(text), [
      { at: '8080', port: 8080, role: 'setting', variable: 'PORT', isDefault: true },
      {
        at: '9000',
        port: 9000,
        role: 'connect',
        host: 'api',
        variable: 'API_PORT',
        isDefault: true,
        scheme: 'http',
      },
    ]);
  });

  it('reads a continued value', () => {
    const text = 'app.urls=http://a.example.com:8001,\\\n    http://b.example.com:8002\nother=1';
    assert.deepEqual(
      scan(text).map((v) => [v.at, v.variable]),
      [
        ['8001', 'app.urls'],
        ['8002', 'app.urls'],
      ],
    );
  });

  it('ignores comments and non-port numbers', () => {
    const text = [
      '# server.port=1111',
      '! server.port=2222',
      'server.connection-timeout=3000',
      'spring.datasource.hikari.maximum-pool-size=10',
      'app.version=1.2.3',
      'logging.pattern.dateformat=HH:mm:ss',
      'support.email=x@y.z',
      'app.start=12:30:45',
    ].join('\n');
    assert.deepEqual(scan(text), []);
  });

  it('keeps exact offsets with CRLF', () => {
    const text = 'a=b\r\nserver.port=8081\r\nx.url=http://h.example:81\r\n';
    assert.deepEqual(
      findPropertiesPorts(text).map((m) => [m.range.start, text.slice(m.range.start, m.range.end)]),
      [
        [text.indexOf('8081'), '8081'],
        [text.indexOf('81\r\n', text.indexOf('http')), '81'],
      ],
    );
  });

  it('survives huge and binary input', () => {
    const text = 'blob=' + 'a.b:1234 '.repeat(600_000) + 'http://localhost:8080/\nserver.port=1';
    assert.deepEqual(
      scan(text).map((v) => v.at),
      ['8080', '1'],
    );
    const junk = Array.from({ length: 100_000 }, (_, i) => String.fromCharCode((i * 17) % 65536)).join('');
    assert.deepEqual(
      findPropertiesPorts(`${junk}\nserver.port=8081`).map((m) => [m.port, m.role]),
      [[8081, 'setting']],
    );
    assert.deepEqual(findPropertiesPorts(''), []);
  });
});
