// The Compose bind mounts that put an nginx configuration into a container:
// `./nginx/default.conf:/etc/nginx/conf.d/default.conf:ro`, `./nginx:/etc/nginx/conf.d`, or the long
// syntax with `source:` and `target:`. They tell which service runs a config file of the workspace,
// and where inside the container its includes point. Named volumes, variables and host paths outside
// the project are left out.
import { logFailure } from '../model/log';
import { loadYaml } from './yamlPositions';

/** A project file or folder bound into a service's container at an nginx path. */
export interface ComposeMount {
  service: string;
  /** The source as written, relative to the compose file's folder: `./nginx`, `nginx/default.conf`. */
  source: string;
  /** The absolute path in the container: `/etc/nginx/conf.d`. */
  target: string;
}

/** Bind mounts of nginx configuration in a Compose file's text; [] when there are none. Never throws. */
export function findComposeNginxMounts(text: string): ComposeMount[] {
  if (!/nginx|openresty/i.test(text)) {
    return [];
  }
  const mounts: ComposeMount[] = [];
  try {
    for (const doc of loadYaml().parseAllDocuments(text, { uniqueKeys: false })) {
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
        const volumes = (definition as { volumes?: unknown } | null)?.volumes;
        for (const volume of Array.isArray(volumes) ? volumes : []) {
          const mount = mountOf(service, volume);
          if (mount) {
            mounts.push(mount);
          }
        }
      }
    }
  } catch (error) {
    logFailure('the Compose mount reader', error);
  }
  return mounts;
}

function mountOf(service: string, volume: unknown): ComposeMount | undefined {
  let source: unknown;
  let target: unknown;
  if (typeof volume === 'string') {
    // SOURCE:TARGET[:MODE]; a Windows drive letter has no place in a project-relative source.
    const parts = volume.split(':');
    [source, target] = parts;
  } else if (volume && typeof volume === 'object') {
    const long = volume as { type?: unknown; source?: unknown; target?: unknown };
    if (long.type !== undefined && long.type !== 'bind') {
      return undefined;
    }
    ({ source, target } = long);
  }
  if (typeof source !== 'string' || typeof target !== 'string' || !isProjectPath(source)) {
    return undefined;
  }
  // Container paths where nginx (or OpenResty) reads its configuration.
  if (!target.startsWith('/') || !/nginx|openresty/i.test(target) || target.includes('$')) {
    return undefined;
  }
  let end = target.length;
  while (end > 1 && target[end - 1] === '/') {
    end--;
  }
  return { service, source, target: target.slice(0, end) };
}

/** `./nginx`, `../conf/site.conf`, `nginx/default.conf`: inside the project, with no variable. */
function isProjectPath(source: string): boolean {
  return (
    source !== '' &&
    !source.includes('$') &&
    !source.startsWith('/') &&
    !source.startsWith('~') &&
    (source.startsWith('.') || source.includes('/'))
  );
}
