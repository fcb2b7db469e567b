import * as assert from 'node:assert/strict';
import { isContainerPublisher } from '../../model/containerProxy';
import {
  isLoopbackHost,
  isThisMachine,
  isWildcardHost,
  loopbackFor,
  normalizeHost,
  unmapIpv4,
} from '../../model/host';
import { clampPort, isPortNumber, isValidPort, MAX_PORT, MIN_PORT } from '../../model/port';
import { bindsPort, claimsPort, type PortRole } from '../../model/roles';
import { LineIndex, looksLikeText } from '../../model/text';

describe('model: ports', () => {
  it('a valid port is a whole number from 1 to 65535', () => {
    assert.deepEqual(
      [1, 80, 65535].map((n) => isValidPort(n)),
      [true, true, true],
    );
    assert.deepEqual(
      [0, -1, 65536, 1.5, NaN, Infinity, '80', undefined, null].map((n) => isValidPort(n)),
      [false, false, false, false, false, false, false, false, false],
    );
    assert.equal(MIN_PORT, 1);
    assert.equal(MAX_PORT, 65535);
  });

  it('a port number also takes 0 ("any port")', () => {
    assert.equal(isPortNumber(0), true);
    assert.equal(isPortNumber(65535), true);
    assert.equal(isPortNumber(65536), false);
    assert.equal(isPortNumber(-1), false);
    assert.equal(isPortNumber(2.5), false);
  });

  it('clamps into 1..65535, rounding down, with a fallback for non-finite numbers', () => {
    assert.deepEqual(
      [0, -5, 1, 3000.9, 70000].map((n) => clampPort(n)),
      [1, 1, 1, 3000, 65535],
    );
    assert.equal(clampPort(NaN), 1);
    assert.equal(clampPort(Infinity, 3000), 3000);
  });
});

describe('model: hosts', () => {
  it('normalizes case, spaces and IPv6 brackets', () => {
    assert.equal(normalizeHost(' [::1] '), '::1');
    assert.equal(normalizeHost('LocalHost'), 'localhost');
    assert.equal(normalizeHost(undefined), '');
  });

  it('unmaps IPv4-mapped IPv6 addresses only', () => {
    assert.equal(unmapIpv4('::ffff:127.0.0.1'), '127.0.0.1');
    assert.equal(unmapIpv4('::ffff:0.0.0.0'), '0.0.0.0');
    assert.equal(unmapIpv4('::1'), '::1');
    assert.equal(unmapIpv4('::ffff:abcd'), '::ffff:abcd');
  });

  it('wildcards: absent, *, 0.0.0.0, ::, [::], the long form and the mapped form', () => {
    for (const host of [undefined, '', '*', '0.0.0.0', '::', '[::]', '0:0:0:0:0:0:0:0', '::ffff:0.0.0.0']) {
      assert.equal(isWildcardHost(host), true, String(host));
    }
    for (const host of ['127.0.0.1', '::1', 'localhost', 'db', '10.0.0.1', '${BIND_IP}']) {
      assert.equal(isWildcardHost(host), false, host);
    }
  });

  it('loopback: localhost, ::1 and 127/8, also mapped and bracketed', () => {
    for (const host of [
      'localhost',
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '[::1]',
      '::ffff:127.0.0.1',
      'LOCALHOST',
    ]) {
      assert.equal(isLoopbackHost(host), true, host);
    }
    for (const host of [undefined, '0.0.0.0', '128.0.0.1', '127.0.0', 'db', 'localhost.example.com']) {
      assert.equal(isLoopbackHost(host), false, String(host));
    }
  });

  it('this machine: loopback, wildcards, *.localhost and host.docker.internal', () => {
    for (const host of [
      'localhost',
      '127.0.0.1',
      '::1',
      '0.0.0.0',
      '::',
      'app.localhost',
      'host.docker.internal',
    ]) {
      assert.equal(isThisMachine(host), true, host);
    }
    for (const host of ['db', 'example.com', '10.0.0.2', 'localhost.example.com']) {
      assert.equal(isThisMachine(host), false, host);
    }
  });

  it('connects to a wildcard bind on loopback of its family', () => {
    assert.equal(loopbackFor('0.0.0.0'), '127.0.0.1');
    assert.equal(loopbackFor('::ffff:0.0.0.0'), '127.0.0.1');
    assert.equal(loopbackFor(undefined), '127.0.0.1');
    assert.equal(loopbackFor('::'), '::1');
    assert.equal(loopbackFor('::ffff:10.1.2.3'), '10.1.2.3');
    assert.equal(loopbackFor('fe80::1'), 'fe80::1');
  });
});

