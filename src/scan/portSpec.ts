// Port specs as EXPOSE, compose and command-line flags write them (`8080`, `53/udp`, `3000-3005`),
// and `${VAR:-8080}` defaults.
import { Char, digitsEnd, isDigit, isWordChar } from './chars';
import { type FileKind, type PortMention, type PortRole, type Protocol, type TextRange } from './mention';

/** Longest digit run read as a port: `99999` and `700000` are reported (rules flag them), a phone number is not. */
export const MAX_PORT_DIGITS = 6;

/** A port spec as written in EXPOSE, compose and flags: `8080`, `53/udp`, `3000-3005`, `3000-3005/tcp`. */
export interface PortSpec {
  port: number;
  portEnd?: number;
  protocol?: Protocol;
  /** The digits, or the whole `3000-3005`. */
  range: TextRange;
  /** Offset just after the spec including any `/proto`. */
  end: number;
}

/**
 * Reads a port spec at `at` in `text`. With `allowNegative`, `-1` is read as a (wrong) port.
 * Returns undefined unless the spec ends at `limit` or at a character outside `[\w.:-]`.
 */
export function readPortSpec(
  text: string,
  at: number,
  limit = text.length,
  allowNegative = false,
): PortSpec | undefined {
  let i = at;
  if (allowNegative && text.charCodeAt(i) === Char.hyphen && isDigit(text.charCodeAt(i + 1))) {
    i++;
  }
  const firstEnd = digitsEnd(text, i, limit);
  if (firstEnd === i || firstEnd - i > MAX_PORT_DIGITS) {
    return undefined;
  }
  const port = Number(text.slice(at, firstEnd));
  let rangeEnd = firstEnd;
  let portEnd: number | undefined;
  if (text.charCodeAt(firstEnd) === Char.hyphen && firstEnd + 1 < limit) {
    const secondEnd = digitsEnd(text, firstEnd + 1, limit);
    if (secondEnd > firstEnd + 1 && secondEnd - firstEnd - 1 <= MAX_PORT_DIGITS) {
      portEnd = Number(text.slice(firstEnd + 1, secondEnd));
      rangeEnd = secondEnd;
    } else {
      return undefined;
    }
  }
  let end = rangeEnd;
  let protocol: Protocol | undefined;
  if (text.charCodeAt(end) === Char.slash && end < limit) {
    const word = /^(tcp|udp|sctp)\b/i.exec(text.slice(end + 1, Math.min(limit, end + 6)));
    if (word) {
      protocol = word[1]!.toLowerCase() as Protocol;
      end += 1 + word[1]!.length;
    }
  }
  if (end < limit && /[\w.:-]/.test(text.charAt(end))) {
    return undefined;
  }
  const spec: PortSpec = { port, range: { start: at, end: rangeEnd }, end };
  if (portEnd !== undefined) {
    spec.portEnd = portEnd;
  }
  if (protocol) {
    spec.protocol = protocol;
  }
  return spec;
}

/** A `${VAR:-8080}` (also `${VAR-8080}`, `${VAR:=8080}`) whose default is a number. */
export interface VariableDefault {
  variable: string;
  port: number;
  range: TextRange;
  /** Offset after the closing `}`. */
  end: number;
}

/** Reads a shell/compose variable with a numeric default at `at` (which points at `$`). */
export function readVariableDefault(
  text: string,
  at: number,
  limit = text.length,
): VariableDefault | undefined {
  if (text.charCodeAt(at) !== Char.dollar || text.charCodeAt(at + 1) !== Char.openBrace) {
    return undefined;
  }
  let i = at + 2;
  while (i < limit && isWordChar(text.charCodeAt(i))) {
    i++;
  }
  if (i === at + 2) {
    return undefined;
  }
  const variable = text.slice(at + 2, i);
  if (text.charCodeAt(i) === Char.colon) {
    i++;
  }
  if (text.charCodeAt(i) !== Char.hyphen && text.charCodeAt(i) !== Char.equals) {
    return undefined;
  }
  i++;
  const end = digitsEnd(text, i, limit);
  if (end === i || end - i > MAX_PORT_DIGITS || text.charCodeAt(end) !== Char.closeBrace) {
    return undefined;
  }
  return { variable, port: Number(text.slice(i, end)), range: { start: i, end }, end: end + 1 };
}

/** A mention for a port spec read from text at `offset`. */
export function specMention(
  spec: PortSpec,
  offset: number,
  role: PortRole,
  kind: FileKind,
  variable?: string,
): PortMention {
  const m: PortMention = {
    port: spec.port,
    role,
    kind,
    range: { start: offset + spec.range.start, end: offset + spec.range.end },
  };
  if (spec.portEnd !== undefined) {
    m.portEnd = spec.portEnd;
  }
  if (spec.protocol) {
    m.protocol = spec.protocol;
  }
  if (variable !== undefined) {
    m.variable = variable;
  }
  return m;
}
