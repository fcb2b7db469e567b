// A fast reader for the YAML most compose files and manifests are written in: block mappings and
// sequences, one-line plain or simply quoted scalars, one-line flow lists of scalars, comments.
// It builds nodes the `yaml` package's `isMap`/`isSeq`/`isScalar` recognise, with the same values
// and source ranges, about twenty times faster. Anything outside that subset (anchors, aliases,
// tags, block scalars, escapes, multi-line scalars, flow mappings, tabs, directives, errors) makes
// it give up, and the caller parses with `yaml` instead: a give-up costs one quick pass, never a result.

import type { Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';

export const NODE_TYPE = Symbol.for('yaml.node.type');
export const MAP = Symbol.for('yaml.map');
export const SEQ = Symbol.for('yaml.seq');
export const SCALAR = Symbol.for('yaml.scalar');
export const ALIAS = Symbol.for('yaml.alias');
const PAIR = Symbol.for('yaml.pair');

/** What a parsed document offers the finders. */
export interface PlainYamlDocument {
  contents: Node | null;
}

/** Thrown (one shared instance, so no stack is captured per give-up) when the text leaves the subset. */
class OutsidePlainBlockYaml extends Error {}
const GIVE_UP = new OutsidePlainBlockYaml('outside the plain block YAML subset');

interface Line {
  /** Offset of the line's first character. */
  start: number;
  /** Offset of the first non-space character. */
  content: number;
  /** Offset just past the last character, line break excluded. */
  end: number;
  indent: number;
}

/** Every document, or undefined when the text uses anything this reader does not handle. */
export function parsePlainBlockYaml(text: string): PlainYamlDocument[] | undefined {
  try {
    const groups = documentLines(text);
    const docs: PlainYamlDocument[] = [];
    for (const lines of groups) {
      if (lines.length > 0) {
        docs.push({ contents: new Reader(text, lines).document() });
      }
    }
    return docs;
  } catch (error) {
    if (error === GIVE_UP) {
      return undefined;
    }
    throw error;
  }
}

/** Content lines (no blanks, no comment-only lines), grouped by `---`. */
function documentLines(text: string): Line[][] {
  if (text.charCodeAt(0) === 0xfeff) {
    throw GIVE_UP;
  }
  const groups: Line[][] = [[]];
  let start = 0;
  const length = text.length;
  while (start <= length) {
    let newline = text.indexOf('\n', start);
    if (newline < 0) {
      newline = length;
    }
    let end = newline;
    if (newline < length && end > start && text.charCodeAt(end - 1) === 13) {
      end--;
    }
    let content = start;
    while (content < end && text.charCodeAt(content) === 32) {
      content++;
    }
    const first = text.charCodeAt(content);
    if (content < end && first !== 35) {
      for (let i = content; i < end; i++) {
        const c = text.charCodeAt(i);
        // Tabs, stray CRs and control characters: leave the fine print to the real parser.
        if (c < 32 || c === 127) {
          throw GIVE_UP;
        }
      }
      if (content === start && (first === 37 || text.startsWith('...', start))) {
        throw GIVE_UP;
      }
      if (content === start && text.startsWith('---', start) && (end === start + 3 || text.charCodeAt(start + 3) === 32)) {
        let rest = start + 3;
        while (rest < end && text.charCodeAt(rest) === 32) {
          rest++;
        }
        if (rest < end && text.charCodeAt(rest) !== 35) {
          throw GIVE_UP;
        }
        groups.push([]);
      } else {
        groups[groups.length - 1].push({ start, content, end, indent: content - start });
      }
    } else {
      // Blank and comment-only lines; a tab in them is harmless but a stray CR is not.
      for (let i = start; i < end; i++) {
        const c = text.charCodeAt(i);
        if (c === 13 || (c < 32 && c !== 9 && first !== 35)) {
          throw GIVE_UP;
        }
      }
    }
    start = newline + 1;
  }
  return groups;
}

class Reader {
  private index = 0;

  constructor(
    private readonly text: string,
    private readonly lines: Line[],
  ) {}

  document(): Node {
    const first = this.lines[0];
    const node = this.collectionAt(first.content, first.indent);
    if (this.index < this.lines.length || !node) {
      throw GIVE_UP;
    }
    return node;
  }

  /** A block collection starting at `at` on the current line, its entries in column `column`. */
  private collectionAt(at: number, column: number): Node | undefined {
    if (this.isDash(at)) {
      return this.sequence(at, column);
    }
    return this.keyEnd(at, this.lines[this.index].end) >= 0 ? this.mapping(at, column) : undefined;
  }

  private isDash(at: number): boolean {
    const line = this.lines[this.index];
    return this.text.charCodeAt(at) === 45 && (at + 1 === line.end || this.text.charCodeAt(at + 1) === 32);
  }

  private sequence(at: number, column: number): YAMLSeq {
    const items: Node[] = [];
    const start = at;
    let end: number;
    for (;;) {
      const line = this.lines[this.index];
      let p = at + 1;
      while (p < line.end && this.text.charCodeAt(p) === 32) {
        p++;
      }
      let item: Node;
      if (p >= line.end || this.text.charCodeAt(p) === 35) {
        this.index++;
        item = this.nestedOrEmpty(column, line.end);
      } else {
        item = this.collectionAt(p, p - line.start) ?? this.inlineValue(p, line, column);
      }
      items.push(item);
      end = nodeEnd(item);
      const next = this.lines[this.index];
      if (!next || next.indent < column) {
        break;
      }
      if (next.indent > column || !this.isDashOn(next)) {
        // A sibling that is not an item, or something deeper that belongs to no node.
        if (next.indent > column) {
          throw GIVE_UP;
        }
        break;
      }
      at = next.content;
    }
    return seqNode(items, [start, end, end]);
  }

  private isDashOn(line: Line): boolean {
    return this.text.charCodeAt(line.content) === 45 && (line.content + 1 === line.end || this.text.charCodeAt(line.content + 1) === 32);
  }

  private mapping(at: number, column: number): YAMLMap {
    const items: unknown[] = [];
    const start = at;
    let end: number;
    for (;;) {
      const line = this.lines[this.index];
      const colon = this.keyEnd(at, line.end);
      if (colon < 0) {
        throw GIVE_UP;
      }
      let keyEnd = colon;
      while (keyEnd > at && this.text.charCodeAt(keyEnd - 1) === 32) {
        keyEnd--;
      }
      const key = plainScalar(this.text.slice(at, keyEnd), at, keyEnd);
      let p = colon + 1;
      while (p < line.end && this.text.charCodeAt(p) === 32) {
        p++;
      }
      let value: Node;
      if (p >= line.end || this.text.charCodeAt(p) === 35) {
        this.index++;
        const next = this.lines[this.index];
        if (next && next.indent === column && this.isDashOn(next)) {
          // `key:` followed by `- item` lines at the key's own column: a sequence, as YAML allows.
          value = this.sequence(next.content, column);
        } else {
          value = this.nestedOrEmpty(column, line.end);
        }
      } else {
        if (this.isDash(p) || this.keyEnd(p, line.end) >= 0) {
          // `key: - x` and `a: b: c` are errors the real parser reports its own way.
          throw GIVE_UP;
        }
        value = this.inlineValue(p, line, column);
      }
      items.push({ [NODE_TYPE]: PAIR, key, value });
      end = nodeEnd(value);
      const next = this.lines[this.index];
      if (!next || next.indent < column) {
        break;
      }
      if (next.indent > column || this.isDashOn(next)) {
        throw GIVE_UP;
      }
      at = next.content;
    }
    return { [NODE_TYPE]: MAP, items, range: [start, end, end] } as unknown as YAMLMap;
  }

  /** The block under a line that ended after `key:` or `-`, or an empty (null) node. */
  private nestedOrEmpty(column: number, after: number): Node {
    const next = this.lines[this.index];
    if (next && next.indent > column) {
      const node = this.collectionAt(next.content, next.indent);
      if (!node) {
        throw GIVE_UP;
      }
      return node;
    }
    return scalarNode(null, 'PLAIN', after, after);
  }

  /** A scalar or flow list that ends its line; the next line must not continue it. */
  private inlineValue(at: number, line: Line, column: number): Node {
    const text = this.text;
    const c = text.charCodeAt(at);
    let node: Node;
    let after: number;
    if (c === 34 || c === 39) {
      const close = quotedEnd(text, at, line.end);
      node = quotedScalar(text, at, close);
      after = close + 1;
    } else if (c === 91) {
      [node, after] = flowSequence(text, at, line.end);
    } else {
      if (!canStartPlain(text, at, line.end)) {
        throw GIVE_UP;
      }
      const end = plainEnd(text, at, line.end);
      node = plainScalar(text.slice(at, end), at, end);
      after = end;
    }
    expectLineEnd(text, after, line.end);
    this.index++;
    const next = this.lines[this.index];
    if (next && next.indent > column) {
      throw GIVE_UP;
    }
    return node;
  }

  /**
   * Offset of the `:` that ends a plain mapping key starting at `at`, or -1 when the line holds no
   * key. Quoted and otherwise unusual keys make the reader give up.
   */
  private keyEnd(at: number, end: number): number {
    const text = this.text;
    const c = text.charCodeAt(at);
    if (c === 34 || c === 39) {
      const close = quotedEnd(text, at, end);
      let p = close + 1;
      while (p < end && text.charCodeAt(p) === 32) {
        p++;
      }
      if (text.charCodeAt(p) === 58) {
        throw GIVE_UP;
      }
      return -1;
    }
    if (c === 91 || !canStartPlain(text, at, end)) {
      return -1;
    }
    for (let i = at; i < end; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 58 && (i + 1 === end || text.charCodeAt(i + 1) === 32)) {
        return i;
      }
      if (ch === 35 && text.charCodeAt(i - 1) === 32) {
        return -1;
      }
    }
    return -1;
  }
}

