// Kubernetes links: a Service's selector picks workloads, its targetPort (number or name) lands on
// their container ports, and a named targetPort reads as the number it resolves to.
import * as assert from 'node:assert/strict';
import { hoverMarkdown } from '../../present/hoverMarkdown';
import { findKubernetesPorts } from '../../scan/kubernetes';
import { readKubernetesLinks, selectedWorkloads, targetedPorts } from '../../scan/kubernetesLinks';

const manifest = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  template:',
  '    metadata:',
  '      labels: { app: web, tier: front }',
  '    spec:',
  '      containers:',
  '        - name: api',
  '          ports:',
  '            - name: http',
  '              containerPort: 8080',
  '            - name: dns',
  '              containerPort: 5353',
  '              protocol: UDP',
  '          readinessProbe:',
  '            httpGet: { path: /ready, port: http }',
  '          livenessProbe:',
  '            tcpSocket: { port: 9999 }',
  '---',
  'apiVersion: batch/v1',
  'kind: CronJob',
  'metadata:',
  '  name: nightly',
  'spec:',
  '  jobTemplate:',
  '    spec:',
  '      template:',
  '        metadata:',
  '          labels: { app: batch }',
  '        spec:',
  '          containers:',
  '            - name: job',
  '              ports: [{ containerPort: 7000, name: http }]',
  '---',
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: web-svc',
  'spec:',
  '  selector: { app: web }',
  '  ports:',
  '    - port: 80',
  '      targetPort: "http"',
  '    - port: 53',
  '      targetPort: dns',
  '      protocol: UDP',
  '    - port: 81',
  '      targetPort: nope',
  '    - port: 8080',
  '---',
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: other',
  '  namespace: elsewhere',
  'spec:',
  '  selector: { app: web }',
  '  ports: [{ port: 80, targetPort: http }]',
  '',
].join('\n');

describe('kubernetes links', () => {
  const links = readKubernetesLinks(manifest);

  it('reads workloads (pod template labels, CronJob jobs too), their ports and probes', () => {
    assert.deepEqual(
      links.workloads.map((w) => [w.kind, w.name, [...w.labels].join(',')]),
      [
        ['Deployment', 'web', 'app,web,tier,front'],
        ['CronJob', 'nightly', 'app,batch'],
      ],
    );
    const api = links.workloads[0]?.containers[0];
    assert.deepEqual(
      api?.ports.map((p) => [p.name, p.port, p.protocol]),
      [
        ['http', 8080, 'tcp'],
        ['dns', 5353, 'udp'],
      ],
    );
    assert.deepEqual(
      api?.probes.map((p) => [p.probe, p.port, manifest.slice(p.range.start, p.range.end)]),
      [
        ['livenessProbe', 9999, '9999'],
        ['readinessProbe', 'http', 'http'],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });

  it('a selector picks the workloads whose labels it matches, in the same namespace', () => {
    const [webSvc, other] = links.services;
    assert.deepEqual(
      selectedWorkloads(webSvc, links.workloads).map((w) => w.name),
      ['web'],
    );
    assert.deepEqual(selectedWorkloads(other, links.workloads), []);
    assert.deepEqual(selectedWorkloads({ ...webSvc, selector: new Map() }, links.workloads), []);
  });

  it('targetPort lands by name (and protocol) or by number; targetPort defaults to port', () => {
    const webSvc = links.services[0];
    const picked = selectedWorkloads(webSvc, links.workloads);
    const landed = webSvc.ports.map((p) => targetedPorts(p, picked).map((hit) => hit.port.port));
    assert.deepEqual(landed, [[8080], [5353], [], [8080]]);
    assert.equal(
      manifest.slice(webSvc.ports[0].targetRange!.start, webSvc.ports[0].targetRange!.end),
      'http',
    );
  });

  it('a named targetPort is a target mention of the number it resolves to, and the hover says so', () => {
    const named = findKubernetesPorts(manifest).filter((m) => m.portName !== undefined);
    assert.deepEqual(
      named.map((m) => [
        manifest.slice(m.range.start, m.range.end),
        m.port,
        m.protocol,
        m.service,
        m.counterpart?.port,
      ]),
      [
        ['http', 8080, 'tcp', 'web-svc', 80],
        ['dns', 5353, 'udp', 'web-svc', 53],
      ],
    );
    assert.match(
      hoverMarkdown(named[0], {}),
      /The named port `http` is containerPort 8080 of `Deployment web, container api`\./,
    );
  });

  it('an unresolved name, and a file without named target ports, add nothing', () => {
    assert.equal(
      findKubernetesPorts(manifest).some((m) => manifest.slice(m.range.start, m.range.end) === 'nope'),
      false,
    );
    const plain =
      'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec:\n  ports: [{ port: 80, targetPort: 8080 }]\n';
    assert.equal(
      findKubernetesPorts(plain).some((m) => m.portName !== undefined),
      false,
    );
  });
});
