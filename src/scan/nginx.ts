// nginx configuration: `listen` (with its server block's names and flags, which the conflict rule
// needs), and the upstream addresses nginx connects to (`proxy_pass`, `fastcgi_pass`, `upstream`
// servers, ...). Read through a tokenizer that knows nginx's syntax, so comments, quoted strings and
// numbers such as `worker_connections 1024` never become ports.

import { logFailure } from '../model/log';
import { compareMentions } from './mention';
import type { NginxListenContext, PortMention, Protocol, TextRange } from './mention';
import { Char } from './chars';

interface Word {
  /** The word with quotes removed and escapes applied. */
  value: string;
  /** Source offset of each character of `value`; absent when the word is written as is from `start`. */
  offsets?: number[];
  start: number;
}

interface Directive {
  name: string;
  nameStart: number;
  args: Word[];
  block?: Directive[];
}

type Token = { kind: 'word'; word: Word } | { kind: ';' | '{' | '}'; at: number };

function* tokenize(text: string): Generator<Token> {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n' || ch === '\f') {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < n && text[i] !== '\n') {
        i++;
      }
      continue;
    }
    if (ch === ';' || ch === '{' || ch === '}') {
      yield { kind: ch, at: i };
      i++;
      continue;
    }
    const start = i;
    // Most words have no quotes, escapes or `${`: slice them instead of building them up per
    // character (a 20 MB generated config was 5 s of string and array growth).
    const plainEnd = plainWordEnd(text, i);
    if (plainEnd > i) {
      i = plainEnd;
      yield { kind: 'word', word: { value: text.slice(start, plainEnd), start } };
      continue;
    }
    let value = '';
    const offsets: number[] = [];
    if (ch === '"' || ch === "'") {
      const quote = ch;
      i++;
      while (i < n && text[i] !== quote) {
        if (text[i] === '\\' && i + 1 < n) {
          const next = text.charAt(i + 1);
          const escaped = next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next;
          // nginx keeps the backslash of escapes it does not know.
          if ('"\'\\ntr'.includes(next)) {
            value += escaped;
            offsets.push(i + 1);
          } else {
            value += '\\' + next;
            offsets.push(i, i + 1);
          }
          i += 2;
          continue;
        }
        value += text[i];
        offsets.push(i);
        i++;
      }
      i++; // the closing quote (or the end of an unterminated string)
      yield { kind: 'word', word: { value, offsets, start } };
      continue;
    }
    while (i < n) {
      const c = text[i];
      if (
        c === ' ' ||
        c === '\t' ||
        c === '\r' ||
        c === '\n' ||
        c === '\f' ||
        c === ';' ||
        c === '{' ||
        c === '}'
      ) {
        break;
      }
      if (c === '$' && text[i + 1] === '{') {
        // `${var}` is part of the word; its braces do not open a block.
        const close = text.indexOf('}', i);
        const stop = close < 0 ? n : close + 1;
        for (let k = i; k < stop; k++) {
          value += text[k];
          offsets.push(k);
        }
        i = stop;
        continue;
      }
      if (c === '\\' && i + 1 < n) {
        value += text[i + 1];
        offsets.push(i + 1);
        i += 2;
        continue;
      }
      value += c;
      offsets.push(i);
      i++;
    }
    yield { kind: 'word', word: { value, offsets, start } };
  }
}

/**
 * End of a word made only of ordinary characters, or `at` when the word needs the careful path
 * (it starts with a quote, or holds a backslash or `${` before its end).
 */
function plainWordEnd(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === Char.doubleQuote || first === Char.singleQuote) {
    return at;
  }
  let i = at;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (
      c === Char.space ||
      c === Char.tab ||
      c === Char.carriageReturn ||
      c === Char.lineFeed ||
      c === Char.formFeed ||
      c === Char.semicolon ||
      c === Char.openBrace ||
      c === Char.closeBrace
    ) {
      break;
    }
    if (c === Char.backslash || (c === Char.dollar && text.charCodeAt(i + 1) === Char.openBrace)) {
      return at;
    }
  }
  return i;
}

