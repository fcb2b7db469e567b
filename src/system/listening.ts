// One-shot listings for the current platform.

import type { ContainerSource } from './containerEngine';
import { withContainers } from './containerPorts';
import { parseLsofFields, runLsof } from './lsof';
import { readNetstatSockets } from './netstat';
import { defaultOwnerHintsPath } from './ownerHints';
import { errorMessage, SocketReader } from './socketReader';
import type { ListeningSnapshot, ListeningSocket, SocketProtocol } from './types';

export interface ListingOptions {
  /**
   * Keep socket owners in a per-user temp file between processes, so a short-lived process (the
   * CLI) does not read every fd of every process each run. The first call of a process decides.
   */
  ownerHints?: boolean;
  /** Read the UDP tables too (default true). The first call of a process decides. */
  udp?: boolean;
  /** Container engines to attribute published ports with (see containerPorts.ts). */
  containers?: ContainerSource;
}

let sharedReader: SocketReader | undefined;

/** The process-wide Linux reader, so repeated one-shot calls still profit from its caches. */
export function sharedSocketReader(options: ListingOptions = {}): SocketReader {
  sharedReader ??= new SocketReader({
    ownerHintsPath: options.ownerHints ? defaultOwnerHintsPath() : undefined,
    udp: options.udp ?? true,
  });
  return sharedReader;
}

export async function listListeningSockets(
  platform: NodeJS.Platform = process.platform,
  options: ListingOptions = {},
): Promise<ListeningSnapshot> {
  const snapshot = await listHostSockets(platform, options);
  if (!options.containers) {
    return snapshot;
  }
  try {
    return withContainers(snapshot, await options.containers.containers());
  } catch {
    return snapshot;
  }
}

async function listHostSockets(
  platform: NodeJS.Platform,
  options: ListingOptions,
): Promise<ListeningSnapshot> {
  if (platform === 'linux') {
    return sharedSocketReader(options).snapshot();
  }
  const started = performance.now();
  const source = platform === 'win32' ? 'netstat' : 'lsof';
  try {
    const sockets = platform === 'win32' ? await readNetstatSockets() : parseLsofFields(await runLsof());
    return { sockets, takenAt: Date.now(), durationMs: performance.now() - started, source, warnings: [] };
  } catch (error) {
    return {
      sockets: [],
      takenAt: Date.now(),
      durationMs: performance.now() - started,
      source: 'none',
      warnings: [`${source} failed: ${errorMessage(error)}`],
    };
  }
}

/** What holds `port` right now (both protocols unless one is given). */
export async function socketsOnPort(
  port: number,
  protocol?: SocketProtocol,
  options: ListingOptions = {},
): Promise<ListeningSocket[]> {
  const snapshot = await listListeningSockets(process.platform, options);
  return snapshot.sockets.filter(
    (s) => s.port === port && (protocol === undefined || s.protocol === protocol),
  );
}
