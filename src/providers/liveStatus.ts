// One shared view of this machine's listening sockets for the Ports view, the status bar, hovers
// and diagnostics. It polls only while someone asked it to (the visible Ports view) and otherwise
// refreshes on demand with a maximum age, so nothing runs while the user is not looking.
import { homedir } from 'os';
import vscode = require('vscode');
import { browserScheme, isTlsPort, liveServiceName, serviceName } from '../data/registry';
import type { HttpProbes } from '../system/httpProbe';
import { isValidPort } from '../model/port';
import type { LiveView } from '../rules/types';
import { isLocalMention, type PortMention } from '../scan/mention';
import {
  createSocketService,
  DEFAULT_CONNECTIONS_MAX_AGE_MS,
  type ListeningSnapshot,
  type ListeningSocket,
  type SocketProtocol,
  type SocketService,
  type SnapshotOptions,
} from '../system';
import type { ContainerSource } from '../system/containerEngine';
import { holdersOf, SocketPoller } from '../system/socketPoller';
import { liveStatusMarkdown } from '../present/liveMarkdown';
import type { ServiceNames } from '../present/portsModel';

export interface LiveAvailability {
  available: boolean;
  /** Why live features are off, for the view's message and the commands. */
  reason?: string;
}

/**
 * Live sockets need the machine behind the workspace. Portolan ships only a Node.js entry (no
 * `browser` entry), so it never runs in the web editor without a server; code-server and
 * Codespaces run it in Node on their machine. A virtual workspace (a repository opened in place,
 * `vscode-vfs`) has no machine behind it: hovers and diagnostics work there, live features do not.
 */
export function liveAvailability(): LiveAvailability {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length > 0 && folders.every((f) => f.uri.scheme !== 'file')) {
    return {
      available: false,
      reason: vscode.l10n.t(
        'Live ports are off in a virtual workspace: there is no machine behind it. Hovers and diagnostics still work.',
      ),
    };
  }
  return { available: true };
}

/** The registry's names as the live views need them; `customPorts` come from the settings. */
export function registryNames(
  customPorts: () => Readonly<Record<string, string>>,
  probes?: HttpProbes,
): ServiceNames {
  return {
    httpProbe: probes ? (socket) => (socket.protocol === 'tcp' ? probes.get(socket) : 'other') : undefined,
    serviceName: (port, protocol) => serviceName(port, protocol, { customPorts: customPorts() }),
    liveName: (port, protocol, holder) =>
      liveServiceName(port, protocol, holder, { customPorts: customPorts() }),
    isTlsPort,
    browserScheme,
  };
}

export interface LivePortsOptions {
  availability?: LiveAvailability;
  /** Lazily called on the first refresh, so activation never starts a worker. */
  createService?: () => SocketService;
  intervalMs?: number;
  /** Container engines that name the containers behind published ports. */
  containers?: ContainerSource;
}

/** The core's socket poller, off where there are no live sockets to read (see liveAvailability). */
export class LivePorts extends SocketPoller implements vscode.Disposable {
  readonly available: boolean;
  readonly unavailableReason: string | undefined;

  constructor(options: LivePortsOptions = {}) {
    super({
      // Listeners on every refresh; connection counts at most every 10 s (they need full table reads).
      createService:
        options.createService ??
        (() =>
          createSocketService({
            connectionsMaxAgeMs: DEFAULT_CONNECTIONS_MAX_AGE_MS,
            containers: options.containers,
          })),
      intervalMs: options.intervalMs,
    });
    const availability = options.availability ?? liveAvailability();
    this.available = availability.available;
    this.unavailableReason = availability.reason;
  }

  override refresh(options: SnapshotOptions = {}): Promise<ListeningSnapshot | undefined> {
    return this.available ? super.refresh(options) : Promise.resolve(this.snapshot);
  }
}

