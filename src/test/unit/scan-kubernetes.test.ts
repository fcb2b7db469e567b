import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findKubernetesPorts, looksLikeKubernetesManifest } from '../../scan/kubernetes';
import { at, written } from './scanTestKit';

const FIXTURES = path.resolve(__dirname, '../../../src/test/fixtures/scan-structured');

describe('findKubernetesPorts: a Deployment, Service, Ingress and ConfigMap', () => {
  const text = fs.readFileSync(path.join(FIXTURES, 'k8s-app.yaml'), 'utf8');
  const mentions = findKubernetesPorts(text);

  it('containerPort is an expose of its container, protocol from `protocol:`', () => {
    const http = at(mentions, text, '8080', 0, 'containerPort: 8080');
    assert.equal(http.role, 'expose');
    assert.equal(http.service, 'web');
    assert.equal(http.protocol, 'tcp');
    assert.equal(http.kind, 'kubernetes');
    assert.equal(at(mentions, text, '9090', 0, 'containerPort: 9090').protocol, 'tcp');
    const udp = at(mentions, text, '5353', 0, 'containerPort: 5353');
    assert.equal(udp.protocol, 'udp');
    assert.deepEqual(udp.counterpart, { port: 53 });
    assert.equal(at(mentions, text, '15000').service, 'sidecar');
  });

  it('hostPort publishes on the node, with hostIP', () => {
    const m = at(mentions, text, '53', 0, 'hostPort: 53');
    assert.equal(m.role, 'publish');
    assert.equal(m.host, '127.0.0.1');
    assert.equal(m.protocol, 'udp');
    assert.deepEqual(m.counterpart, { port: 5353 });
    assert.equal(m.service, 'web');
  });

  it('env values go through the shared value recognizers', () => {
    const port = at(mentions, text, '8080', 0, 'value: "8080"');
    assert.equal(port.role, 'setting');
    assert.equal(port.variable, 'PORT');
    assert.equal(port.service, 'web');
    const url = at(mentions, text, '5432/shop');
    assert.equal(url.role, 'connect');
    assert.equal(url.host, 'db');
    assert.equal(url.scheme, 'postgres');
    assert.ok(!mentions.some((m) => m.port === 3000), 'TIMEOUT_MS is not a port');
  });

  it('probes are connects; a named probe port is skipped', () => {
    const liveness = at(mentions, text, '8080', 0, 'livenessProbe');
    assert.equal(liveness.role, 'connect');
    assert.equal(liveness.scheme, 'https');
    assert.equal(liveness.service, 'web');
    const grpc = at(mentions, text, '9091');
    assert.equal(grpc.role, 'connect');
    assert.equal(grpc.scheme, 'grpc');
    const readiness = text.indexOf('readinessProbe');
    const startup = text.indexOf('startupProbe');
    assert.ok(!mentions.some((m) => m.range.start > readiness && m.range.start < startup));
  });

  it('Service: port is an expose, targetPort a target, nodePort a publish; a named targetPort is skipped', () => {
    const port = at(mentions, text, '80', 0, 'port: 80\n');
    assert.equal(port.role, 'expose');
    assert.equal(port.service, 'shop-svc');
    assert.deepEqual(port.counterpart, { port: 8080 });
    const target = at(mentions, text, '8080', 0, 'targetPort: 8080');
    assert.equal(target.role, 'target');
    assert.deepEqual(target.counterpart, { port: 80 });
    const node = at(mentions, text, '30080');
    assert.equal(node.role, 'publish');
    assert.deepEqual(node.counterpart, { port: 80 });
    const metrics = at(mentions, text, '9090', 0, 'port: 9090');
    assert.equal(metrics.counterpart, undefined);
    const dns = at(mentions, text, '5353', 0, 'targetPort: 5353');
    assert.equal(dns.protocol, 'udp');
    assert.equal(at(mentions, text, '53', 0, 'port: 53').protocol, 'udp');
  });

  it('Ingress backends connect to the named service; a named port is skipped', () => {
    const fallback = at(mentions, text, '80', 0, 'number: 80');
    assert.equal(fallback.role, 'connect');
    assert.equal(fallback.service, 'shop-svc');
    const rule = at(mentions, text, '9090', 0, 'number: 9090');
    assert.equal(rule.role, 'connect');
    const named = text.indexOf('path: /named');
    const configMap = text.indexOf('kind: ConfigMap');
    assert.ok(!mentions.some((m) => m.range.start > named && m.range.start < configMap));
  });

  it('ConfigMap data values, keyed by their names', () => {
    const redis = at(mentions, text, '6379');
    assert.equal(redis.role, 'connect');
    assert.equal(redis.service, 'shop-config');
    assert.equal(redis.variable, 'REDIS_URL');
    const listen = at(mentions, text, '7000');
    assert.equal(listen.variable, 'LISTEN_PORT');
    assert.ok(!mentions.some((m) => m.port === 1024));
  });

  it('no ports in replicas, image tags, periods or comments', () => {
    for (const notAPort of [3, 2, 10, 36, 1]) {
      assert.ok(!mentions.some((m) => m.port === notAPort), `${notAPort} is not a port`);
    }
  });

  it('every range is the digits of its port, sorted', () => {
    for (const m of mentions) {
      assert.equal(written(text, m), String(m.port));
    }
    const starts = mentions.map((m) => m.range.start);
    assert.deepEqual(
      starts,
      [...starts].sort((a, b) => a - b),
    );
  });
});