/** Directives as a tree; unbalanced braces close at the end of the text instead of failing. */
function parseDirectives(text: string): Directive[] {
  const root: Directive[] = [];
  const stack: Directive[][] = [root];
  let words: Word[] = [];
  const finish = (block: Directive[] | undefined): Directive | undefined => {
    if (words.length === 0) {
      return undefined;
    }
    const name = words[0]!;
    // Only a few directives' arguments are ever read; not keeping the rest spares big generated
    // configs (deny lists, maps) most of their memory.
    const args = ARGUMENTS_READ.has(name.value) || PASS_DIRECTIVES.has(name.value) ? words.slice(1) : [];
    const directive: Directive = { name: name.value, nameStart: name.start, args };
    if (block) {
      directive.block = block;
    }
    stack[stack.length - 1]!.push(directive);
    words = [];
    return directive;
  };
  for (const token of tokenize(text)) {
    if (token.kind === 'word') {
      words.push(token.word);
    } else if (token.kind === ';') {
      finish(undefined);
    } else if (token.kind === '{') {
      const block: Directive[] = [];
      if (finish(block)) {
        stack.push(block);
      } else {
        // A bare `{`: keep its contents reachable rather than dropping them.
        stack.push(stack[stack.length - 1]!);
      }
    } else {
      finish(undefined);
      if (stack.length > 1) {
        stack.pop();
      }
    }
  }
  finish(undefined);
  return root;
}

interface WalkContext {
  /** Inside `stream { }`, where listen defaults differ and `proxy_pass` takes a bare address. */
  stream: boolean;
  /** Inside `stream { }` or `mail { }`, where a server must say its port: nothing is implied. */
  portRequired: boolean;
  server?: { at: number; names: string[]; ssl: boolean };
  /** The file's `upstream` blocks by name, with their servers that have a port. */
  upstreams: ReadonlyMap<string, UpstreamServer[]>;
}

interface UpstreamServer {
  host: string;
  port: number;
  /** The characters of the port in the `server` line. */
  range?: TextRange;
}

/** nginx's port when a `listen` gives only an address, or a server block has no `listen` (as root). */
export const NGINX_IMPLIED_PORT = 80;

const PASS_DIRECTIVES = new Set([
  'proxy_pass',
  'fastcgi_pass',
  'uwsgi_pass',
  'scgi_pass',
  'grpc_pass',
  'memcached_pass',
]);

const ARGUMENTS_READ = new Set(['listen', 'server', 'server_name', 'ssl', 'resolver', 'upstream', 'include']);

const TABLE_BLOCKS = new Set(['map', 'geo', 'split_clients', 'types', 'charset_map', 'match']);

/** The last text parsed and its directives: the index asks for a file's facts right after its mentions. */
let lastParse: { text: string; directives: Directive[] } | undefined;

/** Larger texts are parsed again rather than keeping their tree alive. */
const PARSE_KEPT_BELOW = 1_000_000;

function parsed(text: string): Directive[] {
  if (lastParse?.text === text) {
    return lastParse.directives;
  }
  const directives = parseDirectives(text);
  lastParse = text.length < PARSE_KEPT_BELOW ? { text, directives } : undefined;
  return directives;
}

export function findNginxPorts(text: string): PortMention[] {
  const mentions: PortMention[] = [];
  try {
    const directives = parsed(text);
    const upstreams = new Map<string, UpstreamServer[]>();
    collectUpstreams(directives, upstreams, 0);
    walk(directives, { stream: false, portRequired: false, upstreams }, false, mentions);
  } catch (error) {
    // Never break the caller; keep what was found.
    logFailure('the nginx finder', error);
  }
  return mentions.sort(compareMentions);
}

/** An `include` as written: nginx reads the files it names in its place. */
export interface NginxInclude {
  /** The path or glob, quotes removed: `conf.d/*.conf`, `/etc/nginx/sites-enabled/*`. */
  path: string;
  range: TextRange;
  /** The blocks around it, outermost first: `['http']`, `['http', 'server']`; `[]` at the top of the file. */
  context: string[];
}

/** An `upstream NAME { ... }` block, with its servers that have a port. */
export interface NginxUpstream {
  name: string;
  /** The characters of the name. */
  range: TextRange;
  /** Written inside `stream { }` (a stream upstream serves only stream passes). */
  stream: boolean;
  servers: Array<{ host: string; port: number; range?: TextRange }>;
}

