// What links the objects of a Kubernetes manifest: a Service's `selector` picks the workloads whose
// pod labels it matches, and its `targetPort` (a number or a container port's name) lands on their
// container ports; probes name or number a port of their own container. Read per file (every `---`
// document), with exact ranges, for named-port hovers and the rules that check the links. The
// manifests of one folder (a Kustomize base, a Helm chart's templates/) are linked together too: a
// `service.yaml` selects the workloads of the `deployment.yaml` beside it.
import type { Protocol } from '../model/port';
import type { TextRange } from '../model/text';
import type { FileKind, PortMention } from './mention';
import { asMap, asScalar, asSeq, mapEntries, mapGet, parseYamlDocuments, seqItems } from './yamlPositions';
import type { YamlDocument } from './yamlPositions';
import type { Node } from 'yaml';

/** A port written as a number or as a name (`targetPort: http`, `port: metrics`). */
export type PortRef = number | string;

export interface ContainerPortFacts {
  port: number;
  name?: string;
  protocol: Protocol;
  range: TextRange;
}

export interface ProbeFacts {
  probe: string;
  port: PortRef;
  range: TextRange;
}

export interface ContainerFacts {
  name: string;
  ports: ContainerPortFacts[];
  probes: ProbeFacts[];
}

export interface WorkloadFacts {
  kind: string;
  name: string;
  namespace?: string;
  /** The labels of the pods it makes. */
  labels: ReadonlyMap<string, string>;
  containers: ContainerFacts[];
}

export interface ServicePortFacts {
  port?: number;
  /** Defaults to `port` when not written. */
  targetPort?: PortRef;
  /** The characters of `targetPort`'s value; absent when it is not written. */
  targetRange?: TextRange;
  protocol: Protocol;
}

export interface ServiceFacts {
  name: string;
  namespace?: string;
  selector: ReadonlyMap<string, string>;
  ports: ServicePortFacts[];
}

export interface KubernetesLinks {
  workloads: WorkloadFacts[];
  services: ServiceFacts[];
}

const POD_TEMPLATE_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'ReplicationController',
]);
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];

/** Manifests of one folder linked together; past this many, each file is linked on its own. */
export const MAX_LINKED_MANIFESTS = 64;

/** A workload of another manifest in the same folder. */
export interface PeerWorkload {
  /** The file it is written in (a path or URI string, '/'-separated). */
  file: string;
  workload: WorkloadFacts;
}

/** The last texts read, by exact text: the finder, the index, the rules and the hover ask for the same manifest. */
const recentLinks = new Map<string, KubernetesLinks>();
const RECENT_LINKS = 4;

/** {@link readKubernetesLinks}, remembered for the last few texts. */
export function linksOfText(text: string): KubernetesLinks {
  const links = recentLinks.get(text) ?? readKubernetesLinks(text);
  rememberLinks(text, links);
  return links;
}

/**
 * Reads the links from documents the finder has just parsed, so the index, the rules and the hover
 * that ask for the same text next do not parse it again.
 */
export function rememberLinksOf(text: string, docs: readonly YamlDocument[]): void {
  if (!recentLinks.has(text)) {
    rememberLinks(text, linksOfDocuments(docs, text));
  }
}

function rememberLinks(text: string, links: KubernetesLinks): void {
  recentLinks.delete(text);
  if (recentLinks.size >= RECENT_LINKS) {
    recentLinks.delete(recentLinks.keys().next().value!);
  }
  recentLinks.set(text, links);
}

/** The workloads and Services of a manifest (malformed parts are skipped, never thrown). */
export function readKubernetesLinks(text: string): KubernetesLinks {
  let docs: YamlDocument[];
  try {
    docs = parseYamlDocuments(text);
  } catch {
    return { workloads: [], services: [] };
  }
  return linksOfDocuments(docs, text);
}

