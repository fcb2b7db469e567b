// The linter checks added for issue 15: Compose entries with no host port, Dockerfile EXPOSE as
// BuildKit judges it (and against the build context's code), and Kubernetes links that land nowhere.
// Each both ways: it fires on the problem and stays quiet on the near miss.
import * as assert from 'node:assert/strict';
import type { FileMentions } from '../../rules/types';
import {
  check,
  composeWithPorts as compose,
  rulesOf,
  scanned,
  textAt,
  withPreferredFix as fixed,
} from './rulesSupport';
import { deploymentYaml, serviceYaml } from '../kubernetesFixtures';

describe('rules: compose-random-host-port', () => {
  it('notes a container port published on a random host port of every interface', () => {
    const f = scanned(
      '/w/compose.yaml',
      compose('      - "80"\n      - 81\n      - "3000-3005"\n      - target: 82\n      - "0.0.0.0::83"\n'),
    );
    const findings = rulesOf(check(f), 'compose-random-host-port');
    assert.deepEqual(
      findings.map((x) => [textAt(f, x), x.severity]),
      [
        ['80', 'information'],
        ['81', 'information'],
        ['3000-3005', 'information'],
        ['82', 'information'],
        ['83', 'information'],
      ],
    );
    assert.match(
      findings[0].message,
      /^Service "web" publishes container port 80 on a random host port, on every interface/,
    );
    assert.match(findings[2].message, /container port 3000-3005/);
  });

  it('stays quiet with a host side, on a chosen address, for expose:, under host networking and with a variable host side', () => {
    for (const text of [
      compose(
        '      - "8080:80"\n      - "127.0.0.1::83"\n      - target: 84\n        published: 8084\n      - target: 85\n        host_ip: 127.0.0.1\n',
      ),
      compose('      - "${WEB_PORT}:80"\n'),
      compose('      - "80"\n', '    network_mode: host\n'),
      'services:\n  web:\n    image: nginx\n    expose:\n      - "80"\n',
      compose('      - "80" # portolan-ignore compose-random-host-port\n'),
    ]) {
      assert.deepEqual(
        rulesOf(check(scanned('/w/compose.yaml', text)), 'compose-random-host-port'),
        [],
        text,
      );
    }
  });
});

describe('rules: dockerfile-expose-mapping and dockerfile-expose-protocol-case', () => {
  it('warns on an address or host port in EXPOSE, over that part, and the fix keeps the container port', () => {
    const f = scanned('/w/Dockerfile', 'FROM node:20\nEXPOSE 127.0.0.1:8080:81 8082:82/udp [::1]:83 84\n');
    const findings = rulesOf(check(f), 'dockerfile-expose-mapping');
    assert.deepEqual(
      findings.map((x) => [textAt(f, x), x.severity]),
      [
        ['127.0.0.1:8080:', 'warning'],
        ['8082:', 'warning'],
        ['[::1]:', 'warning'],
      ],
    );
    assert.match(findings[0].message, /Docker ignores "127\.0\.0\.1:8080:".*Write EXPOSE 81/);
    assert.equal(fixed(f, findings[0]), 'FROM node:20\nEXPOSE 81 8082:82/udp [::1]:83 84\n');
    // The mapped ports are still read as exposed container ports.
    assert.deepEqual(
      f.mentions.filter((m) => m.role === 'expose').map((m) => [m.port, m.protocol ?? 'tcp']),
      [
        [81, 'tcp'],
        [82, 'udp'],
        [83, 'tcp'],
        [84, 'tcp'],
      ],
    );
  });

  it('notes an upper-case protocol, and the fix lowers it', () => {
    const f = scanned('/w/Dockerfile', 'FROM node:20\nEXPOSE 80/TCP 53/Udp 443/tcp\n');
    const findings = rulesOf(check(f), 'dockerfile-expose-protocol-case');
    assert.deepEqual(
      findings.map((x) => [textAt(f, x), x.severity]),
      [
        ['TCP', 'information'],
        ['Udp', 'information'],
      ],
    );
    assert.equal(fixed(f, findings[0]), 'FROM node:20\nEXPOSE 80/tcp 53/Udp 443/tcp\n');
  });

  it('stays quiet on plain EXPOSE, variables, ports elsewhere in the file, and ignored lines', () => {
    for (const text of [
      'FROM x\nEXPOSE 80 443/tcp 3000-3005/udp\n',
      'FROM x\nARG PORT=8080\nEXPOSE ${PORT} $PORT/tcp ${WEB:-9000}\n',
      'FROM localhost:5000/app\nRUN curl http://127.0.0.1:8080/TCP\n',
      'FROM x\n# portolan-ignore-next-line\nEXPOSE 8080:80/TCP\n',
    ]) {
      const f = scanned('/w/Dockerfile', text);
      assert.deepEqual(
        check(f)
          .filter(
            (x) => x.rule === 'dockerfile-expose-mapping' || x.rule === 'dockerfile-expose-protocol-case',
          )
          .map((x) => x.rule),
        [],
        text,
      );
    }
  });
});

