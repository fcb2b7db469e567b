// The workspace's port facts in one place, for `portolan check` and the extension alike: which files
// mention ports, grouped by folder for the cross-file rules, with their line starts so findings in
// files that are not open become positions. Pure: whoever feeds it reads the files (the CLI's walker,
// the extension's watcher and open documents).
import { folderOf } from '../rules/claims';
import { claimedPorts } from '../rules/fixes';
import { servedPorts, type ServedPorts } from '../rules/nginxProxyPass';
import type { FileMentions, WorkspaceView } from '../rules/types';
import { detectFileKind, scanReport, type ComposeEnv, type PortMention } from '../scan';
import {
  folderWorkloads,
  hasNamedTargets,
  linksOfText,
  namedTargetMentions,
  type PeerWorkload,
} from '../scan/kubernetesLinks';
import { compareMentions } from '../scan/mention';
import { LineIndex } from '../model/text';
import { findComposeNginxMounts } from '../scan/composeMounts';
import { EndpointMap } from './endpoints';
import { NginxIncludes, readNginxFacts } from './nginxIncludes';

/** One indexed file: its mentions, and where its lines start. */
export interface IndexedFile extends FileMentions {
  lines: LineIndex;
}

/** How much text the kind detection reads (generic YAML is told apart by a look at its text). */
const KIND_SNIFF_LENGTH = 20000;

export interface WorkspaceIndexOptions {
  /** Files the index never holds (`portolan.diagnostics.ignore`, `--ignore`). */
  isIgnored?: (file: string) => boolean;
  /** Told when a file is too complex to scan (`reason` starts "too complex to scan"); it is left out. */
  onSkip?: (file: string, reason: string) => void;
  /** The project's `.env` values Compose interpolates into a compose file (`"$SENTRY_BIND:80"`). */
  composeEnv?: (file: string) => ComposeEnv | undefined;
}

export class WorkspaceIndex implements WorkspaceView {
  private readonly entries = new Map<string, IndexedFile>();
  private readonly byFolder = new Map<string, Map<string, IndexedFile>>();
  /** `claimedPorts()` and `servedPorts()` until the next change. */
  private derived: {
    claimed?: Set<number>;
    served?: ServedPorts;
    endpoints?: EndpointMap;
    nginx?: NginxIncludes;
  } = {};
  /** The workloads of each folder's manifests, as asked for, until one of them changes. */
  private readonly peers = new Map<string, readonly PeerWorkload[]>();
  /** Set while replaceAll stores entries: the folders are linked once at the end. */
  private bulk = false;

  constructor(private readonly options: WorkspaceIndexOptions = {}) {}

  /** An index over files already scanned (tests, fixtures). */
  static of(files: Iterable<FileMentions>): WorkspaceIndex {
    const index = new WorkspaceIndex();
    for (const file of files) {
      const entry: IndexedFile = { ...file, lines: new LineIndex(file.text ?? '') };
      if (file.text !== undefined) {
        addIncludeFacts(entry, file.text);
      }
      if (file.kind === 'kubernetes' && file.text !== undefined && !file.kubernetes) {
        entry.kubernetes = linksOfText(file.text);
      }
      index.store(entry);
    }
    return index;
  }

  /**
   * Scans a file (`file` is a path or a URI string, '/'-separated) into an entry; undefined when the
   * ignore globs cover it. `known` are mentions the caller already has for this exact text.
   */
  scan(
    file: string,
    text: string,
    languageId?: string,
    known?: readonly PortMention[],
  ): IndexedFile | undefined {
    if (this.options.isIgnored?.(file)) {
      return undefined;
    }
    const kind = detectFileKind(file, languageId, text.slice(0, KIND_SNIFF_LENGTH));
    // Named ports resolved in another manifest are the index's to add (the folder may have changed since).
    let mentions = known?.filter((m) => m.resolvedFile === undefined);
    let skipped = false;
    if (mentions === undefined) {
      const env = kind === 'compose' ? this.options.composeEnv?.(file) : undefined;
      const report = kind ? scanReport(kind, text, file, env) : { mentions: [] };
      if (report.skipped !== undefined) {
        skipped = true;
        this.options.onSkip?.(file, report.skipped);
      }
      mentions = report.mentions;
    }
    const entry: IndexedFile = { file, kind, mentions, lines: new LineIndex('') };
    if (!skipped) {
      addIncludeFacts(entry, text);
    }
    // Line starts cost memory: only files with mentions (or nginx facts) need positions.
    if (mentions.length > 0 || entry.nginx) {
      entry.lines = new LineIndex(text);
    }
    if (kind === 'kubernetes' && mentions.length > 0) {
      const links = linksOfText(text);
      if (links.services.length > 0 || links.workloads.length > 0) {
        entry.kubernetes = links;
      }
    }
    return entry;
  }

