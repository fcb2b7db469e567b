import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findDockerfilePorts } from '../../scan/dockerfile';
import { scannerOf } from './scanTestKit';

const fixtures = path.resolve(__dirname, '../../../src/test/fixtures/scan');

const scan = scannerOf(findDockerfilePorts, 'dockerfile');

describe('findDockerfilePorts', () => {
  it('reads EXPOSE with protocols and ranges', () => {
    assert.deepEqual(scan('EXPOSE 8080'), [{ at: '8080', port: 8080, role: 'expose' }]);
    assert.deepEqual(scan('expose 8080/tcp 53/udp 3000-3005 132/sctp'), [
      { at: '8080', port: 8080, role: 'expose', protocol: 'tcp' },
      { at: '53', port: 53, role: 'expose', protocol: 'udp' },
      { at: '3000-3005', port: 3000, portEnd: 3005, role: 'expose' },
      { at: '132', port: 132, role: 'expose', protocol: 'sctp' },
    ]);
  });

  it('reads an EXPOSE continued over lines, with a comment line between', () => {
    const text = 'EXPOSE 80 \\\n  # the admin port\n  8443/tcp\nCMD ["x"]';
    assert.deepEqual(scan(text), [
      { at: '80', port: 80, role: 'expose' },
      { at: '8443', port: 8443, role: 'expose', protocol: 'tcp' },
    ]);
  });

  it('resolves EXPOSE $VAR from an earlier ARG or ENV, and ${VAR:-N} defaults', () => {
    const text =
      'ARG PORT=3000\nENV ADMIN_PORT 9000\nEXPOSE $PORT ${ADMIN_PORT}/udp ${WEB_PORT:-8081} $UNKNOWN';
    assert.deepEqual(scan(text), [
      { at: '3000', port: 3000, role: 'setting', variable: 'PORT' },
      { at: '9000', port: 9000, role: 'setting', variable: 'ADMIN_PORT' },
      { at: '$PORT', port: 3000, role: 'expose', variable: 'PORT', isDefault: true },
      { at: '${ADMIN_PORT}', port: 9000, role: 'expose', variable: 'ADMIN_PORT', protocol: 'udp' },
      { at: '8081', port: 8081, role: 'expose', variable: 'WEB_PORT', isDefault: true },
    ]);
  });

  it('reads ENV and ARG port variables in both ENV syntaxes, and URLs in values', () => {
    const text = [
      'ENV PORT=3000',
      'ENV PORT 3001',
      'ENV A=1 DB_PORT="5432" DATABASE_URL=postgres://db:5433/app',
      'ARG HTTP_PORT=8080',
      'ARG NO_DEFAULT_PORT',
      'ENV TIMEOUT=3000',
    ].join('\n');
    assert.deepEqual(scan(text), [
      { at: '3000', port: 3000, role: 'setting', variable: 'PORT' },
      { at: '3001', port: 3001, role: 'setting', variable: 'PORT' },
      { at: '5432', port: 5432, role: 'setting', variable: 'DB_PORT' },
      { at: '5433', port: 5433, role: 'connect', host: 'db', scheme: 'postgres', variable: 'DATABASE_URL' },
      { at: '8080', port: 8080, role: 'setting', variable: 'HTTP_PORT' },
    ]);
  });

  it('reads ports in HEALTHCHECK, CMD and RUN commands', () => {
    const text = [
      'HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1',
      'CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "80"]',
      'ENTRYPOINT gunicorn -b 0.0.0.0:8000 app:app',
      'RUN mkdir -p /app && pip install flask==2.0',
    ].join('\n');
    assert.deepEqual(scan(text), [
      { at: '8080', port: 8080, role: 'connect', host: 'localhost', scheme: 'http' },
      { at: '80', port: 80, role: 'listen', host: '0.0.0.0' },
      { at: '8000', port: 8000, role: 'listen', host: '0.0.0.0' },
    ]);
  });

  it('reads a registry port in FROM but not an image tag', () => {
    assert.deepEqual(scan('FROM localhost:5000/team/app:1.2\nFROM postgres:16\nFROM node:20-alpine AS b'), [
      { at: '5000', port: 5000, role: 'connect', host: 'localhost' },
    ]);
  });

  it('ignores comments, unknown instructions and non-port numbers', () => {
    const text =
      '# EXPOSE 1234\nLABEL version="1.2.3"\nWORKDIR /srv/8080\nUSER 1000:1000\nSTOPSIGNAL 9\nEXPOSE\n';
    assert.deepEqual(scan(text), []);
  });

  it('honours the backtick escape directive (Windows images)', () => {
    const text = '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nEXPOSE 80 `\n  443\n';
    assert.deepEqual(scan(text), [
      { at: '80', port: 80, role: 'expose' },
      { at: '443', port: 443, role: 'expose' },
    ]);
  });

  it('keeps exact offsets with CRLF and continuations', () => {
    const text = 'FROM x\r\nENV A=1 \\\r\n    PORT=3000\r\nEXPOSE 3000\r\n';
    assert.deepEqual(
      scan(text).map((v) => [v.at, v.role]),
      [
        ['3000', 'setting'],
        ['3000', 'expose'],
      ],
    );
    assert.equal(findDockerfilePorts(text)[1].range.start, text.lastIndexOf('3000'));
  });

  it('reads a realistic multi-stage Dockerfile', () => {
    const text = fs.readFileSync(path.join(fixtures, 'node-api/Dockerfile'), 'utf8');
    assert.deepEqual(scan(text), [
      { at: '3000', port: 3000, role: 'setting', variable: 'PORT' },
      { at: '9464', port: 9464, role: 'setting', variable: 'METRICS_PORT' },
      { at: '$PORT', port: 3000, role: 'expose', variable: 'PORT', isDefault: true },
      { at: '9464', port: 9464, role: 'expose', protocol: 'tcp' },
      { at: '3000', port: 3000, role: 'connect', host: '127.0.0.1', scheme: 'http' },
      { at: '3000', port: 3000, role: 'listen' },
    ]);
  });

  it('survives huge and binary input', () => {
    const text = 'RUN ' + 'echo a:1 && '.repeat(500_000) + '\nEXPOSE 80';
    assert.deepEqual(
      scan(text).map((v) => v.at),
      ['80'],
    );
    const junk = Array.from({ length: 100_000 }, (_, i) => String.fromCharCode((i * 131) % 65536)).join('');
    assert.deepEqual(
      findDockerfilePorts(`${junk}\nEXPOSE 8081`).map((m) => [m.port, m.role]),
      [[8081, 'expose']],
    );
    assert.deepEqual(findDockerfilePorts(''), []);
  });
});
