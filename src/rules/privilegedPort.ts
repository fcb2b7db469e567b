// `privileged-port`: the host must bind a port below the unprivileged threshold.
import type { PortMention } from '../scan/mention';
import { isValidPort } from '../model/port';
import { formatPlain, type Translate } from '../model/translate';
import { folderOf, isSuppressed, portSpan } from './claims';
import { nextUnclaimedPort } from './fixes';
import { usualUnprivilegedAlternative } from './portFacts';
import type { Finding, LiveView, Rule, RuleContext, WorkspaceView } from './types';

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

/** Host ports people publish on purpose: the web's own. */
const WEB_PORTS = new Set([80, 443]);

/**
 * Why a privileged bind is a fact here rather than a problem, or undefined when a developer should
 * change it. nginx's master process binds as root by design; rootful Docker publishes as root, and a
 * service published on its own port (`"53:53"`) or on the web's ports does what it exists for; code
 * built into an image binds as container root. A backend published on an odd privileged host port
 * (`"81:5000"`), a dev server on the host, and anything published by a rootless engine stay warnings.
 */
function factNotProblem(
  mention: PortMention,
  context: RuleContext['context'],
  t: Translate,
): string | undefined {
  if (mention.kind === 'nginx') {
    return t("Reported as information: nginx's master process binds as root.");
  }
  if (mention.role === 'publish') {
    if (context?.settings.rootless) {
      return undefined;
    }
    const container = mention.counterpart?.port;
    if (container === mention.port || WEB_PORTS.has(mention.port)) {
      return t(
        'Reported as information: the Docker daemon publishes as root (rootless Docker and Podman cannot).',
      );
    }
    return undefined;
  }
  if (mention.role === 'listen' && context?.bindGrantedIn !== undefined) {
    return t(
      'Reported as information: this project grants its program CAP_NET_BIND_SERVICE ({0}), so it binds privileged ports by design.',
      context.bindGrantedIn,
    );
  }
  const placement = context?.placement;
  if (placement?.where === 'container') {
    if (placement.service !== undefined) {
      return t(
        'Reported as information: this code is built by Compose service "{0}" and runs in its container, where root binds it.',
        placement.service,
      );
    }
    if (placement.dockerfileFolder !== undefined) {
      return t(
        'Reported as information: a Dockerfile in "{0}/" builds this code into an image, and root binds it in the container.',
        placement.dockerfileFolder,
      );
    }
    return t('Reported as information: this code runs in a container, where root binds it.');
  }
  return undefined;
}

/**
 * The port to move to, decided once for both the message and the quick fix: the usual unprivileged
 * alternative (80 → 8080), or the next port after it that the workspace does not claim and nothing
 * on this machine holds.
 */
export interface PortSuggestion {
  /** The usual alternative, whether free or not. */
  usual: number;
  /** What the message names and the fix writes; undefined when nothing above `usual` is free. */
  port: number | undefined;
}

function suggestionFor(
  mention: PortMention,
  usual: number,
  claimed: () => Pick<ReadonlySet<number>, 'has'>,
  live: LiveView | undefined,
): PortSuggestion {
  const span = portSpan(mention);
  const length = span ? span.to - span.from + 1 : 1;
  const protocol = mention.protocol === 'udp' ? 'udp' : 'tcp';
  const busy = (port: number): boolean => (live?.holders(port, protocol)?.length ?? 0) > 0;
  return { usual, port: nextUnclaimedPort(usual, claimed(), length, busy) };
}

export const privilegedPortRule: Rule = {
  id: 'privileged-port',
  defaultSeverity: 'warning',
  check({ file, workspace, limits, live, context, t = formatPlain }: RuleContext): Draft[] {
    const threshold = limits.unprivilegedPortStart;
    const findings: Draft[] = [];
    let inCompose: boolean | undefined;
    // Each privileged port in this file moves to its own port: 80 and 81 must not both be told to
    // use 8081. The same port written twice (`listen 80;` and `listen [::]:80;`) moves together.
    const suggested = new Map<number, PortSuggestion | undefined>();
    const taken = new Set<number>();
    const claims = (): Pick<ReadonlySet<number>, 'has'> => {
      const workspaceClaims = workspace.claimedPorts();
      return { has: (p: number) => taken.has(p) || workspaceClaims.has(p) };
    };
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
      const usual = usualUnprivilegedAlternative(mention.port, threshold);
      let suggestion = suggested.get(mention.port);
      if (!suggested.has(mention.port)) {
        suggestion = usual === undefined ? undefined : suggestionFor(mention, usual, claims, live);
        suggested.set(mention.port, suggestion);
        if (suggestion?.port !== undefined) {
          const span = portSpan(mention);
          for (let p = suggestion.port; p <= suggestion.port + (span ? span.to - span.from : 0); p++) {
            taken.add(p);
          }
        }
      }
      const suggestedPort = suggestion?.port;
      const because = factNotProblem(mention, context, t);
      findings.push({
        rule: 'privileged-port',
        message:
          privilegedMessage(mention, threshold, suggestion, t) + (because !== undefined ? ` ${because}` : ''),
        file: file.file,
        range: mention.range,
        related: [],
        mention,
        ...(suggestedPort !== undefined ? { data: { suggestedPort } } : {}),
        ...(because !== undefined ? { demoted: true, because } : {}),
      });
    }
    return findings;
  },
};

function privilegedMessage(
  mention: PortMention,
  threshold: number,
  suggestion: PortSuggestion | undefined,
  t: Translate,
): string {
  const port = mention.port;
  const nginx = mention.kind === 'nginx';
  const instead =
    suggestion?.port === undefined
      ? t('Use a port of {0} or above', threshold)
      : suggestion.port === suggestion.usual
        ? t('Use {0} instead', suggestion.port)
        : t('Use {0} instead (the usual {1} is taken)', suggestion.port, suggestion.usual);
  const sentences =
    mention.role === 'publish'
      ? [
          t(
            'Host port {0} is privileged: on Linux, binding below {1} needs root or CAP_NET_BIND_SERVICE, and rootless Docker and Podman cannot publish it.',
            port,
            threshold,
          ),
          t('{0}, or lower net.ipv4.ip_unprivileged_port_start on the host.', instead),
        ]
      : nginx
        ? [
            t(
              'Port {0} is privileged: on Linux, binding below {1} needs root or CAP_NET_BIND_SERVICE, and nginx binds it only when its master process starts as root.',
              port,
              threshold,
            ),
            t('{0}, or start nginx as root.', instead),
          ]
        : [
            t(
              'Port {0} is privileged: on Linux, binding below {1} needs root or CAP_NET_BIND_SERVICE, and a process started as a normal user fails with EACCES.',
              port,
              threshold,
            ),
            t('{0}, or grant CAP_NET_BIND_SERVICE to the program.', instead),
          ];
  sentences.push(
    t('(macOS since Mojave lets any user bind it on all interfaces; Windows has no privileged ports.)'),
  );
  return sentences.join(' ');
}
