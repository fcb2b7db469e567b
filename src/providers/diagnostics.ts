// Findings as VS Code diagnostics: one collection, refreshed immediately on open and save, after a
// trailing debounce while typing, removed on close (unless the scope is the whole workspace).
import vscode = require('vscode');
import { WorkspaceContext, type FileContext } from '../context';
import { runRules, ruleDocUrl, type RunOptions } from '../rules';
import { dependentFiles } from '../rules/dependents';
import { resolveRootless } from '../system/rootless';
import { LIVE_RULES } from '../rules/portInUse';
import { isProseFile } from '../rules/scope';
import type { FileMentions, Finding, LiveView, PortLimits, Severity } from '../rules/types';
import { readKernelPortLimits } from '../system/kernel';
import type { PortolanConfig } from './config';
import type { DocumentMentions } from './documentMentions';
import type { Settings } from './settings';
import type { WorkspaceIndexer } from './workspaceIndexer';

export const DIAGNOSTIC_SOURCE = 'Portolan';
const CHANGE_DEBOUNCE_MS = 300;
/** Indexed files per slice when the scope is the whole workspace; the event loop runs in between. */
const WORKSPACE_SLICE = 200;
/** Schemes of real files; diff views (`git:`) and output panes would only duplicate problems. */
const SCHEMES = new Set(['file', 'untitled', 'vscode-vfs', 'vscode-remote']);

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export interface DiagnosticsDeps {
  settings: Settings;
  mentions: DocumentMentions;
  index: WorkspaceIndexer;
  /** This machine's sockets, when live features run; live rules are skipped without it. */
  live?: { view: LiveView | undefined; onDidChange: vscode.Event<void> };
  /** Kernel limits; read from /proc once by default. */
  kernelLimits?: () => { unprivilegedPortStart: number; ephemeralRange: { from: number; to: number } };
}

/** The limits the rules use: the setting wins over the kernel for the privileged threshold. */
export function portLimits(config: PortolanConfig, kernel: PortLimits): PortLimits {
  const threshold = config.privilegedPortThreshold;
  return {
    unprivilegedPortStart: threshold !== null && threshold >= 0 ? threshold : kernel.unprivilegedPortStart,
    ephemeralRange: kernel.ephemeralRange,
  };
}

