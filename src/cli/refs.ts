// `portolan refs PORT [PATH]`: every place under PATH that names PORT, grouped by endpoint (the same
// port of the same listener), with the model behind the editor's Find All References and Rename.
import * as path from 'node:path';
import { isThisMachine, normalizeHost } from '../model/host';
import type { Protocol } from '../model/port';
import { LineIndex } from '../model/text';
import { detectFileKind, scanReport } from '../scan';
import { isComposeFileName } from '../scan/compose';
import type { FileMentions } from '../rules/types';
import { addIncludeFacts } from '../workspace/index';
import {
  EndpointMap,
  parsePortValue,
  type Endpoint,
  type EndpointLink,
  type EndpointScope,
} from '../workspace/endpoints';
import type { CliIo } from './io';
import { REFS, runVerb, usageError, type ParsedArgs } from './options';
import { printable } from './printable';
import { ProjectEnv } from './projectEnv';
import { DEFAULT_WALK, maxSizeOption, relativePath, skipReporter, walkFiles } from './walk';

/** What the user asked for: a port, maybe a protocol, maybe whose port. */
export interface RefsQuery {
  port: number;
  protocol?: Protocol;
  /** `api` in `api:8000`; `localhost` (any name of this machine) asks for the host's port. */
  host?: string;
}

/** `8080`, `53/udp`, `api:8000`, `localhost:3000/tcp`, `[::1]:80`; undefined when it is none of these. */
export function parseRefsQuery(text: string): RefsQuery | undefined {
  const match = /^(?:(\[[^\]]+\]|[^:/]+):)?(\d+)(?:\/(tcp|udp|sctp))?$/i.exec(text.trim());
  const port = match ? parsePortValue(match[2]!) : undefined;
  if (!match || port === undefined) {
    return undefined;
  }
  const query: RefsQuery = { port };
  if (match[3] !== undefined) {
    query.protocol = match[3].toLowerCase() as Protocol;
  }
  if (match[1] !== undefined) {
    query.host = normalizeHost(match[1]);
  }
  return query;
}

/** Whether an endpoint is the one a query names. */
export function endpointMatches(endpoint: Endpoint, query: RefsQuery): boolean {
  if (
    endpoint.port !== query.port ||
    (query.protocol !== undefined && endpoint.protocol !== query.protocol)
  ) {
    return false;
  }
  if (query.host === undefined) {
    return true;
  }
  if (isThisMachine(query.host)) {
    return endpoint.scope.type === 'host';
  }
  return scopeName(endpoint.scope) === query.host;
}

function scopeName(scope: EndpointScope): string | undefined {
  switch (scope.type) {
    case 'compose':
      return scope.service.toLowerCase();
    case 'kubernetes':
      return scope.name.toLowerCase();
    case 'external':
      return scope.host;
    default:
      return undefined;
  }
}

export function run(args: string[], io: CliIo): Promise<number> {
  return runVerb(REFS, args, io, (parsed) => refs(parsed, io));
}

