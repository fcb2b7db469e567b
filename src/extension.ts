// Wiring only. Activation registers stand-ins (src/providers/standIns.ts) for the contributions and
// leaves Portolan's services (src/providers/services.ts, a chunk of its own) to the next turn or to the first
// call of a stand-in, whichever comes first: activate() parses a few kilobytes and makes a few calls,
// and loads none of the finders, rules, registry, socket layer or Node built-ins they need.
import type * as vscode from 'vscode';
import { Command } from './present/commands';
import type { PortsNode } from './present/portsModel';
import { CommandStandIns, PortsViewStandIn, registerProviderStandIns } from './providers/standIns';
import type { PortolanApi, PortolanServices } from './providers/services';

export type { PortolanApi } from './providers/services';

export function activate(context: vscode.ExtensionContext): PortolanApi {
  let services: PortolanServices | undefined;
  let failure: Error | undefined;
  const timers: { start?: NodeJS.Timeout } = {};
  const load = (): PortolanServices => {
    if (services) {
      return services;
    }
    if (failure) {
      throw failure;
    }
    clearTimeout(timers.start);
    // The services register the real commands under the same names.
    commands.dispose();
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { startServices } = require('./providers/services') as typeof import('./providers/services');
      services = startServices({
        subscriptions: context.subscriptions,
        showPortsView: (provider) => portsView.connect(provider),
      });
      return services;
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      throw failure;
    }
  };
  const commands = new CommandStandIns(Object.values(Command), load);
  const portsView = new PortsViewStandIn<PortsNode<vscode.Uri>>(load);
  // The index and the diagnostics' first pass start then; scanning files is not activation's work.
  timers.start = setTimeout(load, 0);
  context.subscriptions.push(
    { dispose: () => clearTimeout(timers.start) },
    commands,
    portsView,
    registerProviderStandIns(() => load().providers),
  );
  return apiOf(() => load().api);
}

/** The API, loading the services when any part of it is first read. */
function apiOf(api: () => PortolanApi): PortolanApi {
  return {
    get settings() {
      return api().settings;
    },
    get mentions() {
      return api().mentions;
    },
    get live() {
      return api().live;
    },
    get index() {
      return api().index;
    },
    get diagnostics() {
      return api().diagnostics;
    },
    get choices() {
      return api().choices;
    },
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
