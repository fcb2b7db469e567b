// Whether this machine's container engine publishes ports as a normal user (rootless Docker,
// Podman run by a user), where binding a host port below the unprivileged start fails.
// Only cheap, local facts: environment variables and sockets on disk; no process is started.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type RootlessSetting = 'auto' | 'true' | 'false' | boolean;

export interface RootlessFacts {
  env: Readonly<Record<string, string | undefined>>;
  exists(file: string): boolean;
  uid: number | undefined;
}

function thisMachine(): RootlessFacts {
  return {
    env: process.env,
    exists: (file) => {
      try {
        fs.statSync(file);
        return true;
      } catch {
        return false;
      }
    },
    uid: typeof process.getuid === 'function' ? process.getuid() : undefined,
  };
}

/**
 * Rootless when `DOCKER_HOST` points into a user's runtime folder (`unix:///run/user/1000/docker.sock`),
 * or when a non-root user has a user Docker or Podman socket and no system Docker socket.
 */
export function detectRootless(facts: RootlessFacts = thisMachine()): boolean {
  const host = facts.env.DOCKER_HOST ?? '';
  if (host !== '') {
    return /\/run\/user\/\d+\/|podman/.test(host);
  }
  if (facts.uid === undefined || facts.uid === 0) {
    return false;
  }
  const runtime = facts.env.XDG_RUNTIME_DIR ?? `/run/user/${facts.uid}`;
  const userSocket =
    facts.exists(path.posix.join(runtime, 'docker.sock')) ||
    facts.exists(path.posix.join(runtime, 'podman', 'podman.sock'));
  return userSocket && !facts.exists('/var/run/docker.sock');
}

/** The setting's value as a boolean; `auto` asks this machine. */
export function resolveRootless(setting: unknown, facts?: RootlessFacts): boolean {
  if (setting === true || setting === 'true') {
    return true;
  }
  if (setting === false || setting === 'false') {
    return false;
  }
  return detectRootless(facts);
}
