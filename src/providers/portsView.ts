// The Ports view: Listening / Workspace / Watched. The content is plain data from portsModel.ts;
// this adapter caches it, rebuilds it once per burst of changes and turns nodes into TreeItems.
import { homedir } from 'os';
import vscode = require('vscode');
import { claimsPort } from '../model/roles';
import type { PortMention } from '../scan/mention';
import { Command } from '../present/commands';
import type { LivePorts } from './liveStatus';
import {
  DeclarationGroups,
  MAX_LISTENING_SHOWN,
  buildPortsModel,
  socketTooltip,
  type Declaration,
  type PortsModel,
  type PortsNode,
  type PortState,
  type ServiceNames,
} from '../present/portsModel';
import type { Settings } from './settings';
import type { ProcessFolders } from '../system/processIdentity';
import { PORTS_VIEW_ID } from './contributions';

/** What processes' working folders are shown against: home as `~`, workspace folders by name. */
function processFolders(): ProcessFolders {
  return {
    home: homedir(),
    workspaceFolders: (vscode.workspace.workspaceFolders ?? [])
      .filter((f) => f.uri.scheme === 'file')
      .map((f) => ({ name: f.name, path: f.uri.fsPath })),
  };
}

export { PORTS_VIEW_ID };

/** The slice of the workspace index the view reads (src/providers/workspaceIndexer.ts). */
export interface WorkspacePortsSource {
  readonly onDidChange: vscode.Event<void>;
  /** The files whose mentions changed; an empty list when everything may have (a rebuild). */
  readonly onDidChangeFiles?: vscode.Event<vscode.Uri[]>;
  /** Every indexed file with its mentions. */
  files(): Iterable<{ uri: vscode.Uri; mentions: readonly PortMention[] }>;
  /** One file's mentions ([] when it is not indexed). */
  mentionsOf(uri: vscode.Uri): readonly PortMention[];
  /** Where an offset of an indexed file is, without opening it (rows show file:line). */
  positionAt?(uri: vscode.Uri, offset: number): vscode.Position | undefined;
}

/** Bursts (a rescan touching many files, several refreshes in a row) become one tree update. */
const REFRESH_DEBOUNCE_MS = 100;

/**
 * The index's mentions as declarations with display paths, grouped by port and kept current file
 * by file: an edit regroups the edited file only, so the view and the status bar stay cheap after
 * edits and on each socket refresh.
 */
export class WorkspaceDeclarations implements vscode.Disposable {
  private readonly grouped = new DeclarationGroups<vscode.Uri>();
  /** Everything is read again on the next question (first use, a rebuild of the index). */
  private stale = true;
  private readonly pending = new Map<string, vscode.Uri>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  readonly onDidChange = this.changed.event;

  constructor(private readonly source: WorkspacePortsSource | undefined) {
    if (source?.onDidChangeFiles) {
      this.subscriptions.push(
        source.onDidChangeFiles((uris) => {
          if (uris.length === 0) {
            this.stale = true;
            this.pending.clear();
          } else {
            for (const uri of uris) {
              this.pending.set(uri.toString(), uri);
            }
          }
          this.changed.fire();
        }),
      );
    } else if (source) {
      this.subscriptions.push(
        source.onDidChange(() => {
          this.stale = true;
          this.changed.fire();
        }),
      );
    }
  }

  /** The declarations grouped by port, brought up to date with the files changed since the last call. */
  groups(): DeclarationGroups<vscode.Uri> {
    if (this.stale) {
      this.stale = false;
      this.pending.clear();
      this.grouped.clear();
      for (const { uri, mentions } of this.source?.files() ?? []) {
        this.grouped.setFile(uri.toString(), this.declarationsOf(uri, mentions));
      }
    } else if (this.pending.size > 0) {
      for (const [key, uri] of this.pending) {
        this.grouped.setFile(key, this.declarationsOf(uri, this.source?.mentionsOf(uri) ?? []));
      }
      this.pending.clear();
    }
    return this.grouped;
  }