function linksOfDocuments(docs: readonly YamlDocument[], text: string): KubernetesLinks {
  const links: KubernetesLinks = { workloads: [], services: [] };
  for (const doc of docs) {
    const root = asMap(doc.contents, doc);
    const kind = stringOf(mapGet(root, 'kind', doc), doc);
    if (!root || kind === undefined) {
      continue;
    }
    const metadata = asMap(mapGet(root, 'metadata', doc), doc);
    const name = stringOf(mapGet(metadata, 'name', doc), doc) ?? '';
    const namespace = stringOf(mapGet(metadata, 'namespace', doc), doc);
    const spec = asMap(mapGet(root, 'spec', doc), doc);
    if (kind === 'Service') {
      links.services.push({
        name,
        ...(namespace === undefined ? {} : { namespace }),
        selector: stringMap(mapGet(spec, 'selector', doc), doc),
        ports: seqItems(asSeq(mapGet(spec, 'ports', doc), doc), doc).flatMap((item) => {
          const entry = asMap(item, doc);
          if (!entry) {
            return [];
          }
          const port = numberOf(mapGet(entry, 'port', doc), doc);
          const target = asScalar(mapGet(entry, 'targetPort', doc), doc);
          const facts: ServicePortFacts = { protocol: protocolOf(mapGet(entry, 'protocol', doc), doc) };
          if (port !== undefined) {
            facts.port = port;
          }
          const written = target ? portRefOf(target.value) : undefined;
          if (written !== undefined && target?.range) {
            facts.targetPort = written;
            facts.targetRange = valueRange(target.range, text);
          } else if (port !== undefined) {
            facts.targetPort = port;
          }
          return [facts];
        }),
      });
      continue;
    }
    let podSpec: Node | undefined;
    let labels: Node | undefined;
    if (kind === 'Pod') {
      podSpec = spec;
      labels = mapGet(metadata, 'labels', doc);
    } else {
      const template = asMap(
        kind === 'CronJob'
          ? mapGet(
              asMap(mapGet(asMap(mapGet(spec, 'jobTemplate', doc), doc), 'spec', doc), doc),
              'template',
              doc,
            )
          : POD_TEMPLATE_KINDS.has(kind)
            ? mapGet(spec, 'template', doc)
            : undefined,
        doc,
      );
      podSpec = mapGet(template, 'spec', doc);
      labels = mapGet(asMap(mapGet(template, 'metadata', doc), doc), 'labels', doc);
    }
    const pod = asMap(podSpec, doc);
    if (!pod) {
      continue;
    }
    links.workloads.push({
      kind,
      name,
      ...(namespace === undefined ? {} : { namespace }),
      labels: stringMap(labels, doc),
      containers: seqItems(asSeq(mapGet(pod, 'containers', doc), doc), doc).flatMap((item) => {
        const container = asMap(item, doc);
        return container ? [containerFacts(container, doc, text)] : [];
      }),
    });
  }
  return links;
}

function containerFacts(
  container: NonNullable<ReturnType<typeof asMap>>,
  doc: YamlDocument,
  text: string,
): ContainerFacts {
  const facts: ContainerFacts = {
    name: stringOf(mapGet(container, 'name', doc), doc) ?? '',
    ports: [],
    probes: [],
  };
  for (const item of seqItems(asSeq(mapGet(container, 'ports', doc), doc), doc)) {
    const entry = asMap(item, doc);
    const scalar = asScalar(mapGet(entry, 'containerPort', doc), doc);
    const port = numberOf(scalar, doc);
    if (!entry || port === undefined || !scalar?.range) {
      continue;
    }
    const name = stringOf(mapGet(entry, 'name', doc), doc);
    facts.ports.push({
      port,
      ...(name === undefined ? {} : { name }),
      protocol: protocolOf(mapGet(entry, 'protocol', doc), doc),
      range: valueRange(scalar.range, text),
    });
  }
  for (const probe of PROBES) {
    const handlers = asMap(mapGet(container, probe, doc), doc);
    for (const handler of ['httpGet', 'tcpSocket', 'grpc']) {
      const scalar = asScalar(mapGet(asMap(mapGet(handlers, handler, doc), doc), 'port', doc), doc);
      const port = scalar ? portRefOf(scalar.value) : undefined;
      if (port !== undefined && scalar?.range) {
        facts.probes.push({ probe, port, range: valueRange(scalar.range, text) });
      }
    }
  }
  return facts;
}

/** The workloads whose pods a selector picks (an empty selector picks none: the Service is managed by hand). */
export function selectedWorkloads(
  service: ServiceFacts,
  workloads: readonly WorkloadFacts[],
): WorkloadFacts[] {
  if (service.selector.size === 0) {
    return [];
  }
  return workloads.filter(
    (w) =>
      (w.namespace ?? '') === (service.namespace ?? '') &&
      [...service.selector].every(([key, value]) => w.labels.get(key) === value),
  );
}

/** The container ports a Service port's `targetPort` lands on, in the workloads given. */
export function targetedPorts(
  port: ServicePortFacts,
  workloads: readonly WorkloadFacts[],
): Array<{ workload: WorkloadFacts; container: ContainerFacts; port: ContainerPortFacts }> {
  const out: Array<{ workload: WorkloadFacts; container: ContainerFacts; port: ContainerPortFacts }> = [];
  for (const workload of workloads) {
    for (const container of workload.containers) {
      for (const candidate of container.ports) {
        const matches =
          typeof port.targetPort === 'string'
            ? candidate.name === port.targetPort
            : candidate.port === port.targetPort;
        if (matches && candidate.protocol === port.protocol) {
          out.push({ workload, container, port: candidate });
        }
      }
    }
  }
  return out;
}

