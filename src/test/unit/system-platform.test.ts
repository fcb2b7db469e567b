import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { containerProxyKind } from '../../system/dockerProxy';
import { readKernelPortLimits } from '../../system/kernel';
import { lsofArguments, parseLsofFields, splitHostPort } from '../../system/lsof';
import { netstatToSockets, parseNetstatRows, parseTasklistCsv } from '../../system/netstat';
import { parsePasswd } from '../../system/passwd';

const fixtures = path.resolve(__dirname, '../../../src/test/fixtures/system');
const fixture = (name: string) => readFileSync(path.join(fixtures, name), 'utf8');

describe('system: macOS lsof field output', () => {
  const sockets = parseLsofFields(fixture('lsof-macos.txt'));
  const line = (s: (typeof sockets)[number]) => `${s.protocol} ${s.address} ${s.port} ${s.pid} ${s.process}`;

  it('lists listening TCP and unconnected UDP sockets with pid and command', () => {
    assert.deepEqual(sockets.map(line), [
      'tcp 127.0.0.1 3000 1300 node',
      'udp 0.0.0.0 5353 911 mDNSResponder',
      'udp :: 5353 911 mDNSResponder',
      'tcp 127.0.0.1 5432 412 postgres',
      'tcp ::1 5432 412 postgres',
      'tcp 0.0.0.0 7000 598 ControlCenter',
      'tcp :: 7000 598 ControlCenter',
      'tcp :: 8080 1290 com.docker.backend',
    ]);
  });

  it('merges a socket shared by forked processes into one with several owners', () => {
    const shared = sockets.find((s) => s.address === '::1' && s.port === 5432);
    assert.deepEqual(
      shared?.owners.map((o) => o.pid),
      [412, 413],
    );
    assert.equal(sockets.find((s) => s.address === '127.0.0.1' && s.port === 5432)?.owners.length, 1);
  });

  it('keeps the family from the t field, the uid, and marks Docker Desktop', () => {
    const v6 = sockets.find((s) => s.address === '::' && s.port === 7000);
    assert.equal(v6?.family, 'ipv6');
    assert.equal(v6?.uid, 501);
    assert.equal(sockets.find((s) => s.port === 8080)?.proxy, 'docker');
    assert.equal(v6?.proxy, undefined);
  });

  it('drops connected sockets, established TCP and a process set without a valid pid', () => {
    assert.ok(!sockets.some((s) => s.port === 60512 || s.port === 1));
    assert.equal(sockets.filter((s) => s.port === 3000).length, 1);
  });

  it('asks lsof for field output, numerically, without a shell', () => {
    assert.deepEqual(lsofArguments, ['-nP', '-iTCP', '-sTCP:LISTEN', '-iUDP', '-F', 'pcnuPtT']);
  });

  it('splits host and port, including bracketed IPv6 with a zone', () => {
    assert.deepEqual(splitHostPort('[fe80::1%lo0]:8080'), { host: 'fe80::1%lo0', port: 8080 });
    assert.deepEqual(splitHostPort('*:53'), { host: '*', port: 53 });
    assert.equal(splitHostPort('*:*'), undefined);
    assert.equal(splitHostPort('127.0.0.1:99999'), undefined);
    assert.equal(splitHostPort('nonsense'), undefined);
  });
});

describe('system: Windows netstat -ano and tasklist', () => {
  const rows = parseNetstatRows(fixture('netstat-ano.txt'));
  const names = parseTasklistCsv(fixture('tasklist.csv'));
  const sockets = netstatToSockets(rows, names);

  it('parses rows of both protocols and skips headers and broken lines', () => {
    assert.equal(rows.length, 15);
    assert.equal(rows.filter((r) => r.protocol === 'udp').length, 4);
  });

  it('reads tasklist CSV with quoted quotes and CRLF', () => {
    assert.equal(names.get(7300), 'node.exe');
    assert.equal(names.get(2332), 'mDNS "Responder".exe');
    assert.equal(names.get(0), 'System Idle Process');
  });

  it('lists listeners by foreign address, so a translated State column still works', () => {
    assert.deepEqual(
      sockets.map((s) => `${s.protocol} ${s.address} ${s.port} ${s.pid ?? '-'} ${s.process ?? '-'}`),
      [
        'tcp 0.0.0.0 135 1044 svchost.exe',
        'tcp :: 135 1044 svchost.exe',
        'tcp 0.0.0.0 445 4 System',
        'udp fe80::1c2b:3d4e:5f60:7182%12 1900 4420 ',
        'tcp 0.0.0.0 3000 7300 node.exe',
        'udp 0.0.0.0 5353 2332 mDNS "Responder".exe',
        'udp :: 5353 2332 mDNS "Responder".exe',
        'tcp 127.0.0.1 5432 6120 postgres.exe',
        'tcp ::1 8080 8008 com.docker.backend.exe',
      ],
    );
  });

  it('counts connections per listener and marks Docker Desktop', () => {
    const postgres = sockets.find((s) => s.port === 5432);
    assert.deepEqual(postgres?.connections, { established: 1, timeWait: 1, closeWait: 0 });
    const docker = sockets.find((s) => s.port === 8080);
    assert.deepEqual(docker?.connections, { established: 0, timeWait: 0, closeWait: 1 });
    assert.equal(docker?.proxy, 'docker');
    assert.equal(docker?.family, 'ipv6');
  });

  it('never turns an outgoing connection into a listener', () => {
    assert.ok(!sockets.some((s) => s.port === 50700 || s.port === 50501 || s.port === 49664));
  });
});

describe('system: small helpers', () => {
  it('recognises container port publishers and nothing else', () => {
    for (const name of [
      'docker-proxy',
      'com.docker.backend',
      'rootlessport',
      'containerd-shim',
      'containerd-shim-runc-v2',
      'com.docker.backend.exe',
    ]) {
      assert.equal(containerProxyKind(name), 'docker', name);
    }
    for (const name of ['dockerd', 'node', 'postgres', '', undefined]) {
      assert.equal(containerProxyKind(name), undefined, String(name));
    }
  });

  it('parses passwd, first entry wins, comments and junk skipped', () => {
    const names = parsePasswd(
      '# x\nroot:x:0:0::/:/bin/sh\ntoor:x:0:0::/:/bin/sh\n:x:5:5::/:\nbad\nbob:x:1001:1001::/home/bob:/bin/sh\n',
    );
    assert.equal(names.get(0), 'root');
    assert.equal(names.get(1001), 'bob');
    assert.equal(names.has(5), false);
  });

  it('reads kernel port limits, with defaults when procfs is absent', () => {
    const missing = readKernelPortLimits('/nonexistent-proc');
    assert.deepEqual(missing, {
      unprivilegedPortStart: 1024,
      ephemeralRange: { from: 32768, to: 60999 },
      fromKernel: false,
    });
    if (process.platform === 'linux') {
      const limits = readKernelPortLimits();
      const [from, to] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
        .trim()
        .split(/\s+/)
        .map(Number);
      assert.deepEqual(limits.ephemeralRange, { from, to });
      assert.equal(
        limits.unprivilegedPortStart,
        Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8')),
      );
      assert.equal(limits.fromKernel, true);
    }
  });
});
