// The one entry to the finders: which finder understands a file, and its mentions with ignore
// comments applied. Hover, diagnostics, the workspace index and the CLI all come through here.
import { inFile, logFailure } from '../model/log';
import { spendMentions, withinBudget } from './budget';
import { findCodePorts } from './code';
import { findComposePorts, isComposeFileName, type ComposeEnv } from './compose';
import { findDockerfilePorts } from './dockerfile';
import { findDotenvPorts } from './dotenv';
import { findDevcontainerPorts, findLaunchJsonPorts, findPackageJsonPorts } from './jsonFiles';
import { findKubernetesPorts, looksLikeKubernetesManifest } from './kubernetes';
import { compareMentions, type FileKind, type PortMention } from './mention';
import { findNginxPorts, isNginxFileName, looksLikeNginxConfig } from './nginx';
import { findPropertiesPorts } from './properties';

export type { FileKind, PortMention, PortRole, Protocol, TextRange } from './mention';
export { MAX_MENTIONS } from './budget';
export type { ComposeEnv } from './compose';
export { yamlParseCounts, type YamlParseCounts } from './yamlIncremental';

const finders: Record<FileKind, (text: string) => PortMention[]> = {
  code: findCodePorts,
  compose: (text) => findComposePorts(text),
  nginx: findNginxPorts,
  dotenv: findDotenvPorts,
  dockerfile: findDockerfilePorts,
  kubernetes: findKubernetesPorts,
  properties: findPropertiesPorts,
  packagejson: findPackageJsonPorts,
  launchjson: findLaunchJsonPorts,
  devcontainer: findDevcontainerPorts,
};

/** The file finder of each kind (read-only; the scaling guard makes sure each has a generated input). */
export const FINDERS: Readonly<Record<FileKind, (text: string) => PortMention[]>> = finders;

/** Kinds whose finder reads one line at a time, so a hover may scan just the line under the cursor. */
const lineOriented: ReadonlySet<FileKind> = new Set(['code', 'dotenv', 'properties']);

export function isLineOriented(kind: FileKind): boolean {
  return lineOriented.has(kind);
}

function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(i + 1);
}

/**
 * Picks the finder for a file from its name, the editor's language id when there is one, and
 * (for generic YAML) a look at the text. Returns undefined for files no finder should read.
 */
export function detectFileKind(path: string, languageId?: string, text?: string): FileKind | undefined {
  const normalized = path.replace(/\\/g, '/');
  const name = baseName(normalized).toLowerCase();
  if (languageId === 'dockercompose' || isComposeFileName(normalized)) {
    return 'compose';
  }
  if (
    languageId === 'dockerfile' ||
    name === 'dockerfile' ||
    name === 'containerfile' ||
    name.startsWith('dockerfile.') ||
    name.endsWith('.dockerfile')
  ) {
    return 'dockerfile';
  }
  if (languageId === 'dotenv' || name === '.env' || name.startsWith('.env.') || name.endsWith('.env')) {
    return 'dotenv';
  }
  if (languageId === 'nginx' || isNginxFileName(normalized)) {
    return 'nginx';
  }
  // `default.conf` beside a Dockerfile, `nginx.conf.template`, `proxy/conf/app.conf`: read as nginx
  // when the text has nginx's blocks and directives, whatever the folder is called.
  if (text !== undefined && isConfName(name) && looksLikeNginxConfig(text)) {
    return 'nginx';
  }
  if (languageId === 'properties' || name.endsWith('.properties')) {
    return 'properties';
  }
  if (name === 'package.json') {
    return 'packagejson';
  }
  if (name === 'launch.json' && /(^|\/)\.vscode\/launch\.json$/i.test(normalized)) {
    return 'launchjson';
  }
  if (name === 'devcontainer.json' || name === '.devcontainer.json') {
    return 'devcontainer';
  }
  if ((name.endsWith('.yaml') || name.endsWith('.yml') || languageId === 'yaml') && text !== undefined) {
    if (looksLikeKubernetesManifest(withoutByteOrderMark(text))) {
      return 'kubernetes';
    }
  }
  if (languageId !== undefined || isSourceLikeName(name)) {
    return 'code';
  }
  return undefined;
}

