// `portolan.diagnostics.ignore` and `portolan check --ignore`: VS Code glob syntax (`**`, `*`, `?`,
// `{a,b}`, `[abc]`, `[!abc]`) matched against '/'-separated paths relative to a workspace folder.
// picomatch turns a glob into a regular expression; RE2 (re2js) runs it in linear time, so a pattern
// such as `*a*a*a*a*a*a*a*a*b` costs microseconds where a backtracking engine takes seconds per file.
import picomatch from 'picomatch';
import { RE2JS } from 're2js';

/** A pattern that cannot be used, with the reason, for the one message that reports it. */
export interface GlobProblem {
  pattern: string;
  reason: string;
}

const PICOMATCH_OPTIONS: picomatch.PicomatchOptions = {
  // VS Code's `*` matches dot files; it has no extglobs and no leading-`!` negation.
  dot: true,
  noextglob: true,
  nonegate: true,
  // An unclosed `[` or `{` is a mistake to report, not a literal character.
  strictBrackets: true,
  // Throw on a pattern whose regular expression does not compile instead of matching nothing.
  debug: true,
  // No anchors: they are added around the whole set below.
  contains: true,
};

/** The same normalization for patterns and paths: '/' separators, no leading './'. */
function normalizePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '');
}

/**
 * picomatch's lookaheads only keep `*` off `.`/`..` segments and empty segments, which normalized
 * relative paths never have; RE2 has no lookaround, so they are dropped.
 */
function withoutLookarounds(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      out += source.slice(i, i + 2);
      i++;
    } else if (c === '[') {
      const end = classEnd(source, i);
      out += source.slice(i, end + 1);
      i = end;
    } else if (source.startsWith('(?!', i) || source.startsWith('(?=', i)) {
      i = groupEnd(source, i);
    } else {
      out += c;
    }
  }
  return out;
}

/** Index of the `]` closing the character class that opens at `start`. */
function classEnd(source: string, start: number): number {
  let j = start + 1;
  if (source[j] === '^') {
    j++;
  }
  if (source[j] === ']') {
    j++;
  }
  while (j < source.length && source[j] !== ']') {
    j += source[j] === '\\' ? 2 : 1;
  }
  return j;
}

/** Index of the `)` closing the group that opens at `start`. */
function groupEnd(source: string, start: number): number {
  let depth = 0;
  for (let j = start; j < source.length; j++) {
    const c = source[j];
    if (c === '\\') {
      j++;
    } else if (c === '[') {
      j = classEnd(source, j);
    } else if (c === '(') {
      depth++;
    } else if (c === ')' && --depth === 0) {
      return j;
    }
  }
  return source.length;
}

/** The linear-time expression for one glob; throws with picomatch's or RE2's reason when it is malformed. */
function compileOne(glob: string): string {
  // VS Code writes a negated class `[!abc]`; picomatch reads `!` there literally.
  const pattern = normalizePath(glob).replace(/\[!/g, '[^');
  const source = withoutLookarounds(picomatch.makeRe(pattern, PICOMATCH_OPTIONS).source);
  RE2JS.compile(source);
  return source;
}

export class GlobSet {
  private readonly matcher: RE2JS | undefined;
  /** The patterns that were left out, each with its reason. */
  readonly problems: readonly GlobProblem[];

  constructor(globs: readonly string[]) {
    const sources: string[] = [];
    const problems: GlobProblem[] = [];
    for (const glob of globs) {
      if (typeof glob !== 'string' || glob.trim() === '') {
        continue;
      }
      try {
        sources.push(compileOne(glob));
      } catch (error) {
        problems.push({ pattern: glob, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    this.problems = problems;
    // A pattern naming a folder also covers everything inside it.
    this.matcher =
      sources.length > 0
        ? RE2JS.compile(`^(?:${sources.map((s) => `(?:${s})`).join('|')})(?:/.*)?$`)
        : undefined;
  }

  get isEmpty(): boolean {
    return this.matcher === undefined;
  }

  /** `relativePath` is '/'-separated and relative to its workspace folder (or the CLI's working directory). */
  matches(relativePath: string): boolean {
    return this.matcher !== undefined && this.matcher.matches(normalizePath(relativePath));
  }
}

/** The patterns a GlobSet would use, in order: the ones that compile. */
export function validGlobs(globs: readonly string[]): string[] {
  return globs.filter((g) => {
    if (typeof g !== 'string' || g.trim() === '') {
      return false;
    }
    try {
      compileOne(g);
      return true;
    } catch {
      return false;
    }
  });
}
