// Ports in source code of any language, one line at a time. Each recognizer looks for a shape that
// says "port" (a listen/bind call, a `port` key, a `--port` flag, a URL, `host:port`), never for
// bare digits, so `setTimeout(fn, 3000)` and `[320, 768, 1024]` stay silent.

import { dedupeMentions, FileKind, PortMention, PortRole, pushAll } from './mention';
import { addressMention, findAddressPorts, findUrlPorts } from './addresses';
import { Char, digitsEnd, isDigit, isWordChar } from './chars';
import { splitLines } from './lines';
import { isListenLikeName, isPortLikeName } from './names';
import { MAX_PORT_DIGITS, readPortSpec, specMention } from './portSpec';
import { forEachFlag } from './flags';

/**
 * Lines longer than this (minified bundles, data blobs, binaries) are only searched for
 * `scheme://host:port` URLs, which is linear and precise; the shape heuristics are skipped there
 * because their false positives multiply with length and nobody hovers inside such a line.
 */
export const MAX_HEURISTIC_LINE_LENGTH = 10_000;

const HAS_DIGIT = /[0-9]/;

// How far a recognizer looks around a match: keeps the work per character bounded.
const WINDOW = 300;

/** Ports in source code of any language; see the recognizers below for the shapes understood. */
export function findCodePorts(text: string): PortMention[] {
  // Only lines with a digit can mention a port; when nothing in the text needs every line seen
  // (a YAML `ports:` list, a datagram socket, `\r` line ends), jump from digit to digit instead
  // of splitting a whole source file into lines.
  if (
    text.indexOf('\r') < 0 &&
    !text.includes('ports:') &&
    !text.includes('SOCK_DGRAM') &&
    !text.includes('dgram.createSocket')
  ) {
    return findCodePortsOnDigitLines(text);
  }
  return findCodePortsLineByLine(text);
}

function findCodePortsOnDigitLines(text: string): PortMention[] {
  const mentions: PortMention[] = [];
  const digit = /[0-9]/g;
  for (let match = digit.exec(text); match !== null; match = digit.exec(text)) {
    const start = text.lastIndexOf('\n', match.index) + 1;
    let end = text.indexOf('\n', match.index);
    if (end < 0) {
      end = text.length;
    }
    pushAll(mentions, findCodePortsInLine(text.slice(start, end), start, 'code'));
    digit.lastIndex = end + 1;
  }
  return dedupeMentions(mentions);
}

