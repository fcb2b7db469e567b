// Quick fixes as plain edits over text offsets: the editor applies them, tests compare strings.
import type { FileKind, PortMention } from '../scan/mention';
import { isLoopbackHost, isWildcardHost } from '../model/host';
import { MAX_PORT } from '../model/port';
import { forEachSpannedPort, portSpan } from './claims';
import type { FileMentions, Finding, Fix, RuleId, TextEdit, WorkspaceView } from './types';

export interface FixContext {
  file: string;
  kind: FileKind | undefined;
  text: string;
  workspace: WorkspaceView;
  /** True when something on this machine holds the port now (live data), so a fix avoids it. */
  isPortBusy?: (port: number) => boolean;
  /** The command that writes `portolan.diagnostics.rules`; omitted in contexts without commands. */
  disableRuleCommand?: string;
  /** The command that stops a port's owner after asking; omitted in contexts without commands. */
  killProcessCommand?: string;
}

// ---- comment syntax ----

const HASH_EXTENSIONS = new Set(
  'py pyw rb sh bash zsh fish ps1 psm1 pl pm r jl nim ex exs cr tf tfvars hcl nix toml ini cfg conf yaml yml properties env mk cmake coffee'.split(
    ' ',
  ),
);
const SLASH_EXTENSIONS = new Set(
  'js mjs cjs jsx ts mts cts tsx go rs java kt kts scala groovy gradle cs fs c h cc cpp cxx hpp hh m mm swift dart php jsonc json5 zig v proto'.split(
    ' ',
  ),
);
const DASH_EXTENSIONS = new Set('sql lua hs elm'.split(' '));
const HASH_NAMES = new Set([
  'makefile',
  'procfile',
  'dockerfile',
  'containerfile',
  'vagrantfile',
  'caddyfile',
  'justfile',
  'tiltfile',
]);

/** The line-comment marker of a file, or undefined when it has none (plain JSON, Markdown). */
export function lineCommentFor(file: string, kind: FileKind | undefined): string | undefined {
  switch (kind) {
    case 'compose':
    case 'nginx':
    case 'dotenv':
    case 'dockerfile':
    case 'kubernetes':
    case 'properties':
      return '#';
    case 'launchjson':
    case 'devcontainer':
      return '//';
    case 'packagejson':
      return undefined;
    default:
      break;
  }
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  const name = file.slice(cut + 1).toLowerCase();
  if (HASH_NAMES.has(name) || name.startsWith('.env') || name.startsWith('dockerfile.')) {
    return '#';
  }
  const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : '';
  if (HASH_EXTENSIONS.has(ext)) {
    return '#';
  }
  if (SLASH_EXTENSIONS.has(ext)) {
    return '//';
  }
  return DASH_EXTENSIONS.has(ext) ? '--' : undefined;
}

function lineBounds(text: string, offset: number): { start: number; end: number } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  if (end < 0) {
    end = text.length;
  }
  return { start, end: end > start && text[end - 1] === '\r' ? end - 1 : end };
}

const NEXT_LINE_MARK = 'portolan-ignore-next-line';

/**
 * Silences `rule` on the line holding `offset` with a comment on its own line above (a trailing
 * comment would change the value in .env, Dockerfile and .properties files). When the line above
 * already carries the marker, the rule is added to its list.
 */
export function ignoreLineEdit(
  text: string,
  offset: number,
  rule: RuleId | readonly RuleId[],
  file: string,
  kind: FileKind | undefined,
): TextEdit | undefined {
  const rules: readonly RuleId[] = typeof rule === 'string' ? [rule] : rule;
  const comment = lineCommentFor(file, kind);
  if (comment === undefined || rules.length === 0) {
    return undefined;
  }
  const line = lineBounds(text, offset);
  if (line.start > 0) {
    const previous = lineBounds(text, line.start - 1);
    const previousText = text.slice(previous.start, previous.end);
    const at = previousText.indexOf(NEXT_LINE_MARK);
    if (at >= 0) {
      const listStart = at + NEXT_LINE_MARK.length;
      const list = previousText.slice(listStart).match(/^[:\s]*([a-z][a-z-]*(?:\s*,\s*[a-z][a-z-]*)*)/);
      if (!list) {
        return undefined; // already silences every rule
      }
      const listEnd = previous.start + listStart + list[0].length;
      const present = list[1]!.split(/\s*,\s*/);
      const missing = rules.filter((r) => !present.includes(r));
      return missing.length === 0
        ? undefined
        : { file, range: { start: listEnd, end: listEnd }, newText: `, ${missing.join(', ')}` };
    }
  }
  const indent = /^[ \t]*/.exec(text.slice(line.start, line.end))?.[0] ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return {
    file,
    range: { start: line.start, end: line.start },
    newText: `${indent}${comment} ${NEXT_LINE_MARK} ${rules.join(', ')}${eol}`,
  };
}