  /** Scans and stores a file; true when the index changed. Files without mentions are not kept. */
  set(file: string, text: string, languageId?: string, known?: readonly PortMention[]): boolean {
    const entry = this.scan(file, text, languageId, known);
    if (!entry) {
      return this.delete(file);
    }
    return this.add(entry);
  }

  /** Stores an entry `scan` returned; true when the index changed (as `set`). */
  add(entry: IndexedFile): boolean {
    if (
      !this.entries.has(entry.file) &&
      entry.mentions.length === 0 &&
      !entry.nginx &&
      !entry.composeMounts
    ) {
      return false;
    }
    this.store(entry);
    return true;
  }

  /** Replaces everything at once, so readers never see a half-built index. */
  replaceAll(entries: Iterable<IndexedFile>): void {
    this.derived = {};
    this.entries.clear();
    this.byFolder.clear();
    this.peers.clear();
    const manifestFolders = new Set<string>();
    this.bulk = true;
    try {
      for (const entry of entries) {
        if (entry.mentions.length > 0 || entry.nginx || entry.composeMounts) {
          this.store(entry);
          if (entry.kind === 'kubernetes') {
            manifestFolders.add(folderOf(entry.file));
          }
        }
      }
    } finally {
      this.bulk = false;
    }
    for (const folder of manifestFolders) {
      this.linkFolder(folder);
    }
  }

  delete(file: string): boolean {
    const entry = this.entries.get(file);
    if (!entry) {
      return false;
    }
    this.entries.delete(file);
    this.derived = {};
    const folder = folderOf(file);
    const files = this.byFolder.get(folder);
    files?.delete(file);
    if (files?.size === 0) {
      this.byFolder.delete(folder);
    }
    if (entry.kind === 'kubernetes') {
      this.linkFolder(folder);
    }
    return true;
  }

  /**
   * Forgets every file under `folder` (a folder deleted or renamed: the watcher reports the folder,
   * not each file in it). `folder` may end in '/' or not; `/a/b` never covers `/a/bc/x`. Returns the
   * files removed (empty when nothing changed).
   */
  deleteFolder(folder: string): string[] {
    const prefix = folderPrefix(folder);
    const removed: string[] = [];
    for (const [dir, files] of this.byFolder) {
      if (dir.startsWith(prefix)) {
        for (const file of files.keys()) {
          this.entries.delete(file);
          removed.push(file);
        }
        this.byFolder.delete(dir);
      }
    }
    if (removed.length > 0) {
      this.derived = {};
      this.peers.clear();
    }
    return removed;
  }

  clear(): void {
    this.derived = {};
    this.entries.clear();
    this.byFolder.clear();
    this.peers.clear();
  }

  has(file: string): boolean {
    return this.entries.has(file);
  }

