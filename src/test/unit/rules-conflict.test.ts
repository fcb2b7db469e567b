import * as assert from 'node:assert/strict';
import { check, rulesOf, scanned, textAt } from './rulesSupport';
import { MAX_RELATED_CLAIMS } from '../../rules/portConflict';
import type { Finding, FileMentions } from '../../rules/types';

function compose(path: string, services: Record<string, string[]>): FileMentions {
  let text = 'services:\n';
  for (const [name, ports] of Object.entries(services)) {
    text += `  ${name}:\n    image: example/${name}\n    ports:\n`;
    for (const p of ports) {
      text += `      - "${p}"\n`;
    }
  }
  return scanned(path, text);
}

function conflicts(target: FileMentions, others: FileMentions[] = []): string[] {
  return rulesOf(check(target, others), 'port-conflict').map((f) => textAt(target, f));
}

describe('rules: port-conflict in Compose', () => {
  it('reports two services publishing one host port, pointing at each other', () => {
    const f = compose('/p/compose.yaml', { web: ['8080:80'], api: ['8080:3000'] });
    const findings = rulesOf(check(f), 'port-conflict');
    assert.equal(findings.length, 2);
    assert.equal(findings[0].severity, 'warning');
    assert.match(findings[0].message, /service "api"/);
    assert.match(findings[0].message, /port is already allocated/);
    assert.equal(findings[0].related.length, 1);
    assert.equal(findings[0].related[0].range.start, findings[1].range.start);
    assert.equal(findings[1].related[0].range.start, findings[0].range.start);
  });

  it('does not confuse protocols: 53/udp beside 53/tcp', () => {
    assert.deepEqual(conflicts(compose('/p/compose.yaml', { dns: ['53:53/udp', '53:53/tcp'] })), []);
    assert.deepEqual(
      conflicts(compose('/p/compose.yaml', { a: ['5000:5000/udp'], b: ['5000:5000/tcp'] })),
      [],
    );
  });

  it('compares addresses: distinct specific addresses do not overlap, a wildcard overlaps all', () => {
    assert.deepEqual(
      conflicts(compose('/p/compose.yaml', { a: ['127.0.0.1:8080:80'], b: ['127.0.0.2:8080:80'] })),
      [],
    );
    assert.deepEqual(conflicts(compose('/p/compose.yaml', { a: ['127.0.0.1:8080:80'], b: ['8080:80'] })), [
      '8080',
      '8080',
    ]);
    assert.deepEqual(
      conflicts(compose('/p/compose.yaml', { a: ['0.0.0.0:8080:80'], b: ['127.0.0.1:8080:80'] })),
      ['8080', '8080'],
    );
    assert.deepEqual(conflicts(compose('/p/compose.yaml', { a: ['[::]:8080:80'], b: ['[::1]:8080:80'] })), [
      '8080',
      '8080',
    ]);
  });

  it('finds overlapping ranges', () => {
    assert.deepEqual(conflicts(compose('/p/compose.yaml', { a: ['7000-7005:7000-7005'], b: ['7003:80'] })), [
      '7000-7005',
      '7003',
    ]);
    assert.deepEqual(
      conflicts(compose('/p/compose.yaml', { a: ['7000-7005:7000-7005'], b: ['7006:80'] })),
      [],
    );
  });

  it('reports a port published twice by one service with different targets', () => {
    assert.deepEqual(conflicts(compose('/p/compose.yaml', { a: ['8080:80', '8080:81'] })), ['8080', '8080']);
  });

  it('reads long syntax too', () => {
    const f = scanned(
      '/p/compose.yaml',
      'services:\n  a:\n    ports:\n      - target: 80\n        published: 9000\n  b:\n    ports:\n      - target: 81\n        published: "9000"\n        protocol: udp\n  c:\n    ports:\n      - "9000:82"\n',
    );
    assert.deepEqual(conflicts(f), ['9000', '9000']);
  });

  it("says when only the variables' defaults collide", () => {
    const f = compose('/p/compose.yaml', { a: ['${A_PORT:-8080}:80'], b: ['${B_PORT:-8080}:81'] });
    const findings = rulesOf(check(f), 'port-conflict');
    assert.equal(findings.length, 2);
    assert.match(findings[0].message, /defaults/);
  });

  it('compares a compose file with its overrides, which Compose merges', () => {
    const base = compose('/p/compose.yaml', { web: ['8080:80'] });
    const override = compose('/p/compose.override.yaml', { api: ['8080:3000'] });
    const baseFindings = rulesOf(check(base, [override]), 'port-conflict');
    assert.equal(baseFindings.length, 1);
    assert.match(baseFindings[0].message, /service "api" in compose\.override\.yaml/);
    assert.equal(baseFindings[0].related[0].file, '/p/compose.override.yaml');
    assert.deepEqual(conflicts(override, [base]), ['8080']);
  });

  it('treats the same mapping of the same service in an override as one entry (merged)', () => {
    const base = compose('/p/docker-compose.yml', { web: ['8080:80'] });
    const override = compose('/p/docker-compose.override.yml', { web: ['8080:80', '9090:90'] });
    assert.deepEqual(conflicts(base, [override]), []);
    assert.deepEqual(conflicts(override, [base]), []);
  });

  it('does not combine alternative overrides (.dev and .prod) with each other', () => {
    const base = compose('/p/compose.yaml', { db: ['127.0.0.1:5432:5432'] });
    const dev = compose('/p/compose.dev.yaml', { web: ['3000:3000'] });
    const prod = compose('/p/compose.prod.yaml', { web2: ['3000:8080'] });
    assert.deepEqual(conflicts(dev, [base, prod]), []);
    assert.deepEqual(conflicts(prod, [base, dev]), []);
    const clash = compose('/p/compose.prod.yaml', { other: ['5432:5432'] });
    assert.deepEqual(conflicts(clash, [base, dev]), ['5432']);
  });

  it('keeps separate folders (separate projects) apart', () => {
    const a = compose('/a/compose.yaml', { web: ['8080:80'] });
    const b = compose('/b/compose.yaml', { web: ['8080:80'] });
    assert.deepEqual(conflicts(a, [b]), []);
  });

  it('never compares .env settings with code listens, or code with code', () => {
    const env = scanned('/p/.env', 'PORT=3000\n');
    const code = scanned('/p/server.js', 'app.listen(process.env.PORT || 3000);\n');
    const code2 = scanned('/p/other.js', 'app.listen(3000);\n');
    assert.equal(rulesOf(check(code, [env, code2]), 'port-conflict').length, 0);
    assert.equal(rulesOf(check(env, [code, code2]), 'port-conflict').length, 0);
  });

  it('is silenced per line by portolan-ignore', () => {
    const f = scanned(
      '/p/compose.yaml',
      'services:\n  a:\n    ports:\n      - "8080:80" # portolan-ignore port-conflict\n  b:\n    ports:\n      - "8080:81"\n',
    );
    assert.equal(conflicts(f).length, 1);
  });
});