// ---- ports ----

/** Host ports the workspace already uses: anything bound, published, configured or connected to locally. */
export function claimedPorts(files: Iterable<FileMentions>): Set<number> {
  const claimed = new Set<number>();
  for (const f of files) {
    for (const m of f.mentions) {
      if (
        m.role === 'target' ||
        (m.role === 'connect' && !isLoopbackHost(m.host) && !isWildcardHost(m.host))
      ) {
        continue;
      }
      forEachSpannedPort(m, (p) => claimed.add(p));
    }
  }
  return claimed;
}

/** First port at or after `from` whose whole span (`length` ports) is unclaimed and not busy. */
export function nextUnclaimedPort(
  from: number,
  claimed: Pick<ReadonlySet<number>, 'has'>,
  length = 1,
  isPortBusy?: (port: number) => boolean,
): number | undefined {
  for (let start = Math.max(1, from); start + length - 1 <= MAX_PORT; start++) {
    let free = true;
    for (let p = start; p < start + length; p++) {
      if (claimed.has(p) || isPortBusy?.(p)) {
        free = false;
        start = p; // the loop's ++ moves past the taken port
        break;
      }
    }
    if (free) {
      return start;
    }
  }
  return undefined;
}

function changePortFix(
  finding: Finding,
  port: number,
  context: FixContext,
  preferred: boolean,
): Fix | undefined {
  const mention = finding.mention;
  let edit: TextEdit;
  if (mention.implied === 'address') {
    // `listen 127.0.0.1;` → `listen 127.0.0.1:8080;`: the port is added after the address.
    const end = mention.range.end;
    edit = { file: context.file, range: { start: end, end }, newText: `:${port}` };
  } else if (mention.implied === 'server' || mention.upstream !== undefined) {
    return undefined; // no number is written there
  } else {
    const newText =
      mention.portEnd !== undefined ? `${port}-${port + (mention.portEnd - mention.port)}` : String(port);
    edit = { file: context.file, range: mention.range, newText };
  }
  return { kind: 'edit', id: 'change-port', port, rule: finding.rule, edits: [edit], preferred };
}

function pushFix(fixes: Fix[], fix: Fix | undefined): void {
  if (fix) {
    fixes.push(fix);
  }
}

function spanLength(mention: PortMention): number {
  const span = portSpan(mention);
  return span ? span.to - span.from + 1 : 1;
}

/**
 * Start of the outermost `${…}` still open at `end` on this line (the port is its default, as in
 * `${DB_PORT:-5432}`), or undefined when the port is written plainly. `$$` is a literal dollar.
 */
function openInterpolation(text: string, lineStart: number, end: number): number | undefined {
  const open: number[] = [];
  for (let i = lineStart; i < end; i++) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '$') {
      i++;
    } else if (c === '$' && text[i + 1] === '{') {
      open.push(i);
      i++;
    } else if (c === '}' && open.length > 0) {
      open.pop();
    }
  }
  return open[0];
}

/**
 * `"5432:5432"` → `"127.0.0.1:5432:5432"`; long syntax gets a `host_ip` key after `published`.
 * A port that is a variable's default is bound outside the variable, never inside `${…}`:
 * `"127.0.0.1:${DB_PORT:-5432}:5432"`, so the binding holds whatever the variable says.
 */