  /** True when the workspace declares no port. */
  get isEmpty(): boolean {
    return this.groups().size === 0;
  }

  private declarationsOf(uri: vscode.Uri, mentions: readonly PortMention[]): Declaration<vscode.Uri>[] {
    const claims = mentions.filter((mention) => claimsPort(mention.role));
    if (claims.length === 0) {
      return [];
    }
    const file = displayPath(uri);
    return claims.map((mention) => {
      const at = this.source?.positionAt?.(uri, mention.range.start);
      return at ? { uri, mention, file, line: at.line + 1 } : { uri, mention, file };
    });
  }

  dispose(): void {
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
    this.changed.dispose();
  }
}

/** The workspace-relative path shown for a file (with its folder's name in a multi-root workspace). */
function displayPath(uri: vscode.Uri): string {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const only = folders.length === 1 ? folders[0] : undefined;
  if (only) {
    // asRelativePath's own way for the common case, without its per-call cost (~0.1 ms).
    const root = only.uri;
    if (root.scheme === uri.scheme && root.authority === uri.authority) {
      const base = root.path.endsWith('/') ? root.path : `${root.path}/`;
      if (uri.path.startsWith(base) && uri.path.length > base.length) {
        return uri.path.slice(base.length);
      }
    }
  }
  return vscode.workspace.asRelativePath(uri, folders.length > 1);
}

export interface PortsViewDeps {
  live: LivePorts;
  settings: Settings;
  declarations: WorkspaceDeclarations;
  names: ServiceNames;
}

type Node = PortsNode<vscode.Uri>;