function refs(parsed: ParsedArgs, io: CliIo): number {
  const json = parsed.options.some((o) => o.name === 'json');
  const maxFileSize = maxSizeOption(parsed);
  if (typeof maxFileSize !== 'number') {
    return usageError(io, REFS, maxFileSize.error);
  }
  const [written, where] = parsed.operands;
  if (written === undefined) {
    return usageError(io, REFS, 'which port? (PORT, PORT/udp, SERVICE:PORT or localhost:PORT)');
  }
  const query = parseRefsQuery(written);
  if (!query) {
    return usageError(io, REFS, `'${written}' is not a port: write 8080, 53/udp, api:8000 or localhost:3000`);
  }
  const root = path.resolve(where ?? '.');
  const onSkip = skipReporter(io);
  const env = new ProjectEnv(maxFileSize);
  const files: FileMentions[] = [];
  const lines = new Map<string, LineIndex>();
  const texts = new Map<string, string>();
  for (const file of walkFiles([root], { ...DEFAULT_WALK, maxFileSize, onSkip })) {
    const kind = detectFileKind(file.path, undefined, file.text);
    if (kind === undefined) {
      continue;
    }
    const { mentions, skipped } = scanReport(
      kind,
      file.text,
      file.path,
      isComposeFileName(file.path) ? env.forComposeFile(file.path) : undefined,
    );
    if (skipped !== undefined) {
      onSkip(file.path, skipped);
    }
    // Every file with a mention: the model needs each compose file and build context to place the
    // links; nginx files that include others or define upstreams too.
    const id = file.path.split(path.sep).join('/');
    const entry: FileMentions = { file: id, kind, mentions };
    if (skipped === undefined) {
      addIncludeFacts(entry, file.text);
    }
    if (mentions.length > 0 || entry.nginx || entry.composeMounts) {
      files.push(entry);
      texts.set(id, file.text);
    }
  }
  const map = EndpointMap.of(files);
  const endpoints = map
    .endpoints()
    .filter((e) => endpointMatches(e, query))
    .sort((a, b) => a.label.localeCompare(b.label) || a.id.localeCompare(b.id));
  const place = (link: EndpointLink): { line: number; column: number } => {
    let index = lines.get(link.file);
    if (!index) {
      index = new LineIndex(texts.get(link.file) ?? '');
      lines.set(link.file, index);
    }
    return index.position(link.mention.range.start);
  };
  const shown = (id: string): string => relativePath(id.split('/').join(path.sep));
  if (json) {
    io.out(
      JSON.stringify(
        endpoints.map((e) => ({
          endpoint: {
            id: e.id,
            label: e.label,
            port: e.port,
            protocol: e.protocol,
            scope: scopeJson(e.scope, shown),
          },
          forwardsTo: map.forwardsTo(e).map((f) => f.label),
          references: map.references(e).map((l) => {
            const at = place(l);
            return {
              file: shown(l.file),
              line: at.line,
              column: at.column,
              length: l.mention.range.end - l.mention.range.start,
              text: (texts.get(l.file) ?? '').slice(l.mention.range.start, l.mention.range.end),
              part: l.part,
              role: l.mention.role,
              kind: l.kind ?? null,
              inferred: l.inferred,
            };
          }),
        })),
        null,
        2,
      ) + '\n',
    );
  } else {
    const out: string[] = [];
    for (const e of endpoints) {
      out.push(`${printable(e.label)}  ${printable(describeScope(e.scope, shown))}`);
      for (const l of map.references(e)) {
        const at = place(l);
        const where = `${shown(l.file)}:${at.line}:${at.column}`;
        const what = `${l.part}${l.inferred ? '?' : ''} ${l.mention.role}${l.kind ? ` (${l.kind})` : ''}`;
        out.push(`  ${printable(where)}  ${what}`);
      }
      for (const f of map.forwardsTo(e)) {
        out.push(`  -> ${printable(f.label)}`);
      }
    }
    if (endpoints.length === 0) {
      io.err(
        `portolan refs: nothing under ${printable(relativePath(root))} mentions ${printable(written)}\n`,
      );
    } else {
      io.out(out.join('\n') + '\n');
    }
  }
  return endpoints.length === 0 ? 1 : 0;
}

function scopeJson(scope: EndpointScope, shown: (id: string) => string): Record<string, string> {
  switch (scope.type) {
    case 'compose':
      return { type: scope.type, project: shown(scope.project), service: scope.service };
    case 'container':
      return { type: scope.type, folder: shown(scope.folder) };
    case 'kubernetes':
      return { type: scope.type, what: scope.what, folder: shown(scope.folder), name: scope.name };
    default:
      return { ...scope };
  }
}

function describeScope(scope: EndpointScope, shown: (id: string) => string): string {
  switch (scope.type) {
    case 'host':
      return '(this machine)';
    case 'compose':
      return `(compose service ${scope.service} in ${shown(scope.project)})`;
    case 'container':
      return `(image built in ${shown(scope.folder)})`;
    case 'kubernetes':
      return scope.what === 'service'
        ? `(Kubernetes Service ${scope.name} in ${shown(scope.folder)})`
        : `(Kubernetes container ${scope.name} in ${shown(scope.folder)})`;
    case 'external':
      return '(outside the workspace)';
  }
}
