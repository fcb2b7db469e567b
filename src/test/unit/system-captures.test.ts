// The Windows and macOS readers against outputs captured on other people's machines (each fixture
// under fixtures/system/captures names its source), and the Ports view's tree ids over every
// system fixture.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  browserUrl,
  buildPortsModel,
  canOpenInBrowser,
  makeIdsUnique,
  type PortsNode,
  type SocketNode,
} from '../../present/portsModel';
import { parseLsofFields } from '../../system/lsof';
import { connectionState, netstatToSockets, parseNetstatRows, parseTasklistCsv } from '../../system/netstat';
import { compressIpv6, expandIpv6, isLinkLocal, withZone } from '../../system/scopedAddress';
import { SocketReader } from '../../system/socketReader';
import type { ListeningSocket } from '../../system/types';
import { names, snap, sock } from './live-fakes';

const systemFixtures = path.resolve(__dirname, '../../../src/test/fixtures/system');
const captures = path.join(systemFixtures, 'captures');
const capture = (name: string) => readFileSync(path.join(captures, name), 'utf8');
const netstat = (text: string, tasklist = '') =>
  netstatToSockets(parseNetstatRows(text), parseTasklistCsv(tasklist));
const owners = (s: ListeningSocket | undefined) => s?.owners.map((o) => o.pid);
const find = (sockets: ListeningSocket[], protocol: string, address: string, port: number) =>
  sockets.find((s) => s.protocol === protocol && s.address === address && s.port === port);

/** `lsof -nP -i` rows as the `lsof -F pcnuPtT` fields Portolan asks for (same facts, other layout). */
function lsofRowsToFields(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m =
      /^(\S+)\s+(\d+)\s+\S+\s+(\d+)\w\s+(IPv[46])\s+\S+\s+\S+\s+(TCP|UDP)\s+(\S+)(?:\s+\((\w+)\))?/.exec(
        line,
      );
    if (m) {
      out.push(`p${m[2]}`, `c${m[1]}`, `f${m[3]}`, `t${m[4]}`, `P${m[5]}`, `n${m[6]}`);
      if (m[7]) {
        out.push(`TST=${m[7]}`);
      }
    }
  }
  return out.join('\n');
}

