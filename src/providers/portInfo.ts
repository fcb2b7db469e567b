// Show Port Information…: a quick pick that finds a port by number, service name or common use, then
// a page with the registry's full entry, this machine's live status and the actions that apply.
// A webview, not the Markdown preview: the preview disables `command:` links (microsoft/vscode#215939),
// and the page's actions are command links. The webview runs no script; its links are limited to
// the commands listed in `enableCommandUris`, and each handler re-reads the socket table itself.
import { randomBytes } from 'node:crypto';
import vscode = require('vscode');
import { describePort, serviceName } from '../data/registry';
import { searchPorts, type PortSearchHit } from '../data/portSearch';
import { MAX_PORT } from '../model/port';
import { Command } from '../present/commands';
import { commandUri } from '../present/liveMarkdown';
import type { LivePorts } from './liveStatus';
import { portInfoHtml, type LiveFacts, type PageAction } from '../present/portInfoPage';
import { portArgument } from './portInput';
import { isKillable } from '../system/killSequence';
import { ownerLabel } from '../present/portsModel';
import type { Settings } from './settings';

/** The commands the page links to; nothing else runs from it. */
const PAGE_COMMANDS = [
  Command.KillProcess,
  Command.OpenInBrowser,
  Command.CopyAddress,
  Command.TestConnection,
  Command.WatchPort,
  Command.UnwatchPort,
  Command.FindFreePort,
] as const;

const LIVE_MAX_AGE_MS = 2000;

interface PortPickItem extends vscode.QuickPickItem {
  port: number;
}

function pickItem(hit: PortSearchHit): PortPickItem {
  return {
    port: hit.port,
    label: hit.name ? `${hit.port} · ${hit.name}` : String(hit.port),
    description: hit.source === 'team' ? vscode.l10n.t('your team’s name') : undefined,
    detail: hit.detail,
  };
}

