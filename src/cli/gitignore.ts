// `.gitignore` as git reads it, for the CLI walker: every `.gitignore` from the repository's top
// down to a file's folder, patterns relative to their own folder, the deepest decisive line winning
// (so `!keep.yml` below re-includes). Matching is the `ignore` package's, made for exactly this.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The folder holding `.git` at or above `start`, or undefined outside a repository. */
function repositoryTop(start: string): string | undefined {
  for (let dir = start; ;) {
    if (fs.existsSync(path.join(dir, '.git'))) {
      return dir;
    }
    const up = path.dirname(dir);
    if (up === dir) {
      return undefined;
    }
    dir = up;
  }
}

export class GitIgnore {
  private readonly rules = new Map<string, Ignore | undefined>();
  private readonly tops = new Map<string, string>();

  /** `roots`: the folders walked; outside a repository, `.gitignore` files are read up to them. */
  constructor(private readonly roots: readonly string[] = []) {}

  private rulesIn(dir: string): Ignore | undefined {
    if (!this.rules.has(dir)) {
      const text = readText(path.join(dir, '.gitignore'));
      this.rules.set(dir, text !== undefined ? ignore().add(text) : undefined);
    }
    return this.rules.get(dir);
  }

  private topFor(dir: string): string {
    let top = this.tops.get(dir);
    if (top === undefined) {
      const within = (root: string): boolean => dir === root || dir.startsWith(root + path.sep);
      top = repositoryTop(dir) ?? this.roots.filter(within).sort((a, b) => a.length - b.length)[0] ?? dir;
      this.tops.set(dir, top);
    }
    return top;
  }

  /** Whether git would ignore `file` (absolute); `directory` when it names a folder. */
  ignores(file: string, directory: boolean): boolean {
    const parent = path.dirname(file);
    const top = this.topFor(parent);
    const folders: string[] = [];
    for (let dir = parent; ; dir = path.dirname(dir)) {
      folders.push(dir);
      if (dir === top || path.dirname(dir) === dir) {
        break;
      }
    }
    let ignored = false;
    for (const dir of folders.reverse()) {
      const rules = this.rulesIn(dir);
      if (!rules) {
        continue;
      }
      const relative = path.relative(dir, file).split(path.sep).join('/') + (directory ? '/' : '');
      const verdict = rules.test(relative);
      if (verdict.ignored) {
        ignored = true;
      } else if (verdict.unignored) {
        ignored = false;
      }
    }
    return ignored;
  }
}
