// Section "check": `portolan check` over a whole generated Go repository (goRepository.mjs), as a
// new process, against ripgrep counting every line with a 2–5 digit number over the same tree
// (`rg -c '[0-9]{2,5}'`), warm page cache, taking turns run by run. One more run of the CLI under
// --cpu-prof says where its time goes. Prints one JSON object.
// Arguments: <cli.js> [runs]
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeGoRepository } from './goRepository.mjs';
import { findExecutable, runTimed } from './listings.mjs';
import { profiledRun } from './profileSummary.mjs';
import { median, summarize } from './stats.mjs';

const [cli, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 7);

async function main() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'portolan-bench-repo-'));
  try {
    const tree = writeGoRepository(root);
    const rg = findExecutable('rg');
    const result = {
      files: tree.files,
      megabytes: tree.bytes / (1024 * 1024),
      runs,
      loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
      anchor: rg ? "rg -c '[0-9]{2,5}'" : 'anchor unavailable (ripgrep not installed)',
    };
    const methods = [];
    if (rg) {
      methods.push({ id: 'rg', file: rg, args: ['-c', '[0-9]{2,5}', '.'], okCodes: [0, 1], times: [] });
    }
    methods.push({
      id: 'check',
      file: process.execPath,
      args: [cli, 'check', '.'],
      okCodes: [0, 1],
      times: [],
    });
    // One untimed round: page cache and the CLI's owner files, as on a second run.
    for (const m of methods) {
      await runTimed(m.file, m.args, { cwd: root, timeoutMs: 300_000 });
    }
    for (let round = 0; round < runs; round++) {
      for (let i = 0; i < methods.length; i++) {
        const m = methods[(i + round) % methods.length];
        const run = await runTimed(m.file, m.args, { cwd: root, timeoutMs: 300_000 });
        if (!m.okCodes.includes(run.code)) {
          throw new Error(`${m.id} exit ${run.code}: ${run.stderr.slice(0, 300)}`);
        }
        m.times.push(run.ms);
        if (m.id === 'check') {
          m.findings = run.stdout.trim().split('\n').pop();
        }
      }
    }
    for (const m of methods) {
      result[m.id] = { ...summarize(m.times), ...(m.findings ? { summary: m.findings } : {}) };
    }
    if (rg) {
      result.ratioToRg = median(methods.at(-1).times) / median(methods[0].times);
    }
    result.profileTop = await profiledRun(cli, ['check', '.'], { cwd: root });
    result.loadAverageAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stdout.write(JSON.stringify({ error: String(error?.stack ?? error) }) + '\n');
});
