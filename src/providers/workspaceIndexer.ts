// Feeds the core's workspace index (src/workspace) from VS Code: a background build over the
// workspace folders, in bounded batches so the extension host never stalls, kept current by a file
// watcher and by edits in open documents. The index itself (mentions, claims by folder, positions)
// is the same one `portolan check` uses.
import vscode = require('vscode');
import { ContextFacts } from '../context';
import { logFailure } from '../model/log';
import { looksLikeText } from '../model/text';
import { detectFileKind, type ComposeEnv, type FileKind, type PortMention } from '../scan';
import {
  composeEnvOf,
  processEnvironment,
  processEnvironmentSignature,
  withProcessEnv,
} from '../scan/dotenv';
import type { FileMentions } from '../rules/types';
import { outermostPaths, WorkspaceIndex, type IndexedFile } from '../workspace';
import { logSkippedScan } from './log';
import type { Settings } from './settings';

/** Files that configure ports: read first, so a tight budget still covers them. (No nested braces: VS Code's globs do not nest.) */
const CONFIG_GLOB =
  '**/{compose*.yml,compose*.yaml,docker-compose*.yml,docker-compose*.yaml,.env,.env.*,*.env,Dockerfile,Dockerfile.*,*.dockerfile,' +
  'Containerfile,*.conf,*.properties,package.json,launch.json,devcontainer.json,.devcontainer.json,*.yaml,*.yml,*.service,' +
  'Makefile,makefile,GNUmakefile,*.mk,justfile,Justfile,*.nginx}';

/** nginx's `sites-enabled/` and `sites-available/` files, which have any name; apart, so CONFIG_GLOB's braces hold no `/`. */
const NGINX_SITES_GLOB = '**/sites-{enabled,available}/*';

/** Source code, read with what is left of the budget. */
const CODE_GLOB =
  '**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx,py,go,rs,java,kt,kts,scala,cs,php,rb,ex,exs,sh,bash,zsh,ps1,toml,ini,cfg}';

/** What the index reads, configuration first (a tight file budget still covers it). */
const INDEXED_GLOBS = [CONFIG_GLOB, NGINX_SITES_GLOB, CODE_GLOB];

/** Folders no project's own port settings live in, whatever the user's excludes say. */
const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**', '**/.vscode-test/**', '**/out/**', '**/dist/**'];

/** The same folders as a path test, for watcher events (which excludes do not filter). */
const ALWAYS_EXCLUDED_PATH = /\/(?:node_modules|\.git|\.vscode-test|out|dist)(?:\/|$)/;

const READ_BATCH = 24;
/** More created paths than this in one burst (after dropping those inside others) mean a rebuild. */
const MAX_CREATED_CHECKED = 256;
/** More new folders than this in one burst are read by one rebuild rather than one search each. */
const MAX_CREATED_FOLDERS_READ = 16;
/** The progress notification appears only when indexing takes longer than this. */
const PROGRESS_DELAY_MS = 1000;
const WATCH_DEBOUNCE_MS = 250;
const EDIT_DEBOUNCE_MS = 300;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function enabledGlobs(setting: unknown): string[] {
  if (!setting || typeof setting !== 'object') {
    return [];
  }
  return Object.entries(setting as Record<string, unknown>)
    .filter(([, on]) => on === true)
    .map(([glob]) => glob);
}

/** Expands `{a,b}` groups so several globs can be joined into one without nesting braces. */
function expandBraces(glob: string): string[] {
  const open = glob.indexOf('{');
  const close = open < 0 ? -1 : glob.indexOf('}', open);
  if (open < 0 || close < 0) {
    return [glob];
  }
  const head = glob.slice(0, open);
  const tail = glob.slice(close + 1);
  return glob
    .slice(open + 1, close)
    .split(',')
    .flatMap((alternative) => expandBraces(head + alternative + tail));
}

