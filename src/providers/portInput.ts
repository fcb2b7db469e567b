// The one input box that asks for a port number, shared by the commands that need one.
import vscode = require('vscode');
import { isValidPort } from '../model/port';

/** The port typed, or undefined when the box was dismissed. */
export async function askForPort(title: string, value: string): Promise<number | undefined> {
  const answer = await vscode.window.showInputBox({
    title,
    value,
    prompt: vscode.l10n.t('A port number from 1 to 65535'),
    validateInput: (text) =>
      /^\d+$/.test(text.trim()) && isValidPort(Number(text.trim()))
        ? undefined
        : vscode.l10n.t('Enter a whole number from 1 to 65535'),
  });
  return answer === undefined ? undefined : Number(answer.trim());
}

/** The port a command argument names: a number, or an object with a valid `port` (tree node, hover link). */
export function portArgument(arg: unknown): number | undefined {
  if (isValidPort(arg)) {
    return arg;
  }
  const port = arg && typeof arg === 'object' ? (arg as { port?: unknown }).port : undefined;
  return isValidPort(port) ? port : undefined;
}