export class PortsTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private model: PortsModel<vscode.Uri> | undefined;
  /** The content VS Code was last told about. */
  private shown: PortsModel<vscode.Uri> | undefined;
  private parents: Map<string, Node> | undefined;
  private filterText: string | undefined;
  private grouped: boolean;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private limit = MAX_LISTENING_SHOWN;
  private readonly changed = new vscode.EventEmitter<Node[] | undefined>();
  /** The sections VS Code last fetched as the tree's root: the objects it knows the tree by. */
  private rootShown: readonly Node[] | undefined;
  private readonly modelChanged = new vscode.EventEmitter<PortsModel<vscode.Uri>>();
  private readonly subscriptions: vscode.Disposable[] = [];
  readonly onDidChangeTreeData = this.changed.event;
  /** After every rebuild of the model (tests and the view's badge wait on it). */
  readonly onDidChangeModel = this.modelChanged.event;

  constructor(private readonly deps: PortsViewDeps) {
    this.grouped = deps.settings.current.groupBy === 'process';
    this.subscriptions.push(
      this.changed,
      this.modelChanged,
      deps.live.onDidChange(() => this.refresh()),
      deps.declarations.onDidChange(() => this.refresh()),
      deps.settings.onDidChange((config) => {
        this.grouped = config.groupBy === 'process';
        this.refresh();
      }),
    );
  }

  get filter(): string | undefined {
    return this.filterText;
  }

  setFilter(text: string | undefined): void {
    const trimmed = text?.trim();
    this.filterText = trimmed ? trimmed : undefined;
    this.refresh();
  }

  /** How many listening sockets are listed before an "N more" row. */
  get listingLimit(): number {
    return this.limit;
  }

  set listingLimit(limit: number) {
    this.limit = Math.max(1, limit);
    this.refresh();
  }

  get groupedByProcess(): boolean {
    return this.grouped;
  }

  setGroupedByProcess(grouped: boolean): void {
    this.grouped = grouped;
    this.refresh();
  }

  /** The current content, rebuilt if something changed since it was last read. */
  current(): PortsModel<vscode.Uri> {
    if (!this.model) {
      const config = this.deps.settings.current;
      this.model = buildPortsModel({
        snapshot: this.deps.live.snapshot,
        liveAvailable: this.deps.live.available,
        declarations: this.deps.declarations.groups(),
        watchPorts: config.watchPorts,
        groupByProcess: this.grouped,
        showUdp: config.showUdp,
        filter: this.filterText,
        names: this.deps.names,
        selfPid: process.pid,
        maxListening: this.limit,
        folders: processFolders(),
        t: vscode.l10n.t,
      });
      // Parents are only asked for by reveal: mapped on the first question, not on every rebuild.
      this.parents = undefined;
      this.modelChanged.fire(this.model);
    }
    return this.model;
  }

  /** Drops the cached content now and tells VS Code once the burst is over. */
  refresh(): void {
    this.model = undefined;
    if (this.timer) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // Rebuild before firing so listeners (badge, status) see the new content.
      const shown = this.shown;
      this.shown = this.current();
      // VS Code fetches and serializes the whole tree again on each change: with thousands of
      // rows that costs the host more than the rebuild, so a refresh that changed nothing shown is
      // not announced.
      // Until VS Code has fetched the root it has nothing to refresh: it reads the content when it
      // asks. A root refresh sent then reaches it (debounced) after its first fetch, and makes it
      // forget the sections whose children it is still fetching ("No tree item with id", seen
      // after a window reload).
      const known = this.rootShown;
      if (known !== undefined && (!shown || !sameRows(shown.sections, this.shown.sections))) {
        // With the same sections, only their content is refreshed, for the same reason.
        const sameSections =
          known.length === this.shown.sections.length &&
          known.every((section, i) => section.id === this.shown?.sections[i]?.id);
        this.changed.fire(sameSections ? [...known] : undefined);
      }
    }, REFRESH_DEBOUNCE_MS);
  }

  getChildren(element?: Node): Node[] {
    if (!element) {
      this.rootShown = this.current().sections;
      return this.current().sections;
    }
    return childrenOf(this.latest(element));
  }

  /** A section as the current model has it: VS Code keeps asking with the object it fetched first. */
  private latest(node: Node): Node {
    if (node.kind !== 'section') {
      return node;
    }
    return this.current().sections.find((section) => section.id === node.id) ?? node;
  }

  getParent(element: Node): Node | undefined {
    const model = this.current();
    if (!this.parents) {
      const parents = new Map<string, Node>();
      const walk = (parent: Node, children: readonly Node[]): void => {
        for (const child of children) {
          parents.set(child.id, parent);
          walk(child, childrenOf(child));
        }
      };
      for (const section of model.sections) {
        walk(section, childrenOf(section));
      }
      this.parents = parents;
    }
    const parent = this.parents.get(element.id);
    // A section is known to VS Code by the object it fetched as the root.
    return parent?.kind === 'section' ? (this.rootShown?.find((s) => s.id === parent.id) ?? parent) : parent;
  }

  getTreeItem(element: Node): vscode.TreeItem {
    const node = this.latest(element);
    const children = childrenOf(node);
    const collapsible =
      children.length === 0
        ? vscode.TreeItemCollapsibleState.None
        : node.kind === 'section' || node.kind === 'process' || node.kind === 'container'
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, collapsible);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.contextValue;
    switch (node.kind) {
      case 'section':
        item.iconPath = new vscode.ThemeIcon(
          node.section === 'listening' ? 'radio-tower' : node.section === 'workspace' ? 'folder' : 'eye',
        );
        break;
      case 'process':
        item.iconPath = new vscode.ThemeIcon('server-process');
        break;
      case 'container':
        item.iconPath = new vscode.ThemeIcon(
          'package',
          node.container.state === 'running' ? undefined : new vscode.ThemeColor('disabledForeground'),
        );
        break;
      case 'socket':
        item.iconPath =
          node.socket.proxy === 'docker'
            ? new vscode.ThemeIcon('package')
            : new vscode.ThemeIcon(
                node.protocol === 'udp' ? 'broadcast' : 'plug',
                node.socket.ownerVisible ? undefined : new vscode.ThemeColor('disabledForeground'),
              );
        break;
      case 'declared':
        item.iconPath = stateIcon(node.state);
        if (node.declarations.length === 1) {
          item.command = {
            command: Command.RevealDeclaration,
            title: vscode.l10n.t('Reveal Declaration'),
            arguments: [node],
          };
        }
        break;
      case 'declaration':
        item.iconPath = vscode.ThemeIcon.File;
        item.resourceUri = node.declaration.uri;
        item.command = {
          command: Command.RevealDeclaration,
          title: vscode.l10n.t('Reveal Declaration'),
          arguments: [node],
        };
        break;
      case 'watched':
        item.iconPath = stateIcon(node.state);
        break;
      case 'message':
        item.iconPath = new vscode.ThemeIcon('info');
        break;
    }
    return item;
  }

  /** Tooltips read the newest snapshot, so connection counts are current without redrawing the tree. */
  /** Tooltips show connection counts; older counts than this are taken again first. */
  private static readonly TOOLTIP_COUNTS_MAX_AGE_MS = 2000;

  async resolveTreeItem(item: vscode.TreeItem, node: Node): Promise<vscode.TreeItem> {
    if (node.kind === 'socket') {
      let snapshot = this.deps.live.snapshot;
      const countedAt = snapshot?.connectionsTakenAt ?? snapshot?.takenAt ?? 0;
      if (Date.now() - countedAt > PortsTreeProvider.TOOLTIP_COUNTS_MAX_AGE_MS) {
        snapshot = (await this.deps.live.refresh({ recountConnections: true })) ?? snapshot;
      }
      const fresh =
        snapshot?.sockets.find(
          (s) =>
            s.protocol === node.socket.protocol &&
            s.address === node.socket.address &&
            s.port === node.socket.port &&
            s.inode === node.socket.inode,
        ) ?? node.socket;
      item.tooltip = socketTooltip(fresh, this.deps.names, vscode.l10n.t, processFolders());
    }
    return item;
  }

  dispose(): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }
}

