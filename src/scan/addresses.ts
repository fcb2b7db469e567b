// Ports in addresses: URLs (`redis://h:6379`) and `host:port`, with how far to trust a bare
// one-label host. Single passes, no backtracking regexes: hostile input costs linear time.
import { isValidPort, MAX_PORT } from '../model/port';
import { Char, digitsEnd, isAlpha, isDigit, isHostChar, isWordChar } from './chars';
import { type FileKind, type PortMention, type PortRole, type TextRange } from './mention';
import { MAX_PORT_DIGITS, readVariableDefault } from './portSpec';

/** A port found in an address: a URL (`redis://h:6379`) or `host:port`. */
export interface AddressPort {
  port: number;
  range: TextRange;
  host?: string;
  scheme?: string;
  variable?: string;
  isDefault?: boolean;
  /** `url` has a scheme; `hostPort` is `host:port`; `colonPort` is Go's `:8080` (all interfaces). */
  form: 'url' | 'hostPort' | 'colonPort';
}

// Characters that end a URL authority in text: whitespace, path/query/fragment, quotes, markup.
function endsAuthority(c: number): boolean {
  return (
    c <= 32 ||
    c === Char.slash ||
    c === Char.question ||
    c === Char.hash ||
    c === Char.doubleQuote ||
    c === Char.singleQuote ||
    c === Char.backtick ||
    c === Char.lessThan ||
    c === Char.greaterThan ||
    c === Char.backslash ||
    c === Char.closeParen ||
    c === Char.semicolon ||
    c === Char.pipe ||
    c === Char.delete
  );
}

function isSchemeChar(c: number): boolean {
  return isAlpha(c) || isDigit(c) || c === Char.plus || c === Char.hyphen || c === Char.dot;
}

/**
 * Ports of every `scheme://…` URL in `segment` (offsets shifted by `base`), including userinfo
 * (`postgres://u:p@db:5432`), bracketed IPv6 (`ws://[::1]:8765`), JDBC (`jdbc:postgresql://h:5432`,
 * scheme `postgresql`), multi-host (`mongodb://a:27017,b:27018`) and `${VAR:-5432}` ports.
 * A `:80b` in the path is never read: only the authority is.
 */
export function findUrlPorts(segment: string, base = 0): AddressPort[] {
  const found: AddressPort[] = [];
  let from = 0;
  for (;;) {
    const sep = segment.indexOf('://', from);
    if (sep < 0) {
      break;
    }
    from = sep + 3;
    let s = sep;
    while (s > 0 && isSchemeChar(segment.charCodeAt(s - 1)) && sep - s < 32) {
      s--;
    }
    while (s < sep && !isAlpha(segment.charCodeAt(s))) {
      s++;
    }
    if (s === sep) {
      continue;
    }
    const scheme = segment.slice(s, sep).toLowerCase();
    // The authority: stops at the path, query, fragment, whitespace or a quote; `${…}` may hold anything.
    let end = sep + 3;
    let braces = 0;
    let bracket = false;
    while (end < segment.length) {
      const c = segment.charCodeAt(end);
      if (c === Char.openBrace) {
        braces++;
      } else if (c === Char.closeBrace && braces > 0) {
        braces--;
      } else if (c === Char.openBracket) {
        bracket = true;
      } else if (c === Char.closeBracket) {
        if (!bracket) {
          break;
        }
        bracket = false;
      } else if (braces === 0 && !bracket && c === Char.colon && segment.startsWith('//', end + 1)) {
        // A list of URLs (`PLAINTEXT://a:29092,OUTSIDE://b:9092`): this authority ends at the comma
        // before the next scheme, which the outer loop then reads as a URL of its own.
        let comma = end;
        while (comma > sep + 3 && segment.charCodeAt(comma) !== Char.comma) {
          comma--;
        }
        end = comma > sep + 3 ? comma : end;
        break;
      } else if (braces === 0 && !bracket && endsAuthority(c)) {
        break;
      }
      end++;
    }
    let hostsStart = sep + 3;
    // Userinfo ends at the last `@` of the authority (passwords may hold `:`); never look past it.
    for (let k = end - 1; k >= hostsStart; k--) {
      if (segment.charCodeAt(k) === Char.at) {
        hostsStart = k + 1;
        break;
      }
    }
    let partStart = hostsStart;
    // Braces opened since the part began: a comma inside `${…}` does not split hosts. Counted as
    // the loop goes, so an unclosed `{` costs one pass, not one per comma.
    let depth = 0;
    for (let i = hostsStart; i <= end; i++) {
      const c = i < end ? segment.charCodeAt(i) : -1;
      if (c === Char.openBrace) {
        depth++;
      } else if (c === Char.closeBrace) {
        depth--;
      }
      if (i === end || (c === Char.comma && depth <= 0)) {
        depth = 0;
        const address = readAuthorityHostPort(segment, partStart, i);
        if (address) {
          address.scheme = scheme;
          address.form = 'url';
          shift(address, base);
          found.push(address);
        }
        partStart = i + 1;
      }
    }
    from = Math.max(from, end);
  }
  return found;
}