export class WorkspaceIndexer implements vscode.Disposable {
  /** The index the rules read; keyed by URI string. */
  readonly index = new WorkspaceIndex({
    isIgnored: (file) => this.isIgnored(vscode.Uri.parse(file)),
    onSkip: logSkippedScan,
    composeEnv: (file) => this.composeEnvFor(file),
  });
  /** Folder (URI string ending in '/') → the `.env` Compose reads there; replaced, never mutated. */
  private envByFolder = new Map<string, ComposeEnv>();
  /** Folder → what composeEnvFor last answered there, and what it was made from. */
  private readonly composeEnvs = new Map<
    string,
    { dotenv: ComposeEnv | undefined; signature: string; env: ComposeEnv }
  >();
  /** What the context model reads beyond mentions (Dockerfiles, Compose build contexts, capability grants), file by file. */
  private facts = new ContextFacts();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly filesChanged = new vscode.EventEmitter<vscode.Uri[]>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly pendingDisk = new Map<string, vscode.Uri>();
  private readonly pendingEdits = new Map<string, vscode.TextDocument>();
  private diskTimer: NodeJS.Timeout | undefined;
  private readonly pendingCreated = new Map<string, vscode.Uri>();
  private createdTimer: NodeJS.Timeout | undefined;
  private editTimer: NodeJS.Timeout | undefined;
  private generation = 0;
  private disposed = false;
  private readyPromise: Promise<void>;
  private lastShape = '';

  /** Fires after the index changed (a build finished, files changed). */
  readonly onDidChange: vscode.Event<void> = this.changed.event;
  /** The files whose mentions changed; an empty list after a full (re)build. */
  readonly onDidChangeFiles: vscode.Event<vscode.Uri[]> = this.filesChanged.event;
  /** True when the file budget stopped the last build early. */
  truncated = false;