/** Whether two trees show the same rows (what a TreeItem is made of), children included. */
export function sameRows(a: readonly Node[], b: readonly Node[]): boolean {
  if (a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) {
    // i is below both lengths (checked equal above).
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) {
      continue;
    }
    if (
      x.kind !== y.kind ||
      x.id !== y.id ||
      x.label !== y.label ||
      x.description !== y.description ||
      x.tooltip !== y.tooltip ||
      x.contextValue !== y.contextValue ||
      (x.kind === 'socket' &&
        y.kind === 'socket' &&
        (x.socket.ownerVisible !== y.socket.ownerVisible || x.socket.proxy !== y.socket.proxy)) ||
      ((x.kind === 'declared' || x.kind === 'watched') &&
        (y.kind === 'declared' || y.kind === 'watched') &&
        x.state !== y.state) ||
      (x.kind === 'declared' && y.kind === 'declared' && x.declarations.length !== y.declarations.length) ||
      (x.kind === 'declaration' &&
        y.kind === 'declaration' &&
        x.declaration.uri.toString() !== y.declaration.uri.toString()) ||
      (x.kind === 'container' && y.kind === 'container' && x.container.state !== y.container.state) ||
      !sameRows(childrenOf(x), childrenOf(y))
    ) {
      return false;
    }
  }
  return true;
}

function childrenOf(node: Node): Node[] {
  switch (node.kind) {
    case 'section':
      return node.children as Node[];
    case 'process':
    case 'container':
      return node.children;
    case 'declared':
      return node.children;
    default:
      return [];
  }
}

function stateIcon(state: PortState): vscode.ThemeIcon {
  switch (state) {
    case 'busy':
      return new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('charts.orange'));
    case 'free':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    default:
      return new vscode.ThemeIcon('circle-outline');
  }
}

/**
 * The tree view itself: owns the provider, keeps badge, message, description and context keys in
 * step with the content, and polls the sockets only while the view is visible.
 */
