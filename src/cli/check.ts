// `portolan check`: the editor's diagnostics for CI, over files on disk, cross-file rules included.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { DEFAULT_CONTEXT_SETTINGS, WorkspaceContext, type ContextSettings } from '../context';
import { MAX_PORT } from '../model/port';
import type { LineIndex } from '../model/text';
import { RULE_IDS, runRules, type SeveritySetting } from '../rules';
import { isProseFile } from '../rules/scope';
import type { Finding, PortLimits, Severity } from '../rules/types';
import { resolveRootless } from '../system/rootless';
import { GitIgnore } from './gitignore';
import { processEnvironment } from '../scan/dotenv';
import { ProjectEnv } from './projectEnv';
import type { CliIo } from './io';
import { CHECK, runVerb, usageError, type ParsedArgs } from './options';
import { printable } from './printable';
import { buildSarifLog, type SarifRecord } from './sarif';
import { DEFAULT_WALK, parseMaxSize, readRegularFile, relativePath, skipReporter, walkFiles } from './walk';
import { WorkspaceIndex } from '../workspace';
import { GlobSet } from '../workspace/globs';

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
  /** --settings named the file: then a missing file is an error. */
  settingsGiven: boolean;
  /** Which file roles are judged, and whether the container engine is rootless. */
  context: ContextSettings;
  /** Leave out what `.gitignore` names, as git does. */
  gitignore: boolean;
}

/** One finding as `--json` prints it: the SARIF writer's record, with every related length known. */
export interface CheckRecord extends SarifRecord {
  related: { file: string; line: number; column: number; length: number; message: string }[];
}

const SEVERITY_VALUES = new Set(['error', 'warning', 'information', 'hint', 'off']);

