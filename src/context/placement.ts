// Where a file's code runs: inside a container image (a folder with a Dockerfile, or a Compose
// service's `build:` context) or on the host. Inside a container the process is root, or a user
// Docker lets bind any port (Docker 20.10+ sets ip_unprivileged_port_start=0 in containers), so a
// privileged listen there is a fact, not a problem.
import { loadYaml } from '../scan/yamlPositions';

export interface Placement {
  where: 'host' | 'container' | 'unknown';
  /** Why, in a few words: "built by compose service `api`", "Dockerfile in this folder". */
  reason?: string;
  /** The Compose service whose `build:` context holds the file. */
  service?: string;
  /** The name of the folder whose Dockerfile builds the file into an image. */
  dockerfileFolder?: string;
}

const DOCKERFILE_NAME = /^(?:Dockerfile|Containerfile)(?:\..+)?$|\.(?:Dockerfile|Containerfile)$/i;

export function isDockerfileName(name: string): boolean {
  return DOCKERFILE_NAME.test(name);
}

/** The folder of a '/'-separated id, ending with '/'. */
export function folderOfId(id: string): string {
  return id.slice(0, id.lastIndexOf('/') + 1);
}

/** `base` (ending with '/') joined with a relative path, `.` and `..` resolved. */
export function joinFolder(base: string, relative: string): string {
  if (/^(?:[a-z][\w+.-]*:|\/)/i.test(relative)) {
    return relative.endsWith('/') ? relative : `${relative}/`;
  }
  const head = /^(?:[a-z][\w+.-]*:\/\/[^/]*)?/i.exec(base)?.[0] ?? '';
  const parts = base.slice(head.length).split('/');
  parts.pop();
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') {
      continue;
    }
    if (part === '..') {
      if (parts.length > 1) {
        parts.pop();
      }
    } else {
      parts.push(part);
    }
  }
  return `${head}${parts.join('/')}/`;
}

/** The `build:` contexts of a Compose file's services, as folders, with the service names. */
export function composeBuildContexts(
  composeFile: string,
  text: string,
): { folder: string; service: string }[] {
  const out: { folder: string; service: string }[] = [];
  let documents;
  try {
    documents = loadYaml().parseAllDocuments(text, { uniqueKeys: false });
  } catch {
    return out;
  }
  const base = folderOfId(composeFile);
  for (const doc of Array.isArray(documents) ? documents : [documents]) {
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch {
      continue;
    }
    const services = (value as { services?: unknown } | null)?.services;
    if (!services || typeof services !== 'object') {
      continue;
    }
    for (const [service, definition] of Object.entries(services as Record<string, unknown>)) {
      const build = (definition as { build?: unknown } | null)?.build;
      const context =
        typeof build === 'string'
          ? build
          : build && typeof build === 'object'
            ? ((build as { context?: unknown }).context ?? '.')
            : undefined;
      if (typeof context === 'string' && !/^[a-z][\w+.-]*:\/\//i.test(context) && !context.includes('$')) {
        out.push({ folder: joinFolder(base, context), service });
      }
    }
  }
  return out;
}

/** Folders whose code is built into an image, and by which Compose service when one says so; fed file by file. */
export class ContainerFolders {
  private readonly folders = new Map<string, { service?: string }>();

  addDockerfile(file: string): void {
    const folder = folderOfId(file);
    if (!this.folders.has(folder)) {
      this.folders.set(folder, {});
    }
  }

  addComposeFile(file: string, text: string): void {
    this.addBuildContexts(composeBuildContexts(file, text));
  }

  /** A Compose file's `build:` contexts, already read by `composeBuildContexts`. */
  addBuildContexts(contexts: readonly { folder: string; service: string }[]): void {
    for (const { folder, service } of contexts) {
      // A Compose service says more than a bare Dockerfile.
      if (this.folders.get(folder)?.service === undefined) {
        this.folders.set(folder, { service });
      }
    }
  }

  /** Container when the file's folder or one above it is built into an image; else host. */
  placementOf(file: string): Placement {
    let folder = folderOfId(file);
    while (folder.length > 0) {
      const built = this.folders.get(folder);
      if (built !== undefined) {
        if (built.service !== undefined) {
          return {
            where: 'container',
            reason: `built by compose service \`${built.service}\``,
            service: built.service,
          };
        }
        const here = folder === folderOfId(file);
        const name = folder.slice(0, -1).split('/').pop() ?? '';
        return {
          where: 'container',
          reason: here ? 'Dockerfile in this folder' : `Dockerfile in \`${name}/\``,
          dockerfileFolder: name,
        };
      }
      const up = folder.slice(0, -1);
      const cut = up.lastIndexOf('/');
      if (cut < 0) {
        break;
      }
      folder = up.slice(0, cut + 1);
    }
    return { where: 'host' };
  }
}
