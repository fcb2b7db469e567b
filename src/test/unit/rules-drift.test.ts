// Drift rules over the endpoint model: a connection to a Compose service's port it does not serve,
// and a PORT that disagrees with the container port the mapping reaches. Both ways each.
import * as assert from 'node:assert/strict';
import { scanReport } from '../../scan';
import type { FileMentions } from '../../rules/types';
import { check, rulesOf, scanned, textAt } from './rulesSupport';

const COMPOSE = `services:
  api:
    build: ./api
    environment:
      - DATABASE_URL=postgres://app:secret@db:5433/app
      - CACHE=redis://cache:6379
    ports:
      - "8080:8000"
  db:
    image: postgres:16
    ports:
      - "5433:5432"
  cache:
    image: redis:7
`;

describe('rules: compose-service-port-unserved', () => {
  it('warns on a URL to the host port of a mapping used inside the network, naming the container port', () => {
    const f = scanned('/w/compose.yaml', COMPOSE);
    const findings = rulesOf(check(f), 'compose-service-port-unserved');
    assert.deepEqual(
      findings.map((x) => [textAt(f, x), x.severity]),
      [['5433', 'warning']],
    );
    assert.match(
      findings[0].message,
      /Connects to db:5433, but 5433 is the host port Compose service "db" is published on.*write db:5432\./,
    );
  });

  it('warns on nginx proxy_pass and a .env URL to a port the service does not declare', () => {
    const compose = scanned('/w/compose.yaml', COMPOSE);
    const nginx = scanned(
      '/w/nginx/nginx.conf',
      'server {\n  listen 80;\n  location / { proxy_pass http://api:8080; }\n  location /ok { proxy_pass http://api:8000; }\n}\n',
    );
    const [finding, ...rest] = rulesOf(check(nginx, [compose]), 'compose-service-port-unserved');
    assert.deepEqual(rest, []);
    assert.equal(textAt(nginx, finding), '8080');
    assert.match(
      finding.message,
      /Connects to api:8080, but 8080 is the host port Compose service "api" is published on.*write api:8000/,
    );
    const env = scanned('/w/.env', 'API_URL=http://api:9000/v1\n');
    const [fromEnv] = rulesOf(check(env, [compose]), 'compose-service-port-unserved');
    // Images serve ports their service never declares: a port that is not the mapping's host side is a fact.
    assert.equal(fromEnv.severity, 'information');
    assert.match(
      fromEnv.message,
      /Connects to api:9000, but Compose service "api" serves 8000 and not 9000\./,
    );
    assert.deepEqual(
      fromEnv.related.map((r) => r.file),
      ['/w/compose.yaml'],
    );
  });

  it("does not count a setting for another server's port (EMAIL_PORT) as a port the service serves", () => {
    // taiga: nginx proxies to taiga-back:8000, an image port never declared; EMAIL_PORT is its mail server's.
    const compose = scanned(
      '/w/compose.yaml',
      'services:\n  back:\n    image: example/back\n    environment:\n      EMAIL_HOST: smtp.example.com\n      EMAIL_PORT: 587\n  web:\n    image: example/web\n    environment:\n      PORT: 3000\n',
    );
    const nginx = scanned(
      '/w/nginx/site.conf',
      'server {\n  listen 80;\n  location /api { proxy_pass http://back:8000; }\n  location / { proxy_pass http://web:4000; }\n}\n',
    );
    const findings = rulesOf(check(nginx, [compose]), 'compose-service-port-unserved');
    // back declares nothing it serves: silent; web's own PORT still counts.
    assert.deepEqual(
      findings.map((x) => textAt(nginx, x)),
      ['4000'],
    );
    assert.match(findings[0].message, /Compose service "web" serves 3000 and not 4000/);
  });

  it('stays quiet on a service naming its own port (redpanda --advertise-rpc-addr redpanda:33145)', () => {
    const f = scanned(
      '/w/compose.yaml',
      'services:\n  redpanda:\n    image: redpandadata/redpanda\n    command:\n      - --rpc-addr redpanda:33145\n    ports:\n      - "19092:19092"\n',
    );
    assert.deepEqual(rulesOf(check(f), 'compose-service-port-unserved'), []);
  });

  it('stays quiet on a served port, a service that declares no ports, an unknown host, and localhost', () => {
    const quiet = COMPOSE.replace('db:5433', 'db:5432');
    const f = scanned('/w/compose.yaml', quiet);
    assert.deepEqual(rulesOf(check(f), 'compose-service-port-unserved'), []);
    const env = scanned(
      '/w/.env',
      'A=redis://cache:6380\nB=http://elsewhere:9999\nC=http://localhost:9998\n',
    );
    assert.deepEqual(rulesOf(check(env, [f]), 'compose-service-port-unserved'), []);
    const ignored = scanned(
      '/w/compose.yaml',
      COMPOSE.replace('@db:5433/app', '@db:5433/app # portolan-ignore compose-service-port-unserved'),
    );
    assert.deepEqual(rulesOf(check(ignored), 'compose-service-port-unserved'), []);
  });
});

