// Handlers for the Ports view's and the hover links' commands. `PortActions` holds the logic with
// its prompts passed in, so tests drive kill, free-port and watch without modal dialogs.
import vscode = require('vscode');
import { loopbackFor } from '../model/host';
import { isValidPort } from '../model/port';
import { testConnection, type ConnectionTest, type ListeningSocket } from '../system';
import { isKillable, stopPortOwner, type KillOutcome, type KillPrompts } from '../system/killSequence';
import { Command } from '../present/commands';
import type { PortTarget } from '../present/liveMarkdown';
import type { LivePorts } from './liveStatus';
import {
  browserUrl,
  canOpenInBrowser,
  hostPort,
  type PortsNode,
  type ServiceNames,
} from '../present/portsModel';
import type { PortsView } from './portsView';
import type { Settings } from './settings';

const CONNECT_TIMEOUT_MS = 3000;

/**
 * What a command argument points at: a tree node, a hover link's object, or a bare port number.
 * Only the port, protocol and address are read: a pid or process name in an argument is never
 * trusted, since a command link's arguments are whatever the link says.
 */
export function targetOf(arg: unknown): PortTarget | undefined {
  if (typeof arg === 'number') {
    return isValidPort(arg) ? { port: arg } : undefined;
  }
  if (!arg || typeof arg !== 'object') {
    return undefined;
  }
  const node = arg as PortsNode;
  switch (node.kind) {
    case 'socket':
      return fromSocket(node.port, node.socket);
    case 'declared':
    case 'watched':
      return node.holders[0]
        ? fromSocket(node.port, node.holders[0], node.holders)
        : { port: node.port, protocol: node.protocol };
    case 'declaration':
      return { port: node.port };
    case 'process':
      return undefined;
    default:
      break;
  }
  const o = arg as Record<string, unknown>;
  if (!isValidPort(o.port)) {
    return undefined;
  }
  const target: PortTarget = { port: o.port };
  if (o.protocol === 'tcp' || o.protocol === 'udp') {
    target.protocol = o.protocol;
  }
  if (typeof o.address === 'string') {
    target.address = o.address;
  }
  return target;
}

function fromSocket(port: number, socket: ListeningSocket, all: ListeningSocket[] = [socket]): PortTarget {
  // A busy port's kill target is a holder that may be killed, when there is one.
  const owner = all.find((s) => isKillable(s)) ?? all.find((s) => s.pid !== undefined) ?? socket;
  return { port, protocol: owner.protocol, address: owner.address };
}

/** The pid a tree node shows (for Copy PID); never read from a plain object. */
function pidOf(arg: unknown): number | undefined {
  if (!arg || typeof arg !== 'object') {
    return undefined;
  }
  const node = arg as PortsNode;
  switch (node.kind) {
    case 'process':
      return (arg as { pid?: number }).pid;
    case 'socket':
      return node.socket.pid;
    case 'declared':
    case 'watched': {
      const holders = node.holders;
      return (holders.find((s) => isKillable(s)) ?? holders.find((s) => s.pid !== undefined))?.pid;
    }
    default:
      return undefined;
  }
}

export interface PortActionsDeps {
  live: LivePorts;
  settings: Settings;
  names: ServiceNames;
  view?: PortsView;
  /** A container's proxy cannot be killed: offer stopping the container instead. */
  offerContainerStop?: (target: PortTarget | undefined, processName: string) => Promise<void>;
}

export class PortActions {
  constructor(private readonly deps: PortActionsDeps) {}

  /** Live features off: say why once per action instead of failing strangely. */
  private requireLive(): boolean {
    if (!this.deps.live.available) {
      void vscode.window.showInformationMessage(
        this.deps.live.unavailableReason ?? vscode.l10n.t('Live ports are off.'),
      );
      return false;
    }
    return true;
  }

  async refresh(): Promise<void> {
    if (!this.requireLive()) {
      return;
    }
    await this.deps.live.refresh();
    this.deps.view?.provider.refresh();
  }

