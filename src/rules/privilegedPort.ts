// `privileged-port`: the host must bind a port below the unprivileged threshold.
import type { PortMention } from '../scan/mention';
import { isValidPort } from '../model/port';
import { folderOf, isSuppressed } from './claims';
import { usualUnprivilegedAlternative } from './portFacts';
import type { Finding, Rule, RuleContext, WorkspaceView } from './types';

type Draft = Omit<Finding, 'severity'>;

/**
 * Whether the mention makes the host bind: a publish (Compose, `docker run -p`), or a listen in code,
 * nginx or a script. Listens written in a Dockerfile or in a Compose service's command happen inside
 * the container, where root may bind anything; Kubernetes node ports are bound by kube-proxy and
 * devcontainer forwards pick another local port by themselves.
 */
function bindsOnHost(mention: PortMention): boolean {
  if (mention.kind === 'kubernetes' || mention.kind === 'devcontainer') {
    return false;
  }
  if (mention.role === 'publish') {
    return true;
  }
  return mention.role === 'listen' && mention.kind !== 'dockerfile' && mention.kind !== 'compose';
}

/**
 * An nginx config next to (or just below) a compose file is mounted into a container, where the
 * listen is the container side and root inside the container may bind it.
 */
function nginxRunsInCompose(file: string, workspace: WorkspaceView): boolean {
  let folder = folderOf(file);
  for (let level = 0; level < 3 && folder.length > 0; level++) {
    if (workspace.filesInFolder(folder).some((f) => f.kind === 'compose')) {
      return true;
    }
    folder = folderOf(folder.slice(0, -1));
  }
  return false;
}

export const privilegedPortRule: Rule = {
  id: 'privileged-port',
  defaultSeverity: 'warning',
  check({ file, workspace, limits }: RuleContext): Draft[] {
    const threshold = limits.unprivilegedPortStart;
    const findings: Draft[] = [];
    let inCompose: boolean | undefined;
    for (const mention of file.mentions) {
      if (!bindsOnHost(mention) || isSuppressed(mention, 'privileged-port')) {
        continue;
      }
      if (!isValidPort(mention.port) || mention.port >= threshold) {
        continue;
      }
      if (mention.kind === 'nginx') {
        inCompose ??= nginxRunsInCompose(file.file, workspace);
        if (inCompose) {
          continue;
        }
      }
      const suggestedPort = usualUnprivilegedAlternative(mention.port, threshold);
      findings.push({
        rule: 'privileged-port',
        message: privilegedMessage(mention, threshold, suggestedPort),
        file: file.file,
        range: mention.range,
        related: [],
        mention,
        data: { suggestedPort },
      });
    }
    return findings;
  },
};

function privilegedMessage(mention: PortMention, threshold: number, alternative: number | undefined): string {
  const publish = mention.role === 'publish';
  const nginx = mention.kind === 'nginx';
  const what = publish ? `Host port ${mention.port} is privileged` : `Port ${mention.port} is privileged`;
  const why = publish
    ? 'rootless Docker and Podman cannot publish it'
    : nginx
      ? 'nginx binds it only when its master process starts as root'
      : 'a process started as a normal user fails with EACCES';
  const instead =
    alternative !== undefined ? `Use ${alternative} instead` : `Use a port of ${threshold} or above`;
  const otherwise = publish
    ? 'or lower net.ipv4.ip_unprivileged_port_start on the host'
    : nginx
      ? 'or start nginx as root'
      : 'or grant CAP_NET_BIND_SERVICE to the program';
  return (
    `${what}: on Linux, binding below ${threshold} needs root or CAP_NET_BIND_SERVICE, and ${why}. ` +
    `${instead}, ${otherwise}. (macOS since Mojave lets any user bind it on all interfaces; Windows has no privileged ports.)`
  );
}
