import * as assert from 'node:assert/strict';
import { GlobSet } from '../../rules/glob';

describe('rules: ignore globs', () => {
  it('matches VS Code glob syntax against workspace-relative paths', () => {
    const set = new GlobSet(['**/fixtures/**', 'legacy/*.yml', '**/*.{env,properties}', 'deploy/compose.?.yaml', 'vendor']);
    for (const p of ['src/test/fixtures/a/compose.yaml', 'fixtures/x', 'legacy/compose.yml', 'a/b/.env', 'conf/app.properties', 'deploy/compose.1.yaml', 'vendor/nginx.conf']) {
      assert.equal(set.matches(p), true, p);
    }
    for (const p of ['src/compose.yaml', 'legacy/sub/compose.yml', 'a/b/.env.local', 'deploy/compose.10.yaml', 'vendors/nginx.conf']) {
      assert.equal(set.matches(p), false, p);
    }
  });

  it('is empty without patterns', () => {
    assert.equal(new GlobSet([]).isEmpty, true);
    assert.equal(new GlobSet(['  ']).matches('a'), false);
  });
});