function readOptions(parsed: ParsedArgs): CheckOptions | string {
  const options: CheckOptions = {
    format: 'text',
    strict: false,
    maxWarnings: undefined,
    severities: {},
    ignore: [],
    limits: { unprivilegedPortStart: 1024, ephemeralRange: { from: 32768, to: 60999 } },
    maxFileSize: DEFAULT_WALK.maxFileSize,
    paths: parsed.operands,
    settingsFile: path.join('.vscode', 'settings.json'),
    thresholdGiven: false,
    settingsGiven: false,
    context: { ...DEFAULT_CONTEXT_SETTINGS, rootless: resolveRootless('auto') },
    gitignore: true,
  };
  // parseArgs gives every valued option its value; in order, so the last one given wins.
  for (const { name, value = '' } of parsed.options) {
    if (name === 'json') {
      options.format = 'json';
    } else if (name === 'format') {
      if (value !== 'text' && value !== 'json' && value !== 'github' && value !== 'sarif') {
        return `unknown format ${value} (text, json, github, sarif)`;
      }
      options.format = value;
    } else if (name === 'strict') {
      options.strict = true;
    } else if (name === 'max-warnings') {
      if (!/^\d+$/.test(value)) {
        return '--max-warnings takes a whole number';
      }
      options.maxWarnings = Number(value);
    } else if (name === 'rule') {
      const [id = '', severity = ''] = value.split('=');
      if (!(RULE_IDS as readonly string[]).includes(id) || !SEVERITY_VALUES.has(severity)) {
        return `--rule takes RULE=SEVERITY with a rule among ${RULE_IDS.join(', ')}`;
      }
      options.severities[id] = severity as SeveritySetting;
    } else if (name === 'ignore') {
      options.ignore.push(value);
    } else if (name === 'privileged-threshold') {
      if (!/^\d+$/.test(value) || Number(value) > MAX_PORT + 1) {
        return '--privileged-threshold takes a number from 0 to 65536';
      }
      options.limits.unprivilegedPortStart = Number(value);
      options.thresholdGiven = true;
    } else if (name === 'ephemeral-range') {
      const m = /^(\d+)-(\d+)$/.exec(value);
      if (!m || Number(m[1]) > Number(m[2]) || Number(m[2]) > MAX_PORT) {
        return '--ephemeral-range takes FROM-TO, for example 32768-60999';
      }
      options.limits.ephemeralRange = { from: Number(m[1]), to: Number(m[2]) };
    } else if (name === 'max-size') {
      const size = parseMaxSize(value);
      if (size === undefined) {
        return '--max-size takes a number of bytes';
      }
      options.maxFileSize = size;
    } else if (name === 'settings') {
      options.settingsFile = value;
      options.settingsGiven = true;
    } else if (name === 'no-settings') {
      options.settingsFile = undefined;
    } else if (name === 'no-gitignore') {
      options.gitignore = false;
    } else if (name === 'all-files') {
      options.context = { ...options.context, checkTests: true, checkDocs: true, checkVendored: true };
    }
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
  // The default file comes with the checked-out tree: read it with the walker's guards, and never
  // through a link out of the working folder. A file named with --settings is the user's choice.
  if (!explicit) {
    let target: string;
    let inside: string;
    try {
      target = fs.realpathSync(file);
      inside = path.relative(fs.realpathSync('.'), target);
    } catch (error) {
      return `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
    }
    if (inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) {
      return `${file} links outside the working folder (to ${target}); name it with --settings to read it`;
    }
  }
  const bytes = readRegularFile(file, options.maxFileSize);
  if (typeof bytes === 'string') {
    return `cannot read ${file}: ${bytes}`;
  }
  let settings: unknown;
  try {
    settings = parseJsonc(bytes.toString('utf8'), [], { allowTrailingComma: true });
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
  const flags: Array<[string, 'checkTests' | 'checkDocs' | 'checkVendored']> = [
    ['portolan.diagnostics.checkTests', 'checkTests'],
    ['portolan.diagnostics.checkDocs', 'checkDocs'],
    ['portolan.diagnostics.checkVendored', 'checkVendored'],
  ];
  for (const [key, field] of flags) {
    if (typeof s[key] === 'boolean' && !options.context[field]) {
      options.context[field] = s[key];
    }
  }
  if (s['portolan.containers.rootless'] !== undefined) {
    options.context.rootless = resolveRootless(s['portolan.containers.rootless']);
  }
  const threshold = s['portolan.privilegedPortThreshold'];
  if (!options.thresholdGiven && typeof threshold === 'number' && threshold >= 0) {
    options.limits.unprivilegedPortStart = threshold;
  }
  return undefined;
}

/** Runs the rules over every readable file under `paths`; the records are sorted by file and position. */
export function checkFiles(
  options: Pick<CheckOptions, 'paths' | 'severities' | 'ignore' | 'limits' | 'maxFileSize'> &
    Partial<Pick<CheckOptions, 'context' | 'gitignore'>>,
  onSkip?: (file: string, reason: string) => void,
): CheckRecord[] {
  const ignore = new GlobSet(options.ignore);
  const env = new ProjectEnv(options.maxFileSize, processEnvironment());
  const workspace = new WorkspaceIndex({
    composeEnv: (file) => env.forComposeFile(file),
    isIgnored: ignore.isEmpty ? undefined : (file) => ignore.matches(relativePath(file)),
    onSkip,
  });
  // Context facts come from every file read (a Dockerfile has no port of its own to keep).
  const texts = new Map<string, string>();
  const roots = options.paths.length > 0 ? options.paths : ['.'];
  const context = new WorkspaceContext(
    options.context ?? DEFAULT_CONTEXT_SETTINGS,
    roots.map((r) => {
      const id = path.resolve(r).split(path.sep).join('/');
      return fs.existsSync(r) && fs.statSync(r).isDirectory()
        ? `${id}/`
        : id.slice(0, id.lastIndexOf('/') + 1);
    }),
  );
  const gitignore =
    options.gitignore === false ? undefined : new GitIgnore(roots.map((r) => path.resolve(r)));
  for (const root of roots) {
    readGitattributes(path.resolve(root), context);
  }
  for (const walked of walkFiles(roots, {
    ...DEFAULT_WALK,
    maxFileSize: options.maxFileSize,
    onSkip,
    exclude: gitignore ? (file, directory) => gitignore.ignores(file, directory) : undefined,
  })) {
    const entry = workspace.scan(walked.path, walked.text);
    if (!entry) {
      continue;
    }
    context.addFile(walked.path.split(path.sep).join('/'), walked.text, entry.kind);
    // The entry just scanned is stored as it is (scanning it again would rebuild its line index).
    if (workspace.add(entry)) {
      texts.set(walked.path, walked.text);
    }
  }
  const records: CheckRecord[] = [];
  for (const file of workspace.files()) {
    if (isProseFile(file.file)) {
      continue; // read for cross-file claims only; examples in docs are not problems
    }
    const fileContext = context.fileContext(file.file.split(path.sep).join('/'), texts.get(file.file));
    for (const finding of runRules(
      // The text too: the Kubernetes link rules read a manifest's Services and workloads from it.
      {
        file: { ...file, text: texts.get(file.file) },
        workspace,
        limits: options.limits,
        context: fileContext,
      },
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

/** The `.gitattributes` of a checked folder and of its repository's top, when there are any. */
function readGitattributes(root: string, context: WorkspaceContext): void {
  const seen = new Set<string>();
  for (let dir = root; ; dir = path.dirname(dir)) {
    const file = path.join(dir, '.gitattributes');
    if (!seen.has(file) && fs.existsSync(file)) {
      seen.add(file);
      try {
        context.addFile(file.split(path.sep).join('/'), fs.readFileSync(file, 'utf8'));
      } catch {
        // unreadable attributes change nothing
      }
    }
    if (fs.existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) {
      return;
    }
  }
}

function toRecord(file: string, index: LineIndex, finding: Finding, workspace: WorkspaceIndex): CheckRecord {
  const { line, column } = index.position(finding.range.start);
  return {
    file: relativePath(file),
    line,
    column,
    length: finding.range.end - finding.range.start,
    severity: finding.severity,
    code: finding.rule,
    message: finding.message,
    related: finding.related.map((r) => {
      const at = (workspace.get(r.file)?.lines ?? index).position(r.range.start);
      return {
        file: relativePath(r.file),
        line: at.line,
        column: at.column,
        length: r.range.end - r.range.start,
        message: r.message,
      };
    }),
  };
}

export function run(args: string[], io: CliIo): Promise<number> {
  return runVerb(CHECK, args, io, (parsed) => runSync(parsed, io));
}

function runSync(parsed: ParsedArgs, io: CliIo): number {
  const options = readOptions(parsed);
  if (typeof options === 'string') {
    return usageError(io, CHECK, options);
  }
  const badIgnore = new GlobSet(options.ignore).problems[0];
  if (badIgnore) {
    return usageError(io, CHECK, `--ignore "${badIgnore.pattern}" is not a valid glob (${badIgnore.reason})`);
  }
  const settingsProblem = applySettings(options, options.settingsGiven, (message) =>
    io.err(`portolan check: ${printable(message)}\n`),
  );
  if (settingsProblem) {
    io.err(`portolan check: ${printable(settingsProblem)}\n`);
    return 2;
  }
  const records = checkFiles(options, skipReporter(io));
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
  // File names and messages carry workspace text (service names, values): one line each, always.
  const out = records.map((r) => {
    const related = r.related
      .map((o) => `  ${printable(o.file)}:${o.line}:${o.column}: note: ${printable(o.message)}\n`)
      .join('');
    return `${printable(r.file)}:${r.line}:${r.column}: ${r.severity}: ${printable(r.message)} [${r.code}]\n${related}`;
  });
  const count = (s: Severity): number => records.filter((r) => r.severity === s).length;
  const parts = (['error', 'warning', 'information', 'hint'] as const)
    .map((s) => [count(s), s] as const)
    .filter(([n]) => n > 0)
    .map(([n, s]) => `${n} ${s}${n === 1 || s === 'information' ? '' : 's'}`);
  return `${out.join('')}\n${parts.join(', ')}\n`;
}

// GitHub workflow commands: data escapes %, CR, LF; property values also ':' and ','. Other control
// characters (ANSI colours, bidi) are made printable first, as in the text output.
function escapeData(s: string): string {
  return s
    .replace(/[^\r\n]+/g, printable)
    .replace(/%/g, '%25')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A');
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
