// The container engines the CLI asks to name the containers behind published ports. Without an
// engine the listing is simply the host's sockets; only a socket that exists but cannot be read
// (permission denied, an engine that hangs) is worth a line on stderr.

import { ContainerEngine } from '../system/containerEngine';
import type { ContainerAttribution } from '../system/types';
import type { CliIo } from './io';

export function cliContainerEngine(io: CliIo, verb: string): ContainerEngine {
  return new ContainerEngine({
    log: (message) => {
      if (!message.startsWith('no container engine socket found')) {
        io.err(`portolan ${verb}: ${message}\n`);
      }
    },
  });
}

/** The `container` object of `ls --json` and `who --json`. */
export interface ContainerJson {
  id: string;
  name: string;
  image: string;
  state: string;
  status: string;
  /** Compose service and project; null for a container not started by compose. */
  service: string | null;
  project: string | null;
  /** Port inside the container. */
  containerPort: number;
}

export function containerJson(container: ContainerAttribution): ContainerJson {
  return {
    id: container.id,
    name: container.name,
    image: container.image,
    state: container.state,
    status: container.status,
    service: container.service ?? null,
    project: container.project ?? null,
    containerPort: container.privatePort,
  };
}
