// Section 2, run as its own process: finder throughput over a generated mixed corpus through
// scanText, and hover latency on 10,000-line files along the path DocumentMentions takes
// (scanAs once per document version, then mentionAt + hoverMarkdown per hover).
// Prints one JSON object. Arguments: <corpusMegabytes>
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus, generateLongCompose, generateLongFile, seededRandom } from './corpus.mjs';
import { median, percentile } from './stats.mjs';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const megabytes = Number(process.argv[2] ?? 24);
const MB = 1024 * 1024;

function throughput({ scanText, forgetYamlPieces }) {
  const { files, bytes } = generateCorpus({ totalBytes: megabytes * MB });
  const byKind = new Map();
  for (const f of files) {
    const k = byKind.get(f.kind) ?? { files: 0, bytes: 0, ms: 0, mentions: 0 };
    k.files++;
    k.bytes += Buffer.byteLength(f.text);
    byKind.set(f.kind, k);
  }
  const passes = [];
  let mentions = 0;
  for (let pass = 0; pass < 4; pass++) {
    // Long YAML files keep their parsed pieces for the next edit; a pass over the same files must
    // not find them there, or it would measure the cache rather than the finders.
    forgetYamlPieces?.();
    mentions = 0;
    const started = performance.now();
    for (const f of files) {
      const t = performance.now();
      const found = scanText(f.path, f.text);
      if (pass > 0) {
        const k = byKind.get(f.kind);
        k.ms += performance.now() - t;
        k.mentions += found.length;
      }
      mentions += found.length;
    }
    passes.push(performance.now() - started);
  }
  const warm = passes.slice(1);
  const kinds = {};
  for (const [kind, k] of byKind) {
    kinds[kind] = {
      files: k.files,
      megabytes: k.bytes / MB,
      mbPerSecond: k.bytes / MB / (k.ms / warm.length / 1000),
      mentionsPerPass: k.mentions / warm.length,
    };
  }
  return {
    files: files.length,
    megabytes: bytes / MB,
    mentions,
    firstPassMs: passes[0],
    firstPassMbPerSecond: bytes / MB / (passes[0] / 1000),
    passMs: warm,
    mbPerSecond: bytes / MB / (median(warm) / 1000),
    kinds,
  };
}

function latency(samples) {
  return {
    samples: samples.length,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    maxMs: Math.max(...samples),
  };
}

/** Hover latency on one long document, cached mentions and right after an edit. */
function hoverOn(api, label, kind, text, lineOriented) {
  const { scanAs, mentionAt, hoverMarkdown } = api;
  const options = {};
  // Once per version: what the first hover (or the diagnostics) pays after each edit.
  const scanSamples = [];
  let mentions = [];
  // Each sample is a new version of the text (one more trailing newline), as after a keystroke:
  // scanAs remembers its last few large texts, which would otherwise answer from memory.
  const versions = Array.from({ length: 30 }, (_, i) => (i === 0 ? text : text + '\n'.repeat(i)));
  for (let i = 0; i < 30; i++) {
    const version = versions[i];
    const started = performance.now();
    mentions = scanAs(kind, version);
    scanSamples.push(performance.now() - started);
  }
  const random = seededRandom(99);
  const positions = [];
  for (let i = 0; i < 20000; i++) {
    if (i % 2 === 0 && mentions.length > 0) {
      const m = mentions[Math.floor(random() * mentions.length)];
      positions.push(m.range.start + Math.floor(random() * (m.range.end - m.range.start + 1)));
    } else {
      positions.push(Math.floor(random() * text.length));
    }
  }
  // Warm the registry and the JIT the way the first few hovers of a session do.
  for (const offset of positions.slice(0, 500)) {
    const m = mentionAt(mentions, offset);
    if (m) {
      hoverMarkdown(m, options);
    }
  }
  const cached = [];
  let onMention = 0;
  for (const offset of positions) {
    const started = performance.now();
    const m = mentionAt(mentions, offset);
    if (m) {
      hoverMarkdown(m, options);
      onMention++;
    }
    cached.push(performance.now() - started);
  }
  const result = {
    label,
    kind,
    lines: text.split('\n').length - 1,
    bytes: Buffer.byteLength(text),
    mentions: mentions.length,
    scanPerVersion: latency(scanSamples),
    hoverCached: { ...latency(cached), onMention },
  };
  if (lineOriented) {
    // DocumentMentions.at() before the whole file was scanned: the line (and the one above, for
    // portolan-ignore-next-line) is scanned on its own.
    const lines = text.split('\n');
    const starts = [];
    let offset = 0;
    for (const line of lines) {
      starts.push(offset);
      offset += line.length + 1;
    }
    const afterEdit = [];
    for (let i = 0; i < 5000; i++) {
      const m = mentions[Math.floor(random() * mentions.length)];
      let line = 0;
      let lo = 0;
      let hi = starts.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid] <= m.range.start) {
          line = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      const started = performance.now();
      const previous = line > 0 ? lines[line - 1] + '\n' : '';
      const slice = previous + lines[line];
      const found = mentionAt(scanAs(kind, slice), m.range.start - starts[line] + previous.length);
      if (found) {
        hoverMarkdown(found, options);
      }
      afterEdit.push(performance.now() - started);
    }
    result.hoverAfterEdit = latency(afterEdit);
  }
  return result;
}

