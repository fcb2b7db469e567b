// The fuzz run of scripts/fuzz.mjs, small and seeded: 2,000 mutated inputs through every finder,
// rule, fix and hover must not throw. (The full run also bounds each input's time.)
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadCorpus, runFuzz } from '../fuzz/hostileFuzz';

describe('guard: mutation fuzzing of finders, rules, fixes and hovers', function () {
  this.timeout(600000);

  it('2,000 seeded inputs: no exception', () => {
    const root = path.resolve(__dirname, '../../..');
    const seeds = loadCorpus(root, ['samples', 'src/test/fixtures']);
    assert.ok(seeds.length > 20, `${seeds.length} seed files`);
    const result = runFuzz(seeds, { count: 2000, seed: 20261201, maxMsPerInput: Number.POSITIVE_INFINITY });
    process.stderr.write(
      `      [fuzz] ${result.inputs} inputs, ${result.mentions} mentions, ${result.findings} findings, ` +
        `${result.fixes} fixes, slowest ${result.slowestMs.toFixed(0)} ms (${result.slowest})\n`,
    );
    assert.equal(result.inputs, 2000);
    assert.ok(result.mentions > 0 && result.findings > 0 && result.fixes > 0 && result.hovers > 0);
    assert.deepEqual(
      result.failures.map((f) => `${f.name} as ${f.kind}: ${f.what}`),
      [],
    );
  });
});
