// Section 3, run as its own process (with --expose-gc): index a generated workspace of N files
// with the walker and finders `portolan scan` uses (src/cli/walk.ts + scanText), keeping every
// file's mentions as an index would, and report time and memory. Prints one JSON object.
// Arguments: <fileCount>
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeWorkspace } from './corpus.mjs';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const count = Number(process.argv[2] ?? 20000);
const MB = 1024 * 1024;

function collect() {
  globalThis.gc?.();
  globalThis.gc?.();
}

function main() {
  const { walkFiles, DEFAULT_WALK, scanText } = require(path.join(here, '.build', 'walk.cjs'));
  const root = mkdtempSync(path.join(os.tmpdir(), 'portolan-bench-ws-'));
  try {
    let started = performance.now();
    const written = writeWorkspace(root, { count });
    const writeMs = performance.now() - started;

    collect();
    const before = process.memoryUsage();
    started = performance.now();
    const index = new Map();
    let files = 0;
    let mentions = 0;
    let bytes = 0;
    const skipped = [];
    let walkMs = 0;
    let scanMs = 0;
    const iterator = walkFiles([root], { ...DEFAULT_WALK, onSkip: (file, reason) => skipped.push(reason) });
    for (;;) {
      const t0 = performance.now();
      const next = iterator.next();
      const t1 = performance.now();
      walkMs += t1 - t0;
      if (next.done) {
        break;
      }
      const file = next.value;
      const found = scanText(file.path, file.text);
      scanMs += performance.now() - t1;
      files++;
      bytes += file.text.length;
      mentions += found.length;
      if (found.length > 0) {
        index.set(file.path, found);
      }
    }
    const totalMs = performance.now() - started;
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    collect();
    const after = process.memoryUsage();
    process.stdout.write(
      JSON.stringify({
        filesRequested: count,
        filesIndexed: files,
        filesWithMentions: index.size,
        megabytesRead: bytes / MB,
        mentions,
        skipped: skipped.length,
        writeMs,
        megabytesWritten: written.bytes / MB,
        totalMs,
        walkAndReadMs: walkMs,
        scanMs,
        heapRetainedMb: (after.heapUsed - before.heapUsed) / MB,
        rssGrowthMb: (after.rss - before.rss) / MB,
        peakRssMb,
        gcExposed: typeof globalThis.gc === 'function',
        // Keeps the index alive until after the measurement above.
        indexEntries: index.size,
      }),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  process.stdout.write(JSON.stringify({ error: String(error?.stack ?? error) }));
  process.exitCode = 1;
}
