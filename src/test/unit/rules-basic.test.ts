import * as assert from 'node:assert/strict';
import { check, file, LINUX_LIMITS, mention, rulesOf, scanned, textAt } from './rulesSupport';

describe('rules: invalid-port', () => {
  it('reports numbers that are not ports', () => {
    for (const port of [65536, 99999, -1]) {
      const findings = rulesOf(
        check(file('a.ts', [mention({ port, role: 'listen', kind: 'code' })])),
        'invalid-port',
      );
      assert.equal(findings.length, 1, String(port));
      assert.equal(findings[0].severity, 'error');
    }
  });

  it('reports 0 where a concrete port is required, not where it means "any port"', () => {
    assert.equal(
      rulesOf(
        check(file('compose.yaml', [mention({ port: 0, role: 'target', kind: 'compose' })])),
        'invalid-port',
      ).length,
      1,
    );
    assert.equal(
      rulesOf(
        check(file('Dockerfile', [mention({ port: 0, role: 'expose', kind: 'dockerfile' })])),
        'invalid-port',
      ).length,
      1,
    );
    assert.equal(
      rulesOf(
        check(file('nginx.conf', [mention({ port: 0, role: 'listen', kind: 'nginx' })])),
        'invalid-port',
      ).length,
      1,
    );
    // server.listen(0) asks the OS for a free port; PORT=0 and `-p 0:80` do the same.
    assert.equal(
      rulesOf(check(file('a.js', [mention({ port: 0, role: 'listen', kind: 'code' })])), 'invalid-port')
        .length,
      0,
    );
    assert.equal(
      rulesOf(check(file('.env', [mention({ port: 0, role: 'setting', kind: 'dotenv' })])), 'invalid-port')
        .length,
      0,
    );
  });

  it('reports reversed ranges and host/container ranges of different lengths', () => {
    const reversed = rulesOf(
      check(file('compose.yaml', [mention({ port: 3005, portEnd: 3000, role: 'publish', kind: 'compose' })])),
      'invalid-port',
    );
    assert.equal(reversed.length, 1);
    assert.match(reversed[0].message, /Reversed range 3005-3000/);
    const uneven = rulesOf(
      check(
        file('compose.yaml', [
          mention({
            port: 3000,
            portEnd: 3005,
            role: 'publish',
            kind: 'compose',
            counterpart: { port: 3000, portEnd: 3002 },
          }),
        ]),
      ),
      'invalid-port',
    );
    assert.equal(uneven.length, 1);
    assert.match(uneven[0].message, /6 ports .* 3/);
  });

  it('accepts equal-length ranges and a host range onto one container port', () => {
    const even = mention({
      port: 3000,
      portEnd: 3005,
      role: 'publish',
      kind: 'compose',
      counterpart: { port: 4000, portEnd: 4005 },
    });
    const toOne = mention({
      port: 9090,
      portEnd: 9091,
      role: 'publish',
      kind: 'compose',
      counterpart: { port: 8080 },
    });
    assert.equal(rulesOf(check(file('compose.yaml', [even, toOne])), 'invalid-port').length, 0);
  });

  it('finds them in real compose text', () => {
    const f = scanned(
      'compose.yaml',
      'services:\n  a:\n    ports:\n      - "70000:80"\n      - "3005-3000:3000-3005"\n',
    );
    const findings = rulesOf(check(f), 'invalid-port');
    assert.deepEqual(
      findings.map((x) => textAt(f, x)),
      ['70000', '3005-3000'],
    );
  });
});

