// `Portolan: Document Workspace Ports`: writes PORTS.md at the root of a workspace folder from the
// workspace index, with the model `portolan doc` uses (present/portsDoc.ts). The table is in English
// in both, so the file a teammate's editor writes and `portolan doc --check` in CI agree.
import vscode = require('vscode');
import { Command } from '../present/commands';
import {
  portsDocRows,
  portsDocTable,
  PORTS_DOC_FILE,
  updatePortsDoc,
  type DocFile,
} from '../present/portsDoc';
import type { WorkspaceIndexer } from './workspaceIndexer';

async function pickFolder(arg: unknown): Promise<vscode.WorkspaceFolder | undefined> {
  // A folder named by the caller (a URI of a workspace folder): no question asked.
  if (arg instanceof vscode.Uri) {
    const named = vscode.workspace.getWorkspaceFolder(arg);
    if (named && named.uri.toString() === arg.toString()) {
      return named;
    }
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) {
    return folders[0];
  }
  return vscode.window.showWorkspaceFolderPick({
    placeHolder: vscode.l10n.t('Which folder gets the PORTS.md?'),
  });
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/** Writes (or refreshes) the folder's PORTS.md; resolves with its URI, or undefined when nothing was written. */
export async function documentWorkspacePorts(
  index: WorkspaceIndexer,
  folderArg?: unknown,
): Promise<vscode.Uri | undefined> {
  const folder = await pickFolder(folderArg);
  if (!folder) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Open a folder first: PORTS.md is written at the root of a workspace folder.'),
    );
    return undefined;
  }
  await index.ready;
  const target = vscode.Uri.joinPath(folder.uri, PORTS_DOC_FILE);
  const root = folder.uri.toString().replace(/\/?$/, '/');
  const files: DocFile[] = [];
  for (const file of index.files()) {
    const key = file.uri.toString();
    if (!key.startsWith(root) || key === target.toString()) {
      continue;
    }
    files.push({
      path: decodeURIComponent(key.slice(root.length)),
      mentions: file.mentions,
      lineOf: (offset) => (index.positionAt(file.uri, offset)?.line ?? 0) + 1,
    });
  }
  const rows = portsDocRows(files);
  const existing = await readText(target);
  const next = updatePortsDoc(existing, portsDocTable(rows));
  const fileCount = new Set(rows.map((r) => r.file)).size;
  const open = vscode.l10n.t('Open {0}', PORTS_DOC_FILE);
  let message: string;
  if (next === existing) {
    message = vscode.l10n.t(
      '{0} is up to date: {1} ports from {2} files.',
      target.fsPath,
      rows.length,
      fileCount,
    );
  } else {
    try {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(next));
    } catch (error) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t(
          'Could not write {0}: {1}',
          target.fsPath,
          error instanceof Error ? error.message : String(error),
        ),
      );
      return undefined;
    }
    message =
      existing === undefined
        ? vscode.l10n.t('Wrote {0}: {1} ports from {2} files.', target.fsPath, rows.length, fileCount)
        : vscode.l10n.t(
            'Rewrote the ports table in {0}: {1} ports from {2} files. Text outside its markers is kept.',
            target.fsPath,
            rows.length,
            fileCount,
          );
  }
  void vscode.window.showInformationMessage(message, open).then(async (choice) => {
    if (choice === open) {
      await vscode.window.showTextDocument(target);
    }
  });
  return target;
}

export function registerDocumentPortsCommand(index: WorkspaceIndexer): vscode.Disposable {
  return vscode.commands.registerCommand(Command.DocumentPorts, (folder?: unknown) =>
    documentWorkspacePorts(index, folder),
  );
}
