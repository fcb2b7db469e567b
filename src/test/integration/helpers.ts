// Driving the real VS Code API from integration tests. Everything waits on VS Code events with a timeout as a
// failure guard; nothing sleeps for a fixed time.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PortolanApi } from '../../extension';

export const PORTOLAN_ID = 'portolan.portolan';

/** How long an awaited event may take before the test fails; generous for 2-core CI. */
export const EVENT_TIMEOUT_MS = 15000;

/** The fixture workspace: the folder VS Code was opened on, else its place in the source tree. */
export function fixtureRoot(): vscode.Uri {
  const opened = vscode.workspace.workspaceFolders?.[0];
  if (opened) {
    return opened.uri;
  }
  return vscode.Uri.file(path.resolve(__dirname, '../../../src/test/fixtures/workspace'));
}

export function fixtureUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(fixtureRoot(), ...relativePath.split('/'));
}

/** The indexed files under the workspace folder `folder`, relative to it, sorted. */
export function indexedFilesUnder(api: PortolanApi, folder: string): string[] {
  const prefix = `${fixtureUri(folder).toString()}/`;
  return [...api.index.files()]
    .map((f) => f.uri.toString())
    .filter((file) => file.startsWith(prefix))
    .map((file) => file.slice(prefix.length))
    .sort();
}

/** The Portolan extension, activated. Hovers and diagnostics race activation unless this is awaited first. */
export async function activatePortolan<T = unknown>(): Promise<vscode.Extension<T>> {
  const extension = vscode.extensions.getExtension<T>(PORTOLAN_ID);
  assert.ok(extension, `extension ${PORTOLAN_ID} is not installed in this VS Code`);
  await extension.activate();
  assert.ok(extension.isActive, `extension ${PORTOLAN_ID} did not activate`);
  return extension;
}

/** What `activate` returned: the services behind the providers (settings, mentions, live ports). */
export async function portolanApi(): Promise<PortolanApi> {
  return (await activatePortolan<PortolanApi>()).exports;
}

/** The extension's package.json as VS Code read it. */
export function portolanManifest(): PortolanManifest {
  const extension = vscode.extensions.getExtension(PORTOLAN_ID);
  assert.ok(extension, `extension ${PORTOLAN_ID} is not installed in this VS Code`);
  return extension.packageJSON as PortolanManifest;
}

export interface PortolanManifest {
  name: string;
  publisher: string;
  contributes?: {
    commands?: { command: string; title: string; category?: string }[];
    views?: Record<string, { id: string; name: string }[]>;
    viewsContainers?: Record<string, { id: string; title: string }[]>;
    configuration?: unknown;
  };
}

/** Opens a fixture file in an editor and returns the editor. */
export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  return vscode.window.showTextDocument(document, { preview: false });
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * Position inside the `occurrence`-th (0-based) match of `needle` in the document, `offset` characters into it.
 * Fails the test when the text is not there, so a fixture edit cannot silently move a probe.
 */
export function positionOf(
  document: vscode.TextDocument,
  needle: string,
  occurrence = 0,
  offset = 0,
): vscode.Position {
  const text = document.getText();
  let index = -1;
  for (let seen = 0; seen <= occurrence; seen++) {
    index = text.indexOf(needle, index + 1);
    assert.ok(
      index >= 0,
      `"${needle}" occurs fewer than ${occurrence + 1} time(s) in ${document.uri.fsPath}`,
    );
  }
  return document.positionAt(index + offset);
}

/** Range covering the `occurrence`-th match of `needle`. */
export function rangeOf(document: vscode.TextDocument, needle: string, occurrence = 0): vscode.Range {
  const start = positionOf(document, needle, occurrence);
  return new vscode.Range(start, start.translate(0, needle.length));
}

/**
 * Resolves with the first truthy value of `predicate`, checked now and after every firing of `event`.
 * Rejects after `timeoutMs` with `what` in the message.
 */
export function waitFor<T>(
  predicate: () => T | undefined | null | false,
  event: vscode.Event<unknown>,
  what: string,
  timeoutMs = EVENT_TIMEOUT_MS,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let subscription: vscode.Disposable | undefined;
    const settle = (value: T | undefined, error?: Error): void => {
      clearTimeout(timer);
      subscription?.dispose();
      if (error) {
        reject(error);
      } else {
        resolve(value as T);
      }
    };
    const check = (): boolean => {
      try {
        const value = predicate();
        if (value) {
          settle(value);
          return true;
        }
      } catch (error) {
        settle(undefined, error instanceof Error ? error : new Error(String(error)));
        return true;
      }
      return false;
    };
    const timer = setTimeout(
      () => settle(undefined, new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    );
    if (!check()) {
      subscription = event(() => {
        check();
      });
    }
  });
}

