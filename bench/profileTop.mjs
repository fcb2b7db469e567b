// Summarizes a .cpuprofile (from `npm run load -- --in-host --profile <folder>` or `node --cpu-prof`):
// the functions with the most self time and the most total time, with their source location.
//
//   node bench/profileTop.mjs <file.cpuprofile> [--top 25]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 25;
if (!file) {
  process.stderr.write('usage: node bench/profileTop.mjs <file.cpuprofile> [--top N]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) {
  for (const c of n.children ?? []) {
    parent.set(c, n.id);
  }
}
// Time per sample: the delta that follows it.
const selfMs = new Map();
const deltas = profile.timeDeltas ?? [];
profile.samples.forEach((id, i) => {
  const ms = (deltas[i + 1] ?? 0) / 1000;
  selfMs.set(id, (selfMs.get(id) ?? 0) + ms);
});
const label = (n) => {
  const f = n.callFrame;
  const where = f.url ? `${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};
const self = new Map();
const total = new Map();
for (const [id, ms] of selfMs) {
  const n = byId.get(id);
  self.set(label(n), (self.get(label(n)) ?? 0) + ms);
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const l = label(byId.get(at));
    if (!seen.has(l)) {
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + ms);
    }
  }
}
const wall = (profile.endTime - profile.startTime) / 1000;
const print = (title, map) => {
  process.stdout.write(`${title}\n`);
  for (const [l, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`  ${ms.toFixed(1).padStart(9)} ms  ${l}\n`);
  }
};
process.stdout.write(`${file}: ${wall.toFixed(0)} ms sampled\n`);
print('self time', self);
print('total time', total);

// Long stretches without an idle sample: where the event loop was blocked, and by what.
const stalls = [];
let run;
let at = profile.startTime;
profile.samples.forEach((id, i) => {
  at += deltas[i] ?? 0;
  const name = byId.get(id).callFrame.functionName;
  if (name === '(idle)' || name === '(program)') {
    if (run && at - run.start > 100_000) {
      stalls.push(run);
    }
    run = undefined;
    return;
  }
  run ??= { start: at, ids: new Map() };
  run.end = at;
  // The outermost frames below (root) tell which task it was.
  const chain = [];
  for (let n = id; n !== undefined; n = parent.get(n)) {
    chain.push(label(byId.get(n)));
  }
  const key = chain.reverse().slice(1, 6).join(' > ');
  run.ids.set(key, (run.ids.get(key) ?? 0) + 1);
});
process.stdout.write('stretches over 100 ms without idle\n');
for (const s of stalls.sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, 8)) {
  process.stdout.write(
    `  ${((s.end - s.start) / 1000).toFixed(0)} ms at +${((s.start - profile.startTime) / 1000).toFixed(0)} ms\n`,
  );
  for (const [k, n] of [...s.ids].sort((a, b) => b[1] - a[1]).slice(0, 3)) {
    process.stdout.write(`      ${n} samples  ${k}\n`);
  }
}
