// Where a profiled run spent its time: self time by function from a `node --cpu-prof` file, and a
// helper that runs a command once under --cpu-prof and returns that summary. The bench prints it
// under the rows whose target is missed, so the gap comes with its explanation.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTimed } from './listings.mjs';

/** Self time by function from a .cpuprofile, biggest first: `[{ fn, ms }]`. */
export function topSelf(file, top) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id).callFrame;
    const name = frame.functionName || '(anonymous)';
    const where = frame.url ? `${path.basename(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = where ? `${name} ${where}` : name;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, ms]) => ({ fn, ms: Math.round(ms * 10) / 10 }));
}

/** Runs `node --cpu-prof SCRIPT ARGS` once in `cwd` and summarizes its profile (undefined if none). */
export async function profiledRun(script, args, { cwd, top = 12, timeoutMs = 300_000 } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'portolan-bench-prof-'));
  try {
    await runTimed(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, script, ...args], {
      cwd,
      timeoutMs,
    });
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    return file ? topSelf(path.join(dir, file), top) : undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