describe('rules: port-conflict in nginx', () => {
  it('reports two default_server on one address:port', () => {
    const f = scanned(
      '/n/nginx.conf',
      'http {\n  server {\n    listen 80 default_server;\n    server_name a.example;\n  }\n  server {\n    listen 80 default_server;\n    server_name b.example;\n  }\n}\n',
    );
    const findings = rulesOf(check(f), 'port-conflict');
    assert.equal(findings.length, 2);
    assert.match(findings[0].message, /duplicate default server/);
    assert.equal(findings[0].related.length, 1);
  });

  it('treats [::]:80 and 80 as different sockets', () => {
    const f = scanned(
      '/n/nginx.conf',
      'http {\n  server {\n    listen 80 default_server;\n    server_name a.example;\n  }\n  server {\n    listen [::]:80 default_server;\n    server_name a.example;\n  }\n}\n',
    );
    assert.deepEqual(conflicts(f), []);
  });

  it('accepts different server_names on 443 and reports the same name twice', () => {
    const distinct = scanned(
      '/n/nginx.conf',
      'http {\n  server {\n    listen 443 ssl;\n    server_name a.example;\n  }\n  server {\n    listen 443 ssl;\n    server_name b.example;\n  }\n}\n',
    );
    assert.deepEqual(conflicts(distinct), []);
    const same = scanned(
      '/n/nginx.conf',
      'http {\n  server {\n    listen 443 ssl;\n    server_name a.example www.a.example;\n  }\n  server {\n    listen 443 ssl;\n    server_name WWW.a.example;\n  }\n}\n',
    );
    const findings = rulesOf(check(same), 'port-conflict');
    assert.equal(findings.length, 2);
    assert.match(findings[0].message, /"www\.a\.example"/);
    assert.match(findings[0].message, /conflicting server name/);
  });

  it('does not treat repeated regex server names as a conflict', () => {
    const f = scanned(
      '/n/nginx.conf',
      'http {\n  server {\n    listen 80;\n    server_name ~^(www\\.)?a\\.example$;\n  }\n  server {\n    listen 80;\n    server_name ~^(www\\.)?a\\.example$;\n  }\n}\n',
    );
    assert.ok(
      f.mentions.some((m) => (m.nginx?.serverNames ?? []).some((n) => n.startsWith('~'))),
      'the finder keeps regex names',
    );
    assert.deepEqual(conflicts(f), []);
  });

  it('does not report one server_name on different ports or addresses', () => {
    const f = scanned(
      '/n/nginx.conf',
      'http {\n  server {\n    listen 80;\n    server_name a.example;\n  }\n  server {\n    listen 443 ssl;\n    server_name a.example;\n  }\n  server {\n    listen 127.0.0.1:80;\n    server_name a.example;\n  }\n}\n',
    );
    assert.deepEqual(conflicts(f), []);
  });

  it('reports the same listen twice in one server block', () => {
    const f = scanned('/n/nginx.conf', 'server {\n  listen 8080;\n  listen 8080;\n  server_name a;\n}\n');
    const findings = rulesOf(check(f), 'port-conflict');
    assert.equal(findings.length, 2);
    assert.match(findings[0].message, /duplicate listen/);
  });

  it('looks across conf.d, which one nginx includes, but not across sites-available or separate configs', () => {
    const block = (name: string): string =>
      `server {\n  listen 8080 default_server;\n  server_name ${name};\n}\n`;
    const a = scanned('/etc/nginx/conf.d/a.conf', block('a'));
    const b = scanned('/etc/nginx/conf.d/b.conf', block('b'));
    assert.deepEqual(conflicts(a, [b]), ['8080']);
    const sa = scanned('/etc/nginx/sites-available/a.conf', block('a'));
    const sb = scanned('/etc/nginx/sites-available/b.conf', block('b'));
    assert.deepEqual(conflicts(sa, [sb]), []);
    const one = scanned('/x/nginx/nginx.conf', block('a'));
    const two = scanned('/y/nginx/nginx.conf', block('a'));
    assert.deepEqual(conflicts(one, [two]), []);
  });
});

