// Where a file's code runs: inside a container image (a folder with a Dockerfile, or a Compose
// service's `build:` context) or on the host. Inside a container the process is root, or a user
// Docker lets bind any port (Docker 20.10+ sets ip_unprivileged_port_start=0 in containers), so a
// privileged listen there is a fact, not a problem.
import { composeOutline, type ComposeOutline } from './composeProject';
import { folderOfId } from './ids';

export { folderOfId, joinFolder } from './ids';

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

/** The `build:` contexts of a Compose file's services, as folders, with the service names. */
export function composeBuildContexts(
  composeFile: string,
  text: string,
): { folder: string; service: string }[] {
  return buildContextsOf(composeOutline(composeFile, text));
}

export function buildContextsOf(outline: ComposeOutline): { folder: string; service: string }[] {
  const out: { folder: string; service: string }[] = [];
  for (const service of outline.services) {
    if (service.build !== undefined) {
      out.push({ folder: service.build, service: service.name });
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

  addComposeFile(outline: ComposeOutline): void {
    this.addBuildContexts(buildContextsOf(outline));
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
