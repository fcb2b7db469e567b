// Wiring only: build the services, register the providers, hand every disposable to VS Code.
import * as vscode from 'vscode';
import { log } from './model/log';
import { registerCodeActions } from './providers/codeActions';
import { Command } from './present/commands';
import { PortDiagnostics } from './providers/diagnostics';
import { DocumentMentions } from './providers/documentMentions';
import { registerHover } from './providers/hover';
import { createLiveFeatures, type LiveFeatures } from './providers/liveFeatures';
import { registerLog } from './providers/log';
import { Settings } from './providers/settings';
import { userChoices } from './providers/feedback';
import { registerPortLinks } from './providers/portLinks';
import { registerDocumentPortsCommand } from './providers/portsDocCommand';
import { registerRescanCommand, WorkspaceIndexer } from './providers/workspaceIndexer';

/** What the extension hands to other code (and to the integration tests) through `activate`. */
export interface PortolanApi {
  readonly settings: Settings;
  readonly mentions: DocumentMentions;
  /** Live sockets, the Ports view, status bar and port actions. */
  readonly live: LiveFeatures;
  /** The workspace's mentions, for cross-file rules and the Ports view. */
  readonly index: WorkspaceIndexer;
  readonly diagnostics: PortDiagnostics;
  /** How commands ask which action to take after they acted (Undo, Open Settings, Insert…). */
  readonly choices: typeof userChoices;
}

export function activate(context: vscode.ExtensionContext): PortolanApi {
  // First, so failures while the rest starts are logged too.
  context.subscriptions.push(registerLog());
  const settings = new Settings();
  const mentions = new DocumentMentions();

  const index = new WorkspaceIndexer(settings);
  mentions.composeEnv = (file) => index.composeEnvFor(file);
  mentions.folderWorkloads = (file) => index.index.folderWorkloads(file);
  // Engine notes ("no container engine", its errors) go to the Portolan log registered above.
  const live = createLiveFeatures({ settings, index, log: (message) => log.info(message) });
  const diagnostics = new PortDiagnostics({
    settings,
    mentions,
    index,
    live: { view: live.ruleLive, onDidChange: live.live.onDidChange },
  });
  const isPortBusy = (port: number): boolean => (live.ruleLive?.holders(port, 'tcp')?.length ?? 0) > 0;

  context.subscriptions.push(
    settings,
    mentions,
    index,
    live,
    diagnostics,
    registerHover({ settings, mentions, live: live.hoverLine }),
    registerCodeActions({ diagnostics, index, mentions, isPortBusy }),
    registerRescanCommand(index, Command.RescanWorkspace),
    registerDocumentPortsCommand(index),
    registerPortLinks(index),
  );

  return { settings, mentions, live, index, diagnostics, choices: userChoices };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