describe('rules: port-conflict output stays bounded', function () {
  // Scanning thousands of blocks on a busy machine can take a while; only the bounds are asserted.
  this.timeout(120_000);

  /** Every finding links at most MAX_RELATED_CLAIMS others and its message stays short. */
  function assertBounded(findings: Finding[], count: number): void {
    assert.equal(findings.length, count);
    for (const f of findings) {
      assert.ok(f.related.length <= MAX_RELATED_CLAIMS, `${f.related.length} related locations`);
      assert.ok(f.message.length < 800, `a message of ${f.message.length} characters`);
    }
  }

  function timed<T>(label: string, run: () => T): T {
    const start = Date.now();
    const result = run();
    process.stderr.write(`      [measure] ${label}: ${Date.now() - start} ms\n`);
    return result;
  }

  it('names ten of 1,000 `- 80:N` entries on one host port and counts the rest', () => {
    const items = Array.from({ length: 1000 }, (_, i) => `      - "80:${i + 1}"\n`).join('');
    const f = scanned('/p/compose.yaml', `services:\n  web:\n    image: nginx\n    ports:\n${items}`);
    const findings = timed('port-conflict on 1,000 compose entries', () =>
      rulesOf(check(f), 'port-conflict'),
    );
    assertBounded(findings, 1000);
    assert.equal(findings[0].related.length, MAX_RELATED_CLAIMS);
    assert.match(findings[0].message, /by 999 other entries, among them service "web"\./);
  });

  it('counts other services past the cap and lists each service once', () => {
    const services: Record<string, string[]> = {};
    for (let i = 0; i < 30; i++) {
      services[`s${i}`] = ['8080:80'];
    }
    const findings = rulesOf(check(compose('/p/compose.yaml', services)), 'port-conflict');
    assertBounded(findings, 30);
    assert.match(findings[0].message, /29 other entries, among them service "s1", service "s2",/);
    assert.doesNotMatch(findings[0].message, /service "s11"/);
  });

  it('cuts long service names in messages', () => {
    const long = 'a'.repeat(5000);
    const findings = rulesOf(
      check(compose('/p/compose.yaml', { [long]: ['8080:80'], b: ['8080:81'] })),
      'port-conflict',
    );
    assertBounded(findings, 2);
    assert.match(findings[1].message, /service "a{59}…"/);
  });

  it('bounds 2,000 `listen 80;` in one server block (duplicate listen)', () => {
    const listens = '  listen 80;\n'.repeat(2000);
    const f = scanned('/n/nginx.conf', `server {\n${listens}  server_name a;\n}\n`);
    const findings = timed('port-conflict on 2,000 nginx listens in one block', () =>
      rulesOf(check(f), 'port-conflict'),
    );
    assertBounded(findings, 2000);
    assert.match(
      findings[0].message,
      /listens on 0\.0\.0\.0:80 2000 times; `nginx -t` fails with "duplicate listen"/,
    );
  });

  it('bounds 2,000 server blocks sharing `listen 80 default_server` or a server_name', () => {
    const blocks = (extra: string, name: (i: number) => string): string =>
      Array.from(
        { length: 2000 },
        (_, i) => `server {\n  listen 80${extra};\n  server_name ${name(i)};\n}\n`,
      ).join('');
    const defaults = scanned(
      '/n/nginx.conf',
      blocks(' default_server', (i) => `s${i}.example`),
    );
    const defaultFindings = timed('port-conflict on 2,000 default_server blocks', () =>
      rulesOf(check(defaults), 'port-conflict'),
    );
    assertBounded(defaultFindings, 2000);
    assert.match(
      defaultFindings[0].message,
      /^1999 other server blocks are also the default_server for 0\.0\.0\.0:80;/,
    );
    const names = scanned(
      '/n/nginx.conf',
      blocks('', () => 'a.example'),
    );
    const nameFindings = timed('port-conflict on 2,000 blocks with one server_name', () =>
      rulesOf(check(names), 'port-conflict'),
    );
    assertBounded(nameFindings, 2000);
    assert.match(
      nameFindings[0].message,
      /server_name "a\.example" is also served on 0\.0\.0\.0:80 by 1999 other server blocks/,
    );
  });
});
