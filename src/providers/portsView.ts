// The Ports view: Listening / Workspace / Watched. The content is plain data from portsModel.ts;
// this adapter caches it, rebuilds it once per burst of changes and turns nodes into TreeItems.
import * as vscode from 'vscode';
import { claimsPort } from '../model/roles';
import type { PortMention } from '../scan/mention';
import { Command } from '../present/commands';
import type { LivePorts } from './liveStatus';
import {
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

export const PORTS_VIEW_ID = 'portolan.ports';

/** The slice of the workspace index the view reads (src/providers/workspaceIndexer.ts). */
export interface WorkspacePortsSource {
  readonly onDidChange: vscode.Event<void>;
  mentions(): Iterable<{ uri: vscode.Uri; mention: PortMention }>;
}

/** Bursts (a rescan touching many files, several refreshes in a row) become one tree update. */
const REFRESH_DEBOUNCE_MS = 100;

/**
 * The index's mentions as declarations with display paths, cached until the index changes, so
 * the view and the status bar do not walk every mention on each socket refresh.
 */
export class WorkspaceDeclarations implements vscode.Disposable {
  private cache: Declaration<vscode.Uri>[] | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable | undefined;
  readonly onDidChange = this.changed.event;

  constructor(private readonly source: WorkspacePortsSource | undefined) {
    this.subscription = source?.onDidChange(() => {
      this.cache = undefined;
      this.changed.fire();
    });
  }

  list(): Declaration<vscode.Uri>[] {
    if (!this.cache) {
      const list: Declaration<vscode.Uri>[] = [];
      // The folder name only tells files apart in a multi-root workspace.
      const withFolder = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
      for (const { uri, mention } of this.source?.mentions() ?? []) {
        if (claimsPort(mention.role)) {
          list.push({ uri, mention, file: vscode.workspace.asRelativePath(uri, withFolder) });
        }
      }
      // Frozen: the model groups a frozen list once (portsModel.ts), not on every refresh.
      this.cache = Object.freeze(list) as Declaration<vscode.Uri>[];
    }
    return this.cache;
  }

  dispose(): void {
    this.subscription?.dispose();
    this.changed.dispose();
  }
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
  private parents = new Map<string, Node>();
  private filterText: string | undefined;
  private grouped: boolean;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private limit = MAX_LISTENING_SHOWN;
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
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
        declarations: this.deps.declarations.list(),
        watchPorts: config.watchPorts,
        groupByProcess: this.grouped,
        showUdp: config.showUdp,
        filter: this.filterText,
        names: this.deps.names,
        selfPid: process.pid,
        maxListening: this.limit,
        t: vscode.l10n.t,
      });
      this.parents = new Map();
      const walk = (parent: Node, children: readonly Node[]): void => {
        for (const child of children) {
          this.parents.set(child.id, parent);
          walk(child, childrenOf(child));
        }
      };
      for (const section of this.model.sections) {
        walk(section, childrenOf(section));
      }
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
      this.current();
      this.changed.fire(undefined);
    }, REFRESH_DEBOUNCE_MS);
  }

  getChildren(element?: Node): Node[] {
    if (!element) {
      return this.current().sections;
    }
    return childrenOf(element);
  }

  getParent(element: Node): Node | undefined {
    this.current();
    return this.parents.get(element.id);
  }

  getTreeItem(node: Node): vscode.TreeItem {
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
      item.tooltip = socketTooltip(fresh, this.deps.names, vscode.l10n.t);
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

  constructor(private readonly deps: PortsViewDeps) {
    this.provider = new PortsTreeProvider(deps);
    this.view = vscode.window.createTreeView(PORTS_VIEW_ID, {
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
    this.decorate();
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
      messages.push(vscode.l10n.t('Filtered by “{0}”', this.provider.filter));
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
    this.deps.live.setPolling(false);
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }
}
