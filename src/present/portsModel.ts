// The Ports view's content as plain data: built from one socket snapshot, the workspace's declared
// ports and the watch list. No vscode import, so the whole model is unit-tested on plain Node; the
// adapter (providers/portsView.ts) only turns these nodes into TreeItems.
import { isWildcardHost, unmapIpv4 } from '../model/host';
import { isValidPort, type Protocol } from '../model/port';
import { claimsPort, MAX_RANGE_LISTED } from '../model/roles';
import { formatPlain, type Translate } from '../model/translate';
import type { PortMention } from '../scan/mention';
import { containerLabel } from '../system/containerPorts';
import { isKillable } from '../system/killSequence';
import {
  displayFolder,
  folderHints,
  processIdentity,
  processRuntime,
  type ProcessFolders,
} from '../system/processIdentity';
import { holdersOf } from '../system/socketPoller';
import { hasZone, isLinkLocal } from '../system/scopedAddress';
import type {
  ContainerAttribution,
  ListeningSnapshot,
  ListeningSocket,
  SocketProtocol,
} from '../system/types';

export { formatPlain, type Translate } from '../model/translate';

/** What the model needs from the port registry. */
export interface ServiceNames {
  serviceName(port: number, protocol: SocketProtocol): string | undefined;
  isTlsPort(port: number): boolean;
  /** The registry's scheme when the port conventionally serves HTTP. */
  browserScheme?(port: number): 'http' | 'https' | undefined;
  /**
   * The name a live row shows next to its holder, only when it helps (data/registry liveServiceName);
   * `holder` is undefined when nobody visible holds the port. Without it, rows show serviceName.
   */
  liveName?(
    port: number,
    protocol: SocketProtocol,
    holder: { identity: string; runtime?: string } | undefined,
  ): string | undefined;
  /**
   * What the listener answered an HTTP request (system/httpProbe), undefined until it has answered.
   * When present, it alone decides whether "Open in Browser" is offered; the port number does not.
   */
  httpProbe?(socket: ListeningSocket): 'http' | 'tls' | 'other' | undefined;
}

/** Whether a row or hover offers "Open in Browser" for these holders of a port. */
export function offersBrowser(
  holders: readonly ListeningSocket[],
  port: number,
  protocol: SocketProtocol,
  names: ServiceNames,
): boolean {
  if (protocol !== 'tcp') {
    return false;
  }
  const reachable = holders.filter((h) => canOpenInBrowser(h.address));
  if (names.httpProbe) {
    return reachable.some((h) => {
      const answer = names.httpProbe!(h);
      return answer === 'http' || answer === 'tls';
    });
  }
  return reachable.length > 0 && looksLikeHttp(port, protocol, names);
}

/** The service name on a live socket's row: see ServiceNames.liveName. */
export function liveServiceLabel(socket: ListeningSocket, names: ServiceNames): string | undefined {
  if (!names.liveName) {
    return names.serviceName(socket.port, socket.protocol);
  }
  const holder =
    socket.ownerVisible && socket.owners.length > 0
      ? { identity: processIdentity(socket), runtime: processRuntime(socket) }
      : undefined;
  return names.liveName(socket.port, socket.protocol, holder);
}

/** One place in the workspace that claims a port; `U` is `vscode.Uri` in the extension. */
export interface Declaration<U> {
  uri: U;
  /** Workspace-relative path for display. */
  file: string;
  /** 1-based line of the mention, when known. */
  line?: number;
  mention: PortMention;
}

export type SectionId = 'listening' | 'workspace' | 'watched';

interface NodeBase {
  /** Stable across refreshes, so VS Code keeps expansion and selection. */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** Space-separated words matched by the `viewItem` regexes in package.json. */
  contextValue?: string;
}

export interface SectionNode extends NodeBase {
  kind: 'section';
  section: SectionId;
  children: PortsNode<unknown>[];
}

export interface ProcessNode extends NodeBase {
  kind: 'process';
  pid?: number;
  children: SocketNode[];
}

/** The sockets one container publishes, beside the process groups. */
export interface ContainerNode extends NodeBase {
  kind: 'container';
  container: ContainerAttribution;
  children: SocketNode[];
}

export interface SocketNode extends NodeBase {
  kind: 'socket';
  socket: ListeningSocket;
  port: number;
  protocol: SocketProtocol;
}

/** A port state shared by Workspace and Watched items. */
export type PortState = 'free' | 'busy' | 'unknown';

export interface DeclaredPortNode<U = unknown> extends NodeBase {
  kind: 'declared';
  port: number;
  protocol: SocketProtocol;
  state: PortState;
  holders: ListeningSocket[];
  declarations: Declaration<U>[];
  /** Only when the port is declared in more than one place; otherwise clicking opens the one. */
  children: DeclarationNode<U>[];
}