describe('model: roles', () => {
  const roles: PortRole[] = ['listen', 'publish', 'target', 'expose', 'connect', 'setting'];

  it('listen and publish bind the port on the host', () => {
    assert.deepEqual(
      roles.filter((r) => bindsPort(r)),
      ['listen', 'publish'],
    );
  });

  it('a setting claims the port too (the Ports view lists it)', () => {
    assert.deepEqual(
      roles.filter((r) => claimsPort(r)),
      ['listen', 'publish', 'setting'],
    );
  });
});

describe('model: container publishers', () => {
  it('knows Docker, Podman and WSL port publishers, in any case and with .exe', () => {
    for (const name of [
      'docker-proxy',
      'com.docker.backend',
      'com.docker.backend.exe',
      'vpnkit',
      'rootlessport',
      'rootlessport-child',
      'containerd-shim',
      'containerd-shim-runc-v2',
      'wslrelay.exe',
      'Docker-Proxy',
    ]) {
      assert.equal(isContainerPublisher(name), true, name);
    }
  });

  it('does not take ordinary processes for publishers', () => {
    for (const name of [undefined, '', 'docker', 'dockerd', 'node', 'nginx', 'postgres', 'vpnkitd']) {
      assert.equal(isContainerPublisher(name), false, String(name));
    }
  });
});

describe('model: text', () => {
  it('converts offsets to 0-based and 1-based positions', () => {
    const text = 'ab\ncd\r\n\nxyz';
    const lines = new LineIndex(text);
    assert.deepEqual(lines.locate(0), { line: 0, character: 0 });
    assert.deepEqual(lines.locate(text.indexOf('d')), { line: 1, character: 1 });
    assert.deepEqual(lines.locate(text.indexOf('x')), { line: 3, character: 0 });
    assert.deepEqual(lines.position(text.indexOf('z')), { line: 4, column: 3 });
    assert.deepEqual(lines.position(text.length), { line: 4, column: 4 });
  });

  it('indexes LF-only text as it indexes the same lines with CRLF', () => {
    const lf = 'a\nbc\n\nd\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = new LineIndex(lf);
    const b = new LineIndex(crlf);
    assert.deepEqual(
      [0, 2, 3, 5, 6, 8].map((o) => a.locate(o)),
      [
        { line: 0, character: 0 },
        { line: 1, character: 0 },
        { line: 1, character: 1 },
        { line: 2, character: 0 },
        { line: 3, character: 0 },
        { line: 4, character: 0 },
      ],
    );
    assert.deepEqual(b.locate(crlf.indexOf('d')), a.locate(lf.indexOf('d')));
    assert.deepEqual(new LineIndex('no newline').locate(3), { line: 0, character: 3 });
  });

  it('calls bytes binary when a NUL appears in the first 8 KiB', () => {
    const text = new TextEncoder().encode('PORT=3000\n');
    assert.equal(looksLikeText(text), true);
    assert.equal(looksLikeText(new Uint8Array([80, 0, 80])), false);
    const lateNul = new Uint8Array(9000).fill(65);
    lateNul[8500] = 0;
    assert.equal(looksLikeText(lateNul), true);
    lateNul[8191] = 0;
    assert.equal(looksLikeText(lateNul), false);
  });
});
