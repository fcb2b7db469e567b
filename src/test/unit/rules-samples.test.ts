// The rules over real-world files: what they must find, and the silence they must keep.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { walkFiles } from '../../cli/walk';
import { runRules } from '../../rules';
import { WorkspaceIndex } from '../../workspace';
import type { FileMentions, Finding } from '../../rules/types';
import { lineOf, LINUX_LIMITS, scanned } from './rulesSupport';

const repo = path.resolve(__dirname, '../../..');

function findingsUnder(folder: string): string[] {
  const files: FileMentions[] = [...walkFiles([folder])].map((f) => scanned(f.path, f.text));
  const workspace = WorkspaceIndex.of(files);
  const out: string[] = [];
  for (const file of files) {
    for (const finding of runRules({ file, workspace, limits: LINUX_LIMITS })) {
      out.push(label(folder, file, finding));
    }
  }
  return out.sort();
}

function label(folder: string, file: FileMentions, finding: Finding): string {
  const rel = path.relative(folder, file.file).split(path.sep).join('/');
  return `${rel}:${lineOf(file.text ?? '', finding.range.start)} ${finding.rule} ${(file.text ?? '').slice(finding.range.start, finding.range.end)}`;
}

describe('rules: real samples', () => {
  it('awesome-compose: privileged host ports and published databases, and nothing else', () => {
    const found = findingsUnder(path.join(repo, 'src/test/fixtures/samples/awesome-compose'));
    assert.deepEqual(
      found,
      [
        // Elasticsearch's REST and transport ports, Redis and PostgreSQL on every interface.
        'elasticsearch-logstash-kibana/compose.yaml:9 exposed-database 9200',
        'elasticsearch-logstash-kibana/compose.yaml:10 exposed-database 9300',
        'flask-redis/compose.yaml:5 exposed-database 6379',
        // Host port 80 published: needs root, rootless Docker refuses it.
        'nextcloud-redis-mariadb/compose.yaml:6 privileged-port 80',
        'nginx-flask-mongo/compose.yaml:10 privileged-port 80',
        'nginx-golang-mysql/compose.yaml:42 privileged-port 80',
        // DNS and DHCP for Pi-hole: 53 over TCP and UDP, 67 over UDP.
        'pihole-cloudflared-DoH/compose.yaml:22 privileged-port 53',
        'pihole-cloudflared-DoH/compose.yaml:23 privileged-port 53',
        'pihole-cloudflared-DoH/compose.yaml:24 privileged-port 67',
        'postgresql-pgadmin/compose.yaml:10 exposed-database 5432',
        'react-nginx/compose.yaml:7 privileged-port 80',
        'traefik-golang/compose.yaml:7 privileged-port 80',
        'wordpress-mysql/compose.yaml:22 privileged-port 80',
        // The image says 9644 is Redpanda's Admin API (no authentication by default).
        'wasmedge-kafka-mysql/compose.yml:17 exposed-service 9644',
      ].sort(),
    );
  });

  it('awesome-compose: no conflicts (5000/tcp beside 5000/udp, 5054 twice by protocol) and no nginx listen inside containers', () => {
    const found = findingsUnder(path.join(repo, 'src/test/fixtures/samples/awesome-compose'));
    assert.equal(found.filter((f) => f.includes('port-conflict')).length, 0);
    assert.equal(found.filter((f) => f.includes('nginx.conf')).length, 0);
    assert.equal(found.filter((f) => f.includes('invalid-port')).length, 0);
  });

  it('the bundled shop sample: every planted problem', () => {
    const found = findingsUnder(path.join(repo, 'samples/shop'));
    const expected = [
      'compose.yaml:8 privileged-port 80',
      'compose.yaml:9 privileged-port 443',
      'compose.yaml:23 port-conflict 8000',
      'compose.yaml:24 exposed-service 9229',
      'compose.yaml:34 port-conflict 8000',
      'compose.yaml:39 exposed-database 5432',
      'compose.yaml:51 privileged-port 53',
      'compose.yaml:52 privileged-port 53',
      'nginx/nginx.conf:11 port-conflict 80',
      'nginx/nginx.conf:33 port-conflict 80',
    ];
    for (const e of expected) {
      assert.ok(found.includes(e), `missing ${e} in\n${found.join('\n')}`);
    }
    // The [::]:80 default_server is a different socket from 80: no conflict there.
    assert.equal(
      found.some((f) => f.startsWith('nginx/nginx.conf:12 ')),
      false,
    );
  });
});
