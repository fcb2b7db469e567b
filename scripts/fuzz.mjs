// Mutation fuzzing of every finder, rule, fix and the hover Markdown (issue 11).
//   npm run compile-tests && npm run fuzz -- [COUNT] [SEED] [MAX_MS_PER_INPUT]
// Defaults: 500000 inputs, seed 1, 2000 ms per input. Seeds are the files of samples/ and
// src/test/fixtures/; each input mutates one of them (bytes, lines, hostile tokens repeated up to
// a few thousand times). Exits 1 on any exception or any input slower than the bound, printing it.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { loadCorpus, runFuzz } = require(path.join(root, 'out/test/fuzz/hostileFuzz.js'));

const count = Number(process.argv[2] ?? 500000);
const seed = Number(process.argv[3] ?? 1);
const maxMsPerInput = Number(process.argv[4] ?? 2000);
const seeds = loadCorpus(root, ['samples', 'src/test/fixtures']);
const started = Date.now();
console.log(`fuzz: ${count} inputs from ${seeds.length} seed files, seed ${seed}, bound ${maxMsPerInput} ms`);
const result = runFuzz(seeds, {
  count,
  seed,
  maxMsPerInput,
  progress: (done) => console.log(`  ${done} inputs, ${((Date.now() - started) / 1000).toFixed(0)} s`),
});
const seconds = (Date.now() - started) / 1000;
console.log(
  `fuzz: ${result.inputs} inputs in ${seconds.toFixed(0)} s; ${result.mentions} mentions, ${result.findings} findings, ` +
    `${result.fixes} fixes, ${result.hovers} hovers; slowest ${result.slowestMs.toFixed(0)} ms (${result.slowest})`,
);
for (const failure of result.failures.slice(0, 20)) {
  console.log(`FAIL input ${failure.input} (${failure.name} as ${failure.kind}): ${failure.what}`);
  console.log(JSON.stringify(failure.sample));
}
console.log(`fuzz: ${result.failures.length} failures`);
process.exitCode = result.failures.length > 0 ? 1 : 0;
