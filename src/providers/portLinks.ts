// Go to Definition, Find All References and Rename on a port, over the core's endpoint model: which
// mentions of the workspace name the same port of the same listener (src/workspace/endpoints).
// Nothing is built until one of them is asked: the model is derived from the index on first use.
import vscode = require('vscode');
import { LineIndex, type TextRange } from '../model/text';
import {
  parsePortValue,
  renameEdits,
  renameFiles,
  type EndpointLink,
  type EndpointMap,
} from '../workspace/endpoints';
import type { WorkspaceIndexer } from './workspaceIndexer';

/** The version of each document last given to the index here. */
const sentVersions = new WeakMap<vscode.TextDocument, number>();

/** The endpoint model with the document's latest text in it, and the link under the cursor. */
async function linkAt(
  index: WorkspaceIndexer,
  document: vscode.TextDocument,
  position: vscode.Position,
  waitForIndex = true,
): Promise<{ map: EndpointMap; link: EndpointLink } | undefined> {
  if (waitForIndex) {
    await index.ready;
  }
  // Unsaved edits reach the index after a debounce; the user asks about what they see now (a
  // rename just applied leaves other files edited and unsaved too). A version already sent is not
  // sent again: each update rebuilds the endpoint model.
  for (const open of [document, ...vscode.workspace.textDocuments.filter((d) => d.isDirty)]) {
    if (sentVersions.get(open) !== open.version) {
      sentVersions.set(open, open.version);
      index.updateFromDocument(open);
    }
  }
  const map = index.index.endpoints();
  const link = map.endpointOf(document.uri.toString(), document.offsetAt(position));
  return link ? { map, link } : undefined;
}

function openDocument(file: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === file);
}

/** Where a link is, from the open document when there is one, else from the index's line starts. */
function locationOf(index: WorkspaceIndexer, link: EndpointLink): vscode.Location | undefined {
  return placeOf(index, link.file, link.mention.range);
}

function placeOf(index: WorkspaceIndexer, file: string, range: TextRange): vscode.Location | undefined {
  const uri = vscode.Uri.parse(file);
  const document = openDocument(file);
  if (document) {
    return new vscode.Location(
      uri,
      new vscode.Range(document.positionAt(range.start), document.positionAt(range.end)),
    );
  }
  const start = index.positionAt(uri, range.start);
  const end = index.positionAt(uri, range.end);
  return start && end ? new vscode.Location(uri, new vscode.Range(start, end)) : undefined;
}

function rangeIn(document: vscode.TextDocument, link: EndpointLink): vscode.Range {
  return new vscode.Range(
    document.positionAt(link.mention.range.start),
    document.positionAt(link.mention.range.end),
  );
}

/** A connection, a setting or a k8s targetPort leads to what serves it; a publish leads on to its container port. */
export class PortDefinitionProvider implements vscode.DefinitionProvider {
  constructor(private readonly index: WorkspaceIndexer) {}

  async provideDefinition(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): Promise<vscode.LocationLink[] | undefined> {
    const at = await linkAt(this.index, document, position);
    if (!at) {
      return undefined;
    }
    const { map, link } = at;
    const targets =
      link.part === 'serves'
        ? map.forwardsTo(link.endpoint).flatMap((e) => map.servers(e))
        : map.servers(link.endpoint).filter((s) => s !== link);
    const origin = rangeIn(document, link);
    const out: vscode.LocationLink[] = [];
    // `proxy_pass http://backend` leads first to the `upstream backend` server it reaches, in whichever file.
    for (const server of this.index.index.nginxIncludes().upstreamServersOf(link.file, link.mention)) {
      const location = placeOf(this.index, server.file, server.range);
      if (location) {
        out.push({ originSelectionRange: origin, targetUri: location.uri, targetRange: location.range });
      }
    }
    for (const target of targets) {
      const location = locationOf(this.index, target);
      if (location) {
        out.push({ originSelectionRange: origin, targetUri: location.uri, targetRange: location.range });
      }
    }
    return out.length > 0 ? out : undefined;
  }
}

