// `portolan doc`: writes the workspace's declared ports to PORTS.md, between Portolan's markers,
// with the same model as the editor's `Portolan: Document Workspace Ports`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineIndex } from '../model/text';
import {
  portsDocRows,
  portsDocTable,
  PORTS_DOC_FILE,
  updatePortsDoc,
  type DocFile,
} from '../present/portsDoc';
import { scanTextReport } from '../scan';
import { isComposeFileName } from '../scan/compose';
import type { CliIo } from './io';
import { DOC, runVerb, usageError, type ParsedArgs } from './options';
import { printable } from './printable';
import { ProjectEnv } from './projectEnv';
import { DEFAULT_WALK, maxSizeOption, skipReporter, walkFiles } from './walk';

export function run(args: string[], io: CliIo): Promise<number> {
  return runVerb(DOC, args, io, (parsed) => doc(parsed, io));
}

function doc(parsed: ParsedArgs, io: CliIo): number {
  let out: string | undefined;
  let check = false;
  let stdout = false;
  for (const { name, value } of parsed.options) {
    if (name === 'out') {
      out = value;
    } else if (name === 'check') {
      check = true;
    } else if (name === 'stdout') {
      stdout = true;
    }
  }
  const maxFileSize = maxSizeOption(parsed);
  if (typeof maxFileSize !== 'number') {
    return usageError(io, DOC, maxFileSize.error);
  }
  const root = path.resolve(parsed.operands[0] ?? '.');
  const target = path.resolve(out ?? path.join(root, PORTS_DOC_FILE));
  const onSkip = skipReporter(io);
  const env = new ProjectEnv(maxFileSize);
  const files: DocFile[] = [];
  for (const file of walkFiles([root], { ...DEFAULT_WALK, maxFileSize, onSkip })) {
    if (path.resolve(file.path) === target) {
      continue;
    }
    const { mentions, skipped } = scanTextReport(
      file.path,
      file.text,
      undefined,
      isComposeFileName(file.path) ? env.forComposeFile(file.path) : undefined,
    );
    if (skipped !== undefined) {
      onSkip(file.path, skipped);
    }
    if (mentions.length > 0) {
      const lines = new LineIndex(file.text);
      files.push({
        path: path.relative(root, file.path).split(path.sep).join('/'),
        mentions,
        lineOf: (offset) => lines.position(offset).line,
      });
    }
  }
  const rows = portsDocRows(files);
  const table = portsDocTable(rows);
  if (stdout) {
    io.out(table);
    return 0;
  }
  let existing: string | undefined;
  try {
    existing = fs.readFileSync(target, 'utf8');
  } catch {
    existing = undefined;
  }
  const next = updatePortsDoc(existing, table);
  const shown = printable(path.relative(process.cwd(), target) || target);
  if (check) {
    if (next === existing) {
      io.out(`${shown} is up to date (${rows.length} ports).\n`);
      return 0;
    }
    io.err(`${shown} is out of date: run portolan doc to rewrite its table.\n`);
    return 1;
  }
  if (next !== existing) {
    fs.writeFileSync(target, next);
  }
  io.out(
    `${next === existing ? 'Unchanged' : 'Wrote'} ${shown}: ${rows.length} ports from ${new Set(rows.map((r) => r.file)).size} files.\n`,
  );
  return 0;
}
