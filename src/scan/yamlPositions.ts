// YAML with exact source offsets, shared by the compose and Kubernetes finders.
// The `yaml` package gives each node its source range; a scalar's *value* can differ from its
// source (quotes, escapes, folded lines), so ports found in a value are mapped back to the
// characters that were written.

import type { Alias, Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { logFailure } from '../model/log';
import { spendWork } from './budget';
import { loadYaml, type YamlDocument } from './yamlParse';
import type { FileKind, PortMention, TextRange } from './mention';
import { pushAll } from './mention';
import { isPortLikeName, nameWords } from './names';
import { findPortsInValue } from './values';
import { flagValues } from './flags';

export type { YamlDocument } from './yamlParse';
export { loadYaml } from './yamlParse';
export { parseYamlDocuments } from './yamlIncremental';

// Nodes only exist once `yaml` has parsed something, so these never load it early.
export function isMap(node: unknown): node is YAMLMap {
  return loadYaml().isMap(node);
}
export function isSeq(node: unknown): node is YAMLSeq {
  return loadYaml().isSeq(node);
}
export function isScalar(node: unknown): node is Scalar {
  return loadYaml().isScalar(node);
}
export function isAlias(node: unknown): node is Alias {
  return loadYaml().isAlias(node);
}

/**
 * Follows an alias to its anchored node; other nodes come back unchanged. An alias names the last
 * node anchored under that name before it; the anchors of a document are indexed once, since
 * `Alias.resolve` walks the whole document on every call.
 */
export function resolveNode(node: unknown, doc: YamlDocument): Node | undefined {
  let current = node;
  // An alias can point at another alias only through a chain of anchors; a few hops suffice.
  for (let hops = 0; hops < 8 && isAlias(current); hops++) {
    spendWork(1);
    current = anchoredBefore(anchorsOf(doc), current);
  }
  if (isAlias(current)) {
    return undefined;
  }
  return (current ?? undefined) as Node | undefined;
}

interface Anchored {
  /** Source offset the anchored node starts at (document order). */
  at: number;
  node: Node;
}

const anchorIndexes = new WeakMap<object, Map<string, Anchored[]>>();

/** Every anchored node of a document by anchor name, in document order; one walk per document. */
function anchorsOf(doc: YamlDocument): Map<string, Anchored[]> {
  let index = anchorIndexes.get(doc);
  if (index) {
    return index;
  }
  index = new Map();
  anchorIndexes.set(doc, index);
  const pending: unknown[] = [doc.contents];
  let order = 0;
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') {
      continue;
    }
    spendWork(1);
    const anchor = (node as { anchor?: unknown }).anchor;
    if (typeof anchor === 'string' && !isAlias(node)) {
      const range = (node as Node).range;
      let list = index.get(anchor);
      if (!list) {
        list = [];
        index.set(anchor, list);
      }
      // Without a range the node keeps its visiting order, which is document order too.
      list.push({ at: range ? range[0] : order, node: node as Node });
    }
    order++;
    if (isMap(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i]!;
        pending.push(pair.value, pair.key);
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        pending.push(node.items[i]);
      }
    }
  }
  for (const list of index.values()) {
    list.sort((a, b) => a.at - b.at);
  }
  return index;
}

