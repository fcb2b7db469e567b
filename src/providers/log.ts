// The "Portolan" log: the core's failures and notes go to one LogOutputChannel, shown on request.
import * as vscode from 'vscode';
import { setLogger } from '../model/log';
import { Command } from './commands';

/** Creates the channel, points the core's log at it, and registers `Portolan: Show Log`. */
export function registerLog(): vscode.Disposable {
  const channel = vscode.window.createOutputChannel('Portolan', { log: true });
  const restore = setLogger(channel);
  const command = vscode.commands.registerCommand(Command.ShowLog, () => channel.show(true));
  return vscode.Disposable.from(command, { dispose: restore }, channel);
}