/** Every line in turn: the general case of `findCodePorts` (exported for tests). */
export function findCodePortsLineByLine(text: string): PortMention[] {
  const mentions: PortMention[] = [];
  let portsIndent = -1;
  const datagram = new DatagramSockets();
  for (const line of splitLines(text)) {
    datagram.read(line.text);
    for (const m of findCodePortsInLine(line.text, line.start, 'code')) {
      datagram.mark(m, line.text);
      mentions.push(m);
    }
    // A YAML `ports:` list outside Compose (GitHub Actions and GitLab CI services, Helm values):
    // `- 5432:5432` and `- "127.0.0.1:8080:80"` are mappings like Compose's short syntax.
    const key = line.text.includes('ports:') ? /^(\s*)ports:\s*(#.*)?$/.exec(line.text) : null;
    if (key) {
      portsIndent = key[1]!.length;
      continue;
    }
    if (portsIndent >= 0) {
      const item = /^(\s*)-\s+(["']?)/.exec(line.text);
      if (item && item[1]!.length >= portsIndent && line.text.length <= MAX_HEURISTIC_LINE_LENGTH) {
        const ctx = new LineContext(line.text, line.start, 'code', true);
        publishMapping(ctx, item[0].length);
        pushAll(mentions, ctx.mentions);
      } else if (line.text.trim() !== '' && !/^\s*#/.test(line.text)) {
        portsIndent = -1;
      }
    }
  }
  return dedupeMentions(mentions);
}

/**
 * Datagram sockets by variable: `s = socket.socket(AF_INET, SOCK_DGRAM)` (Python, also `with … as s`),
 * `s = dgram.createSocket('udp4')` (Node). Their `bind`, `connect` and `sendto` ports are UDP.
 */
class DatagramSockets {
  private readonly names = new Set<string>();

  read(line: string): void {
    const python = line.indexOf('SOCK_DGRAM');
    const node = line.indexOf('dgram.createSocket');
    if (python < 0 && node < 0) {
      return;
    }
    // `name = …` before the call, or `… as name:` after it (Python's `with`).
    const eq = line.indexOf('=');
    const before = eq >= 0 && eq < (python >= 0 ? python : node) ? line.slice(0, eq).trim() : '';
    const after =
      python >= 0 ? /\bas\s+([A-Za-z_]\w{0,63})\s*:\s*$/.exec(line.slice(python))?.[1] : undefined;
    const name = /^(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]{0,63})$/.exec(before)?.[1] ?? after;
    if (name !== undefined) {
      this.names.add(name);
    }
  }

  /** Marks a mention UDP when the line calls `bind`/`connect`/`sendto` on a datagram socket. */
  mark(mention: PortMention, line: string): void {
    if (this.names.size === 0 || mention.protocol !== undefined) {
      return;
    }
    for (const name of this.names) {
      for (const call of ['.bind(', '.connect(', '.sendto(', '.send(']) {
        const at = line.indexOf(name + call);
        if (at >= 0 && (at === 0 || !/[\w$.]/.test(line.charAt(at - 1)))) {
          mention.protocol = 'udp';
          return;
        }
      }
    }
  }
}

/** How the text around a line is known to be used. */
export interface CodeLineOptions {
  /** The text is `docker run` arguments (devcontainer `runArgs`), so `-p 8080:80` is a mapping. */
  containerRun?: boolean;
}

/**
 * Ports in one line of code or shell text at offset `base` of its file, reported with `kind`:
 * Dockerfile `RUN`/`CMD` lines, package.json scripts and JSON argv arrays reuse this.
 */
export function findCodePortsInLine(
  line: string,
  base: number,
  kind: FileKind,
  options: CodeLineOptions = {},
): PortMention[] {
  // Every shape below reports digits written on this line; most lines of real code have none.
  if (!HAS_DIGIT.test(line)) {
    return [];
  }
  if (line.length > MAX_HEURISTIC_LINE_LENGTH || line.includes('\u0000')) {
    return findUrlPorts(line, base).map((a) => addressMention(a, 'connect', kind));
  }
  const ctx = new LineContext(line, base, kind, options.containerRun === true);
  findFlags(ctx);
  findCalls(ctx);
  findTuples(ctx);
  findFlagDefinitions(ctx);
  findListenDirectives(ctx);
  findPortForwards(ctx);
  findPortKeys(ctx);
  findEnvDefaultCalls(ctx);
  findFallbacks(ctx);
  findPlaceholders(ctx);
  findAddresses(ctx);
  return dedupeMentions(ctx.mentions);
}

interface CallFrame {
  open: number;
  close: number;
  callee: string;
  receiver: string;
}

class LineContext {
  readonly mentions: PortMention[] = [];
  readonly frames: CallFrame[];
  readonly lower: string;
  constructor(
    readonly line: string,
    readonly base: number,
    readonly kind: FileKind,
    readonly containerRun: boolean,
  ) {
    this.frames = callFrames(line);
    this.lower = line.toLowerCase();
  }

  private commands: Map<RegExp, boolean> | undefined;

  /** Whether the line names a command at all; answered once per line so each flag stays cheap. */
  mentionsCommand(command: RegExp): boolean {
    this.commands ??= new Map();
    let seen = this.commands.get(command);
    if (seen === undefined) {
      // The command regexes are anchored to one word; unanchor them to ask about the whole line.
      seen = new RegExp(command.source.replace(/^\^/, '\\b').replace(/\$$/, '\\b')).test(this.lower);
      this.commands.set(command, seen);
    }
    return seen;
  }

  add(
    port: number,
    start: number,
    end: number,
    role: PortRole,
    extra: Partial<PortMention> = {},
  ): PortMention {
    const m: PortMention = {
      port,
      role,
      kind: this.kind,
      range: { start: this.base + start, end: this.base + end },
      ...extra,
    };
    this.mentions.push(m);
    return m;
  }

  /** The innermost call around `at`, looking through `int(…)`, `getenv(…)`, tuples and the like. */
  enclosingCall(at: number): CallFrame | undefined {
    let best: CallFrame | undefined;
    for (const f of this.frames) {
      if (f.open < at && at <= f.close && !TRANSPARENT_CALLEES.has(f.callee.toLowerCase())) {
        if (!best || f.open > best.open) {
          best = f;
        }
      }
    }
    return best;
  }

  /** `listen` inside a server call, `connect` inside a client call, else `fallback`. */
  roleAt(at: number, fallback: PortRole): PortRole {
    const frame = this.enclosingCall(at);
    if (frame) {
      if (isListenCallee(frame.callee)) {
        return 'listen';
      }
      if (isConnectCallee(frame.callee)) {
        return 'connect';
      }
    }
    return fallback;
  }
}

// Calls that only convert or look up a value: the port inside belongs to the call around them.
const TRANSPARENT_CALLEES = new Set([
  '',
  'int',
  'number',
  'parseint',
  'str',
  'string',
  'float',
  'atoi',
  'toint',
  'u16',
  'int32',
  'getenv',
  'get',
  'getordefault',
  'fetch',
  'env',
  'environ',
  'some',
  'ok',
  'unwrap_or',
  'parse',
  'valueof',
  'tostring',
  'require',
  'getproperty',
  'getenvironmentvariable',
  'sprintf',
  'format',
  'f',
  'fmt',
  'sprint',
  'itoa',
  'uint16',
  'port',
]);

function isListenCallee(callee: string): boolean {
  const c = callee.toLowerCase();
  return (
    c.startsWith('listen') ||
    c.endsWith('server') ||
    c === 'serversocket' ||
    [
      'bind',
      'serve',
      'run',
      'run_app',
      'run_simple',
      'runserver',
      'serve_forever',
      'useurls',
      'bindto',
      'start',
      'starttcp',
      'startserver',
      'createserver',
    ].includes(c)
  );
}

/** `new EmbeddedZooKeeper(`, `new RedisServer(`, `new KafkaBroker(`: a constructor of a service run in-process. */
function isEmbeddedServiceConstructor(line: string, open: number, callee: string): boolean {
  return /(?:zoo_?keeper|kafka|broker|redis|mongod?|nats|mqtt)/i.test(callee) && followsNew(line, open);
}

/** Whether `new Qualified.Name<T>` ends just before `open`: read backwards, one pass. */
function followsNew(line: string, open: number): boolean {
  const stop = Math.max(0, open - 120);
  let i = skipSpaceBack(line, open, stop);
  if (i > stop && line[i - 1] === '>') {
    const lt = line.lastIndexOf('<', i - 1);
    if (lt < stop || /[()<>]/.test(line.slice(lt + 1, i - 1))) {
      return false;
    }
    i = skipSpaceBack(line, lt, stop);
  }
  const nameEnd = i;
  while (i > stop && /[\w$.]/.test(line.charAt(i - 1))) {
    i--;
  }
  if (i === nameEnd || line[i] === '.' || line[nameEnd - 1] === '.') {
    return false;
  }
  const beforeName = i;
  i = skipSpaceBack(line, i, stop);
  return (
    i < beforeName &&
    i >= stop + 3 &&
    line.slice(i - 3, i) === 'new' &&
    (i - 3 === 0 || !/[\w$]/.test(line.charAt(i - 4)))
  );
}

function skipSpaceBack(line: string, i: number, stop: number): number {
  while (i > stop && /\s/.test(line.charAt(i - 1))) {
    i--;
  }
  return i;
}

function isConnectCallee(callee: string): boolean {
  const c = callee.toLowerCase();
  return (
    c.startsWith('connect') ||
    c.startsWith('dial') ||
    [
      'createconnection',
      'create_connection',
      'open_connection',
      'socket',
      'createclient',
      'redis',
      'strictredis',
      'mongoclient',
      'connect_ex',
      'client',
      'newclient',
      'remote',
    ].includes(c)
  );
}

const FRAME_MARKS = /["'`()]/g;

// Every `(` on the line with its callee and matching `)`; strings are skipped so `"("` does not count.
function callFrames(line: string): CallFrame[] {
  const frames: CallFrame[] = [];
  if (line.indexOf('(') < 0) {
    return frames;
  }
  const stack: CallFrame[] = [];
  // Jump between quotes and parentheses; inside a string, walk to its closing quote.
  FRAME_MARKS.lastIndex = 0;
  for (let mark = FRAME_MARKS.exec(line); mark !== null; mark = FRAME_MARKS.exec(line)) {
    const i = mark.index;
    const c = line.charCodeAt(i);
    if (
      c === Char.doubleQuote ||
      c === Char.backtick ||
      (c === Char.singleQuote && !isWordChar(line.charCodeAt(i - 1)))
    ) {
      let close = i + 1;
      for (; close < line.length; close++) {
        const d = line.charCodeAt(close);
        if (d === Char.backslash) {
          close++;
        } else if (d === c) {
          break;
        }
      }
      if (close >= line.length) {
        break;
      }
      FRAME_MARKS.lastIndex = close + 1;
    } else if (c === Char.openParen) {
      let e = i;
      while (
        e > 0 &&
        (line.charCodeAt(e - 1) === Char.space || line.charCodeAt(e - 1) === Char.tab) &&
        i - e < 4
      ) {
        e--;
      }
      let s = e;
      while (
        s > 0 &&
        (isWordChar(line.charCodeAt(s - 1)) || line.charCodeAt(s - 1) === Char.dollar) &&
        e - s < 64
      ) {
        s--;
      }
      let receiver = '';
      let r = s;
      const dot = line.charCodeAt(r - 1) === Char.dot;
      // `.`, `::` and `->` join a receiver to its method.
      const pair =
        r >= 2 &&
        ((line.charCodeAt(r - 2) === Char.colon && line.charCodeAt(r - 1) === Char.colon) ||
          (line.charCodeAt(r - 2) === Char.hyphen && line.charCodeAt(r - 1) === Char.greaterThan));
      if (dot || pair) {
        r -= dot ? 1 : 2;
        let rs = r;
        while (
          rs > 0 &&
          (isWordChar(line.charCodeAt(rs - 1)) || line.charCodeAt(rs - 1) === Char.dot) &&
          r - rs < 64
        ) {
          rs--;
        }
        receiver = line.slice(rs, r);
      }
      const frame = { open: i, close: line.length, callee: line.slice(s, e), receiver };
      frames.push(frame);
      stack.push(frame);
    } else if (c === Char.closeParen) {
      const frame = stack.pop();
      if (frame) {
        frame.close = i;
      }
    }
  }
  return frames;
}

interface Arg {
  start: number;
  end: number;
  text: string;
}

// Top-level arguments of a call, trimmed, with their offsets in the line.
function callArgs(line: string, frame: CallFrame): Arg[] {
  const args: Arg[] = [];
  const limit = Math.min(frame.close, frame.open + WINDOW);
  let depth = 0;
  let quote = 0;
  let s = frame.open + 1;
  for (let i = frame.open + 1; i <= limit; i++) {
    const c = i < limit ? line.charCodeAt(i) : 44;
    if (quote !== 0 && i < limit) {
      if (c === Char.backslash) {
        i++;
      } else if (c === quote) {
        quote = 0;
      }
      continue;
    }
    if (c === Char.doubleQuote || c === Char.singleQuote || c === Char.backtick) {
      quote = c;
    } else if (c === Char.openParen || c === Char.openBracket || c === Char.openBrace) {
      depth++;
    } else if (c === Char.closeParen || c === Char.closeBracket || c === Char.closeBrace) {
      depth--;
    } else if (c === Char.comma && depth <= 0) {
      let a = s;
      let b = i;
      while (a < b && /\s/.test(line.charAt(a))) {
        a++;
      }
      while (b > a && /\s/.test(line.charAt(b - 1))) {
        b--;
      }
      args.push({ start: a, end: b, text: line.slice(a, b) });
      s = i + 1;
    }
  }
  return args;
}

const NUMBER = /^-?\d{1,6}$/;
const QUOTED_NUMBER = /^(["'`])(-?\d{1,6})\1$/;

// A port literal in an argument: `8080`, `"8080"`. Returns its offsets in the line.
function literalPort(arg: Arg): { port: number; start: number; end: number } | undefined {
  if (NUMBER.test(arg.text)) {
    return { port: Number(arg.text), start: arg.start, end: arg.end };
  }
  const q = QUOTED_NUMBER.exec(arg.text);
  if (q) {
    return { port: Number(q[2]), start: arg.start + 1, end: arg.end - 1 };
  }
  return undefined;
}

function hostLiteral(arg: Arg): string | undefined {
  const q = /^(["'`])([^"'`]{0,255})\1$/.exec(arg.text);
  if (!q) {
    return undefined;
  }
  const host = q[2]!;
  if (
    host === '' ||
    host === '::' ||
    host === '::1' ||
    /^localhost$/i.test(host) ||
    /^\d{1,3}(\.\d{1,3}){3}$/.test(host)
  ) {
    return host;
  }
  return /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(host) && /[A-Za-z]/.test(host) ? host : undefined;
}

// Python's `sock.listen(128)` takes a backlog, not a port.
function isSocketReceiver(receiver: string): boolean {
  const r = receiver.toLowerCase();
  return r.includes('sock') || r === 's' || r === 'sk' || r.endsWith('.s') || r === 'conn' || r === 'fd';
}

// Receivers whose `.run(…)`/`.start(…)` starts a server: apps, servers, routers, engines.
function isServerReceiver(receiver: string): boolean {
  const last = receiver.split(/\.|::|->/).pop() ?? '';
  return /(?:app|application|server|srv|router|engine|api|web|http|uvicorn|socketio|service|^[regs])$/i.test(
    last,
  );
}

/**
 * Server and client calls: `app.listen(8080)`, `server.listen(PORT || 3000, '0.0.0.0')`,
 * `new ServerSocket(8080)`, `bootstrap.bind(8080)`, `new InetSocketAddress("h", 80)`,
 * `net.createConnection(6379, '127.0.0.1')`, `ListenAnyIP(5000)`.
 */
function findCalls(ctx: LineContext): void {
  for (const frame of ctx.frames) {
    const callee = frame.callee;
    const listenish = isListenCallee(callee);
    const connectish = isConnectCallee(callee);
    const lower = callee.toLowerCase();
    if (
      lower === 'htons' ||
      callee === 'port' ||
      callee === 'setPort' ||
      callee === 'withPort' ||
      callee === 'SetPort'
    ) {
      // C's `htons(8080)`, Spark's `port(4567)`, builders' `.setPort(8080)`: the call carries a port.
      const [arg] = callArgs(ctx.line, frame);
      const port = arg ? literalPort(arg) : undefined;
      if (port) {
        ctx.add(port.port, port.start, port.end, ctx.roleAt(frame.open, 'setting'));
      }
      continue;
    }
    if (isEmbeddedServiceConstructor(ctx.line, frame.open, callee)) {
      // `new EmbeddedZooKeeper(2181, false)`: the port first; a small first number is a count
      // (`new EmbeddedKafkaBroker(1, true)`), not a port.
      const [arg] = callArgs(ctx.line, frame);
      const port = arg ? literalPort(arg) : undefined;
      if (port && port.port >= 1024) {
        ctx.add(port.port, port.start, port.end, 'listen');
      }
      continue;
    }
    const neutral = lower === 'inetsocketaddress' || lower === 'socketaddress' || lower === 'tcpsocket';
    if (!listenish && !connectish && !neutral) {
      continue;
    }
    if (lower === 'listen' && isSocketReceiver(frame.receiver)) {
      continue;
    }
    // `app.run(8080)`, `router.Run(":80")`; jQuery's `tween.run( 1 )` is no server.
    if (
      (lower === 'run' || lower === 'start') &&
      /\.\s*\w+\s*$/.test(ctx.line.slice(Math.max(0, frame.open - 80), frame.open)) &&
      !isServerReceiver(frame.receiver)
    ) {
      continue;
    }
    const args = callArgs(ctx.line, frame);
    if (args.length === 0) {
      continue;
    }
    const first = literalPort(args[0]!);
    const secondHost = args.length > 1 ? hostLiteral(args[1]!) : undefined;
    const firstHost = hostLiteral(args[0]!);
    const second = args.length > 1 ? literalPort(args[1]!) : undefined;
    // `listen(0)` asks the system for any free port: nothing to report.
    if (first && first.port === 0 && listenish) {
      continue;
    }
    if (first && (args.length === 1 || secondHost !== undefined || listenish)) {
      // `listen(8080)` binds everywhere; `InetSocketAddress(8080)` too.
      const role: PortRole = connectish ? 'connect' : 'listen';
      ctx.add(first.port, first.start, first.end, role, secondHost !== undefined ? { host: secondHost } : {});
    } else if (firstHost !== undefined && second) {
      const role: PortRole = listenish ? 'listen' : 'connect';
      ctx.add(second.port, second.start, second.end, role, firstHost !== '' ? { host: firstHost } : {});
    }
  }
}

/**
 * Option definitions with a default: `parser.add_argument("--port", type=int, default=8000)`,
 * `flag.Int("port", 8080, "…")`, `cmd.Flags().IntP("port", "p", 8080, "…")`,
 * `@click.option("--port", default=5000)`, `.option('-p, --port <n>', 'port', '3000')`,
 * `.option('port', { default: 3000 })`. Role `setting`, `isDefault`, `variable` is the option name.
 */
function findFlagDefinitions(ctx: LineContext): void {
  // Only calls whose first WINDOW characters mention "port" can define a port option.
  const hits: number[] = [];
  for (let h = ctx.lower.indexOf('port'); h >= 0; h = ctx.lower.indexOf('port', h + 4)) {
    hits.push(h);
  }
  if (hits.length === 0) {
    return;
  }
  for (const frame of ctx.frames) {
    if (frame.callee === '' || !hasHitWithin(hits, frame.open, Math.min(frame.close, frame.open + WINDOW))) {
      continue;
    }
    const args = callArgs(ctx.line, frame);
    const nameIndex = args.findIndex((a) => {
      const q = /^(["'])([^"'\s<>[\]]{1,40}(?:\s*,\s*[^"'\s<>[\]]{1,40})?)(?:\s*[<[][\w.-]*[>\]])?\1$/.exec(
        a.text,
      );
      return q !== null && isPortLikeName(q[2]!.replace(/^-+/, ''));
    });
    if (nameIndex < 0) {
      continue;
    }
    const name = args[nameIndex]!.text.slice(1, -1)
      .split(',')
      .pop()!
      .trim()
      .replace(/^-+/, '')
      .replace(/\s*[<[].*$/, '');
    let found: { port: number; start: number; end: number } | undefined;
    for (const arg of args.slice(nameIndex + 1)) {
      const kw = /^(?:default|defaultValue|value)\s*[=:]\s*(["']?)(-?\d{1,6})\1$/.exec(arg.text);
      if (kw) {
        const at = arg.start + arg.text.lastIndexOf(kw[2]!);
        found = { port: Number(kw[2]), start: at, end: at + kw[2]!.length };
        break;
      }
      const inObject = /\bdefault\s*:\s*(["']?)(-?\d{1,6})\1\s*[,}]/.exec(arg.text);
      if (arg.text.startsWith('{') && inObject) {
        const at = arg.start + inObject.index + inObject[0].indexOf(inObject[2]!, inObject[0].indexOf(':'));
        found = { port: Number(inObject[2]), start: at, end: at + inObject[2]!.length };
        break;
      }
      const literal = literalPort(arg);
      if (literal && !/[=:]/.test(arg.text)) {
        found = literal;
        break;
      }
    }
    if (found) {
      ctx.add(found.port, found.start, found.end, 'setting', { variable: name, isDefault: true });
    }
  }
}

// Whether a sorted list of offsets has one in (from, to).
function hasHitWithin(hits: number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = hits.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (hits[mid]! <= from) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < hits.length && hits[lo]! < to;
}

/**
 * `kubectl port-forward svc/web 8080:80 :9090 5000`: each local port is `listen` (on
 * `--address`, default localhost), each remote port `target`.
 */
function findPortForwards(ctx: LineContext): void {
  const at = ctx.lower.indexOf('port-forward');
  if (at < 0 || !/\b(kubectl|oc|k)\s/.test(ctx.lower.slice(Math.max(0, at - 64), at))) {
    return;
  }
  const rest = ctx.line.slice(at, Math.min(ctx.line.length, at + WINDOW));
  const address = /--address[= ]([\w.:,-]+)/.exec(rest)?.[1]?.split(',')[0];
  const token = /(?<=\s)(?:(\d{1,6})?:)?(\d{1,6})(?=\s|$|["'`;&|])/g;
  for (let m = token.exec(rest); m; m = token.exec(rest)) {
    const remoteAt = at + m.index + m[0].length - m[2]!.length;
    const remote = Number(m[2]);
    const local = m[1] !== undefined ? Number(m[1]) : m[0].startsWith(':') ? undefined : remote;
    if (m[1] !== undefined) {
      const localAt = at + m.index;
      ctx.add(Number(m[1]), localAt, localAt + m[1].length, 'listen', {
        host: address ?? 'localhost',
        counterpart: { port: remote },
      });
    } else if (local !== undefined) {
      // `5000` alone forwards local 5000 to remote 5000: one set of digits, both roles; keep the bind.
      ctx.add(local, remoteAt, remoteAt + m[2]!.length, 'listen', {
        host: address ?? 'localhost',
        counterpart: { port: remote },
      });
      continue;
    }
    ctx.add(
      remote,
      remoteAt,
      remoteAt + m[2]!.length,
      'target',
      local !== undefined ? { counterpart: { port: local } } : {},
    );
  }
}

/** `Listen 8080` (Apache), `listen = 127.0.0.1:9000` (php-fpm), `bind: 8000`: a whole line that binds. */
function findListenDirectives(ctx: LineContext): void {
  const m =
    /^(\s*)(listen|bind)(\s*[=:]\s*|\s+)(["']?)(?:(\[[0-9A-Fa-f:.]{1,64}\]|[\w.-]{1,253}|\*):)?(\d{1,6})\4\s*;?\s*(?:[#;].*)?$/i.exec(
      ctx.line,
    );
  if (!m) {
    return;
  }
  const at =
    m[1]!.length + m[2]!.length + m[3]!.length + m[4]!.length + (m[5] !== undefined ? m[5].length + 1 : 0);
  const host = m[5]?.replace(/^\[|\]$/g, '');
  ctx.add(Number(m[6]), at, at + m[6]!.length, 'listen', host !== undefined && host !== '*' ? { host } : {});
}

/**
 * A tuple's string is a host when it is an address, `localhost`, a dotted name, or a lower-case
 * single name (`db`, `redis`); `("UTC", 0)` and `("GET", 200)` are not.
 */
function looksLikeHost(host: string): boolean {
  return (
    /^\d{1,3}(\.\d{1,3}){3}$/.test(host) ||
    host.includes(':') ||
    (/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(host) && /[a-z]/i.test(host)) ||
    /^[a-z][a-z0-9_-]*$/.test(host)
  );
}

/** Python address tuples: `sock.bind(("0.0.0.0", 53))`, `HTTPServer(("", 8000), H)`, `connect(("db", 5432))`. */
function findTuples(ctx: LineContext): void {
  const tuple = /\(\s*(["'])([\w.:-]{0,255})\1\s*,\s*(\d{1,6})\s*\)/y;
  // Rust's `SocketAddr::from(([127, 0, 0, 1], 3000))`.
  const octets =
    /\(\s*\[\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\]\s*,\s*(\d{1,6})\s*\)/y;
  for (const frame of ctx.frames) {
    if (frame.callee !== '') {
      continue;
    }
    octets.lastIndex = frame.open;
    const o = octets.exec(ctx.line);
    if (o) {
      const at = frame.open + o[0].lastIndexOf(o[5]!);
      ctx.add(Number(o[5]), at, at + o[5]!.length, ctx.roleAt(frame.open, 'setting'), {
        host: o.slice(1, 5).join('.'),
      });
      continue;
    }
    // A tuple stands where a value goes; `set<number>('key', 456)` is a generic call, not a tuple.
    const before = /\S?(?=\s*$)/.exec(ctx.line.slice(Math.max(0, frame.open - 8), frame.open))?.[0] ?? '';
    if (before !== '' && !'(,=:[{'.includes(before)) {
      continue;
    }
    tuple.lastIndex = frame.open;
    const t = tuple.exec(ctx.line);
    if (!t) {
      continue;
    }
    const portAt = frame.open + t[0].lastIndexOf(t[3]!);
    const port = { port: Number(t[3]), start: portAt, end: portAt + t[3]!.length };
    const host = t[2]!;
    if (host !== '' && !looksLikeHost(host)) {
      continue;
    }
    const role = ctx.roleAt(frame.open, 'connect');
    ctx.add(port.port, port.start, port.end, role, host !== '' ? { host } : {});
  }
}

// Client programs whose `-p`/`--port` is where they connect.
const CLIENT_COMMANDS =
  /^(ssh|scp|sftp|psql|pg_dump|pg_restore|pg_isready|mysql|mysqldump|mysqladmin|redis-cli|mongo|mongosh|nc|ncat|telnet|curl|wget|clickhouse-client|cqlsh|mosquitto_pub|mosquitto_sub|kafka-console-producer|kafka-console-consumer)$/;
const CONTAINER_COMMANDS = /^(docker|podman|nerdctl)$/;
// Commands whose `-p` is a pid, a permission, a prompt, a password or a patch level: never a port.
const NON_PORT_P_COMMANDS =
  /^(ps|top|htop|strace|ltrace|gdb|perf|lsof|pmap|pidstat|renice|taskset|kill|pkill|pgrep|mkdir|cp|rsync|tar|patch|git|unzip|read|useradd|usermod|passwd|xargs|nice|mysql|mysqldump|mysqladmin|mariadb|scp|uwsgi|go|make|pytest|gunicorn|cargo|nproc|parallel)$/;
// Commands whose port flag is a capital `-P`.
const CAPITAL_P_COMMANDS = /^(scp|mysql|mysqldump|mysqladmin|mariadb|sftp)$/;

/**
 * Command-line flags: `--port 5173`, `--port=5173`, `-p 3001`, `docker run -p 127.0.0.1:8080:80/udp`,
 * `--inspect=0.0.0.0:9229`, `--bind :8000`, `-b 0.0.0.0:8000`, `ssh -L 8080:localhost:3000`,
 * `psql -p 5432` (connect), and JSON-array forms like `["--port", "8000"]`.
 */
function findFlags(ctx: LineContext): void {
  forEachFlag(ctx.line, (flag, valueAt, flagAt) => {
    handleFlag(ctx, flag, valueAt, flagAt);
  });
}

// Wrappers that run the next word as the command.
const COMMAND_WRAPPERS = new Set([
  'sudo',
  'exec',
  'npx',
  'env',
  'time',
  'nohup',
  'command',
  'run',
  'bunx',
  'pnpx',
  'doas',
]);

/**
 * The program a flag belongs to: the first word of its shell segment (after `&&`, `|`, `;`),
 * past `VAR=value` prefixes and wrappers like `sudo`; `["docker", "run", …]` arrays work too.
 */
function commandWord(lower: string, flagAt: number): string {
  const before = lower.slice(Math.max(0, flagAt - WINDOW), flagAt);
  const segment = before.split(/&&|\|\||[;|`(]|\$\(/).pop() ?? '';
  for (const raw of segment.split(/[\s,]+/)) {
    const word = raw.replace(/^[["']+|["'\]]+$/g, '');
    if (word === '' || /^\w+=/.test(word) || COMMAND_WRAPPERS.has(word)) {
      continue;
    }
    return word.slice(word.lastIndexOf('/') + 1);
  }
  return '';
}

// Where a flag's value starts: after `=`, whitespace, or `", "` in an argv array.

function handleFlag(ctx: LineContext, flag: string, at: number, flagAt: number): void {
  const line = ctx.line;
  const name = flag.replace(/^-+/, '');
  const lowerName = name.toLowerCase();
  const commandBefore = (command: RegExp): boolean =>
    ctx.mentionsCommand(command) && command.test(commandWord(ctx.lower, flagAt));
  if ((flag === '-p' || flag === '--publish') && (ctx.containerRun || commandBefore(CONTAINER_COMMANDS))) {
    publishMapping(ctx, at);
    return;
  }
  if (flag === '-L' || flag === '-R' || flag === '-D') {
    if (commandBefore(/^ssh$/)) {
      sshForward(ctx, flag, at);
    }
    return;
  }
  if (
    lowerName === 'inspect' ||
    lowerName === 'inspect-brk' ||
    lowerName === 'inspect-port' ||
    lowerName === 'debug-port'
  ) {
    if (line[at - 1] === '=' || lowerName.endsWith('port')) {
      addressFlagValue(ctx, at, 'listen');
    }
    return;
  }
  if (lowerName === 'bind' || flag === '-b' || lowerName === 'listen' || isListenLikeName(lowerName)) {
    addressFlagValue(ctx, at, 'listen');
    return;
  }
  if (flag === '-p' || flag === '-P' || isPortLikeName(name)) {
    if (flag === '-P' && !commandBefore(CAPITAL_P_COMMANDS)) {
      return;
    }
    if (flag === '-p' && commandBefore(NON_PORT_P_COMMANDS)) {
      return;
    }
    const spec = readPortSpec(line, at, line.length, true);
    if (spec) {
      const client = commandBefore(CLIENT_COMMANDS);
      const m = specMention(spec, ctx.base, client ? 'connect' : 'listen', ctx.kind);
      // `uvicorn --host 0.0.0.0 --port 8000`, `psql -h db -p 5432`: the host flag of the same command.
      const host = hostFlag(ctx.line, flagAt, client);
      if (host !== undefined) {
        m.host = host;
      }
      ctx.mentions.push(m);
    }
  }
}

// The `--host`/`-H` (or a client's `-h`) value in the same shell segment as the flag at `flagAt`.
function hostFlag(line: string, flagAt: number, client: boolean): string | undefined {
  let from = flagAt;
  while (from > 0 && flagAt - from < WINDOW && !/[;|&]/.test(line.charAt(from - 1))) {
    from--;
  }
  let to = flagAt;
  while (to < line.length && to - flagAt < WINDOW && !/[;|&]/.test(line.charAt(to))) {
    to++;
  }
  const segment = line.slice(from, to);
  const re = client
    ? /(?:^|[\s"',])(?:--host|-h)(?:=|["']?[\s,]+["']?)([\w.:-]+|\[[0-9A-Fa-f:.]+\])/
    : /(?:^|[\s"',])(?:--host|-H)(?:=|["']?[\s,]+["']?)([\w.:-]+|\[[0-9A-Fa-f:.]+\])/;
  const m = re.exec(segment);
  return m ? m[1]!.replace(/^\[|\]$/g, '') : undefined;
}

// `8080`, `:8080`, `0.0.0.0:8080`, `[::1]:8080` after a listening flag.
function addressFlagValue(ctx: LineContext, at: number, role: PortRole): void {
  const line = ctx.line;
  const m = /^(?:(?:\[([0-9A-Fa-f:.]{1,64})\]|([\w.-]{1,253})):|:)?(\d{1,6})(?![\w.:-])/.exec(
    line.slice(at, at + 330),
  );
  if (!m) {
    return;
  }
  const digitsAt = at + m[0].length - m[3]!.length;
  const host = m[1] ?? m[2];
  ctx.add(Number(m[3]), digitsAt, digitsAt + m[3]!.length, role, host !== undefined ? { host } : {});
}

// `docker run -p [ip:][host[-end]:]container[-end][/proto]`.
function publishMapping(ctx: LineContext, at: number): void {
  const line = ctx.line;
  let end = at;
  while (end < line.length && !/[\s"'`,\]]/.test(line.charAt(end)) && end - at < 120) {
    end++;
  }
  const value = line.slice(at, end);
  let hostPart: string | undefined;
  let rest = 0;
  const v6 = /^\[([0-9A-Fa-f:.]+)\]:/.exec(value);
  if (v6) {
    hostPart = v6[1];
    rest = v6[0].length;
  } else {
    const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}|localhost):/i.exec(value);
    if (v4) {
      hostPart = v4[1];
      rest = v4[0].length;
    }
  }
  const colon = value.indexOf(':', rest);
  if (colon < 0) {
    const only = readPortSpec(line, at + rest, end);
    if (only && only.end === end) {
      ctx.mentions.push(specMention(only, ctx.base, 'target', ctx.kind));
    }
    return;
  }
  const pub = readPortSpec(line, at + rest, at + colon);
  const tgt = readPortSpec(line, at + colon + 1, end);
  if (!tgt || tgt.end !== end) {
    return;
  }
  const target = specMention(tgt, ctx.base, 'target', ctx.kind);
  if (pub && pub.end === at + colon) {
    const publish = specMention(pub, ctx.base, 'publish', ctx.kind);
    if (hostPart !== undefined) {
      publish.host = hostPart;
    }
    if (tgt.protocol) {
      publish.protocol = tgt.protocol;
    }
    publish.counterpart =
      tgt.portEnd !== undefined ? { port: tgt.port, portEnd: tgt.portEnd } : { port: tgt.port };
    target.counterpart =
      pub.portEnd !== undefined ? { port: pub.port, portEnd: pub.portEnd } : { port: pub.port };
    ctx.mentions.push(publish);
  }
  ctx.mentions.push(target);
}

// `ssh -L [bind:]8080:host:3000`, `-R [bind:]9000:host:3000`, `-D [bind:]1080`.
function sshForward(ctx: LineContext, flag: string, at: number): void {
  const m =
    /^(?:([\w.-]+|\[[0-9A-Fa-f:.]+\]):)?(\d{1,6})(?::([\w.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,6}))?(?![\w.:-])/.exec(
      ctx.line.slice(at, at + 300),
    );
  if (!m || (flag !== '-D' && m[4] === undefined)) {
    return;
  }
  const bindHost = m[1]?.replace(/^\[|\]$/g, '');
  const listenAt = at + (m[1] !== undefined ? m[1].length + 1 : 0);
  // The remote end of `-R` listens on the other machine: a setting here, not a local bind.
  ctx.add(
    Number(m[2]),
    listenAt,
    listenAt + m[2]!.length,
    flag === '-R' ? 'setting' : 'listen',
    bindHost ? { host: bindHost } : {},
  );
  if (m[4] !== undefined && m[3] !== undefined) {
    const portAt = at + m[0].length - m[4].length;
    ctx.add(Number(m[4]), portAt, portAt + m[4].length, 'connect', { host: m[3].replace(/^\[|\]$/g, '') });
  }
}

/**
 * Port keys: `port=8000`, `port: 5000`, `"port": 5000`, `'port' => 8080`, `server.port=8081`,
 * `const PORT = process.env.PORT || 4000`, `port := 8080`, `var port int = 8080`,
 * `port: number = 3000`, `ports = [8080, 8081]`, `Port 22` at the start of a line.
 */
function findPortKeys(ctx: LineContext): void {
  const { line, lower } = ctx;
  let from = 0;
  for (;;) {
    const hit = lower.indexOf('port', from);
    if (hit < 0) {
      break;
    }
    from = hit + 4;
    let s = hit;
    while (s > 0 && isKeyChar(line.charCodeAt(s - 1)) && hit - s < 64) {
      s--;
    }
    let e = hit + 4;
    while (e < line.length && isKeyChar(line.charCodeAt(e)) && e - hit < 64) {
      e++;
    }
    from = Math.max(from, e);
    while (s < e && (line[s] === '-' || line[s] === '.')) {
      s++;
    }
    const key = line.slice(s, e);
    // `${PORT:-3000}` and `${server.port:8080}` are placeholders, read by findPlaceholders.
    if (line[s - 1] === '-' || line.slice(s - 2, s) === '${' || !isPortLikeName(key)) {
      continue;
    }
    let i = e;
    if ((line[i] === '"' || line[i] === "'") && line[s - 1] === line[i]) {
      i++;
    }
    i = skipTypeAnnotation(line, i);
    const op = /^[ \t]*(:=|=>|===|==|\?=|=|:(?!:))[ \t]*/.exec(line.slice(i, i + 16));
    if (!op) {
      // `Port 22`, as in ssh_config and many line-based configs.
      const spaced = /^[ \t]+(\d{1,6})[ \t]*(?:#.*)?$/.exec(line.slice(i));
      if (spaced && line.slice(0, s).trim() === '') {
        const at = i + spaced[0].indexOf(spaced[1]!);
        ctx.add(Number(spaced[1]), at, at + spaced[1]!.length, 'setting', { variable: key });
      }
      continue;
    }
    readKeyValue(ctx, key, i + op[0].length);
  }
}

function isKeyChar(c: number): boolean {
  return isWordChar(c) || c === Char.dot || c === Char.hyphen || c === Char.dollar;
}

// Skips `: number` (TypeScript) or ` int` (Go) between a name and its `=`.
function skipTypeAnnotation(line: string, at: number): number {
  const m = /^(?:[ \t]*:[ \t]*|[ \t]+)[A-Za-z_][\w.<>]*[ \t]*(?==[^=>])/.exec(line.slice(at, at + 64));
  return m ? at + m[0].length : at;
}

const ENV_NAME = [
  /(?:process\.env|import\.meta\.env|env|ENV|Deno\.env)\.([A-Za-z_]\w*)/,
  /(?:getenv|Getenv|GetEnvironmentVariable|getProperty|get|fetch|var|env)\s*\(\s*["']([\w.]+)["']/,
  /(?:environ|ENV|env|process\.env)\s*\[\s*["']([\w.]+)["']\s*\]/,
];

// The environment variable an expression reads, if any.
function envVariable(expr: string): string | undefined {
  for (const re of ENV_NAME) {
    const m = re.exec(expr);
    if (m) {
      return m[1];
    }
  }
  return undefined;
}

function readKeyValue(ctx: LineContext, key: string, at: number): void {
  const line = ctx.line;
  const c = line[at];
  if (c === '[') {
    // `ports = [8080, 8081]`: numbers only; strings with addresses are found elsewhere. `"1-65535"`
    // and `"10000-19999"` (Terraform firewall rules) are ranges, not a port and a negative one.
    const close = line.indexOf(']', at);
    if (close < 0 || close - at > WINDOW) {
      return;
    }
    const re = /(-?\d{1,6})(?:-(\d{1,6}))?(?![\w.:])/g;
    const body = line.slice(at + 1, close);
    if (!/^[\s\d,"'-]*$/.test(body)) {
      return;
    }
    for (let m = re.exec(body); m; m = re.exec(body)) {
      const s = at + 1 + m.index;
      const extra: Partial<PortMention> = { variable: key };
      if (m[2] !== undefined) {
        extra.portEnd = Number(m[2]);
      }
      ctx.add(Number(m[1]), s, s + m[0].length, ctx.roleAt(s, 'setting'), extra);
    }
    return;
  }
  let i = at;
  const quote = c === '"' || c === "'" || c === '`' ? c : undefined;
  if (quote) {
    i++;
  }
  const digitsStart = line[i] === '-' ? i + 1 : i;
  const numEnd = digitsEnd(line, digitsStart);
  if (numEnd > digitsStart) {
    const next = line[numEnd];
    const ok = quote ? next === quote : next === undefined || !/[\w.:$]/.test(next);
    if (ok && numEnd - digitsStart <= MAX_PORT_DIGITS) {
      const m = ctx.add(Number(line.slice(i, numEnd)), i, numEnd, ctx.roleAt(i, 'setting'), {
        variable: key,
      });
      const host = hostKeyInCall(ctx, i);
      if (host !== undefined) {
        m.host = host;
      }
    }
    return;
  }
  if (quote) {
    return;
  }
  // `process.env.PORT || 4000`, `os.getenv("PORT") or 8000`, `System.getenv("PORT") ?: "8080"`.
  let end = i;
  let depth = 0;
  while (end < line.length && end - i < WINDOW) {
    const ch = line[end];
    if (ch === '(' || ch === '[' || ch === '{') {
      depth++;
    } else if (ch === ')' || ch === ']' || ch === '}') {
      if (depth === 0) {
        break;
      }
      depth--;
    } else if ((ch === ',' || ch === ';') && depth === 0) {
      break;
    }
    end++;
  }
  const expr = line.slice(i, end);
  const fallback = /(?:\|\||\?\?|\?:|\bor\b|\|)\s*(["']?)(-?\d{1,6})\1\s*\)*\s*$/.exec(expr);
  if (!fallback) {
    return;
  }
  const s = i + fallback.index + fallback[0].lastIndexOf(fallback[2]!);
  ctx.add(Number(fallback[2]), s, s + fallback[2]!.length, ctx.roleAt(s, 'setting'), {
    variable: envVariable(expr) ?? key,
    isDefault: true,
  });
}

// `redis.Redis(host='localhost', port=6379)`: the host given beside the port in the same call.
function hostKeyInCall(ctx: LineContext, at: number): string | undefined {
  const frame = ctx.enclosingCall(at);
  if (!frame) {
    return undefined;
  }
  const args = ctx.line.slice(frame.open + 1, Math.min(frame.close, frame.open + WINDOW));
  const m = /\bhost\s*[=:]\s*["']([\w.:-]{1,253})["']/i.exec(args);
  return m ? m[1] : undefined;
}

/** `os.getenv("PORT", 8000)`, `os.environ.get("PORT", "8000")`, `getOrDefault("PORT", "8080")`. */
function findEnvDefaultCalls(ctx: LineContext): void {
  const re =
    /\b(?:getenv|Getenv|get|getOrDefault|fetch|env|getProperty|GetEnvironmentVariable|getenv_or|var_or)\s*\(\s*["']([\w.-]{1,64})["']\s*,\s*(["']?)(-?\d{1,6})\2\s*\)/g;
  for (let m = re.exec(ctx.line); m; m = re.exec(ctx.line)) {
    if (!isPortLikeName(m[1]!)) {
      continue;
    }
    const s = m.index + m[0].lastIndexOf(m[3]!);
    ctx.add(Number(m[3]), s, s + m[3]!.length, ctx.roleAt(s, 'setting'), { variable: m[1], isDefault: true });
  }
}

/** `process.env.PORT || 3000` and `PORT ?? 3000` outside an assignment, e.g. inside `listen(…)`. */
function findFallbacks(ctx: LineContext): void {
  const re = /(\|\||\?\?|\?:)\s*(["']?)(-?\d{1,6})\2(?![\w.:])/g;
  for (let m = re.exec(ctx.line); m; m = re.exec(ctx.line)) {
    const left = ctx.line.slice(Math.max(0, m.index - 80), m.index);
    const name = identifierBefore(ctx.line, m.index, ' \t"\')]');
    if (name === undefined || !isPortLikeName(name)) {
      continue;
    }
    const s = m.index + m[0].lastIndexOf(m[3]!);
    ctx.add(Number(m[3]), s, s + m[3]!.length, ctx.roleAt(s, 'setting'), {
      variable: envVariable(left) ?? name,
      isDefault: true,
    });
  }
}

// The identifier that ends just before `at`, skipping characters in `skip` first (bounded walk).
function identifierBefore(line: string, at: number, skip: string, extra = ''): string | undefined {
  let i = at;
  while (i > 0 && at - i < 16 && skip.includes(line.charAt(i - 1))) {
    i--;
  }
  const end = i;
  while (
    i > 0 &&
    end - i < 64 &&
    (isWordChar(line.charCodeAt(i - 1)) || extra.includes(line.charAt(i - 1)))
  ) {
    i--;
  }
  return i < end && !isDigit(line.charCodeAt(i)) ? line.slice(i, end) : undefined;
}

// The key a value at `at` is assigned to: `listen_addr = "0.0.0.0:80"`, `Addr: ":8080"`, `bind => 'h:1'`.
function keyOfValueAt(line: string, at: number): string | undefined {
  let i = at;
  // Back over the value token itself: the `:` (or dnsmasq `#`) before the port, then the host.
  if (line[i - 1] === ':' || line[i - 1] === '#') {
    i--;
  }
  let bracket = false;
  while (i > 0 && at - i < 300 && !/[\s"'`=>]/.test(line.charAt(i - 1)) && (bracket || line[i - 1] !== ':')) {
    if (line[i - 1] === ']') {
      bracket = true;
    } else if (line[i - 1] === '[') {
      bracket = false;
    }
    i--;
  }
  while (i > 0 && /["'`]/.test(line.charAt(i - 1))) {
    i--;
  }
  while (i > 0 && /\s/.test(line.charAt(i - 1)) && at - i < 320) {
    i--;
  }
  if (!/[=:>]/.test(line[i - 1] ?? '')) {
    return undefined;
  }
  while (i > 0 && /[=:>]/.test(line.charAt(i - 1)) && at - i < 330) {
    i--;
  }
  return identifierBefore(line, i, ' \t"\'', '.-');
}

/** Shell `${PORT:-3000}` and Spring `${server.port:8080}` placeholders with a default. */
function findPlaceholders(ctx: LineContext): void {
  const line = ctx.line;
  let from = 0;
  for (;;) {
    const at = line.indexOf('${', from);
    if (at < 0) {
      break;
    }
    from = at + 2;
    const m = /^\$\{([\w.-]{1,64})(?::-|:=|-|=|:)(\d{1,6})\}/.exec(line.slice(at, at + 80));
    if (!m || !isPortLikeName(m[1]!)) {
      continue;
    }
    const s = at + m[0].length - 1 - m[2]!.length;
    ctx.add(Number(m[2]), s, s + m[2]!.length, ctx.roleAt(s, 'setting'), { variable: m[1], isDefault: true });
  }
}

/**
 * URLs and `host:port` (`connect`). Go's `":8080"` is `listen` when given to a server call or an
 * `Addr`/`listen` key, else `setting` (a `{"https:": ":443"}` table is no bind).
 */
function findAddresses(ctx: LineContext): void {
  for (const address of findAddressPorts(ctx.line, 0, {
    singleLabel: 'long-port',
    dottedHosts: 'known-tld',
  })) {
    const at = address.range.start;
    let role: PortRole = address.form === 'colonPort' ? 'setting' : 'connect';
    if (address.form !== 'url') {
      role = ctx.roleAt(at, role);
      const key = keyOfValueAt(ctx.line, at);
      if (key !== undefined && isListenLikeName(key)) {
        role = 'listen';
      }
      // Go's `Addr: ":8080"` / `addr := ":8080"`: an address with no host is where a server binds.
      if (
        key !== undefined &&
        address.form === 'colonPort' &&
        /^(addr|address|listen_?addr|http_?addr|bind_?addr)$/i.test(key.split('.').pop() ?? '')
      ) {
        role = 'listen';
      }
    }
    const m = addressMention(address, role, ctx.kind);
    m.range = { start: ctx.base + address.range.start, end: ctx.base + address.range.end };
    ctx.mentions.push(m);
  }
}
