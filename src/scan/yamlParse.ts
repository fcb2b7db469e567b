// The one place the `yaml` package is loaded and run. The finders read documents through
// yamlIncremental.ts, which parses a long text in independent pieces and keeps them between edits.

import type { CST, Document } from 'yaml';
import { stopTooComplex } from './budget';

/** A parsed document of the `yaml` package (only its contents are read). */
export type YamlDocument = Pick<Document.Parsed, 'contents'> & {
  /**
   * Set when the document was put together from pieces kept between parses (yamlIncremental.ts)
   * and no node in it is an alias: a node then means the same whatever else the text holds, so
   * what a finder read from an unchanged node may be kept with it.
   */
  readonly aliasFree?: boolean;
};

let yamlPackage: typeof import('yaml') | undefined;

/**
 * `yaml` is loaded on the first YAML file scanned, not at activation; in the bundles it is a file
 * of its own (esbuild.mjs LAZY_CHUNKS). Every user of the package goes through here.
 */
export function loadYaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  yamlPackage ??= require('yaml') as typeof import('yaml');
  return yamlPackage;
}

/**
 * Far deeper than any real compose file or manifest. `yaml` composes its tree recursively, and past
 * a few hundred levels a recursion near the stack limit has made V8 abort the whole process (an
 * out-of-memory in the regexp compiler) on a later parse; in an editor that process is the
 * extension host.
 */
export const MAX_NESTING = 200;

/** What one run of the parser gave. */
export interface ParsedYaml {
  docs: Document.Parsed[];
  /** No document reported an error: the text is YAML as written, nothing was recovered. */
  clean: boolean;
  /** Nested deeper than {@link MAX_NESTING}: nothing was composed. */
  tooDeep: boolean;
}

/**
 * Every document of `text`. The text is first read into `yaml`'s syntax tree, which keeps its
 * nesting on an explicit stack; only when that stack stays shallow is the tree composed (the
 * recursive step). Comments and strings never count as nesting: only the tree does. `outerDepth`
 * is how deep the text sits in a larger one it was cut from, so a piece is held to the same limit.
 */
export function parseYamlText(text: string, outerDepth = 0): ParsedYaml {
  const { Composer, Lexer, Parser } = loadYaml();
  const parser = new Parser();
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) {
      tokens.push(token);
    }
    if (parser.stack.length + outerDepth > MAX_NESTING) {
      return { docs: [], clean: false, tooDeep: true };
    }
  }
  for (const token of parser.end()) {
    tokens.push(token);
  }
  // Keys repeated by mistake and other recoverable errors must not hide the rest of the file.
  const composer = new Composer({ uniqueKeys: false, strict: false, prettyErrors: false });
  const docs = Array.from(composer.compose(tokens));
  return { docs, clean: docs.every((doc) => doc.errors.length === 0), tooDeep: false };
}

/** Stops the scan the way a too-deep whole text always has. */
export function stopTooDeep(): void {
  stopTooComplex(`YAML nested deeper than ${MAX_NESTING} levels`);
}
