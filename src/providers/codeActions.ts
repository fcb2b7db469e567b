// Quick fixes for Portolan's diagnostics, and the commands behind "ignore this line" and "disable this rule".
import vscode = require('vscode');
import { RULE_IDS } from '../rules';
import { fixesFor, ignoreLineEdit, lineCommentFor } from '../rules/fixes';
import type { Finding, Fix, RuleId, TextEdit } from '../rules/types';
import { Command } from '../present/commands';
import { DIAGNOSTIC_SOURCE, type PortDiagnostics } from './diagnostics';
import type { DocumentMentions } from './documentMentions';
import {
  reportWriteFailed,
  reportWritten,
  settingsPlace,
  tell,
  type SettingsPlace,
  type WrittenChoice,
} from './feedback';
import type { WorkspaceIndexer } from './workspaceIndexer';

export interface CodeActionDeps {
  diagnostics: PortDiagnostics;
  index: WorkspaceIndexer;
  mentions: DocumentMentions;
  /** True when something on this machine holds the port now; fixes then skip it. */
  isPortBusy?: (port: number) => boolean;
}

function titleOf(fix: Fix): string {
  switch (fix.id) {
    case 'change-port': {
      // `:8080` added after nginx's `listen 127.0.0.1` is named by its port.
      const edit = fix.kind === 'edit' ? fix.edits[0]?.newText.replace(/^:/, '') : undefined;
      return vscode.l10n.t('Change to port {0}', edit ?? String(fix.kind === 'edit' ? fix.port : ''));
    }
    case 'bind-loopback':
      return vscode.l10n.t('Bind to 127.0.0.1 only');
    case 'quote-mapping': {
      const edit = fix.kind === 'edit' ? fix.edits[0]?.newText : undefined;
      return vscode.l10n.t('Quote the mapping: {0}', edit ?? '');
    }
    case 'lowercase-protocol': {
      const edit = fix.kind === 'edit' ? fix.edits[0]?.newText : undefined;
      return vscode.l10n.t('Change the protocol to {0}', edit ?? '');
    }
    case 'remove-host-part':
      return vscode.l10n.t('Keep only the container port');
    case 'stop-process':
      return vscode.l10n.t(
        'Stop the process holding port {0}…',
        fix.kind === 'command' ? portOf(fix.args[0]) : '',
      );
    case 'ignore-line':
      return vscode.l10n.t('Ignore {0} on this line', fix.rule);
    case 'disable-rule':
      return vscode.l10n.t('Disable rule {0} in this workspace', fix.rule);
  }
}

function portOf(arg: unknown): string {
  return typeof arg === 'object' && arg !== null && 'port' in arg ? String(arg.port) : '';
}

function toWorkspaceEdit(document: vscode.TextDocument, edits: TextEdit[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) {
    // Fixes only ever touch the document they were computed from.
    edit.replace(
      document.uri,
      new vscode.Range(document.positionAt(e.range.start), document.positionAt(e.range.end)),
      e.newText,
    );
  }
  return edit;
}

/** Quick fixes for Portolan's diagnostics; registered with contributions.ts's `codeActionMetadata`. */
export class PortCodeActions implements vscode.CodeActionProvider {
  constructor(private readonly deps: CodeActionDeps) {}

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) {
      return [];
    }
    const findings = this.deps.diagnostics.findingsFor(document.uri, document);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      const finding = findings.find((f) => matches(f, diagnostic, document));
      if (!finding) {
        continue;
      }
      const fixes = fixesFor(finding, {
        file: document.uri.toString(),
        kind: this.deps.mentions.kindOf(document),
        text: document.getText(),
        workspace: this.deps.index.index,
        isPortBusy: this.deps.isPortBusy,
        disableRuleCommand: Command.DisableRule,
        killProcessCommand: Command.KillProcess,
      });
      for (const fix of fixes) {
        const action = new vscode.CodeAction(titleOf(fix), vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        if (fix.kind === 'edit') {
          action.edit = toWorkspaceEdit(document, fix.edits);
          action.isPreferred = fix.preferred === true;
        } else {
          // Rule commands also learn which file asked; the kill command takes only its target.
          const args = fix.id === 'disable-rule' ? [...fix.args, document.uri] : fix.args;
          action.command = { command: fix.command, title: action.title, arguments: args };
        }
        actions.push(action);
      }
    }
    return actions;
  }
}

function matches(finding: Finding, diagnostic: vscode.Diagnostic, document: vscode.TextDocument): boolean {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return code === finding.rule && document.offsetAt(diagnostic.range.start) === finding.range.start;
}

function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && (RULE_IDS as readonly string[]).includes(value);
}