function nodeEnd(node: Node): number {
  return (node as { range?: [number, number, number] }).range?.[1] ?? 0;
}

function seqNode(items: Node[], range: [number, number, number], flow = false): YAMLSeq {
  const seq: Record<string | symbol, unknown> = { [NODE_TYPE]: SEQ, items, range };
  if (flow) {
    seq.flow = true;
  }
  return seq as unknown as YAMLSeq;
}

function scalarNode(value: unknown, type: Scalar.Type, start: number, end: number): Scalar {
  return { [NODE_TYPE]: SCALAR, value, type, range: [start, end, end] } as unknown as Scalar;
}

// Characters that open something other than a plain scalar: flow, anchors, tags, block scalars…
const NOT_PLAIN_START = new Set([...'[]{}#&*!|>\'"%@`,?:'].map((ch) => ch.charCodeAt(0)));

function canStartPlain(text: string, at: number, end: number): boolean {
  const c = text.charCodeAt(at);
  if (NOT_PLAIN_START.has(c)) {
    return false;
  }
  // `- x` is an item, not a scalar; `-1` and `-foo` are scalars.
  return !(c === 45 && (at + 1 === end || text.charCodeAt(at + 1) === 32));
}

/** End of a one-line plain scalar: before ` #` or the line end, trailing spaces dropped. */
function plainEnd(text: string, at: number, end: number): number {
  let stop = end;
  for (let i = at; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 35 && text.charCodeAt(i - 1) === 32) {
      stop = i;
      break;
    }
    if (c === 58 && (i + 1 === end || text.charCodeAt(i + 1) === 32)) {
      throw GIVE_UP;
    }
  }
  while (stop > at && text.charCodeAt(stop - 1) === 32) {
    stop--;
  }
  return stop;
}

