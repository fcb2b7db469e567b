// Processes that hold a port only on behalf of a container. Killing them does not stop the
// container (Docker restarts the proxy or the port just breaks), so the UI offers "stop the
// container" instead, and the live rules read such a holder as "most likely this stack".

// Linux comm is cut at 15 characters, hence `containerd-shim` for `containerd-shim-runc-v2`.
const CONTAINER_PUBLISHERS = [
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

/** Whether a process name (any case, with or without `.exe`) is a container port publisher. */
export function isContainerPublisher(processName: string | undefined): boolean {
  if (!processName) {
    return false;
  }
  const name = processName.toLowerCase().replace(/\.exe$/, '');
  return CONTAINER_PUBLISHERS.some((p) => name === p || name.startsWith(`${p}-`) || name.startsWith(`${p}.`));
}
