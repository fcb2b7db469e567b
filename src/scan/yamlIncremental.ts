// YAML re-parsed incrementally. A long compose file or manifest is cut where its parts provably do
// not depend on each other — document markers (`---`), top-level keys at column 0, and the entries
// of `services:` — each part is parsed on its own and kept by its text, and after an edit only the
// parts whose text changed are parsed again; the others are moved to their new offsets. Whenever
// the cut is not certain to be clean the whole text is parsed as before, so the finders see the
// same tree either way (the equivalence is tested on every fixture and on random edits of them).

import type { Node, Pair, YAMLMap } from 'yaml';
import { logFailure } from '../model/log';
import { ScanTooComplex } from './budget';
import { loadYaml, parseYamlText, stopTooDeep, type YamlDocument } from './yamlParse';

/** Below this length a text is parsed whole: it is quick, and nothing is kept for it. */
let incrementalFrom = 16 * 1024;

/** Pieces kept, by total length of their text (a piece's tree takes some twenty times its text). */
const KEPT_TEXT_LIMIT = 2 * 1024 * 1024;

/** What the parser did since the process started, for tests and the bench (counts, not time). */
export interface YamlParseCounts {
  /** Texts parsed in one piece. */
  wholeParses: number;
  /** Pieces of cut texts that had to be parsed. */
  piecesParsed: number;
  /** Pieces of cut texts taken from an earlier parse. */
  piecesReused: number;
}

const counts: YamlParseCounts = { wholeParses: 0, piecesParsed: 0, piecesReused: 0 };

export function yamlParseCounts(): YamlParseCounts {
  return { ...counts };
}

/** Sets the length from which texts are cut into pieces (tests use 0); returns the previous one. */
export function setIncrementalYamlFrom(length: number): number {
  const previous = incrementalFrom;
  incrementalFrom = length;
  return previous;
}

/** Forgets every kept piece. */
export function forgetYamlPieces(): void {
  kept.clear();
  keptLength = 0;
}

/**
 * Every document of a (possibly multi-document, possibly broken) YAML text. Never throws, except
 * to stop a scan over its budget (nesting too deep to compose safely).
 */
export function parseYamlDocuments(text: string): YamlDocument[] {
  try {
    if (text.length >= incrementalFrom) {
      const docs = parseInPieces(text);
      if (docs) {
        return docs;
      }
    }
    counts.wholeParses++;
    const parsed = parseYamlText(text);
    if (parsed.tooDeep) {
      stopTooDeep();
      return [];
    }
    return parsed.docs;
  } catch (error) {
    if (!(error instanceof ScanTooComplex)) {
      logFailure('the YAML parser', error);
    }
    return [];
  }
}

/** A part of the text, `[start, end)`. */
interface Span {
  start: number;
  end: number;
}

/** A top-level entry; `services:` with its entries cut out as well. */
interface EntryPlan extends Span {
  services?: { header: Span; entries: Span[] };
}

/** One document (from its `---`), parsed whole or entry by entry. */
interface DocumentPlan extends Span {
  entries: EntryPlan[];
}

/**
 * Where the text can be cut, or undefined when it cannot be cut safely (directives, tabs in
 * indentation, a document marker followed by content).
 */
function planPieces(text: string): DocumentPlan[] | undefined {
  if (/^(?:%| *\t)/m.test(text)) {
    return undefined;
  }
  const documents: DocumentPlan[] = [];
  let documentStart = 0;
  let keys: number[] = [];
  const closeDocument = (end: number): void => {
    if (end > documentStart) {
      documents.push({ start: documentStart, end, entries: entriesOf(text, documentStart, end, keys) });
    }
    documentStart = end;
    keys = [];
  };
  for (let pos = 0; pos < text.length;) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) {
      eol = text.length;
    }
    const next = eol < text.length ? eol + 1 : eol;
    const marker = documentMarker(text, pos, eol);
    if (marker === 'content') {
      return undefined;
    }
    if (marker === 'start') {
      closeDocument(pos);
    } else if (marker === 'end') {
      closeDocument(next);
    } else if (startsEntry(text, pos, eol)) {
      keys.push(pos);
    }
    pos = next;
  }
  closeDocument(text.length);
  return documents;
}

