import vscode = require('vscode');
import { affectsPortolan, IGNORE_SETTING, readConfig, type PortolanConfig } from './config';

/** What a setting is read for: a document (its resource and language), a folder, or a resource. */
export type SettingsScope = vscode.TextDocument | vscode.WorkspaceFolder | vscode.Uri;

/**
 * Holds Portolan's settings and says when they change: `current` for window-wide settings, `for()`
 * for the value that applies to one document (folder settings, `[yaml]` overrides), as vscode-eslint
 * reads its settings per document. Malformed ignore globs are reported once, as a warning.
 */
export class Settings implements vscode.Disposable {
  private snapshot: PortolanConfig;
  private readonly scoped = new Map<string, PortolanConfig>();
  private readonly reported = new Set<string>();
  private readonly reports: string[] = [];
  private readonly changed = new vscode.EventEmitter<PortolanConfig>();
  private readonly subscriptions: vscode.Disposable[] = [];
  readonly onDidChange = this.changed.event;

  constructor() {
    this.snapshot = this.read(undefined);
    this.subscriptions.push(
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsPortolan(e)) {
          this.reload();
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reload()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reload()),
    );
  }

  /** Window-wide settings (the Ports view, the status bar, the index's budget). */
  get current(): PortolanConfig {
    return this.snapshot;
  }

  /** The settings that apply to a document, a workspace folder or a resource. */
  for(scope: SettingsScope): PortolanConfig {
    const { key, configurationScope } = scopeOf(scope);
    let config = this.scoped.get(key);
    if (!config) {
      config = this.read(configurationScope);
      this.scoped.set(key, config);
    }
    return config;
  }

  /** The problems reported so far (each malformed pattern once), as shown to the user. */
  get problems(): readonly string[] {
    return this.reports;
  }

  private read(scope: vscode.ConfigurationScope | undefined): PortolanConfig {
    const config = readConfig(scope);
    for (const problem of config.ignoreProblems) {
      if (this.reported.has(problem.pattern)) {
        continue;
      }
      this.reported.add(problem.pattern);
      const message = vscode.l10n.t(
        'Portolan: the pattern "{0}" in the setting {1} is not a valid glob and is left out ({2}).',
        problem.pattern,
        IGNORE_SETTING,
        problem.reason,
      );
      this.reports.push(message);
      void vscode.window.showWarningMessage(message);
    }
    return config;
  }

  private reload(): void {
    this.scoped.clear();
    this.snapshot = this.read(undefined);
    this.changed.fire(this.snapshot);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }
}

function scopeOf(scope: SettingsScope): { key: string; configurationScope: vscode.ConfigurationScope } {
  if (scope instanceof vscode.Uri) {
    return { key: scope.toString(), configurationScope: scope };
  }
  if ('languageId' in scope) {
    return {
      key: `${scope.uri.toString()}\u0000${scope.languageId}`,
      configurationScope: { uri: scope.uri, languageId: scope.languageId },
    };
  }
  return { key: scope.uri.toString(), configurationScope: scope.uri };
}
