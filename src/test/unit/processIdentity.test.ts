// Issue 13 item 7: processes named by their own identity, not a thread's kernel name.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isThreadName, processIdentity } from '../../system/processIdentity';

interface IdentityCase {
  process: string;
  command: string;
  shown: string;
}

const fixture = JSON.parse(
  fs.readFileSync(
    path.resolve(__dirname, '../../../src/test/fixtures/system/process-identities.json'),
    'utf8',
  ),
) as { cases: IdentityCase[] };

describe('processIdentity', () => {
  for (const c of fixture.cases) {
    it(`names "${c.process}" running "${c.command}" as "${c.shown}"`, () => {
      assert.equal(processIdentity({ process: c.process, command: c.command }), c.shown);
    });
  }

  it('keeps the kernel name when the command line is unknown', () => {
    assert.equal(processIdentity({ process: 'MainThread' }), 'MainThread');
    assert.equal(processIdentity({}), '?');
  });

  it('tells thread names from program names', () => {
    assert.equal(isThreadName('MainThread', '/usr/bin/python3'), true);
    assert.equal(isThreadName('tokio-runtime-w', '/srv/edge-proxy'), true);
    assert.equal(isThreadName('redis-server', '/usr/bin/redis-server'), false);
    // comm is the file name cut to 15 characters.
    assert.equal(isThreadName('containerd-shim', '/usr/bin/containerd-shim-runc-v2'), false);
  });
});