/** `proxy_pass http://NAME` (or another `*_pass`) naming no port and no upstream of its own file. */
export interface NginxNamedPass {
  name: string;
  /** The characters of the name. */
  range: TextRange;
  scheme?: string;
  stream: boolean;
  /** Rules a `portolan-ignore` comment silences on its line (set by whoever applies ignore comments). */
  suppressed?: string[];
}

/** What an nginx file tells about the files it reads with others: its includes, upstreams and passes by name. */
export interface NginxFacts {
  includes: NginxInclude[];
  upstreams: NginxUpstream[];
  namedPasses: NginxNamedPass[];
}

/** Includes at most this many per file are kept (a generated config may hold thousands). */
const MAX_FACTS = 2000;

/** The file's include, upstream and named-pass facts; undefined when it has none. Never throws. */
export function nginxFactsOf(text: string): NginxFacts | undefined {
  if (!text.includes('include') && !text.includes('upstream') && !text.includes('_pass')) {
    return undefined;
  }
  const facts: NginxFacts = { includes: [], upstreams: [], namedPasses: [] };
  try {
    const directives = parsed(text);
    const upstreams = new Map<string, UpstreamServer[]>();
    collectUpstreams(directives, upstreams, 0);
    collectFacts(directives, [], upstreams, facts, 0);
  } catch (error) {
    logFailure('the nginx include reader', error);
  }
  return facts.includes.length + facts.upstreams.length + facts.namedPasses.length > 0 ? facts : undefined;
}

function collectFacts(
  directives: Directive[],
  context: string[],
  ownUpstreams: ReadonlyMap<string, UpstreamServer[]>,
  out: NginxFacts,
  depth: number,
): void {
  const stream = context.includes('stream');
  for (const directive of directives) {
    const { name, block, args } = directive;
    if (block) {
      if (TABLE_BLOCKS.has(name) || depth >= MAX_BLOCK_DEPTH) {
        continue;
      }
      const upstreamName = args[0];
      if (name === 'upstream' && upstreamName && out.upstreams.length < MAX_FACTS) {
        const range = wordRange(upstreamName, 0, upstreamName.value.length);
        if (range) {
          out.upstreams.push({
            name: upstreamName.value,
            range,
            stream,
            servers: ownUpstreams.get(upstreamName.value) ?? [],
          });
        }
        continue;
      }
      collectFacts(block, [...context, name], ownUpstreams, out, depth + 1);
      continue;
    }
    const first = args[0];
    if (!first || out.includes.length + out.namedPasses.length >= MAX_FACTS) {
      continue;
    }
    if (name === 'include') {
      const range = wordRange(first, 0, first.value.length);
      if (range && first.value !== '' && !first.value.includes('$')) {
        out.includes.push({ path: first.value, range, context: [...context] });
      }
    } else if (PASS_DIRECTIVES.has(name)) {
      const pass = namedPass(first, stream);
      if (pass && !ownUpstreams.has(pass.name)) {
        out.namedPasses.push(pass);
      }
    }
  }
}

/** `http://backend`, `http://backend/path`, `backend` (stream): a name with no port and no variable. */
function namedPass(word: Word, stream: boolean): NginxNamedPass | undefined {
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(word.value);
  if (!schemeMatch && !stream) {
    return undefined;
  }
  const skip = schemeMatch ? schemeMatch[0].length : 0;
  const rest = word.value.slice(skip);
  const authorityEnd = rest.search(/[/?]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(authority) || /^[\d.]+$/.test(authority)) {
    return undefined;
  }
  const range = wordRange(word, skip, skip + authority.length);
  if (!range) {
    return undefined;
  }
  const pass: NginxNamedPass = { name: authority, range, stream };
  if (schemeMatch) {
    pass.scheme = schemeMatch[1]!.toLowerCase();
  }
  return pass;
}

/** Real configurations nest a handful of blocks; deeper ones are hostile and not walked (no stack overflow). */
const MAX_BLOCK_DEPTH = 100;

