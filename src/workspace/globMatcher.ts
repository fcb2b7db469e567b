// The compiling half of globs.ts, bundled on its own (esbuild.mjs LAZY_CHUNKS) and loaded with the
// first pattern: picomatch turns a glob into a regular expression; RE2 (re2js) runs it in linear
// time, so a pattern such as `*a*a*a*a*a*a*a*a*b` costs microseconds where a backtracking engine
// takes seconds per file.
import picomatch from 'picomatch';
import { RE2JS } from 're2js';

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
export function normalizePath(p: string): string {
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
export function compileOne(glob: string): string {
  // VS Code writes a negated class `[!abc]`; picomatch reads `!` there literally.
  const pattern = normalizePath(glob).replace(/\[!/g, '[^');
  const source = withoutLookarounds(picomatch.makeRe(pattern, PICOMATCH_OPTIONS).source);
  RE2JS.compile(source);
  return source;
}

/** One matcher for a set of compiled globs; a pattern naming a folder also covers everything inside it. */
export function matcherFor(sources: readonly string[]): { matches(relativePath: string): boolean } {
  const re = RE2JS.compile(`^(?:${sources.map((s) => `(?:${s})`).join('|')})(?:/.*)?$`);
  return { matches: (relativePath) => re.matches(normalizePath(relativePath)) };
}

const SEGMENT_OPTIONS: picomatch.PicomatchOptions = {
  // glob(3) as nginx calls it: no braces, no `**`, no extglobs; dot files are left to the caller.
  dot: true,
  nobrace: true,
  noglobstar: true,
  noextglob: true,
  nonegate: true,
  strictBrackets: true,
  debug: true,
};

/** A matcher for one path segment of an nginx `include` glob (`*.conf`, `site-[ab]?`); throws when malformed. */
export function segmentMatcher(glob: string): { matches(segment: string): boolean } {
  const source = withoutLookarounds(picomatch.makeRe(glob.replace(/\[!/g, '[^'), SEGMENT_OPTIONS).source);
  const re = RE2JS.compile(source);
  return { matches: (segment) => re.matches(segment) };
}
