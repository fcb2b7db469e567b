// Kubernetes links that do not land: `k8s-target-port-unmatched` (a Service's targetPort that no
// container of the workloads its selector picks declares) and `k8s-probe-port-unexposed` (a probe on a
// port its own container does not declare). A name that matches nothing is broken for certain: the
// Service gets no endpoints on that port, the probe fails. A number may still be served (containerPort
// is informational), so it is reported only when the containers declare their ports and none matches.
// A Service is judged against the workloads of its own file and of the other manifests in its folder
// (`service.yaml` beside `deployment.yaml`); a selector that picks nothing known there is not judged.
import { formatPlain } from '../model/translate';
import type { TextRange } from '../model/text';
import {
  folderWorkloads,
  linksOfText,
  selectedWorkloads,
  targetedPorts,
  type ContainerFacts,
  type KubernetesLinks,
  type WorkloadFacts,
} from '../scan/kubernetesLinks';
import { applyIgnoreComments } from '../scan';
import type { PortMention } from '../scan/mention';
import { folderOf, isSuppressed } from './claims';
import type { FileMentions, Finding, Rule, RuleContext, WorkspaceView } from './types';

type Draft = Omit<Finding, 'severity'>;

/** The manifest's links: read from its text (once per text), else as the index keeps them. */
function linksOf(file: FileMentions): KubernetesLinks | undefined {
  if (file.kind !== 'kubernetes') {
    return undefined;
  }
  return file.text === undefined ? file.kubernetes : linksOfText(file.text);
}

/** The workloads of the other manifests in the file's folder, each with the name of its file. */
function peersOf(file: FileMentions, workspace: WorkspaceView): Map<WorkloadFacts, string> {
  const peers = new Map<WorkloadFacts, string>();
  for (const peer of folderWorkloads(workspace.filesInFolder(folderOf(file.file)))) {
    if (peer.file !== file.file) {
      peers.set(peer.workload, peer.file.slice(peer.file.lastIndexOf('/') + 1));
    }
  }
  return peers;
}

/**
 * The mention the finder made at `range`; a name has none of its own, so one stands for it, with the
 * line's `portolan-ignore` comments read the way the finders read them.
 */
function mentionAt(file: FileMentions, range: TextRange, port: number | string): PortMention {
  const found = file.mentions.find((m) => m.range.start === range.start && m.range.end === range.end);
  if (found) {
    return found;
  }
  const stand: PortMention = {
    port: typeof port === 'number' ? port : 0,
    role: 'target',
    kind: 'kubernetes',
    range,
  };
  return applyIgnoreComments(file.text ?? '', [stand])[0]!;
}

/**
 * Whether a written reference is a port name the API server could accept (`http`, `grpc-health`); an
 * envsubst or Helm leftover (`${GRPC_PORT:-9002}`) is neither a name nor a number, and is not judged.
 */
function isPortName(value: string): boolean {
  return /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(value) && /[A-Za-z]/.test(value);
}

function declared(containers: readonly ContainerFacts[]): string {
  const ports = containers.flatMap((c) =>
    c.ports.map((p) => (p.name ? `${p.port} (${p.name})` : String(p.port))),
  );
  return [...new Set(ports)].join(', ');
}

export const k8sTargetPortUnmatchedRule: Rule = {
  id: 'k8s-target-port-unmatched',
  defaultSeverity: 'warning',
  check({ file, workspace, t = formatPlain }: RuleContext): Draft[] {
    const links = linksOf(file);
    if (!links || links.services.length === 0) {
      return [];
    }
    const peers = peersOf(file, workspace);
    const findings: Draft[] = [];
    for (const service of links.services) {
      const workloads = [
        ...selectedWorkloads(service, links.workloads),
        ...selectedWorkloads(service, [...peers.keys()]),
      ];
      const containers = workloads.flatMap((w) => w.containers);
      if (workloads.length === 0) {
        continue;
      }
      for (const port of service.ports) {
        const target = port.targetPort;
        const range = port.targetRange;
        if (target === undefined || range === undefined || targetedPorts(port, workloads).length > 0) {
          continue;
        }
        const named = typeof target === 'string';
        if (named && !isPortName(target)) {
          continue;
        }
        // A number is served whether or not containerPort says so: only judged when ports are declared.
        if (!named && !containers.some((c) => c.ports.length > 0)) {
          continue;
        }
        const mention = mentionAt(file, range, target);
        if (isSuppressed(mention, 'k8s-target-port-unmatched')) {
          continue;
        }
        const picked = workloads
          .map((w) => (peers.has(w) ? `${w.kind} ${w.name} (${peers.get(w)})` : `${w.kind} ${w.name}`))
          .join(', ');
        const ports = declared(containers);
        findings.push({
          rule: 'k8s-target-port-unmatched',
          message: named
            ? t(
                'Service "{0}" targets the port named "{1}", but no container of {2} has a port by that name, so the Service has no endpoint for it and connections fail. Declared: {3}.',
                service.name,
                target,
                picked,
                ports === '' ? '—' : ports,
              )
            : t(
                'Service "{0}" targets port {1}, but the containers of {2} declare only {3}. If the program listens on {1}, declare it; otherwise point targetPort at the port it listens on.',
                service.name,
                target,
                picked,
                ports,
              ),
          file: file.file,
          range,
          related: [],
          mention,
          // A number that no containerPort declares may still be served: a fact, not a fault.
          ...(named ? {} : { demoted: true }),
        });
      }
    }
    return findings;
  },
};

export const k8sProbePortUnexposedRule: Rule = {
  id: 'k8s-probe-port-unexposed',
  defaultSeverity: 'warning',
  check({ file, t = formatPlain }: RuleContext): Draft[] {
    const links = linksOf(file);
    if (!links) {
      return [];
    }
    const findings: Draft[] = [];
    for (const workload of links.workloads) {
      for (const container of workload.containers) {
        for (const probe of container.probes) {
          const named = typeof probe.port === 'string';
          if (typeof probe.port === 'string' && !isPortName(probe.port)) {
            continue;
          }
          const matches = container.ports.some((p) =>
            named ? p.name === probe.port : p.port === probe.port,
          );
          if (matches || (!named && container.ports.length === 0)) {
            continue;
          }
          const mention = mentionAt(file, probe.range, probe.port);
          if (isSuppressed(mention, 'k8s-probe-port-unexposed')) {
            continue;
          }
          const ports = declared([container]);
          findings.push({
            rule: 'k8s-probe-port-unexposed',
            message: named
              ? t(
                  'The {0} of container "{1}" uses the port named "{2}", which the container does not declare, so the kubelet cannot resolve it and the probe fails. Declared: {3}.',
                  probe.probe,
                  container.name,
                  probe.port,
                  ports === '' ? '—' : ports,
                )
              : t(
                  'The {0} of container "{1}" checks port {2}, but the container declares only {3}. If the program listens on {2}, declare it; otherwise probe the port it listens on.',
                  probe.probe,
                  container.name,
                  probe.port,
                  ports,
                ),
            file: file.file,
            range: probe.range,
            related: [],
            mention,
            ...(named ? {} : { demoted: true }),
          });
        }
      }
    }
    return findings;
  },
};