export function bindLoopbackEdit(text: string, mention: PortMention, file: string): TextEdit | undefined {
  const line = lineBounds(text, mention.range.start);
  const valueStart = openInterpolation(text, line.start, mention.range.start) ?? mention.range.start;
  const before = text.slice(line.start, valueStart);
  if (mention.host === undefined || mention.host === '') {
    const longSyntax = /(^|[\s{,-])published\s*:\s*["']?$/.exec(before);
    if (!longSyntax) {
      // Only where the mapping starts: a list item or a flow sequence entry, optionally quoted.
      if (!/(?:^\s*-|[[,])\s*["']?$/.test(before)) {
        return undefined;
      }
      return { file, range: { start: valueStart, end: valueStart }, newText: '127.0.0.1:' };
    }
    if (before.includes('{')) {
      return undefined; // a flow mapping would need rewriting, not an extra line
    }
    const column = before.lastIndexOf('published');
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    return {
      file,
      range: { start: line.end, end: line.end },
      newText: `${eol}${' '.repeat(column)}host_ip: 127.0.0.1`,
    };
  }
  const written = /(\[::\]|0\.0\.0\.0|::|\*):$/.exec(before);
  if (!written) {
    return undefined;
  }
  const start = valueStart - written[0].length;
  return { file, range: { start, end: start + written[1]!.length }, newText: '127.0.0.1' };
}

/** Every fix for a finding: the rule's own change first, then ignore-line and disable-rule. */
export function fixesFor(finding: Finding, context: FixContext): Fix[] {
  const fixes: Fix[] = [];
  const mention = finding.mention;
  switch (finding.rule) {
    case 'privileged-port': {
      // The rule chose the port once, free of workspace claims and busy sockets: the message names
      // it, and the fix writes exactly that one.
      const port = finding.data?.suggestedPort;
      if (port !== undefined) {
        pushFix(fixes, changePortFix(finding, port, context, true));
      }
      break;
    }
    case 'port-in-use':
    case 'port-conflict': {
      // nginx conflicts are about default_server and server_name, which a new port would not fix.
      if (mention.kind !== 'nginx' || finding.rule === 'port-in-use') {
        const claimed = context.workspace.claimedPorts();
        const port = nextUnclaimedPort(
          (mention.portEnd ?? mention.port) + 1,
          claimed,
          spanLength(mention),
          context.isPortBusy,
        );
        if (port !== undefined) {
          pushFix(fixes, changePortFix(finding, port, context, true));
        }
      }
      if (finding.rule === 'port-in-use' && context.killProcessCommand) {
        // The command looks the owner up again and asks before signalling anything.
        fixes.push({
          kind: 'command',
          id: 'stop-process',
          rule: finding.rule,
          command: context.killProcessCommand,
          args: [{ port: mention.port, protocol: mention.protocol === 'udp' ? 'udp' : 'tcp' }],
        });
      }
      break;
    }
    case 'exposed-database':
    case 'exposed-service': {
      const edit = bindLoopbackEdit(context.text, mention, context.file);
      if (edit) {
        fixes.push({
          kind: 'edit',
          id: 'bind-loopback',
          rule: finding.rule,
          edits: [edit],
          preferred: true,
        });
      }
      break;
    }
    case 'compose-base60-port': {
      const plain = mention.syntax?.plain;
      if (plain && context.text.slice(plain.range.start, plain.range.end) === plain.value) {
        fixes.push({
          kind: 'edit',
          id: 'quote-mapping',
          rule: finding.rule,
          edits: [{ file: context.file, range: plain.range, newText: `"${plain.value}"` }],
          preferred: true,
        });
      }
      break;
    }
    case 'dockerfile-expose-mapping': {
      // Docker already ignores the address and host port: dropping them changes nothing it does.
      const mapping = mention.syntax?.mapping;
      if (mapping && context.text.slice(mapping.range.start, mapping.range.end) === mapping.value) {
        fixes.push({
          kind: 'edit',
          id: 'remove-host-part',
          rule: finding.rule,
          edits: [{ file: context.file, range: mapping.range, newText: '' }],
          preferred: true,
        });
      }
      break;
    }
    case 'dockerfile-expose-protocol-case':
    case 'compose-protocol-case': {
      const protocol = mention.syntax?.protocol;
      if (protocol && context.text.slice(protocol.range.start, protocol.range.end) === protocol.value) {
        fixes.push({
          kind: 'edit',
          id: 'lowercase-protocol',
          rule: finding.rule,
          edits: [{ file: context.file, range: protocol.range, newText: protocol.value.toLowerCase() }],
          preferred: true,
        });
      }
      break;
    }
    default:
      break;
  }
  const ignore = ignoreLineEdit(context.text, mention.range.start, finding.rule, context.file, context.kind);
  if (ignore) {
    fixes.push({
      kind: 'edit',
      id: 'ignore-line',
      rule: finding.rule,
      edits: [ignore],
    });
  }
  if (context.disableRuleCommand) {
    fixes.push({
      kind: 'command',
      id: 'disable-rule',
      rule: finding.rule,
      command: context.disableRuleCommand,
      args: [finding.rule],
    });
  }
  return fixes;
}