describe('system: real captures from other machines', () => {
  describe('Windows netstat, English', () => {
    it('merges the rows of a UDP port several processes hold into one socket with every pid (flutter#53477)', () => {
      const sockets = netstat(capture('netstat-anob-en-flutter-53477.txt'));
      const wsd = sockets.filter((s) => s.protocol === 'udp' && s.port === 3702);
      assert.equal(wsd.length, 1);
      assert.deepEqual(owners(wsd[0]), [2720, 3128]);
      assert.equal(wsd[0].pid, 2720);
      assert.deepEqual(
        sockets.map((s) => `${s.protocol} ${s.address}:${s.port} ${owners(s)?.join(',')}`),
        [
          'tcp 0.0.0.0:135 1100',
          'tcp 0.0.0.0:445 4',
          'udp 0.0.0.0:500 5364',
          'tcp 0.0.0.0:554 11380',
          'udp 0.0.0.0:1900 4812',
          'tcp 0.0.0.0:2869 4',
          'udp 0.0.0.0:3702 2720,3128',
        ],
      );
    });

    it('counts a connection on a loopback address toward the wildcard listener (DnsServer#854)', () => {
      const sockets = netstat(capture('netstat-ano-en-dnsserver-854.txt'));
      assert.deepEqual(find(sockets, 'tcp', '::', 5380)?.connections, {
        established: 1,
        timeWait: 0,
        closeWait: 0,
      });
      assert.deepEqual(find(sockets, 'tcp', '0.0.0.0', 5380)?.connections.established, 0);
      assert.equal(find(sockets, 'tcp', '192.168.192.1', 53)?.pid, 13224);
    });
  });

  describe('Windows netstat, localized', () => {
    it('reads rows under Chinese headings; TIME_WAIT with pid 0 is counted as such (billfeller#174)', () => {
      const rows = parseNetstatRows(capture('netstat-ano-zh-billfeller-174.txt'));
      assert.deepEqual(
        rows.map((r) => `${r.address}:${r.port} ${r.foreign} ${r.state} ${r.pid}`),
        ['127.0.0.1:8411 127.0.0.1:58296 TIME_WAIT 0', '127.0.0.1:8411 127.0.0.1:58298 TIME_WAIT 0'],
      );
      assert.deepEqual(
        rows.map((r) => connectionState(r)),
        ['timeWait', 'timeWait'],
      );
    });

    it('finds a German listener whatever the code page did to ABHÖREN (raycast#30682)', () => {
      const text = capture('netstat-ano-de-raycast-30682.txt');
      for (const variant of [text, text.replace('Ö', '\ufffd')]) {
        const sockets = netstat(variant);
        assert.deepEqual(
          sockets.map((s) => `${s.protocol} ${s.address}:${s.port} ${s.pid}`),
          ['tcp 0.0.0.0:8080 42852'],
        );
      }
    });

    it('counts German connection states (HERGESTELLT, WARTEND, SCHLIESSEN_WARTEN)', () => {
      const sockets = netstat(capture('netstat-ano-issue-12.txt'));
      assert.deepEqual(find(sockets, 'tcp', '0.0.0.0', 3000)?.connections, {
        established: 1,
        timeWait: 1,
        closeWait: 1,
      });
    });

    it('keeps a row whose state is two words (Italian IN ASCOLTO) and counts STABILITO', () => {
      const rows = parseNetstatRows(capture('netstat-ano-issue-12.txt'));
      assert.equal(rows.find((r) => r.port === 4000 && r.foreign === '0.0.0.0:0')?.state, 'IN ASCOLTO');
      const sockets = netstat(capture('netstat-ano-issue-12.txt'));
      assert.equal(find(sockets, 'tcp', '0.0.0.0', 4000)?.pid, 4100);
      assert.deepEqual(find(sockets, 'tcp', '0.0.0.0', 4000)?.connections, {
        established: 1,
        timeWait: 1,
        closeWait: 0,
      });
    });

    it('knows the established word of every locale it lists, and leaves unknown words uncounted', () => {
      const row = (state: string, pid = 7) => ({
        protocol: 'tcp' as const,
        address: '127.0.0.1',
        port: 80,
        foreign: '127.0.0.1:50000',
        state,
        pid,
      });
      for (const word of [
        'ESTABLISHED',
        'HERGESTELLT',
        'ÉTABLIE',
        'ESTABLECIDO',
        'STABILITO',
        'ESTABELECIDA',
      ]) {
        assert.equal(connectionState(row(word)), 'established', word);
      }
      assert.equal(connectionState(row('\ufffdTABLIE')), 'established');
      assert.equal(connectionState(row('FIN_WARTEN_2')), undefined);
      assert.equal(connectionState(row('SYN_GESENDET')), undefined);
      assert.equal(connectionState(row('UNBEKANNT', 0)), 'timeWait');
    });

    it('merges the shared UDP 5353 rows of the English capture quoted in issue 12', () => {
      const sockets = netstat(capture('netstat-ano-issue-12.txt'));
      const mdns = sockets.filter((s) => s.port === 5353);
      assert.deepEqual(
        mdns.map((s) => `${s.address} ${owners(s)?.join(',')}`),
        ['0.0.0.0 2076,6324,8372,9324,10032', ':: 2076,6324,8372,9324,10032'],
      );
    });
  });

  describe('IPv6 scope', () => {
    it('keeps Windows’ zone id on a link-local listener', () => {
      const sockets = netstat(capture('netstat-ano-issue-12.txt'));
      const scoped = sockets.filter((s) => s.port === 53);
      assert.deepEqual(
        scoped.map((s) => `${s.protocol} ${s.address} ${s.family}`),
        ['tcp fe80::1085:21e6:3d65:c893%6 ipv6', 'udp fe80::1085:21e6:3d65:c893%6 ipv6'],
      );
    });

    it('turns lsof’s KAME form into a numeric zone and keeps an interface name', () => {
      const sockets = parseLsofFields(capture('lsof-F-issue-12.txt'));
      assert.deepEqual(
        sockets.map((s) => `${s.protocol} ${s.address} ${s.port} ${s.pid}`),
        [
          'udp fe80::aede:48ff:fe00:1122%5 5353 911',
          'tcp fe80::aede:48ff:fe00:1122%5 8080 911',
          'tcp fe80::1%lo0 9229 912',
        ],
      );
    });

    it('moves the embedded scope of link-local and link-scoped multicast only', () => {
      assert.equal(withZone('fe80:5::aede:48ff:fe00:1122'), 'fe80::aede:48ff:fe00:1122%5');
      assert.equal(withZone('fe80:c::1'), 'fe80::1%12');
      assert.equal(withZone('ff02:4::fb'), 'ff02::fb%4');
      assert.equal(withZone('fe80::1'), 'fe80::1');
      assert.equal(withZone('fe80::1%en0'), 'fe80::1%en0');
      assert.equal(withZone('2001:db8::1'), '2001:db8::1');
      assert.equal(withZone('::'), '::');
      assert.equal(withZone('127.0.0.1'), '127.0.0.1');
      assert.deepEqual(expandIpv6('fe80::1'), [0xfe80, 0, 0, 0, 0, 0, 0, 1]);
      assert.equal(expandIpv6('1::2::3'), undefined);
      assert.equal(compressIpv6([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1]), '2001:db8::1:0:0:1');
      assert.ok(isLinkLocal('fe80::1%6') && isLinkLocal('febf::1') && !isLinkLocal('fec0::1'));
    });

    it('never offers an unscoped link-local URL in Open in Browser', () => {
      assert.equal(browserUrl('fe80::1', 8080, false), undefined);
      assert.equal(browserUrl('fe80::1%6', 8080, false), 'http://[fe80::1%256]:8080/');
      assert.equal(browserUrl('fe80::1%en0', 443, true), 'https://[fe80::1%25en0]:443/');
      assert.equal(browserUrl('::1', 8080, false), 'http://[::1]:8080/');
      assert.ok(!canOpenInBrowser('fe80::1') && canOpenInBrowser(undefined) && canOpenInBrowser('0.0.0.0'));
      const model = buildPortsModel<string>({
        snapshot: snap([sock(8080, { address: 'fe80::1' }), sock(8081, { address: 'fe80::1%6' })]),
        liveAvailable: true,
        declarations: [],
        watchPorts: [8080],
        groupByProcess: false,
        showUdp: true,
        names,
      });
      const listening = model.sections[0].children as SocketNode[];
      assert.ok(!listening[0].contextValue?.split(' ').includes('http'));
      assert.ok(listening[1].contextValue?.split(' ').includes('http'));
      const watched = model.sections.find((s) => s.section === 'watched')!.children[0];
      assert.ok(!watched.contextValue?.split(' ').includes('http'));
    });
  });

  describe('macOS lsof', () => {
    it('merges the UDP 5353 sockets of mDNSResponder and Spotify per family (miekg/dns#941)', () => {
      const sockets = parseLsofFields(lsofRowsToFields(capture('lsof-i-macos-miekg-dns-941.txt')));
      assert.deepEqual(
        sockets.map((s) => `${s.protocol} ${s.address}:${s.port} ${owners(s)?.join(',')} ${s.process}`),
        [
          'tcp 0.0.0.0:53 205 mDNSRespo',
          'tcp :::53 205 mDNSRespo',
          'udp 0.0.0.0:53 205 mDNSRespo',
          'udp :::53 205 mDNSRespo',
          'udp 0.0.0.0:5353 205,696 mDNSRespo',
          'udp :::5353 205,696 mDNSRespo',
        ],
      );
    });
  });
});

