// What a file is, from its path and the repository's `.gitattributes`: the project's own source,
// a test, documentation, vendored or generated code, or an example. Rules judge source (and
// examples, which people copy); the other roles are checked only when a setting asks for them.
import ignore, { type Ignore } from 'ignore';
import { isProseFile } from '../rules/scope';

export type FileRole = 'source' | 'test' | 'docs' | 'vendored' | 'generated' | 'example';

const TEST_FOLDERS = new Set([
  'test',
  'tests',
  '__tests__',
  'testdata',
  'testing',
  'spec',
  'specs',
  'fixtures',
  '__fixtures__',
  'mocks',
  '__mocks__',
  'e2e',
  'integration-test',
  'integration-tests',
  '_integration-test',
]);
const DOCS_FOLDERS = new Set(['docs', 'doc', 'documentation', 'man']);
const VENDOR_FOLDERS = new Set([
  'node_modules',
  'vendor',
  'vendors',
  'third_party',
  'third-party',
  'bower_components',
]);
/** `wwwroot/lib/jquery`, `static/lib/...`: client libraries copied in, as ASP.NET and Django templates do. */
const LIBRARY_PARENTS = new Set(['wwwroot', 'static', 'public', 'assets']);
const EXAMPLE_FOLDERS = new Set(['example', 'examples', 'sample', 'samples']);

const TEST_NAME =
  /(?:[._-](?:test|tests|spec))\.[^.]+$|^test_[^/]+\.py$|^conftest\.py$|(?:Tests?|IT)\.(?:java|kt|cs|scala)$/;
const GENERATED_NAME = /\.(?:generated|g|designer|pb)\.[^.]+$|_pb2(?:_grpc)?\.py$|^zz_generated/;
const MINIFIED_NAME = /[.-]min\.(?:js|css)$/;
const EXAMPLE_NAME = /\.(?:sample|example|dist|template|tpl)(?:\.[^.]+)?$|^example\./;

/** The role a path's own words give it; `.gitattributes` may say more (see `GitAttributes`). */
export function roleFromPath(path: string): FileRole {
  const parts = path.split(/[\\/]/).filter((p) => p !== '');
  const name = parts.pop() ?? '';
  const lowerName = name.toLowerCase();
  const folders = parts.map((p) => p.toLowerCase());
  if (
    folders.some(
      (f, i) => VENDOR_FOLDERS.has(f) || (f === 'lib' && i > 0 && LIBRARY_PARENTS.has(folders[i - 1] ?? '')),
    ) ||
    MINIFIED_NAME.test(lowerName)
  ) {
    return 'vendored';
  }
  if (GENERATED_NAME.test(name)) {
    return 'generated';
  }
  if (folders.some((f) => TEST_FOLDERS.has(f)) || TEST_NAME.test(name)) {
    return 'test';
  }
  if (folders.some((f) => DOCS_FOLDERS.has(f)) || isProseFile(name)) {
    return 'docs';
  }
  if (folders.some((f) => EXAMPLE_FOLDERS.has(f)) || EXAMPLE_NAME.test(lowerName)) {
    return 'example';
  }
  return 'source';
}

/**
 * The `linguist-vendored`, `linguist-generated` and `linguist-documentation` attributes of one
 * `.gitattributes` file, matched as git matches its patterns (relative to the file's folder).
 */
export class GitAttributes {
  private readonly matchers: { role: FileRole; set: boolean; matcher: Ignore }[] = [];

  constructor(text: string) {
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) {
        continue;
      }
      const [pattern, ...attributes] = line.split(/\s+/);
      if (pattern === undefined) {
        continue;
      }
      for (const attribute of attributes) {
        const m = /^(-|!)?linguist-(vendored|generated|documentation)(?:=(true|false))?$/.exec(attribute);
        if (!m) {
          continue;
        }
        const role: FileRole =
          m[2] === 'documentation' ? 'docs' : m[2] === 'vendored' ? 'vendored' : 'generated';
        const set = m[1] === undefined && m[3] !== 'false';
        this.matchers.push({ role, set, matcher: ignore().add(pattern) });
      }
    }
  }

  get isEmpty(): boolean {
    return this.matchers.length === 0;
  }

  /**
   * The role the attributes give `relativePath` ('/'-separated, relative to the `.gitattributes`
   * folder): the last matching line wins, as in git; `null` when an attribute was unset there,
   * undefined when no line speaks of it.
   */
  roleOf(relativePath: string): FileRole | null | undefined {
    let result: FileRole | null | undefined;
    for (const { role, set, matcher } of this.matchers) {
      if (relativePath !== '' && !relativePath.startsWith('..') && matcher.ignores(relativePath)) {
        result = set ? role : null;
      }
    }
    return result;
  }
}
