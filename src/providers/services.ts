// Portolan's services, wired in one place: built on the first turn after activation, or earlier by
// the first call to one of the stand-ins activation registered (src/extension.ts, standIns.ts).
// Bundled on its own (esbuild.mjs LAZY_CHUNKS `services`), so activating the extension parses none of it.
import type * as vscode from 'vscode';
import { log } from '../model/log';
import { PortCodeActions, registerCodeActionCommands } from './codeActions';
import { Command } from '../present/commands';
import { PortDiagnostics } from './diagnostics';
import { DocumentMentions } from './documentMentions';
import { PortHoverProvider } from './hover';
import { createLiveFeatures, type LiveFeatures } from './liveFeatures';
import { registerLog } from './log';
import { Settings } from './settings';
import { userChoices } from './feedback';
import { PortDefinitionProvider, PortReferenceProvider, PortRenameProvider } from './portLinks';
import { registerDocumentPortsCommand } from './portsDocCommand';
import type { PortsTreeProvider } from './portsView';
import type { PortsNode } from '../present/portsModel';
import type { ServiceProviders } from './standIns';
import { registerRescanCommand, WorkspaceIndexer } from './workspaceIndexer';

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

export interface PortolanServices {
  readonly api: PortolanApi;
  readonly providers: ServiceProviders;
}

/** What activation made before the services existed. */
export interface ActivationShell {
  /** Where the services' disposables go (the extension context's). */
  readonly subscriptions: vscode.Disposable[];
  /** The Ports view created at activation, handed to its provider. */
  showPortsView(provider: PortsTreeProvider): vscode.TreeView<PortsNode<vscode.Uri>>;
}

export function startServices(shell: ActivationShell): PortolanServices {
  // First, so failures while the rest starts are logged too.
  shell.subscriptions.push(registerLog());
  const settings = new Settings();
  const mentions = new DocumentMentions();

  const index = new WorkspaceIndexer(settings);
  mentions.composeEnv = (file) => index.composeEnvFor(file);
  mentions.folderWorkloads = (file) => index.index.folderWorkloads(file);
  // Engine notes ("no container engine", its errors) go to the Portolan log registered above.
  const live = createLiveFeatures({
    settings,
    index,
    log: (message) => log.info(message),
    showPortsView: (provider) => shell.showPortsView(provider),
  });
  const diagnostics = new PortDiagnostics({
    settings,
    mentions,
    index,
    live: { view: live.ruleLive, onDidChange: live.live.onDidChange },
  });
  const isPortBusy = (port: number): boolean => (live.ruleLive?.holders(port, 'tcp')?.length ?? 0) > 0;
  const codeActionDeps = { diagnostics, index, mentions, isPortBusy };

  shell.subscriptions.push(
    settings,
    mentions,
    index,
    live,
    diagnostics,
    registerCodeActionCommands(codeActionDeps),
    registerRescanCommand(index, Command.RescanWorkspace),
    registerDocumentPortsCommand(index),
  );

  return {
    api: { settings, mentions, live, index, diagnostics, choices: userChoices },
    providers: {
      hover: new PortHoverProvider({ settings, mentions, live: live.hoverLine }),
      codeActions: new PortCodeActions(codeActionDeps),
      definition: new PortDefinitionProvider(index),
      references: new PortReferenceProvider(index),
      rename: new PortRenameProvider(index),
    },
  };
}