function walk(
  directives: Directive[],
  context: WalkContext,
  inUpstream: boolean,
  out: PortMention[],
  depth = 0,
): void {
  for (const directive of directives) {
    const { name, block } = directive;
    if (block) {
      if (TABLE_BLOCKS.has(name) || depth >= MAX_BLOCK_DEPTH) {
        // Lines in a table are keys and values, not directives: `server 8080;` in a map is no upstream.
        continue;
      }
      if (name === 'server' && !inUpstream) {
        const server = describeServer(directive, block);
        walk(block, { ...context, server }, false, out, depth + 1);
        if (!context.portRequired && !block.some((d) => d.name === 'listen' || d.name === 'include')) {
          // No listen (and no include that might hold one): nginx serves the block on *:80.
          out.push({
            port: NGINX_IMPLIED_PORT,
            role: 'listen',
            kind: 'nginx',
            protocol: 'tcp',
            range: { start: directive.nameStart, end: directive.nameStart + name.length },
            implied: 'server',
            nginx: {
              serverBlock: server!.at,
              serverNames: [...server!.names],
              defaultServer: false,
              ssl: server!.ssl,
            },
          });
        }
      } else if (name === 'upstream') {
        walk(block, context, true, out, depth + 1);
      } else {
        const stream = context.stream || name === 'stream';
        walk(
          block,
          { ...context, stream, portRequired: context.portRequired || stream || name === 'mail' },
          inUpstream,
          out,
          depth + 1,
        );
      }
      continue;
    }
    if (name === 'listen') {
      collectListen(directive, context, out);
    } else if (PASS_DIRECTIVES.has(name) || (name === 'server' && inUpstream)) {
      const address = directive.args[0];
      if (address) {
        pushConnect(
          address,
          context.stream ? undefined : 'tcp',
          out,
          inUpstream ? undefined : context.upstreams,
        );
      }
    } else if (name === 'resolver') {
      for (const arg of directive.args) {
        if (!arg.value.includes('=')) {
          pushConnect(arg, 'udp', out);
        }
      }
    }
  }
}

function describeServer(directive: Directive, block: Directive[]): WalkContext['server'] {
  // server_name may come after listen, so the block is read whole before its listens are reported.
  const names: string[] = [];
  let ssl = false;
  for (const child of block) {
    if (child.block) {
      continue;
    }
    if (child.name === 'server_name') {
      for (const arg of child.args) {
        names.push(arg.value);
      }
    } else if (child.name === 'ssl' && child.args[0]?.value === 'on') {
      ssl = true;
    }
  }
  return { at: directive.nameStart, names, ssl };
}

function collectListen(directive: Directive, context: WalkContext, out: PortMention[]): void {
  const [address, ...params] = directive.args;
  if (!address) {
    return;
  }
  let parsed = splitAddress(address.value);
  let range: TextRange | undefined;
  let implied = false;
  if (parsed) {
    range = wordRange(address, parsed.portStart, parsed.portEnd);
  } else if (!context.portRequired) {
    const written = impliedListenHost(address.value);
    if (written !== undefined) {
      parsed = { port: NGINX_IMPLIED_PORT, ...written, portStart: 0, portEnd: address.value.length };
      range = wordRange(address, 0, address.value.length);
      implied = true;
    }
  }
  if (!parsed || !range) {
    return;
  }
  const flags = params.map((param) => param.value);
  let protocol: Protocol = 'tcp';
  if (flags.includes('quic') || (context.stream && flags.includes('udp'))) {
    protocol = 'udp';
  }
  const mention: PortMention = { port: parsed.port, role: 'listen', kind: 'nginx', range, protocol };
  if (implied) {
    mention.implied = 'address';
  }
  if (parsed.portEndValue !== undefined) {
    mention.portEnd = parsed.portEndValue;
  }
  if (parsed.host !== undefined) {
    mention.host = parsed.host;
  }
  if (context.server) {
    const nginx: NginxListenContext = {
      serverBlock: context.server.at,
      serverNames: [...context.server.names],
      defaultServer: flags.includes('default_server') || flags.includes('default'),
      ssl: flags.includes('ssl') || context.server.ssl,
    };
    const ipv6only = flags.find((flag) => flag.startsWith('ipv6only='));
    if (ipv6only) {
      nginx.ipv6only = ipv6only.slice('ipv6only='.length) === 'on';
    }
    mention.nginx = nginx;
  }
  out.push(mention);
}

