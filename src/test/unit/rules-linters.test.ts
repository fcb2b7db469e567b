// The checks other linters make (kube-linter, the API server's validation, compose, hadolint,
// Gixy), each tested both ways: it fires on the problem and stays quiet on the near miss.
import * as assert from 'node:assert/strict';
import {
  check,
  composeWithPorts as compose,
  rulesOf,
  scanned,
  textAt,
  withPreferredFix as fixed,
} from './rulesSupport';

function pod(ports: string, extra = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
${extra}  containers:
    - name: app
      image: nginx
      ports:
${ports}`;
}

function service(ports: string): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  ports:
${ports}`;
}

describe('rules: k8s-port-name', () => {
  it('reports container port names that break RFC 6335, with the reason', () => {
    const cases: Array<[string, string]> = [
      ['http-metrics-port', 'more than 15'],
      ['HTTP', 'only lower-case'],
      ['web_ui', 'only lower-case'],
      ['-http', 'starts or ends'],
      ['http-', 'starts or ends'],
      ['my--port', '"--"'],
      ['8080', 'no letter'],
    ];
    for (const [name, reason] of cases) {
      const f = scanned('/w/pod.yaml', pod(`        - name: ${name}\n          containerPort: 8080\n`));
      const findings = rulesOf(check(f), 'k8s-port-name');
      assert.equal(findings.length, 1, name);
      assert.equal(findings[0].severity, 'error');
      assert.equal(textAt(f, findings[0]), name);
      assert.ok(findings[0].message.includes(reason), `${name}: ${findings[0].message}`);
    }
  });

  it('accepts valid names: 15 characters, digits with a letter, single dashes', () => {
    for (const name of ['http', 'metrics-15chars', 'h2c', 'grpc-web', '9090a']) {
      const f = scanned('/w/pod.yaml', pod(`        - name: ${name}\n          containerPort: 8080\n`));
      assert.deepEqual(rulesOf(check(f), 'k8s-port-name'), [], name);
    }
  });

  it('judges Service port names as DNS labels: longer names and "--" pass, upper case does not', () => {
    const ok = scanned(
      '/w/svc.yaml',
      service(
        '    - name: a-very-long-service-port-name\n      port: 80\n    - name: x--y\n      port: 81\n',
      ),
    );
    assert.deepEqual(rulesOf(check(ok), 'k8s-port-name'), []);
    const bad = scanned('/w/svc.yaml', service('    - name: Web\n      port: 80\n'));
    const findings = rulesOf(check(bad), 'k8s-port-name');
    assert.equal(findings.length, 1);
    assert.equal(textAt(bad, findings[0]), 'Web');
  });

  it('leaves names of other objects and Helm templates alone', () => {
    const f = scanned(
      '/w/pod.yaml',
      pod(`        - name: "{{ .Values.portName }}"\n          containerPort: 8080\n`).replace(
        '  containers:',
        '  volumes:\n    - name: Data_Volume\n  containers:',
      ),
    );
    assert.deepEqual(rulesOf(check(f), 'k8s-port-name'), []);
  });
});

describe('rules: k8s-node-port-range', () => {
  it('reports a nodePort outside 30000-32767', () => {
    for (const port of [8080, 29999, 32768]) {
      const f = scanned('/w/svc.yaml', service(`    - port: 80\n      nodePort: ${port}\n`));
      const findings = rulesOf(check(f), 'k8s-node-port-range');
      assert.equal(findings.length, 1, String(port));
      assert.equal(findings[0].severity, 'error');
      assert.equal(textAt(f, findings[0]), String(port));
    }
  });

  it('accepts the range ends and leaves port, targetPort and containerPort alone', () => {
    for (const port of [30000, 32767]) {
      const f = scanned(
        '/w/svc.yaml',
        service(`    - port: 80\n      targetPort: 8080\n      nodePort: ${port}\n`),
      );
      assert.deepEqual(rulesOf(check(f), 'k8s-node-port-range'), [], String(port));
    }
    const f = scanned('/w/pod.yaml', pod('        - containerPort: 8080\n'));
    assert.deepEqual(rulesOf(check(f), 'k8s-node-port-range'), []);
  });
});

