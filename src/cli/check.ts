// `portolan check`: the editor's diagnostics for CI, over files on disk, cross-file rules included.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { MAX_PORT } from '../model/port';
import type { LineIndex } from '../model/text';
import { RULE_IDS, runRules, type SeveritySetting } from '../rules';
import { isProseFile } from '../rules/scope';
import type { Finding, PortLimits, RuleId, Severity } from '../rules/types';
import type { CliIo } from './io';
import { buildSarifLog } from './sarif';
import { DEFAULT_WALK, parseMaxSize, walkFiles } from './walk';
import { WorkspaceIndex } from '../workspace';
import { GlobSet } from '../workspace/globs';

export const CHECK_HELP = `Usage: portolan check [options] [PATH...]

Reports port problems in the files under PATH (default: the current folder), with the rules
the editor uses: invalid-port, privileged-port, port-conflict (Compose projects with their
override files, nginx default_server and server_name clashes), exposed-database,
ephemeral-port, insecure-protocol. Silence a line with a "portolan-ignore RULE" comment.

Output (default: like a compiler, "file:line:col: warning: message [rule]"):
  --json                   one JSON array of {file, line, column, length, severity, code,
                           message, related: [{file, line, column, message}]} (1-based)
  --format FORMAT          text, json, github (workflow annotations) or sarif (SARIF 2.1.0)

Exit status: 1 when an error is found, or a warning with --strict, or more than
--max-warnings warnings; 2 on bad usage; else 0.
  --strict                 warnings fail the check too
  --max-warnings N         fail when there are more than N warnings
  --rule RULE=SEVERITY     error, warning, information, hint or off (repeatable)
  --ignore GLOB            skip files matching GLOB, relative to the working folder (repeatable)
  --privileged-threshold N ports below N need privileges (default 1024, Linux's default;
                           the machine running the check is rarely the one that deploys)
  --ephemeral-range A-B    the ephemeral range (default 32768-60999, Linux's default)
  --max-size BYTES         largest file read (default 1048576)
  --settings FILE          VS Code settings to honour (default .vscode/settings.json in the
                           working folder, when present): portolan.diagnostics.rules,
                           portolan.diagnostics.ignore, portolan.privilegedPortThreshold;
                           options on the command line win
  --no-settings            ignore VS Code settings
`;

type Format = 'text' | 'json' | 'github' | 'sarif';

interface CheckOptions {
  format: Format;
  strict: boolean;
  maxWarnings: number | undefined;
  severities: Record<string, SeveritySetting>;
  ignore: string[];
  limits: PortLimits;
  maxFileSize: number;
  paths: string[];
  settingsFile: string | undefined;
  thresholdGiven: boolean;
}

export interface CheckRecord {
  file: string;
  line: number;
  column: number;
  length: number;
  severity: Severity;
  code: RuleId;
  message: string;
  related: { file: string; line: number; column: number; length: number; message: string }[];
}

const SEVERITY_VALUES = new Set(['error', 'warning', 'information', 'hint', 'off']);