export interface DeclarationNode<U = unknown> extends NodeBase {
  kind: 'declaration';
  port: number;
  declaration: Declaration<U>;
}

export interface WatchedPortNode extends NodeBase {
  kind: 'watched';
  port: number;
  protocol: SocketProtocol;
  state: PortState;
  holders: ListeningSocket[];
}

export interface MessageNode extends NodeBase {
  kind: 'message';
}

export type PortsNode<U = unknown> =
  | SectionNode
  | ProcessNode
  | ContainerNode
  | SocketNode
  | DeclaredPortNode<U>
  | DeclarationNode<U>
  | WatchedPortNode
  | MessageNode;

export interface PortsModelInput<U> {
  /** Undefined before the first refresh or when live features are off. */
  snapshot: ListeningSnapshot | undefined;
  liveAvailable: boolean;
  declarations: Iterable<Declaration<U>> | DeclarationGroups<U>;
  watchPorts: readonly number[];
  groupByProcess: boolean;
  showUdp: boolean;
  filter?: string;
  names: ServiceNames;
  /** The extension host's pid: its own sockets are not offered for killing. */
  selfPid?: number;
  /** At most this many sockets are listed (default MAX_LISTENING_SHOWN). */
  maxListening?: number;
  /** Home and workspace folders, to show processes' working folders against. */
  folders?: ProcessFolders;
  t?: Translate;
}

export interface PortsModel<U> {
  sections: SectionNode[];
  /** Declared ports held by some process right now, unfiltered (the view badge and status bar). */
  busyWorkspacePorts: DeclaredPortNode<U>[];
  workspacePortCount: number;
  listeningCount: number;
}

/** Listening rows shown before the rest is summed up in one "N more" row. */
export const MAX_LISTENING_SHOWN = 2000;

export function buildPortsModel<U>(input: PortsModelInput<U>): PortsModel<U> {
  const t = input.t ?? formatPlain;
  const snapshot = input.liveAvailable ? input.snapshot : undefined;
  const sockets = (snapshot?.sockets ?? []).filter((s) => input.showUdp || s.protocol === 'tcp');
  const filter = parseFilter(input.filter);
  const watched = new Set(input.watchPorts);
  const folders = input.folders ?? {};
  const context: NodeContext = {
    t,
    names: input.names,
    watched,
    selfPid: input.selfPid,
    folders,
    folderHints: folderHints(
      sockets.flatMap((s) => (s.ownerVisible ? s.owners : [])),
      folders,
    ),
  };

  const sections: SectionNode[] = [];

  if (input.liveAvailable) {
    const matching = filter
      ? sockets.filter((s) => matchesFilter(filter, socketSearchFields(s, input.names)))
      : sockets;
    // A tree of tens of thousands of rows helps nobody and costs the renderer; the filter narrows it.
    // Rows are built for the shown sockets only.
    const limit = input.maxListening ?? MAX_LISTENING_SHOWN;
    const shown = (matching.length > limit ? matching.slice(0, limit) : matching).map((s) =>
      socketNode(s, context),
    );
    const children: PortsNode[] = input.groupByProcess ? groupByProcess(shown, context) : [...shown];
    if (shown.length < matching.length) {
      children.push(
        messageNode(
          'listening/more',
          t('{0} more sockets: use Filter to narrow the list', matching.length - shown.length),
        ),
      );
    }
    if (!snapshot) {
      children.push(messageNode('listening/loading', t('Reading this machine’s sockets…')));
    } else if (matching.length === 0 && !filter) {
      children.push(messageNode('listening/none', t('Nothing is listening')));
    }
    if (!filter || matching.length > 0) {
      sections.push({
        kind: 'section',
        section: 'listening',
        id: 'section/listening',
        label: t('Listening'),
        description: snapshot ? String(matching.length) : undefined,
        children,
      });
    }
  }

  const declaredAll = declaredPorts(input.declarations, snapshot, context);
  const declaredShown = filter
    ? declaredAll.filter((n) => matchesFilter(filter, declaredSearchFields(n, input.names)))
    : declaredAll;
  if (!filter || declaredShown.length > 0) {
    const children: PortsNode[] =
      declaredShown.length > 0
        ? declaredShown
        : [messageNode('workspace/none', t('No ports declared in this workspace'))];
    const busyCount = declaredAll.filter((n) => n.state === 'busy').length;
    sections.push({
      kind: 'section',
      section: 'workspace',
      id: 'section/workspace',
      label: t('Workspace'),
      description: snapshot
        ? t('{0} busy of {1}', busyCount, declaredAll.length)
        : String(declaredAll.length),
      children,
    });
  }

  const watchedNodes = [...watched]
    .sort((a, b) => a - b)
    .map((port) => watchedNode(port, snapshot, context))
    .filter((n) => matchesFilter(filter, portSearchFields(n.port, 'tcp', n.holders, input.names)));
  if (!filter || watchedNodes.length > 0) {
    sections.push({
      kind: 'section',
      section: 'watched',
      id: 'section/watched',
      label: t('Watched'),
      description: watched.size > 0 ? String(watched.size) : undefined,
      children:
        watchedNodes.length > 0
          ? watchedNodes
          : [
              messageNode(
                'watched/none',
                t('No watched ports: add some with “Watch Port” or the portolan.watchPorts setting'),
              ),
            ],
    });
  }

  makeIdsUnique(sections);
  return {
    sections,
    busyWorkspacePorts: declaredAll.filter((n) => n.state === 'busy'),
    workspacePortCount: declaredAll.length,
    listeningCount: sockets.length,
  };
}