describe('rules: k8s-host-port', () => {
  it('notes a container hostPort (information: DaemonSets and node agents use it on purpose)', () => {
    const f = scanned('/w/pod.yaml', pod('        - containerPort: 8080\n          hostPort: 8080\n'));
    const findings = rulesOf(check(f), 'k8s-host-port');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].severity, 'information');
    assert.equal(textAt(f, findings[0]), '8080');
    assert.equal(findings[0].range.start, f.text!.indexOf('hostPort: 8080') + 'hostPort: '.length);
  });

  it('stays quiet without hostPort, and under hostNetwork where the pod owns the node ports anyway', () => {
    assert.deepEqual(
      rulesOf(check(scanned('/w/pod.yaml', pod('        - containerPort: 8080\n'))), 'k8s-host-port'),
      [],
    );
    const hostNetwork = scanned(
      '/w/pod.yaml',
      pod('        - containerPort: 8080\n          hostPort: 8080\n', '  hostNetwork: true\n'),
    );
    assert.deepEqual(rulesOf(check(hostNetwork), 'k8s-host-port'), []);
  });

  it('honours portolan-ignore on the line', () => {
    const f = scanned(
      '/w/pod.yaml',
      pod('        - containerPort: 8080\n          hostPort: 8080 # portolan-ignore k8s-host-port\n'),
    );
    assert.deepEqual(rulesOf(check(f), 'k8s-host-port'), []);
  });
});

describe('rules: compose-base60-port', () => {
  it('warns on an unquoted mapping YAML 1.1 reads as base 60, and the fix quotes it', () => {
    for (const [entry, value] of [
      ['22:22', 1342],
      ['2222:22', 133342],
      ['8080:59', 484859],
    ] as const) {
      const f = scanned('/w/compose.yaml', compose(`      - ${entry}\n`));
      const findings = rulesOf(check(f), 'compose-base60-port');
      assert.equal(findings.length, 1, entry);
      assert.equal(findings[0].severity, 'warning');
      assert.equal(textAt(f, findings[0]), entry);
      assert.ok(findings[0].message.includes(String(value)), findings[0].message);
      assert.equal(fixed(f, findings[0]), compose(`      - "${entry}"\n`));
    }
  });

  it('stays quiet on quoted entries, container ports of 60 and above, and non-numeric sides', () => {
    for (const entry of [
      '"22:22"',
      "'22:22'",
      '8080:80',
      '3000:3000',
      '127.0.0.1:22:22',
      '22:22/tcp',
      '22',
    ]) {
      const f = scanned('/w/compose.yaml', compose(`      - ${entry}\n`));
      assert.deepEqual(rulesOf(check(f), 'compose-base60-port'), [], entry);
    }
  });
});

describe('rules: compose-host-network-ports', () => {
  it('warns once per mapping of a service on the host network', () => {
    const f = scanned(
      '/w/compose.yaml',
      compose(
        '      - "8080:80"\n      - "9000"\n      - target: 53\n        published: 53\n',
        '    network_mode: host\n',
      ),
    );
    const findings = rulesOf(check(f), 'compose-host-network-ports');
    assert.deepEqual(
      findings.map((x) => textAt(f, x)),
      ['8080', '9000', '53'],
    );
    assert.equal(findings[0].severity, 'warning');
    assert.ok(findings[0].message.includes('"web"'), findings[0].message);
  });

  it('stays quiet on bridge networking and on a host-network service without ports', () => {
    assert.deepEqual(
      rulesOf(
        check(scanned('/w/compose.yaml', compose('      - "8080:80"\n'))),
        'compose-host-network-ports',
      ),
      [],
    );
    const noPorts = scanned(
      '/w/compose.yaml',
      'services:\n  web:\n    image: nginx\n    network_mode: host\n    expose:\n      - "80"\n',
    );
    assert.deepEqual(rulesOf(check(noPorts), 'compose-host-network-ports'), []);
  });
});

