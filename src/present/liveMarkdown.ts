// The live line of a hover ("In use on this machine: postgres (pid 812) on 127.0.0.1") as Markdown
// with command links. No vscode import: the hover provider wraps it in a trusted MarkdownString
// that enables only the commands linked here.
import { MAX_PORT } from '../model/port';
import { containerLabel, isComposeFileOf } from '../system/containerPorts';
import { isKillable } from '../system/killSequence';
import { displayFolder, processIdentity } from '../system/processIdentity';
import type { ListeningSocket, SocketProtocol } from '../system/types';
import { Command } from './commands';
import { markdownCode, markdownText } from './markdownText';
import { formatPlain, offersBrowser, type ServiceNames, type Translate } from './portsModel';

/**
 * What a command started from a hover link or a tree item acts on. A link carries only what to
 * look up (port, protocol, address): handlers that act on a process find it in the socket table.
 */
export interface PortTarget {
  port: number;
  protocol?: SocketProtocol;
  address?: string;
}

export const LIVE_LINK_COMMANDS = {
  kill: Command.KillProcess,
  openInBrowser: Command.OpenInBrowser,
  findFreePort: Command.FindFreePort,
  stopContainer: Command.StopContainer,
} as const;

export interface LiveMarkdownOptions {
  protocol?: SocketProtocol;
  /** A `connect` mention: nobody listening is the news, not "free". */
  connect?: boolean;
  names: ServiceNames;
  selfPid?: number;
  t?: Translate;
  /** The compose file being hovered: its own running containers are named as such. */
  composeFile?: string;
  /**
   * A diagnostic at the same place already says who holds the port (`port-in-use`) or that nobody
   * does (`not-listening`); VS Code shows it in the same hover, so only the actions are added.
   */
  statusShown?: boolean;
  /** The home folder, shown as `~` in a process's working folder. */
  home?: string;
}

/**
 * `command:` URI with JSON arguments, encoded the way VS Code's Markdown renderer expects; the
 * characters `encodeURIComponent` leaves alone but a Markdown link destination does not are
 * percent-encoded too, so no argument can end the link early.
 */
export function commandUri(command: string, ...args: unknown[]): string {
  const query = encodeURIComponent(JSON.stringify(args)).replace(
    /[!'()*~]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `command:${command}?${query}`;
}

export function liveStatusMarkdown(
  holders: readonly ListeningSocket[],
  port: number,
  options: LiveMarkdownOptions,
): string {
  const t = options.t ?? formatPlain;
  const protocol = options.protocol ?? 'tcp';
  if (holders.length === 0) {
    if (options.statusShown) {
      return '';
    }
    const line = options.connect
      ? t('$(circle-slash) Nothing is listening on this port on this machine')
      : t('$(pass) Free on this machine');
    return `${line}  \n`;
  }
  const composeFile = options.composeFile;
  const own = composeFile
    ? holders.find((h) => h.container !== undefined && isComposeFileOf(h.container, composeFile))
    : undefined;
  const byOwner = new Map<string, { text: string; addresses: string[] }>();
  for (const h of holders) {
    const key = h.container
      ? `container/${h.container.id}`
      : h.ownerVisible && h.pid !== undefined
        ? `pid/${h.pid}`
        : 'hidden';
    let entry = byOwner.get(key);
    if (!entry && h.container) {
      entry = {
        text: t(
          'container {0}: {1}',
          markdownCode(h.container.name),
          markdownText(containerLabel(h.container)),
        ),
        addresses: [],
      };
      byOwner.set(key, entry);
    }
    if (!entry) {
      const who =
        key === 'hidden'
          ? t('a process whose owner is not visible')
          : t('{0} (pid {1})', markdownText(processIdentity(h)), h.pid ?? '?');
      const where =
        h.cwd && key !== 'hidden'
          ? t('{0} in {1}', who, markdownCode(displayFolder(h.cwd, options.home)))
          : who;
      entry = {
        text: h.proxy === 'docker' ? t('{0}, a Docker-published port', where) : where,
        addresses: [],
      };
      byOwner.set(key, entry);
    }
    if (!entry.addresses.includes(h.address)) {
      entry.addresses.push(h.address);
    }
  }
  const owners = [...byOwner.values()].map((o) =>
    t('{0} on {1}', o.text, o.addresses.map((a) => markdownCode(a)).join(', ')),
  );
  const lines: string[] = [];
  if (own?.container) {
    lines.push(
      t(
        '$(vm-running) Running: {0} ({1})',
        markdownCode(own.container.name),
        markdownText(lowerFirst(own.container.status || own.container.state)),
      ),
    );
  }
  if (!options.statusShown) {
    lines.push(t('$(circle-filled) In use on this machine: {0}', owners.join('; ')));
  }

  const links: string[] = [];
  const first = holders[0]!; // not empty: returned above when it was
  const killable = holders.find((h) => isKillable(h, options.selfPid));
  if (killable) {
    // The handler looks the owner up again and shows what it found before signalling.
    const target: PortTarget = { port, protocol, address: killable.address };
    links.push(
      `[${t('Stop {0}', markdownText(killable.process ? processIdentity(killable) : String(killable.pid)))}](${commandUri(LIVE_LINK_COMMANDS.kill, target)})`,
    );
  }
  const published = holders.find((h) => h.container !== undefined)?.container;
  if (published) {
    // Only the id travels: the handler reads the container again and asks before stopping it.
    links.push(
      `[${t('Stop container {0}', markdownText(published.name))}](${commandUri(LIVE_LINK_COMMANDS.stopContainer, { containerId: published.id })})`,
    );
  }
  if (offersBrowser(holders, port, protocol, options.names)) {
    const target: PortTarget = { port, protocol, address: first.address };
    links.push(`[${t('Open in browser')}](${commandUri(LIVE_LINK_COMMANDS.openInBrowser, target)})`);
  }
  if (!options.connect && port < MAX_PORT) {
    links.push(
      `[${t('Find a free port')}](${commandUri(LIVE_LINK_COMMANDS.findFreePort, { from: port + 1 })})`,
    );
  }
  if (links.length > 0) {
    lines.push(links.join(' · '));
  }
  return lines.join('  \n') + '  \n';
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