/** `---` / `...` alone on a line (a comment may follow); 'content' when something else follows `---`. */
function documentMarker(text: string, pos: number, eol: number): 'start' | 'end' | 'content' | undefined {
  const first = text.charCodeAt(pos);
  if (first !== 0x2d && first !== 0x2e) {
    return undefined;
  }
  const three = text.slice(pos, pos + 3);
  if (three !== '---' && three !== '...') {
    return undefined;
  }
  const rest = text.slice(pos + 3, eol);
  if (rest !== '' && rest !== '\r' && rest[0] !== ' ' && rest[0] !== '\t') {
    // `---foo` is a plain scalar, not a marker.
    return undefined;
  }
  if (!/^[ \t]*(?:#.*)?\r?$/.test(rest)) {
    return 'content';
  }
  return three === '---' ? 'start' : 'end';
}

/**
 * A line that begins a block mapping entry at its indentation: a letter, digit, `_` or a quote
 * first. Dashes, flow brackets, anchors, tags, aliases, `?` and comments never start a piece; such
 * lines stay inside the piece above, which is always safe.
 */
function startsEntry(text: string, at: number, eol: number): boolean {
  if (at >= eol) {
    return false;
  }
  const c = text.charCodeAt(at);
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x5f ||
    c === 0x22 ||
    c === 0x27
  );
}

function entriesOf(text: string, start: number, end: number, keys: number[]): EntryPlan[] {
  const entries: EntryPlan[] = [];
  for (let i = 0; i < keys.length; i++) {
    // The first entry takes the document's comments and `---` line with it.
    const entry: EntryPlan = {
      start: i === 0 ? start : keys[i]!,
      end: i + 1 < keys.length ? keys[i + 1]! : end,
    };
    const services = servicesOf(text, keys[i]!, entry.end);
    if (services) {
      entry.services = { header: { start: entry.start, end: services.headerEnd }, entries: services.entries };
    }
    entries.push(entry);
  }
  return entries;
}

