// Parser for Linux /proc/net/{tcp,tcp6,udp,udp6}. Pure: text in, entries out.
//
// Each row prints addresses as the kernel's in-memory words in hex: an IPv4 address is one
// 32-bit word in host (little-endian) order, an IPv6 address is four such words; ports are
// already in host order.

import type { AddressFamily, SocketProtocol } from './types';

/** Kernel TCP states as printed in the `st` column. */
export const TcpState = {
  established: 0x01,
  timeWait: 0x06,
  close: 0x07,
  closeWait: 0x08,
  listen: 0x0a,
} as const;

export interface ProcNetEntry {
  protocol: SocketProtocol;
  family: AddressFamily;
  /** Local address exactly as printed (hex), decoded lazily by `decodeProcAddress`. */
  localHex: string;
  port: number;
  remoteHex: string;
  remotePort: number;
  state: number;
  uid: number;
  inode: number;
}

const HEX = /^[0-9A-Fa-f]+$/;

/**
 * Parses one table. Skips the header and anything malformed (truncated rows, garbage), and
 * tolerates any run of spaces between columns, since column widths vary between kernels.
 */
export function parseProcNetTable(text: string, protocol: SocketProtocol, family: AddressFamily): ProcNetEntry[] {
  const entries: ProcNetEntry[] = [];
  const addressLength = family === 'ipv4' ? 8 : 32;
  let lineStart = 0;
  const length = text.length;
  const fields: string[] = [];
  while (lineStart < length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) {
      lineEnd = length;
    }
    // The first ten whitespace-separated fields are all we need.
    fields.length = 0;
    let i = lineStart;
    while (i < lineEnd && fields.length < 10) {
      while (i < lineEnd && isBlank(text.charCodeAt(i))) {
        i++;
      }
      const start = i;
      while (i < lineEnd && !isBlank(text.charCodeAt(i))) {
        i++;
      }
      if (i > start) {
        fields.push(text.slice(start, i));
      }
    }
    lineStart = lineEnd + 1;
    if (fields.length < 10 || !fields[0].endsWith(':')) {
      continue;
    }
    const local = splitEndpoint(fields[1], addressLength);
    const remote = splitEndpoint(fields[2], addressLength);
    const state = parseHex(fields[3]);
    const uid = parseDecimal(fields[7]);
    const inode = parseDecimal(fields[9]);
    if (!local || !remote || state < 0 || uid < 0 || inode < 0) {
      continue;
    }
    entries.push({
      protocol,
      family,
      localHex: local.hex,
      port: local.port,
      remoteHex: remote.hex,
      remotePort: remote.port,
      state,
      uid,
      inode,
    });
  }
  return entries;
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 13;
}

function splitEndpoint(field: string, addressLength: number): { hex: string; port: number } | undefined {
  const colon = field.indexOf(':');
  if (colon !== addressLength) {
    return undefined;
  }
  const hex = field.slice(0, colon);
  const portHex = field.slice(colon + 1);
  if (portHex.length === 0 || portHex.length > 4 || !HEX.test(hex) || !HEX.test(portHex)) {
    return undefined;
  }
  return { hex, port: parseInt(portHex, 16) };
}

function parseHex(text: string): number {
  return HEX.test(text) ? parseInt(text, 16) : -1;
}

function parseDecimal(text: string): number {
  return /^\d+$/.test(text) ? Number(text) : -1;
}

/** True when the entry is a bound UDP socket nobody connected (no remote end). */
export function isUnconnected(entry: ProcNetEntry): boolean {
  return entry.remotePort === 0 && /^0+$/.test(entry.remoteHex);
}

/**
 * Decodes a hex address from /proc/net into text: `127.0.0.1`, `::`, `::1`, `fe80::1`,
 * `::ffff:127.0.0.1`. Returns undefined for text that is not 8 or 32 hex digits.
 */
export function decodeProcAddress(hex: string): string | undefined {
  if (!HEX.test(hex)) {
    return undefined;
  }
  if (hex.length === 8) {
    return wordBytes(hex).join('.');
  }
  if (hex.length !== 32) {
    return undefined;
  }
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    bytes.push(...wordBytes(hex.slice(w * 8, w * 8 + 8)));
  }
  return formatIpv6(bytes);
}

/** Bytes of one little-endian 32-bit word printed as 8 hex digits, in network order. */
function wordBytes(word: string): number[] {
  return [
    parseInt(word.slice(6, 8), 16),
    parseInt(word.slice(4, 6), 16),
    parseInt(word.slice(2, 4), 16),
    parseInt(word.slice(0, 2), 16),
  ];
}

/** RFC 5952 text form of 16 bytes, with the IPv4-mapped form written as a dotted quad. */
export function formatIpv6(bytes: number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) {
    groups.push((bytes[i] << 8) | bytes[i + 1]);
  }
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  // Longest run of two or more zero groups becomes `::` (the first one on a tie).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) {
      j++;
    }
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hexGroups = groups.map((g) => g.toString(16));
  if (bestStart < 0) {
    return hexGroups.join(':');
  }
  const head = hexGroups.slice(0, bestStart).join(':');
  const tail = hexGroups.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

/** Maps `::ffff:a.b.c.d` to `a.b.c.d`, so IPv4 traffic on a dual-stack socket compares equal. */
export function unmapIpv4(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

export function isWildcardAddress(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}
