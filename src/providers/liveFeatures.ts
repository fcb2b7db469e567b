// Builds the live-ports features (shared socket service, Ports view, status bar, commands) so
// extension.ts wires them with one call and hands the result to context.subscriptions.
import vscode = require('vscode');
import { ContainerEngine } from '../system/containerEngine';
import { HttpProbes } from '../system/httpProbe';
import { isNonWebPort } from '../data/registry';
import { ContainerActions, registerContainerCommands } from './containerCommands';
import { FreePortCommand, registerFreePortCommand } from './freePortCommand';
import { PortActions, registerPortCommands } from './portCommands';
import { LivePorts, liveHoverLine, registryNames, ruleLiveView } from './liveStatus';
import { PortInfoPanel, registerPortInfoCommand } from './portInfo';
import type { PortMention } from '../scan/mention';
import type { LiveView } from '../rules/types';
import {
  PortsView,
  WorkspaceDeclarations,
  type PortsTreeProvider,
  type WorkspacePortsSource,
} from './portsView';
import type { PortsNode, ServiceNames } from '../present/portsModel';
import type { Settings } from './settings';
import { PortsStatusBar } from './statusBar';
import { WatchCommands } from './watchCommands';

export interface LiveFeatures extends vscode.Disposable {
  readonly live: LivePorts;
  readonly portsView: PortsView;
  readonly statusBar: PortsStatusBar;
  readonly actions: PortActions;
  readonly containers: ContainerActions;
  /** Find a Free Port… (tests drive it with their own prompts). */
  readonly freePort: FreePortCommand;
  /** Show Port Information…'s page. */
  readonly portInfo: PortInfoPanel;
  /** Watch Port and Stop Watching Port. */
  readonly watch: WatchCommands;
  /** The container engines' client (shared by the socket service and the container actions). */
  readonly engine: ContainerEngine;
  readonly names: ServiceNames;
  /** Which listeners answer HTTP (decides "Open in Browser"). */
  readonly probes: HttpProbes;
  /** The hover provider's `live` hook. */
  readonly hoverLine: (
    mention: PortMention,
    token: vscode.CancellationToken,
    file?: string,
  ) => Promise<string | undefined>;
  /** The rules' live hook; undefined when live features are off. */
  readonly ruleLive: LiveView | undefined;
}

export function createLiveFeatures(deps: {
  settings: Settings;
  /** The workspace index, once it exists; `ready` lets the status bar ask for its first snapshot. */
  index?: WorkspacePortsSource & { readonly ready?: Promise<void> };
  /** Where "no container engine" and engine errors are said, once each. */
  log?: (message: string) => void;
  /** The Ports view for the provider, when it was created before (at activation). */
  showPortsView?: (provider: PortsTreeProvider) => vscode.TreeView<PortsNode<vscode.Uri>>;
}): LiveFeatures {
  const { settings } = deps;
  const engine = new ContainerEngine({ log: deps.log });
  const live = new LivePorts({ intervalMs: settings.current.refreshIntervalMs, containers: engine });
  // Whether a listener speaks HTTP decides "Open in Browser"; answers arrive after the row is drawn.
  // (Called after a probe answers, by then portsView below exists.)
  const probes = new HttpProbes({
    onResults: () => portsView.provider.refresh(),
    // Not this extension host (its sockets are the editor's), nor a database or SSH port.
    shouldProbe: (target) => target.pid !== process.pid && !isNonWebPort(target.port),
  });
  const names = registryNames(() => settings.current.customPorts, probes);
  const declarations = new WorkspaceDeclarations(deps.index);
  const portsView = new PortsView({ live, settings, declarations, names }, deps.showPortsView);
  const statusBar = new PortsStatusBar(live, declarations, settings);
  const containers = new ContainerActions({ engine, live });
  const actions = new PortActions({ live, settings, names, view: portsView });
  const freePort = new FreePortCommand({ live });
  const watch = new WatchCommands();
  const portInfo = new PortInfoPanel({ live, settings });
  const commands = [
    ...registerPortCommands(actions, {
      live,
      settings,
      names,
      view: portsView,
      offerContainerStop: (target, processName) => containers.offerStopInstead(target, processName),
    }),
    ...registerContainerCommands(containers),
    registerFreePortCommand(freePort),
    ...watch.register(),
    registerPortInfoCommand(portInfo),
  ];
  void deps.index?.ready?.then(() => statusBar.requestFresh());
  const ruleLive = ruleLiveView(live);
  const disposables: vscode.Disposable[] = [
    ...commands,
    portInfo,
    statusBar,
    portsView,
    declarations,
    live,
    probes,
  ];
  return {
    live,
    portsView,
    statusBar,
    actions,
    containers,
    freePort,
    portInfo,
    watch,
    engine,
    names,
    probes,
    hoverLine: liveHoverLine(live, names, probes),
    ruleLive,
    dispose: () => {
      for (const disposable of disposables) {
        disposable.dispose();
      }
    },
  };
}
