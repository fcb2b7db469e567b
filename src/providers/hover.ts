import vscode = require('vscode');
import type { PortMention } from '../scan';
import { Command } from '../present/commands';
import type { DocumentMentions } from './documentMentions';
import { hoverMarkdown } from '../present/hoverMarkdown';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import type { Settings } from './settings';

export interface HoverDeps {
  settings: Settings;
  mentions: DocumentMentions;
  /** Limits of this machine (privileged threshold, ephemeral range), when known. */
  kernel?: () => { unprivilegedStart?: number; ephemeralRange?: [number, number] };
  /** Markdown about the port on this machine right now; undefined when unknown or switched off. */
  live?: (
    mention: PortMention,
    token: vscode.CancellationToken,
    /** The document's path on disk, when it has one (names "this compose project"). */
    file?: string,
    /** Rule ids of Portolan diagnostics at the mention (a `port-in-use` already names the holder). */
    shownRules?: ReadonlySet<string>,
  ) => Promise<string | undefined>;
}

/** Commands a hover may link to; everything else in its Markdown stays inert. */
const HOVER_COMMANDS: string[] = [
  Command.KillProcess,
  Command.OpenInBrowser,
  Command.FindFreePort,
  Command.WatchPort,
  Command.StopContainer,
  Command.ShowPortInfo,
];

/** Rule ids of Portolan's diagnostics over the range: VS Code shows their text in the same hover. */
function rulesShownAt(document: vscode.TextDocument, range: vscode.Range): Set<string> {
  const rules = new Set<string>();
  for (const diagnostic of vscode.languages.getDiagnostics(document.uri)) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE || !diagnostic.range.intersection(range)) {
      continue;
    }
    const code = diagnostic.code;
    const id = typeof code === 'object' ? code.value : code;
    if (id !== undefined) {
      rules.add(String(id));
    }
  }
  return rules;
}

export class PortHoverProvider implements vscode.HoverProvider {
  constructor(private readonly deps: HoverDeps) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    // `hover.enabled` may be overridden per language (`[yaml]`), `customPorts` per folder.
    const config = this.deps.settings.for(document);
    if (!config.hoverEnabled) {
      return undefined;
    }
    const mention = this.deps.mentions.at(document, position);
    if (!mention) {
      return undefined;
    }
    const range = new vscode.Range(
      document.positionAt(mention.range.start),
      document.positionAt(mention.range.end),
    );
    const shownRules = rulesShownAt(document, range);
    const live =
      config.hoverLiveStatus && this.deps.live
        ? await this.deps.live(
            mention,
            token,
            document.uri.scheme === 'file' ? document.uri.fsPath : undefined,
            shownRules,
          )
        : undefined;
    if (token.isCancellationRequested) {
      return undefined;
    }
    const kernel = this.deps.kernel?.() ?? {};
    const markdown = new vscode.MarkdownString(
      hoverMarkdown(
        mention,
        {
          customPorts: config.customPorts,
          unprivilegedStart: config.privilegedPortThreshold ?? kernel.unprivilegedStart,
          ephemeralRange: kernel.ephemeralRange,
          language: document.languageId,
          shownRules,
        },
        live,
        vscode.l10n.t,
      ),
      true,
    );
    markdown.isTrusted = { enabledCommands: HOVER_COMMANDS };
    return new vscode.Hover(markdown, range);
  }
}