/**
 * `portolan.disableRule [rule]`: sets the rule to `off` in the workspace settings (user settings
 * without a workspace), then says where, with Undo and Open Settings.
 */
async function disableRule(rule?: unknown, resource?: unknown): Promise<RuleWrite | undefined> {
  let id = isRuleId(rule) ? rule : undefined;
  if (!id) {
    id = (await vscode.window.showQuickPick([...RULE_IDS], {
      placeHolder: vscode.l10n.t('Rule to turn off'),
    })) as RuleId | undefined;
    if (!id) {
      return undefined;
    }
  }
  const scope = resource instanceof vscode.Uri ? resource : undefined;
  const config = vscode.workspace.getConfiguration('portolan.diagnostics', scope);
  const place = settingsPlace();
  const inspected = config.inspect<Record<string, string>>('rules');
  const previous =
    place.target === vscode.ConfigurationTarget.Global ? inspected?.globalValue : inspected?.workspaceValue;
  try {
    await config.update('rules', { ...previous, [id]: 'off' }, place.target);
  } catch (error) {
    await reportWriteFailed(RULES_KEY, place, error);
    return undefined;
  }
  const feedback = reportWritten({
    key: RULES_KEY,
    place,
    done: vscode.l10n.t('Rule {0} is off', id),
    undo: () =>
      vscode.workspace
        .getConfiguration('portolan.diagnostics', scope)
        .update('rules', previous, place.target),
  });
  return { rule: id, place, feedback };
}

const RULES_KEY = 'portolan.diagnostics.rules';

/** What Disable rule wrote, for tests: the file, and the message's outcome once handled. */
export interface RuleWrite {
  rule: RuleId;
  place: SettingsPlace;
  feedback: Promise<WrittenChoice | undefined>;
}

/**
 * `portolan.ignoreLine [rule] [uri] [line]`: the same comment the quick fix inserts. Without
 * arguments it works on the active editor's line and the Portolan problems on it.
 */
async function ignoreLine(
  deps: CodeActionDeps,
  rule?: unknown,
  uri?: unknown,
  line?: unknown,
): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const document =
    uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : editor?.document;
  if (!document) {
    tell(
      'information',
      vscode.l10n.t('Open the file whose line Portolan should ignore, then run this again.'),
    );
    return;
  }
  const lineNumber =
    typeof line === 'number' ? line : editor?.document === document ? editor.selection.active.line : 0;
  let rules: RuleId[];
  if (isRuleId(rule)) {
    rules = [rule];
  } else {
    const onLine = deps.diagnostics
      .findingsFor(document.uri, document)
      .filter((f) => document.positionAt(f.range.start).line === lineNumber);
    rules = [...new Set(onLine.map((f) => f.rule))];
    if (rules.length === 0) {
      tell('information', vscode.l10n.t('Portolan reports no problem on this line.'));
      return;
    }
  }
  const offset = document.offsetAt(new vscode.Position(lineNumber, 0));
  const e = ignoreLineEdit(
    document.getText(),
    offset,
    rules,
    document.uri.toString(),
    deps.mentions.kindOf(document),
  );
  const name = vscode.workspace.asRelativePath(document.uri);
  if (!e) {
    tell(
      'information',
      lineCommentFor(document.uri.toString(), deps.mentions.kindOf(document)) === undefined
        ? vscode.l10n.t('{0} has no comments, so Portolan cannot mark a line to ignore there.', name)
        : vscode.l10n.t('Line {0} of {1} already ignores {2}.', lineNumber + 1, name, rules.join(', ')),
    );
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.replace(
    document.uri,
    new vscode.Range(document.positionAt(e.range.start), document.positionAt(e.range.end)),
    e.newText,
  );
  if (!(await vscode.workspace.applyEdit(edit))) {
    tell(
      'warning',
      vscode.l10n.t('Could not add the ignore comment to {0}: the file cannot be edited.', name),
    );
    return;
  }
  // An edit in the document: Undo there takes it back, as with any edit.
  void vscode.window.setStatusBarMessage(
    vscode.l10n.t(
      'Added an ignore comment for {0} above line {1} of {2}',
      rules.join(', '),
      lineNumber + 1,
      name,
    ),
    5000,
  );
}

/** The commands behind the quick fixes (the provider is registered by standIns.ts). */
export function registerCodeActionCommands(deps: CodeActionDeps): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Command.DisableRule, disableRule),
    vscode.commands.registerCommand(Command.IgnoreLine, (rule?: unknown, uri?: unknown, line?: unknown) =>
      ignoreLine(deps, rule, uri, line),
    ),
  );
}