/** Diagnostics Portolan reports for a document (its `source` names Portolan). */
export function portolanDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source?.toLowerCase().startsWith('portolan'));
}

/**
 * Waits until Portolan's diagnostics for `uri` satisfy `accept` (default: at least one), driven by
 * `languages.onDidChangeDiagnostics`. Resolves with those diagnostics.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean = (d) => d.length > 0,
  timeoutMs = EVENT_TIMEOUT_MS,
): Promise<vscode.Diagnostic[]> {
  return waitFor(
    () => {
      const diagnostics = portolanDiagnostics(uri);
      return accept(diagnostics) ? diagnostics : undefined;
    },
    vscode.languages.onDidChangeDiagnostics,
    `Portolan diagnostics on ${path.basename(uri.fsPath)}`,
    timeoutMs,
  );
}

/** All hovers VS Code's providers give at a position. */
export async function hoversAt(uri: vscode.Uri, position: vscode.Position): Promise<vscode.Hover[]> {
  return (
    (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? []
  );
}

/** The text of hover contents, whatever shape each part has. */
export function hoverText(hovers: readonly vscode.Hover[]): string {
  const parts: string[] = [];
  for (const hover of hovers) {
    for (const content of hover.contents) {
      if (typeof content === 'string') {
        parts.push(content);
      } else {
        parts.push(content.value);
      }
    }
  }
  return parts.join('\n');
}

/** Portolan's hover opens with the port and transport in bold: `**5432/tcp** · PostgreSQL`. */
export const PORTOLAN_HOVER_HEADING = /\*\*\d+(?:–\d+)?\/(?:tcp|udp|sctp)\*\*/;

/** Text of the hovers at a position that come from Portolan (other extensions may hover too). */
export async function portolanHoverAt(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  return (await hoversAt(uri, position))
    .map((hover) => hoverText([hover]))
    .filter((text) => PORTOLAN_HOVER_HEADING.test(text))
    .join('\n');
}

/** Code actions at a range, resolved as a user would see them in the light bulb. */
export async function codeActionsAt(
  uri: vscode.Uri,
  range: vscode.Range,
  kind?: string,
): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    kind,
  );
  return (actions ?? []).filter(
    (a): a is vscode.CodeAction => !('command' in a && typeof a.command === 'string'),
  );
}

/** Applies a code action's edit and then its command, like choosing it in the light bulb. */
export async function applyCodeAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit) {
    assert.ok(await vscode.workspace.applyEdit(action.edit), `edit of "${action.title}" was not applied`);
  }
  if (action.command) {
    await vscode.commands.executeCommand(
      action.command.command,
      ...((action.command.arguments ?? []) as unknown[]),
    );
  }
}

/** Resolves with the next firing of `event` that `accept` takes; rejects after `timeoutMs`. */
export function nextEvent<T>(
  event: vscode.Event<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = EVENT_TIMEOUT_MS,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const subscription = event((value) => {
      if (accept(value)) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(value);
      }
    });
  });
}

/**
 * Sets `portolan.<key>` in the workspace (a throwaway copy of the fixture) and resolves once VS Code reports
 * the change. Returns a function that restores the previous workspace value the same way.
 */
export async function setPortolanSetting(key: string, value: unknown): Promise<() => Promise<void>> {
  const update = async (newValue: unknown): Promise<void> => {
    const current = vscode.workspace.getConfiguration('portolan').inspect(key)?.workspaceValue;
    if (JSON.stringify(current) === JSON.stringify(newValue)) {
      return; // VS Code fires no change event for an unchanged value
    }
    const changed = nextEvent(
      vscode.workspace.onDidChangeConfiguration,
      (e) => e.affectsConfiguration(`portolan.${key}`),
      `configuration change of portolan.${key}`,
    );
    await vscode.workspace
      .getConfiguration('portolan')
      .update(key, newValue, vscode.ConfigurationTarget.Workspace);
    await changed;
  };
  const previous = vscode.workspace.getConfiguration('portolan').inspect(key)?.workspaceValue;
  await update(value);
  return () => update(previous);
}
