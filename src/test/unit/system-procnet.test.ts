import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  decodeProcAddress,
  formatIpv6,
  isUnconnected,
  parseProcNetTable,
  TcpState,
} from '../../system/procNet';

const fixtures = path.resolve(__dirname, '../../../src/test/fixtures/system');
const fixture = (name: string) => readFileSync(path.join(fixtures, name), 'latin1');

describe('system: /proc/net parsing', () => {
  describe('decodeProcAddress', () => {
    it('decodes IPv4 words stored little-endian', () => {
      assert.equal(decodeProcAddress('0100007F'), '127.0.0.1');
      assert.equal(decodeProcAddress('00000000'), '0.0.0.0');
      assert.equal(decodeProcAddress('0A00A8C0'), '192.168.0.10');
      assert.equal(decodeProcAddress('3500007F'), '127.0.0.53');
    });

    it('decodes IPv6 as four little-endian words', () => {
      assert.equal(decodeProcAddress('00000000000000000000000000000000'), '::');
      assert.equal(decodeProcAddress('00000000000000000000000001000000'), '::1');
      assert.equal(decodeProcAddress('B80D0120000000000000000001000000'), '2001:db8::1');
      assert.equal(decodeProcAddress('000080FE00000000000000000100000A'), 'fe80::a00:1');
    });

    it('writes IPv4-mapped addresses as ::ffff:dotted-quad', () => {
      assert.equal(decodeProcAddress('0000000000000000FFFF00000100007F'), '::ffff:127.0.0.1');
    });

    it('rejects text that is not an address', () => {
      assert.equal(decodeProcAddress('ZZZZZZZZ'), undefined);
      assert.equal(decodeProcAddress('0100007'), undefined);
      assert.equal(decodeProcAddress(''), undefined);
    });

    it('compresses the longest zero run, the first on a tie, and never a single group', () => {
      const bytes = (groups: number[]) => groups.flatMap((g) => [g >> 8, g & 255]);
      assert.equal(formatIpv6(bytes([1, 0, 0, 2, 0, 0, 0, 3])), '1:0:0:2::3');
      assert.equal(formatIpv6(bytes([1, 0, 0, 2, 0, 0, 3, 4])), '1::2:0:0:3:4');
      assert.equal(formatIpv6(bytes([1, 0, 2, 3, 4, 5, 6, 7])), '1:0:2:3:4:5:6:7');
      assert.equal(formatIpv6(bytes([0, 0, 0, 0, 0, 0, 0, 1])), '::1');
      assert.equal(formatIpv6(bytes([0xfe80, 0, 0, 0, 0, 0, 0, 0])), 'fe80::');
    });
  });

  describe('parseProcNetTable', () => {
    it('reads IPv4 TCP rows and skips the header, truncated rows and garbage', () => {
      const entries = parseProcNetTable(fixture('proc-net-tcp.txt'), 'tcp', 'ipv4');
      assert.equal(entries.length, 9);
      const listening = entries.filter((e) => e.state === TcpState.listen);
      assert.deepEqual(
        listening.map((e) => [decodeProcAddress(e.localHex), e.port, e.uid, e.inode]),
        [
          ['0.0.0.0', 22, 0, 1001],
          ['127.0.0.1', 5432, 105, 1002],
          ['127.0.0.1', 8080, 1000, 1003],
        ],
      );
      assert.ok(!entries.some((e) => e.inode === 1099), 'row with a non-hex address is dropped');
      const timeWait = entries.find((e) => e.state === TcpState.timeWait);
      assert.equal(timeWait?.inode, 0);
      assert.equal(timeWait?.remotePort, 0xc352);
    });

    it('reads IPv6 rows including mapped and link-local addresses', () => {
      const entries = parseProcNetTable(fixture('proc-net-tcp6.txt'), 'tcp', 'ipv6');
      assert.deepEqual(
        entries
          .filter((e) => e.state === TcpState.listen)
          .map((e) => `${decodeProcAddress(e.localHex)} ${e.port}`),
        [':: 80', '::1 8080', '::ffff:127.0.0.1 3000', 'fe80::a00:1 6667', '2001:db8::1 9000'],
      );
    });

    it('tells bound UDP sockets from connected ones', () => {
      const entries = parseProcNetTable(fixture('proc-net-udp.txt'), 'udp', 'ipv4');
      assert.equal(entries.length, 3);
      const bound = entries.filter((e) => e.state === TcpState.close && isUnconnected(e));
      assert.deepEqual(
        bound.map((e) => `${decodeProcAddress(e.localHex)}:${e.port}`),
        ['127.0.0.53:53', '0.0.0.0:68'],
      );
    });

    it('tolerates tabs, runs of spaces and CRLF, and drops rows without an inode', () => {
      const entries = parseProcNetTable(fixture('proc-net-udp6.txt'), 'udp', 'ipv6');
      assert.equal(entries.length, 1);
      assert.equal(entries[0].port, 5353);
      assert.equal(entries[0].inode, 5001);
      assert.equal(decodeProcAddress(entries[0].localHex), '::');
    });

    it('ignores rows of the other family and empty input', () => {
      assert.deepEqual(parseProcNetTable(fixture('proc-net-tcp6.txt'), 'tcp', 'ipv4'), []);
      assert.deepEqual(parseProcNetTable('', 'tcp', 'ipv4'), []);
      assert.deepEqual(parseProcNetTable('\n\n   \n', 'udp', 'ipv6'), []);
    });
  });
});