/**
 * The host of a `listen` that gives an address without a port: `127.0.0.1`, `[::1]`, `*`,
 * `localhost`. Other names and anything with a variable (`${PORT}` in a template) are not read.
 */
function impliedListenHost(value: string): { host?: string } | undefined {
  if (/^(?:\d{1,3}\.){3}\d{1,3}$/.test(value) || value.toLowerCase() === 'localhost') {
    return { host: value };
  }
  if (/^\[[0-9a-fA-F:.]+\]$/.test(value) && value.includes(':')) {
    return { host: value.slice(1, -1) };
  }
  return value === '*' ? {} : undefined;
}

/** `upstream NAME { server host:port; }` anywhere in the file; servers without a port are skipped. */
function collectUpstreams(directives: Directive[], out: Map<string, UpstreamServer[]>, depth: number): void {
  for (const directive of directives) {
    if (!directive.block || TABLE_BLOCKS.has(directive.name) || depth >= MAX_BLOCK_DEPTH) {
      continue;
    }
    const name = directive.args[0]?.value;
    if (directive.name === 'upstream' && name !== undefined) {
      const servers = out.get(name) ?? [];
      for (const child of directive.block) {
        const word = child.name === 'server' && !child.block ? child.args[0] : undefined;
        const parsed = word !== undefined ? splitAddress(word.value, true) : undefined;
        if (word && parsed?.host !== undefined && parsed.portEndValue === undefined) {
          const server: UpstreamServer = { host: parsed.host, port: parsed.port };
          const range = wordRange(word, parsed.portStart, parsed.portEnd);
          if (range) {
            server.range = range;
          }
          servers.push(server);
        }
      }
      out.set(name, servers);
    } else {
      collectUpstreams(directive.block, out, depth + 1);
    }
  }
}

/** An upstream address, with or without scheme: `http://backend:8000/x`, `127.0.0.1:9000`, `[::1]:53`. */
function pushConnect(
  word: Word,
  protocol: Protocol | undefined,
  out: PortMention[],
  upstreams?: ReadonlyMap<string, UpstreamServer[]>,
): void {
  let value = word.value;
  let skip = 0;
  let scheme: string | undefined;
  // The scheme may be a variable (`$scheme://backend:8080`); only a literal one is reported.
  const schemeMatch = /^([a-z][a-z0-9+.-]*|\$\w+|\$\{\w+\}):\/\//i.exec(value);
  if (schemeMatch) {
    scheme = schemeMatch[1]!.startsWith('$') ? undefined : schemeMatch[1]!.toLowerCase();
    skip = schemeMatch[0].length;
    value = value.slice(skip);
  }
  // Only the authority names the port; a path or variable may follow it.
  const authorityEnd = value.search(/[/?]/);
  const authority = authorityEnd < 0 ? value : value.slice(0, authorityEnd);
  const parsed = splitAddress(authority, true);
  if (!parsed) {
    // `proxy_pass http://backend`: the ports are those of `upstream backend`'s servers.
    const servers = upstreams?.get(authority);
    const range = servers ? wordRange(word, skip, skip + authority.length) : undefined;
    if (range && servers) {
      for (const server of servers) {
        const mention: PortMention = {
          port: server.port,
          role: 'connect',
          kind: 'nginx',
          range,
          host: server.host,
          upstream: authority,
        };
        if (protocol) {
          mention.protocol = protocol;
        }
        if (scheme) {
          mention.scheme = scheme;
        }
        out.push(mention);
      }
    }
    return;
  }
  const range = wordRange(word, skip + parsed.portStart, skip + parsed.portEnd);
  if (!range) {
    return;
  }
  const mention: PortMention = { port: parsed.port, role: 'connect', kind: 'nginx', range };
  if (parsed.portEndValue !== undefined) {
    mention.portEnd = parsed.portEndValue;
  }
  if (protocol) {
    mention.protocol = protocol;
  }
  if (parsed.host !== undefined) {
    mention.host = parsed.host;
  }
  if (scheme) {
    mention.scheme = scheme;
  }
  out.push(mention);
}