describe('rules: compose-port-env-mismatch', () => {
  const compose = (port: string, mapping = '"8080:3000"', build = '    build: .\n'): string =>
    `services:\n  web:\n${build}    environment:\n      PORT: ${port}\n    ports:\n      - ${mapping}\n`;

  it('warns when PORT and the mapped container port disagree', () => {
    const f = scanned('/w/compose.yaml', compose('4000'));
    const [finding, ...rest] = rulesOf(check(f), 'compose-port-env-mismatch');
    assert.deepEqual(rest, []);
    assert.equal(finding.severity, 'warning');
    assert.equal(textAt(f, finding), '4000');
    assert.match(finding.message, /^Service "web": PORT is 4000, but its ports: map container port 3000/);
    assert.equal(finding.related.length, 1);
  });

  it('names the .env line when PORT comes from there', () => {
    const text = compose('${PORT}');
    const env = { file: '.env', values: new Map([['PORT', '4000']]), lines: new Map([['PORT', 3]]) };
    const f: FileMentions = {
      file: '/w/compose.yaml',
      kind: 'compose',
      mentions: scanReport('compose', text, '/w/compose.yaml', env).mentions,
      text,
    };
    const [finding] = rulesOf(check(f), 'compose-port-env-mismatch');
    assert.match(finding.message, /PORT is 4000 in \.env line 3, but its ports: map container port 3000/);
  });

  const withEnv = (
    text: string,
    values: Record<string, string>,
    process?: Record<string, string>,
  ): FileMentions => {
    const names = Object.keys(values);
    const env = {
      file: '.env',
      values: new Map(Object.entries(values)),
      lines: new Map(names.map((name, i) => [name, i + 3])),
      ...(process ? { process: new Map(Object.entries(process)) } : {}),
    };
    return {
      file: '/w/compose.yaml',
      kind: 'compose',
      mentions: scanReport('compose', text, '/w/compose.yaml', env).mentions,
      text,
    };
  };

  it('judges PORT: ${APP_PORT} by the number Compose interpolates, and says where it is set', () => {
    const fromFile = withEnv(compose('${APP_PORT}'), { APP_PORT: '4000' });
    const [finding, ...rest] = rulesOf(check(fromFile), 'compose-port-env-mismatch');
    assert.deepEqual(rest, []);
    assert.equal(textAt(fromFile, finding), '${APP_PORT}');
    assert.match(
      finding.message,
      /^Service "web": PORT is 4000, from APP_PORT in \.env line 3, but its ports: map container port 3000/,
    );
    // `.env` wins over the default written beside it; the environment Compose runs in wins over `.env`.
    const overDefault = withEnv(compose('${APP_PORT:-3000}'), { APP_PORT: '4000' });
    assert.match(
      rulesOf(check(overDefault), 'compose-port-env-mismatch')[0]?.message ?? '',
      /PORT is 4000, from APP_PORT in \.env line 3/,
    );
    const fromProcess = withEnv(compose('${APP_PORT}'), { APP_PORT: '3000' }, { APP_PORT: '5000' });
    assert.match(
      rulesOf(check(fromProcess), 'compose-port-env-mismatch')[0]?.message ?? '',
      /PORT is 5000, from APP_PORT in the environment Compose runs in/,
    );
    const byDefault = scanned('/w/compose.yaml', compose('${APP_PORT:-4000}'));
    const [fallback] = rulesOf(check(byDefault), 'compose-port-env-mismatch');
    assert.equal(textAt(byDefault, fallback), '4000');
    assert.match(fallback.message, /PORT is 4000, the default written for APP_PORT, which nothing sets/);
    // List form, and the mapping's container side read from another default.
    const list = scanned(
      '/w/compose.yaml',
      'services:\n  web:\n    build: .\n    environment:\n      - PORT=${APP_PORT:-3000}\n    ports:\n      - "${APP_PORT:-8080}:${APP_PORT:-8080}"\n',
    );
    assert.equal(rulesOf(check(list), 'compose-port-env-mismatch').length, 1);
  });

  it('stays quiet on PORT: ${APP_PORT} that agrees, that nothing sets, and that the mapping reads too', () => {
    const agreeing = withEnv(compose('${APP_PORT}'), { APP_PORT: '3000' });
    assert.deepEqual(rulesOf(check(agreeing), 'compose-port-env-mismatch'), []);
    assert.deepEqual(rulesOf(check(withEnv(compose('${APP_PORT}'), {})), 'compose-port-env-mismatch'), []);
    assert.deepEqual(
      rulesOf(check(scanned('/w/compose.yaml', compose('${APP_PORT}'))), 'compose-port-env-mismatch'),
      [],
    );
    // Another variable than PORT is not what the program listens on.
    assert.deepEqual(
      rulesOf(
        check(
          withEnv(compose('4000').replace('PORT: 4000', 'DEBUG_PORT: ${APP_PORT}'), { APP_PORT: '4000' }),
        ),
        'compose-port-env-mismatch',
      ),
      [],
    );
    for (const [mapping, values] of [
      ['"${APP_PORT}:${APP_PORT}"', { APP_PORT: '4000' }],
      ['"${APP_PORT}:${APP_PORT}"', {}],
      ['"9229:9229"\n      - "${APP_PORT}:${APP_PORT}"', {}],
    ] as const) {
      const text = compose('${APP_PORT:-4000}', mapping);
      assert.deepEqual(rulesOf(check(withEnv(text, values)), 'compose-port-env-mismatch'), [], text);
    }
    const long = `services:\n  web:\n    build: .\n    environment:\n      PORT: \${APP_PORT:-4000}\n    ports:\n      - target: \${APP_PORT}\n        published: 8080\n      - "9229:9229"\n`;
    assert.deepEqual(rulesOf(check(scanned('/w/compose.yaml', long)), 'compose-port-env-mismatch'), []);
  });

  it('stays quiet when they agree, for a prebuilt image, without ports, and when the port is exposed', () => {
    for (const text of [
      compose('3000'),
      compose('"3000"'),
      compose('4000', '"8080:3000"', '    image: node:20\n'),
      `services:\n  web:\n    build: .\n    environment:\n      PORT: 4000\n`,
      compose('4000', '"8080:3000"\n    expose:\n      - "4000"'),
      compose('3005', '"8080-8090:3000-3010"'),
    ]) {
      assert.deepEqual(
        rulesOf(check(scanned('/w/compose.yaml', text)), 'compose-port-env-mismatch'),
        [],
        text,
      );
    }
  });
});