const SERVICES_KEY = /^services[ \t]*:[ \t]*(?:#.*)?\r?$/;

/** The entries of a block `services:` mapping, cut at its first indentation; undefined when unsure. */
function servicesOf(
  text: string,
  keyAt: number,
  end: number,
): { headerEnd: number; entries: Span[] } | undefined {
  if (text.charCodeAt(keyAt) !== 0x73) {
    return undefined;
  }
  let eol = text.indexOf('\n', keyAt);
  if (eol < 0 || eol >= end || !SERVICES_KEY.test(text.slice(keyAt, eol))) {
    return undefined;
  }
  let indent = -1;
  const starts: number[] = [];
  for (let pos = eol + 1; pos < end;) {
    eol = text.indexOf('\n', pos);
    if (eol < 0 || eol > end) {
      eol = end;
    }
    let column = pos;
    while (column < eol && text.charCodeAt(column) === 0x20) {
      column++;
    }
    const c = text.charCodeAt(column);
    const blank = column >= eol || c === 0x0d || c === 0x23;
    if (!blank) {
      const width = column - pos;
      if (indent < 0) {
        indent = width;
        if (indent === 0) {
          return undefined;
        }
      }
      if (width < indent) {
        return undefined;
      }
      if (width === indent) {
        if (!startsEntry(text, column, eol)) {
          return undefined;
        }
        starts.push(pos);
      }
    }
    pos = eol + 1;
  }
  if (starts.length === 0) {
    return undefined;
  }
  return {
    headerEnd: starts[0]!,
    entries: starts.map((start, i) => ({ start, end: i + 1 < starts.length ? starts[i + 1]! : end })),
  };
}

/** A piece parsed once, and where its nodes' offsets currently place it. */
interface KeptPiece {
  text: string;
  base: number;
  /** Its documents' contents (a mapping for entry pieces), or undefined when it did not parse cleanly. */
  docs: YamlDocument[] | undefined;
  /** Too deep to compose. */
  tooDeep: boolean;
  /** No node of it is an alias. */
  aliasFree: boolean;
}

/** Pieces by text, oldest use first; equal texts (two identical services) keep one piece each. */
const kept = new Map<string, KeptPiece[]>();
let keptLength = 0;

/** Thrown inside one cut parse when a piece does not fit; the text is then parsed whole. */
class NotIndependent extends Error {}

function parseInPieces(text: string): YamlDocument[] | undefined {
  const plan = planPieces(text);
  if (!plan) {
    return undefined;
  }
  const used = new Set<KeptPiece>();
  let aliasFree = true;
  const piece = (span: Span, outerDepth: number): YamlDocument[] => {
    const found = takePiece(text, span, outerDepth, used);
    // Too deep or not clean: the whole text's parse decides what that means.
    if (!found.docs || found.tooDeep) {
      throw new NotIndependent();
    }
    aliasFree &&= found.aliasFree;
    return found.docs;
  };
  try {
    const docs: YamlDocument[] = [];
    for (const document of plan) {
      aliasFree = true;
      if (document.entries.length <= 1 && !document.entries[0]?.services) {
        for (const doc of piece(document, 0)) {
          // A fresh document each time: what the finders remember per document starts anew.
          docs.push({ contents: doc.contents, aliasFree });
        }
        continue;
      }
      const pairs: Pair[] = [];
      for (const entry of document.entries) {
        if (entry.services) {
          pairs.push(servicesPair(entry.services, piece));
        } else {
          for (const pair of blockMapOf(piece(entry, 0)).items) {
            pairs.push(pair);
          }
        }
      }
      docs.push({ contents: mappingOf(pairs, document), aliasFree });
    }
    return docs;
  } catch (error) {
    if (error instanceof NotIndependent) {
      return undefined;
    }
    throw error;
  } finally {
    trimKept();
  }
}

/** `services:` with its entries parsed one by one (they sit one level deeper than the top). */
function servicesPair(
  services: { header: Span; entries: Span[] },
  piece: (span: Span, outerDepth: number) => YamlDocument[],
): Pair {
  const header = blockMapOf(piece(services.header, 0));
  const only = header.items.length === 1 ? header.items[0] : undefined;
  const { Pair, isScalar } = loadYaml();
  if (
    !only ||
    !isScalar(only.key) ||
    only.key.value !== 'services' ||
    !isScalar(only.value) ||
    only.value.value !== null
  ) {
    throw new NotIndependent();
  }
  const pairs: Pair[] = [];
  for (const entry of services.entries) {
    for (const pair of blockMapOf(piece(entry, 1)).items) {
      pairs.push(pair);
    }
  }
  const last = services.entries[services.entries.length - 1]!;
  return new Pair(only.key, mappingOf(pairs, { start: services.entries[0]!.start, end: last.end }));
}

/** The one block mapping without anchor or tag a piece must hold to be joined with others. */
function blockMapOf(docs: YamlDocument[]): YAMLMap {
  const contents = docs.length === 1 ? docs[0]!.contents : undefined;
  if (
    !loadYaml().isMap(contents) ||
    contents.flow ||
    contents.anchor !== undefined ||
    contents.tag !== undefined
  ) {
    throw new NotIndependent();
  }
  return contents;
}

function mappingOf(pairs: Pair[], span: Span): YAMLMap.Parsed {
  const map = new (loadYaml().YAMLMap)() as YAMLMap.Parsed;
  map.items = pairs as YAMLMap.Parsed['items'];
  const first = pairs[0]?.key as Node | undefined;
  const start = first?.range?.[0] ?? span.start;
  map.range = [start, span.end, span.end];
  return map;
}

/** The kept piece with this text (moved to `span.start`), or a fresh parse of it. */
function takePiece(text: string, span: Span, outerDepth: number, used: Set<KeptPiece>): KeptPiece {
  const pieceText = text.slice(span.start, span.end);
  const list = kept.get(pieceText);
  const found = list?.find((candidate) => !used.has(candidate));
  if (found && list) {
    counts.piecesReused++;
    // Most recently used last, so the oldest pieces go first when too much is kept.
    kept.delete(pieceText);
    kept.set(pieceText, list);
    if (found.base !== span.start && found.docs) {
      for (const doc of found.docs) {
        placeNodes(doc.contents, span.start - found.base);
      }
    }
    found.base = span.start;
    used.add(found);
    return found;
  }
  counts.piecesParsed++;
  const parsed = parseYamlText(pieceText, outerDepth);
  const docs = parsed.clean ? parsed.docs.map((doc) => ({ contents: doc.contents })) : undefined;
  let aliasFree = true;
  for (const doc of docs ?? []) {
    aliasFree = placeNodes(doc.contents, span.start) && aliasFree;
  }
  const fresh: KeptPiece = { text: pieceText, base: span.start, docs, tooDeep: parsed.tooDeep, aliasFree };
  if (list) {
    list.push(fresh);
  } else {
    kept.set(pieceText, [fresh]);
  }
  keptLength += pieceText.length;
  used.add(fresh);
  return fresh;
}

/** Shifts every source offset under `root` by `delta`; false when an alias was met on the way. */
function placeNodes(root: unknown, delta: number): boolean {
  const { isAlias, isMap, isSeq } = loadYaml();
  const pending: unknown[] = [root];
  let aliasFree = true;
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') {
      continue;
    }
    if (isAlias(node)) {
      aliasFree = false;
    }
    const range = (node as { range?: [number, number, number] | null }).range;
    if (range && delta !== 0) {
      range[0] += delta;
      range[1] += delta;
      range[2] += delta;
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        pending.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        pending.push(item);
      }
    }
  }
  return aliasFree;
}

function trimKept(): void {
  for (const [pieceText, list] of kept) {
    if (keptLength <= KEPT_TEXT_LIMIT) {
      break;
    }
    kept.delete(pieceText);
    keptLength -= pieceText.length * list.length;
  }
}