function shift(address: AddressPort, base: number): void {
  address.range = { start: address.range.start + base, end: address.range.end + base };
}

// `host:port`, `[v6]:port`, `:port`, `host:${VAR:-5432}` spanning exactly [start, end).
function readAuthorityHostPort(text: string, start: number, end: number): AddressPort | undefined {
  let hostEnd: number;
  let host: string;
  if (text.charCodeAt(start) === Char.openBracket) {
    const close = text.indexOf(']', start);
    if (close < 0 || close >= end) {
      return undefined;
    }
    host = text.slice(start + 1, close);
    hostEnd = close + 1;
  } else {
    hostEnd = start;
    let braces = 0;
    while (hostEnd < end) {
      const c = text.charCodeAt(hostEnd);
      if (c === Char.openBrace) {
        braces++;
      } else if (c === Char.closeBrace) {
        braces--;
      } else if (c === Char.colon && braces <= 0) {
        break;
      }
      hostEnd++;
    }
    host = text.slice(start, hostEnd);
  }
  if (text.charCodeAt(hostEnd) !== Char.colon || hostEnd + 1 >= end) {
    return undefined;
  }
  const portAt = hostEnd + 1;
  const withHost = (a: AddressPort): AddressPort => {
    if (host.length > 0) {
      a.host = host;
    }
    return a;
  };
  const dflt = readVariableDefault(text, portAt, end);
  if (dflt && dflt.end === end) {
    return withHost({
      port: dflt.port,
      range: dflt.range,
      variable: dflt.variable,
      isDefault: true,
      form: 'url',
    });
  }
  const digits = digitsEnd(text, portAt, end);
  if (digits !== end || digits === portAt || digits - portAt > MAX_PORT_DIGITS) {
    return undefined;
  }
  return withHost({
    port: Number(text.slice(portAt, digits)),
    range: { start: portAt, end: digits },
    form: 'url',
  });
}

// Last labels that make `name.ext:12` a file position (stack traces, compiler output), not a host.
const FILE_EXTENSIONS = new Set([
  'js',
  'mjs',
  'cjs',
  'ts',
  'mts',
  'cts',
  'tsx',
  'jsx',
  'py',
  'pyc',
  'go',
  'rs',
  'java',
  'kt',
  'kts',
  'scala',
  'c',
  'h',
  'cc',
  'cpp',
  'hpp',
  'cxx',
  'cs',
  'fs',
  'rb',
  'php',
  'swift',
  'm',
  'mm',
  'lua',
  'pl',
  'pm',
  'ex',
  'exs',
  'erl',
  'hs',
  'clj',
  'dart',
  'vue',
  'svelte',
  'json',
  'yaml',
  'yml',
  'toml',
  'ini',
  'xml',
  'html',
  'htm',
  'css',
  'scss',
  'less',
  'md',
  'txt',
  'log',
  'sh',
  'bash',
  'zsh',
  'ps1',
  'sql',
  'conf',
  'cfg',
  'env',
  'lock',
  'map',
  'class',
  'jar',
  'groovy',
  'gradle',
  'tf',
  'proto',
  'r',
  'jl',
  'nim',
  'zig',
  'v',
  'sv',
  'vb',
  'asm',
  's',
  'o',
  'so',
  'dll',
  'exe',
]);

/** How much to trust `name:port` when the host is one bare label like `db` (not `localhost`, not dotted). */
export type SingleLabelHosts =
  /** Never: in code `{timeout:3000}` looks just like `db:3000`. */
  | 'never'
  /**
   * Only as a whole string literal (`"db:5432"`) with a port of 4+ digits, which keeps image tags
   * (`postgres:16`, `node:20`) and cache keys (`'user:123'`) out.
   */
  | 'long-port'
  /** Always (1+ digits): the value is known to be an address (`REDIS_ADDR=redis:6379`, `db:80`). */
  | 'always';

