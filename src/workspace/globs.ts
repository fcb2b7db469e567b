// `portolan.diagnostics.ignore` and `portolan check --ignore`: VS Code glob syntax (`**`, `*`, `?`,
// `{a,b}`, `[abc]`, `[!abc]`) matched against '/'-separated paths relative to a workspace folder, in
// linear time (see globMatcher.ts). The matcher is loaded with the first pattern: most workspaces
// set none, and then activation never loads it.
import type * as GlobMatcher from './globMatcher';

/** A pattern that cannot be used, with the reason, for the one message that reports it. */
export interface GlobProblem {
  pattern: string;
  reason: string;
}

let globMatcher: typeof GlobMatcher | undefined;

function loadGlobMatcher(): typeof GlobMatcher {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  globMatcher ??= require('./globMatcher') as typeof GlobMatcher;
  return globMatcher;
}

function isPattern(glob: unknown): glob is string {
  return typeof glob === 'string' && glob.trim() !== '';
}

export class GlobSet {
  private readonly matcher: { matches(relativePath: string): boolean } | undefined;
  /** The patterns that were left out, each with its reason. */
  readonly problems: readonly GlobProblem[];

  constructor(globs: readonly string[]) {
    const patterns = globs.filter(isPattern);
    const problems: GlobProblem[] = [];
    this.problems = problems;
    if (patterns.length === 0) {
      return;
    }
    const compiler = loadGlobMatcher();
    const sources: string[] = [];
    for (const glob of patterns) {
      try {
        sources.push(compiler.compileOne(glob));
      } catch (error) {
        problems.push({ pattern: glob, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    this.matcher = sources.length > 0 ? compiler.matcherFor(sources) : undefined;
  }

  get isEmpty(): boolean {
    return this.matcher === undefined;
  }

  /** `relativePath` is '/'-separated and relative to its workspace folder (or the CLI's working directory). */
  matches(relativePath: string): boolean {
    return this.matcher !== undefined && this.matcher.matches(relativePath);
  }
}

/** The patterns a GlobSet would use, in order: the ones that compile. */
export function validGlobs(globs: readonly string[]): string[] {
  return globs.filter((g) => {
    if (!isPattern(g)) {
      return false;
    }
    try {
      loadGlobMatcher().compileOne(g);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * A matcher for an nginx `include` glob over '/'-separated ids, as glob(3) reads it: `*`, `?` and
 * `[...]` within one segment, and a wildcard never matches a leading dot. Undefined when the
 * pattern is malformed (nginx would refuse it too).
 */
export function includeGlob(pattern: string): ((id: string) => boolean) | undefined {
  const segments = pattern.split('/');
  const matchers: Array<string | { matches(segment: string): boolean }> = [];
  try {
    for (const segment of segments) {
      matchers.push(/[*?[]/.test(segment) ? loadGlobMatcher().segmentMatcher(segment) : segment);
    }
  } catch {
    return undefined;
  }
  return (id) => {
    const parts = id.split('/');
    if (parts.length !== matchers.length) {
      return false;
    }
    return parts.every((part, i) => {
      const matcher = matchers[i]!;
      if (typeof matcher === 'string') {
        return part === matcher;
      }
      return (!part.startsWith('.') || segments[i]!.startsWith('.')) && matcher.matches(part);
    });
  };
}
