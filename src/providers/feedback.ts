// What commands tell the user after they acted or failed: every message goes through `userChoices`,
// every setting written names its file with Undo and Open Settings, and a failed write says why.
import * as path from 'node:path';
import vscode = require('vscode');
import { askForPort } from './portInput';

/** Where a configuration target lives on disk, for messages and for Open Settings. */
export interface SettingsPlace {
  target: vscode.ConfigurationTarget;
  /** The file, when Portolan can name it (user settings live where VS Code decides). */
  file?: vscode.Uri;
  /** How the message names it: `.vscode/settings.json`, `app.code-workspace`, "your user settings". */
  label: string;
}

/** Workspace settings when a folder is open, user settings otherwise: where Portolan's commands write. */
export function settingsPlace(): SettingsPlace {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    return { target: vscode.ConfigurationTarget.Global, label: vscode.l10n.t('your user settings') };
  }
  const workspaceFile = vscode.workspace.workspaceFile;
  if (workspaceFile && workspaceFile.scheme !== 'untitled') {
    return {
      target: vscode.ConfigurationTarget.Workspace,
      file: workspaceFile,
      label: path.posix.basename(workspaceFile.path),
    };
  }
  return {
    target: vscode.ConfigurationTarget.Workspace,
    file: vscode.Uri.joinPath(folders[0]!.uri, '.vscode', 'settings.json'),
    label: '.vscode/settings.json',
  };
}

/** Opens the file a setting was written to, at the setting when it can be found. */
export async function openSettings(place: SettingsPlace, key: string): Promise<void> {
  if (place.target === vscode.ConfigurationTarget.Global || !place.file) {
    await vscode.commands.executeCommand('workbench.action.openSettings', key);
    return;
  }
  try {
    const document = await vscode.workspace.openTextDocument(place.file);
    const name = key.slice(key.lastIndexOf('.') + 1);
    const at = document.getText().search(new RegExp(`"(portolan\\.)?[\\w.]*${name}"`));
    const position = document.positionAt(Math.max(at, 0));
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position) });
  } catch {
    // The file is gone (or unreadable): the Settings editor still shows the value.
    await vscode.commands.executeCommand('workbench.action.openWorkspaceSettings', key);
  }
}

export type MessageSeverity = 'information' | 'warning' | 'error';

/** Shows a message with a few buttons (none is fine) and resolves with the one chosen. */
export type AskChoice = (
  message: string,
  items: readonly string[],
  severity?: MessageSeverity,
) => Thenable<string | undefined>;

/** A notification with up to three buttons. */
export const informationChoice: AskChoice = (message, items, severity = 'information') => {
  const show =
    severity === 'error'
      ? vscode.window.showErrorMessage
      : severity === 'warning'
        ? vscode.window.showWarningMessage
        : vscode.window.showInformationMessage;
  const [a, b, c] = items;
  if (a === undefined) {
    return show(message);
  }
  if (b === undefined) {
    return show(message, a);
  }
  return c === undefined ? show(message, a, b) : show(message, a, b, c);
};

/**
 * How every Portolan command asks "which action?" after it did something. One object, so the
 * integration tests (through the extension's API) can answer instead of a person.
 */
export const userChoices: {
  ask: AskChoice;
  /** Asks for a port number (an input box); undefined when dismissed. */
  askPort: (title: string, value: string) => Thenable<number | undefined>;
} = { ask: informationChoice, askPort: askForPort };

/** A message without buttons, through `userChoices` (not awaited: notifications stay until closed). */
export function tell(severity: MessageSeverity, message: string): void {
  void userChoices.ask(message, [], severity);
}

/** What a written setting's message offers, in the order shown. */
export type WrittenChoice = 'undo' | 'open';

export interface SettingWrite {
  /** The full setting key, `portolan.watchPorts`. */
  key: string;
  place: SettingsPlace;
  /** What changed, as a sentence without the file: "Port 3000 is watched". */
  done: string;
  undo?: () => Thenable<unknown>;
}

/** Says what was written where, and runs the chosen Undo or Open Settings. Resolves once handled. */
export async function reportWritten(
  write: SettingWrite,
  ask: AskChoice = userChoices.ask,
): Promise<WrittenChoice | undefined> {
  const undo = vscode.l10n.t('Undo');
  const open = vscode.l10n.t('Open Settings');
  const message = vscode.l10n.t('{0}: {1} saved in {2}.', write.done, write.key, write.place.label);
  const choice = await ask(message, write.undo ? [undo, open] : [open]);
  if (choice === undo && write.undo) {
    await write.undo();
    return 'undo';
  }
  if (choice === open) {
    await openSettings(write.place, write.key);
    return 'open';
  }
  return undefined;
}

/** Says why a setting could not be written, with Open Settings to fix it by hand. */
export async function reportWriteFailed(key: string, place: SettingsPlace, error: unknown): Promise<void> {
  const open = vscode.l10n.t('Open Settings');
  const reason = error instanceof Error ? error.message : String(error);
  const choice = await userChoices.ask(
    vscode.l10n.t('Could not save {0} in {1}: {2}', key, place.label, reason),
    [open],
    'error',
  );
  if (choice === open) {
    await openSettings(place, key);
  }
}