  constructor(private readonly settings: Settings) {
    for (const glob of INDEXED_GLOBS) {
      const watcher = vscode.workspace.createFileSystemWatcher(glob);
      this.subscriptions.push(
        watcher,
        watcher.onDidCreate((uri) => this.queueDisk(uri)),
        watcher.onDidChange((uri) => this.queueDisk(uri)),
        watcher.onDidDelete((uri) => this.remove([uri])),
      );
    }
    // A deleted (or moved away) folder is reported as the folder alone, whose name the globs above
    // do not match: deletions of anything are watched, and a folder's files leave with it. A new
    // folder may be reported alone too: one moved in from outside, and one whose files were written
    // before the recursive watcher (inotify) watched it. Its files are looked for (see flushFolders).
    const anything = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    this.subscriptions.push(
      anything,
      anything.onDidCreate((uri) => this.queueCreated(uri)),
      anything.onDidDelete((uri) => this.remove([uri])),
      vscode.workspace.onDidDeleteFiles((e) => this.remove([...e.files])),
      vscode.workspace.onDidRenameFiles((e) => {
        this.remove(e.files.map((f) => f.oldUri));
        void this.indexMoved(e.files.map((f) => f.newUri));
      }),
    );
    this.subscriptions.push(
      this.changed,
      this.filesChanged,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) {
          this.queueEdit(e.document);
        }
      }),
      // Closing an edited but unsaved document brings the file's disk content back.
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme !== 'untitled' && this.index.has(d.uri.toString())) {
          this.queueDisk(d.uri);
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rescan()),
      settings.onDidChange(() => {
        const shape = this.buildShape();
        if (shape !== this.lastShape) {
          void this.rescan();
        }
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('files.exclude') || e.affectsConfiguration('search.exclude')) {
          void this.rescan();
        }
      }),
    );
    this.readyPromise = this.build();
  }

  /** Resolves when the first (or the latest requested) build has finished. */
  get ready(): Promise<void> {
    return this.readyPromise;
  }

  /** Rebuilds from scratch: new settings, new folders, or the user asked. */
  rescan(): Promise<void> {
    this.readyPromise = this.build();
    return this.readyPromise;
  }

  /** The `.env` values Compose interpolates into the compose file `file` (a URI string). */
  composeEnvFor(file: string): ComposeEnv | undefined {
    // Compose reads the environment it runs in over `.env`: the editor's is the closest there is.
    // Read at each scan (a variable set since start-up counts at the next edit), but the same object
    // while neither changes: the open documents' mentions are cached by it.
    const folder = file.slice(0, file.lastIndexOf('/') + 1);
    const dotenv = this.envByFolder.get(folder);
    const signature = processEnvironmentSignature();
    const cached = this.composeEnvs.get(folder);
    if (cached && cached.dotenv === dotenv && cached.signature === signature) {
      return cached.env;
    }
    const env = withProcessEnv(dotenv, processEnvironment());
    this.composeEnvs.set(folder, { dotenv, signature, env });
    return env;
  }

  /** Dockerfiles, Compose build contexts and capability grants, kept current file by file, for the context model. */
  get contextFacts(): ContextFacts {
    return this.facts;
  }

  mentionsOf(uri: vscode.Uri): readonly PortMention[] {
    return this.index.get(uri.toString())?.mentions ?? [];
  }

  /** Every indexed file that has at least one mention. */
  *files(): Iterable<{ uri: vscode.Uri; kind: FileKind | undefined; mentions: readonly PortMention[] }> {
    for (const entry of this.index.files()) {
      yield { uri: vscode.Uri.parse(entry.file), kind: entry.kind, mentions: entry.mentions };
    }
  }

  get fileCount(): number {
    return this.index.size;
  }

  fileOf(uri: vscode.Uri): FileMentions | undefined {
    return this.index.get(uri.toString());
  }

  /** A position in an indexed file without opening it; undefined when the file is not indexed. */
  positionAt(uri: vscode.Uri, offset: number): vscode.Position | undefined {
    const at = this.index.positionAt(uri.toString(), offset);
    return at && new vscode.Position(at.line, at.character);
  }

  /** True when `portolan.diagnostics.ignore` covers the file. */
  isIgnored(uri: vscode.Uri): boolean {
    // The setting is resource-scoped: each folder of a multi-root workspace has its own patterns.
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const ignore = (folder ? this.settings.for(folder) : this.settings.current).ignore;
    return !ignore.isEmpty && ignore.matches(vscode.workspace.asRelativePath(uri, false));
  }

  /**
   * Brings an open document's entry up to date now, so cross-file rules see what the user just
   * typed. Silent on purpose: the caller is already recomputing, and listeners hear about the edit
   * from the index's own debounced update.
   */
  updateFromDocument(document: vscode.TextDocument, mentions?: readonly PortMention[]): boolean {
    if (!this.belongsToWorkspace(document.uri)) {
      return false;
    }
    return this.index.set(document.uri.toString(), document.getText(), document.languageId, mentions);
  }

  /** A file a build would index: inside a workspace folder and not in a dependency folder. */
  private belongsToWorkspace(uri: vscode.Uri): boolean {
    return (
      this.index.has(uri.toString()) ||
      (vscode.workspace.getWorkspaceFolder(uri) !== undefined && !/\/(node_modules|\.git)\//.test(uri.path))
    );
  }

  // ---- building ----

  /** The settings a build depends on; a change in any of them means a rescan. */
  private buildShape(): string {
    const c = this.settings.current;
    const ignores = (vscode.workspace.workspaceFolders ?? []).map((f) => this.settings.for(f).ignoreGlobs);
    return JSON.stringify([ignores, c.indexMaxFiles, c.indexMaxFileSize]);
  }

  /** One folder's excludes; VS Code's file search matches them. Malformed ignore globs are already left out. */
  private excludeGlob(folder: vscode.WorkspaceFolder): string {
    const files = vscode.workspace.getConfiguration('files', folder);
    const search = vscode.workspace.getConfiguration('search', folder);
    const globs = [
      ...ALWAYS_EXCLUDED,
      ...enabledGlobs(files.get('exclude')),
      ...enabledGlobs(search.get('exclude')),
      ...this.settings.for(folder).ignoreGlobs,
    ].flatMap(expandBraces);
    return `{${[...new Set(globs)].join(',')}}`;
  }

  private async build(showProgress = true): Promise<void> {
    const generation = ++this.generation;
    const config = this.settings.current;
    this.lastShape = this.buildShape();
    let progressShown = false;
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    let report: ((done: number, total: number) => void) | undefined;
    const timer = setTimeout(() => {
      if (!showProgress) {
        return;
      }
      progressShown = true;
      void vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Portolan: indexing ports in the workspace'),
        },
        (progress) => {
          let last = 0;
          report = (count, total) => {
            const percent = total > 0 ? (count / total) * 100 : 0;
            progress.report({
              increment: percent - last,
              message: vscode.l10n.t('{0} of {1} files', count, total),
            });
            last = percent;
          };
          return done;
        },
      );
    }, PROGRESS_DELAY_MS);
    try {
      if (!vscode.workspace.workspaceFolders?.length) {
        return;
      }
      const budget = Math.max(1, config.indexMaxFiles);
      const seen = new Set<string>();
      let uris: vscode.Uri[] = [];
      // Configuration in every folder first, then code, each folder with its own excludes.
      for (const glob of INDEXED_GLOBS) {
        for (const folder of vscode.workspace.workspaceFolders) {
          if (uris.length > budget) {
            break;
          }
          const include = new vscode.RelativePattern(folder, glob);
          const found = await vscode.workspace.findFiles(
            include,
            this.excludeGlob(folder),
            budget - uris.length + 1,
          );
          for (const uri of found) {
            if (!seen.has(uri.toString())) {
              seen.add(uri.toString());
              uris.push(uri);
            }
          }
        }
      }
      // One file more than the budget was asked for: finding it means the budget cut the list.
      const truncated = uris.length > budget;
      uris = uris.slice(0, budget);
      if (generation !== this.generation || this.disposed) {
        return;
      }
      // The `.env` files first: compose files read their host ports from them.
      const envs = new Map<string, ComposeEnv>();
      const envUris = uris.filter((uri) => isEnvFile(uri));
      const envTexts = await Promise.all(
        envUris.map((uri) => this.currentText(uri, config.indexMaxFileSize)),
      );
      envUris.forEach((uri, j) => {
        const text = envTexts[j];
        if (text !== undefined) {
          envs.set(folderKey(uri), composeEnvOf(text));
        }
      });
      if (generation !== this.generation || this.disposed) {
        return;
      }
      this.envByFolder = envs;
      // Built aside and swapped in with the index.
      const facts = new ContextFacts();
      // Scanned into a fresh list and swapped in at once, so readers never see a half-built index.
      const fresh: IndexedFile[] = [];
      for (let i = 0; i < uris.length; i += READ_BATCH) {
        const batch = uris.slice(i, i + READ_BATCH);
        const texts = await Promise.all(batch.map((uri) => this.readText(uri, config.indexMaxFileSize)));
        if (generation !== this.generation || this.disposed) {
          return;
        }
        batch.forEach((uri, j) => {
          const text = texts[j];
          this.noteContext(uri.toString(), text, facts);
          const entry = text === undefined ? undefined : this.index.scan(uri.toString(), text);
          // A file with no port of its own may still include others (nginx) or mount them (Compose).
          if (entry && (entry.mentions.length > 0 || entry.nginx || entry.composeMounts)) {
            fresh.push(entry);
          }
        });
        report?.(Math.min(i + READ_BATCH, uris.length), uris.length);
        await yieldToEventLoop();
      }
      this.index.replaceAll(fresh);
      this.facts = facts;
      // Open documents may be ahead of the disk.
      for (const document of vscode.workspace.textDocuments) {
        if (this.index.has(document.uri.toString()) && document.isDirty) {
          this.index.set(document.uri.toString(), document.getText(), document.languageId);
        }
      }
      this.truncated = truncated;
      this.changed.fire();
      this.filesChanged.fire([]);
    } finally {
      clearTimeout(timer);
      if (progressShown) {
        finish();
      }
    }
  }

  private async readText(uri: vscode.Uri, maxSize: number): Promise<string | undefined> {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > maxSize || (stat.type & vscode.FileType.File) === 0) {
        return undefined;
      }
      const bytes = await vscode.workspace.fs.readFile(uri);
      return looksLikeText(bytes) ? new TextDecoder('utf-8').decode(bytes) : undefined;
    } catch (error) {
      // Deleted or unreadable since it was found: the index goes on without it.
      logFailure('reading a file for the workspace index', error, { file: uri.toString(), level: 'debug' });
      return undefined;
    }
  }

  // ---- keeping current ----

  /** Something was created: if it is a folder, its files are looked for once the burst is over. */
  private queueCreated(uri: vscode.Uri): void {
    if (ALWAYS_EXCLUDED_PATH.test(uri.path) || !this.belongsToWorkspace(uri)) {
      return;
    }
    this.pendingCreated.set(uri.toString(), uri);
    clearTimeout(this.createdTimer);
    this.createdTimer = setTimeout(() => void this.flushCreated(), WATCH_DEBOUNCE_MS);
  }

  private async flushCreated(): Promise<void> {
    const outermost = new Set(outermostPaths([...this.pendingCreated.keys()]));
    const created = [...this.pendingCreated.values()].filter((uri) => outermost.has(uri.toString()));
    this.pendingCreated.clear();
    if (created.length > MAX_CREATED_CHECKED) {
      // A checkout, an unpacked archive or a build's output: one rebuild costs less than thousands of stats.
      await this.rebuildQuietly();
      return;
    }
    const types = await Promise.all(
      created.map((uri) =>
        vscode.workspace.fs.stat(uri).then(
          (stat) => stat.type,
          () => undefined,
        ),
      ),
    );
    if (this.disposed) {
      return;
    }
    // Files are left to the watchers whose globs match them; only folders can hide files.
    const folders = created.filter((_, i) => ((types[i] ?? 0) & vscode.FileType.Directory) !== 0);
    if (folders.length > MAX_CREATED_FOLDERS_READ) {
      await this.rebuildQuietly();
      return;
    }
    for (const folder of folders) {
      await this.searchFolder(folder);
      if (this.disposed) {
        return;
      }
    }
  }

  /** A rebuild the watcher asked for: no progress notification, the user did nothing. */
  private rebuildQuietly(): Promise<void> {
    this.readyPromise = this.build(false);
    return this.readyPromise;
  }

  private queueDisk(uri: vscode.Uri): void {
    this.pendingDisk.set(uri.toString(), uri);
    clearTimeout(this.diskTimer);
    this.diskTimer = setTimeout(() => void this.flushDisk(), WATCH_DEBOUNCE_MS);
  }

  private async flushDisk(): Promise<void> {
    const uris = [...this.pendingDisk.values()];
    this.pendingDisk.clear();
    const maxSize = this.settings.current.indexMaxFileSize;
    const changed: vscode.Uri[] = [];
    let contextChanged = false;
    for (let i = 0; i < uris.length; i += READ_BATCH) {
      const batch = uris.slice(i, i + READ_BATCH);
      const texts = await Promise.all(batch.map((uri) => this.readText(uri, maxSize)));
      if (this.disposed) {
        return;
      }
      batch.forEach((uri, j) => {
        // An open document is the truth for its file; its edits arrive through queueEdit.
        const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        const text = open ? textWithin(open, maxSize) : texts[j];
        contextChanged = this.noteContext(uri.toString(), text) || contextChanged;
        contextChanged = this.noteEnv(uri, text) || contextChanged;
        const touched =
          text === undefined
            ? this.index.delete(uri.toString())
            : this.index.set(uri.toString(), text, open?.languageId);
        if (touched) {
          changed.push(uri);
        }
      });
      await yieldToEventLoop();
    }
    this.fireChanges(changed, contextChanged);
  }

  /** A changed grant or `.env` changes what every file of the folder means: everything is judged again. */
  private fireChanges(changed: vscode.Uri[], contextChanged: boolean): void {
    if (changed.length > 0 || contextChanged) {
      this.changed.fire();
      this.filesChanged.fire(contextChanged ? [] : changed);
    }
  }

  private queueEdit(document: vscode.TextDocument): void {
    if (document.uri.scheme === 'output' || document.uri.scheme === 'vscode-scm') {
      return;
    }
    if (
      !this.belongsToWorkspace(document.uri) ||
      (!this.index.has(document.uri.toString()) &&
        detectFileKind(document.uri.path, document.languageId) === undefined)
    ) {
      return;
    }
    this.pendingEdits.set(document.uri.toString(), document);
    clearTimeout(this.editTimer);
    this.editTimer = setTimeout(() => this.flushEdits(), EDIT_DEBOUNCE_MS);
  }

  private flushEdits(): void {
    const documents = [...this.pendingEdits.values()];
    this.pendingEdits.clear();
    const maxSize = this.settings.current.indexMaxFileSize;
    let contextChanged = false;
    const changed = documents
      .filter((d) => {
        if (d.isClosed) {
          return false;
        }
        // The same size cap as files read from disk: a huge open document leaves the index.
        const text = textWithin(d, maxSize);
        const key = d.uri.toString();
        contextChanged = this.noteContext(key, text) || contextChanged;
        contextChanged = this.noteEnv(d.uri, text) || contextChanged;
        return text === undefined ? this.index.delete(key) : this.index.set(key, text, d.languageId);
      })
      .map((d) => d.uri);
    this.fireChanges(changed, contextChanged);
  }

  /** Files or folders gone: a URI that is not an indexed file may be a folder, whose files all go. */
  private remove(uris: vscode.Uri[]): void {
    let contextChanged = false;
    const changed: vscode.Uri[] = [];
    for (const uri of uris) {
      const key = uri.toString();
      if (this.index.delete(key)) {
        changed.push(uri);
      }
      contextChanged = this.noteContext(key, undefined) || contextChanged;
      contextChanged = this.noteEnv(uri, undefined) || contextChanged;
      // As a folder (a file's own key never starts a longer key with '/').
      const folder = `${key}/`;
      for (const file of this.index.deleteFolder(folder)) {
        changed.push(vscode.Uri.parse(file));
      }
      contextChanged = this.facts.deleteFolder(folder) || contextChanged;
      contextChanged = this.forgetEnvsUnder(folder) || contextChanged;
      for (const pending of [...this.pendingDisk.keys()]) {
        if (pending.startsWith(folder)) {
          this.pendingDisk.delete(pending);
        }
      }
    }
    this.fireChanges(changed, contextChanged);
  }

  /** Drops the `.env` values and cached Compose environments of the folders under `folder`; true when a `.env` was there. */
  private forgetEnvsUnder(folder: string): boolean {
    for (const key of [...this.composeEnvs.keys()]) {
      if (key.startsWith(folder)) {
        this.composeEnvs.delete(key);
      }
    }
    const kept = [...this.envByFolder].filter(([key]) => !key.startsWith(folder));
    if (kept.length === this.envByFolder.size) {
      return false;
    }
    this.envByFolder = new Map(kept);
    return true;
  }

  /** Files or folders moved in (a rename in the explorer): a folder's files are read as the watcher would. */
  private async indexMoved(uris: vscode.Uri[]): Promise<void> {
    for (const uri of uris) {
      if (!this.belongsToWorkspace(uri)) {
        continue;
      }
      let type: vscode.FileType;
      try {
        type = (await vscode.workspace.fs.stat(uri)).type;
      } catch (error) {
        logFailure('reading a moved file for the workspace index', error, {
          file: uri.toString(),
          level: 'debug',
        });
        continue;
      }
      if ((type & vscode.FileType.Directory) === 0) {
        this.queueDisk(uri);
      } else {
        await this.searchFolder(uri);
      }
      if (this.disposed) {
        return;
      }
    }
  }

  /** Queues the files of a folder new to the index that a build would read, with its workspace folder's excludes. */
  private async searchFolder(uri: vscode.Uri): Promise<void> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const exclude = folder ? this.excludeGlob(folder) : `{${ALWAYS_EXCLUDED.join(',')}}`;
    const budget = Math.max(1, this.settings.current.indexMaxFiles);
    for (const glob of INDEXED_GLOBS) {
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, glob), exclude, budget);
      if (this.disposed) {
        return;
      }
      found.forEach((file) => this.queueDisk(file));
    }
  }

  /**
   * Brings the context facts of a file up to date (Dockerfile, Compose build contexts, capability
   * grant); true when a grant came, went or changed (every file of the folder is judged again).
   */
  private noteContext(file: string, text: string | undefined, facts = this.facts): boolean {
    const wasGrant = facts.grants().has(file);
    const projects = facts.projectsVersion;
    const compose = text !== undefined && isComposeText(file, text);
    const changed =
      text === undefined ? facts.delete(file) : facts.set(file, text, compose ? 'compose' : undefined);
    const grant = facts.grants().has(file);
    // A capability grant, or a `docker compose -f … -f …` / COMPOSE_FILE written outside the compose
    // files (a Makefile, a script), changes what other files mean: everything is judged again.
    return wasGrant !== grant || (grant && changed) || (!compose && facts.projectsVersion !== projects);
  }

  /** A `.env` changed: its folder's compose files are read again with the new values. True when it was one. */
  private noteEnv(uri: vscode.Uri, text: string | undefined): boolean {
    if (!isEnvFile(uri)) {
      return false;
    }
    const folder = folderKey(uri);
    const envs = new Map(this.envByFolder);
    if (text === undefined) {
      envs.delete(folder);
    } else {
      envs.set(folder, composeEnvOf(text));
    }
    this.envByFolder = envs;
    for (const file of this.index.filesInFolder(folder)) {
      if (file.kind === 'compose') {
        this.queueDisk(vscode.Uri.parse(file.file));
      }
    }
    return true;
  }

  /** An open document's text (it may be ahead of the disk), else the file's. */
  private currentText(uri: vscode.Uri, maxSize: number): Promise<string | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    return open ? Promise.resolve(textWithin(open, maxSize)) : this.readText(uri, maxSize);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.diskTimer);
    clearTimeout(this.createdTimer);
    clearTimeout(this.editTimer);
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
    this.index.clear();
  }
}

/** The document's text, or undefined when it is larger than `maxSize` UTF-16 units (checked without copying it). */
function textWithin(document: vscode.TextDocument, maxSize: number): string | undefined {
  const length = document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
  return length > maxSize ? undefined : document.getText();
}

/** `portolan.rescanWorkspace`: rebuilds the index (settings or excludes changed outside VS Code's view). */
export function registerRescanCommand(index: WorkspaceIndexer, command: string): vscode.Disposable {
  return vscode.commands.registerCommand(command, () => index.rescan());
}

function isEnvFile(uri: vscode.Uri): boolean {
  return uri.path.endsWith('/.env');
}

/** The folder of a file as a URI string ending in '/', the key the index groups by. */
function folderKey(uri: vscode.Uri): string {
  const file = uri.toString();
  return file.slice(0, file.lastIndexOf('/') + 1);
}

function isComposeText(file: string, text: string): boolean {
  return detectFileKind(file, undefined, text.slice(0, 20000)) === 'compose';
}