function parseArgs(args: string[]): CheckOptions | string {
  const options: CheckOptions = {
    format: 'text',
    strict: false,
    maxWarnings: undefined,
    severities: {},
    ignore: [],
    limits: { unprivilegedPortStart: 1024, ephemeralRange: { from: 32768, to: 60999 } },
    maxFileSize: DEFAULT_WALK.maxFileSize,
    paths: [],
    settingsFile: path.join('.vscode', 'settings.json'),
    thresholdGiven: false,
  };
  const value = (i: number, name: string): string => {
    const v = args[i];
    if (v === undefined) {
      throw new Error(`${name} needs a value`);
    }
    return v;
  };
  try {
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '--json') {
        options.format = 'json';
      } else if (a === '--format') {
        const f = value(++i, a);
        if (f !== 'text' && f !== 'json' && f !== 'github' && f !== 'sarif') {
          return `unknown format ${f} (text, json, github, sarif)`;
        }
        options.format = f;
      } else if (a === '--strict') {
        options.strict = true;
      } else if (a === '--max-warnings') {
        const n = value(++i, a);
        if (!/^\d+$/.test(n)) {
          return '--max-warnings takes a whole number';
        }
        options.maxWarnings = Number(n);
      } else if (a === '--rule') {
        const [id, severity] = value(++i, a).split('=');
        if (!(RULE_IDS as readonly string[]).includes(id) || !SEVERITY_VALUES.has(severity)) {
          return `--rule takes RULE=SEVERITY with a rule among ${RULE_IDS.join(', ')}`;
        }
        options.severities[id] = severity as SeveritySetting;
      } else if (a === '--ignore') {
        options.ignore.push(value(++i, a));
      } else if (a === '--privileged-threshold') {
        const n = value(++i, a);
        if (!/^\d+$/.test(n) || Number(n) > MAX_PORT + 1) {
          return '--privileged-threshold takes a number from 0 to 65536';
        }
        options.limits.unprivilegedPortStart = Number(n);
        options.thresholdGiven = true;
      } else if (a === '--ephemeral-range') {
        const m = /^(\d+)-(\d+)$/.exec(value(++i, a));
        if (!m || Number(m[1]) > Number(m[2]) || Number(m[2]) > MAX_PORT) {
          return '--ephemeral-range takes FROM-TO, for example 32768-60999';
        }
        options.limits.ephemeralRange = { from: Number(m[1]), to: Number(m[2]) };
      } else if (a === '--max-size') {
        const size = parseMaxSize(value(++i, a));
        if (size === undefined) {
          return '--max-size takes a number of bytes';
        }
        options.maxFileSize = size;
      } else if (a === '--settings') {
        options.settingsFile = value(++i, a);
      } else if (a === '--no-settings') {
        options.settingsFile = undefined;
      } else if (a.startsWith('-') && a !== '-') {
        return `unknown option ${a}`;
      } else {
        options.paths.push(a);
      }
    }
  } catch (error) {
    return (error as Error).message;
  }
  return options;
}

/**
 * Merges the workspace's Portolan settings under the command line's, so CI agrees with the editor
 * (a rule turned off with the "disable rule" quick fix stays off in `portolan check`).
 */
function applySettings(
  options: CheckOptions,
  explicit: boolean,
  warn: (message: string) => void,
): string | undefined {
  const file = options.settingsFile;
  if (file === undefined || !fs.existsSync(file)) {
    return explicit && file !== undefined ? `settings file ${file} not found` : undefined;
  }
  let settings: unknown;
  try {
    settings = parseJsonc(fs.readFileSync(file, 'utf8'), [], { allowTrailingComma: true });
  } catch (error) {
    return `cannot read ${file}: ${(error as Error).message}`;
  }
  if (!settings || typeof settings !== 'object') {
    return undefined;
  }
  const s = settings as Record<string, unknown>;
  const rules = s['portolan.diagnostics.rules'];
  if (rules && typeof rules === 'object') {
    for (const [id, severity] of Object.entries(rules as Record<string, unknown>)) {
      if (typeof severity === 'string' && SEVERITY_VALUES.has(severity) && !(id in options.severities)) {
        options.severities[id] = severity as SeveritySetting;
      }
    }
  }
  const ignore = s['portolan.diagnostics.ignore'];
  if (Array.isArray(ignore)) {
    const globs = new GlobSet(ignore.filter((g): g is string => typeof g === 'string'));
    for (const problem of globs.problems) {
      warn(
        `portolan.diagnostics.ignore in ${file}: "${problem.pattern}" is not a valid glob, left out (${problem.reason})`,
      );
    }
    const bad = new Set(globs.problems.map((p) => p.pattern));
    for (const glob of ignore) {
      if (typeof glob === 'string' && !bad.has(glob)) {
        options.ignore.push(glob);
      }
    }
  }
  const threshold = s['portolan.privilegedPortThreshold'];
  if (!options.thresholdGiven && typeof threshold === 'number' && threshold >= 0) {
    options.limits.unprivilegedPortStart = threshold;
  }
  return undefined;
}

function relative(file: string): string {
  return path.relative(process.cwd(), file).split(path.sep).join('/') || '.';
}

