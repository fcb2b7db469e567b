// Wiring only: build the services, register the providers, hand every disposable to VS Code.
import * as vscode from 'vscode';
import { DocumentMentions } from './providers/documentMentions';
import { registerHover } from './providers/hover';
import { Settings } from './providers/settings';

/** What the extension hands to other code (and to the integration tests) through `activate`. */
export interface PortolanApi {
  readonly settings: Settings;
  readonly mentions: DocumentMentions;
}

export function activate(context: vscode.ExtensionContext): PortolanApi {
  const settings = new Settings();
  const mentions = new DocumentMentions();

  context.subscriptions.push(settings, mentions, registerHover({ settings, mentions }));

  return { settings, mentions };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
