// `portolan scan`: every port mention in the given files and folders.
import { describePort, serviceName } from '../data/registry';
import { LineIndex } from '../model/text';
import { scanTextReport, type PortMention } from '../scan';
import { isComposeFileName } from '../scan/compose';
import type { CliIo } from './io';
import { processEnvironment } from '../scan/dotenv';
import { ProjectEnv } from './projectEnv';
import { runVerb, SCAN, usageError, type ParsedArgs } from './options';
import { formatTable } from './table';
import { DEFAULT_WALK, maxSizeOption, relativePath, skipReporter, walkFiles } from './walk';

export interface ScanRecord {
  /** Best short name for people (team, common use, IANA); not part of the JSON contract. */
  label?: string;
  file: string;
  line: number;
  column: number;
  length: number;
  port: number;
  portEnd: number | null;
  protocol: string | null;
  role: string;
  kind: string;
  service: { name: string; description: string } | null;
  host: string | null;
  context: Record<string, unknown>;
}

export function toRecord(file: string, lines: LineIndex, m: PortMention): ScanRecord {
  const { line, column } = lines.position(m.range.start);
  const info = describePort(m.port, m.protocol ?? 'tcp');
  const iana = info.iana[0];
  const context: Record<string, unknown> = {
    service: m.service,
    variable: m.variable,
    isDefault: m.isDefault,
    envFile: m.envFile,
    envLine: m.envLine,
    scheme: m.scheme,
    counterpart: m.counterpart,
    nginx: m.nginx,
    suppressed: m.suppressed,
  };
  for (const key of Object.keys(context)) {
    if (context[key] === undefined) {
      delete context[key];
    }
  }
  return {
    label: serviceName(m.port, m.protocol),
    file,
    line,
    column,
    length: m.range.end - m.range.start,
    port: m.port,
    portEnd: m.portEnd ?? null,
    protocol: m.protocol ?? null,
    role: m.role,
    kind: m.kind,
    service: iana ? { name: iana.name, description: iana.description } : null,
    host: m.host ?? null,
    context,
  };
}

export function run(args: string[], io: CliIo): Promise<number> {
  return runVerb(SCAN, args, io, (parsed) => scan(parsed, io));
}

function scan(parsed: ParsedArgs, io: CliIo): number {
  const json = parsed.options.some((o) => o.name === 'json');
  const maxFileSize = maxSizeOption(parsed);
  if (typeof maxFileSize !== 'number') {
    return usageError(io, SCAN, maxFileSize.error);
  }
  const paths = parsed.operands;
  const records: ScanRecord[] = [];
  const onSkip = skipReporter(io);
  const files = walkFiles(paths.length > 0 ? paths : ['.'], {
    ...DEFAULT_WALK,
    maxFileSize,
    onSkip,
  });
  const env = new ProjectEnv(maxFileSize, processEnvironment());
  for (const file of files) {
    const { mentions, skipped } = scanTextReport(
      file.path,
      file.text,
      undefined,
      isComposeFileName(file.path) ? env.forComposeFile(file.path) : undefined,
    );
    if (skipped !== undefined) {
      onSkip(file.path, skipped);
    }
    if (mentions.length === 0) {
      continue;
    }
    const lines = new LineIndex(file.text);
    const name = relativePath(file.path);
    for (const m of mentions) {
      records.push(toRecord(name, lines, m));
    }
  }
  io.out(
    json
      ? JSON.stringify(
          records.map(({ label: _label, ...r }) => r),
          null,
          2,
        ) + '\n'
      : formatScanTable(records),
  );
  return 0;
}

function formatScanTable(records: ScanRecord[]): string {
  if (records.length === 0) {
    return 'No ports found.\n';
  }
  const rows = records.map((r) => [
    `${r.file}:${r.line}:${r.column}`,
    `${r.portEnd !== null ? `${r.port}-${r.portEnd}` : r.port}/${r.protocol ?? 'tcp'}`,
    r.role,
    r.kind,
    [r.label, r.host, typeof r.context.service === 'string' ? `service ${r.context.service}` : undefined]
      .filter(Boolean)
      .join(' · '),
  ]);
  const files = new Set(records.map((r) => r.file)).size;
  return (
    formatTable(['WHERE', 'PORT', 'ROLE', 'KIND', 'DETAILS'], rows) +
    `\n${records.length} ports in ${files} files.\n`
  );
}