export interface HostPortOptions {
  singleLabel: SingleLabelHosts;
  /**
   * `known-tld` accepts a dotted host outside a whole string literal only when its last label
   * is two letters or a common TLD, so minified `n.length:1` (a ternary) is no host.
   * Default `any`: in config values `redis.default:6379` (Kubernetes DNS) is a host.
   */
  dottedHosts?: 'any' | 'known-tld';
}

// Last labels of dotted hosts seen in code: generic TLDs and private-network suffixes.
const COMMON_TLDS = new Set([
  'com',
  'net',
  'org',
  'edu',
  'gov',
  'mil',
  'int',
  'io',
  'ai',
  'app',
  'dev',
  'cloud',
  'info',
  'biz',
  'xyz',
  'tech',
  'site',
  'online',
  'local',
  'internal',
  'lan',
  'home',
  'corp',
  'test',
  'example',
  'invalid',
  'localhost',
  'localdomain',
  'svc',
  'cluster',
  'arpa',
  'onion',
  'host',
  'zone',
  'network',
  'services',
  'run',
  'page',
  'pro',
  'name',
  'global',
  'intranet',
  'private',
  'consul',
  'docker',
  'nip',
  'sslip',
  'amazonaws',
  'azure',
  'windows',
]);

function isIPv4(host: string): boolean {
  const parts = host.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/**
 * `host:port` without a scheme in `segment` (offsets shifted by `base`): `localhost:5432`,
 * `127.0.0.1:6379`, `[::1]:8080`, `api.example.com:443`, dnsmasq's `172.20.0.2#5054`, and bare
 * labels as `options` allow.
 * Rejected by design: times and ratios (`12:30:45`, `16:9`), file positions (`file.ts:1234:5`,
 * `app.py:12`), path segments (`/x/a:80`), unbracketed IPv6, MACs, image tags (`postgres:16`),
 * and any `a:1:2` chain. URLs are left to {@link findUrlPorts}.
 */
export function findHostPorts(segment: string, base: number, options: HostPortOptions): AddressPort[] {
  const found: AddressPort[] = [];
  let nextColon = segment.indexOf(':');
  let nextHash = segment.indexOf('#');
  // Only `:` and `#` can separate a host from a port; jump from one to the next.
  for (let colon = 0; ; colon++) {
    if (nextColon >= 0 && nextColon < colon) {
      nextColon = segment.indexOf(':', colon);
    }
    if (nextHash >= 0 && nextHash < colon) {
      nextHash = segment.indexOf('#', colon);
    }
    if (nextColon < 0 && nextHash < 0) {
      break;
    }
    colon = nextColon < 0 ? nextHash : nextHash < 0 ? nextColon : Math.min(nextColon, nextHash);
    const sep = segment.charCodeAt(colon);
    const portEnd = digitsEnd(segment, colon + 1);
    if (portEnd === colon + 1 || portEnd - colon - 1 > MAX_PORT_DIGITS) {
      continue;
    }
    const next = segment.charCodeAt(portEnd);
    // After the port: a path, a quote, punctuation, the end. Not `:12` (a chain), not `.5`, not letters.
    if (
      isWordChar(next) ||
      next === Char.hyphen ||
      next === Char.at ||
      ((next === Char.colon || next === Char.dot) && isDigit(segment.charCodeAt(portEnd + 1)))
    ) {
      continue;
    }
    const port = Number(segment.slice(colon + 1, portEnd));
    const range = { start: base + colon + 1, end: base + portEnd };
    if (sep === Char.hash) {
      // dnsmasq and Pi-hole write `172.20.0.2#5054`; only an IPv4 address before `#` reads that way.
      let s = colon;
      while (
        s > 0 &&
        colon - s < 15 &&
        (isDigit(segment.charCodeAt(s - 1)) || segment.charCodeAt(s - 1) === Char.dot)
      ) {
        s--;
      }
      const host = segment.slice(s, colon);
      if (isIPv4(host) && !isHostChar(s > 0 ? segment.charCodeAt(s - 1) : 32)) {
        found.push({ port, range, host, form: 'hostPort' });
      }
      continue;
    }
    if (segment.charCodeAt(colon - 1) === Char.closeBracket) {
      // A bounded look-back: `]:1]:1]:1…` with no `[` must not make this quadratic.
      let open = colon - 2;
      while (open >= 0 && colon - open <= 64 && segment.charCodeAt(open) !== Char.openBracket) {
        open--;
      }
      if (open < 0 || colon - open > 64) {
        continue;
      }
      const host = segment.slice(open + 1, colon - 1);
      if (/^[0-9A-Fa-f:.%a-z]+$/.test(host) && host.includes(':')) {
        found.push({ port, range, host, form: 'hostPort' });
      }
      continue;
    }
    let start = colon;
    while (start > 0 && colon - start < 255 && isHostChar(segment.charCodeAt(start - 1))) {
      start--;
    }
    while (
      start < colon &&
      (segment.charCodeAt(start) === Char.hyphen || segment.charCodeAt(start) === Char.dot)
    ) {
      start++;
    }
    const before = start > 0 ? segment.charCodeAt(start - 1) : -1;
    if (start === colon) {
      // `":8080"`: Go and friends mean every interface. Only inside quotes, else `a ? b :8080` would match.
      if (
        (before === Char.doubleQuote || before === Char.singleQuote || before === Char.backtick) &&
        next === before &&
        port <= 999999
      ) {
        found.push({ port, range, form: 'colonPort' });
      }
      continue;
    }
    // A host inside a path, a chain (`a:b:80`), a variable (`$x:80`), or an IPv6 tail is not a host.
    if (
      before === Char.slash ||
      before === Char.backslash ||
      before === Char.colon ||
      before === Char.dollar ||
      before === Char.percent ||
      before === Char.hash ||
      before === Char.tilde
    ) {
      continue;
    }
    const host = segment.slice(start, colon);
    if (!isPlausibleHost(host, port, portEnd - colon - 1, options, segment, start, portEnd)) {
      continue;
    }
    found.push({ port, range, host, form: 'hostPort' });
  }
  return found;
}

function isPlausibleHost(
  host: string,
  port: number,
  digitCount: number,
  options: HostPortOptions,
  segment: string,
  start: number,
  portEnd: number,
): boolean {
  if (isIPv4(host)) {
    return true;
  }
  if (!/[A-Za-z]/.test(host) || host.includes('..')) {
    return false;
  }
  const lower = host.toLowerCase();
  if (lower === 'localhost') {
    return true;
  }
  const labels = lower.split('.');
  if (labels.length > 1) {
    const last = labels[labels.length - 1]!;
    if (!/^[a-z][a-z0-9-]*$/.test(last) || FILE_EXTENSIONS.has(last) || labels.some((l) => l.length === 0)) {
      return false;
    }
    // Numeric labels mixed with names (`v1.2.x`) read as versions.
    if (
      labels.slice(0, -1).some((l) => /^\d+$/.test(l)) &&
      !lower.endsWith('.nip.io') &&
      !lower.endsWith('.sslip.io')
    ) {
      return false;
    }
    if (options.dottedHosts === 'known-tld' && last.length !== 2 && !COMMON_TLDS.has(last)) {
      const open = segment.charCodeAt(start - 1);
      const wholeString =
        (open === Char.doubleQuote || open === Char.singleQuote || open === Char.backtick) &&
        segment.charCodeAt(portEnd) === open;
      if (!wholeString) {
        return false;
      }
    }
    return isValidPort(port);
  }
  switch (options.singleLabel) {
    case 'never':
      return false;
    case 'always':
      return port <= MAX_PORT;
    case 'long-port': {
      if (digitCount < 4 || port > MAX_PORT) {
        return false;
      }
      // Inside code, a bare label only counts as the whole of a string literal: `"db:5432"`.
      const open = segment.charCodeAt(start - 1);
      return (
        (open === Char.doubleQuote || open === Char.singleQuote || open === Char.backtick) &&
        segment.charCodeAt(portEnd) === open
      );
    }
  }
}

/**
 * URLs first, then `host:port` where no URL already claimed the characters; sorted by position.
 */
export function findAddressPorts(segment: string, base: number, options: HostPortOptions): AddressPort[] {
  const urls = findUrlPorts(segment, base);
  if (urls.length === 0) {
    // Already in order of their start.
    return findHostPorts(segment, base, options);
  }
  const all = [...urls];
  // Both finders report the same digits for a URL's port, so the start offset identifies it.
  const claimed = new Set(urls.map((u) => u.range.start));
  for (const hp of findHostPorts(segment, base, options)) {
    if (!claimed.has(hp.range.start)) {
      all.push(hp);
    }
  }
  return all.sort((a, b) => a.range.start - b.range.start);
}

/** Turns an address into a mention with the given role and kind. */
export function addressMention(address: AddressPort, role: PortRole, kind: FileKind): PortMention {
  const mention: PortMention = { port: address.port, role, kind, range: address.range };
  if (address.host !== undefined) {
    mention.host = address.host;
  }
  if (address.scheme !== undefined) {
    mention.scheme = address.scheme;
  }
  if (address.variable !== undefined) {
    mention.variable = address.variable;
  }
  if (address.isDefault) {
    mention.isDefault = true;
  }
  return mention;
}