describe('findKubernetesPorts: forms and robustness', () => {
  it('hostNetwork makes a containerPort a listen on the node', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: { name: node-exporter }',
      'spec:',
      '  hostNetwork: true',
      '  containers:',
      '    - name: exporter',
      '      ports: [{ containerPort: 9100 }]',
    ].join('\n');
    const [m] = findKubernetesPorts(text);
    assert.equal(m.role, 'listen');
    assert.equal(m.service, 'exporter');
    assert.equal(written(text, m), '9100');
  });

  it('container command and args: port flags, URLs, and a :port bind inside the pod', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: { name: p }',
      'spec:',
      '  containers:',
      '    - name: app',
      '      command: ["server", "--workers", "4"]',
      '      args: ["--port", "8080", "--upstream=http://api:9000/x", "--listen-addr=:9090"]',
      '    - name: shell',
      '      command:',
      '        - sh',
      '        - -c',
      '        - exec app --http-port=7070',
    ].join('\n');
    const mentions = findKubernetesPorts(text);
    assert.deepEqual(
      mentions.map((m) => `${m.service} ${m.role} ${written(text, m)}${m.variable ? ' ' + m.variable : ''}`),
      [
        'app setting 8080 port',
        'app connect 9000 upstream',
        'app setting 9090 listen-addr',
        'shell setting 7070 http-port',
      ],
    );
    assert.equal(mentions[1].host, 'api');
  });

  it('a List of objects: each item keeps its own kind and name', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: Service',
      '    metadata:',
      '      name: one',
      '    spec:',
      '      ports:',
      '        - port: 8001',
      '  - apiVersion: v1',
      '    kind: Service',
      '    metadata:',
      '      name: two',
      '    spec:',
      '      ports:',
      '        - port: 8002',
      '          targetPort: "9002"',
    ].join('\n');
    const mentions = findKubernetesPorts(text);
    assert.deepEqual(
      mentions.map((m) => `${m.service} ${m.role} ${written(text, m)}`),
      ['one expose 8001', 'two expose 8002', 'two target 9002'],
    );
  });

  it('Endpoints, EndpointSlice, Gateway listeners and HTTPRoute backendRefs', () => {
    const text = [
      'apiVersion: v1',
      'kind: Endpoints',
      'metadata: { name: ext-db }',
      'subsets:',
      '  - addresses: [{ ip: 10.0.0.5 }]',
      '    ports: [{ port: 5432 }]',
      '---',
      'apiVersion: discovery.k8s.io/v1',
      'kind: EndpointSlice',
      'metadata: { name: ext-dns }',
      'addressType: IPv4',
      'ports:',
      '  - port: 53',
      '    protocol: UDP',
      '---',
      'apiVersion: gateway.networking.k8s.io/v1',
      'kind: Gateway',
      'metadata: { name: gw }',
      'spec:',
      '  listeners:',
      '    - name: web',
      '      port: 8000',
      '      protocol: HTTP',
      '---',
      'apiVersion: gateway.networking.k8s.io/v1',
      'kind: HTTPRoute',
      'metadata: { name: route }',
      'spec:',
      '  rules:',
      '    - backendRefs:',
      '        - name: shop-svc',
      '          port: 9090',
    ].join('\n');
    assert.deepEqual(
      findKubernetesPorts(text).map((m) => `${m.service} ${m.role} ${written(text, m)}/${m.protocol}`),
      [
        'ext-db connect 5432/tcp',
        'ext-dns connect 53/udp',
        'gw expose 8000/tcp',
        'shop-svc connect 9090/tcp',
      ],
    );
  });

  it('CRLF keeps offsets exact', () => {
    const text =
      'apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: s\r\nspec:\r\n  ports:\r\n    - port: 443\r\n      targetPort: 8443\r\n';
    assert.deepEqual(
      findKubernetesPorts(text).map((m) => written(text, m)),
      ['443', '8443'],
    );
  });

  it('a `port:` outside a Service, probe or Ingress is not read', () => {
    const text =
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\nspec:\n  ports:\n    - port: 1234\n  port: 4321\n';
    assert.deepEqual(findKubernetesPorts(text), []);
  });

  it('invalid numbers are reported for the rules', () => {
    const text =
      'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec:\n  ports:\n    - port: 70000\n      nodePort: -1\n';
    assert.deepEqual(
      findKubernetesPorts(text).map((m) => m.port),
      [70000, -1],
    );
  });

  it('malformed YAML and Helm templates give no made-up ports and do not throw', () => {
    for (const input of [
      '',
      'apiVersion: v1\nkind: Service\nspec:\n  ports: [\n',
      'apiVersion: v1\nkind: Service\nspec:\n  ports:\n    - port: {{ .Values.port }}\n',
      '{{- if .Values.enabled }}\napiVersion: v1\n{{- end }}\n',
      '- - -',
      'a: &a [*a]',
    ]) {
      assert.deepEqual(findKubernetesPorts(input), [], JSON.stringify(input));
    }
    const partial =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      ports:\n        - containerPort: 8080\n  bad: [\n';
    assert.ok(findKubernetesPorts(partial).some((m) => m.port === 8080));
  });
});

describe('looksLikeKubernetesManifest', () => {
  it('needs both apiVersion and kind', () => {
    assert.equal(looksLikeKubernetesManifest('apiVersion: v1\nkind: Service\n'), true);
    assert.equal(looksLikeKubernetesManifest('# c\n---\napiVersion: apps/v1\r\nkind: Deployment\r\n'), true);
    assert.equal(looksLikeKubernetesManifest('services:\n  web:\n    image: x\n'), false);
    assert.equal(looksLikeKubernetesManifest('kind: Service\n'), false);
    assert.equal(looksLikeKubernetesManifest('apiVersion: v1\n'), false);
    assert.equal(looksLikeKubernetesManifest('# apiVersion: v1 kind: x\n'), false);
  });
});