/** The node an alias names: the last one anchored under its name that starts before the alias. */
function anchoredBefore(index: Map<string, Anchored[]>, alias: Alias): Node | undefined {
  const list = index.get(alias.source);
  if (!list) {
    return undefined;
  }
  const at = alias.range ? alias.range[0] : Number.POSITIVE_INFINITY;
  let lo = 0;
  let hi = list.length - 1;
  let found: Node | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const entry = list[mid]!;
    if (entry.at < at) {
      found = entry.node;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

export function asMap(node: unknown, doc: YamlDocument): YAMLMap | undefined {
  const resolved = resolveNode(node, doc);
  return isMap(resolved) ? resolved : undefined;
}

export function asSeq(node: unknown, doc: YamlDocument): YAMLSeq | undefined {
  const resolved = resolveNode(node, doc);
  return isSeq(resolved) ? resolved : undefined;
}

export function asScalar(node: unknown, doc: YamlDocument): Scalar | undefined {
  const resolved = resolveNode(node, doc);
  return isScalar(resolved) ? resolved : undefined;
}

export interface YamlEntry {
  key: string;
  keyNode: Node | undefined;
  /** The value, aliases already followed. */
  value: Node | undefined;
}

/**
 * The entries of a mapping with YAML merge keys (`<<: *default`, `<<: [*a, *b]`) applied the way
 * Compose applies them: keys written in the mapping win over merged ones, earlier merges over later.
 * `yaml` v2 leaves `<<` as a plain key under the 1.2 schema, hence this.
 */
export function mapEntries(map: YAMLMap, doc: YamlDocument, depth = 0): YamlEntry[] {
  const holder = map as YAMLMap & { [ENTRIES]?: { doc: YamlDocument; entries: YamlEntry[] } };
  const cached = holder[ENTRIES];
  if (cached?.doc === doc) {
    return cached.entries;
  }
  const entries = computeEntries(map, doc, depth);
  holder[ENTRIES] = { doc, entries };
  return entries;
}

// Finders ask one mapping for several keys; its entries (merges applied) are computed once per
// document and kept on the node itself. A node kept for the next parse (yamlIncremental.ts) joins
// a new document, where a merge key may name another node: the entries are worked out again.
const ENTRIES = Symbol('portolan.yamlEntries');

function computeEntries(map: YAMLMap, doc: YamlDocument, depth: number): YamlEntry[] {
  const own: YamlEntry[] = [];
  const merged: YamlEntry[] = [];
  for (const pair of map.items) {
    const keyNode = resolveNode(pair.key, doc);
    const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
    if (key === undefined) {
      continue;
    }
    if (key === '<<' && depth < 8) {
      const sources = isSeq(resolveNode(pair.value, doc))
        ? (resolveNode(pair.value, doc) as YAMLSeq).items
        : [pair.value];
      for (const source of sources) {
        const sourceMap = asMap(source, doc);
        if (sourceMap) {
          for (const entry of mapEntries(sourceMap, doc, depth + 1)) {
            merged.push(entry);
          }
        }
      }
      continue;
    }
    own.push({ key, keyNode, value: resolveNode(pair.value, doc) });
  }
  if (merged.length === 0) {
    return own;
  }
  const seen = new Set(own.map((entry) => entry.key));
  const result = [...own];
  for (const entry of merged) {
    if (!seen.has(entry.key)) {
      seen.add(entry.key);
      result.push(entry);
    }
  }
  return result;
}

export function mapGet(map: YAMLMap | undefined, key: string, doc: YamlDocument): Node | undefined {
  if (!map) {
    return undefined;
  }
  for (const entry of mapEntries(map, doc)) {
    if (entry.key === key) {
      return entry.value;
    }
  }
  return undefined;
}

/** The items of a sequence, aliases followed. */
export function seqItems(seq: YAMLSeq | undefined, doc: YamlDocument): Node[] {
  if (!seq) {
    return [];
  }
  const items: Node[] = [];
  for (const item of seq.items) {
    const resolved = resolveNode(item, doc);
    if (resolved) {
      items.push(resolved);
    }
  }
  return items;
}

/**
 * A scalar's value as a string together with the source offset of each of its characters, so a
 * port found at `value.slice(i, j)` can be reported at the characters actually written.
 */
export interface ScalarSource {
  /** The value as text: strings as parsed, numbers and booleans as written in the source. */
  value: string;
  /** Source range of `value.slice(start, end)`, or undefined when it cannot be located exactly. */
  rangeOf(start: number, end: number): TextRange | undefined;
}

export function scalarSource(scalar: Scalar, text: string): ScalarSource | undefined {
  // An aliased scalar is asked for once per alias; its source is worked out once.
  // A node kept between parses (yamlIncremental.ts) may have moved: the offset is part of the key.
  const cached = scalarSources.get(scalar);
  const start = scalar.range?.[0];
  if (cached && cached.text === text && cached.start === start) {
    return cached.source;
  }
  const source = computeScalarSource(scalar, text);
  scalarSources.set(scalar, { text, start, source });
  return source;
}

const scalarSources = new WeakMap<
  Scalar,
  { text: string; start: number | undefined; source: ScalarSource | undefined }
>();

function computeScalarSource(scalar: Scalar, text: string): ScalarSource | undefined {
  const range = scalar.range;
  if (!range) {
    return undefined;
  }
  const [rawStart, rawEnd] = range;
  const raw = text.slice(rawStart, rawEnd);
  if (typeof scalar.value !== 'string') {
    // Numbers keep the digits as written (`0x1F90` reads 8080 but the hover belongs on the text).
    if (scalar.value === null || typeof scalar.value === 'object') {
      return undefined;
    }
    return identitySource(raw, rawStart);
  }
  const value = scalar.value;
  const quote = scalar.type === 'QUOTE_DOUBLE' ? '"' : scalar.type === 'QUOTE_SINGLE' ? "'" : undefined;
  if (quote !== undefined && (raw.length < 2 || !raw.endsWith(quote))) {
    // An unclosed quote: the parser's recovered value drops the last character written
    // (`"8080:80` reads `8080:8`), so read the characters as written instead.
    return identitySource(raw.slice(1), rawStart + 1);
  }
  if (scalar.type === 'PLAIN' && raw === value) {
    return identitySource(value, rawStart);
  }
  if ((scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE') && raw.slice(1, -1) === value) {
    return identitySource(value, rawStart + 1);
  }
  const offsets = alignValueToSource(value, raw, scalar.type);
  return {
    value,
    rangeOf(start, end) {
      if (!offsets || start < 0 || end > value.length || end <= start) {
        return undefined;
      }
      const first = offsets[start] ?? -1;
      const last = offsets[end - 1] ?? -1;
      if (first < 0 || last < 0) {
        return undefined;
      }
      return { start: rawStart + first, end: rawStart + last + 1 };
    },
  };
}

function identitySource(value: string, start: number): ScalarSource {
  return {
    value,
    rangeOf(from, to) {
      if (from < 0 || to > value.length || to <= from) {
        return undefined;
      }
      return { start: start + from, end: start + to };
    },
  };
}

/**
 * Walks the value and the raw source side by side. Folding only removes or inserts whitespace,
 * single quotes are doubled, and double-quoted escapes stand for one character each; every other
 * character of the value appears literally in the source, in order. Returns, per value character,
 * its offset in `raw` (-1 when it came from an escape or a fold), or undefined when the two cannot
 * be lined up (then nothing is reported rather than something misplaced).
 */
function alignValueToSource(value: string, raw: string, type: Scalar.Type | undefined): number[] | undefined {
  let p = 0;
  const quoted = type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE';
  if (quoted) {
    p = 1;
  } else if (type === 'BLOCK_FOLDED' || type === 'BLOCK_LITERAL') {
    // The header line (`|`, `>-`, `|2` and a possible comment) holds none of the value.
    const newline = raw.indexOf('\n');
    p = newline < 0 ? raw.length : newline + 1;
  }
  const offsets: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    if (type === 'QUOTE_DOUBLE') {
      // Line continuations (`\` at end of line) produce nothing; skip them first.
      while (raw[p] === '\\' && (raw[p + 1] === '\n' || raw[p + 1] === '\r')) {
        p += 2;
        while (p < raw.length && /\s/.test(raw.charAt(p))) {
          p++;
        }
      }
      if (raw[p] === '\\') {
        offsets.push(-1);
        p += escapeLength(raw, p);
        continue;
      }
    }
    if (/\s/.test(ch)) {
      // Folded line breaks and indentation: stay put unless the source has the same character.
      if (raw[p] === ch) {
        offsets.push(p);
        p++;
      } else {
        offsets.push(-1);
      }
      continue;
    }
    while (p < raw.length && raw[p] !== ch) {
      const skippable = /\s/.test(raw.charAt(p)) || (type === 'QUOTE_SINGLE' && raw[p] === "'");
      if (!skippable) {
        return undefined;
      }
      p++;
    }
    if (p >= raw.length) {
      return undefined;
    }
    offsets.push(p);
    p++;
    if (type === 'QUOTE_SINGLE' && ch === "'" && raw[p] === "'") {
      p++;
    }
  }
  return offsets;
}

function escapeLength(raw: string, at: number): number {
  switch (raw[at + 1]) {
    case 'x':
      return 4;
    case 'u':
      return 6;
    case 'U':
      return 10;
    default:
      return 2;
  }
}

/**
 * Ports the shared value recognizers find in `source.value.slice(from, to)`, placed at the
 * characters written in the file (quotes, escapes and folds accounted for). Never throws.
 */
export function findPortsInScalar(
  source: ScalarSource,
  kind: FileKind,
  variable?: string,
  from = 0,
  to = source.value.length,
): PortMention[] {
  spendWork(to - from + 1);
  let found: PortMention[];
  try {
    found = findPortsInValue(source.value.slice(from, to), from, kind, variable);
  } catch (error) {
    logFailure('reading ports in a YAML value', error);
    return [];
  }
  const placed: PortMention[] = [];
  for (const mention of found) {
    const range = source.rangeOf(mention.range.start, mention.range.end);
    if (range) {
      // Each mention is fresh from the recognizers: placing it in the file needs no copy.
      mention.kind = kind;
      mention.range = range;
      placed.push(mention);
    }
  }
  return placed;
}

const ADDRESS_WORDS = new Set(
  (
    'addr address addresses listen bind host hosts url urls uri endpoint endpoints server servers ' +
    'upstream broker brokers dsn peers'
  ).split(' '),
);

/** Flags whose value is worth reading with the flag as its name; `-f`, `-o`, `--workers` are not. */
function namesAPortOrAddress(flag: string): boolean {
  return isPortLikeName(flag) || nameWords(flag).some((word) => ADDRESS_WORDS.has(word));
}

const FLAG_ALONE = /^--?([A-Za-z][\w.-]*)$/;
const HAS_DIGIT = /[0-9]/;

/**
 * Ports in a command line written as one string or as a list of arguments (compose `command:`,
 * Kubernetes `command:` + `args:`): URLs and `host:port` anywhere, and flag values read with the
 * flag's name as their variable — `--port 9000`, `--http-port=8080`, `--listen-addr=:9090`,
 * `["--port", "9000"]` across two items — so the value recognizers know what the number means.
 */
export function findPortsInArguments(
  args: ReadonlyArray<ScalarSource | undefined>,
  kind: FileKind,
): PortMention[] {
  const byFlag: PortMention[] = [];
  const anywhere: PortMention[] = [];
  // An item repeated through an alias (`- *arg` many times) says nothing new after its first time.
  const read = new Set<ScalarSource>();
  const readAsValue = new Map<ScalarSource, Set<string>>();
  args.forEach((source, index) => {
    if (!source) {
      return;
    }
    const alone = FLAG_ALONE.exec(source.value.trim());
    const next = args[index + 1];
    // The next item is the flag's value only when it is one word (`-c "sh script"` is not).
    if (alone && next && namesAPortOrAddress(alone[1]!) && !/\s/.test(next.value.trim())) {
      const flags = readAsValue.get(next) ?? new Set<string>();
      readAsValue.set(next, flags);
      if (!flags.has(alone[1]!)) {
        flags.add(alone[1]!);
        pushAll(byFlag, findPortsInScalar(next, kind, alone[1]));
      }
    }
    if (read.has(source)) {
      return;
    }
    read.add(source);
    pushAll(anywhere, findPortsInScalar(source, kind));
    // A flag's value written in the same item has its digits there too.
    const flagsWithValues = HAS_DIGIT.test(source.value) && source.value.includes('-');
    for (const flag of flagsWithValues ? flagValues(source.value) : []) {
      if (namesAPortOrAddress(flag.flag)) {
        pushAll(byFlag, findPortsInScalar(source, kind, flag.flag, flag.start, flag.end));
      }
    }
  });
  if (byFlag.length === 0) {
    return anywhere;
  }
  const taken = new Set(byFlag.map((mention) => `${mention.range.start}:${mention.range.end}`));
  return [
    ...byFlag,
    ...anywhere.filter((mention) => !taken.has(`${mention.range.start}:${mention.range.end}`)),
  ];
}