describe('rules: privileged-port', () => {
  it('reports host binds below the threshold: code listen, compose publish', () => {
    const listen = mention({ port: 80, role: 'listen', kind: 'code' });
    const publish = mention({ port: 443, role: 'publish', kind: 'compose', counterpart: { port: 443 } });
    const findings = rulesOf(check(file('x', [listen, publish])), 'privileged-port');
    assert.equal(findings.length, 2);
    assert.equal(findings[0].severity, 'warning');
    assert.match(findings[0].message, /CAP_NET_BIND_SERVICE/);
    assert.match(findings[0].message, /Use 8080 instead/);
    assert.match(findings[1].message, /rootless Docker and Podman/);
    assert.match(findings[1].message, /Use 8443 instead/);
    assert.match(findings[1].message, /macOS/);
    assert.match(findings[1].message, /Windows has no privileged ports/);
  });

  it('leaves container-side targets, connects, settings and high ports alone', () => {
    const f = scanned(
      'compose.yaml',
      'services:\n  web:\n    ports:\n      - "8080:80"\n    environment:\n      - DB=postgres://db:22/x\n',
    );
    assert.equal(rulesOf(check(f), 'privileged-port').length, 0);
    const others = [
      mention({ port: 22, role: 'connect', kind: 'code', host: 'localhost' }),
      mention({ port: 80, role: 'setting', kind: 'dotenv' }),
      mention({ port: 1024, role: 'listen', kind: 'code' }),
      mention({ port: 80, role: 'expose', kind: 'dockerfile' }),
    ];
    assert.equal(rulesOf(check(file('x', others)), 'privileged-port').length, 0);
  });

  it('follows the threshold: 0 (ip_unprivileged_port_start=0) silences it, 2000 widens it', () => {
    const f = file('a.js', [
      mention({ port: 80, role: 'listen', kind: 'code' }),
      mention({ port: 1500, role: 'listen', kind: 'code' }),
    ]);
    assert.equal(
      rulesOf(check(f, [], { limits: { ...LINUX_LIMITS, unprivilegedPortStart: 0 } }), 'privileged-port')
        .length,
      0,
    );
    assert.equal(
      rulesOf(check(f, [], { limits: { ...LINUX_LIMITS, unprivilegedPortStart: 2000 } }), 'privileged-port')
        .length,
      2,
    );
  });

  it('reports a host nginx listen, not one mounted into a compose project', () => {
    const conf = 'server {\n  listen 80;\n  server_name a.example;\n}\n';
    const alone = scanned('/srv/site/nginx.conf', conf);
    assert.equal(rulesOf(check(alone), 'privileged-port').length, 1);
    const inCompose = scanned('/app/proxy/nginx.conf', conf);
    const compose = scanned(
      '/app/compose.yaml',
      'services:\n  proxy:\n    image: nginx\n    ports:\n      - "8080:80"\n',
    );
    assert.equal(rulesOf(check(inCompose, [compose]), 'privileged-port').length, 0);
  });

  it('finds code listens in real text', () => {
    const f = scanned('server.js', "const app = require('express')();\napp.listen(443);\n");
    const findings = rulesOf(check(f), 'privileged-port');
    assert.deepEqual(
      findings.map((x) => textAt(f, x)),
      ['443'],
    );
  });
});

describe('rules: exposed-database', () => {
  it('reports databases and caches published on all interfaces', () => {
    const f = scanned(
      'compose.yaml',
      'services:\n  db:\n    image: postgres\n    ports:\n      - "5432:5432"\n  cache:\n    image: redis\n    ports:\n      - "0.0.0.0:16379:6379"\n',
    );
    const findings = rulesOf(check(f), 'exposed-database');
    assert.deepEqual(
      findings.map((x) => textAt(f, x)),
      ['5432', '16379'],
    );
    assert.match(findings[0].message, /PostgreSQL/);
    assert.match(findings[1].message, /Redis/);
  });

  it('accepts loopback binds, expose, and non-database ports', () => {
    const f = scanned(
      'compose.yaml',
      'services:\n  db:\n    ports:\n      - "127.0.0.1:5432:5432"\n      - "[::1]:6379:6379"\n    expose:\n      - "3306"\n  web:\n    ports:\n      - "5432:80"\n',
    );
    assert.equal(rulesOf(check(f), 'exposed-database').length, 0);
  });

  it('only concerns Compose publishes, not code that connects to a database', () => {
    const f = scanned('db.py', 'conn = connect("postgres://u:p@0.0.0.0:5432/app")\n');
    assert.equal(rulesOf(check(f), 'exposed-database').length, 0);
  });
});

describe('rules: exposed-service', () => {
  it('reports the Node inspector and Docker’s API under exposed-service, not exposed-database', () => {
    // The report: a published Node inspector (9229) was a warning about an "exposed database".
    const f = scanned(
      'compose.yaml',
      'services:\n  api:\n    image: node:22\n    ports:\n      - "9229:9229"\n  dind:\n    image: docker:dind\n    ports:\n      - "2375:2375"\n  db:\n    image: postgres\n    ports:\n      - "5432:5432"\n',
    );
    const findings = check(f);
    assert.deepEqual(
      rulesOf(findings, 'exposed-service').map((x) => textAt(f, x)),
      ['9229', '2375'],
    );
    assert.deepEqual(
      rulesOf(findings, 'exposed-database').map((x) => textAt(f, x)),
      ['5432'],
    );
    const [inspector] = rulesOf(findings, 'exposed-service');
    assert.match(
      inspector.message,
      /^Service "api" publishes .* on all interfaces \(host port 9229\)\. It is a debugger or admin API:/,
    );
    assert.doesNotMatch(inspector.message, /database/i);
  });

  it('has its own severity setting', () => {
    const f = scanned('compose.yaml', 'services:\n  api:\n    ports:\n      - "9229:9229"\n');
    assert.equal(
      rulesOf(check(f, [], { severities: { 'exposed-service': 'off' } }), 'exposed-service').length,
      0,
    );
    assert.equal(
      rulesOf(check(f, [], { severities: { 'exposed-database': 'off' } }), 'exposed-service').length,
      1,
    );
  });
});

