// The misses seen on real repositories (issue 10), each with its fixture under fixtures/trust: what
// must now be found, and next to it what must still not be.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkFiles } from '../../cli/check';
import { DEFAULT_WALK, walkFiles } from '../../cli/walk';
import { writtenImage } from '../../data/images';
import { hoverMarkdown } from '../../present/hoverMarkdown';
import { detectFileKind, scanText, type PortMention } from '../../scan';
import { dotenvValues } from '../../scan/dotenv';

const fixtures = path.resolve(__dirname, '../../../src/test/fixtures/trust');

function read(name: string): { file: string; text: string } {
  const file = path.join(fixtures, name);
  return { file, text: fs.readFileSync(file, 'utf8') };
}

/** `[port, role, written host or variable]` for each mention, in order. */
function brief(mentions: PortMention[], extra: (m: PortMention) => unknown = () => undefined): unknown[] {
  return mentions.map((m) => {
    const more = extra(m);
    return more === undefined ? [m.port, m.role] : [m.port, m.role, more];
  });
}

function scanFixture(name: string): PortMention[] {
  const { file, text } = read(name);
  return scanText(file, text);
}

function checked(
  folder: string,
): { file: string; line: number; severity: string; code: string; message: string }[] {
  return checkFiles({
    paths: [path.join(fixtures, folder)],
    severities: {},
    ignore: [],
    limits: { unprivilegedPortStart: 1024, ephemeralRange: { from: 32768, to: 60999 } },
    maxFileSize: DEFAULT_WALK.maxFileSize,
    gitignore: false,
  }).map((r) => ({ ...r, file: path.basename(r.file) }));
}

