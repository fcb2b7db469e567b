// Every parser of outside text (lsof, netstat, tasklist, passwd, kernel limits) and
// every registry lookup, fed noise, cut lines and numbers that are not ports: no throw, no invention.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeRange, rangeClass } from '../../data/ranges';
import { describePort, serviceName } from '../../data/registry';
import { isPortNumber } from '../../model/port';
import { readKernelPortLimits } from '../../system/kernel';
import { parseLsofFields, splitHostPort } from '../../system/lsof';
import { netstatToSockets, parseNetstatRows, parseTasklistCsv } from '../../system/netstat';
import { parsePasswd } from '../../system/passwd';
import { parseProcNetTable } from '../../system/procNet';

function noise(size: number, seed: number): string {
  let x = seed;
  let out = '';
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += String.fromCharCode(x & 0xff);
  }
  return out;
}

const samples: Record<string, string> = {
  empty: '',
  'binary noise': noise(64 * 1024, 0x1234567),
  'only newlines': '\n\r\n\r'.repeat(1000),
  'one long line': 'p123\ncnode\nn*:'.padEnd(200000, '9'),
  'cut lines': 'p4242\ncnod\nf\nn127.0.0.1:80\np\nc\nn:\nn[::1\nn[::1]:\nn*:99999\nn*:-1\n',
  'netstat-ish':
    '  TCP    0.0.0.0:99999     0.0.0.0:0    LISTENING   abc\n  TCP    [::]:    [::]:0    LISTENING\n  UDP  *:*  \n  TCP 1.2.3.4:80 5.6.7.8:1 LISTENING 4294967296\n',
  'csv-ish': '"a","b"\n"node.exe","NaN","x"\n"x.exe","12\n,,,,\n"unterminated',
  'passwd-ish': 'root:x:0\n:::::::\nalice:x:-1:1::/:/bin/sh\nbob:x:99999999999999999999:1::/:/bin/sh\n',
  'services-ish': 'http 80/tcp\nbad 99999/tcp\nneg -1/udp\nnone\nx 8080\ny 1e3/tcp\nz ８０８０/tcp\n',
};

describe('robustness: parsers of outside text', () => {
  for (const [name, text] of Object.entries(samples)) {
    it(`${name}: every parser returns without throwing, and only ports in 0..65535`, () => {
      const lsof = parseLsofFields(text);
      const netstat = netstatToSockets(parseNetstatRows(text), parseTasklistCsv(text));
      const procnet = [...parseProcNetTable(text, 'tcp', 'ipv4'), ...parseProcNetTable(text, 'udp', 'ipv6')];
      for (const s of [...lsof, ...netstat, ...procnet]) {
        assert.ok(Number.isInteger(s.port) && s.port >= 0 && s.port <= 65535, `${name}: port ${s.port}`);
      }
      for (const [uid] of parsePasswd(text)) {
        assert.ok(Number.isSafeInteger(uid) && uid >= 0 && uid <= 0xffffffff, `${name}: uid ${uid}`);
      }
      for (const line of text.split('\n').slice(0, 2000)) {
        const split = splitHostPort(line);
        if (split) {
          assert.ok(
            Number.isInteger(split.port) && split.port >= 0 && split.port <= 65535,
            `${name}: ${JSON.stringify(line)} -> ${split.port}`,
          );
        }
      }
    });
  }

  it('kernel limits: garbage, negatives, reversed and huge values fall back to the defaults', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'portolan-kernel-'));
    try {
      const dir = path.join(root, 'sys/net/ipv4');
      mkdirSync(dir, { recursive: true });
      const cases: [string, string][] = [
        ['abc', '32768\t60999\n'],
        ['-1', '60999 32768'],
        ['99999999', '0 70000'],
        ['', ''],
        ['1024\n2048', '1 2 3'],
        [noise(100, 7), noise(100, 9)],
      ];
      for (const [start, range] of cases) {
        writeFileSync(path.join(dir, 'ip_unprivileged_port_start'), start);
        writeFileSync(path.join(dir, 'ip_local_port_range'), range);
        const limits = readKernelPortLimits(root);
        assert.ok(
          limits.unprivilegedPortStart >= 0 && limits.unprivilegedPortStart <= 65536,
          JSON.stringify(limits),
        );
        assert.ok(
          limits.ephemeralRange.from >= 1 &&
            limits.ephemeralRange.from <= limits.ephemeralRange.to &&
            limits.ephemeralRange.to <= 65535,
          JSON.stringify(limits),
        );
      }
      rmSync(dir, { recursive: true });
      assert.equal(readKernelPortLimits(root).fromKernel, false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('robustness: registry lookups on numbers that are not ports', () => {
  const odd = [99999, -1, 0, 65536, 1e3, 0x1f90, NaN, Infinity, -Infinity, 1.5, 2 ** 53, -0];
  for (const port of odd) {
    it(`${String(port)}: describePort, serviceName and the range facts answer without throwing`, () => {
      // 0 is a port ("any free port"), only outside 0..65535 is invalid.
      const valid = Number.isInteger(port) && port >= 0 && port <= 65535;
      for (const protocol of ['tcp', 'udp', 'sctp', undefined] as const) {
        const info = describePort(port, protocol);
        assert.ok(info, `${port}/${protocol}`);
        const name = serviceName(port, protocol);
        if (!valid || port === 0) {
          assert.equal(name, undefined, `${port}/${protocol} has a service name`);
        }
      }
      assert.equal(isPortNumber(port), valid);
      assert.equal(rangeClass(port) === 'invalid', !valid, `rangeClass(${port}) = ${rangeClass(port)}`);
      const facts = describeRange(port);
      assert.equal(facts.rangeClass, rangeClass(port));
      assert.ok(
        facts.notes.length > 0 && facts.notes[0] === facts.note,
        `${port}: ${facts.notes.join('; ')}`,
      );
    });
  }
});
