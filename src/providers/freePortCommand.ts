// Find a Free Port…: finds one and shows it with actions. It never edits a document by itself:
// the port goes in at the cursor only when the user chooses Insert at Cursor.
import vscode = require('vscode');
import { isValidPort, MAX_PORT } from '../model/port';
import { findFreePort } from '../system';
import { Command } from '../present/commands';
import type { LivePorts } from './liveStatus';
import { portArgument } from './portInput';
import { tell, userChoices } from './feedback';

export type FreePortAction = 'copy' | 'insert' | 'watch';

export interface FreePortPrompts {
  /** Where the search starts; undefined when the user dismissed the question. */
  startAt(suggested: number): Thenable<number | undefined>;
  /** Shows the found port and its actions; resolves with the one chosen. */
  offer(
    port: number,
    message: string,
    actions: readonly FreePortAction[],
  ): Thenable<FreePortAction | undefined>;
}

export interface FreePortRun {
  port: number | undefined;
  /** Resolves once the chosen action is done (or the message closed without a choice). */
  done: Promise<FreePortAction | undefined>;
}

export function actionLabel(action: FreePortAction): string {
  switch (action) {
    case 'copy':
      return vscode.l10n.t('Copy');
    case 'insert':
      return vscode.l10n.t('Insert at Cursor');
    case 'watch':
      return vscode.l10n.t('Watch');
  }
}

export const windowPrompts: FreePortPrompts = {
  startAt: (suggested) =>
    userChoices.askPort(vscode.l10n.t('Find a free port starting at'), String(suggested)),
  async offer(_port, message, actions) {
    const labels = actions.map(actionLabel);
    const chosen = await userChoices.ask(message, labels);
    return actions[labels.indexOf(chosen ?? '')];
  },
};

export class FreePortCommand {
  constructor(
    private readonly deps: {
      live: LivePorts;
      find?: (from: number) => Promise<number | undefined>;
    },
  ) {}

  private async find(from: number): Promise<number | undefined> {
    if (this.deps.find) {
      return this.deps.find(from);
    }
    const [port] = await findFreePort({ from, count: 1 });
    return port;
  }

  /**
   * Hover links pass `{ from }`: the port is copied at once, as the link says. Otherwise the user
   * says where to start (above a given port, or 3000) and then picks what to do with the result.
   */
  async run(arg: unknown, prompts: FreePortPrompts): Promise<FreePortRun> {
    const nothing: FreePortRun = { port: undefined, done: Promise.resolve(undefined) };
    if (!this.deps.live.available) {
      tell('information', this.deps.live.unavailableReason ?? vscode.l10n.t('Live ports are off.'));
      return nothing;
    }
    const linkFrom =
      arg && typeof arg === 'object' && isValidPort((arg as { from?: unknown }).from)
        ? (arg as { from: number }).from
        : undefined;
    const near = portArgument(arg);
    const from = linkFrom ?? (await prompts.startAt(near ? Math.min(near + 1, MAX_PORT) : 3000));
    if (from === undefined) {
      return nothing;
    }
    let port: number | undefined;
    try {
      port = await this.find(from);
    } catch (error) {
      tell(
        'error',
        vscode.l10n.t(
          'Could not search for a free port: {0}',
          error instanceof Error ? error.message : String(error),
        ),
      );
      return nothing;
    }
    if (port === undefined) {
      tell('warning', vscode.l10n.t('No free port found from {0}.', from));
      return nothing;
    }
    // The editor the user was in when asking: Insert goes there, even if focus moved to the message.
    const editor = vscode.window.activeTextEditor;
    let message: string;
    const actions: FreePortAction[] = [];
    if (linkFrom !== undefined) {
      await vscode.env.clipboard.writeText(String(port));
      message = vscode.l10n.t('Port {0} is free: copied to the clipboard.', port);
    } else {
      message = vscode.l10n.t('Port {0} is free.', port);
      actions.push('copy');
    }
    if (editor) {
      actions.push('insert');
    }
    actions.push('watch');
    const done = Promise.resolve(prompts.offer(port, message, actions)).then(async (action) => {
      if (action) {
        await this.apply(action, port, editor);
      }
      return action;
    });
    return { port, done };
  }

  private async apply(
    action: FreePortAction,
    port: number,
    editor: vscode.TextEditor | undefined,
  ): Promise<void> {
    switch (action) {
      case 'copy':
        await vscode.env.clipboard.writeText(String(port));
        void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', port), 3000);
        return;
      case 'watch':
        await vscode.commands.executeCommand(Command.WatchPort, port);
        return;
      case 'insert':
        await insertAtCursor(port, editor);
        return;
    }
  }
}

/** Replaces the selections of the editor the user asked from with the port, and says so when it cannot. */
async function insertAtCursor(port: number, editor: vscode.TextEditor | undefined): Promise<void> {
  const target =
    editor && !editor.document.isClosed
      ? (vscode.window.visibleTextEditors.find((e) => e.document === editor.document) ?? editor)
      : undefined;
  if (!target) {
    tell(
      'warning',
      vscode.l10n.t('Port {0} was not inserted: the editor it was asked from is closed.', port),
    );
    return;
  }
  const inserted = await target.edit((edit) => {
    for (const selection of editor?.selections ?? target.selections) {
      edit.replace(selection, String(port));
    }
  });
  if (!inserted) {
    tell(
      'warning',
      vscode.l10n.t('Port {0} was not inserted: {1} cannot be edited.', port, target.document.fileName),
    );
  }
}

export function registerFreePortCommand(command: FreePortCommand): vscode.Disposable {
  return vscode.commands.registerCommand(
    Command.FindFreePort,
    async (arg?: unknown) => (await command.run(arg, windowPrompts)).port,
  );
}