/**
 * VS Code refuses a tree with two items of one id ("Element with id … is already registered").
 * Ids are built from what a node shows, which is unique in every snapshot a reader returns; this
 * walk makes that hold by construction for anything a reader, a finder or a future node kind
 * repeats: the second of an id becomes `id~2`, the third `id~3`, in tree order, so ids stay stable
 * across refreshes that keep the order.
 */
export function makeIdsUnique(sections: readonly PortsNode<unknown>[]): void {
  const seen = new Map<string, number>();
  const visit = (nodes: readonly PortsNode<unknown>[]): void => {
    for (const node of nodes) {
      const count = (seen.get(node.id) ?? 0) + 1;
      seen.set(node.id, count);
      if (count > 1) {
        let id = `${node.id}~${count}`;
        while (seen.has(id)) {
          id = `${id}~`;
        }
        seen.set(id, 1);
        node.id = id;
      }
      // A declared port's rows are unique by construction (declaredPorts): the port's own id, then
      // file and offset, made unique among themselves once per change of the port's declarations.
      if ('children' in node && node.kind !== 'declared') {
        visit(node.children as readonly PortsNode<unknown>[]);
      }
    }
  };
  visit(sections);
}

export interface NodeContext {
  t: Translate;
  names: ServiceNames;
  watched: ReadonlySet<number>;
  selfPid?: number;
  folders?: ProcessFolders;
  /** pid -> the folder its row names (system/processIdentity folderHints). */
  folderHints?: ReadonlyMap<number, string>;
}

/**
 * Host to reach a listener at from this machine: wildcard binds are reached through localhost.
 * A zone stays (`[fe80::1%6]`): a link-local address without it names no interface.
 */
export function reachableHost(address: string | undefined): string {
  if (!address || isWildcardHost(address)) {
    return 'localhost';
  }
  const unmapped = unmapIpv4(address);
  return unmapped.includes(':') ? `[${unmapped}]` : unmapped;
}

/** `host:port` as a user would type it (IPv6 in brackets). */
export function hostPort(address: string | undefined, port: number): string {
  return `${reachableHost(address)}:${port}`;
}

/**
 * The URL "Open in Browser" opens; undefined for a link-local address without its zone, which
 * names no interface and would reach whatever answers on the browser's choice of link. In a URL
 * the zone's `%` is written `%25` (RFC 6874).
 */
export function browserUrl(address: string | undefined, port: number, tls: boolean): string | undefined {
  if (!canOpenInBrowser(address)) {
    return undefined;
  }
  const host = reachableHost(address).replace(/%(?=[^%]*\]$)/, '%25');
  return `${tls ? 'https' : 'http'}://${host}:${port}/`;
}

/** False for a link-local address without a zone: no URL reaches it unambiguously. */
export function canOpenInBrowser(address: string | undefined): boolean {
  return !address || !isLinkLocal(address) || hasZone(address);
}

/**
 * `postgres (812)`, `node server.js in api (4242)` when the folder tells it apart from another
 * `node server.js` (folderHints), or a clear stand-in when nobody visible holds the socket.
 */
export function ownerLabel(
  socket: ListeningSocket,
  t: Translate = formatPlain,
  hints?: ReadonlyMap<number, string>,
): string {
  if (socket.container) {
    return t('container {0}', socket.container.name);
  }
  if (!socket.ownerVisible || socket.pid === undefined) {
    return t('owner not visible');
  }
  return `${processName(socket, t, hints)} (${socket.pid})`;
}