describe('rules: compose-protocol-case', () => {
  it('reports an upper-case protocol, and the fix lowers it', () => {
    for (const protocol of ['TCP', 'Udp', 'SCTP']) {
      const f = scanned('/w/compose.yaml', compose(`      - "8080:80/${protocol}"\n`));
      const findings = rulesOf(check(f), 'compose-protocol-case');
      assert.equal(findings.length, 1, protocol);
      assert.equal(findings[0].severity, 'error');
      assert.equal(textAt(f, findings[0]), protocol);
      assert.equal(fixed(f, findings[0]), compose(`      - "8080:80/${protocol.toLowerCase()}"\n`));
    }
  });

  it('stays quiet on lower case and on what is not a protocol', () => {
    for (const entry of ['"8080:80/tcp"', '"53:53/udp"', '"8080:80"', '"8080:80/HTTP"']) {
      const f = scanned('/w/compose.yaml', compose(`      - ${entry}\n`));
      assert.deepEqual(rulesOf(check(f), 'compose-protocol-case'), [], entry);
    }
  });
});

describe('rules: dockerfile-expose-ssh', () => {
  it('warns on EXPOSE 22', () => {
    const f = scanned('/w/Dockerfile', 'FROM debian\nRUN apt-get install -y openssh-server\nEXPOSE 80 22\n');
    const findings = rulesOf(check(f), 'dockerfile-expose-ssh');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].severity, 'warning');
    assert.equal(findings[0].range.start, f.text!.lastIndexOf('22'));
  });

  it('stays quiet on other ports, UDP, ranges, and 22 outside EXPOSE', () => {
    for (const text of [
      'FROM debian\nEXPOSE 2222\n',
      'FROM debian\nEXPOSE 22/udp\n',
      'FROM debian\nEXPOSE 20-25\n',
      'FROM debian\nENV SSH_PORT=22\nHEALTHCHECK CMD nc -z localhost 8080\n',
    ]) {
      assert.deepEqual(rulesOf(check(scanned('/w/Dockerfile', text)), 'dockerfile-expose-ssh'), [], text);
    }
  });
});

describe('rules: nginx-implicit-default-server', () => {
  const two = (firstListen: string, secondListen: string): string =>
    `http {\n  server {\n    ${firstListen}\n    server_name a.example;\n  }\n  server {\n    ${secondListen}\n    server_name b.example;\n  }\n}\n`;

  it('names the first block as the catch-all when none is default_server', () => {
    const f = scanned('/w/nginx.conf', two('listen 80;', 'listen 80;'));
    const findings = rulesOf(check(f), 'nginx-implicit-default-server');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].severity, 'information');
    assert.equal(findings[0].range.start, f.text!.indexOf('80'));
    assert.ok(findings[0].message.includes('a.example'), findings[0].message);
    assert.equal(findings[0].related.length, 1);
    assert.equal(findings[0].related[0].range.start, f.text!.lastIndexOf('80'));
  });

  it('stays quiet with an explicit default_server, on different sockets, and on one block', () => {
    for (const text of [
      two('listen 80;', 'listen 80 default_server;'),
      two('listen 80;', 'listen 8080;'),
      two('listen 127.0.0.1:80;', 'listen 80;'),
      two('listen 80;', 'listen [::]:80;'),
      'server {\n  listen 80;\n  listen [::]:80;\n}\n',
    ]) {
      assert.deepEqual(
        rulesOf(check(scanned('/w/nginx.conf', text)), 'nginx-implicit-default-server'),
        [],
        text,
      );
    }
  });

  it('stays quiet when another file of the same instance declares the default server', () => {
    const site = scanned('/w/conf.d/site.conf', two('listen 80;', 'listen 80;').slice('http {\n'.length, -2));
    const main = scanned('/w/conf.d/default.conf', 'server {\n  listen 80 default_server;\n}\n');
    assert.deepEqual(rulesOf(check(site, [main]), 'nginx-implicit-default-server'), []);
  });
});