/** Runs the rules over every readable file under `paths`; the records are sorted by file and position. */
export function checkFiles(
  options: Pick<CheckOptions, 'paths' | 'severities' | 'ignore' | 'limits' | 'maxFileSize'>,
  onSkip?: (file: string, reason: string) => void,
): CheckRecord[] {
  const ignore = new GlobSet(options.ignore);
  const workspace = new WorkspaceIndex({
    isIgnored: ignore.isEmpty ? undefined : (file) => ignore.matches(relative(file)),
  });
  for (const walked of walkFiles(options.paths.length > 0 ? options.paths : ['.'], {
    ...DEFAULT_WALK,
    maxFileSize: options.maxFileSize,
    onSkip,
  })) {
    workspace.set(walked.path, walked.text);
  }
  const records: CheckRecord[] = [];
  for (const file of workspace.files()) {
    if (isProseFile(file.file)) {
      continue; // read for cross-file claims only; examples in docs are not problems
    }
    for (const finding of runRules(
      { file, workspace, limits: options.limits },
      { severities: options.severities },
    )) {
      records.push(toRecord(file.file, file.lines, finding, workspace));
    }
  }
  return records.sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code),
  );
}

function toRecord(file: string, index: LineIndex, finding: Finding, workspace: WorkspaceIndex): CheckRecord {
  const { line, column } = index.position(finding.range.start);
  return {
    file: relative(file),
    line,
    column,
    length: finding.range.end - finding.range.start,
    severity: finding.severity,
    code: finding.rule,
    message: finding.message,
    related: finding.related.map((r) => {
      const at = (workspace.get(r.file)?.lines ?? index).position(r.range.start);
      return {
        file: relative(r.file),
        line: at.line,
        column: at.column,
        length: r.range.end - r.range.start,
        message: r.message,
      };
    }),
  };
}

export function run(args: string[], io: CliIo): Promise<number> {
  return Promise.resolve(runSync(args, io));
}

function runSync(args: string[], io: CliIo): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(CHECK_HELP);
    return 0;
  }
  const options = parseArgs(args);
  if (typeof options === 'string') {
    io.err(`portolan check: ${options}\n\n${CHECK_HELP}`);
    return 2;
  }
  const badIgnore = new GlobSet(options.ignore).problems[0];
  if (badIgnore) {
    io.err(`portolan check: --ignore "${badIgnore.pattern}" is not a valid glob (${badIgnore.reason})\n`);
    return 2;
  }
  const settingsProblem = applySettings(options, args.includes('--settings'), (message) =>
    io.err(`portolan check: ${message}\n`),
  );
  if (settingsProblem) {
    io.err(`portolan check: ${settingsProblem}\n`);
    return 2;
  }
  const records = checkFiles(options, (file, reason) => io.err(`skipped ${relative(file)}: ${reason}\n`));
  io.out(format(records, options.format));
  const errors = records.filter((r) => r.severity === 'error').length;
  const warnings = records.filter((r) => r.severity === 'warning').length;
  const failed =
    errors > 0 ||
    (options.strict && warnings > 0) ||
    (options.maxWarnings !== undefined && warnings > options.maxWarnings);
  return failed ? 1 : 0;
}

function format(records: CheckRecord[], kind: Format): string {
  switch (kind) {
    case 'json':
      return JSON.stringify(records, null, 2) + '\n';
    case 'github':
      return records.map(githubAnnotation).join('');
    case 'sarif':
      return JSON.stringify(buildSarifLog(records, { root: process.cwd() }), null, 2) + '\n';
    case 'text':
      return text(records);
  }
}

function text(records: CheckRecord[]): string {
  if (records.length === 0) {
    return '';
  }
  const out = records.map((r) => {
    const related = r.related.map((o) => `  ${o.file}:${o.line}:${o.column}: note: ${o.message}\n`).join('');
    return `${r.file}:${r.line}:${r.column}: ${r.severity}: ${r.message} [${r.code}]\n${related}`;
  });
  const count = (s: Severity): number => records.filter((r) => r.severity === s).length;
  const parts = (['error', 'warning', 'information', 'hint'] as const)
    .map((s) => [count(s), s] as const)
    .filter(([n]) => n > 0)
    .map(([n, s]) => `${n} ${s}${n === 1 || s === 'information' ? '' : 's'}`);
  return `${out.join('')}\n${parts.join(', ')}\n`;
}

// GitHub workflow commands: data escapes %, CR, LF; property values also ':' and ','.
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function githubAnnotation(r: CheckRecord): string {
  const level = r.severity === 'error' ? 'error' : r.severity === 'warning' ? 'warning' : 'notice';
  const props = [
    `file=${escapeProperty(r.file)}`,
    `line=${r.line}`,
    `col=${r.column}`,
    `endColumn=${r.column + r.length}`,
    `title=${escapeProperty(`Portolan ${r.code}`)}`,
  ].join(',');
  return `::${level} ${props}::${escapeData(r.message)}\n`;
}