/** How old a snapshot the diagnostics accept before they ask for a new one. */
export const DIAGNOSTICS_MAX_AGE_MS = 5000;

/**
 * The rules' LiveView over the shared service: undefined holders until a snapshot exists, so
 * `port-in-use` never reports from a guess. Holders carry `command` and `proxy` for the rule's
 * "this is the declared program itself" checks. Reading a stale snapshot asks for a fresh one in
 * the background; if the sockets changed, `onDidChange` makes the diagnostics run again.
 */
export function ruleLiveView(live: LivePorts, maxAgeMs = DIAGNOSTICS_MAX_AGE_MS): LiveView | undefined {
  if (!live.available) {
    return undefined;
  }
  return {
    holders(port, protocol) {
      const snapshot = live.snapshot;
      if (!snapshot || Date.now() - snapshot.takenAt > maxAgeMs) {
        void live.ensureFresh(maxAgeMs);
      }
      if (!snapshot || protocol === 'sctp') {
        return undefined;
      }
      return live.holders(port, protocol);
    },
  };
}

/** Markdown for a hover's live line; see liveMarkdown.ts. */
export function describeLiveStatus(
  holders: readonly ListeningSocket[],
  port: number,
  options: {
    protocol?: SocketProtocol;
    connect?: boolean;
    names?: ServiceNames;
    composeFile?: string;
    statusShown?: boolean;
  } = {},
): string {
  return liveStatusMarkdown(holders, port, {
    protocol: options.protocol,
    connect: options.connect,
    composeFile: options.composeFile,
    statusShown: options.statusShown,
    names: options.names ?? registryNames(() => ({})),
    selfPid: process.pid,
    home: homedir(),
    t: vscode.l10n.t,
  });
}

/** How old a snapshot a hover may show: fresh enough to trust, old enough to not re-read on every mouse move. */
export const HOVER_MAX_AGE_MS = 1500;
/** How old a snapshot may be to call a port free in a hover. */
export const FREE_CLAIM_MAX_AGE_MS = 250;

/** The hover provider's `live` hook: the live line for mentions of ports on this machine. */
export function liveHoverLine(
  live: LivePorts,
  names: ServiceNames,
  probes?: HttpProbes,
): (
  mention: PortMention,
  token: vscode.CancellationToken,
  file?: string,
  shownRules?: ReadonlySet<string>,
) => Promise<string | undefined> {
  return async (mention, token, file, shownRules) => {
    if (!live.available || !isLocalMention(mention) || mention.protocol === 'sctp') {
      return undefined;
    }
    if (!isValidPort(mention.port)) {
      return undefined;
    }
    const protocol: SocketProtocol = mention.protocol === 'udp' ? 'udp' : 'tcp';
    let snapshot = await live.ensureFresh(HOVER_MAX_AGE_MS);
    // "Free" is the claim people act on (they start a server there), so it gets a younger snapshot:
    // a server started a second ago must not be called free.
    if (snapshot && holdersOf(snapshot, mention.port, protocol).length === 0) {
      snapshot = await live.ensureFresh(FREE_CLAIM_MAX_AGE_MS);
    }
    if (!snapshot || token.isCancellationRequested) {
      return undefined;
    }
    const holders = holdersOf(snapshot, mention.port, protocol);
    if (probes && protocol === 'tcp') {
      // The hover asks the listener whether it speaks HTTP before offering the browser (cached after).
      await Promise.all(holders.slice(0, 4).map((h) => probes.result(h)));
      if (token.isCancellationRequested) {
        return undefined;
      }
    }
    // Only when the diagnostic (read from an older snapshot) agrees with this one.
    const statusShown = shownRules?.has(holders.length > 0 ? 'port-in-use' : 'not-listening') === true;
    return describeLiveStatus(holders, mention.port, {
      protocol,
      connect: mention.role === 'connect',
      names,
      composeFile: mention.kind === 'compose' ? file : undefined,
      statusShown,
    });
  };
}
