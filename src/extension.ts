// Wiring only: build the services, register the providers, hand every disposable to VS Code.
import * as vscode from 'vscode';
import { DocumentMentions } from './providers/documentMentions';
import { registerHover } from './providers/hover';
import { createLiveFeatures, type LiveFeatures } from './providers/liveFeatures';
import { Settings } from './providers/settings';

/** What the extension hands to other code (and to the integration tests) through `activate`. */
export interface PortolanApi {
  readonly settings: Settings;
  readonly mentions: DocumentMentions;
  /** Live sockets, the Ports view, status bar and port actions. */
  readonly live: LiveFeatures;
}

export function activate(context: vscode.ExtensionContext): PortolanApi {
  const settings = new Settings();
  const mentions = new DocumentMentions();

  const live = createLiveFeatures({ settings });

  context.subscriptions.push(settings, mentions, live, registerHover({ settings, mentions, live: live.hoverLine }));

  return { settings, mentions, live };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
