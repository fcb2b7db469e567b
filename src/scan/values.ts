// Ports inside configuration values: lists of port specs, URLs, `host:port`, `${VAR:-8080}`
// defaults. All scanners here are hand-written single passes (no backtracking regexes), so
// hostile input costs time proportional to its length.
import { isWildcardHost } from '../model/host';
import { addressMention, findAddressPorts, findUrlPorts, type SingleLabelHosts } from './addresses';
import { dedupeMentions, type FileKind, type PortMention, type TextRange } from './mention';
import { isAddressLikeName, isListenLikeName, isPortLikeName, nameWords } from './names';
import { readPortSpec, readVariableDefault, specMention } from './portSpec';
import { Char } from './chars';

/**
 * Values longer than this (embedded certificates, minified blobs) are only searched for
 * `scheme://host:port` URLs: linear and precise, where the other shapes would mostly misfire.
 */
export const MAX_VALUE_LENGTH = 10_000;

/**
 * Ports in one configuration value found at offset `base` of its file: an env var value, a YAML
 * scalar, a properties value. `variable` is the key it belongs to, when there is one.
 * - A port-like variable (see {@link isPortLikeName}) with a number, list (`8080,8081`), range
 *   (`3000-3005`), `8080/udp`, `-1`, or `${X:-8080}` value → role `setting`; `8080:80` → `publish`
 *   and `target`. Any other variable's bare number (`TIMEOUT=3000`) is no port.
 * - URLs and `host:port` → `connect` (`listen` when the variable says listen/bind), `:8080` → `listen`.
 * Surrounding quotes are skipped; offsets stay exact. See {@link MAX_VALUE_LENGTH} for huge values.
 */
export function findPortsInValue(
  value: string,
  base: number,
  kind: FileKind,
  variable?: string,
): PortMention[] {
  // Every port reported is digits written in the value; most values (names, paths, flags) have none.
  if (!/[0-9]/.test(value)) {
    return [];
  }
  let start = 0;
  let end = value.length;
  while (start < end && isSpaceAt(value, start)) {
    start++;
  }
  while (end > start && isSpaceAt(value, end - 1)) {
    end--;
  }
  const q = value[start];
  if (end - start >= 2 && (q === '"' || q === "'" || q === '`') && value[end - 1] === q) {
    start++;
    end--;
  }
  const body = value.slice(start, end);
  const offset = base + start;
  if (body.length > MAX_VALUE_LENGTH) {
    return findUrlPorts(body, offset).map((a) => addressMention(a, 'connect', kind));
  }
  const portVariable = variable !== undefined && isPortLikeName(variable);
  const mentions: PortMention[] = [];

  const numeric = portListMentions(body, offset, kind, variable, portVariable);
  if (numeric) {
    return numeric;
  }
  const listenish = variable !== undefined && isListenLikeName(variable);
  const advertised = variable !== undefined && nameWords(variable).some((w) => /^advertise[ds]?$/i.test(w));
  const singleLabel: SingleLabelHosts =
    variable !== undefined && (isAddressLikeName(variable) || portVariable) ? 'always' : 'long-port';
  for (const address of findAddressPorts(body, offset, { singleLabel: 'never' })) {
    mentions.push(
      addressMention(address, address.form === 'colonPort' || listenish ? 'listen' : 'connect', kind),
    );
  }
  // Bare-label hosts count when the whole value (or a list item) is `name:port`.
  for (const item of body.includes(':') ? listItems(body) : []) {
    const text = body.slice(item.start, item.end);
    const m = /^([A-Za-z_][\w-]*):(\d{1,6})$/.exec(text);
    if (m && m[1]!.toLowerCase() !== 'localhost') {
      const digits = m[2]!;
      if (singleLabel === 'long-port' && digits.length < 3) {
        continue;
      }
      const s = offset + item.start + m[1]!.length + 1;
      mentions.push({
        port: Number(digits),
        role: listenish ? 'listen' : 'connect',
        kind,
        host: m[1],
        range: { start: s, end: s + digits.length },
      });
    }
    const colon = /^:(\d{1,6})$/.exec(text);
    if (colon) {
      const s = offset + item.start + 1;
      mentions.push({
        port: Number(colon[1]),
        role: listenish || !portVariable ? 'listen' : 'setting',
        kind,
        range: { start: s, end: s + colon[1]!.length },
      });
    }
  }
  for (const m of mentions) {
    if (variable !== undefined && m.variable === undefined) {
      m.variable = variable;
    }
    // `--kafka-addr internal://0.0.0.0:9092`, `LISTENERS=PLAINTEXT://0.0.0.0:9092`: nobody connects
    // to every interface; an address there is where the program binds (advertised ones excepted).
    if (
      m.role === 'connect' &&
      m.host !== undefined &&
      m.host !== '' &&
      isWildcardHost(m.host) &&
      !advertised
    ) {
      m.role = 'listen';
    }
  }
  return dedupeMentions(mentions);
}

