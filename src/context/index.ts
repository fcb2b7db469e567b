// The context model: for each file and mention, what it is (source, test, docs, vendored, generated,
// example), where it runs (host or container, and why) and who binds. Rules consult it so their
// severity means something; the CLI and the editor feed it the same way, file by file.
import type { PortMention } from '../scan/mention';
import { GitAttributes, roleFromPath, type FileRole } from './fileRole';
import { ComposeProjects, composeFileGroups, composeOutline, mayGroupComposeFiles } from './composeProject';
import type { ComposeOutline } from './composeProject';
import { ContainerFolders, buildContextsOf, folderOfId, isDockerfileName, type Placement } from './placement';

export type { FileRole } from './fileRole';
export type { Placement } from './placement';

export interface ContextSettings {
  /** Check tests, specs, fixtures and `testdata/` too (`portolan.diagnostics.checkTests`). */
  checkTests: boolean;
  /** Check documentation and doc comments too (`portolan.diagnostics.checkDocs`). */
  checkDocs: boolean;
  /** Check vendored and generated files too (`portolan.diagnostics.checkVendored`). */
  checkVendored: boolean;
  /** The container engine publishes as a normal user (rootless Docker, Podman). */
  rootless: boolean;
}

export const DEFAULT_CONTEXT_SETTINGS: ContextSettings = {
  checkTests: false,
  checkDocs: false,
  checkVendored: false,
  rootless: false,
};

/** What the rules know about the file they judge. */
export interface FileContext {
  role: FileRole;
  placement: Placement;
  /** Whether the rules judge this file at all (its role is checked). */
  checked: boolean;
  settings: ContextSettings;
  /** Whether a mention sits in a comment (a doc comment's example is documentation). */
  inComment(mention: PortMention): boolean;
  /**
   * Where the project grants its program CAP_NET_BIND_SERVICE (`setcap cap_net_bind_service=+ep` in a
   * script, `AmbientCapabilities=` in a systemd unit), relative to the workspace folder: a web server
   * or proxy that does so binds 80/443 by design.
   */
  bindGrantedIn?: string;
  /**
   * The Compose files that run in one project with this one, itself first: the default file and the
   * files layered over it, `-f` groups written in the project, `include:`. Alternatives stay apart.
   */
  composeProject(): readonly string[];
}

/**
 * Whether a line grants the capability to bind privileged ports: `setcap cap_net_bind_service=+ep`
 * in a script, `AmbientCapabilities=CAP_NET_BIND_SERVICE` in a systemd unit; `#` comments do not.
 */
function grantsBind(text: string): boolean {
  for (let start = 0; start < text.length;) {
    const newline = text.indexOf('\n', start);
    const stop = newline < 0 ? text.length : newline;
    const line = text.slice(start, stop).trimStart();
    start = stop + 1;
    if (line.startsWith('#')) {
      continue;
    }
    const lower = line.toLowerCase();
    const capability = lower.indexOf('cap_net_bind_service');
    if (capability < 0) {
      continue;
    }
    const setcap = /\bsetcap\b/.exec(lower);
    if (setcap && setcap.index < capability) {
      return true;
    }
    if (/^AmbientCapabilities[ \t]*=/.test(line) && line.includes('CAP_NET_BIND_SERVICE')) {
      return true;
    }
  }
  return false;
}

export function isRoleChecked(role: FileRole, settings: ContextSettings): boolean {
  switch (role) {
    case 'test':
      return settings.checkTests;
    case 'docs':
      return settings.checkDocs;
    case 'vendored':
    case 'generated':
      return settings.checkVendored;
    default:
      return true;
  }
}