/** Offset of the closing quote on this line; escapes, `''` and unclosed quotes make it give up. */
function quotedEnd(text: string, at: number, end: number): number {
  const quote = text.charCodeAt(at);
  for (let i = at + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 && quote === 34) {
      throw GIVE_UP;
    }
    if (c === quote) {
      if (quote === 39 && text.charCodeAt(i + 1) === 39) {
        throw GIVE_UP;
      }
      return i;
    }
  }
  throw GIVE_UP;
}

function quotedScalar(text: string, at: number, close: number): Scalar {
  const type: Scalar.Type = text.charCodeAt(at) === 34 ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
  return scalarNode(text.slice(at + 1, close), type, at, close + 1);
}

/** Only spaces, then a comment or nothing, may follow a value on its line. */
function expectLineEnd(text: string, at: number, end: number): void {
  let p = at;
  while (p < end && text.charCodeAt(p) === 32) {
    p++;
  }
  if (p < end && !(text.charCodeAt(p) === 35 && p > at)) {
    throw GIVE_UP;
  }
}

/** `[a, "b", 'c']` on one line, scalars only. */
function flowSequence(text: string, at: number, end: number): [YAMLSeq, number] {
  const items: Node[] = [];
  let p = at + 1;
  const skipSpaces = (): void => {
    while (p < end && text.charCodeAt(p) === 32) {
      p++;
    }
  };
  skipSpaces();
  if (text.charCodeAt(p) === 93) {
    return [seqNode(items, [at, p + 1, p + 1], true), p + 1];
  }
  for (;;) {
    skipSpaces();
    const c = text.charCodeAt(p);
    if (c === 34 || c === 39) {
      const close = quotedEnd(text, p, end);
      items.push(quotedScalar(text, p, close));
      p = close + 1;
    } else {
      const start = p;
      while (p < end) {
        const ch = text.charCodeAt(p);
        if (ch === 44 || ch === 93) {
          break;
        }
        if (ch === 91 || ch === 123 || ch === 125 || ch === 58 || ch === 35 || ch === 34 || ch === 39) {
          throw GIVE_UP;
        }
        p++;
      }
      let stop = p;
      while (stop > start && text.charCodeAt(stop - 1) === 32) {
        stop--;
      }
      if (stop === start || !canStartPlain(text, start, stop)) {
        throw GIVE_UP;
      }
      items.push(plainScalar(text.slice(start, stop), start, stop));
    }
    skipSpaces();
    const sep = text.charCodeAt(p);
    if (sep === 93) {
      return [seqNode(items, [at, p + 1, p + 1], true), p + 1];
    }
    if (sep !== 44) {
      throw GIVE_UP;
    }
    p++;
  }
}

