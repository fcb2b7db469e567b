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
  remotePort: number;
  /** True when the remote end is all zeros: an unconnected UDP socket or a listener. */
  remoteUnspecified: boolean;
  state: number;
  uid: number;
  inode: number;
}

/**
 * Parses one table. Skips the header and anything malformed (truncated rows, garbage), and
 * tolerates any run of blanks between columns, since column widths vary between kernels.
 * Works on bytes: at ten thousand sockets the tables are megabytes, and most rows are filtered
 * out by `states` before anything is allocated for them.
 */
export function parseProcNetTable(
  input: string | Uint8Array,
  protocol: SocketProtocol,
  family: AddressFamily,
  states?: ReadonlySet<number>,
): ProcNetEntry[] {
  const bytes =
    typeof input === 'string'
      ? Buffer.from(input, 'latin1')
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const entries: ProcNetEntry[] = [];
  const addressLength = family === 'ipv4' ? 8 : 32;
  const length = bytes.length;
  let pos = 0;
  while (pos < length) {
    let lineEnd = bytes.indexOf(10, pos);
    if (lineEnd < 0) {
      lineEnd = length;
    }
    const entry = parseRow(bytes, pos, lineEnd, addressLength, states);
    if (entry) {
      entry.protocol = protocol;
      entry.family = family;
      entries.push(entry);
    }
    pos = lineEnd + 1;
  }
  return entries;
}

/** Parses the row in bytes[start, end); field order: sl local remote st tx:rx tr:when retrnsmt uid timeout inode. */
function parseRow(
  bytes: Buffer,
  start: number,
  end: number,
  addressLength: number,
  states: ReadonlySet<number> | undefined,
): ProcNetEntry | undefined {
  let i = skipBlanks(bytes, start, end);
  // sl: digits then ':'
  const slStart = i;
  i = skipToken(bytes, i, end);
  if (i - slStart < 2 || bytes[i - 1] !== 58) {
    return undefined;
  }
  // local address:port
  i = skipBlanks(bytes, i, end);
  const localStart = i;
  if (!isHexRun(bytes, i, i + addressLength) || bytes[i + addressLength] !== 58) {
    return undefined;
  }
  i += addressLength + 1;
  const localPortEnd = skipToken(bytes, i, end);
  const port = parseHexRun(bytes, i, localPortEnd);
  if (port < 0 || localPortEnd - i > 4) {
    return undefined;
  }
  // remote address:port
  i = skipBlanks(bytes, localPortEnd, end);
  const remoteStart = i;
  if (!isHexRun(bytes, i, i + addressLength) || bytes[i + addressLength] !== 58) {
    return undefined;
  }
  i += addressLength + 1;
  const remotePortEnd = skipToken(bytes, i, end);
  const remotePort = parseHexRun(bytes, i, remotePortEnd);
  if (remotePort < 0 || remotePortEnd - i > 4) {
    return undefined;
  }
  // st
  i = skipBlanks(bytes, remotePortEnd, end);
  const stateEnd = skipToken(bytes, i, end);
  const state = parseHexRun(bytes, i, stateEnd);
  if (state < 0 || (states !== undefined && !states.has(state))) {
    return undefined;
  }
  // tx:rx, tr:when, retrnsmt
  i = stateEnd;
  for (let skip = 0; skip < 3; skip++) {
    i = skipToken(bytes, skipBlanks(bytes, i, end), end);
  }
  i = skipBlanks(bytes, i, end);
  const uidEnd = skipToken(bytes, i, end);
  const uid = parseDecimalRun(bytes, i, uidEnd);
  // timeout
  i = skipToken(bytes, skipBlanks(bytes, uidEnd, end), end);
  i = skipBlanks(bytes, i, end);
  const inodeEnd = skipToken(bytes, i, end);
  const inode = parseDecimalRun(bytes, i, inodeEnd);
  if (uid < 0 || inode < 0) {
    return undefined;
  }
  let remoteUnspecified = remotePort === 0;
  for (let j = remoteStart; remoteUnspecified && j < remoteStart + addressLength; j++) {
    remoteUnspecified = bytes[j] === 48;
  }
  return {
    protocol: 'tcp',
    family: 'ipv4',
    localHex: bytes.toString('latin1', localStart, localStart + addressLength),
    port,
    remotePort,
    remoteUnspecified,
    state,
    uid,
    inode,
  };
}

function isBlankByte(b: number): boolean {
  return b === 32 || b === 9 || b === 13;
}

function skipBlanks(bytes: Buffer, i: number, end: number): number {
  while (i < end && isBlankByte(bytes[i]!)) {
    i++;
  }
  return i;
}

function skipToken(bytes: Buffer, i: number, end: number): number {
  while (i < end && !isBlankByte(bytes[i]!)) {
    i++;
  }
  return i;
}

function hexValue(b: number): number {
  if (b >= 48 && b <= 57) {
    return b - 48;
  }
  const lower = b | 32;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

function isHexRun(bytes: Buffer, start: number, end: number): boolean {
  if (end > bytes.length) {
    return false;
  }
  for (let i = start; i < end; i++) {
    if (hexValue(bytes[i]!) < 0) {
      return false;
    }
  }
  return true;
}

/** Value of hex digits in [start, end), -1 when empty, too long or not hex. */
function parseHexRun(bytes: Buffer, start: number, end: number): number {
  if (end <= start || end - start > 8) {
    return -1;
  }
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = hexValue(bytes[i]!);
    if (digit < 0) {
      return -1;
    }
    value = value * 16 + digit;
  }
  return value;
}

function parseDecimalRun(bytes: Buffer, start: number, end: number): number {
  if (end <= start || end - start > 15) {
    return -1;
  }
  let value = 0;
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b < 48 || b > 57) {
      return -1;
    }
    value = value * 10 + (b - 48);
  }
  return value;
}

/** True when the entry is a bound UDP socket nobody connected (no remote end). */
export function isUnconnected(entry: ProcNetEntry): boolean {
  return entry.remoteUnspecified;
}

const HEX = /^[0-9A-Fa-f]+$/;

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
    for (const byte of wordBytes(hex.slice(w * 8, w * 8 + 8))) {
      bytes.push(byte);
    }
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
    groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  }
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  // Longest run of two or more zero groups becomes `::` (the first one on a tie).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
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