/** The process's identity, with the folder that tells it apart when there is one. */
function processName(
  socket: ListeningSocket,
  t: Translate,
  hints: ReadonlyMap<number, string> | undefined,
): string {
  const identity = processIdentity(socket);
  const folder = socket.pid !== undefined ? hints?.get(socket.pid) : undefined;
  return folder ? t('{0} in {1}', identity, folder) : identity;
}

/** Description of a listening socket: `postgres (812) · postgresql · 127.0.0.1 · tcp`. */
export function socketDescription(
  socket: ListeningSocket,
  names: ServiceNames,
  t: Translate = formatPlain,
  hints?: ReadonlyMap<number, string>,
): string {
  if (socket.container) {
    return [containerLabel(socket.container), containerState(socket.container), socket.address].join(' · ');
  }
  // Who holds it first: a 300 px side bar shows the port and its holder; the address follows.
  const parts = [ownerLabel(socket, t, hints)];
  if (socket.proxy === 'docker') {
    parts.push(t('Docker-published port'));
  }
  const service = liveServiceLabel(socket, names);
  if (service) {
    parts.push(service);
  }
  parts.push(socket.address, socket.protocol);
  return parts.join(' · ');
}

export function socketTooltip(
  socket: ListeningSocket,
  names: ServiceNames,
  t: Translate = formatPlain,
  folders?: ProcessFolders,
): string {
  const lines = [`${socket.protocol.toUpperCase()} ${hostPortLiteral(socket.address, socket.port)}`];
  const service = names.serviceName(socket.port, socket.protocol);
  if (service) {
    lines.push(t('Service: {0}', service));
  }
  const container = socket.container;
  if (container) {
    lines.push(t('Container: {0} ({1})', container.name, containerState(container)));
    lines.push(t('Image: {0}', container.image));
    if (container.project !== undefined) {
      lines.push(t('Compose: service {0} of project {1}', container.service ?? '?', container.project));
    }
    lines.push(t('Port in the container: {0}', container.privatePort));
    if (socket.publishedOnly) {
      lines.push(t('Forwarded by the container engine, with no proxy process on this machine.'));
    }
  }
  if (socket.ownerVisible && socket.owners.length > 0) {
    for (const owner of socket.owners) {
      lines.push(t('Process: {0} (pid {1})', processIdentity(owner), owner.pid));
    }
    if (socket.command) {
      lines.push(t('Command: {0}', socket.command));
    }
    if (socket.cwd) {
      lines.push(t('Folder: {0}', displayFolder(socket.cwd, folders?.home)));
    }
  } else if (!socket.publishedOnly) {
    lines.push(t('Owner not visible (another user or another pid namespace)'));
  }
  if (socket.user !== undefined || socket.uid !== undefined) {
    lines.push(t('User: {0}', socket.user ?? String(socket.uid)));
  }
  if (socket.proxy === 'docker') {
    lines.push(
      container
        ? t('Stop container {0} to free the port.', container.name)
        : t('Published by Docker: stop the container to free the port.'),
    );
  }
  if (socket.protocol === 'tcp') {
    const c = socket.connections;
    lines.push(
      t(
        'Connections: {0} established, {1} TIME_WAIT, {2} CLOSE_WAIT',
        c.established,
        c.timeWait,
        c.closeWait,
      ),
    );
  }
  return lines.join('\n');
}

