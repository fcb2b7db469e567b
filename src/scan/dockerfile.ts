// Dockerfiles: EXPOSE, ENV/ARG port variables, and ports in HEALTHCHECK/RUN/CMD/ENTRYPOINT commands.

import { findCodePortsInLine } from './code';
import { dedupeMentions, FileKind, MentionSyntax, PortMention, pushAll } from './mention';
import { addressMention, findAddressPorts } from './addresses';
import { splitLines, TextLine } from './lines';
import { readPortSpec, readVariableDefault, specMention } from './portSpec';
import { findPortsInValue } from './values';

const KIND: FileKind = 'dockerfile';

/** One instruction, continuation lines joined; `args` has the same length as the span it covers. */
interface Instruction {
  keyword: string;
  /** Arguments with escapes, line breaks and interleaved comment lines blanked to spaces. */
  args: string;
  /** Offset of `args` in the file. */
  start: number;
}

/**
 * Ports in a Dockerfile: `EXPOSE 8080 53/udp 3000-3005` (role `expose`, with protocol),
 * `EXPOSE $PORT` resolved from an earlier `ARG PORT=3000` / `ENV PORT=3000` (range covers `$PORT`,
 * `variable` set, `isDefault` for ARG), `ENV PORT=3000` / `ENV PORT 3000` / `ARG PORT=3000`
 * (role `setting`), URLs in ENV values, and commands: `HEALTHCHECK CMD curl -f http://localhost:8080/`,
 * `CMD ["uvicorn", …, "--port", "80"]`. Honours `\` continuations and the `# escape=` directive.
 */
