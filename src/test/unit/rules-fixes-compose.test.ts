// Every "Bind to 127.0.0.1 only" fix result, checked by Debian's `docker-compose config` (which
// interpolates `.env` and validates without an engine): accepted, and published on 127.0.0.1
// only, also when a variable moves the host port. In CI a missing docker-compose fails the test.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { fixesFor } from '../../rules/fixes';
import { WorkspaceIndex } from '../../workspace';
import type { TextEdit } from '../../rules/types';
import { check, rulesOf, scanned } from './rulesSupport';

interface Fixture {
  name: string;
  compose: string;
  env?: string;
}

const FIXTURES: Fixture[] = [
  { name: 'short', compose: 'services:\n  db:\n    image: postgres\n    ports:\n      - "5432:5432"\n' },
  {
    name: 'short with wildcard host',
    compose: 'services:\n  db:\n    image: redis\n    ports:\n      - 0.0.0.0:6379:6379\n',
  },
  {
    name: 'short interpolated, variable unset',
    compose: 'services:\n  db:\n    image: postgres\n    ports:\n      - "${DB_PORT:-5432}:5432"\n',
  },
  {
    name: 'short interpolated, DB_PORT=15432',
    compose: 'services:\n  db:\n    image: postgres\n    ports:\n      - "${DB_PORT:-5432}:5432"\n',
    env: 'DB_PORT=15432\n',
  },
  {
    name: 'short interpolated with wildcard host, DB_PORT=15432',
    compose: 'services:\n  db:\n    image: postgres\n    ports:\n      - 0.0.0.0:${DB_PORT:-5432}:5432\n',
    env: 'DB_PORT=15432\n',
  },
  {
    name: 'long',
    compose:
      'services:\n  db:\n    image: postgres\n    ports:\n      - target: 5432\n        published: 5432\n',
  },
  {
    name: 'long interpolated, DB_PORT=15432',
    compose:
      'services:\n  db:\n    image: postgres\n    ports:\n      - target: 5432\n        published: ${DB_PORT:-5432}\n',
    env: 'DB_PORT=15432\n',
  },
  {
    name: 'long interpolated and quoted, variable unset',
    compose:
      'services:\n  db:\n    image: mysql\n    ports:\n      - target: 3306\n        published: "${MYSQL_PORT:-3306}"\n        protocol: tcp\n',
  },
];

function apply(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.range.start - a.range.start)) {
    out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  }
  return out;
}

function dockerCompose(): string | undefined {
  const probe = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
  return probe.status === 0 ? 'docker-compose' : undefined;
}

/** `docker-compose config` in a folder holding the file (and .env); no engine is contacted. */
function config(dir: string): { ok: boolean; out: string; err: string } {
  const run = spawnSync('docker-compose', ['-f', 'compose.yaml', 'config'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, DOCKER_HOST: `unix://${path.join(dir, 'no-such-docker.sock')}` },
  });
  return { ok: run.status === 0, out: run.stdout, err: run.stderr };
}

/** Host addresses of every published port in `config` output (short `ip:host:container/proto` or long). */
function publishedHosts(configOutput: string): string[] {
  const doc = parse(configOutput) as { services: Record<string, { ports?: unknown[] }> };
  const hosts: string[] = [];
  for (const service of Object.values(doc.services)) {
    for (const port of service.ports ?? []) {
      if (typeof port === 'string') {
        const parts = port.split(':');
        hosts.push(parts.length === 3 ? parts[0] : '');
      } else {
        hosts.push(String((port as { host_ip?: string }).host_ip ?? ''));
      }
    }
  }
  return hosts;
}

describe('rules: bind-loopback results pass docker-compose config', function () {
  this.timeout(120_000);
  let dir: string;

  before(function () {
    if (!dockerCompose()) {
      if (process.env.CI) {
        assert.fail(
          'docker-compose is not installed (apt-get install docker-compose): CI must run this test',
        );
      }
      this.skip();
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portolan-compose-'));
  });

  after(() => {
    if (dir) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const fixture of FIXTURES) {
    it(`${fixture.name}: accepted, and published on 127.0.0.1 only`, () => {
      const f = scanned('/p/compose.yaml', fixture.compose);
      const findings = rulesOf(check(f), 'exposed-database');
      assert.equal(findings.length, 1, 'the fixture publishes one database port on every interface');
      const fix = fixesFor(findings[0], {
        file: f.file,
        kind: f.kind,
        text: fixture.compose,
        workspace: WorkspaceIndex.of([f]),
      }).find((x) => x.id === 'bind-loopback');
      assert.ok(fix && fix.kind === 'edit', 'no bind-loopback fix');
      const fixed = apply(fixture.compose, fix.edits);
      fs.writeFileSync(path.join(dir, 'compose.yaml'), fixed);
      fs.rmSync(path.join(dir, '.env'), { force: true });
      if (fixture.env) {
        fs.writeFileSync(path.join(dir, '.env'), fixture.env);
      }
      let result = config(dir);
      if (!result.ok && /unsupported option: 'host_ip'/.test(result.err)) {
        // Compose 1.x predates `host_ip` (Compose v2 and the Compose Specification have it): check
        // the rest of the file with 1.x, and the key itself as written.
        const item = /\n(\s*)host_ip: 127\.0\.0\.1\n/.exec(fixed);
        assert.ok(item, `the fix wrote host_ip oddly:\n${fixed}`);
        const doc = parse(fixed) as { services: { db: { ports: { host_ip?: string }[] } } };
        assert.equal(doc.services.db.ports[0].host_ip, '127.0.0.1');
        fs.writeFileSync(path.join(dir, 'compose.yaml'), fixed.replace(item[0], '\n'));
        result = config(dir);
        assert.ok(result.ok, `docker-compose config rejected the fixed file:\n${fixed}\n${result.err}`);
        return;
      }
      assert.ok(result.ok, `docker-compose config rejected the fixed file:\n${fixed}\n${result.err}`);
      assert.deepEqual(publishedHosts(result.out), ['127.0.0.1'], `${fixed}\n${result.out}`);
    });
  }
});
