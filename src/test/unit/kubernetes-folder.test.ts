// Kubernetes links across the manifests of one folder: a `service.yaml` beside a `deployment.yaml`
// resolves its named targetPort there, is judged against those workloads, and links (references,
// rename) to their container ports; the links follow edits and deletions of either file.
import * as assert from 'node:assert/strict';
import { hoverMarkdown } from '../../present/hoverMarkdown';
import { MAX_LINKED_MANIFESTS } from '../../scan/kubernetesLinks';
import type { FileMentions } from '../../rules/types';
import { WorkspaceIndex } from '../../workspace';
import { renameEdits } from '../../workspace/endpoints';
import { check, rulesOf, scanned, textAt } from './rulesSupport';
import { deploymentYaml, serviceYaml } from '../kubernetesFixtures';

const deployment = (
  ports = '            - name: http\n              containerPort: 8080\n',
  app = 'web',
): string => deploymentYaml(ports, { app });

const service = (targetPort: string, selector = 'web'): string =>
  serviceYaml(`    - port: 80\n      targetPort: ${targetPort}\n`, selector);

const SVC = '/w/k8s/service.yaml';
const DEP = '/w/k8s/deployment.yaml';

function named(index: WorkspaceIndex, file = SVC): Array<[number, string | undefined, string | undefined]> {
  return (index.get(file)?.mentions ?? [])
    .filter((m) => m.portName !== undefined)
    .map((m) => [m.port, m.portName, m.resolvedFile]);
}

describe('kubernetes: the manifests of one folder linked together', () => {
  it('a named targetPort resolves to a containerPort written in another manifest of the folder, whichever is read first', () => {
    for (const order of [
      [SVC, DEP],
      [DEP, SVC],
    ]) {
      const index = new WorkspaceIndex();
      for (const file of order) {
        index.set(file, file === SVC ? service('http') : deployment());
      }
      assert.deepEqual(named(index), [[8080, 'http', 'deployment.yaml']], order.join(' then '));
      const mention = index.get(SVC)!.mentions.find((m) => m.portName === 'http')!;
      assert.equal(mention.resolvedIn, 'Deployment web, container app');
      assert.equal(mention.counterpart?.port, 80);
      assert.match(
        hoverMarkdown(mention, {}),
        /The named port `http` is containerPort 8080 of `Deployment web, container app` in `deployment\.yaml`\./,
      );
    }
  });

  it('follows edits and deletions of the other manifest', () => {
    const index = new WorkspaceIndex();
    index.set(SVC, service('http'));
    index.set(DEP, deployment());
    index.set(DEP, deployment('            - name: http\n              containerPort: 9000\n'));
    assert.deepEqual(named(index), [[9000, 'http', 'deployment.yaml']]);
    index.set(DEP, deployment('            - name: web\n              containerPort: 9000\n'));
    assert.deepEqual(named(index), []);
    index.set(DEP, deployment());
    index.delete(DEP);
    assert.deepEqual(named(index), []);
    index.set(DEP, deployment());
    index.deleteFolder('/w/k8s');
    assert.equal(index.size, 0);
  });

  it('links only what the selector picks, in the same folder, up to a bound; the mentions given by an editor are linked again', () => {
    const elsewhere = new WorkspaceIndex();
    elsewhere.set(SVC, service('http'));
    elsewhere.set('/w/other/deployment.yaml', deployment());
    assert.deepEqual(named(elsewhere), []);

    const unselected = new WorkspaceIndex();
    unselected.set(SVC, service('http', 'api'));
    unselected.set(DEP, deployment());
    assert.deepEqual(named(unselected), []);

    const crowded = new WorkspaceIndex();
    crowded.set(SVC, service('http'));
    crowded.set(DEP, deployment());
    for (let i = 0; i < MAX_LINKED_MANIFESTS - 1; i++) {
      crowded.set(`/w/k8s/extra-${i}.yaml`, deployment(undefined, `extra-${i}`));
    }
    assert.deepEqual(named(crowded), []);
    crowded.delete('/w/k8s/extra-0.yaml');
    assert.deepEqual(named(crowded), [[8080, 'http', 'deployment.yaml']]);

    // An editor hands over the mentions it shows, the linked one included: kept once, and dropped once stale.
    const index = new WorkspaceIndex();
    index.set(DEP, deployment());
    index.set(SVC, service('http'));
    const shown = index.get(SVC)!.mentions;
    index.set(SVC, service('http'), undefined, shown);
    assert.deepEqual(named(index), [[8080, 'http', 'deployment.yaml']]);
    index.delete(DEP);
    index.set(SVC, service('http'), undefined, shown);
    assert.deepEqual(named(index), []);
  });

  it('a whole build links its folders once swapped in, and an open manifest gets the same workloads until one changes', () => {
    const index = new WorkspaceIndex();
    const entries = [index.scan(SVC, service('http'))!, index.scan(DEP, deployment())!];
    index.replaceAll(entries);
    assert.deepEqual(named(index), [[8080, 'http', 'deployment.yaml']]);
    const peers = index.folderWorkloads(SVC);
    assert.deepEqual(
      peers.map((p) => [p.file, p.workload.name]),
      [[DEP, 'web']],
    );
    index.set(SVC, service('http') + '# edited\n');
    assert.equal(index.folderWorkloads(SVC), peers);
    index.set(DEP, deployment('            - name: http\n              containerPort: 9000\n'));
    assert.notEqual(index.folderWorkloads(SVC), peers);
  });

  it('references and rename reach across the two files: the containerPort and a numeric targetPort', () => {
    const index = new WorkspaceIndex();
    const texts: Record<string, string> = {
      [SVC]: service('8080') + '---\n' + service('http').replace('name: web', 'name: web-named'),
      [DEP]: deployment(),
    };
    for (const [file, text] of Object.entries(texts)) {
      index.set(file, text);
    }
    const map = index.endpoints();
    const container = map.endpointOf(DEP, texts[DEP].indexOf('8080'))!;
    assert.deepEqual(
      map
        .references(container.endpoint)
        .map((l) => [l.file, texts[l.file].slice(l.mention.range.start, l.mention.range.end)]),
      [
        [DEP, '8080'],
        [SVC, '8080'],
        [SVC, 'http'],
      ],
    );
    assert.deepEqual(
      renameEdits(map, container.endpoint, 9090, (f) => texts[f]).map((e) => [
        e.file,
        texts[e.file].slice(e.range.start, e.range.end),
      ]),
      [
        [DEP, '8080'],
        [SVC, '8080'],
      ],
    );
  });
});