export class PortInfoPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private port: number | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The style's CSP nonce, one per session: the HTML changes only when its content does. */
  private readonly nonce = randomBytes(16).toString('base64');
  /** The quick pick while it is open (tests read its items and accept one). */
  activePick: vscode.QuickPick<PortPickItem> | undefined;
  private readonly pickChanged = new vscode.EventEmitter<void>();
  /** When the quick pick opens, its items change, or it closes. */
  readonly onDidChangePick = this.pickChanged.event;
  private readonly rendered = new vscode.EventEmitter<void>();
  /** After the page's HTML changed. */
  readonly onDidRender = this.rendered.event;

  constructor(private readonly deps: { live: LivePorts; settings: Settings }) {
    this.subscriptions.push(
      this.pickChanged,
      this.rendered,
      deps.live.onDidChange(() => void this.render()),
    );
  }

  /** The page's HTML as shown, or undefined when closed. */
  get html(): string | undefined {
    return this.panel?.webview.html;
  }

  get shownPort(): number | undefined {
    return this.panel ? this.port : undefined;
  }

  /** Finds a port from `query` (asks with a quick pick when it is not one number) and shows its page. */
  async show(arg?: unknown): Promise<number | undefined> {
    let port = portArgument(arg);
    if (port === undefined) {
      port = await this.pick(typeof arg === 'string' ? arg : '');
    }
    if (port === undefined) {
      return undefined;
    }
    this.port = port;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        'portolan.portInfo',
        vscode.l10n.t('Port {0}', port),
        vscode.ViewColumn.Active,
        { enableScripts: false, enableCommandUris: PAGE_COMMANDS, localResourceRoots: [] },
      );
      this.panel.onDidDispose(() => {
        this.panel = undefined;
      });
      this.panel.onDidChangeViewState(() => void this.render());
    } else {
      this.panel.title = vscode.l10n.t('Port {0}', port);
      this.panel.reveal();
    }
    await this.render(true);
    return port;
  }

  private pick(value: string): Promise<number | undefined> {
    const customPorts = this.deps.settings.current.customPorts;
    const pick = vscode.window.createQuickPick<PortPickItem>();
    pick.title = vscode.l10n.t('Show Port Information');
    pick.placeholder = vscode.l10n.t(
      'A port number, service name or common use: 5432, postgresql, redis, kafka',
    );
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    const update = (text: string): void => {
      pick.items = searchPorts(text, { customPorts }).map(pickItem);
      this.pickChanged.fire();
    };
    pick.onDidChangeValue(update);
    pick.value = value;
    this.activePick = pick;
    update(value);
    return new Promise<number | undefined>((resolve) => {
      pick.onDidAccept(() => {
        // A fast typist presses Enter while the list is still being replaced: a selection that is
        // not among the current items belongs to an older query, so the top of the list wins.
        const current = pick.items;
        const chosen =
          [...pick.selectedItems, ...pick.activeItems].find((item) => current.includes(item)) ?? current[0];
        resolve(chosen?.port);
        pick.hide();
      });
      pick.onDidHide(() => {
        resolve(undefined);
        this.activePick = undefined;
        pick.dispose();
        this.pickChanged.fire();
      });
      pick.show();
    });
  }

  private async render(fresh = false): Promise<void> {
    const panel = this.panel;
    const port = this.port;
    if (!panel || port === undefined || (!fresh && !panel.visible)) {
      return;
    }
    const live = this.deps.live;
    if (fresh && live.available) {
      await live.ensureFresh(LIVE_MAX_AGE_MS);
    }
    const customPorts = this.deps.settings.current.customPorts;
    const info = describePort(port, undefined, { customPorts, t: vscode.l10n.t });
    const holders = live.available ? [...live.holders(port, 'tcp'), ...live.holders(port, 'udp')] : [];
    let facts: LiveFacts;
    if (!live.available) {
      facts = { kind: 'off', reason: live.unavailableReason ?? vscode.l10n.t('Live ports are off.') };
    } else if (!live.snapshot) {
      facts = { kind: 'unknown' };
    } else if (holders.length === 0) {
      facts = { kind: 'free' };
    } else {
      facts = {
        kind: 'busy',
        holders: holders.map((h) => ({
          owner: ownerLabel(h, vscode.l10n.t),
          address: h.address,
          protocol: h.protocol,
        })),
      };
    }
    const watched = this.deps.settings.current.watchPorts.includes(port);
    const actions: PageAction[] = [];
    const first = holders[0];
    const killable = holders.find((h) => isKillable(h, process.pid));
    if (killable) {
      actions.push({
        label: vscode.l10n.t('Stop {0}…', killable.process ?? String(killable.pid)),
        href: commandUri(Command.KillProcess, {
          port,
          protocol: killable.protocol,
          address: killable.address,
        }),
      });
    }
    if (first && info.scheme) {
      actions.push({
        label: vscode.l10n.t('Open in Browser'),
        href: commandUri(Command.OpenInBrowser, { port, address: first.address }),
      });
    }
    if (first) {
      actions.push(
        {
          label: vscode.l10n.t('Test Connection'),
          href: commandUri(Command.TestConnection, { port, address: first.address }),
        },
        {
          label: vscode.l10n.t('Copy host:port'),
          href: commandUri(Command.CopyAddress, { port, address: first.address }),
        },
      );
    }
    actions.push(
      watched
        ? { label: vscode.l10n.t('Stop Watching'), href: commandUri(Command.UnwatchPort, { port }) }
        : { label: vscode.l10n.t('Watch Port'), href: commandUri(Command.WatchPort, { port }) },
    );
    if (live.available) {
      actions.push({
        label: vscode.l10n.t('Find a Free Port from {0}', Math.min(port + 1, MAX_PORT)),
        href: commandUri(Command.FindFreePort, { from: Math.min(port + 1, MAX_PORT) }),
      });
    }
    const html = portInfoHtml(
      { info, name: serviceName(port, undefined, { customPorts }), live: facts, actions, watched },
      { nonce: this.nonce, t: vscode.l10n.t, language: vscode.env.language },
    );
    // Only replace the page when something changed: a reload loses the scroll position.
    if (panel.webview.html !== html) {
      panel.webview.html = html;
      this.rendered.fire();
    }
  }

  dispose(): void {
    this.panel?.dispose();
    this.activePick?.dispose();
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }
}

export function registerPortInfoCommand(panel: PortInfoPanel): vscode.Disposable {
  return vscode.commands.registerCommand(Command.ShowPortInfo, (arg?: unknown) => panel.show(arg));
}