describe('Ports view: tree ids are unique for every system fixture', () => {
  function allIds(nodes: readonly PortsNode<unknown>[]): string[] {
    return nodes.flatMap((n) => [
      n.id,
      ...('children' in n ? allIds(n.children as PortsNode<unknown>[]) : []),
    ]);
  }

  function procSockets(): ListeningSocket[] {
    const root = mkdtempSync(path.join(os.tmpdir(), 'portolan-ids-'));
    try {
      mkdirSync(path.join(root, 'net'));
      mkdirSync(path.join(root, 'self'));
      for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) {
        copyFileSync(path.join(systemFixtures, `proc-net-${table}.txt`), path.join(root, 'net', table));
      }
      return new SocketReader({ procRoot: root, passwdPath: '/nonexistent' }).snapshot().sockets;
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  const tasklist = readFileSync(path.join(systemFixtures, 'tasklist.csv'), 'utf8');
  const readers: Record<string, () => ListeningSocket[]> = {
    'proc-net-*.txt': procSockets,
    'lsof-macos.txt': () =>
      parseLsofFields(readFileSync(path.join(systemFixtures, 'lsof-macos.txt'), 'utf8')),
    'netstat-ano.txt': () =>
      netstat(readFileSync(path.join(systemFixtures, 'netstat-ano.txt'), 'utf8'), tasklist),
  };
  // A capture of connections only (the Chinese one) has no listener to show.
  for (const file of readdirSync(captures).filter((f) => !f.includes('-zh-'))) {
    readers[`captures/${file}`] = file.startsWith('netstat')
      ? () => netstat(capture(file), tasklist)
      : file.startsWith('lsof-i')
        ? () => parseLsofFields(lsofRowsToFields(capture(file)))
        : () => parseLsofFields(capture(file));
  }

  for (const [name, read] of Object.entries(readers)) {
    it(name, () => {
      const sockets = read();
      assert.ok(sockets.length > 0, 'the fixture yields sockets');
      for (const groupByProcess of [false, true]) {
        const model = buildPortsModel<string>({
          snapshot: snap(sockets),
          liveAvailable: true,
          declarations: [],
          watchPorts: [],
          groupByProcess,
          showUdp: true,
          names,
        });
        const ids = allIds(model.sections);
        assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids.join(' ')}`);
      }
    });
  }

  it('renames a repeated id to id~2, id~3 in tree order, even for sockets a reader repeats', () => {
    const twice = sock(5353, { protocol: 'udp', address: '0.0.0.0', inode: 0 });
    const model = buildPortsModel<string>({
      snapshot: snap([twice, { ...twice, pid: 9 }, { ...twice, pid: 10 }]),
      liveAvailable: true,
      declarations: [],
      watchPorts: [],
      groupByProcess: false,
      showUdp: true,
      names,
    });
    assert.deepEqual(
      model.sections[0].children.map((n) => n.id),
      ['listening/udp/0.0.0.0/5353/0', 'listening/udp/0.0.0.0/5353/0~2', 'listening/udp/0.0.0.0/5353/0~3'],
    );
    const clash: PortsNode<unknown>[] = [
      { kind: 'message', id: 'a~2', label: '' },
      { kind: 'message', id: 'a', label: '' },
      { kind: 'message', id: 'a', label: '' },
    ];
    makeIdsUnique(clash);
    assert.deepEqual(
      clash.map((n) => n.id),
      ['a~2', 'a', 'a~2~'],
    );
  });
});