/** `/\s/` for one character, without the regex for the printable ASCII almost every value is made of. */
function isSpaceAt(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if (c > 32 && c < 127) {
    return false;
  }
  return c === Char.space || /\s/.test(text.charAt(at));
}

// Items of a value separated by commas or whitespace.
function listItems(body: string): TextRange[] {
  const items: TextRange[] = [];
  let s = 0;
  for (let i = 0; i <= body.length; i++) {
    const c = i < body.length ? body.charCodeAt(i) : 44;
    if (c === Char.comma || c === Char.space || c === Char.tab || c === Char.semicolon) {
      if (i > s) {
        items.push({ start: s, end: i });
      }
      s = i + 1;
    }
  }
  return items;
}

// A value made only of port specs (`8080`, `8080,8081`, `3000-3005`, `8080:80`, `${X:-8080}`).
// Returns undefined when the value is anything else, so the caller looks for addresses instead.
function portListMentions(
  body: string,
  offset: number,
  kind: FileKind,
  variable: string | undefined,
  portVariable: boolean,
): PortMention[] | undefined {
  const items = listItems(body);
  if (items.length === 0) {
    return undefined;
  }
  const mentions: PortMention[] = [];
  for (const item of items) {
    const dflt = readVariableDefault(body, item.start, item.end);
    if (dflt && dflt.end === item.end) {
      if (!portVariable && !isPortLikeName(dflt.variable)) {
        return undefined;
      }
      mentions.push({
        port: dflt.port,
        role: 'setting',
        kind,
        variable: dflt.variable,
        isDefault: true,
        range: { start: offset + dflt.range.start, end: offset + dflt.range.end },
      });
      continue;
    }
    if (!portVariable) {
      return undefined;
    }
    const spec = readPortSpec(body, item.start, item.end, true);
    if (spec && spec.end === item.end) {
      mentions.push(specMention(spec, offset, 'setting', kind, variable));
      continue;
    }
    // `8080:80` in a port variable: host side then container side.
    if (spec === undefined) {
      const colon = body.indexOf(':', item.start);
      if (colon > item.start && colon < item.end) {
        const left = readPortSpec(body, item.start, colon);
        const right = readPortSpec(body, colon + 1, item.end);
        if (left && left.end === colon && right && right.end === item.end) {
          const pub = specMention(left, offset, 'publish', kind, variable);
          const tgt = specMention(right, offset, 'target', kind, variable);
          pub.counterpart = counterpartOf(tgt);
          tgt.counterpart = counterpartOf(pub);
          if (right.protocol) {
            pub.protocol = right.protocol;
          }
          mentions.push(pub, tgt);
          continue;
        }
      }
    }
    return undefined;
  }
  return mentions;
}

function counterpartOf(m: PortMention): { port: number; portEnd?: number } {
  return m.portEnd !== undefined ? { port: m.port, portEnd: m.portEnd } : { port: m.port };
}