export function findDockerfilePorts(text: string): PortMention[] {
  const mentions: PortMention[] = [];
  const variables = new Map<string, { port: number; fromArg: boolean }>();
  for (const instruction of instructions(text)) {
    const { keyword, args, start } = instruction;
    switch (keyword) {
      case 'EXPOSE':
        pushAll(mentions, exposePorts(args, start, variables));
        break;
      case 'ENV':
      case 'ARG':
        for (const pair of assignments(args, keyword === 'ENV')) {
          const found = findPortsInValue(
            args.slice(pair.valueStart, pair.valueEnd),
            start + pair.valueStart,
            KIND,
            pair.key,
          );
          pushAll(mentions, found);
          const value = args.slice(pair.valueStart, pair.valueEnd).replace(/^["']|["']$/g, '');
          if (/^\d{1,6}$/.test(value)) {
            variables.set(pair.key, { port: Number(value), fromArg: keyword === 'ARG' });
          }
        }
        break;
      case 'HEALTHCHECK':
      case 'RUN':
      case 'CMD':
      case 'ENTRYPOINT':
        pushAll(mentions, findCodePortsInLine(args, start, KIND));
        break;
      case 'FROM':
        // `FROM localhost:5000/app` names a registry port; `postgres:16` is only a tag.
        for (const address of findAddressPorts(args, start, { singleLabel: 'never' })) {
          mentions.push(addressMention(address, 'connect', KIND));
        }
        break;
    }
  }
  return dedupeMentions(mentions);
}

function exposePorts(
  args: string,
  start: number,
  variables: Map<string, { port: number; fromArg: boolean }>,
): PortMention[] {
  const found: PortMention[] = [];
  const token = /\S+/g;
  for (let m = token.exec(args); m; m = token.exec(args)) {
    const at = m.index;
    const end = at + m[0].length;
    // `EXPOSE -1` is an invalid port, but still a port for the rules to report.
    // `EXPOSE 127.0.0.1:8080:80`: Docker keeps only the container port (BuildKit's ExposeInvalidFormat).
    const colon = m[0].lastIndexOf(':');
    const specAt = colon >= 0 && !m[0].includes('$') ? at + colon + 1 : at;
    const spec = readPortSpec(args, specAt, end, specAt === at);
    if (spec && spec.end === end) {
      const mention = specMention(spec, start, 'expose', KIND);
      const syntax: MentionSyntax = {};
      if (specAt > at) {
        syntax.mapping = { value: args.slice(at, specAt), range: { start: start + at, end: start + specAt } };
      }
      if (spec.range.end < spec.end) {
        // The protocol as written (`TCP`), after the `/`.
        syntax.protocol = {
          value: args.slice(spec.range.end + 1, spec.end),
          range: { start: start + spec.range.end + 1, end: start + spec.end },
        };
      }
      if (syntax.mapping || syntax.protocol) {
        mention.syntax = syntax;
      }
      found.push(mention);
      continue;
    }
    const dflt = readVariableDefault(args, at, end);
    if (dflt) {
      found.push({
        port: dflt.port,
        role: 'expose',
        kind: KIND,
        variable: dflt.variable,
        isDefault: true,
        range: { start: start + dflt.range.start, end: start + dflt.range.end },
        ...protocolAfter(args, dflt.end, end),
      });
      continue;
    }
    const ref = /^\$(?:\{(\w+)\}|(\w+))/.exec(m[0]);
    if (ref) {
      const name = ref[1] ?? ref[2] ?? '';
      const known = variables.get(name);
      if (known) {
        const mention: PortMention = {
          port: known.port,
          role: 'expose',
          kind: KIND,
          variable: name,
          range: { start: start + at, end: start + at + ref[0].length },
          ...protocolAfter(args, at + ref[0].length, end),
        };
        if (known.fromArg) {
          mention.isDefault = true;
        }
        found.push(mention);
      }
    }
  }
  return found;
}

function protocolAfter(args: string, at: number, end: number): Partial<PortMention> {
  const p = /^\/(tcp|udp|sctp)$/i.exec(args.slice(at, end));
  return p ? { protocol: p[1]!.toLowerCase() as 'tcp' | 'udp' | 'sctp' } : {};
}

interface Assignment {
  key: string;
  valueStart: number;
  valueEnd: number;
}

// `KEY=value KEY2="a b"`, or the legacy `ENV KEY value with spaces` (ENV only).
function assignments(args: string, legacyAllowed: boolean): Assignment[] {
  const found: Assignment[] = [];
  let i = 0;
  const skipSpace = (): void => {
    while (i < args.length && /\s/.test(args.charAt(i))) {
      i++;
    }
  };
  skipSpace();
  const legacy = /^([A-Za-z_][\w.-]*)\s+(?=\S)/.exec(args.slice(i));
  if (legacyAllowed && legacy && !/^[A-Za-z_][\w.-]*=/.test(args.slice(i))) {
    let end = args.length;
    while (end > 0 && /\s/.test(args.charAt(end - 1))) {
      end--;
    }
    return [{ key: legacy[1]!, valueStart: i + legacy[0].length, valueEnd: end }];
  }
  while (i < args.length) {
    const key = /^([A-Za-z_][\w.-]*)(=?)/.exec(args.slice(i, i + 256));
    if (!key) {
      break;
    }
    i += key[0].length;
    if (key[2] === '=') {
      const valueStart = i;
      const q = args[i];
      if (q === '"' || q === "'") {
        i++;
        while (i < args.length && args[i] !== q) {
          i += args[i] === '\\' && q === '"' ? 2 : 1;
        }
        i = Math.min(args.length, i + 1);
      } else {
        while (i < args.length && !/\s/.test(args.charAt(i))) {
          i += args[i] === '\\' ? 2 : 1;
        }
      }
      found.push({ key: key[1]!, valueStart, valueEnd: Math.min(i, args.length) });
    }
    skipSpace();
  }
  return found;
}

function instructions(text: string): Instruction[] {
  const lines = splitLines(text);
  const escape = escapeCharacter(lines.map((l) => l.text));
  const found: Instruction[] = [];
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    const head = /^\s*([A-Za-z]+)(\s+|$)/.exec(line.text);
    if (!head || /^\s*#/.test(line.text)) {
      continue;
    }
    const start = line.start + head[0].length;
    let last = n;
    // Join continuation lines; comment and blank lines between them do not end the instruction.
    while (endsWithEscape(lines[last]!.text, escape) && last + 1 < lines.length) {
      last++;
      while (last + 1 < lines.length && /^\s*(#.*)?$/.test(lines[last]!.text)) {
        last++;
      }
    }
    const keyword = head[1]!.toUpperCase();
    if (KNOWN_INSTRUCTIONS.has(keyword)) {
      found.push({ keyword, args: joinContinuations(text, lines.slice(n, last + 1), start, escape), start });
    }
    n = last;
  }
  return found;
}

const KNOWN_INSTRUCTIONS = new Set([
  'EXPOSE',
  'ENV',
  'ARG',
  'HEALTHCHECK',
  'RUN',
  'CMD',
  'ENTRYPOINT',
  'FROM',
]);

// The text from `start` to the end of the last line, with the escape at each line end, the line
// breaks and interleaved comment lines turned into spaces so offsets still match the file.
function joinContinuations(text: string, lines: TextLine[], start: number, escape: string): string {
  let args = '';
  let at = start;
  lines.forEach((line, k) => {
    const lineEnd = line.start + line.text.length;
    const last = k === lines.length - 1;
    if (k > 0 && /^\s*#/.test(line.text)) {
      args += ' '.repeat(lineEnd - at);
    } else if (!last && endsWithEscape(line.text, escape)) {
      const cut = line.start + line.text.lastIndexOf(escape);
      args += text.slice(at, cut) + ' '.repeat(lineEnd - cut);
    } else {
      args += text.slice(at, lineEnd);
    }
    const next = last ? lineEnd : lines[k + 1]!.start;
    args += ' '.repeat(next - lineEnd);
    at = next;
  });
  return args;
}

function endsWithEscape(line: string, escape: string): boolean {
  return line.trimEnd().endsWith(escape) && !/^\s*#/.test(line);
}

// The `# escape=` parser directive, which must come before any instruction.
function escapeCharacter(lines: string[]): string {
  for (const line of lines) {
    const directive = /^#\s*escape\s*=\s*([\\`])\s*$/i.exec(line);
    if (directive) {
      return directive[1]!;
    }
    if (!/^#\s*\w+\s*=/.test(line)) {
      break;
    }
  }
  return '\\';
}