const sourceExtensions = new Set(
  (
    'js mjs cjs jsx ts mts cts tsx py pyw go rs java kt kts scala groovy gradle cs fs vb php rb erb ' +
    'sh bash zsh fish ps1 psm1 bat cmd c h cc cpp cxx hpp hh m mm swift dart ex exs erl hrl clj cljs ' +
    'lua pl pm r jl nim zig v hs elm ml ocaml cr tf tfvars hcl nix toml ini cfg conf config yaml yml ' +
    'json jsonc json5 xml plist txt md rst adoc vue svelte astro html htm sql prisma graphql proto ' +
    'service socket desktop'
  ).split(' '),
);

const sourceNames = new Set([
  'makefile',
  'procfile',
  'vagrantfile',
  'jenkinsfile',
  'caddyfile',
  'justfile',
  'tiltfile',
]);

/** `.conf` files and their templates (`default.conf.template`, `app.conf.tmpl`). */
function isConfName(name: string): boolean {
  return /\.conf(?:\.(?:template|tmpl|tpl|j2|erb))?$/.test(name);
}

function isSourceLikeName(name: string): boolean {
  if (sourceNames.has(name) || isConfName(name)) {
    return true;
  }
  const dot = name.lastIndexOf('.');
  return dot > 0 && sourceExtensions.has(name.slice(dot + 1));
}

const IGNORE_MARK = 'portolan-ignore';

/**
 * Marks mentions silenced by `portolan-ignore` (this line) or `portolan-ignore-next-line`
 * (the line below), optionally followed by rule ids: `# portolan-ignore privileged-port`.
 * Works in any comment syntax because it only looks for the marker word.
 */
export function applyIgnoreComments(text: string, mentions: PortMention[]): PortMention[] {
  if (mentions.length === 0 || !text.includes(IGNORE_MARK)) {
    return mentions;
  }
  // Each line is read once however many mentions it holds (a minified line can hold thousands).
  let lineStart = -1;
  let lineEnd = -1;
  let rules: string[] | undefined;
  for (const m of mentions) {
    if (m.range.start < lineStart || m.range.start > lineEnd) {
      lineStart = text.lastIndexOf('\n', m.range.start - 1) + 1;
      lineEnd = text.indexOf('\n', m.range.start);
      if (lineEnd < 0) {
        lineEnd = text.length;
      }
      const own = parseIgnore(text.slice(lineStart, lineEnd), false);
      const prevStart = lineStart > 0 ? text.lastIndexOf('\n', lineStart - 2) + 1 : -1;
      rules = own ?? (prevStart >= 0 ? parseIgnore(text.slice(prevStart, lineStart - 1), true) : undefined);
    }
    if (rules) {
      m.suppressed = rules.slice();
    }
  }
  return mentions;
}

function parseIgnore(line: string, nextLine: boolean): string[] | undefined {
  const at = line.indexOf(IGNORE_MARK);
  if (at < 0) {
    return undefined;
  }
  const rest = line.slice(at + IGNORE_MARK.length);
  const isNext = rest.startsWith('-next-line');
  if (isNext !== nextLine) {
    return undefined;
  }
  const ids = rest
    .slice(isNext ? '-next-line'.length : 0)
    .match(/^[:\s]*([a-z][a-z0-9-]*(?:\s*,\s*[a-z][a-z0-9-]*)*)/);
  return ids ? ids[1]!.split(/\s*,\s*/) : ['*'];
}

/**
 * Old Mac files end lines with a lone CR, which editors show as line breaks but YAML parsers and
 * the line-splitting finders do not. One LF for one CR keeps every offset where it was.
 */
