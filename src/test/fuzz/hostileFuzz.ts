// Mutation fuzzing of the pure core (issue 11): real files from samples/ and the test fixtures,
// mutated byte by byte, line by line and with hostile tokens repeated, sent through every finder,
// every rule, every fix and the hover Markdown builder. Used by `npm run fuzz` (scripts/fuzz.mjs,
// any count) and, small and seeded, by the unit suite.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LINUX_LIMITS } from '../unit/rulesSupport';
import { hoverMarkdown } from '../../present/hoverMarkdown';
import { runRules } from '../../rules';
import { fixesFor } from '../../rules/fixes';
import { WorkspaceIndex } from '../../workspace';
import type { FileMentions } from '../../rules/types';
import { detectFileKind, scanAs, type FileKind } from '../../scan';
import { seededRandom } from '../seededRandom';

export interface Seed {
  /** Path relative to the corpus root: decides which finder reads it. */
  name: string;
  text: string;
}

export interface FuzzOptions {
  count: number;
  seed: number;
  /** An input slower than this (ms, whole pipeline) is a finding. */
  maxMsPerInput: number;
  /** Called every `every` inputs with the number done. */
  progress?: (done: number) => void;
}

export interface FuzzFinding {
  input: number;
  name: string;
  kind: FileKind;
  what: string;
  /** The mutated text, cut to a readable size. */
  sample: string;
}

export interface FuzzResult {
  inputs: number;
  mentions: number;
  findings: number;
  fixes: number;
  hovers: number;
  slowestMs: number;
  slowest: string;
  failures: FuzzFinding[];
}

const KINDS: FileKind[] = [
  'code',
  'compose',
  'nginx',
  'dotenv',
  'dockerfile',
  'kubernetes',
  'properties',
  'packagejson',
  'launchjson',
  'devcontainer',
];

/** Tokens that have broken finders before, or sit at the edges of what they parse. */
const HOSTILE = [
  '- ',
  '? ',
  'a: ',
  '[',
  '{',
  '${',
  '}',
  '*a ',
  '&a ',
  '<<: *a\n',
  '- *a\n',
  'x://{1',
  ',',
  '-a.',
  '--port ',
  'http://h:1 ',
  ':8080',
  '\r',
  '\r\n',
  '\uFEFF',
  '\t',
  '"',
  "'",
  '`',
  '\\',
  '# portolan-ignore\n',
  'listen ',
  ';',
  'EXPOSE ',
  'PORT=',
  '0x1F90',
  '99999999',
  '[::1]:',
  '\u0000',
  '\u2028',
  '😀',
];

/** Every text file of the corpus folders up to 64 KB. */
export function loadCorpus(root: string, folders: string[]): Seed[] {
  const seeds: Seed[] = [];
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        visit(full);
      } else if (entry.isFile() && fs.statSync(full).size <= 64 * 1024) {
        const text = fs.readFileSync(full, 'utf8');
        if (!text.includes('\u0000')) {
          seeds.push({ name: path.relative(root, full).replace(/\\/g, '/'), text });
        }
      }
    }
  };
  for (const folder of folders) {
    if (fs.existsSync(path.join(root, folder))) {
      visit(path.join(root, folder));
    }
  }
  return seeds.sort((a, b) => a.name.localeCompare(b.name));
}

/** Whole numbers below `limit`, from the tests' seeded generator, so a failing input can be made again. */
function random(seed: number): (limit: number) => number {
  const next = seededRandom(seed);
  return (limit) => Math.floor(next() * Math.max(1, limit));
}

/** One to four mutations of a seed: byte edits, line shuffles, hostile tokens (sometimes repeated). */
export function mutate(text: string, next: (limit: number) => number): string {
  let current = text;
  const edits = 1 + next(4);
  for (let e = 0; e < edits; e++) {
    const at = next(current.length + 1);
    switch (next(7)) {
      case 0:
        current = current.slice(0, at) + current.slice(at + 1 + next(8));
        break;
      case 1:
        current = current.slice(0, at) + String.fromCharCode(next(0x80)) + current.slice(at + 1);
        break;
      case 2: {
        const lines = current.split('\n');
        const from = next(lines.length);
        const line = lines[from];
        lines.splice(next(lines.length), 0, line);
        current = lines.join('\n');
        break;
      }
      case 3: {
        const lines = current.split('\n');
        lines.splice(next(lines.length), 1 + next(3));
        current = lines.join('\n');
        break;
      }
      case 4: {
        // A hostile token repeated up to a few thousand times: where super-linear costs show.
        const token = HOSTILE[next(HOSTILE.length)];
        const times = next(4) === 0 ? 1 + next(3000) : 1 + next(4);
        current = current.slice(0, at) + token.repeat(times) + current.slice(at);
        break;
      }
      case 5:
        current = current.slice(0, at) + HOSTILE[next(HOSTILE.length)] + current.slice(at);
        break;
      default: {
        const from = next(current.length);
        current = current.slice(0, at) + current.slice(from, from + next(200)) + current.slice(at);
      }
    }
  }
  return current;
}

/** Every mutated input through finder, rules, fixes and hover; exceptions and slow inputs are failures. */
export function runFuzz(seeds: Seed[], options: FuzzOptions): FuzzResult {
  const next = random(options.seed);
  const result: FuzzResult = {
    inputs: 0,
    mentions: 0,
    findings: 0,
    fixes: 0,
    hovers: 0,
    slowestMs: 0,
    slowest: '',
    failures: [],
  };
  for (let input = 0; input < options.count; input++) {
    const seed = seeds[next(seeds.length)];
    const text = mutate(seed.text, next);
    // Most inputs go to the finder their name picks; some to any finder, whatever the name.
    const detected = detectFileKind(seed.name, undefined, text);
    const kind = detected !== undefined && next(4) !== 0 ? detected : KINDS[next(KINDS.length)];
    const started = performance.now();
    let stage = 'scan';
    try {
      const mentions = scanAs(kind, text);
      result.mentions += mentions.length;
      const file: FileMentions = { file: `/fuzz/${seed.name}`, kind, mentions, text };
      const workspace = WorkspaceIndex.of([file]);
      stage = 'rules';
      const findings = runRules({ file, workspace, limits: LINUX_LIMITS });
      result.findings += findings.length;
      stage = 'fixes';
      for (const finding of findings.slice(0, 20)) {
        result.fixes += fixesFor(finding, {
          file: file.file,
          kind,
          text,
          workspace,
          disableRuleCommand: 'portolan.disableRule',
          killProcessCommand: 'portolan.killProcess',
        }).length;
      }
      stage = 'hover';
      for (const mention of mentions.slice(0, 10)) {
        hoverMarkdown(mention, {});
        result.hovers++;
      }
    } catch (error) {
      result.failures.push(failure(input, seed, kind, `${stage} threw: ${String(error)}`, text));
    }
    const ms = performance.now() - started;
    if (ms > result.slowestMs) {
      result.slowestMs = ms;
      result.slowest = `${seed.name} as ${kind} (${text.length} chars)`;
    }
    if (ms > options.maxMsPerInput) {
      result.failures.push(failure(input, seed, kind, `took ${ms.toFixed(0)} ms`, text));
    }
    result.inputs++;
    if (options.progress && (input + 1) % 10000 === 0) {
      options.progress(input + 1);
    }
  }
  return result;
}

function failure(input: number, seed: Seed, kind: FileKind, what: string, text: string): FuzzFinding {
  return { input, name: seed.name, kind, what, sample: text.length > 400 ? `${text.slice(0, 400)}…` : text };
}