describe('rules: k8s-target-port-unmatched across the manifests of a folder', () => {
  const judged = (svc: string, dep: string | undefined, folder = '/w/k8s/'): FileMentions[] => {
    const files = [scanned(`${folder}service.yaml`, svc)];
    if (dep !== undefined) {
      files.push(scanned(`${folder}deployment.yaml`, dep));
    }
    return files;
  };

  it("warns on a named targetPort no container of the folder's selected workloads declares, naming their file", () => {
    const [svc, dep] = judged(service('htttp'), deployment());
    const [finding, ...rest] = rulesOf(check(svc, [dep]), 'k8s-target-port-unmatched');
    assert.deepEqual(rest, []);
    assert.equal(textAt(svc, finding), 'htttp');
    assert.match(
      finding.message,
      /port named "htttp", but no container of Deployment web \(deployment\.yaml\) has a port by that name.*Declared: 8080 \(http\)\./,
    );
    const [numberSvc, numberDep] = judged(service('9090'), deployment());
    const [fact] = rulesOf(check(numberSvc, [numberDep]), 'k8s-target-port-unmatched');
    assert.equal(fact.severity, 'information');
    assert.match(
      fact.message,
      /targets port 9090, but the containers of Deployment web \(deployment\.yaml\) declare only 8080/,
    );
  });

  it('is judged from the index alone for a file that is not open (no text)', () => {
    const index = new WorkspaceIndex();
    index.set(SVC, service('htttp'));
    index.set(DEP, deployment());
    const findings = check(index.get(SVC)!, [index.get(DEP)!]);
    assert.deepEqual(
      rulesOf(findings, 'k8s-target-port-unmatched').map((f) => f.range.end - f.range.start),
      [5],
    );
  });

  it('k8s-probe-port-unexposed is judged from the index alone too, on its own container', () => {
    const index = new WorkspaceIndex();
    const probed = deployment().replace(
      '          ports:',
      '          livenessProbe:\n            httpGet:\n              port: healthz\n          ports:',
    );
    index.set(DEP, probed);
    index.set(SVC, service('http'));
    const [finding, ...rest] = rulesOf(check(index.get(DEP)!, [index.get(SVC)!]), 'k8s-probe-port-unexposed');
    assert.deepEqual(rest, []);
    assert.equal(probed.slice(finding.range.start, finding.range.end), 'healthz');
  });

  it('stays quiet when the name lands in the other file, when the selector picks nothing there, and across folders', () => {
    for (const [svc, dep, folder] of [
      [service('http'), deployment(), undefined],
      [service('8080'), deployment(), undefined],
      [service('htttp', 'api'), deployment(), undefined],
      [service('htttp'), undefined, undefined],
      [service('9090'), deployment(''), undefined],
    ] as const) {
      const [s, ...others] = judged(svc, dep, folder);
      assert.deepEqual(rulesOf(check(s, others), 'k8s-target-port-unmatched'), [], svc);
    }
    const s = scanned(SVC, service('htttp'));
    const elsewhere = scanned('/w/other/deployment.yaml', deployment());
    assert.deepEqual(rulesOf(check(s, [elsewhere]), 'k8s-target-port-unmatched'), []);
  });
});
