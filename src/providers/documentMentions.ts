import vscode = require('vscode');
import {
  detectFileKind,
  isLineOriented,
  scanAs,
  scanReport,
  type ComposeEnv,
  type FileKind,
  type PortMention,
  type YamlParseCounts,
  yamlParseCounts,
} from '../scan';
import { mayNameTargetPorts } from '../scan/kubernetes';
import { linksOfText, namedTargetMentions, type PeerWorkload } from '../scan/kubernetesLinks';
import { compareMentions } from '../scan/mention';
import { logSkippedScan } from './log';

/** Documents larger than this are only ever scanned around the cursor, never whole. */
const WHOLE_SCAN_LIMIT = 2 * 1024 * 1024;
/** YAML needs a full parse, several times slower per byte than the line finders. */
const WHOLE_YAML_SCAN_LIMIT = 512 * 1024;
/**
 * Line-oriented documents above this size are read one line per hover until something needs the
 * whole file; below it, one whole scan per version is cheap and sees multi-line context (YAML lists).
 */
const LINE_SCAN_ABOVE = 256 * 1024;
/** How much of a very long line is read on each side of the cursor. */
const LINE_WINDOW = 2000;

interface Entry {
  version: number;
  kind: FileKind | undefined;
  mentions: PortMention[] | undefined;
  /** The project's `.env` a compose document was read with; another one means reading it again. */
  env?: ComposeEnv;
  /** The workloads of the folder a manifest was linked to; others mean linking it again. */
  peers?: readonly PeerWorkload[];
}

/**
 * Mentions per open document, computed once per document version and shared by the hover and
 * the diagnostics, so typing never rescans a file more than once.
 */
export class DocumentMentions implements vscode.Disposable {
  private readonly cache = new Map<string, Entry>();
  private readonly subscription = vscode.workspace.onDidCloseTextDocument((d) =>
    this.cache.delete(d.uri.toString()),
  );
  /** Where compose documents find their project's `.env` (set once the workspace index exists). */
  composeEnv: (file: string) => ComposeEnv | undefined = () => undefined;
  /** The workloads of the manifests in a file's folder (set once the workspace index exists). */
  folderWorkloads: (file: string) => readonly PeerWorkload[] = () => [];

  kindOf(document: vscode.TextDocument): FileKind | undefined {
    return this.entry(document).kind;
  }

  /** All mentions of the document, or undefined when it is too large to scan whole. */
  all(document: vscode.TextDocument): PortMention[] | undefined {
    const entry = this.entry(document);
    if (entry.mentions === undefined && entry.kind && this.canScanWhole(document, entry.kind)) {
      const file = document.uri.toString();
      const text = document.getText();
      const report = scanReport(entry.kind, text, file, entry.env);
      if (report.skipped !== undefined) {
        logSkippedScan(file, report.skipped);
      }
      entry.mentions = report.mentions;
      if (entry.peers !== undefined && entry.peers.length > 0 && mayNameTargetPorts(text)) {
        // `targetPort: http` whose container is in another manifest of the folder.
        const linked = namedTargetMentions(file, linksOfText(text), entry.peers).filter(
          (m) => m.resolvedFile !== undefined,
        );
        if (linked.length > 0) {
          entry.mentions = [...entry.mentions, ...linked].sort(compareMentions);
        }
      }
    }
    return entry.mentions;
  }

  /** The mention under a position, reading as little of the document as the format allows. */
  at(document: vscode.TextDocument, position: vscode.Position): PortMention | undefined {
    const entry = this.entry(document);
    if (!entry.kind) {
      return undefined;
    }
    const offset = document.offsetAt(position);
    if (
      isLineOriented(entry.kind) &&
      entry.mentions === undefined &&
      documentLength(document) > LINE_SCAN_ABOVE
    ) {
      return this.atInLine(document, entry.kind, position, offset);
    }
    const mentions = this.all(document);
    return mentions ? mentionAt(mentions, offset) : undefined;
  }

  private atInLine(
    document: vscode.TextDocument,
    kind: FileKind,
    position: vscode.Position,
    offset: number,
  ): PortMention | undefined {
    const line = document.lineAt(position.line);
    let from = 0;
    let to = line.text.length;
    if (to > 2 * LINE_WINDOW) {
      from = Math.max(0, position.character - LINE_WINDOW);
      to = Math.min(line.text.length, position.character + LINE_WINDOW);
    }
    const base = document.offsetAt(line.range.start) + from;
    // The line above is included so `portolan-ignore-next-line` still applies.
    const previous = position.line > 0 ? document.lineAt(position.line - 1).text + '\n' : '';
    const slice =
      previous.length < LINE_WINDOW ? previous + line.text.slice(from, to) : line.text.slice(from, to);
    const shift = base - (slice.length - (to - from));
    const found = mentionAt(scanAs(kind, slice, document.uri.toString()), offset - shift);
    return found && { ...found, range: { start: found.range.start + shift, end: found.range.end + shift } };
  }

  private canScanWhole(document: vscode.TextDocument, kind: FileKind): boolean {
    const limit = kind === 'compose' || kind === 'kubernetes' ? WHOLE_YAML_SCAN_LIMIT : WHOLE_SCAN_LIMIT;
    return documentLength(document) <= limit;
  }

  private entry(document: vscode.TextDocument): Entry {
    const key = document.uri.toString();
    let entry = this.cache.get(key);
    const env = entry?.kind === 'compose' ? this.composeEnv(key) : undefined;
    const peers = entry?.kind === 'kubernetes' ? this.folderWorkloads(key) : undefined;
    if (!entry || entry.version !== document.version || entry.env !== env || entry.peers !== peers) {
      const kind = detectFileKind(document.uri.path, document.languageId, peek(document));
      entry = {
        version: document.version,
        kind,
        mentions: undefined,
        env: kind === 'compose' ? this.composeEnv(key) : undefined,
        peers: kind === 'kubernetes' ? this.folderWorkloads(key) : undefined,
      };
      this.cache.set(key, entry);
    }
    return entry;
  }

  /**
   * How much YAML the scans have parsed: long compose files and manifests are re-parsed piece by
   * piece after an edit (src/scan/yamlIncremental.ts). Counts, for tests in the editor.
   */
  yamlParseCounts(): YamlParseCounts {
    return yamlParseCounts();
  }

  dispose(): void {
    this.subscription.dispose();
    this.cache.clear();
  }
}

/** Length in UTF-16 units, without copying the text. */
function documentLength(document: vscode.TextDocument): number {
  return document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
}

/** The first lines are enough to tell a Kubernetes manifest from other YAML. */
function peek(document: vscode.TextDocument): string {
  const last = Math.min(document.lineCount, 200);
  return document.getText(new vscode.Range(0, 0, last, 0));
}

/** Binary search over sorted mentions; ranges are inclusive of their end for hovering. */
export function mentionAt(mentions: PortMention[], offset: number): PortMention | undefined {
  let lo = 0;
  let hi = mentions.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = mentions[mid]!;
    if (offset < m.range.start) {
      hi = mid - 1;
    } else if (offset > m.range.end) {
      lo = mid + 1;
    } else {
      return m;
    }
  }
  return undefined;
}
