// Watch Port and Stop Watching Port: they write `portolan.watchPorts` and say where, with Undo and
// Open Settings; a write that fails says why instead of doing nothing.
import vscode = require('vscode');
import { isValidPort } from '../model/port';
import { Command } from '../present/commands';
import { portArgument } from './portInput';
import {
  openSettings,
  tell,
  userChoices,
  reportWriteFailed,
  reportWritten,
  settingsPlace,
  type SettingsPlace,
  type WrittenChoice,
} from './feedback';

const KEY = 'watchPorts';
const FULL_KEY = `portolan.${KEY}`;

export interface WatchOutcome {
  /** The watched ports after the command, as VS Code reads them. */
  watched: number[];
  /** What was written, if anything, and where. */
  wrote?: SettingsPlace;
  /** Resolves when the message about it was handled (Undo, Open Settings, or closed). */
  feedback: Promise<WrittenChoice | undefined>;
}

function listIn(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((p): p is number => isValidPort(p)) : [];
}

async function fileExists(uri: vscode.Uri | undefined): Promise<boolean> {
  if (!uri) {
    return true;
  }
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

function current(): number[] {
  return vscode.workspace.getConfiguration('portolan').get<number[]>(KEY, []);
}

export class WatchCommands {
  /** Where the list is written: the workspace's settings, or the user's without a folder. */
  placeFor: () => SettingsPlace = settingsPlace;

  /** Adds or removes `port` in `portolan.watchPorts` where Portolan writes settings, and says so. */
  async setWatched(port: number, watched: boolean): Promise<WatchOutcome> {
    const config = vscode.workspace.getConfiguration('portolan');
    const place = this.placeFor();
    const inspected = config.inspect<number[]>(KEY);
    const written =
      place.target === vscode.ConfigurationTarget.Global ? inspected?.globalValue : inspected?.workspaceValue;
    const list = listIn(written);
    // VS Code may still hold the value of a settings file deleted outside it: write it again then.
    const stale = list.includes(port) && !(await fileExists(place.file));
    if (watched === list.includes(port) && !stale) {
      return this.alreadyThere(port, watched, place);
    }
    const next = watched
      ? [...new Set([...list, port])].sort((a, b) => a - b)
      : list.filter((p) => p !== port);
    try {
      await config.update(KEY, next.length > 0 || watched ? next : undefined, place.target);
    } catch (error) {
      await reportWriteFailed(FULL_KEY, place, error);
      return { watched: current(), feedback: Promise.resolve(undefined) };
    }
    const after = current();
    if (after.includes(port) !== watched) {
      // Written, but a value elsewhere (a folder's settings) decides.
      tell(
        'warning',
        watched
          ? vscode.l10n.t(
              'Port {0} was added to {1} in {2}, but another settings file overrides that list.',
              port,
              FULL_KEY,
              place.label,
            )
          : vscode.l10n.t(
              'Port {0} was removed from {1} in {2}, but another settings file still lists it.',
              port,
              FULL_KEY,
              place.label,
            ),
      );
      return { watched: after, wrote: place, feedback: Promise.resolve(undefined) };
    }
    const previous = written === undefined ? undefined : list;
    const feedback = reportWritten(
      {
        key: FULL_KEY,
        place,
        done: watched
          ? vscode.l10n.t('Port {0} is watched', port)
          : vscode.l10n.t('Port {0} is no longer watched', port),
        undo: () => vscode.workspace.getConfiguration('portolan').update(KEY, previous, place.target),
      },
      userChoices.ask,
    );
    return { watched: after, wrote: place, feedback };
  }

  private alreadyThere(port: number, watched: boolean, place: SettingsPlace): WatchOutcome {
    const inEffect = current().includes(port);
    let message: string;
    if (watched) {
      message = vscode.l10n.t('Port {0} is already watched ({1} in {2}).', port, FULL_KEY, place.label);
    } else if (inEffect) {
      message = vscode.l10n.t(
        'Port {0} is watched by another settings file than {1}: remove it there.',
        port,
        place.label,
      );
    } else {
      message = vscode.l10n.t('Port {0} is not watched.', port);
    }
    const open = vscode.l10n.t('Open Settings');
    const feedback = Promise.resolve(userChoices.ask(message, [open])).then(async (choice) => {
      if (choice !== open) {
        return undefined;
      }
      await openSettings(place, FULL_KEY);
      return 'open' as const;
    });
    return { watched: current(), feedback };
  }

  /** The command handlers; the watch command asks for a port when none is given. */
  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(Command.WatchPort, async (arg?: unknown) => {
        const port = portArgument(arg) ?? (await userChoices.askPort(vscode.l10n.t('Watch port'), ''));
        return port === undefined ? undefined : (await this.setWatched(port, true)).watched;
      }),
      vscode.commands.registerCommand(Command.UnwatchPort, async (arg?: unknown) => {
        const port = portArgument(arg);
        if (port === undefined) {
          tell('information', vscode.l10n.t('Choose a watched port in the Ports view to stop watching it.'));
          return undefined;
        }
        return (await this.setWatched(port, false)).watched;
      }),
    ];
  }
}