  get(file: string): IndexedFile | undefined {
    return this.entries.get(file);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Every indexed file (each has at least one mention, unless it was edited down to none). */
  files(): Iterable<IndexedFile> {
    return this.entries.values();
  }

  /** 0-based line and character of an offset in an indexed file; undefined when it is not indexed. */
  positionAt(file: string, offset: number): { line: number; character: number } | undefined {
    const entry = this.entries.get(file);
    if (!entry) {
      return undefined;
    }
    return entry.lines.locate(offset);
  }

  // ---- WorkspaceView, for the rules ----

  filesInFolder(folder: string): readonly FileMentions[] {
    const files = this.byFolder.get(folder);
    return files ? [...files.values()] : [];
  }

  allFiles(): Iterable<FileMentions> {
    return this.entries.values();
  }

  claimedPorts(): ReadonlySet<number> {
    return (this.derived.claimed ??= claimedPorts(this.entries.values()));
  }

  servedPorts(): ServedPorts {
    return (this.derived.served ??= servedPorts(this.entries.values()));
  }

  /** Which mentions name the same endpoint (kept until the next change). */
  endpoints(): EndpointMap {
    return (this.derived.endpoints ??= EndpointMap.of(this.entries.values(), this.nginxIncludes()));
  }

  /** How the indexed nginx files include each other (kept until the next change). */
  nginxIncludes(): NginxIncludes {
    return (this.derived.nginx ??= NginxIncludes.of(this.entries.values()));
  }

  /**
   * The workloads of the manifests in the folder of `file` (none past the bound of
   * `folderWorkloads`), the same array until one of them changes: what an open manifest links to.
   */
  folderWorkloads(file: string): readonly PeerWorkload[] {
    const folder = folderOf(file);
    let peers = this.peers.get(folder);
    if (!peers) {
      peers = folderWorkloads(this.filesInFolder(folder));
      this.peers.set(folder, peers);
    }
    return peers;
  }

  /** The indexed files in `folder` and in the folders up to `depth` levels below it. */
  filesBelow(folder: string, depth: number): FileMentions[] {
    const out: FileMentions[] = [];
    for (const [dir, files] of this.byFolder) {
      if (dir.startsWith(folder) && slashes(dir.slice(folder.length)) <= depth) {
        for (const f of files.values()) {
          out.push(f);
        }
      }
    }
    return out;
  }

  private store(entry: IndexedFile): void {
    this.derived = {};
    const before = this.entries.get(entry.file);
    this.entries.set(entry.file, entry);
    const folder = folderOf(entry.file);
    let files = this.byFolder.get(folder);
    if (!files) {
      files = new Map();
      this.byFolder.set(folder, files);
    }
    files.set(entry.file, entry);
    if (!this.bulk && (entry.kind === 'kubernetes' || before?.kind === 'kubernetes')) {
      this.linkFolder(folder);
    }
  }

  /**
   * Links the manifests of a folder: a named targetPort whose container is written in another
   * manifest beside it (`service.yaml` and `deployment.yaml`) becomes a mention of the number it
   * resolves to, kept current as either file changes.
   */
  private linkFolder(folder: string): void {
    const files = [...(this.byFolder.get(folder)?.values() ?? [])];
    const peers = folderWorkloads(files);
    // The same workloads keep the same array, so open manifests are not linked again for nothing.
    const known = this.peers.get(folder);
    if (known === undefined || !sameWorkloads(known, peers)) {
      this.peers.set(folder, peers);
    }
    for (const entry of files) {
      if (!entry.kubernetes || !hasNamedTargets(entry.kubernetes)) {
        continue;
      }
      const own = entry.mentions.filter((m) => m.resolvedFile === undefined);
      const linked = namedTargetMentions(entry.file, entry.kubernetes, peers).filter(
        (m) => m.resolvedFile !== undefined,
      );
      if (linked.length > 0 || own.length !== entry.mentions.length) {
        entry.mentions = linked.length > 0 ? [...own, ...linked].sort(compareMentions) : own;
      }
    }
  }
}

function sameWorkloads(a: readonly PeerWorkload[], b: readonly PeerWorkload[]): boolean {
  return a.length === b.length && a.every((p, i) => p.file === b[i]!.file && p.workload === b[i]!.workload);
}

/**
 * What a file tells about how nginx files are read together, kept even for a file with no port of
 * its own: an nginx file's includes and upstreams, a Compose file's nginx mounts.
 */
export function addIncludeFacts(entry: FileMentions, text: string): void {
  if (entry.kind === 'nginx' && !entry.nginx) {
    const nginx = readNginxFacts(text);
    if (nginx) {
      entry.nginx = nginx;
    }
  } else if (entry.kind === 'compose' && !entry.composeMounts) {
    const mounts = findComposeNginxMounts(text);
    if (mounts.length > 0) {
      entry.composeMounts = mounts;
    }
  }
}

/** `folder` ending in its separator, so a prefix test cannot match a sibling with a longer name. */
function folderPrefix(folder: string): string {
  if (folder.endsWith('/') || folder.endsWith('\\')) {
    return folder;
  }
  // Windows paths from the CLI use '\\'; URI strings and POSIX paths use '/'.
  return folder + (folder.includes('\\') && !folder.includes('/') ? '\\' : '/');
}

function slashes(path: string): number {
  let n = 0;
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    n++;
  }
  return n;
}

/**
 * The paths (or URI strings) that are not inside another of the list, in their order: a new
 * folder's own files need no second look once the folder is read whole.
 */
export function outermostPaths(paths: readonly string[]): string[] {
  const all = new Set(paths);
  return paths.filter((path) => {
    for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1)) {
      if (all.has(path.slice(0, cut))) {
        return false;
      }
    }
    return true;
  });
}