/** Whether a manifest writes a `targetPort` by name, which only a workload's container ports can resolve. */
export function hasNamedTargets(links: KubernetesLinks): boolean {
  return links.services.some((s) => s.ports.some((p) => typeof p.targetPort === 'string'));
}

/**
 * Named targetPorts (`targetPort: http`) as target mentions of the number they resolve to: through
 * the selector, to a container port of the workloads of the same file, else of `peers` (the other
 * manifests of the folder; those of `file` itself are skipped). A name nothing resolves adds nothing.
 */
export function namedTargetMentions(
  file: string | undefined,
  links: KubernetesLinks,
  peers: readonly PeerWorkload[] = [],
): PortMention[] {
  const out: PortMention[] = [];
  const others = peers.filter((p) => p.file !== file);
  for (const service of links.services) {
    for (const port of service.ports) {
      if (typeof port.targetPort !== 'string' || !port.targetRange) {
        continue;
      }
      let hit = targetedPorts(port, selectedWorkloads(service, links.workloads))[0];
      let from: string | undefined;
      if (!hit && others.length > 0) {
        const picked = selectedWorkloads(
          service,
          others.map((p) => p.workload),
        );
        hit = targetedPorts(port, picked)[0];
        from = hit ? others.find((p) => p.workload === hit!.workload)?.file : undefined;
      }
      if (!hit) {
        continue;
      }
      const mention: PortMention = {
        port: hit.port.port,
        role: 'target',
        kind: 'kubernetes',
        range: port.targetRange,
        protocol: port.protocol,
        service: service.name,
        portName: port.targetPort,
        resolvedIn: `${hit.workload.kind} ${hit.workload.name}, container ${hit.container.name}`,
      };
      if (from !== undefined) {
        mention.resolvedFile = baseName(from);
      }
      if (port.port !== undefined) {
        mention.counterpart = { port: port.port };
      }
      out.push(mention);
    }
  }
  return out;
}

/** A folder's file as the index holds it: its kind, and a manifest's links. */
export interface LinkedFile {
  file: string;
  kind: FileKind | undefined;
  kubernetes?: KubernetesLinks;
}

/**
 * The workloads of the manifests in one folder (`files`), for linking the Services of each to them;
 * none when the folder holds more manifests than {@link MAX_LINKED_MANIFESTS}: a folder that large is
 * a collection of examples more than one application, and linking it would be guessing.
 */
export function folderWorkloads(files: readonly LinkedFile[]): PeerWorkload[] {
  const manifests = files.filter((f) => f.kind === 'kubernetes');
  if (manifests.length < 2 || manifests.length > MAX_LINKED_MANIFESTS) {
    return [];
  }
  return manifests.flatMap((f) =>
    (f.kubernetes?.workloads ?? []).map((workload) => ({ file: f.file, workload })),
  );
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

function stringOf(node: Node | undefined, doc: YamlDocument): string | undefined {
  const value = asScalar(node, doc)?.value;
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function numberOf(node: Node | undefined, doc: YamlDocument): number | undefined {
  const value = asScalar(node, doc)?.value;
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

function portRefOf(value: unknown): PortRef | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) {
    return value;
  }
  if (typeof value === 'string' && value !== '' && !value.includes('{{')) {
    return /^\d+$/.test(value) ? Number(value) : value;
  }
  return undefined;
}

function protocolOf(node: Node | undefined, doc: YamlDocument): Protocol {
  const value = stringOf(node, doc)?.toLowerCase();
  return value === 'udp' || value === 'sctp' ? value : 'tcp';
}

function stringMap(node: Node | undefined, doc: YamlDocument): Map<string, string> {
  const out = new Map<string, string>();
  const map = asMap(node, doc);
  if (map) {
    for (const entry of mapEntries(map, doc)) {
      const value = stringOf(entry.value, doc);
      if (value !== undefined) {
        out.set(entry.key, value);
      }
    }
  }
  return out;
}

/** A scalar's value characters, without the quotes of `"http"`. */
function valueRange(range: readonly [number, number, number?], text: string): TextRange {
  let [start, end] = range;
  const quote = text.charAt(start);
  if ((quote === '"' || quote === "'") && end - start >= 2 && text.charAt(end - 1) === quote) {
    start++;
    end--;
  }
  return { start, end };
}