describe('rules: ephemeral-port', () => {
  it('reports listens and publishes inside the kernel range, at information level', () => {
    const f = file('a.js', [
      mention({ port: 40000, role: 'listen', kind: 'code' }),
      mention({ port: 60999, role: 'publish', kind: 'compose' }),
    ]);
    const findings = rulesOf(check(f), 'ephemeral-port');
    assert.equal(findings.length, 2);
    assert.equal(findings[0].severity, 'information');
    assert.match(findings[0].message, /32768-60999/);
  });

  it('respects the range it is given and ignores connects and settings', () => {
    const f = file('a.js', [
      mention({ port: 40000, role: 'listen', kind: 'code' }),
      mention({ port: 45000, role: 'connect', kind: 'code', host: 'localhost' }),
      mention({ port: 45000, role: 'setting', kind: 'dotenv' }),
      mention({ port: 32767, role: 'listen', kind: 'code' }),
    ]);
    assert.equal(rulesOf(check(f), 'ephemeral-port').length, 1);
    assert.equal(
      rulesOf(
        check(f, [], { limits: { ...LINUX_LIMITS, ephemeralRange: { from: 49152, to: 65535 } } }),
        'ephemeral-port',
      ).length,
      0,
    );
  });
});

describe('rules: insecure-protocol', () => {
  it('reports Telnet and FTP that the file serves, as hints', () => {
    const f = scanned(
      'compose.yaml',
      'services:\n  ftp:\n    ports:\n      - "2121:21"\n  tel:\n    ports:\n      - "2323:23"\n',
    );
    const findings = rulesOf(check(f), 'insecure-protocol');
    assert.deepEqual(
      findings.map((x) => textAt(f, x)),
      ['2121', '2323'],
    );
    assert.equal(findings[0].severity, 'hint');
    assert.match(findings[0].message, /FTP/);
    assert.match(findings[1].message, /Telnet/);
  });

  it('ignores clients connecting to them and other protocols', () => {
    const f = file('a.py', [
      mention({ port: 21, role: 'connect', kind: 'code', host: 'ftp.example.com' }),
      mention({ port: 22, role: 'listen', kind: 'code' }),
      mention({ port: 8080, role: 'publish', kind: 'compose', counterpart: { port: 80 } }),
    ]);
    assert.equal(rulesOf(check(f), 'insecure-protocol').length, 0);
  });
});

describe('rules: settings and suppression', () => {
  const f = (): ReturnType<typeof file> =>
    file('a.js', [
      mention({ port: 80, role: 'listen', kind: 'code' }),
      mention({ port: 70000, role: 'listen', kind: 'code' }),
    ]);

  it('uses the configured severity and drops rules set to off', () => {
    const findings = check(f(), [], { severities: { 'privileged-port': 'error', 'invalid-port': 'off' } });
    assert.deepEqual(
      findings.map((x) => [x.rule, x.severity]),
      [['privileged-port', 'error']],
    );
  });

  it('ignores unknown severity values', () => {
    const findings = check(f(), [], { severities: { 'privileged-port': 'loud' as never } });
    assert.equal(rulesOf(findings, 'privileged-port')[0].severity, 'warning');
  });

  it('honours portolan-ignore comments, by rule and for all rules', () => {
    const text =
      'app.listen(80); // portolan-ignore privileged-port\n' +
      'app.listen(81); // portolan-ignore invalid-port\n' +
      '// portolan-ignore-next-line\n' +
      'app.listen(82);\n';
    const s = scanned('server.js', text);
    const findings = rulesOf(check(s), 'privileged-port');
    assert.deepEqual(
      findings.map((x) => textAt(s, x)),
      ['81'],
    );
  });

  it('keeps a crashing rule from taking the others down', () => {
    const boom = {
      id: 'not-listening' as const,
      defaultSeverity: 'hint' as const,
      check: (): never => {
        throw new Error('boom');
      },
    };
    const findings = check(f(), [], { extraRules: [boom] });
    assert.ok(findings.some((x) => x.rule === 'privileged-port'));
  });

  it('skips live rules without live data and runs them with it', () => {
    const live = {
      id: 'port-in-use' as const,
      defaultSeverity: 'warning' as const,
      needsLive: true,
      check: () => [] as never[],
    };
    let ran = false;
    live.check = () => {
      ran = true;
      return [];
    };
    check(f(), [], { extraRules: [live] });
    assert.equal(ran, false);
    check(f(), [], { extraRules: [live], live: { holders: () => [] } });
    assert.equal(ran, true);
  });
});

describe('rules: privileged-port inside containers', () => {
  it('leaves listens in a Dockerfile and in a Compose command alone (root inside the container)', () => {
    const dockerfile = scanned(
      '/p/Dockerfile',
      'FROM python:3.12\nCMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "80"]\n',
    );
    assert.equal(rulesOf(check(dockerfile), 'privileged-port').length, 0);
    const compose = scanned(
      '/p/compose.yaml',
      'services:\n  app:\n    image: x\n    command: uvicorn main:app --port 80\n    ports:\n      - "8000:80"\n',
    );
    assert.equal(rulesOf(check(compose), 'privileged-port').length, 0);
  });
});
