import * as assert from 'node:assert/strict';
import { GlobSet } from '../../rules/glob';

describe('rules: ignore globs', () => {
  it('matches VS Code glob syntax against workspace-relative paths', () => {
    const set = new GlobSet([
      '**/fixtures/**',
      'legacy/*.yml',
      '**/*.{env,properties}',
      'deploy/compose.?.yaml',
      'vendor',
    ]);
    for (const p of [
      'src/test/fixtures/a/compose.yaml',
      'fixtures/x',
      'legacy/compose.yml',
      'a/b/.env',
      'conf/app.properties',
      'deploy/compose.1.yaml',
      'vendor/nginx.conf',
    ]) {
      assert.equal(set.matches(p), true, p);
    }
    for (const p of [
      'src/compose.yaml',
      'legacy/sub/compose.yml',
      'a/b/.env.local',
      'deploy/compose.10.yaml',
      'vendors/nginx.conf',
    ]) {
      assert.equal(set.matches(p), false, p);
    }
  });

  it('is empty without patterns', () => {
    assert.equal(new GlobSet([]).isEmpty, true);
    assert.equal(new GlobSet(['  ']).matches('a'), false);
  });
});

describe('rules: which files are judged', () => {
  it('leaves prose to hovers and judges configuration and code', async () => {
    const { isProseFile } = await import('../../rules/scope');
    for (const p of ['README.md', 'docs/setup.MD', 'notes.txt', 'guide.rst', 'x/index.html']) {
      assert.equal(isProseFile(p), true, p);
    }
    assert.equal(isProseFile('untitled:Untitled-1', 'markdown'), true);
    for (const p of ['compose.yaml', '.env', 'server.ts', 'nginx.conf', 'Dockerfile', 'md']) {
      assert.equal(isProseFile(p), false, p);
    }
  });
});
