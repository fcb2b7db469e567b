// Processes that hold a port only on behalf of a container. Killing them does not stop the
// container (Docker restarts the proxy or the port just breaks), so the UI offers "stop the
// container" instead.

import type { ProxyKind } from './types';

// Linux comm is cut at 15 characters, hence `containerd-shim` for `containerd-shim-runc-v2`.
const containerPublishers = [
  'docker-proxy',
  'com.docker.backend',
  'com.docker.vpnkit',
  'vpnkit',
  'rootlessport',
  'rootlessport-child',
  'containerd-shim',
  'wslrelay',
  // Rootless Docker and Podman: the port driver, the user-mode networks and Podman's monitor,
  // which holds published ports open for a rootful Podman container.
  'rootlesskit',
  'pasta',
  'slirp4netns',
  'conmon',
];

export function containerProxyKind(processName: string | undefined): ProxyKind | undefined {
  if (!processName) {
    return undefined;
  }
  const name = processName.toLowerCase().replace(/\.exe$/, '');
  return containerPublishers.some((p) => name === p || name.startsWith(`${p}-`) || name.startsWith(`${p}.`))
    ? 'docker'
    : undefined;
}
