// Actions on the containers behind published ports: stop and restart (after a modal naming the
// container), reveal its compose service, copy its id. A command's argument only says which
// container is meant: every handler reads that container again from the engine by id and acts
// on what the engine says now, never on names or state carried by the argument.
import * as path from 'node:path';
import vscode = require('vscode');
import { scanText } from '../scan';
import type { ContainerActionResult, ContainerEngine, ContainerInfo } from '../system/containerEngine';
import { composeConfigPaths } from '../system/containerPorts';
import type { ContainerAttribution, ListeningSocket } from '../system/types';
import { Command } from '../present/commands';
import type { PortTarget } from '../present/liveMarkdown';
import type { LivePorts } from './liveStatus';

export interface ContainerActionsDeps {
  engine: ContainerEngine;
  live: LivePorts;
}

/** Asked before stopping or restarting; true goes ahead. */
export type ContainerConfirm = (action: 'stop' | 'restart', container: ContainerInfo) => Promise<boolean>;

export type ContainerOutcome =
  | { kind: 'done'; action: 'stop' | 'restart'; container: ContainerInfo }
  | { kind: 'cancelled' }
  | { kind: 'not-found'; message: string }
  | { kind: 'failed'; message: string };

/** The container a tree node, a socket or `{ containerId }` points at; only its id is taken. */
export function containerIdOf(arg: unknown): string | undefined {
  if (!arg || typeof arg !== 'object') {
    return undefined;
  }
  const node = arg as {
    kind?: string;
    container?: { id?: unknown };
    socket?: ListeningSocket;
    holders?: ListeningSocket[];
    containerId?: unknown;
  };
  const candidates: unknown[] = [
    node.containerId,
    node.kind === 'container' ? node.container?.id : undefined,
    node.socket?.container?.id,
    ...(Array.isArray(node.holders) ? node.holders.map((h) => h.container?.id) : []),
  ];
  const id = candidates.find((c): c is string => typeof c === 'string' && /^[0-9a-f]{12,64}$/i.test(c));
  return id;
}

export class ContainerActions {
  constructor(private readonly deps: ContainerActionsDeps) {}

  stop(arg: unknown, confirm: ContainerConfirm): Promise<ContainerOutcome> {
    return this.act('stop', arg, confirm);
  }

  restart(arg: unknown, confirm: ContainerConfirm): Promise<ContainerOutcome> {
    return this.act('restart', arg, confirm);
  }

  private async act(
    action: 'stop' | 'restart',
    arg: unknown,
    confirm: ContainerConfirm,
  ): Promise<ContainerOutcome> {
    const fresh = await this.fresh(arg);
    if (fresh.kind !== 'found') {
      return fresh;
    }
    if (!(await confirm(action, fresh.container))) {
      return { kind: 'cancelled' };
    }
    const result: ContainerActionResult =
      action === 'stop'
        ? await this.deps.engine.stop(fresh.container.id)
        : await this.deps.engine.restart(fresh.container.id);
    // The proxies go away (or come back): show it without waiting for the next poll.
    this.deps.engine.invalidate();
    void this.deps.live.refresh();
    switch (result.kind) {
      case 'done':
        return { kind: 'done', action, container: result.container };
      case 'not-found':
        return { kind: 'not-found', message: result.message };
      default:
        return { kind: 'failed', message: result.message };
    }
  }

  /** Copies the full id of the container as the engine reports it now. */
  async copyId(arg: unknown): Promise<string | undefined> {
    const fresh = await this.fresh(arg);
    if (fresh.kind !== 'found') {
      void vscode.window.showWarningMessage(fresh.message);
      return undefined;
    }
    await vscode.env.clipboard.writeText(fresh.container.id);
    void vscode.window.setStatusBarMessage(
      vscode.l10n.t('Copied container id {0}', fresh.container.id.slice(0, 12)),
      3000,
    );
    return fresh.container.id;
  }

