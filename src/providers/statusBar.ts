// Status bar: how many of the workspace's declared ports are busy on this machine. It never polls:
// it reads snapshots others asked for, and asks for one itself only on real events (index ready or
// changed, window focused), with a maximum age so those bursts cost at most one refresh.
import vscode = require('vscode');
import type { LivePorts } from './liveStatus';
import { markdownText } from '../present/markdownText';
import { declaredPortStates, ownerLabel } from '../present/portsModel';
import type { WorkspaceDeclarations } from './portsView';
import { PORTS_VIEW_ID } from './portsView';
import type { Settings } from './settings';

/** How old a snapshot the status bar accepts when it asks for one on an event. */
const STATUS_MAX_AGE_MS = 10_000;

export class PortsStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly updated = new vscode.EventEmitter<void>();
  /** After every update of text and visibility (tests wait on it). */
  readonly onDidUpdate = this.updated.event;

  constructor(
    private readonly live: LivePorts,
    private readonly declarations: WorkspaceDeclarations,
    private readonly settings: Settings,
  ) {
    this.item = vscode.window.createStatusBarItem('portolan.busyPorts', vscode.StatusBarAlignment.Left, 50);
    this.item.name = vscode.l10n.t('Portolan: busy workspace ports');
    this.item.command = `${PORTS_VIEW_ID}.focus`;
    this.subscriptions.push(
      this.item,
      this.updated,
      live.onDidChange(() => this.schedule()),
      settings.onDidChange(() => this.schedule()),
      declarations.onDidChange(() => {
        this.schedule();
        this.requestFresh();
      }),
      vscode.window.onDidChangeWindowState((state) => {
        if (state.focused) {
          this.requestFresh();
        }
      }),
    );
    this.update();
  }

  /** Ask for a snapshot if there is something to show and the last one is stale. */
  requestFresh(): void {
    if (!this.live.available || !this.settings.current.statusBarEnabled || this.declarations.isEmpty) {
      return;
    }
    void this.live.ensureFresh(STATUS_MAX_AGE_MS);
  }

  /** The text, tooltip and screen-reader label as shown, for tests. */
  get state(): { visible: boolean; text: string; busy: number; label: string; tooltip: string } {
    const tooltip = this.item.tooltip;
    return {
      visible: this.visible,
      text: this.item.text,
      busy: this.busy,
      label: this.item.accessibilityInformation?.label ?? '',
      tooltip: typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''),
    };
  }

  private visible = false;
  private busy = 0;

  private schedule(): void {
    if (this.timer) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, 100);
  }

  private update(): void {
    const snapshot = this.live.snapshot;
    if (!this.settings.current.statusBarEnabled || !this.live.available || !snapshot) {
      this.hide();
      return;
    }
    // States only: no rows, labels or tooltips for thousands of declared ports on every update.
    const declared = declaredPortStates(this.declarations.groups(), snapshot);
    if (declared.length === 0) {
      this.hide();
      return;
    }
    const busy = declared.filter((d) => d.state === 'busy');
    this.busy = busy.length;
    // Not radio-tower: VS Code's own forwarded-ports item already uses it.
    this.item.text = `$(plug) ${vscode.l10n.t('{0} busy', busy.length)}`;
    const summary = busySummary(busy.length, declared.length);
    const owners = busy.slice(0, 12).map((d) => {
      const names = [...new Set(d.holders.map((h) => ownerLabel(h, vscode.l10n.t)))].join(', ');
      return `:${d.port} — ${names}`;
    });
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(markdownText(summary));
    for (const line of owners) {
      tooltip.appendMarkdown(`\n- ${markdownText(line)}`);
    }
    if (busy.length > 12) {
      tooltip.appendMarkdown('\n- …');
    }
    tooltip.appendMarkdown(`\n\n${markdownText(vscode.l10n.t('Click to open the Ports view.'))}`);
    this.item.tooltip = tooltip;
    // Said by screen readers instead of the icon and the tooltip's Markdown source.
    this.item.accessibilityInformation = {
      label: [summary, owners.map((line) => line.replace(/^:/, '')).join('; ')].join(' ').trim(),
    };
    this.item.backgroundColor = undefined;
    this.item.show();
    this.visible = true;
    this.updated.fire();
  }

  private hide(): void {
    this.item.hide();
    this.visible = false;
    this.busy = 0;
    this.updated.fire();
  }

  dispose(): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }
}

/** One sentence on how many declared ports are busy, worded for the counts (no "1 ports"). */
export function busySummary(busy: number, declared: number): string {
  if (busy === 0) {
    return declared === 1
      ? vscode.l10n.t('The one port this workspace declares is not in use on this machine.')
      : vscode.l10n.t('None of the {0} ports this workspace declares is in use on this machine.', declared);
  }
  if (declared === 1) {
    return vscode.l10n.t('The one port this workspace declares is in use on this machine:');
  }
  return busy === 1
    ? vscode.l10n.t('1 of the {0} ports this workspace declares is in use on this machine:', declared)
    : vscode.l10n.t(
        '{0} of the {1} ports this workspace declares are in use on this machine:',
        busy,
        declared,
      );
}