function baseName(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

const COMPOSE_NAME = /(?:^|[-.])compose[^/]*\.ya?ml$/i;

/** What one file tells the context model; derived from its text once per change of that text. */
interface FileFacts {
  text: string;
  attributes?: GitAttributes;
  dockerfile?: boolean;
  buildContexts?: readonly { folder: string; service: string }[];
  /** A Compose file's services, for the projects its files form. */
  outline?: ComposeOutline;
  /** `-f` groups and COMPOSE_FILE values the text writes (scripts, Makefiles, CI, .env). */
  groups?: string[][];
  /** The text grants CAP_NET_BIND_SERVICE (whether it counts depends on the file's role). */
  grant?: boolean;
}

function sameContexts(
  a: readonly { folder: string; service: string }[] | undefined,
  b: readonly { folder: string; service: string }[] | undefined,
): boolean {
  if (a === undefined || b === undefined) {
    return a === b;
  }
  return a.length === b.length && a.every((x, i) => x.folder === b[i]?.folder && x.service === b[i]?.service);
}

/**
 * The per-file facts behind the context (`.gitattributes`, Dockerfiles, Compose `build:` contexts,
 * capability grants), kept file by file: the editor updates one file per edit, so an edit reads
 * only that file's text again, and the folder map is rebuilt (from stored facts, no parsing) only
 * when a Dockerfile or a build context came, went or moved.
 */
export class ContextFacts {
  private readonly files = new Map<string, FileFacts>();
  private readonly attributeFolders = new Map<string, GitAttributes>();
  private readonly grantFiles = new Set<string>();
  private containers: ContainerFolders | undefined;
  private projects: ComposeProjects | undefined;
  /** Counts changes to the Compose outlines and groups, so a caller can tell a grouping change. */
  projectsVersion = 0;
  /** Texts read for facts (Compose files parsed, grants looked for): what updates cost, for tests. */
  textsRead = 0;
  /** Times the container folders were rebuilt from the stored facts, for tests. */
  containerRebuilds = 0;

  /** Whether `set` wants this file's text (so a walker can read files with no ports too). */
  static wants(id: string): boolean {
    const name = baseName(id);
    return name === '.gitattributes' || isDockerfileName(name) || COMPOSE_NAME.test(name);
  }

  /**
   * Records (or replaces) one file's facts; `kind` 'compose' marks a Compose file whatever its name.
   * True when something the context model derives changed.
   */
  set(id: string, text: string, kind?: string): boolean {
    const before = this.files.get(id);
    if (before && before.text === text) {
      return false;
    }
    const name = baseName(id);
    const facts: FileFacts = { text };
    if (name === '.gitattributes') {
      const attributes = new GitAttributes(text);
      facts.attributes = attributes.isEmpty ? undefined : attributes;
    } else if (isDockerfileName(name)) {
      facts.dockerfile = true;
    } else if (kind === 'compose' || COMPOSE_NAME.test(name)) {
      this.textsRead++;
      facts.outline = composeOutline(id, text);
      facts.buildContexts = buildContextsOf(facts.outline);
    }
    // How the project runs its Compose files (documentation is left out when the projects are built).
    if (mayGroupComposeFiles(text)) {
      const groups = composeFileGroups(text);
      if (groups.length > 0) {
        facts.groups = groups;
      }
    }
    if (text.includes('_BIND_SERVICE') || /cap_net_bind_service/i.test(text)) {
      this.textsRead++;
      facts.grant = grantsBind(text);
    }
    if (!facts.attributes && !facts.dockerfile && !facts.outline && !facts.groups && !facts.grant) {
      return this.delete(id);
    }
    this.files.set(id, facts);
    return this.changedFrom(id, before, facts);
  }

  /** Forgets a file; true when it had facts. */
  delete(id: string): boolean {
    const before = this.files.get(id);
    if (!before) {
      return false;
    }
    this.files.delete(id);
    return this.changedFrom(id, before, undefined);
  }

  /** Forgets every file under `folder` (ending in '/' or not; `/a/b` never covers `/a/bc`); true when something derived changed. */
  deleteFolder(folder: string): boolean {
    const prefix = folder.endsWith('/') ? folder : `${folder}/`;
    let changed = false;
    for (const id of [...this.files.keys()]) {
      if (id.startsWith(prefix)) {
        changed = this.delete(id) || changed;
      }
    }
    return changed;
  }

  private changedFrom(id: string, before: FileFacts | undefined, after: FileFacts | undefined): boolean {
    const containersMoved =
      before?.dockerfile !== after?.dockerfile ||
      !sameContexts(before?.buildContexts ?? [], after?.buildContexts ?? []);
    if (containersMoved) {
      this.containers = undefined;
    }
    // Compared by content: a keystroke in a port leaves the services and includes as they were.
    const projectsMoved =
      JSON.stringify([before?.outline, before?.groups]) !== JSON.stringify([after?.outline, after?.groups]);
    if (projectsMoved) {
      this.projects = undefined;
      this.projectsVersion++;
    }
    if (after?.grant) {
      this.grantFiles.add(id);
    } else {
      this.grantFiles.delete(id);
    }
    const attributesChanged = before?.attributes !== after?.attributes;
    if (attributesChanged) {
      const folder = folderOfId(id);
      if (after?.attributes) {
        this.attributeFolders.set(folder, after.attributes);
      } else {
        this.attributeFolders.delete(folder);
      }
    }
    if (attributesChanged) {
      // Roles decide which files' groups count (documentation's do not).
      this.projects = undefined;
    }
    return (
      containersMoved ||
      projectsMoved ||
      attributesChanged ||
      (before?.grant ?? false) !== (after?.grant ?? false)
    );
  }

  /** `.gitattributes` by the folder it sits in. */
  get attributes(): ReadonlyMap<string, GitAttributes> {
    return this.attributeFolders;
  }

  /** Files that grant CAP_NET_BIND_SERVICE, in the order they were added. */
  grants(): ReadonlySet<string> {
    return this.grantFiles;
  }

  /** The folders built into images, rebuilt from the stored facts after a change that moves them. */
  containerFolders(): ContainerFolders {
    if (!this.containers) {
      this.containerRebuilds++;
      const containers = new ContainerFolders();
      for (const [id, facts] of this.files) {
        if (facts.dockerfile) {
          containers.addDockerfile(id);
        } else if (facts.buildContexts) {
          containers.addBuildContexts(facts.buildContexts);
        }
      }
      this.containers = containers;
    }
    return this.containers;
  }

  /**
   * Which Compose files run together, rebuilt from the stored outlines and groups after a change
   * that moves them. `isDocs` leaves documentation's example commands out.
   */
  composeProjects(isDocs: (id: string) => boolean): ComposeProjects {
    if (!this.projects) {
      const projects = new ComposeProjects();
      for (const [id, facts] of this.files) {
        if (facts.outline) {
          projects.addComposeFile(id, facts.outline);
        }
        if (facts.groups && !isDocs(id)) {
          projects.addGroups(id, facts.groups);
        }
      }
      this.projects = projects;
    }
    return this.projects;
  }

  clear(): void {
    this.files.clear();
    this.attributeFolders.clear();
    this.grantFiles.clear();
    this.containers = undefined;
    this.projects = undefined;
  }
}

/**
 * The workspace's context under one set of settings and workspace folders: `.gitattributes` files,
 * Dockerfiles and Compose `build:` contexts, fed with `addFile` (ids are '/'-separated: paths in the
 * CLI, URI strings in the editor) or shared through a `ContextFacts` kept up to date elsewhere.
 */
export class WorkspaceContext {
  /**
   * `roots`: the workspace folders (ids ending with '/'); a file's role comes from its path below
   * them, so checking `src/test/fixtures/project` judges that project's files as its source.
   * `facts`: the per-file facts, when the caller keeps them between contexts (the editor does).
   */
  constructor(
    readonly settings: ContextSettings = DEFAULT_CONTEXT_SETTINGS,
    private readonly roots: readonly string[] = [],
    private readonly facts: ContextFacts = new ContextFacts(),
  ) {}

  /** Whether `addFile` wants this file's text (so a walker can read files with no ports too). */
  static wants(id: string): boolean {
    return ContextFacts.wants(id);
  }

  addFile(id: string, text: string, kind?: string): void {
    this.facts.set(id, text, kind);
  }

  /** The first file below the root of `id` that grants CAP_NET_BIND_SERVICE and is the project's own source. */
  private bindGrantFor(root: string): string | undefined {
    for (const grant of this.facts.grants()) {
      if (this.rootOf(grant) === root && this.roleOf(grant) === 'source') {
        return grant.slice(root.length);
      }
    }
    return undefined;
  }

  private rootOf(id: string): string {
    return this.roots.filter((r) => id.startsWith(r)).sort((a, b) => b.length - a.length)[0] ?? '';
  }

  roleOf(id: string): FileRole {
    // The deepest `.gitattributes` that speaks of the file wins, as in git.
    let fromAttributes: FileRole | null | undefined;
    let depth = -1;
    for (const [folder, attributes] of this.facts.attributes) {
      if (id.startsWith(folder) && folder.length > depth) {
        const role = attributes.roleOf(id.slice(folder.length));
        if (role !== undefined) {
          fromAttributes = role;
          depth = folder.length;
        }
      }
    }
    const root = this.rootOf(id);
    const fromPath = roleFromPath(id.slice(root.length));
    if (fromAttributes === null) {
      // `-linguist-vendored`: the project says it is its own code.
      return fromPath === 'vendored' || fromPath === 'generated' ? 'source' : fromPath;
    }
    return fromAttributes ?? fromPath;
  }

  placementOf(id: string): Placement {
    return this.facts.containerFolders().placementOf(id);
  }

  fileContext(id: string, text: string | undefined): FileContext {
    const role = this.roleOf(id);
    const lines = text !== undefined ? commentLines(text) : undefined;
    return {
      role,
      placement: this.placementOf(id),
      checked: isRoleChecked(role, this.settings),
      settings: this.settings,
      inComment: (mention) => lines !== undefined && lines(mention.range.start),
      bindGrantedIn: this.bindGrantFor(this.rootOf(id)),
      composeProject: () => this.facts.composeProjects((file) => this.roleOf(file) === 'docs').projectOf(id),
    };
  }
}

const COMMENT_LINE = /^\s*(?:\/\/|\/\*|\*(?!\*)|#(?!!|include|define|if|pragma)|<!--)/;

/**
 * Whether an offset is on a line that is a comment from its start (`//`, `#`, ` * ` inside a block
 * comment): doc comments show ports as examples. Trailing comments after code are left alone.
 */
export function commentLines(text: string): (offset: number) => boolean {
  return (offset) => {
    const start = text.lastIndexOf('\n', offset - 1) + 1;
    let end = text.indexOf('\n', start);
    if (end < 0) {
      end = text.length;
    }
    return COMMENT_LINE.test(text.slice(start, Math.min(end, start + 200)));
  };
}