  /** Stops the process holding a port; the sequence and its guards live in the system layer. */
  async kill(arg: unknown, prompts: KillPrompts): Promise<KillOutcome> {
    if (!this.deps.live.available) {
      return {
        kind: 'no-owner',
        message: this.deps.live.unavailableReason ?? vscode.l10n.t('Live ports are off.'),
      };
    }
    const target = targetOf(arg);
    if (!target) {
      return {
        kind: 'no-owner',
        message: vscode.l10n.t('Choose a port in the Ports view to stop its process.'),
      };
    }
    return stopPortOwner(target, prompts, {
      readHolders: async (port, protocol) => {
        await this.deps.live.ensureFresh(0);
        return this.deps.live.holders(port, protocol);
      },
      afterSignal: () => this.refreshAfterKill(),
      t: vscode.l10n.t,
    });
  }

  private async refreshAfterKill(): Promise<void> {
    await this.deps.live.refresh();
    this.deps.view?.provider.refresh();
  }

  /**
   * The URL "Open in Browser" opens, before port forwarding; undefined when the only address is a
   * link-local one without its zone (no URL reaches it unambiguously).
   */
  browserUri(target: PortTarget): vscode.Uri | undefined {
    const holders = this.deps.live.holders(target.port, target.protocol ?? 'tcp');
    const address =
      target.address ?? (holders.find((h) => canOpenInBrowser(h.address)) ?? holders[0])?.address;
    const tls =
      holders.some((h) => this.deps.names.httpProbe?.(h) === 'tls') ||
      this.deps.names.isTlsPort(target.port) ||
      this.deps.names.browserScheme?.(target.port) === 'https';
    const url = browserUrl(address, target.port, tls);
    return url === undefined ? undefined : vscode.Uri.parse(url);
  }

  async openInBrowser(arg: unknown): Promise<boolean> {
    const target = targetOf(arg);
    if (!target) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Choose a port in the Ports view to open it in the browser.'),
      );
      return false;
    }
    const uri = this.browserUri(target);
    if (!uri) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Port {0} listens on a link-local address without its interface: no browser URL reaches it.',
          target.port,
        ),
      );
      return false;
    }
    // asExternalUri forwards the port when Portolan runs remotely (SSH, containers, Codespaces).
    const external = await vscode.env.asExternalUri(uri);
    return vscode.env.openExternal(external);
  }

  async copyAddress(arg: unknown): Promise<string | undefined> {
    const target = targetOf(arg);
    if (!target) {
      return undefined;
    }
    const text = hostPort(target.address, target.port);
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', text), 3000);
    return text;
  }

  async copyPid(arg: unknown): Promise<string | undefined> {
    const pid = pidOf(arg);
    if (pid === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No visible process holds this port.'));
      return undefined;
    }
    await vscode.env.clipboard.writeText(String(pid));
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied pid {0}', pid), 3000);
    return String(pid);
  }

  async revealDeclaration(arg: unknown): Promise<vscode.TextEditor | undefined> {
    const place = declarationOf(arg);
    if (!place) {
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(place.uri);
    const range = new vscode.Range(document.positionAt(place.start), document.positionAt(place.end));
    return vscode.window.showTextDocument(document, { selection: range, preview: true });
  }

  async testConnection(arg: unknown): Promise<ConnectionTest | undefined> {
    if (!this.requireLive()) {
      return undefined;
    }
    const target = targetOf(arg);
    if (!target) {
      return undefined;
    }
    const host = loopbackFor(target.address);
    const result = await testConnection(host, target.port, CONNECT_TIMEOUT_MS);
    const where = hostPort(target.address, target.port);
    if (result.open) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Connected to {0} in {1} ms.', where, Math.round(result.ms)),
      );
    } else {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('Could not connect to {0}: {1}', where, result.error ?? '?'),
      );
    }
    return result;
  }
}

function declarationOf(arg: unknown): { uri: vscode.Uri; start: number; end: number } | undefined {
  if (!arg || typeof arg !== 'object') {
    return undefined;
  }
  const node = arg as PortsNode<vscode.Uri>;
  if (node.kind === 'declaration') {
    return {
      uri: node.declaration.uri,
      start: node.declaration.mention.range.start,
      end: node.declaration.mention.range.end,
    };
  }
  if (node.kind === 'declared' && node.declarations[0]) {
    const d = node.declarations[0];
    return { uri: d.uri, start: d.mention.range.start, end: d.mention.range.end };
  }
  const o = arg as { uri?: unknown; range?: { start?: unknown; end?: unknown } };
  if (o.uri instanceof vscode.Uri && typeof o.range?.start === 'number' && typeof o.range.end === 'number') {
    return { uri: o.uri, start: o.range.start, end: o.range.end };
  }
  return undefined;
}

