// Ports inside configuration values, and the small recognizers every finder shares:
// port-like variable names, URLs, `host:port`, `${VAR:-8080}` defaults.
// All scanners here are hand-written single passes (no backtracking regexes), so hostile input
// costs time proportional to its length.

import { isWildcardHost } from '../model/host';
import { isValidPort, MAX_PORT } from '../model/port';
import { compareMentions, FileKind, PortMention, PortRole, Protocol, TextRange } from './mention';

/** Longest digit run read as a port: `99999` and `700000` are reported (rules flag them), a phone number is not. */
export const MAX_PORT_DIGITS = 6;

/** Words of an identifier: `DB_PORT` → [db, port], `httpPort` → [http, port], `server.port` → [server, port]. */
export function nameWords(name: string): readonly string[] {
  if (name.length > 128) {
    return splitName(name);
  }
  let words = wordsByName.get(name);
  if (words === undefined) {
    if (wordsByName.size >= WORDS_CACHE_LIMIT) {
      wordsByName.clear();
    }
    words = splitName(name);
    wordsByName.set(name, words);
  }
  return words;
}

// Names repeat across lines and files (`PORT`, `server.port`), and each is asked about up to three
// times per line; a bounded cache keeps the split to once per name without growing with a workspace.
const WORDS_CACHE_LIMIT = 4096;
const wordsByName = new Map<string, readonly string[]>();

function splitName(name: string): readonly string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

// A variable about a port but whose value is not one: `PORT_TIMEOUT=3000`, `PORT_COUNT=4`.
const NOT_A_PORT_WORDS = new Set([
  'timeout',
  'timeouts',
  'ttl',
  'retry',
  'retries',
  'count',
  'interval',
  'delay',
  'wait',
  'ms',
  'secs',
  'seconds',
  'enabled',
  'enable',
  'disable',
  'disabled',
  'name',
  'file',
  'path',
  'protocol',
  'proto',
  'type',
  'mode',
  'attempts',
  'size',
  'limit',
  'backlog',
  'policy',
  'label',
  'id',
  'index',
  'idx',
  // Ports that are not network ports: view ports, serial and I/O ports.
  'view',
  'viewport',
  'serial',
  'com',
  'usb',
  'gpio',
  'uart',
  'midi',
  'audio',
  'io',
]);

/**
 * True when a variable or key names a port: `PORT`, `DB_PORT`, `httpPort`, `server.port`, `ports`,
 * `PORT_HTTP`, `portNumber`. Words are split on case and punctuation, so `REPORT`, `SUPPORT`,
 * `TRANSPORT` and `export` are not ports, and a port word next to `timeout`/`count`/… is not either.
 */
export function isPortLikeName(name: string): boolean {
  let answer = portLikeByName.get(name);
  if (answer === undefined) {
    if (portLikeByName.size >= WORDS_CACHE_LIMIT) {
      portLikeByName.clear();
    }
    answer = judgePortLikeName(name);
    if (name.length <= 128) {
      portLikeByName.set(name, answer);
    }
  }
  return answer;
}

const portLikeByName = new Map<string, boolean>();

function judgePortLikeName(name: string): boolean {
  // A dotted key is a path: `dubbo.protocol.port` is the port of the protocol section, so only its
  // last segment is judged (`server.port` yes; `port.protocol`, `ports.length` no).
  const dot = name.lastIndexOf('.');
  if (dot > 0 && dot < name.length - 1 && judgePortLikeName(name.slice(dot + 1))) {
    return true;
  }
  const words = nameWords(name);
  const at = words.findIndex((w) => w === 'port' || w === 'ports');
  if (at < 0 || words.some((w) => NOT_A_PORT_WORDS.has(w))) {
    return false;
  }
  // `PORT_HTTP`, `portNumber`, `debugPortStart` name ports; `hasDebugPortAllocator`, `ports.length` do not.
  return words.slice(at + 1).every((w) => PORT_QUALIFIER_WORDS.has(w) || /^\d+$/.test(w));
}

// Words that may follow `port` in a name that is still a port: `PORT_HTTP`, `portRangeStart`.
const PORT_QUALIFIER_WORDS = new Set([
  'port',
  'ports',
  'number',
  'num',
  'no',
  'nr',
  'start',
  'end',
  'min',
  'max',
  'from',
  'to',
  'base',
  'range',
  'first',
  'last',
  'http',
  'https',
  'http2',
  'grpc',
  'tcp',
  'udp',
  'ssl',
  'tls',
  'admin',
  'debug',
  'internal',
  'external',
  'public',
  'private',
  'local',
  'remote',
  'host',
  'container',
  'target',
  'published',
  'publish',
  'mapping',
  'forward',
  'forwarded',
  'default',
  'value',
  'override',
  'main',
  'alt',
  'secure',
  'insecure',
  'plain',
  'web',
  'api',
  'metrics',
  'dev',
  'prod',
  'test',
  'listen',
  'bind',
  'server',
  'client',
  'proxy',
  'ui',
  'app',
  'management',
  'mgmt',
  'health',
  'status',
  'ws',
  'wss',
  'rpc',
  'raft',
  'gossip',
  'cluster',
  'peer',
  'data',
  'control',
  'dashboard',
  'console',
  'inspector',
  'node',
  'service',
  'svc',
  'offset',
  'env',
  'str',
  'string',
  'int',
]);