describe('issue 10 misses: nginx configs recognised by content', () => {
  it('reads `proxy/conf/*.conf`, a `default.conf` beside a Dockerfile and a `.conf.template` as nginx', () => {
    for (const name of [
      'webconf/proxy/conf/app.conf',
      'webconf/frontend/default.conf',
      'webconf/web/default.conf.template',
    ]) {
      const { file, text } = read(name);
      assert.equal(detectFileKind(file, undefined, text), 'nginx', name);
    }
    assert.deepEqual(
      brief(scanFixture('webconf/proxy/conf/app.conf'), (m) => m.kind),
      [
        [8000, 'connect', 'nginx'],
        [80, 'listen', 'nginx'],
        // `proxy_pass http://api` reaches `upstream api`'s server.
        [8000, 'connect', 'nginx'],
      ],
    );
    // `listen ${NGINX_PORT};` is filled in by envsubst; the written 443 is the port.
    assert.deepEqual(brief(scanFixture('webconf/web/default.conf.template')), [[443, 'listen']]);
  });

  it('does not read ini-style or Apache `.conf` files as nginx', () => {
    for (const name of ['webconf/app/settings.conf', 'webconf/apache/site.conf']) {
      const { file, text } = read(name);
      assert.equal(detectFileKind(file, undefined, text), 'code', name);
    }
    assert.deepEqual(brief(scanFixture('webconf/app/settings.conf')), [[8081, 'setting']]);
    assert.deepEqual(brief(scanFixture('webconf/apache/site.conf')), []);
  });

  it('walks `.conf.template` files, and judges their listens as nginx (the master binds as root)', () => {
    const walked = [...walkFiles([path.join(fixtures, 'webconf')])].map((w) => path.basename(w.path));
    assert.ok(walked.includes('default.conf.template'), walked.join(' '));
    const findings = checked('webconf').filter((r) => r.code === 'privileged-port');
    assert.deepEqual(
      findings.map((r) => [r.file, r.line, r.severity]),
      [
        ['app.conf', 6, 'information'],
        ['default.conf.template', 3, 'information'],
      ],
    );
    assert.match(findings[0].message, /nginx's master process binds as root/);
  });
});

describe('issue 10 misses: keys ending `.protocol.port`', () => {
  it('finds `dubbo.protocol.port=50051` in .properties and YAML, not the protocol name or thread count', () => {
    assert.deepEqual(
      brief(scanFixture('dubbo/application.properties'), (m) => m.variable),
      [[50051, 'setting', 'dubbo.protocol.port']],
    );
    assert.deepEqual(
      brief(scanFixture('dubbo/application.yml'), (m) => m.variable),
      [[50052, 'setting', 'dubbo.protocol.port']],
    );
  });
});

describe("issue 10 misses: Traefik's IngressRoute and TraefikService ports", () => {
  it('reads route services, weighted services and mirrors as connects to the Service named', () => {
    assert.deepEqual(
      brief(scanFixture('traefik/routes.yaml'), (m) => m.service),
      [
        [80, 'connect', 'whoami'],
        [8080, 'connect', 'blue'],
        [9090, 'connect', 'main'],
        [9091, 'connect', 'shadow'],
      ],
    );
  });

  it('leaves the same shape alone in a kind that is not Traefik', () => {
    assert.ok(!scanFixture('traefik/routes.yaml').some((m) => m.port === 7070));
  });
});

describe("issue 10 misses: a compose host port from the project's .env", () => {
  it('reads .env values as Compose does: quotes removed, comments skipped', () => {
    const values = dotenvValues(read('sentry/.env').text);
    assert.deepEqual(
      [...values],
      [
        ['SENTRY_BIND', '9000'],
        ['RELAY_PORT', '3002'],
      ],
    );
  });

  it('resolves `$SENTRY_BIND:80/tcp` to host port 9000, and a set variable over its `:-` default', () => {
    const { file, text } = read('sentry/docker-compose.yml');
    const env = { file: '.env', values: dotenvValues(read('sentry/.env').text) };
    const published = scanText(file, text, undefined, env).filter((m) => m.role === 'publish');
    assert.deepEqual(
      published.map((m) => [m.port, m.variable, m.envFile ?? null, m.isDefault ?? false]),
      [
        [9000, 'SENTRY_BIND', '.env', false],
        [3002, 'RELAY_PORT', '.env', false],
        [9001, 'WEB_PORT', null, true],
      ],
    );
    const hover = hoverMarkdown(published[0], {});
    assert.match(hover, /`SENTRY_BIND` is 9000 in `\.env`, as Compose reads it\./);
  });

  it('without a .env, a bare variable publishes nothing known and the default stays the default', () => {
    const published = scanFixture('sentry/docker-compose.yml').filter((m) => m.role === 'publish');
    assert.deepEqual(
      published.map((m) => [m.port, m.variable]),
      [
        [3001, 'RELAY_PORT'],
        [9001, 'WEB_PORT'],
      ],
    );
  });

  it('portolan check reads the .env beside the compose file', () => {
    const exposed = checked('sentry').filter((r) => r.code === 'exposed-database');
    // 9000 → 80 is the nginx front, no database: nothing to report, but the scan knows the host port.
    assert.deepEqual(exposed, []);
    const rows = checkFiles({
      paths: [path.join(fixtures, 'sentry')],
      severities: { 'privileged-port': 'off' },
      ignore: [],
      limits: { unprivilegedPortStart: 9500, ephemeralRange: { from: 32768, to: 60999 } },
      maxFileSize: DEFAULT_WALK.maxFileSize,
      gitignore: false,
    });
    assert.deepEqual(rows, []);
  });
});

describe('issue 10 misses: a port passed to a constructor', () => {
  it('finds `new EmbeddedZooKeeper(2181, false)` as a listen; a broker count and other classes are no port', () => {
    assert.deepEqual(
      brief(scanFixture('java/Main.java'), (m) => m.kind),
      [[2181, 'listen', 'code']],
    );
  });
});

describe('issue 10 misses: Kafka and Redpanda', () => {
  it('a listener on 0.0.0.0 is where the broker binds, not a connect; advertised listeners and bootstrap servers are', () => {
    const mentions = scanFixture('kafka/docker-compose.yml').filter(
      (m) => m.role !== 'publish' && m.role !== 'target',
    );
    assert.deepEqual(
      mentions.map((m) => [m.port, m.role === 'connect' ? 'connect' : 'bind', m.host ?? null]),
      [
        [9092, 'bind', '0.0.0.0'],
        [19092, 'bind', '0.0.0.0'],
        [9092, 'connect', 'redpanda'],
        [19092, 'connect', 'localhost'],
        [9092, 'bind', '0.0.0.0'],
        [9092, 'connect', 'kafka'],
        [9092, 'connect', 'kafka'],
      ],
    );
    assert.deepEqual(
      brief(scanFixture('kafka/server.properties'), (m) => m.host),
      [
        [9092, 'listen', '0.0.0.0'],
        [9092, 'connect', 'broker.example.com'],
      ],
    );
  });

  it('names the broker from the image in the hover', () => {
    const published = scanFixture('kafka/docker-compose.yml').find((m) => m.role === 'publish');
    assert.ok(published);
    assert.match(hoverMarkdown(published, {}), /Redpanda broker/);
  });
});

describe("issue 10 noise: a web server's own defaults", () => {
  it('a listen on 80 in a project that grants itself CAP_NET_BIND_SERVICE is information, naming where', () => {
    const findings = checked('webserver').filter((r) => r.code === 'privileged-port');
    assert.deepEqual(
      findings.map((r) => [r.file, r.line, r.severity]),
      [['server.go', 6, 'information']],
    );
    assert.match(findings[0].message, /grants its program CAP_NET_BIND_SERVICE \(cmd\/setcap\.sh\)/);
  });

  it('the same listen stays a warning where nothing grants it (a commented-out grant does not count)', () => {
    const findings = checked('devserver').filter((r) => r.code === 'privileged-port');
    assert.deepEqual(
      findings.map((r) => [r.file, r.line, r.severity]),
      [['server.go', 6, 'warning']],
    );
  });
});

describe('issue 10 class 4: a shared port is named from the image, not the number', () => {
  it('an application image on 7000 or 9000 is no database; Cassandra and PHP-FPM images are', () => {
    const exposed = checked('naming')
      .filter((r) => r.code === 'exposed-database' || r.code === 'exposed-service')
      .map((r) => `${r.line} ${r.code} ${/publishes (.+?) on all/.exec(r.message)?.[1]}`);
    // FastCGI runs code for whoever connects: a service to control, not data.
    assert.deepEqual(exposed, [
      '14 exposed-database Cassandra intra-node (gossip)',
      '18 exposed-service PHP-FPM (FastCGI)',
      '22 exposed-database MongoDB',
    ]);
  });

  it('hovers name the port from the image first, and never from the number against the image', () => {
    const published = scanFixture('naming/docker-compose.yml').filter((m) => m.role === 'publish');
    const title = (service: string): string =>
      hoverMarkdown(
        published.find((m) => m.service === service)!,
        {},
      )
        .split('\n')[0]
        .replace(/\\/g, '')
        .replace(/ — .*$/, '');
    assert.equal(title('api'), '**9000/tcp**');
    assert.equal(title('statistics'), '**7000/tcp**');
    assert.match(
      hoverMarkdown(
        published.find((m) => m.service === 'api')!,
        {},
      ),
      /Served by the image `myorg\/api`/,
    );
    assert.equal(title('fpm'), '**9000/tcp** · PHP-FPM (FastCGI)');
    assert.equal(title('cassandra'), '**7000/tcp** · Cassandra intra-node (gossip)');
    assert.equal(title('mongo'), '**27017/tcp** · MongoDB');
  });
});

describe("issue 10 class 4: a service built from source is the project's program, not the number's", () => {
  it('a build-only service on 7000 or 9000 is no database; a build context or service name that says Cassandra or FPM is', () => {
    const exposed = checked('naming-build')
      .filter((r) => r.code === 'exposed-database' || r.code === 'exposed-service')
      .map((r) => `${r.file}:${r.line} ${r.code} ${/publishes (.+?) on all/.exec(r.message)?.[1]}`);
    assert.deepEqual(exposed, [
      'docker-compose.dev.yml:15 exposed-database Cassandra intra-node (gossip)',
      'docker-compose.dev.yml:19 exposed-database MongoDB',
      'docker-compose.dev.yml:22 exposed-service PHP-FPM (FastCGI)',
    ]);
  });

  it('hovers say the service is built from source instead of naming it from the number', () => {
    const published = scanFixture('naming-build/docker-compose.dev.yml').filter((m) => m.role === 'publish');
    const hover = (service: string): string =>
      hoverMarkdown(
        published.find((m) => m.service === service)!,
        {},
      ).replace(/\\/g, '');
    assert.equal(
      hover('ledger')
        .split('\n')[0]
        .replace(/ — .*$/, ''),
      '**7000/tcp**',
    );
    assert.match(hover('ledger'), /Built from `ledger`, not what this number usually is/);
    // The number's security notes are about Cassandra, which this is not.
    assert.doesNotMatch(hover('ledger'), /\$\(warning\) Cassandra/);
    assert.equal(
      hover('reports')
        .split('\n')[0]
        .replace(/ — .*$/, ''),
      '**9000/tcp**',
    );
    assert.match(hover('reports'), /Built from `\.\/services\/reports`/);
    assert.equal(published.find((m) => m.service === 'reports')?.build, './services/reports');
  });
});

describe('issue 10: port-conflict compares only Compose files that run in one project', () => {
  const conflicts = (folder: string): string[] =>
    checked(`compose-projects/${folder}`)
      .filter((r) => r.code === 'port-conflict')
      .map((r) => `${r.file}:${r.line}`);

  it('an alternative file whose services all stand alone is a project of its own', () => {
    assert.deepEqual(conflicts('alternatives'), []);
  });

  it('compose.override.* is always layered over the default file', () => {
    assert.deepEqual(conflicts('override'), ['docker-compose.override.yml:6', 'docker-compose.yml:5']);
  });

  it('a file with a partial service (no image, no build) is layered over the default file', () => {
    assert.deepEqual(conflicts('partial'), ['docker-compose.dev.yml:9', 'docker-compose.yml:5']);
  });

  it('a -f group in a Makefile combines complete files; a file run alone stays apart', () => {
    assert.deepEqual(conflicts('grouped'), ['docker-compose.prod.yml:6', 'docker-compose.yml:5']);
  });

  it('COMPOSE_FILE in the .env and include: combine files too', () => {
    assert.deepEqual(conflicts('envgroup'), ['compose.monitoring.yaml:5', 'compose.yaml:5']);
    assert.deepEqual(conflicts('included'), ['compose.yaml:7', 'compose.yaml:5']);
  });
});

describe('issue 10 class 3: a port range in a list is a range, not a port and a negative one', () => {
  it('reads Terraform firewall ports "1-65535" and "10000-19999" as ranges; 70000 stays an error', () => {
    assert.deepEqual(
      brief(scanFixture('terraform/firewall.tf'), (m) => m.portEnd),
      [
        [1, 'setting', 65535],
        [6379, 'setting'],
        [10000, 'setting', 19999],
        [70000, 'setting'],
      ],
    );
    assert.deepEqual(
      checked('terraform')
        .filter((r) => r.severity === 'error' || r.severity === 'warning')
        .map((r) => `${r.line} ${r.code}`),
      ['17 invalid-port'],
    );
  });
});

describe('issue 10 class 4: an admin port is named only by an image of its product', () => {
  it('kong on 8001 is the Kong Admin API, pebble on 15000 is not Envoy; a default in ${VAR:-image} counts', () => {
    const exposed = checked('naming-images')
      .filter((r) => r.code === 'exposed-database' || r.code === 'exposed-service')
      .map((r) => `${r.line} ${/publishes (.+?) on all/.exec(r.message)?.[1]}`);
    assert.deepEqual(exposed, [
      '6 Kong Admin API',
      '14 Envoy admin interface',
      '18 Docker Engine API (no TLS)',
    ]);
  });

  it('hovers name the product from the image, and say when the image is another program', () => {
    const published = scanFixture('naming-images/docker-compose.yml').filter((m) => m.role === 'publish');
    const hover = (service: string): string =>
      hoverMarkdown(
        published.find((m) => m.service === service)!,
        {},
      ).replace(/\\/g, '');
    // The headline: port and name, then what this line does with it.
    const headline = (service: string): string =>
      hover(service)
        .split('\n')[0]
        .replace(/ — .*$/, '');
    assert.equal(headline('gateway'), '**8001/tcp** · Kong Admin API');
    assert.equal(headline('acme'), '**15000/tcp**');
    assert.match(
      hover('acme'),
      /Served by the image `letsencrypt\/pebble`, not by what this number usually is/,
    );
    assert.deepEqual(
      ['${A:-kong:3.6}', 'temporalio/server:${TAG}', '${REGISTRY}/app:1', 'org/${APP}:1', 'redis:7'].map(
        writtenImage,
      ),
      ['kong:3.6', 'temporalio/server', undefined, undefined, 'redis:7'],
    );
  });
});
