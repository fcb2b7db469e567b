import vscode = require('vscode');
import { isValidPort } from '../model/port';
import { customPortNames } from '../data/customPorts';
import { GlobSet, type GlobProblem } from '../workspace/globs';

export type RuleSeverity = 'error' | 'warning' | 'information' | 'hint' | 'off';

/** One typed snapshot of Portolan's settings; read once per use and passed down as values. */
export interface PortolanConfig {
  customPorts: Record<string, string>;
  hoverEnabled: boolean;
  hoverLiveStatus: boolean;
  diagnosticsEnabled: boolean;
  diagnosticsScope: 'openFiles' | 'workspace';
  ruleSeverities: Record<string, RuleSeverity>;
  /** The usable patterns of `portolan.diagnostics.ignore`, compiled. */
  ignore: GlobSet;
  /** The usable patterns as written, for VS Code's own file search excludes. */
  ignoreGlobs: string[];
  /** Patterns left out of `ignore`, each to be reported once. */
  ignoreProblems: readonly GlobProblem[];
  /** File roles judged besides source and examples. */
  checkTests: boolean;
  checkDocs: boolean;
  checkVendored: boolean;
  /** `portolan.containers.rootless`: `auto` asks this machine. */
  rootless: 'auto' | 'true' | 'false';
  /** `null`: use the kernel's value. */
  privilegedPortThreshold: number | null;
  indexMaxFileSize: number;
  indexMaxFiles: number;
  refreshIntervalMs: number;
  groupBy: 'none' | 'process';
  showUdp: boolean;
  watchPorts: number[];
  statusBarEnabled: boolean;
}

export const SECTION = 'portolan';

/** The setting whose malformed patterns are reported. */
export const IGNORE_SETTING = `${SECTION}.diagnostics.ignore`;

/**
 * The settings for one place: a document's resource and language (`{ uri, languageId }`), a
 * workspace folder, or none for window-wide settings.
 */
export function readConfig(scope?: vscode.ConfigurationScope): PortolanConfig {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  // Untrusted workspaces may not rename ports for us: only user-level names count there.
  const customPorts = vscode.workspace.isTrusted
    ? c.get<Record<string, string>>('customPorts', {})
    : (c.inspect<Record<string, string>>('customPorts')?.globalValue ?? {});
  const raw = c.get<unknown>('diagnostics.ignore', []);
  const ignoreGlobs = Array.isArray(raw) ? raw.filter((g): g is string => typeof g === 'string') : [];
  const ignore = new GlobSet(ignoreGlobs);
  return {
    customPorts: customPortNames(customPorts),
    hoverEnabled: c.get('hover.enabled', true),
    hoverLiveStatus: c.get('hover.liveStatus', true),
    diagnosticsEnabled: c.get('diagnostics.enabled', true),
    diagnosticsScope:
      c.get<string>('diagnostics.scope', 'openFiles') === 'workspace' ? 'workspace' : 'openFiles',
    ruleSeverities: c.get<Record<string, RuleSeverity>>('diagnostics.rules', {}),
    ignore,
    ignoreGlobs: ignoreGlobs.filter((g) => !ignore.problems.some((p) => p.pattern === g)),
    ignoreProblems: ignore.problems,
    checkTests: c.get<unknown>('diagnostics.checkTests', false) === true,
    checkDocs: c.get<unknown>('diagnostics.checkDocs', false) === true,
    checkVendored: c.get<unknown>('diagnostics.checkVendored', false) === true,
    rootless: rootlessSetting(c.get<unknown>('containers.rootless', 'auto')),
    privilegedPortThreshold: numberOrNull(c.get('privilegedPortThreshold', null)),
    indexMaxFileSize: c.get('index.maxFileSize', 1048576),
    indexMaxFiles: c.get('index.maxFiles', 20000),
    refreshIntervalMs: Math.max(250, c.get('ports.refreshInterval', 2000)),
    groupBy: c.get<string>('ports.groupBy', 'none') === 'process' ? 'process' : 'none',
    showUdp: c.get('ports.showUdp', true),
    watchPorts: c.get<unknown[]>('watchPorts', []).filter(isValidPort),
    statusBarEnabled: c.get('statusBar.enabled', true),
  };
}

function rootlessSetting(v: unknown): 'auto' | 'true' | 'false' {
  return v === true || v === 'true' ? 'true' : v === false || v === 'false' ? 'false' : 'auto';
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** True when a configuration change touches Portolan. */
export function affectsPortolan(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION);
}
