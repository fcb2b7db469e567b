// The "Portolan" log: the core's failures and notes go to one LogOutputChannel, shown on request.
import vscode = require('vscode');
import { log, setLogger } from '../model/log';
import { Command } from '../present/commands';

/** Creates the channel, points the core's log at it, and registers `Portolan: Show Log`. */
export function registerLog(): vscode.Disposable {
  const channel = vscode.window.createOutputChannel('Portolan', { log: true });
  const restore = setLogger(channel);
  const command = vscode.commands.registerCommand(Command.ShowLog, () => channel.show(true));
  return vscode.Disposable.from(command, { dispose: restore }, channel);
}

/** Files already reported as skipped (with their reason); bounded so a long session cannot grow it. */
const skipped = new Set<string>();
const MAX_SKIPPED = 1000;

/**
 * Logs, once per file and reason, that a file was too complex to scan (nesting, YAML aliases, a
 * flood of mentions): otherwise its ports silently vanish from hovers, diagnostics and the index.
 */
export function logSkippedScan(file: string, reason: string): void {
  const key = `${file}\0${reason}`;
  if (skipped.has(key)) {
    return;
  }
  if (skipped.size >= MAX_SKIPPED) {
    skipped.clear();
  }
  skipped.add(key);
  log.warn(`skipped ${file}: ${reason}`);
}