export class PortsView implements vscode.Disposable {
  readonly provider: PortsTreeProvider;
  readonly view: vscode.TreeView<Node>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private groupedContext: boolean | undefined;
  private readonly contextValues = new Map<string, boolean>();
  private firstDecoration: NodeJS.Timeout | undefined;

  /** `show` gives the provider a view; by default one is created here (activation creates it earlier, see standIns.ts). */
  constructor(
    private readonly deps: PortsViewDeps,
    show?: (provider: PortsTreeProvider) => vscode.TreeView<Node>,
  ) {
    this.provider = new PortsTreeProvider(deps);
    this.view =
      show?.(this.provider) ??
      vscode.window.createTreeView(PORTS_VIEW_ID, {
        treeDataProvider: this.provider,
        showCollapseAll: true,
      });
    this.subscriptions.push(
      this.provider,
      this.view,
      this.view.onDidChangeVisibility((e) => this.onVisibility(e.visible)),
      // Live and index changes reach here through the provider's debounced rebuild.
      this.provider.onDidChangeModel(() => this.decorate()),
      deps.settings.onDidChange((config) => deps.live.setInterval(config.refreshIntervalMs)),
    );
    deps.live.setInterval(deps.settings.current.refreshIntervalMs);
    this.onVisibility(this.view.visible);
    // On the next turn, not inside activate(): building the (still empty) model is not activation's work.
    this.firstDecoration = setTimeout(() => {
      this.firstDecoration = undefined;
      this.decorate();
    }, 0);
  }

  setFilter(text: string | undefined): void {
    this.provider.setFilter(text);
    this.setContext('portolan.filtered', this.provider.filter !== undefined);
    this.decorate();
  }

  setGroupedByProcess(grouped: boolean): void {
    this.provider.setGroupedByProcess(grouped);
    this.decorate();
  }

  private onVisibility(visible: boolean): void {
    this.setContext('portolan.viewVisible', visible);
    this.deps.live.setPolling(visible && this.deps.live.available);
  }

  /** The context keys the palette's `when` clauses read, as last set (VS Code offers no way to read them back). */
  get contexts(): ReadonlyMap<string, boolean> {
    return this.contextValues;
  }

  private setContext(key: string, value: boolean): void {
    this.contextValues.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  private decorate(): void {
    clearTimeout(this.firstDecoration);
    this.firstDecoration = undefined;
    const model = this.provider.current();
    const busy = model.busyWorkspacePorts.length;
    this.view.badge =
      busy > 0
        ? {
            value: busy,
            tooltip:
              busy === 1
                ? vscode.l10n.t('1 workspace port is in use')
                : vscode.l10n.t('{0} workspace ports are in use', busy),
          }
        : undefined;
    const live = this.deps.live;
    const messages: string[] = [];
    if (!live.available) {
      messages.push(live.unavailableReason ?? vscode.l10n.t('Live ports are off.'));
    } else if (live.error) {
      messages.push(vscode.l10n.t('Could not read this machine’s sockets: {0}', live.error));
    }
    if (this.provider.filter) {
      messages.push(
        model.sections.length === 0
          ? vscode.l10n.t(
              'Nothing matches “{0}”: Clear Filter (✕ above) shows every port again.',
              this.provider.filter,
            )
          : vscode.l10n.t('Filtered by “{0}”', this.provider.filter),
      );
    }
    this.view.message = messages.length > 0 ? messages.join(' — ') : undefined;
    const snapshot = live.snapshot;
    this.view.description = snapshot
      ? snapshot.source === 'proc'
        ? vscode.l10n.t('{0} listening', model.listeningCount)
        : vscode.l10n.t('{0} listening (via {1})', model.listeningCount, snapshot.source)
      : undefined;
    if (this.groupedContext !== this.provider.groupedByProcess) {
      this.groupedContext = this.provider.groupedByProcess;
      this.setContext('portolan.groupedByProcess', this.groupedContext);
    }
  }

  dispose(): void {
    clearTimeout(this.firstDecoration);
    this.deps.live.setPolling(false);
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }
}
