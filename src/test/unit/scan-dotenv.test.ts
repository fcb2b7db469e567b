import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findDotenvPorts } from '../../scan/dotenv';
import { scannerOf } from './scanTestKit';

const fixtures = path.resolve(__dirname, '../../../src/test/fixtures/scan');

const scan = scannerOf(findDotenvPorts, 'dotenv');

describe('findDotenvPorts', () => {
  it('reads port variables in every assignment form', () => {
    const text = [
      'PORT=3000',
      'export DB_PORT=5432',
      'REDIS_PORT="6379"',
      "MQTT_PORT='1883'",
      '  WEB_PORT = 8080  ',
      'API_PORT=4000 # the API',
      'BAD_PORT=70000',
    ].join('\n');
    assert.deepEqual(scan(text), [
      { at: '3000', port: 3000, role: 'setting', variable: 'PORT' },
      { at: '5432', port: 5432, role: 'setting', variable: 'DB_PORT' },
      { at: '6379', port: 6379, role: 'setting', variable: 'REDIS_PORT' },
      { at: '1883', port: 1883, role: 'setting', variable: 'MQTT_PORT' },
      { at: '8080', port: 8080, role: 'setting', variable: 'WEB_PORT' },
      { at: '4000', port: 4000, role: 'setting', variable: 'API_PORT' },
      { at: '70000', port: 70000, role: 'setting', variable: 'BAD_PORT' },
    ]);
  });

  it('reads URLs and host:port values as connect', () => {
    const text = [
      'DATABASE_URL=postgres://app:secret@db:5432/app',
      'REDIS_URL="redis://127.0.0.1:6379/0"',
      'AMQP_URL=amqp://guest:guest@rabbit:5672/',
      'MONGO_URL=mongodb://m1:27017,m2:27018/db?replicaSet=rs',
      'CACHE_ADDR=cache:11211',
      'KAFKA_BROKERS=k1:9092,k2:9092',
    ].join('\n');
    assert.deepEqual(scan(text), [
      { at: '5432', port: 5432, role: 'connect', host: 'db', scheme: 'postgres', variable: 'DATABASE_URL' },
      { at: '6379', port: 6379, role: 'connect', host: '127.0.0.1', scheme: 'redis', variable: 'REDIS_URL' },
      { at: '5672', port: 5672, role: 'connect', host: 'rabbit', scheme: 'amqp', variable: 'AMQP_URL' },
      { at: '27017', port: 27017, role: 'connect', host: 'm1', scheme: 'mongodb', variable: 'MONGO_URL' },
      { at: '27018', port: 27018, role: 'connect', host: 'm2', scheme: 'mongodb', variable: 'MONGO_URL' },
      { at: '11211', port: 11211, role: 'connect', host: 'cache', variable: 'CACHE_ADDR' },
      { at: '9092', port: 9092, role: 'connect', host: 'k1', variable: 'KAFKA_BROKERS' },
      { at: '9092', port: 9092, role: 'connect', host: 'k2', variable: 'KAFKA_BROKERS' },
    ]);
  });

  it('reads ${VAR:-N} defaults with the inner variable', () => {
    const text = 'WEB=${WEB_PORT:-8080}\nPORT=${PORT:-3000}\nURL=http://api:${API_PORT:-9000}/v1';
    assert.deepEqual(scan(text), [
      { at: '8080', port: 8080, role: 'setting', variable: 'WEB_PORT', isDefault: true },
      { at: '3000', port: 3000, role: 'setting', variable: 'PORT', isDefault: true },
      {
        at: '9000',
        port: 9000,
        role: 'connect',
        host: 'api',
        scheme: 'http',
        variable: 'API_PORT',
        isDefault: true,
      },
    ]);
  });

  it('ignores comments, non-port numbers and look-alikes', () => {
    const text = [
      '# PORT=1234',
      '#DB_PORT=5432',
      'TIMEOUT=3000',
      'MAX_CONNECTIONS=1024',
      'REPORT_INTERVAL=60',
      'PORT_TIMEOUT=3000',
      'IMAGE=postgres:16',
      'VERSION=1.2.3',
      'COLOR=#808080',
      'START=12:30:45',
      'not an assignment 8080',
    ].join('\n');
    assert.deepEqual(scan(text), []);
  });

  it('keeps a # inside a value (dnsmasq address form) and stops at a spaced comment', () => {
    const text = 'PIHOLE_DNS_=172.20.0.2#5054;1.1.1.1 # upstream';
    assert.deepEqual(scan(text), [
      { at: '5054', port: 5054, role: 'connect', host: '172.20.0.2', variable: 'PIHOLE_DNS_' },
    ]);
  });

  it('keeps exact offsets with CRLF line endings', () => {
    const text = 'A=1\r\nPORT=3000\r\n\r\nDB_URL=postgres://db:5432/x\r\n';
    assert.deepEqual(
      scan(text).map((v) => v.at),
      ['3000', '5432'],
    );
    const [first] = findDotenvPorts(text);
    assert.equal(first.range.start, text.indexOf('3000'));
  });

  it('finds nothing in the real awesome-compose .env files, which hold no ports', () => {
    for (const sample of ['postgresql-pgadmin/.env', 'pihole-cloudflared-DoH/.env']) {
      const text = fs.readFileSync(path.join(fixtures, sample), 'utf8');
      assert.ok(text.length > 0);
      assert.deepEqual(scan(text), [], sample);
    }
  });

  it('survives a 5 MB single-line value and binary junk', () => {
    const text = 'BLOB=' + 'ab:12,'.repeat(900_000) + ' http://localhost:8080/';
    assert.deepEqual(
      scan(text).map((v) => v.at),
      ['8080'],
    );
    const junk = Array.from({ length: 100_000 }, (_, i) => String.fromCharCode((i * 31) % 65536)).join('');
    assert.deepEqual(
      findDotenvPorts(`${junk}\nPORT=3000`).map((m) => [m.port, m.role]),
      [[3000, 'setting']],
    );
    assert.deepEqual(findDotenvPorts(''), []);
  });
});
