import * as assert from 'node:assert/strict';

describe('rules: which files are judged', () => {
  it('leaves prose to hovers and judges configuration and code', async () => {
    const { isProseFile } = await import('../../rules/scope.js');
    for (const p of ['README.md', 'docs/setup.MD', 'notes.txt', 'guide.rst', 'x/index.html']) {
      assert.equal(isProseFile(p), true, p);
    }
    assert.equal(isProseFile('untitled:Untitled-1', 'markdown'), true);
    for (const p of ['compose.yaml', '.env', 'server.ts', 'nginx.conf', 'Dockerfile', 'md']) {
      assert.equal(isProseFile(p), false, p);
    }
  });
});
