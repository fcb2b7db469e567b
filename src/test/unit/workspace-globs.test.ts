import * as assert from 'node:assert/strict';
import { GlobSet, validGlobs } from '../../workspace/globs';

describe('workspace: ignore globs', () => {
  it('matches VS Code glob syntax against workspace-relative paths', () => {
    const set = new GlobSet([
      '**/fixtures/**',
      'legacy/*.yml',
      '**/*.{env,properties}',
      'deploy/compose.?.yaml',
      'vendor',
      'keep/[!x]y.conf',
      'win\\*.ini',
    ]);
    assert.deepEqual(set.problems, []);
    for (const p of [
      'src/test/fixtures/a/compose.yaml',
      'fixtures/x',
      'legacy/compose.yml',
      'a/b/.env',
      'conf/app.properties',
      'deploy/compose.1.yaml',
      'vendor/nginx.conf',
      './vendor',
      'keep/ay.conf',
      'win/app.ini',
    ]) {
      assert.equal(set.matches(p), true, p);
    }
    for (const p of [
      'src/compose.yaml',
      'legacy/sub/compose.yml',
      'a/b/.env.local',
      'deploy/compose.10.yaml',
      'vendors/nginx.conf',
      'keep/xy.conf',
    ]) {
      assert.equal(set.matches(p), false, p);
    }
  });

  it('is empty without patterns', () => {
    assert.equal(new GlobSet([]).isEmpty, true);
    assert.equal(new GlobSet(['  ']).matches('a'), false);
  });

  // Regression: `**/*.{yml`, `{a` and `[z-a]` threw a SyntaxError from the constructor (CLI exit 70,
  // extension activation failed).
  it('leaves out malformed patterns with a reason and keeps the others', () => {
    const set = new GlobSet(['**/*.{yml', '{a', '[z-a]', 'a[', 'vendor/**']);
    assert.deepEqual(
      set.problems.map((p) => p.pattern),
      ['**/*.{yml', '{a', '[z-a]', 'a['],
    );
    for (const problem of set.problems) {
      assert.ok(problem.reason.length > 0, problem.pattern);
    }
    assert.equal(set.matches('vendor/x.conf'), true);
    assert.equal(set.matches('compose.yml'), false);
    assert.deepEqual(validGlobs(['**/*.{yml', 'vendor/**', '']), ['vendor/**']);
  });

  // Regression: the hand-made translation backtracked for 12 s on one 52-character file name.
  it('matches in linear time where a backtracking engine explodes', () => {
    const set = new GlobSet(['*a*a*a*a*a*a*a*a*b', '**/a/**/a/**/a/**/b']);
    const started = process.hrtime.bigint();
    assert.equal(set.matches('a'.repeat(52)), false);
    assert.equal(set.matches('a'.repeat(4000)), false);
    assert.equal(set.matches('a/'.repeat(2000)), false);
    assert.equal(set.matches(`${'a'.repeat(52)}b`), true);
    assert.equal(set.matches('x/a/y/a/z/a/b'), true);
    process.stderr.write(`      glob ReDoS probes: ${Number(process.hrtime.bigint() - started) / 1e6} ms\n`);
  });
});