const modalPrompts: KillPrompts = {
  async confirm(target) {
    const stop = vscode.l10n.t('Stop Process');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Stop {0} (pid {1}), which holds port {2}?',
        target.process ?? '?',
        target.pid,
        target.port,
      ),
      {
        modal: true,
        detail: vscode.l10n.t(
          'Portolan sends SIGTERM, so the process can shut down cleanly. Unsaved work in it may be lost.',
        ),
      },
      stop,
    );
    return answer === stop;
  },
  async confirmForce(target) {
    const force = vscode.l10n.t('Force Stop (SIGKILL)');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} (pid {1}) is still running after SIGTERM.', target.process ?? '?', target.pid),
      { modal: true, detail: vscode.l10n.t('SIGKILL ends it at once, without any cleanup.') },
      force,
    );
    return answer === force;
  },
};

function reportKill(outcome: KillOutcome, target: PortTarget | undefined): void {
  const port = target?.port ?? '?';
  switch (outcome.kind) {
    case 'cancelled':
      return;
    case 'stopped':
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Stopped pid {0}; port {1} is being released.', outcome.pid, port),
      );
      return;
    case 'still-running':
      void vscode.window.showWarningMessage(vscode.l10n.t('pid {0} is still running.', outcome.pid));
      return;
    case 'docker':
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'Port {0} is published by Docker ({1}): stop the container instead (docker compose stop, docker stop).',
          port,
          outcome.process,
        ),
      );
      return;
    case 'error':
      void vscode.window.showErrorMessage(
        outcome.code === 'EPERM'
          ? vscode.l10n.t(
              'Permission denied: the process holding port {0} belongs to another user. Stop it with sudo or as that user.',
              port,
            )
          : vscode.l10n.t('Could not stop the process: {0}', outcome.message),
      );
      return;
    case 'refused':
    case 'no-owner':
      void vscode.window.showWarningMessage(outcome.message);
      return;
  }
}

/** Registers every Ports command this module owns; the result goes into context.subscriptions. */
export function registerPortCommands(actions: PortActions, deps: PortActionsDeps): vscode.Disposable[] {
  const view = deps.view;
  return [
    vscode.commands.registerCommand(Command.Refresh, () => actions.refresh()),
    vscode.commands.registerCommand(Command.Filter, async (arg?: unknown) => {
      let text = typeof arg === 'string' ? arg : undefined;
      if (text === undefined) {
        text = await vscode.window.showInputBox({
          title: vscode.l10n.t('Filter ports'),
          value: view?.provider.filter ?? '',
          prompt: vscode.l10n.t('Port, process, address or service; several words must all match'),
        });
        if (text === undefined) {
          return;
        }
      }
      view?.setFilter(text);
    }),
    vscode.commands.registerCommand(Command.ClearFilter, () => view?.setFilter(undefined)),
    vscode.commands.registerCommand(Command.GroupByProcess, () => view?.setGroupedByProcess(true)),
    vscode.commands.registerCommand(Command.ShowFlat, () => view?.setGroupedByProcess(false)),
    vscode.commands.registerCommand(Command.KillProcess, async (arg?: unknown) => {
      const outcome = await actions.kill(arg, modalPrompts);
      if (outcome.kind === 'docker' && deps.offerContainerStop) {
        void deps.offerContainerStop(targetOf(arg), outcome.process);
        return outcome;
      }
      reportKill(outcome, targetOf(arg));
      return outcome;
    }),
    vscode.commands.registerCommand(Command.OpenInBrowser, (arg?: unknown) => actions.openInBrowser(arg)),
    vscode.commands.registerCommand(Command.CopyAddress, (arg?: unknown) => actions.copyAddress(arg)),
    vscode.commands.registerCommand(Command.CopyPid, (arg?: unknown) => actions.copyPid(arg)),
    vscode.commands.registerCommand(Command.RevealDeclaration, (arg?: unknown) =>
      actions.revealDeclaration(arg),
    ),
    vscode.commands.registerCommand(Command.TestConnection, (arg?: unknown) => actions.testConnection(arg)),
  ];
}