export class PortDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('portolan');
  /** Findings per file, with the document version they were computed from (undefined: from the index). */
  private readonly findings = new Map<string, { version: number | undefined; findings: Finding[] }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private kernel: PortLimits | undefined;
  private workspacePass = 0;
  private firstPass: NodeJS.Timeout | undefined;
  private readonly refreshed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a file's diagnostics were recomputed (tests wait on it). */
  readonly onDidRefresh = this.refreshed.event;

  constructor(private readonly deps: DiagnosticsDeps) {
    this.subscriptions.push(
      this.collection,
      this.refreshed,
      vscode.workspace.onDidOpenTextDocument((d) => this.refreshNow(d)),
      vscode.workspace.onDidSaveTextDocument((d) => this.refreshNow(d)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) {
          this.refreshSoon(e.document);
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.closed(d)),
      deps.settings.onDidChange(() => this.refreshAll()),
      deps.index.onDidChangeFiles((uris) => this.indexChanged(uris)),
    );
    if (deps.live) {
      this.subscriptions.push(deps.live.onDidChange(() => this.refreshOpen()));
    }
    // On the next turn, not inside activate(): scanning the open files is not activation's work.
    this.firstPass = setTimeout(() => {
      this.firstPass = undefined;
      this.refreshAll();
    }, 0);
  }

  /**
   * The findings behind a file's current diagnostics (code actions start from them). With a
   * document, only findings computed from its current version: offsets into older text would
   * make fixes edit the wrong characters.
   */
  findingsFor(uri: vscode.Uri, document?: vscode.TextDocument): readonly Finding[] {
    const entry = this.findings.get(uri.toString());
    if (!entry || (document && entry.version !== document.version)) {
      return [];
    }
    return entry.findings;
  }

  /** Recomputes every open document now, and the indexed files when the scope says so. */
  refreshAll(): void {
    this.refreshOpen();
    this.refreshWorkspace();
  }

  private limits(config: PortolanConfig): PortLimits {
    if (!this.kernel) {
      const read = this.deps.kernelLimits?.() ?? readKernelPortLimits();
      this.kernel = {
        unprivilegedPortStart: read.unprivilegedPortStart,
        ephemeralRange: read.ephemeralRange,
      };
    }
    return portLimits(config, this.kernel);
  }

  private refreshOpen(): void {
    for (const document of vscode.workspace.textDocuments) {
      this.refreshNow(document);
    }
  }

  private refreshSoon(document: vscode.TextDocument): void {
    if (!SCHEMES.has(document.uri.scheme)) {
      return;
    }
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!document.isClosed) {
          this.refreshNow(document);
          this.refreshNeighbours([document.uri]);
        }
      }, CHANGE_DEBOUNCE_MS),
    );
  }

  /** Computes one open document's diagnostics from its current text. */
  refreshNow(document: vscode.TextDocument): void {
    if (!SCHEMES.has(document.uri.scheme)) {
      return;
    }
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const config = this.deps.settings.for(document);
    const kind = this.deps.mentions.kindOf(document);
    const mentions = kind ? this.deps.mentions.all(document) : undefined;
    if (mentions) {
      this.deps.index.updateFromDocument(document, mentions);
    }
    if (
      !config.diagnosticsEnabled ||
      !kind ||
      !mentions ||
      isProseFile(document.uri.path, document.languageId) ||
      this.deps.index.isIgnored(document.uri)
    ) {
      this.clear(document.uri);
      return;
    }
    const file: FileMentions = { file: key, kind, mentions, text: document.getText() };
    const findings = this.run(file, config);
    this.publish(document.uri, findings, (offset) => document.positionAt(offset), document.version);
  }

  private run(file: FileMentions, config: PortolanConfig): Finding[] {
    const live = this.deps.live?.view;
    const options: RunOptions = {
      severities: config.ruleSeverities,
      extraRules: live ? LIVE_RULES : undefined,
    };
    return runRules(
      {
        file,
        workspace: this.deps.index.index,
        limits: this.limits(config),
        live,
        t: vscode.l10n.t,
        context: this.context(file, config),
      },
      options,
    );
  }

  private detectedRootless: boolean | undefined;

  /** What the file is and where it runs, from its workspace folder and the indexed Dockerfiles and Compose files. */
  private context(file: FileMentions, config: PortolanConfig): FileContext {
    const uri = vscode.Uri.parse(file.file);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const roots = folder ? [folder.uri.toString().replace(/\/?$/, '/')] : [];
    this.detectedRootless ??= resolveRootless('auto');
    const rootless = config.rootless === 'auto' ? this.detectedRootless : config.rootless === 'true';
    // The facts are kept current by the index, file by file: nothing here reads other files.
    const context = new WorkspaceContext(
      {
        checkTests: config.checkTests,
        checkDocs: config.checkDocs,
        checkVendored: config.checkVendored,
        rootless,
      },
      roots,
      this.deps.index.contextFacts,
    );
    return context.fileContext(file.file, file.text);
  }

  private publish(
    uri: vscode.Uri,
    findings: Finding[],
    positionAt: (offset: number) => vscode.Position | undefined,
    version?: number,
  ): void {
    const diagnostics: vscode.Diagnostic[] = [];
    for (const finding of findings) {
      const start = positionAt(finding.range.start);
      const end = positionAt(finding.range.end);
      if (!start || !end) {
        continue;
      }
      const diagnostic = new vscode.Diagnostic(
        new vscode.Range(start, end),
        finding.message,
        SEVERITY[finding.severity],
      );
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = { value: finding.rule, target: vscode.Uri.parse(ruleDocUrl(finding.rule)) };
      const related = finding.related
        .map((claim) => {
          const other = vscode.Uri.parse(claim.file);
          const a = this.positionIn(other, claim.range.start);
          const b = this.positionIn(other, claim.range.end);
          return a && b
            ? new vscode.DiagnosticRelatedInformation(
                new vscode.Location(other, new vscode.Range(a, b)),
                claim.message,
              )
            : undefined;
        })
        .filter((r): r is vscode.DiagnosticRelatedInformation => r !== undefined);
      if (related.length > 0) {
        diagnostic.relatedInformation = related;
      }
      diagnostics.push(diagnostic);
    }
    this.findings.set(uri.toString(), { version, findings });
    this.collection.set(uri, diagnostics);
    this.refreshed.fire(uri);
  }

  private positionIn(uri: vscode.Uri, offset: number): vscode.Position | undefined {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    return open ? open.positionAt(offset) : this.deps.index.positionAt(uri, offset);
  }

  private clear(uri: vscode.Uri): void {
    this.findings.delete(uri.toString());
    this.collection.delete(uri);
    this.refreshed.fire(uri);
  }

  private closed(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const config = this.deps.settings.for(document);
    const entry = this.deps.index.fileOf(document.uri);
    if (config.diagnosticsScope === 'workspace' && entry) {
      this.refreshIndexed(entry, config);
    } else {
      this.clear(document.uri);
    }
  }

  /** Files whose cross-file findings may depend on `uris` (the rules say which): open ones, and indexed ones in workspace scope; each once. */
  private refreshNeighbours(uris: readonly vscode.Uri[]): void {
    const dependents = new Set<string>();
    for (const uri of uris) {
      for (const file of dependentFiles(uri.toString(), this.deps.index.index)) {
        dependents.add(file);
      }
    }
    for (const document of vscode.workspace.textDocuments) {
      if (dependents.has(document.uri.toString())) {
        this.refreshNow(document);
      }
    }
    if (this.deps.settings.current.diagnosticsScope === 'workspace') {
      for (const file of dependents) {
        const entry = this.deps.index.index.get(file);
        if (entry && !this.isOpen(file)) {
          this.refreshIndexed(entry, this.deps.settings.for(vscode.Uri.parse(file)));
        }
      }
    }
  }

  private indexChanged(uris: vscode.Uri[]): void {
    if (uris.length === 0) {
      this.refreshAll();
      return;
    }
    // A deleted folder brings all its files at once: their neighbours are judged again once.
    this.refreshNeighbours(uris);
    for (const uri of uris) {
      const entry = this.deps.index.fileOf(uri);
      if (entry && !this.isOpen(entry.file) && this.deps.settings.current.diagnosticsScope === 'workspace') {
        this.refreshIndexed(entry, this.deps.settings.for(uri));
      } else if (!entry && !this.isOpen(uri.toString())) {
        this.clear(uri);
      }
    }
  }

  private isOpen(file: string): boolean {
    return vscode.workspace.textDocuments.some((d) => d.uri.toString() === file);
  }

  private refreshIndexed(entry: FileMentions, config: PortolanConfig): void {
    const uri = vscode.Uri.parse(entry.file);
    if (!config.diagnosticsEnabled || isProseFile(uri.path) || this.deps.index.isIgnored(uri)) {
      this.clear(uri);
      return;
    }
    this.publish(uri, this.run(entry, config), (offset) => this.deps.index.positionAt(uri, offset));
  }

  /** Whole-workspace scope: every indexed, unopened file, in slices that leave the event loop free. */
  private refreshWorkspace(): void {
    const pass = ++this.workspacePass;
    // The scope is window-wide; whether diagnostics are on is asked per file (refreshIndexed).
    if (this.deps.settings.current.diagnosticsScope !== 'workspace') {
      // Drop what an earlier workspace pass published for files that are not open.
      for (const key of [...this.findings.keys()]) {
        if (!this.isOpen(key)) {
          this.clear(vscode.Uri.parse(key));
        }
      }
      return;
    }
    const files = [...this.deps.index.index.allFiles()].filter(
      (f) => f.mentions.length > 0 && !this.isOpen(f.file),
    );
    const step = (from: number): void => {
      if (pass !== this.workspacePass) {
        return;
      }
      for (const f of files.slice(from, from + WORKSPACE_SLICE)) {
        this.refreshIndexed(f, this.deps.settings.for(vscode.Uri.parse(f.file)));
      }
      if (from + WORKSPACE_SLICE < files.length) {
        setImmediate(() => step(from + WORKSPACE_SLICE));
      }
    };
    step(0);
  }

  dispose(): void {
    clearTimeout(this.firstPass);
    this.workspacePass++;
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    this.timers.clear();
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }
}
