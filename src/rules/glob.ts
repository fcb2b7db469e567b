// Just enough of VS Code's glob syntax (`**`, `*`, `?`, `{a,b}`, `[abc]`) to honour
// `portolan.diagnostics.ignore` in the CLI and for files the editor did not find itself.

function escapeChar(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** Compiles a glob matched against a '/'-separated path relative to the workspace folder. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  let depth = 0;
  const g = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*') {
      if (g[i + 1] === '*') {
        const atSegmentStart = i === 0 || g[i - 1] === '/';
        const atSegmentEnd = i + 2 === g.length || g[i + 2] === '/';
        if (atSegmentStart && atSegmentEnd) {
          // `**/` matches zero or more folders; a trailing `**` matches everything below.
          source += i + 2 === g.length ? '.*' : '(?:[^/]*/)*';
          i += g[i + 2] === '/' ? 2 : 1;
          continue;
        }
        source += '[^/]*';
        i++;
        continue;
      }
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else if (c === '{') {
      depth++;
      source += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--;
      source += ')';
    } else if (c === ',' && depth > 0) {
      source += '|';
    } else if (c === '[') {
      const close = g.indexOf(']', i + 1);
      if (close > i + 1) {
        const body = g
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = close;
      } else {
        source += '\\[';
      }
    } else {
      source += escapeChar(c);
    }
  }
  // A pattern naming a folder also covers everything inside it.
  return new RegExp(`^${source}(?:/.*)?$`);
}

export class GlobSet {
  private readonly patterns: RegExp[];

  constructor(globs: readonly string[]) {
    this.patterns = globs.filter((g) => g.trim() !== '').map(globToRegExp);
  }

  get isEmpty(): boolean {
    return this.patterns.length === 0;
  }

  /** `relativePath` is '/'-separated and relative to its workspace folder (or the CLI's working directory). */
  matches(relativePath: string): boolean {
    const p = relativePath.replace(/\\/g, '/').replace(/^\.\//, '');
    return this.patterns.some((re) => re.test(p));
  }
}