describe('rules: dockerfile-expose-unlistened', () => {
  const dockerfile = (expose: string, extra = ''): FileMentions =>
    scanned(
      '/w/api/Dockerfile',
      `FROM node:20\nCOPY . .\n${extra}EXPOSE ${expose}\nCMD ["node", "server.js"]\n`,
    );

  it("notes an EXPOSE the build context's code never listens on, pointing at where it does", () => {
    const f = dockerfile('8080');
    const server = scanned('/w/api/src/server.js', 'const app = express();\napp.listen(3000);\n');
    const [finding, ...rest] = rulesOf(check(f, [server]), 'dockerfile-expose-unlistened');
    assert.deepEqual(rest, []);
    assert.equal(finding.severity, 'information');
    assert.equal(textAt(f, finding), '8080');
    assert.match(finding.message, /EXPOSE 8080, but the code in this build context listens only on 3000\./);
    assert.deepEqual(
      finding.related.map((r) => r.file),
      ['/w/api/src/server.js'],
    );
  });

  it('stays quiet when the code listens there, reads its port from configuration, or something else names it', () => {
    const listens = (code: string) => scanned('/w/api/src/server.js', code);
    const cases: Array<[FileMentions, FileMentions[]]> = [
      [dockerfile('3000'), [listens('app.listen(3000);\n')]],
      [dockerfile('8080'), [listens('app.listen(process.env.PORT || 3000);\n')]],
      [dockerfile('8080', 'ENV PORT=8080\n'), [listens('app.listen(3000);\n')]],
      [dockerfile('8080'), [listens('app.listen(3000);\n'), scanned('/w/api/.env', 'PORT=8080\n')]],
      [dockerfile('8080'), []],
      // Tests and code outside the build context say nothing about the image's program.
      [dockerfile('8080'), [scanned('/w/api/test/server.test.js', 'app.listen(3000);\n')]],
      [dockerfile('8080'), [scanned('/w/other/server.js', 'app.listen(3000);\n')]],
      [dockerfile('$PORT', 'ARG PORT=8080\n'), [listens('app.listen(3000);\n')]],
      // Mailu's front image: a helper script's port, and nginx configs that serve the exposed ones.
      [
        dockerfile('443'),
        [
          listens('app.listen(8008);\n'),
          scanned('/w/api/conf/nginx.conf', 'server {\n  listen {{ port }};\n}\n'),
        ],
      ],
    ];
    for (const [f, others] of cases) {
      assert.deepEqual(
        rulesOf(check(f, others), 'dockerfile-expose-unlistened').map((x) => x.message),
        [],
        f.text + others.map((o) => o.file).join(' '),
      );
    }
  });
});

describe('rules: k8s-target-port-unmatched', () => {
  /** A Deployment and the Service in front of it, in one file; `containerPorts` undefined: no `ports:`. */
  const manifest = (targetPort: string, containerPorts: string | undefined): string =>
    `${deploymentYaml(containerPorts)}---\n${serviceYaml(`    - port: 80\n      targetPort: ${targetPort}\n`)}`;
  const ports = '            - name: http\n              containerPort: 8080\n';

  it('warns on a named targetPort no selected container declares, and notes an undeclared number', () => {
    const named = scanned('/w/k8s/web.yaml', manifest('htttp', ports));
    const [finding, ...rest] = rulesOf(check(named), 'k8s-target-port-unmatched');
    assert.deepEqual(rest, []);
    assert.equal(finding.severity, 'warning');
    assert.equal(textAt(named, finding), 'htttp');
    assert.match(
      finding.message,
      /port named "htttp", but no container of Deployment web.*Declared: 8080 \(http\)\./,
    );
    const numbered = scanned('/w/k8s/web.yaml', manifest('9090', ports));
    const [fact] = rulesOf(check(numbered), 'k8s-target-port-unmatched');
    assert.equal(fact.severity, 'information');
    assert.equal(textAt(numbered, fact), '9090');
    assert.match(
      fact.message,
      /targets port 9090, but the containers of Deployment web declare only 8080 \(http\)/,
    );
  });

  it('stays quiet when it lands, when no ports are declared, when the selector picks nothing, and on templates', () => {
    for (const text of [
      manifest('http', ports),
      manifest('8080', ports),
      manifest('"http"', ports),
      manifest('9090', undefined),
      manifest('http', ports).replace('    app: web\n  ports', '    app: other\n  ports'),
      manifest('{{ .Values.port }}', ports),
      // envsubst templates: neither a name nor a number.
      manifest('${EXTENSION_GRPC_PORT:-9002}', ports),
      manifest('htttp # portolan-ignore k8s-target-port-unmatched', ports),
    ]) {
      assert.deepEqual(
        rulesOf(check(scanned('/w/k8s/web.yaml', text)), 'k8s-target-port-unmatched'),
        [],
        text,
      );
    }
  });
});

describe('rules: k8s-probe-port-unexposed', () => {
  const pod = (probe: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: example/web
      ports:
        - name: http
          containerPort: 8080
${probe}`;

  it('warns on a probe on a port name the container lacks, and notes an undeclared number', () => {
    const f = scanned(
      '/w/pod.yaml',
      pod(
        '      livenessProbe:\n        httpGet:\n          path: /healthz\n          port: health\n      readinessProbe:\n        tcpSocket:\n          port: 9090\n',
      ),
    );
    const findings = rulesOf(check(f), 'k8s-probe-port-unexposed');
    assert.deepEqual(
      findings.map((x) => [textAt(f, x), x.severity]),
      [
        ['health', 'warning'],
        ['9090', 'information'],
      ],
    );
    assert.match(findings[0].message, /The livenessProbe of container "app" uses the port named "health"/);
    assert.match(
      findings[1].message,
      /The readinessProbe of container "app" checks port 9090, but the container declares only 8080 \(http\)/,
    );
  });

  it('stays quiet on a declared name or number, and on a number when the container declares no ports', () => {
    for (const text of [
      pod('      livenessProbe:\n        tcpSocket:\n          port: ${HEALTH_PORT:-9003}\n'),
      pod(
        '      livenessProbe:\n        httpGet:\n          port: http\n      startupProbe:\n        grpc:\n          port: 8080\n',
      ),
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: app\n      image: x\n      livenessProbe:\n        tcpSocket:\n          port: 9090\n`,
    ]) {
      assert.deepEqual(rulesOf(check(scanned('/w/pod.yaml', text)), 'k8s-probe-port-unexposed'), [], text);
    }
  });
});