/** Every mention of the same endpoint across the workspace; declarations are the mentions that serve it. */
export class PortReferenceProvider implements vscode.ReferenceProvider {
  constructor(private readonly index: WorkspaceIndexer) {}

  async provideReferences(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.ReferenceContext,
  ): Promise<vscode.Location[] | undefined> {
    const at = await linkAt(this.index, document, position);
    if (!at) {
      return undefined;
    }
    return at.map
      .references(at.link.endpoint)
      .filter((l) => context.includeDeclaration || l.part !== 'serves' || l === at.link)
      .flatMap((l) => locationOf(this.index, l) ?? []);
  }
}

/** Renames a port across the files that name the same endpoint, and nowhere else. */
export class PortRenameProvider implements vscode.RenameProvider {
  constructor(private readonly index: WorkspaceIndexer) {}

  async prepareRename(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): Promise<{ range: vscode.Range; placeholder: string }> {
    // Only the port under the cursor is needed to open the rename box: while the workspace is still
    // being indexed, F2 answers at once and the edits wait for the index (provideRenameEdits).
    const at = await linkAt(this.index, document, position, false);
    if (!at) {
      throw new Error(vscode.l10n.t('Portolan renames port numbers; there is no port here.'));
    }
    return { range: rangeIn(document, at.link), placeholder: String(at.link.mention.port) };
  }

  async provideRenameEdits(
    document: vscode.TextDocument,
    position: vscode.Position,
    newName: string,
  ): Promise<vscode.WorkspaceEdit | undefined> {
    const at = await linkAt(this.index, document, position);
    if (!at) {
      throw new Error(vscode.l10n.t('Portolan renames port numbers; there is no port here.'));
    }
    const port = parsePortValue(newName);
    if (port === undefined) {
      throw new Error(vscode.l10n.t('"{0}" is not a port: enter a whole number from 1 to 65535.', newName));
    }
    const { map, link } = at;
    const texts = new Map<string, string>();
    await Promise.all(
      renameFiles(map, link.endpoint).map(async (file) => {
        const text = await readText(file);
        if (text !== undefined) {
          texts.set(file, text);
        }
      }),
    );
    const edit = new vscode.WorkspaceEdit();
    if (port === link.mention.port) {
      return edit;
    }
    const sure: vscode.WorkspaceEditEntryMetadata = {
      needsConfirmation: false,
      label: vscode.l10n.t('Port {0} of {1}', link.mention.port, link.endpoint.label),
    };
    const guessed: vscode.WorkspaceEditEntryMetadata = {
      needsConfirmation: true,
      label: vscode.l10n.t('Probably the same port ({0})', link.endpoint.label),
      description: vscode.l10n.t('Portolan infers this link; check it before applying.'),
    };
    const lines = new Map<string, LineIndex>();
    for (const change of renameEdits(map, link.endpoint, port, (file) => texts.get(file))) {
      const open = openDocument(change.file);
      let range: vscode.Range;
      if (open) {
        range = new vscode.Range(open.positionAt(change.range.start), open.positionAt(change.range.end));
      } else {
        let lineIndex = lines.get(change.file);
        if (!lineIndex) {
          lineIndex = new LineIndex(texts.get(change.file) ?? '');
          lines.set(change.file, lineIndex);
        }
        const start = lineIndex.locate(change.range.start);
        const end = lineIndex.locate(change.range.end);
        range = new vscode.Range(start.line, start.character, end.line, end.character);
      }
      edit.replace(vscode.Uri.parse(change.file), range, change.newText, change.inferred ? guessed : sure);
    }
    return edit;
  }
}

/** An open document's text, else the file's as saved; undefined when it cannot be read. */
async function readText(file: string): Promise<string | undefined> {
  const open = openDocument(file);
  if (open) {
    return open.getText();
  }
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.parse(file)));
  } catch {
    return undefined;
  }
}