const NULL = /^(?:~|[Nn]ull|NULL)$/;
const TRUE = /^(?:[Tt]rue|TRUE)$/;
const FALSE = /^(?:[Ff]alse|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const OCT = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const SPECIAL_FLOAT = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/** A plain scalar with the YAML 1.2 core schema's value, as `yaml` resolves it by default. */
function plainScalar(source: string, start: number, end: number): Scalar {
  let value: unknown = source;
  const c = source.charCodeAt(0);
  // Only `~`, n/N, t/T and f/F can start a null or a boolean.
  const maybeWord = source.length <= 5 && (c === 126 || c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70);
  if (source === '' || (maybeWord && NULL.test(source))) {
    value = null;
  } else if (maybeWord && TRUE.test(source)) {
    value = true;
  } else if (maybeWord && FALSE.test(source)) {
    value = false;
  } else if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    if (INT.test(source)) {
      value = parseInt(source, 10);
    } else if (OCT.test(source)) {
      value = parseInt(source.slice(2), 8);
    } else if (HEX.test(source)) {
      value = parseInt(source.slice(2), 16);
    } else if (FLOAT.test(source) || SPECIAL_FLOAT.test(source)) {
      // Rare in the files read here; the real parser knows the fine print (`.inf`, precision).
      throw GIVE_UP;
    }
  }
  return scalarNode(value, 'PLAIN', start, end);
}