function withLineFeeds(text: string): string {
  const cr = text.indexOf('\r');
  if (cr < 0 || !/\r(?!\n)/.test(text.slice(cr))) {
    return text;
  }
  return text.replace(/\r(?!\n)/g, '\n');
}

/** A leading byte order mark is not part of the first line's first word (`PORT=3000`, `apiVersion:`). */
function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Every mention in a file's text, sorted, with ignore comments applied. Never throws. */
export function scanText(path: string, text: string, languageId?: string, env?: ComposeEnv): PortMention[] {
  return scanTextReport(path, text, languageId, env).mentions;
}

/** What scanning one file found, and why it was skipped when it was. */
export interface ScanReport {
  mentions: PortMention[];
  /**
   * Set when the file was too complex to scan within its budget (nesting, YAML aliases, mention
   * count); `mentions` is then empty. A sentence for the user: "too complex to scan: …".
   */
  skipped?: string;
}

/** Like {@link scanText}, with the reason when the file was skipped as too complex. */
export function scanTextReport(
  path: string,
  text: string,
  languageId?: string,
  env?: ComposeEnv,
): ScanReport {
  const kind = detectFileKind(path, languageId, text);
  return kind ? scanReport(kind, text, path, env) : { mentions: [] };
}

/**
 * The last few large scans, by kind and exact text: the hover cache, the diagnostics and the
 * workspace index all ask for the same open document after an edit, and a YAML parse is costly.
 */
const recentScans = new Map<string, ScanReport>();
const RECENT_SCANS = 4;
const CACHED_FROM_LENGTH = 16 * 1024;

/** Every mention in text of a known kind; `file` names it in the log when a finder fails. */
export function scanAs(kind: FileKind, text: string, file?: string): PortMention[] {
  return scanReport(kind, text, file).mentions;
}

/** Like {@link scanAs}, with the reason when the file was skipped as too complex. */
export function scanReport(kind: FileKind, text: string, file?: string, env?: ComposeEnv): ScanReport {
  if (kind === 'compose' && env !== undefined && text.includes('$')) {
    // Interpolated from the project's `.env` and the environment: not cached, the same text reads differently elsewhere.
    return scanUncached(kind, text, file, env);
  }
  if (text.length < CACHED_FROM_LENGTH) {
    return scanUncached(kind, text, file);
  }
  const key = `${kind}\0${text}`;
  let report = recentScans.get(key);
  if (report) {
    recentScans.delete(key);
  } else {
    report = scanUncached(kind, text, file);
    if (recentScans.size >= RECENT_SCANS) {
      recentScans.delete(recentScans.keys().next().value!);
    }
  }
  recentScans.set(key, report);
  return { ...report, mentions: report.mentions.slice() };
}

const YAML_KINDS: ReadonlySet<FileKind> = new Set(['compose', 'kubernetes']);

function scanUncached(kind: FileKind, text: string, file: string | undefined, env?: ComposeEnv): ScanReport {
  let lines = withLineFeeds(text);
  if (!YAML_KINDS.has(kind) && lines.charCodeAt(0) === 0xfeff) {
    // A space in its place keeps every offset; YAML reads the mark itself.
    lines = ' ' + lines.slice(1);
  }
  const finder = kind === 'compose' && env ? (t: string) => findComposePorts(t, env) : finders[kind];
  // A finder bug must not take hovers or the CLI down with it; it is logged, once.
  const result = inFile(file, () => {
    try {
      return withinBudget(lines.length, () => {
        const found = finder(lines);
        spendMentions(found.length);
        return found;
      });
    } catch (error) {
      logFailure(`the ${kind} finder`, error);
      return { value: [] };
    }
  });
  if (result.tooComplex !== undefined) {
    return { mentions: [], skipped: `too complex to scan: ${result.tooComplex}` };
  }
  return { mentions: applyIgnoreComments(lines, (result.value ?? []).sort(compareMentions)) };
}