describe('rules: nginx-proxy-pass-unserved', () => {
  const conf = (target: string): string =>
    `http {\n  upstream api { server 127.0.0.1:9000; }\n  server {\n    listen 80;\n    location / { proxy_pass http://${target}; }\n    location /api { proxy_pass http://api; }\n  }\n}\n`;

  it('reports a loopback proxy target the application does not serve, naming the port it does', () => {
    const f = scanned('/w/deploy/nginx.conf', conf('127.0.0.1:3000'));
    const app = scanned('/w/server.js', 'app.listen(3001);\n');
    const php = scanned('/w/.env', 'FPM_PORT=9000\n');
    const findings = rulesOf(check(f, [app, php]), 'nginx-proxy-pass-unserved');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].severity, 'information');
    assert.equal(textAt(f, findings[0]), '3000');
    assert.match(
      findings[0].message,
      /nginx passes requests to 127\.0\.0\.1:3000, but nothing in this workspace serves port 3000; the nearest port it serves is 3001\./,
    );
    assert.doesNotMatch(findings[0].message, /on this machine/);
    assert.deepEqual(
      findings[0].related.map((r) => [r.file, textAt(app, { ...findings[0], range: r.range })]),
      [['/w/server.js', '3001']],
    );
  });

  it('with live data, stays quiet when something listens on the port, and says so when nothing does', () => {
    const f = scanned('/w/nginx.conf', conf('localhost:3000'));
    const app = scanned('/w/server.js', 'app.listen(4000);\napp.listen(9000);\n');
    const holding = {
      holders: (p: number) => (p === 3000 ? [{ pid: 9, process: 'java', address: '::' }] : []),
    };
    assert.deepEqual(rulesOf(check(f, [app], { live: holding }), 'nginx-proxy-pass-unserved'), []);
    const idle = { holders: () => [] };
    const [finding] = rulesOf(check(f, [app], { live: idle }), 'nginx-proxy-pass-unserved');
    assert.match(finding.message, /localhost:3000.*Nothing listens on it on this machine either\./);
  });

  it('stays quiet when the workspace serves the port, holds no application, or the target is not loopback', () => {
    const served = scanned(
      '/w/compose.yaml',
      'services:\n  web:\n    ports:\n      - "127.0.0.1:3000:3000"\n  fpm:\n    expose: ["9000"]\n',
    );
    const onlyNginx = scanned('/w/nginx.conf', conf('127.0.0.1:3000'));
    assert.deepEqual(rulesOf(check(onlyNginx, [served]), 'nginx-proxy-pass-unserved'), []);
    assert.deepEqual(
      rulesOf(check(onlyNginx), 'nginx-proxy-pass-unserved'),
      [],
      'no application in the workspace',
    );
    const app = scanned('/w/server.js', 'app.listen(9000);\n');
    for (const target of ['backend:3000', '10.0.0.5:3000', 'unix:/run/app.sock']) {
      const f = scanned('/w/nginx.conf', conf(target));
      assert.deepEqual(rulesOf(check(f, [app]), 'nginx-proxy-pass-unserved'), [], target);
    }
    const ignored = scanned(
      '/w/nginx.conf',
      'server {\n  listen 80;\n  # portolan-ignore-next-line nginx-proxy-pass-unserved\n  location / { proxy_pass http://127.0.0.1:3000; }\n}\n',
    );
    assert.deepEqual(rulesOf(check(ignored, [app]), 'nginx-proxy-pass-unserved'), []);
  });

  it('counts an nginx listen as serving (a second server block behind the first)', () => {
    const f = scanned(
      '/w/nginx.conf',
      'http {\n  server { listen 80; location / { proxy_pass http://127.0.0.1:8081; } }\n  server { listen 127.0.0.1:8081; }\n}\n',
    );
    const app = scanned('/w/server.js', 'app.listen(3000);\n');
    assert.deepEqual(rulesOf(check(f, [app]), 'nginx-proxy-pass-unserved'), []);
  });
});