  /**
   * Opens the compose file that started the container at its service's published port (or the
   * service's first port), when that file is in the workspace.
   */
  async revealComposeService(arg: unknown): Promise<vscode.TextEditor | undefined> {
    const fresh = await this.fresh(arg);
    if (fresh.kind !== 'found') {
      void vscode.window.showWarningMessage(fresh.message);
      return undefined;
    }
    const container = fresh.container;
    const compose = container.compose;
    const files = compose ? composeConfigPaths(compose) : [];
    const inWorkspace = files
      .map((file) => vscode.Uri.file(path.resolve(file)))
      .find((uri) => vscode.workspace.getWorkspaceFolder(uri) !== undefined);
    if (!compose || !inWorkspace) {
      void vscode.window.showInformationMessage(
        compose
          ? vscode.l10n.t(
              'The compose file of {0} ({1}) is not in this workspace.',
              container.name,
              files.join(', ') || compose.project,
            )
          : vscode.l10n.t('{0} was not started by docker compose.', container.name),
      );
      return undefined;
    }
    const hintPort = portHint(arg);
    const document = await vscode.workspace.openTextDocument(inWorkspace);
    // The document's own mentions: the index may not have read a file that just appeared.
    const ofService = scanText(document.uri.path, document.getText(), document.languageId).filter(
      (m) => m.role === 'publish' && m.service === compose.service,
    );
    const place = ofService.find((m) => m.port === hintPort) ?? ofService[0];
    const editor = await vscode.window.showTextDocument(document);
    if (place) {
      const range = new vscode.Range(
        document.positionAt(place.range.start),
        document.positionAt(place.range.end),
      );
      editor.selection = new vscode.Selection(range.start, range.end);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
    return editor;
  }

  /**
   * Killing a container's proxy is refused by the system layer; this offers stopping the
   * container that publishes the port instead, when the engine names it.
   */
  async offerStopInstead(target: PortTarget | undefined, processName: string): Promise<void> {
    const socket =
      target === undefined
        ? undefined
        : this.deps.live
            .holders(target.port, target.protocol ?? 'tcp')
            .find((s) => s.container !== undefined);
    const container = socket?.container;
    if (!container) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'Port {0} is published by Docker ({1}): stop the container instead (docker compose stop, docker stop).',
          target?.port ?? '?',
          processName,
        ),
      );
      return;
    }
    const stop = vscode.l10n.t('Stop Container…');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Port {0} is published by container {1}: stopping its proxy ({2}) would not free it.',
        target?.port ?? '?',
        container.name,
        processName,
      ),
      stop,
    );
    if (answer === stop) {
      report(await this.stop({ containerId: container.id }, modalConfirm));
    }
  }

  private async fresh(
    arg: unknown,
  ): Promise<{ kind: 'found'; container: ContainerInfo } | { kind: 'not-found'; message: string }> {
    const id = containerIdOf(arg);
    if (!id) {
      return { kind: 'not-found', message: vscode.l10n.t('No container publishes this port.') };
    }
    const container = await this.deps.engine.inspect(id);
    if (!container) {
      return {
        kind: 'not-found',
        message: vscode.l10n.t('Container {0} no longer exists (or no engine answers).', id.slice(0, 12)),
      };
    }
    return { kind: 'found', container };
  }
}

function portHint(arg: unknown): number | undefined {
  const node = arg as { socket?: { port?: unknown }; port?: unknown } | undefined;
  const port = node?.socket?.port ?? node?.port;
  return typeof port === 'number' ? port : undefined;
}

function describe(container: ContainerInfo | ContainerAttribution): string {
  const compose = 'compose' in container ? container.compose : undefined;
  const parts = [vscode.l10n.t('Image: {0}', container.image)];
  if (compose) {
    parts.push(vscode.l10n.t('Compose: service {0} of project {1}', compose.service ?? '?', compose.project));
  }
  return parts.join('\n');
}

export const modalConfirm: ContainerConfirm = async (action, container) => {
  const button = action === 'stop' ? vscode.l10n.t('Stop Container') : vscode.l10n.t('Restart Container');
  const answer = await vscode.window.showWarningMessage(
    action === 'stop'
      ? vscode.l10n.t('Stop container {0}?', container.name)
      : vscode.l10n.t('Restart container {0}?', container.name),
    {
      modal: true,
      detail: `${describe(container)}\n${vscode.l10n.t(
        'The engine sends SIGTERM, then SIGKILL if the container is still running after its grace period.',
      )}`,
    },
    button,
  );
  return answer === button;
};

function report(outcome: ContainerOutcome): void {
  switch (outcome.kind) {
    case 'done':
      void vscode.window.showInformationMessage(
        outcome.action === 'stop'
          ? vscode.l10n.t('Stopped container {0}.', outcome.container.name)
          : vscode.l10n.t('Restarted container {0}.', outcome.container.name),
      );
      return;
    case 'cancelled':
      return;
    case 'not-found':
      void vscode.window.showWarningMessage(outcome.message);
      return;
    case 'failed':
      void vscode.window.showErrorMessage(
        vscode.l10n.t('The container engine refused: {0}', outcome.message),
      );
      return;
  }
}

export function registerContainerCommands(actions: ContainerActions): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.StopContainer, async (arg?: unknown) => {
      const outcome = await actions.stop(arg, modalConfirm);
      report(outcome);
      return outcome;
    }),
    vscode.commands.registerCommand(Command.RestartContainer, async (arg?: unknown) => {
      const outcome = await actions.restart(arg, modalConfirm);
      report(outcome);
      return outcome;
    }),
    vscode.commands.registerCommand(Command.RevealComposeService, (arg?: unknown) =>
      actions.revealComposeService(arg),
    ),
    vscode.commands.registerCommand(Command.CopyContainerId, (arg?: unknown) => actions.copyId(arg)),
  ];
}