/** Variables whose `host:port` value is where the program binds, not where it connects. */
export function isListenLikeName(name: string): boolean {
  const words = nameWords(name).map((w) => w.toLowerCase());
  // Kafka's `listeners` bind; its `advertised.listeners` are what clients are told to connect to.
  return (
    words.some(
      (w) => w === 'listen' || w === 'bind' || w === 'listener' || w === 'listening' || w === 'listeners',
    ) && !words.some((w) => w === 'advertised' || w === 'advertise')
  );
}

// Values of these variables are addresses even when the host is a bare service name (`db:80`).
function isAddressLikeName(name: string): boolean {
  return nameWords(name).some((w) =>
    [
      'addr',
      'address',
      'addresses',
      'host',
      'hosts',
      'url',
      'uri',
      'urls',
      'server',
      'servers',
      'brokers',
      'broker',
      'endpoint',
      'endpoints',
      'dsn',
      'upstream',
      'target',
      'bind',
      'listen',
      'nodes',
      'peers',
      'seeds',
    ].includes(w),
  );
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Letters, digits, `_`: the characters of an identifier in most languages. */
export function isWordChar(c: number): boolean {
  return isAlpha(c) || isDigit(c) || c === 95;
}

function isHostChar(c: number): boolean {
  return isAlpha(c) || isDigit(c) || c === 95 || c === 45 || c === 46; // _ - .
}

/** End of the digit run starting at `at` (returns `at` when there is none). */
export function digitsEnd(text: string, at: number, limit = text.length): number {
  let i = at;
  while (i < limit && isDigit(text.charCodeAt(i))) {
    i++;
  }
  return i;
}

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
  if (allowNegative && text.charCodeAt(i) === 45 && isDigit(text.charCodeAt(i + 1))) {
    i++;
  }
  const firstEnd = digitsEnd(text, i, limit);
  if (firstEnd === i || firstEnd - i > MAX_PORT_DIGITS) {
    return undefined;
  }
  const port = Number(text.slice(at, firstEnd));
  let rangeEnd = firstEnd;
  let portEnd: number | undefined;
  if (text.charCodeAt(firstEnd) === 45 && firstEnd + 1 < limit) {
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
  if (text.charCodeAt(end) === 47 && end < limit) {
    const word = /^(tcp|udp|sctp)\b/i.exec(text.slice(end + 1, Math.min(limit, end + 6)));
    if (word) {
      protocol = word[1].toLowerCase() as Protocol;
      end += 1 + word[1].length;
    }
  }
  if (end < limit && /[\w.:-]/.test(text[end])) {
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
  if (text.charCodeAt(at) !== 36 || text.charCodeAt(at + 1) !== 123) {
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
  if (text.charCodeAt(i) === 58) {
    i++;
  }
  if (text.charCodeAt(i) !== 45 && text.charCodeAt(i) !== 61) {
    return undefined;
  }
  i++;
  const end = digitsEnd(text, i, limit);
  if (end === i || end - i > MAX_PORT_DIGITS || text.charCodeAt(end) !== 125) {
    return undefined;
  }
  return { variable, port: Number(text.slice(i, end)), range: { start: i, end }, end: end + 1 };
}

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
    c === 47 ||
    c === 63 ||
    c === 35 ||
    c === 34 ||
    c === 39 ||
    c === 96 ||
    c === 60 ||
    c === 62 ||
    c === 92 ||
    c === 41 ||
    c === 59 ||
    c === 124 ||
    c === 127
  );
}

function isSchemeChar(c: number): boolean {
  return isAlpha(c) || isDigit(c) || c === 43 || c === 45 || c === 46;
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
      if (c === 123) {
        braces++;
      } else if (c === 125 && braces > 0) {
        braces--;
      } else if (c === 91) {
        bracket = true;
      } else if (c === 93) {
        if (!bracket) {
          break;
        }
        bracket = false;
      } else if (braces === 0 && !bracket && c === 58 && segment.startsWith('//', end + 1)) {
        // A list of URLs (`PLAINTEXT://a:29092,OUTSIDE://b:9092`): this authority ends at the comma
        // before the next scheme, which the outer loop then reads as a URL of its own.
        let comma = end;
        while (comma > sep + 3 && segment.charCodeAt(comma) !== 44) {
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
      if (segment.charCodeAt(k) === 64) {
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
      if (c === 123) {
        depth++;
      } else if (c === 125) {
        depth--;
      }
      if (i === end || (c === 44 && depth <= 0)) {
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
  if (text.charCodeAt(start) === 91) {
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
      if (c === 123) {
        braces++;
      } else if (c === 125) {
        braces--;
      } else if (c === 58 && braces <= 0) {
        break;
      }
      hostEnd++;
    }
    host = text.slice(start, hostEnd);
  }
  if (text.charCodeAt(hostEnd) !== 58 || hostEnd + 1 >= end) {
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
      next === 45 ||
      next === 64 ||
      ((next === 58 || next === 46) && isDigit(segment.charCodeAt(portEnd + 1)))
    ) {
      continue;
    }
    const port = Number(segment.slice(colon + 1, portEnd));
    const range = { start: base + colon + 1, end: base + portEnd };
    if (sep === 35) {
      // dnsmasq and Pi-hole write `172.20.0.2#5054`; only an IPv4 address before `#` reads that way.
      let s = colon;
      while (
        s > 0 &&
        colon - s < 15 &&
        (isDigit(segment.charCodeAt(s - 1)) || segment.charCodeAt(s - 1) === 46)
      ) {
        s--;
      }
      const host = segment.slice(s, colon);
      if (isIPv4(host) && !isHostChar(s > 0 ? segment.charCodeAt(s - 1) : 32)) {
        found.push({ port, range, host, form: 'hostPort' });
      }
      continue;
    }
    if (segment.charCodeAt(colon - 1) === 93) {
      // A bounded look-back: `]:1]:1]:1…` with no `[` must not make this quadratic.
      let open = colon - 2;
      while (open >= 0 && colon - open <= 64 && segment.charCodeAt(open) !== 91) {
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
    while (start < colon && (segment.charCodeAt(start) === 45 || segment.charCodeAt(start) === 46)) {
      start++;
    }
    const before = start > 0 ? segment.charCodeAt(start - 1) : -1;
    if (start === colon) {
      // `":8080"`: Go and friends mean every interface. Only inside quotes, else `a ? b :8080` would match.
      if ((before === 34 || before === 39 || before === 96) && next === before && port <= 999999) {
        found.push({ port, range, form: 'colonPort' });
      }
      continue;
    }
    // A host inside a path, a chain (`a:b:80`), a variable (`$x:80`), or an IPv6 tail is not a host.
    if (
      before === 47 ||
      before === 92 ||
      before === 58 ||
      before === 36 ||
      before === 37 ||
      before === 35 ||
      before === 126
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
    const last = labels[labels.length - 1];
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
      const wholeString = (open === 34 || open === 39 || open === 96) && segment.charCodeAt(portEnd) === open;
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
      return (open === 34 || open === 39 || open === 96) && segment.charCodeAt(portEnd) === open;
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

/** Appends without spreading: `push(...items)` overflows the call stack on huge inputs. */
export function pushAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) {
    target.push(item);
  }
}

/** Drops mentions whose range repeats an earlier one's and sorts the rest by position. */
export function dedupeMentions(mentions: PortMention[]): PortMention[] {
  // The sort is stable, so of mentions at the same characters the first found leads its run of
  // neighbours and is the one kept; line-by-line finders hand it arrays already in order.
  const sorted = mentions.slice().sort(compareMentions);
  const kept: PortMention[] = [];
  for (const m of sorted) {
    const last = kept[kept.length - 1];
    if (last === undefined || last.range.start !== m.range.start || last.range.end !== m.range.end) {
      kept.push(m);
    }
  }
  return kept;
}

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
    if (m && m[1].toLowerCase() !== 'localhost') {
      const digits = m[2];
      if (singleLabel === 'long-port' && digits.length < 3) {
        continue;
      }
      const s = offset + item.start + m[1].length + 1;
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
        range: { start: s, end: s + colon[1].length },
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
  return c === 32 || /\s/.test(text[at]);
}

// Items of a value separated by commas or whitespace.
function listItems(body: string): TextRange[] {
  const items: TextRange[] = [];
  let s = 0;
  for (let i = 0; i <= body.length; i++) {
    const c = i < body.length ? body.charCodeAt(i) : 44;
    if (c === 44 || c === 32 || c === 9 || c === 59) {
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

/** One line of a text without its `\n` or `\r\n`; `start` is its offset in the whole text. */
export interface TextLine {
  text: string;
  start: number;
}

/** Splits into lines, keeping exact offsets for `\n`, `\r\n` and lone `\r` endings. */
export function splitLines(text: string): TextLine[] {
  const lines: TextLine[] = [];
  let start = 0;
  if (text.indexOf('\r') < 0) {
    // The common case, with the engine's own search for the breaks.
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
      lines.push({ text: text.slice(start, i), start });
      start = i + 1;
    }
    lines.push({ text: text.slice(start), start });
    return lines;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      lines.push({ text: text.slice(start, i), start });
      if (c === 13 && text.charCodeAt(i + 1) === 10) {
        i++;
      }
      start = i + 1;
    }
  }
  lines.push({ text: text.slice(start), start });
  return lines;
}
