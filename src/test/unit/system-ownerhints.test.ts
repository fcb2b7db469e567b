import * as assert from 'node:assert/strict';
import { formatOwnerHints, parseOwnerHints, processStartTime } from '../../system/ownerHints';

describe('system: owner hints file', () => {
  it('round-trips processes, their listener fds and unowned inodes', () => {
    const text = formatOwnerHints('boot-a', {
      unowned: [77, 78],
      processes: [
        {
          pid: 10,
          startTime: '123',
          fdCount: 5,
          socketFds: new Map([
            ['3', 1002],
            ['7', 1003],
          ]),
        },
        { pid: 11, startTime: '124', fdCount: 2, socketFds: new Map() },
      ],
    });
    const hints = parseOwnerHints(text, 'boot-a');
    assert.deepEqual(hints.unowned, [77, 78]);
    assert.deepEqual(
      hints.processes.map((p) => [p.pid, p.startTime, p.fdCount, [...p.socketFds]]),
      [
        [
          10,
          '123',
          5,
          [
            ['3', 1002],
            ['7', 1003],
          ],
        ],
        [11, '124', 2, []],
      ],
    );
  });

  it('gives nothing for another boot, and skips malformed lines', () => {
    const text = formatOwnerHints('boot-a', {
      unowned: [],
      processes: [{ pid: 10, startTime: '123', fdCount: 5, socketFds: new Map([['3', 1002]]) }],
    });
    assert.deepEqual(parseOwnerHints(text, 'boot-b'), { processes: [], unowned: [] });
    const noisy = `${text}x 1 2\n12 1x 3\n13 5 2 3:\n14 5 2 :9\n15 5 2 3:0\n16 5 2 -1:5\n17 99 1 4:2001\n`;
    assert.deepEqual(
      parseOwnerHints(noisy, 'boot-a').processes.map((p) => p.pid),
      [10, 17],
    );
  });

  it('reads fd numbers without leading zeros and writes an unchanged line back as it was read', () => {
    const text = 'portolan-owner-hints 1 boot-a\n10 123 5 007:1002 3:1003\n11 124 3 0x10:5\n12 125 1\n';
    const hints = parseOwnerHints(text, 'boot-a');
    assert.deepEqual(
      hints.processes.map((p) => [p.pid, [...p.socketFds]]),
      [
        [
          10,
          [
            ['7', 1002],
            ['3', 1003],
          ],
        ],
        [12, []],
      ],
    );
    assert.equal(
      formatOwnerHints('boot-a', hints),
      'portolan-owner-hints 1 boot-a\n10 123 5 007:1002 3:1003\n12 125 1\n',
    );
  });

  it('reads the start time after the last parenthesis of the process name', () => {
    if (process.platform !== 'linux') {
      return;
    }
    const own = processStartTime('/proc', process.pid);
    assert.match(own ?? '', /^\d+$/);
    assert.equal(processStartTime('/proc', process.pid), own);
    assert.equal(processStartTime('/proc', 2 ** 30), undefined);
  });
});