/**
 * The first hover after typing one character in a long compose file: each sample changes one digit
 * of a port (the text stays valid YAML, as while typing), then does what the hover provider does
 * for that version — scanAs over the new text, mentionAt, hoverMarkdown — at the edited port.
 * Measured with the incremental parse (pieces kept between versions) and with a whole re-parse.
 */
function editThenHover(api, text, samples) {
  const { scanAs, mentionAt, hoverMarkdown, yamlParseCounts, setIncrementalYamlFrom } = api;
  const run = (incremental) => {
    const previous = setIncrementalYamlFrom(incremental ? 16 * 1024 : Number.POSITIVE_INFINITY);
    try {
      const random = seededRandom(1616);
      let version = text;
      let mentions = scanAs('compose', version);
      const published = mentions.filter((m) => m.role === 'publish');
      const times = [];
      const before = yamlParseCounts();
      let hits = 0;
      for (let i = 0; i < samples; i++) {
        const m = published[Math.floor(random() * published.length)];
        const at = m.range.end - 1;
        const digit = String((Number(version[at]) + 1 + Math.floor(random() * 8)) % 10);
        version = version.slice(0, at) + digit + version.slice(at + 1);
        const started = performance.now();
        mentions = scanAs('compose', version);
        const found = mentionAt(mentions, at);
        if (found) {
          hoverMarkdown(found, {});
          hits += found.range.end - 1 === at && String(found.port).endsWith(digit) ? 1 : 0;
        }
        times.push(performance.now() - started);
      }
      const after = yamlParseCounts();
      return {
        ...latency(times),
        p50Ms: percentile(times, 50),
        rightPortAtRightRange: hits,
        wholeParsesPerEdit: (after.wholeParses - before.wholeParses) / samples,
        piecesParsedPerEdit: (after.piecesParsed - before.piecesParsed) / samples,
        piecesReusedPerEdit: (after.piecesReused - before.piecesReused) / samples,
      };
    } finally {
      setIncrementalYamlFrom(previous);
    }
  };
  // The whole re-parse first (it keeps nothing), then the incremental path.
  const whole = run(false);
  const incremental = run(true);
  return {
    label: 'compose',
    lines: text.split('\n').length - 1,
    bytes: Buffer.byteLength(text),
    samples,
    incremental,
    whole,
    ratioToWhole: incremental.p50Ms / whole.p50Ms,
  };
}

function main() {
  const result = {};
  try {
    result.throughput = throughput(require(path.join(here, '.build', 'scan.cjs')));
  } catch (error) {
    result.throughputError = String(error?.stack ?? error);
  }
  try {
    const api = require(path.join(here, '.build', 'hover.cjs'));
    result.hover = [
      hoverOn(api, 'TypeScript', 'code', generateLongFile('ts', 10000), true),
      hoverOn(api, 'Python', 'code', generateLongFile('py', 10000, 10002), true),
      hoverOn(api, 'compose', 'compose', generateLongCompose(10000), false),
    ];
    result.editThenHover = editThenHover(api, generateLongCompose(10000), 60);
  } catch (error) {
    result.hoverError = String(error?.stack ?? error);
  }
  process.stdout.write(JSON.stringify(result));
}

main();