function hostPortLiteral(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Whether "Open in Browser" makes sense: TLS ports, web-ish services and unknown TCP ports. */
export function looksLikeHttp(port: number, protocol: SocketProtocol, names: ServiceNames): boolean {
  if (protocol !== 'tcp') {
    return false;
  }
  if (names.isTlsPort(port) || names.browserScheme?.(port)) {
    return true;
  }
  const service = names.serviceName(port, protocol);
  return !service || /http|www|web|alt|proxy|dev|grafana|prometheus|jupyter|kibana/i.test(service);
}

/** `running`, or the engine's `Up 3 minutes` when it says more. */
export function containerState(container: ContainerAttribution): string {
  return container.status || container.state;
}

/** Context words of a container row (and of a socket a container publishes). */
function containerWords(container: ContainerAttribution): string[] {
  const words = ['container'];
  if (container.configFiles !== undefined || container.workingDir !== undefined) {
    words.push('compose');
  }
  return words;
}

function socketNode(socket: ListeningSocket, c: NodeContext): SocketNode {
  const words = ['port'];
  if (socket.container) {
    for (const word of containerWords(socket.container)) {
      words.push(word);
    }
  }
  if (isKillable(socket, c.selfPid)) {
    words.push('killable');
  }
  if (socket.pid !== undefined) {
    words.push('hasPid');
  }
  if (offersBrowser([socket], socket.port, socket.protocol, c.names)) {
    words.push('http');
  }
  if (c.watched.has(socket.port)) {
    words.push('watched');
  }
  return {
    kind: 'socket',
    id: `listening/${socket.protocol}/${socket.address}/${socket.port}/${socket.inode ?? ''}`,
    label: socket.container ? `${socket.port}/${socket.protocol}` : `:${socket.port}`,
    description: socketDescription(socket, c.names, c.t, c.folderHints),
    contextValue: words.join(' '),
    socket,
    port: socket.port,
    protocol: socket.protocol,
  };
}

function groupByProcess(nodes: SocketNode[], c: NodeContext): Array<ProcessNode | ContainerNode> {
  const t = c.t;
  const groups = new Map<string, ProcessNode>();
  const containers = new Map<string, ContainerNode>();
  for (const node of nodes) {
    const s = node.socket;
    if (s.container) {
      let group = containers.get(s.container.id);
      if (!group) {
        group = {
          kind: 'container',
          id: `container/${s.container.id}`,
          label: s.container.name,
          description: `${containerLabel(s.container)} · ${containerState(s.container)}`,
          tooltip: t('Container {0} ({1})', s.container.id.slice(0, 12), s.container.image),
          contextValue: containerWords(s.container).join(' '),
          container: s.container,
          children: [],
        };
        containers.set(s.container.id, group);
      }
      group.children.push(node);
      continue;
    }
    const key = s.ownerVisible && s.pid !== undefined ? `pid/${s.pid}` : 'hidden';
    let group = groups.get(key);
    if (!group) {
      const label = key === 'hidden' ? t('owner not visible') : processName(s, t, c.folderHints);
      group = {
        kind: 'process',
        id: `process/${key}`,
        label: s.proxy === 'docker' ? t('{0} (Docker-published ports)', label) : label,
        pid: key === 'hidden' ? undefined : s.pid,
        tooltip:
          [s.command, s.cwd ? t('Folder: {0}', displayFolder(s.cwd, c.folders?.home)) : '']
            .filter(Boolean)
            .join('\n') || undefined,
        contextValue: key === 'hidden' ? 'process' : 'process hasPid',
        children: [],
      };
      groups.set(key, group);
    }
    group.children.push(node);
  }
  const list = [...groups.values()];
  for (const g of list) {
    const count = g.children.length;
    const sockets = count === 1 ? t('1 socket') : t('{0} sockets', count);
    g.description = g.pid !== undefined ? `pid ${g.pid} · ${sockets}` : sockets;
  }
  // Hidden owners last; otherwise by the lowest port each process holds.
  list.sort(
    (a, b) =>
      (a.pid === undefined ? 1 : 0) - (b.pid === undefined ? 1 : 0) ||
      a.children[0]!.port - b.children[0]!.port,
  );
  // Containers after the processes, by their lowest published port.
  const containerGroups = [...containers.values()].sort((a, b) => a.children[0]!.port - b.children[0]!.port);
  return [...list, ...containerGroups];
}

function toSocketProtocol(protocol: Protocol | undefined): SocketProtocol | undefined {
  if (protocol === undefined || protocol === 'tcp') {
    return 'tcp';
  }
  return protocol === 'udp' ? 'udp' : undefined;
}

/** Every port the given mentions claim on this machine (listen, publish, setting), one per port. */
export function claimedPorts(mention: PortMention): number[] {
  if (!claimsPort(mention.role) || !isValidPort(mention.port)) {
    return [];
  }
  const end = mention.portEnd;
  if (end === undefined || end === mention.port) {
    return [mention.port];
  }
  if (!isValidPort(end) || end < mention.port || end - mention.port >= MAX_RANGE_LISTED) {
    return [mention.port];
  }
  const ports: number[] = [];
  for (let p = mention.port; p <= end; p++) {
    ports.push(p);
  }
  return ports;
}

function stateOf(snapshot: ListeningSnapshot | undefined, holders: ListeningSocket[]): PortState {
  if (!snapshot) {
    return 'unknown';
  }
  return holders.length > 0 ? 'busy' : 'free';
}

/** `in use by postgres (812)`, `free`, or nothing when unknown. */
export function stateDescription(
  state: PortState,
  holders: ListeningSocket[],
  t: Translate = formatPlain,
  hints?: ReadonlyMap<number, string>,
): string | undefined {
  if (state === 'free') {
    return t('free');
  }
  if (state === 'busy') {
    // A container by its name alone: the row is narrow, the tooltip says it is a container.
    const owners = [
      ...new Set(holders.map((h) => (h.container ? h.container.name : ownerLabel(h, t, hints)))),
    ];
    return t('in use by {0}', owners.join(', '));
  }
  return undefined;
}

interface DeclaredEntry<U> {
  port: number;
  protocol: SocketProtocol;
  declarations: Declaration<U>[];
  /** The declarations are in display order (by file, then offset). */
  sorted?: boolean;
  /** What the entry's node shows whatever the sockets do, built once per change of the entry. */
  shown?: {
    where: string;
    labels: string[];
    children: DeclarationNode<U>[];
    t: Translate;
    /** The last row built while nothing held the port, reused while that stays so. */
    idle?: {
      node: DeclaredPortNode<U>;
      names: ServiceNames;
      selfPid?: number;
      watched: boolean;
      known: boolean;
    };
  };
}

/**
 * The workspace's declarations grouped by port, kept file by file: an edit regroups the edited
 * file's declarations only (the other files' are not looked at), and the list of ports is sorted
 * again only when a port came or went. The Ports view and the status bar read it on every socket
 * refresh and after every edit.
 */
export class DeclarationGroups<U> {
  private readonly byKey = new Map<string, DeclaredEntry<U>>();
  private readonly byFile = new Map<string, readonly Declaration<U>[]>();
  private sortedEntries: readonly DeclaredEntry<U>[] | undefined;
  private count = 0;
  /** Declarations added or removed so far: an edit costs its own file's, not the workspace's (tests). */
  touched = 0;

  /** Replaces the declarations of one file (`file` is any stable key, the URI string in the editor). */
  setFile(file: string, declarations: readonly Declaration<U>[]): void {
    this.deleteFile(file);
    const kept: Declaration<U>[] = [];
    for (const d of declarations) {
      const protocol = toSocketProtocol(d.mention.protocol);
      const ports = protocol ? claimedPorts(d.mention) : [];
      if (!protocol || ports.length === 0) {
        continue;
      }
      kept.push(d);
      this.touched++;
      for (const port of ports) {
        const key = `${protocol}/${port}`;
        let entry = this.byKey.get(key);
        if (!entry) {
          entry = { port, protocol, declarations: [] };
          this.byKey.set(key, entry);
          this.sortedEntries = undefined;
        }
        entry.declarations.push(d);
        entry.sorted = false;
        entry.shown = undefined;
      }
    }
    if (kept.length > 0) {
      this.byFile.set(file, kept);
      this.count += kept.length;
    }
  }

  deleteFile(file: string): void {
    const old = this.byFile.get(file);
    if (!old) {
      return;
    }
    this.byFile.delete(file);
    this.count -= old.length;
    this.touched += old.length;
    const gone = new Set(old);
    for (const d of old) {
      for (const port of claimedPorts(d.mention)) {
        const key = `${toSocketProtocol(d.mention.protocol)}/${port}`;
        const entry = this.byKey.get(key);
        if (!entry) {
          continue;
        }
        entry.declarations = entry.declarations.filter((x) => !gone.has(x));
        entry.shown = undefined;
        if (entry.declarations.length === 0) {
          this.byKey.delete(key);
          this.sortedEntries = undefined;
        }
      }
    }
  }

  clear(): void {
    this.byKey.clear();
    this.byFile.clear();
    this.sortedEntries = undefined;
    this.count = 0;
  }

  /** How many declarations are held. */
  get size(): number {
    return this.count;
  }

  /** Every declared port, sorted by port and protocol, each with its declarations in display order. */
  entries(): readonly DeclaredEntry<U>[] {
    if (!this.sortedEntries) {
      this.sortedEntries = [...this.byKey.values()].sort(
        (a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol),
      );
    }
    for (const entry of this.sortedEntries) {
      if (!entry.sorted) {
        sortDeclarations(entry.declarations);
        entry.sorted = true;
      }
    }
    return this.sortedEntries;
  }

  /** Every declaration, in no particular order. */
  *declarations(): Iterable<Declaration<U>> {
    for (const list of this.byFile.values()) {
      yield* list;
    }
  }
}

function sortDeclarations(declarations: Declaration<unknown>[]): void {
  declarations.sort((a, b) => a.file.localeCompare(b.file) || a.mention.range.start - b.mention.range.start);
}

/**
 * Frozen declaration lists grouped by port once: the view rebuilds its model on every socket
 * refresh, and regrouping and sorting tens of thousands of declarations each second was most of
 * that work. (The editor passes a `DeclarationGroups`, kept current file by file.)
 */
const groupedCache = new WeakMap<readonly unknown[], readonly DeclaredEntry<unknown>[]>();

function groupDeclarations<U>(
  declarations: Iterable<Declaration<U>> | DeclarationGroups<U>,
): readonly DeclaredEntry<U>[] {
  if (declarations instanceof DeclarationGroups) {
    return declarations.entries();
  }
  const frozen = Array.isArray(declarations) && Object.isFrozen(declarations) ? declarations : undefined;
  const cached = frozen && groupedCache.get(frozen);
  if (cached) {
    return cached as DeclaredEntry<U>[];
  }
  const groups = new DeclarationGroups<U>();
  groups.setFile('', [...declarations]);
  const entries = groups.entries();
  if (frozen) {
    groupedCache.set(frozen, entries);
  }
  return entries;
}

/** A declared port's state on this machine, without building its row (the status bar's count). */
export interface DeclaredPortState {
  port: number;
  protocol: SocketProtocol;
  state: PortState;
  holders: ListeningSocket[];
}

/** Every port the declarations claim with its live state, sorted by port; cheap: no labels, no rows. */
export function declaredPortStates<U>(
  declarations: Iterable<Declaration<U>> | DeclarationGroups<U>,
  snapshot: ListeningSnapshot | undefined,
): DeclaredPortState[] {
  return groupDeclarations(declarations).map((entry) => {
    const holders = holdersOf(snapshot, entry.port, entry.protocol);
    return { port: entry.port, protocol: entry.protocol, state: stateOf(snapshot, holders), holders };
  });
}

/** Every port the declarations claim, with its live state; sorted by port. */
export function declaredPorts<U>(
  declarations: Iterable<Declaration<U>> | DeclarationGroups<U>,
  snapshot: ListeningSnapshot | undefined,
  c: NodeContext,
): DeclaredPortNode<U>[] {
  const nodes: DeclaredPortNode<U>[] = [];
  for (const entry of groupDeclarations(declarations)) {
    const holders = holdersOf(snapshot, entry.port, entry.protocol);
    const id = `workspace/${entry.protocol}/${entry.port}`;
    const shown = shownParts(entry, id, c.t);
    // Most declared ports are free: their row only changes with the declarations, so an edit or a
    // socket refresh rebuilds the rows of the ports that changed and of the ports in use.
    const idle = shown.idle;
    if (
      holders.length === 0 &&
      idle !== undefined &&
      idle.known === (snapshot !== undefined) &&
      idle.names === c.names &&
      idle.selfPid === c.selfPid &&
      idle.watched === c.watched.has(entry.port)
    ) {
      nodes.push(idle.node);
      continue;
    }
    const state = stateOf(snapshot, holders);
    const words = ['port', 'declared'];
    addHolderWords(words, entry.port, entry.protocol, holders, c);
    const status = stateDescription(state, holders, c.t, c.folderHints);
    const node: DeclaredPortNode<U> = {
      kind: 'declared',
      id,
      label: `:${entry.port}`,
      description: [status, entry.protocol === 'udp' ? 'udp' : undefined, shown.where]
        .filter(Boolean)
        .join(' · '),
      tooltip: [status, ...holders.map((h) => socketTooltip(h, c.names, c.t, c.folders)), ...shown.labels]
        .filter(Boolean)
        .join('\n'),
      contextValue: words.join(' '),
      port: entry.port,
      protocol: entry.protocol,
      state,
      holders,
      declarations: entry.declarations,
      children: shown.children,
    };
    if (holders.length === 0) {
      shown.idle = {
        node,
        names: c.names,
        selfPid: c.selfPid,
        watched: c.watched.has(entry.port),
        known: snapshot !== undefined,
      };
    }
    nodes.push(node);
  }
  return nodes.sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

/** The parts of a declared port's row that only change with its declarations. */
function shownParts<U>(
  entry: DeclaredEntry<U>,
  id: string,
  t: Translate,
): NonNullable<DeclaredEntry<U>['shown']> {
  if (entry.shown && entry.shown.t === t) {
    return entry.shown;
  }
  const shown = {
    t,
    where:
      entry.declarations.length === 1
        ? declarationLabel(entry.declarations[0]!, t)
        : t('{0} places', entry.declarations.length),
    labels: entry.declarations.map((d) => declarationLabel(d, t)),
    children:
      entry.declarations.length > 1
        ? entry.declarations.map((d): DeclarationNode<U> => ({
            kind: 'declaration',
            id: `${id}/${String(d.uri)}/${d.mention.range.start}`,
            label: declarationPlace(d),
            description: declarationDetail(d, t),
            contextValue: 'declared',
            port: entry.port,
            declaration: d,
          }))
        : [],
  };
  const seen = new Map<string, number>();
  for (const child of shown.children) {
    const count = (seen.get(child.id) ?? 0) + 1;
    seen.set(child.id, count);
    if (count > 1) {
      child.id = `${child.id}~${count}`;
    }
  }
  entry.shown = shown;
  return shown;
}

/** What a declaration does with its port, in words (not the role's id). */
function roleWord(role: PortMention['role'], t: Translate): string {
  switch (role) {
    case 'listen':
      return t('listens');
    case 'publish':
      return t('published');
    case 'target':
      return t('container port');
    case 'expose':
      return t('exposed');
    case 'connect':
      return t('connects');
    case 'setting':
      return t('setting');
  }
}

function declarationDetail(d: Declaration<unknown>, t: Translate): string {
  return [roleWord(d.mention.role, t), d.mention.service ?? d.mention.variable].filter(Boolean).join(' · ');
}

/** `file:line`, the place a person looks for. */
function declarationPlace(d: Declaration<unknown>): string {
  return d.line !== undefined ? `${d.file}:${d.line}` : d.file;
}

function declarationLabel(d: Declaration<unknown>, t: Translate): string {
  const detail = declarationDetail(d, t);
  return detail ? `${declarationPlace(d)} (${detail})` : declarationPlace(d);
}

function addHolderWords(
  words: string[],
  port: number,
  protocol: SocketProtocol,
  holders: ListeningSocket[],
  c: NodeContext,
): void {
  if (holders.some((h) => isKillable(h, c.selfPid))) {
    words.push('killable');
  }
  if (holders.some((h) => h.pid !== undefined)) {
    words.push('hasPid');
  }
  if (offersBrowser(holders, port, protocol, c.names)) {
    words.push('http');
  }
  if (c.watched.has(port)) {
    words.push('watched');
  }
}

function watchedNode(port: number, snapshot: ListeningSnapshot | undefined, c: NodeContext): WatchedPortNode {
  const holders = holdersOf(snapshot, port, 'tcp');
  const state = stateOf(snapshot, holders);
  const words = ['port'];
  addHolderWords(words, port, 'tcp', holders, c);
  if (!words.includes('watched')) {
    words.push('watched');
  }
  const service = c.names.serviceName(port, 'tcp');
  return {
    kind: 'watched',
    id: `watched/${port}`,
    label: `:${port}`,
    description: [stateDescription(state, holders, c.t, c.folderHints), service].filter(Boolean).join(' · '),
    tooltip: holders.map((h) => socketTooltip(h, c.names, c.t, c.folders)).join('\n\n') || undefined,
    contextValue: words.join(' '),
    port,
    protocol: 'tcp',
    state,
    holders,
  };
}

function messageNode(id: string, label: string): MessageNode {
  return { kind: 'message', id: `message/${id}`, label };
}

/** Filter terms; every term must match one of an item's fields (case-insensitive substring). */
export function parseFilter(filter: string | undefined): string[] | undefined {
  const terms = (filter ?? '')
    .toLowerCase()
    .split(/\s+/)
    .map((term) => term.replace(/^:(?=\d)/, ''))
    .filter((term) => term.length > 0);
  return terms.length > 0 ? terms : undefined;
}

export function matchesFilter(
  terms: string[] | undefined,
  fields: readonly (string | number | undefined)[],
): boolean {
  if (!terms) {
    return true;
  }
  const haystack = fields.filter((f) => f !== undefined && f !== '').map((f) => String(f).toLowerCase());
  return terms.every((term) => haystack.some((field) => field.includes(term)));
}

/** What a filter can match on a socket: port, process, address, service, pid. */
export function socketSearchFields(
  socket: ListeningSocket,
  names: ServiceNames,
): (string | number | undefined)[] {
  return [
    socket.port,
    socket.address,
    socket.protocol,
    names.serviceName(socket.port, socket.protocol),
    ...socket.owners.flatMap((o) => [o.process, processIdentity(o), o.pid]),
    socket.container?.name,
    socket.container?.service,
    socket.container?.project,
    socket.container?.image,
  ];
}

function portSearchFields(
  port: number,
  protocol: SocketProtocol,
  holders: ListeningSocket[],
  names: ServiceNames,
): (string | number | undefined)[] {
  return [port, names.serviceName(port, protocol), ...holders.flatMap((h) => socketSearchFields(h, names))];
}

function declaredSearchFields(
  node: DeclaredPortNode<unknown>,
  names: ServiceNames,
): (string | number | undefined)[] {
  return [
    ...portSearchFields(node.port, node.protocol, node.holders, names),
    ...node.declarations.flatMap((d) => [d.file, d.mention.service, d.mention.variable, d.mention.host]),
  ];
}