interface SplitAddress {
  host?: string;
  port: number;
  portEndValue?: number;
  /** Offsets of the port within the word's value. */
  portStart: number;
  portEnd: number;
}

/**
 * `80`, `*:80`, `127.0.0.1:8080`, `[::]:443`, `localhost:8080`, `8000-8010`. A bare number is a port
 * only for `listen` (for an upstream it would be a host name); `unix:` sockets and addresses
 * without a port give undefined. `*` means every address and is reported without a host.
 */
function splitAddress(value: string, requireHost = false): SplitAddress | undefined {
  if (value.startsWith('unix:')) {
    return undefined;
  }
  let host: string | undefined;
  let portStart = 0;
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0 || value[close + 1] !== ':') {
      return undefined;
    }
    host = value.slice(1, close);
    portStart = close + 2;
  } else {
    const colon = value.lastIndexOf(':');
    if (colon >= 0) {
      host = value.slice(0, colon);
      portStart = colon + 1;
    } else if (requireHost) {
      return undefined;
    }
  }
  // The port runs up to the end, or to a variable glued to it (`backend:8000$request_uri`).
  const rest = value.slice(portStart);
  const match = /^(-?\d+)(?:-(\d+))?(?=$|\$)/.exec(rest);
  if (!match) {
    return undefined;
  }
  const result: SplitAddress = {
    port: Number(match[1]),
    portStart,
    portEnd: portStart + match[0].length,
  };
  if (match[2] !== undefined) {
    result.portEndValue = Number(match[2]);
  }
  if (host !== undefined && host !== '*' && host !== '') {
    result.host = host;
  }
  return result;
}

function wordRange(word: Word, start: number, end: number): TextRange | undefined {
  if (start < 0 || end > word.value.length || end <= start) {
    return undefined;
  }
  if (!word.offsets) {
    return { start: word.start + start, end: word.start + end };
  }
  return { start: word.offsets[start]!, end: word.offsets[end - 1]! + 1 };
}

/**
 * nginx.conf anywhere; `*.nginx`; `*.conf` and `*.template` under an `nginx` folder (also `.nginx`)
 * or `conf.d`; any file in `sites-available` / `sites-enabled` (Debian's `default` has no extension).
 */
export function isNginxFileName(filePath: string): boolean {
  const segments = filePath.split(/[/\\]/);
  const name = (segments.pop() ?? '').toLowerCase();
  const folders = segments.map((segment) => segment.toLowerCase());
  if (name === 'nginx.conf' || name.endsWith('.nginx') || name.endsWith('.nginxconf')) {
    return true;
  }
  const parent = folders[folders.length - 1];
  if ((parent === 'sites-available' || parent === 'sites-enabled') && name !== '' && !name.startsWith('.')) {
    return true;
  }
  const underNginx = folders.some((folder) => folder === 'nginx' || folder === '.nginx');
  if (name.endsWith('.conf') && (underNginx || folders.includes('conf.d'))) {
    return true;
  }
  return name.endsWith('.template') && (underNginx || (parent === 'templates' && name.includes('.conf')));
}

/**
 * nginx by content: a `server`, `http`, `upstream` or `events` block and a directive only nginx
 * writes that way (`listen 80;`, `proxy_pass`, `server_name`, `location /`). Apache's `<VirtualHost>`
 * and ini-style `.conf` files have neither.
 */
export function looksLikeNginxConfig(text: string): boolean {
  const end = Math.min(text.length, 200_000);
  let block = false;
  let directive = false;
  for (let start = 0; start < end && !(block && directive);) {
    const newline = text.indexOf('\n', start);
    const stop = newline < 0 || newline > end ? end : newline;
    const line = text.slice(start, stop).trimStart();
    block ||= NGINX_BLOCK.test(line);
    directive ||= NGINX_DIRECTIVE.test(line);
    start = stop + 1;
  }
  return block && directive;
}

// Each is tried on one line with its indentation removed.
const NGINX_BLOCK = /^(?:server|http|events|upstream[ \t]+[\w.-]+)[ \t]*\{/;
const NGINX_DIRECTIVE = /^(?:listen[ \t][^;]*;|proxy_pass[ \t]|server_name[ \t]|location[ \t][^{]*\{)/;
