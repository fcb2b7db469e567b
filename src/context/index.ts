// The context model: for each file and mention, what it is (source, test, docs, vendored, generated,
// example), where it runs (host or container, and why) and who binds. Rules consult it so their
// severity means something; the CLI and the editor feed it the same way, file by file.
import type { PortMention } from '../scan/mention';
import { GitAttributes, roleFromPath, type FileRole } from './fileRole';
import { ComposeProjects, composeFileGroups, composeOutline, mayGroupComposeFiles } from './composeProject';
import { ContainerFolders, folderOfId, isDockerfileName, type Placement } from './placement';

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

/**
 * The workspace's context: `.gitattributes` files, Dockerfiles and Compose `build:` contexts,
 * fed with `addFile` (ids are '/'-separated: paths in the CLI, URI strings in the editor).
 */
export class WorkspaceContext {
  private readonly attributes = new Map<string, GitAttributes>();
  private readonly containers = new ContainerFolders();
  private readonly compose = new ComposeProjects();
  /** Workspace folder → the first file there that grants CAP_NET_BIND_SERVICE. */
  private readonly bindGrants = new Map<string, string>();

  /**
   * `roots`: the workspace folders (ids ending with '/'); a file's role comes from its path below
   * them, so checking `src/test/fixtures/project` judges that project's files as its source.
   */
  constructor(
    readonly settings: ContextSettings = DEFAULT_CONTEXT_SETTINGS,
    private readonly roots: readonly string[] = [],
  ) {}

  /** Whether `addFile` wants this file's text (so a walker can read files with no ports too). */
  static wants(id: string): boolean {
    const name = baseName(id);
    return (
      name === '.gitattributes' || isDockerfileName(name) || /(?:^|[-.])compose[^/]*\.ya?ml$/i.test(name)
    );
  }

  addFile(id: string, text: string, kind?: string): void {
    const name = baseName(id);
    if (name === '.gitattributes') {
      const attributes = new GitAttributes(text);
      if (!attributes.isEmpty) {
        this.attributes.set(folderOfId(id), attributes);
      }
    } else if (isDockerfileName(name)) {
      this.containers.addDockerfile(id);
    } else if (kind === 'compose' || /(?:^|[-.])compose[^/]*\.ya?ml$/i.test(name)) {
      const outline = composeOutline(id, text);
      this.containers.addComposeFile(outline);
      this.compose.addComposeFile(id, outline);
    }
    // How the project runs its Compose files; documentation's examples are not how it runs them.
    if (mayGroupComposeFiles(text) && this.roleOf(id) !== 'docs') {
      this.compose.addGroups(id, composeFileGroups(text));
    }
    if (text.includes('_BIND_SERVICE') || /cap_net_bind_service/i.test(text)) {
      const root = this.rootOf(id);
      const role = this.roleOf(id);
      if (!this.bindGrants.has(root) && role === 'source' && grantsBind(text)) {
        this.bindGrants.set(root, id.slice(root.length));
      }
    }
  }

  private rootOf(id: string): string {
    return this.roots.filter((r) => id.startsWith(r)).sort((a, b) => b.length - a.length)[0] ?? '';
  }

  roleOf(id: string): FileRole {
    // The deepest `.gitattributes` that speaks of the file wins, as in git.
    let fromAttributes: FileRole | null | undefined;
    let depth = -1;
    for (const [folder, attributes] of this.attributes) {
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
    return this.containers.placementOf(id);
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
      bindGrantedIn: this.bindGrants.get(this.rootOf(id)),
      composeProject: () => this.compose.projectOf(id),
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
