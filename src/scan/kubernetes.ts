// Kubernetes manifests (any number of `---` documents). Roles, chosen for what each number does:
// - `containerPort`: expose (declared by the container, binds nothing on the node). With
//   `hostNetwork: true` the container binds the node's port itself: listen.
// - `hostPort`: publish (the node forwards it to the container), host from `hostIP`.
// - Service `port`: expose — reachable on the cluster IP without binding a host port, so it must
//   not look privileged or conflicting the way a host bind would; counterpart = targetPort.
// - Service `targetPort`: target (a named port is skipped); `nodePort`: publish (binds on every node).
// - probes and lifecycle hooks (`httpGet`, `tcpSocket`, `grpc`): connect — the kubelet connects.
// - Ingress backends (`service.port.number`, legacy `servicePort`), Gateway API `backendRefs`,
//   Endpoints / EndpointSlice ports: connect, service = the backend's name.
// - Gateway `listeners[].port`: expose (the gateway's load balancer, not a node bind).
// - `env` values, ConfigMap `data`, container `command`/`args` (URLs, `host:port`, `--port 9000`):
//   whatever the shared value recognizers say, except that a process binding `:8080` binds it in
//   the pod, so that is a setting unless the pod uses the node's network.

import type { Node, YAMLMap } from 'yaml';
import { logFailure } from '../model/log';
import { rethrowIfTooComplex, spendWork } from './budget';
import { linksOfText, namedTargetMentions, rememberLinksOf } from './kubernetesLinks';
import { compareMentions, pushAll } from './mention';
import type { MentionSyntax, PortMention, PortRole, Protocol } from './mention';
import {
  asMap,
  asScalar,
  findPortsInArguments,
  findPortsInScalar,
  mapEntries,
  mapGet,
  parseYamlDocuments,
  resolveNode,
  scalarSource,
  seqItems,
  isMap,
  isScalar,
  isSeq,
} from './yamlPositions';
import type { YamlDocument } from './yamlPositions';

/** A manifest starts documents with `apiVersion:` and `kind:`; enough to route a generic `.yaml`. */
export function looksLikeKubernetesManifest(text: string): boolean {
  return /^[ \t]*(?:- )?apiVersion[ \t]*:/m.test(text) && /^[ \t]*(?:- )?kind[ \t]*:/m.test(text);
}

export function findKubernetesPorts(text: string): PortMention[] {
  const mentions: PortMention[] = [];
  try {
    const docs = parseYamlDocuments(text);
    for (const doc of docs) {
      const root = resolveNode(doc.contents, doc);
      if (root) {
        visit(
          root,
          { doc, text, out: mentions, budget: { nodes: 200_000 }, visited: new WeakMap() },
          { kind: undefined, path: [] },
          0,
        );
      }
    }
    // The Services and workloads too, from the same parse: the index and the link rules read them next.
    rememberLinksOf(text, docs);
  } catch (error) {
    // Keep what was found; a finder never throws, except to stop a scan over its budget.
    rethrowIfTooComplex(error);
    logFailure('the kubernetes finder', error);
  }
  pushAll(mentions, namedTargetPorts(text));
  const seen = new Set<string>();
  return mentions.sort(compareMentions).filter((mention) => {
    const key = `${mention.range.start}:${mention.range.end}:${mention.role}:${mention.service ?? ''}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}

/** Named Service target ports (`targetPort: http`), resolved through the selector to a container port in the same file. */
function namedTargetPorts(text: string): PortMention[] {
  return NAMED_TARGET_PORT.test(text) ? namedTargetMentions(undefined, linksOfText(text)) : [];
}

/** Whether a manifest may write a `targetPort` by name: a cheap look before reading its links. */
export function mayNameTargetPorts(text: string): boolean {
  return NAMED_TARGET_PORT.test(text);
}

const NAMED_TARGET_PORT = /\btargetPort[ \t]*:[ \t]*["']?[A-Za-z]/;

interface Walk {
  doc: YamlDocument;
  text: string;
  out: PortMention[];
  /** Aliases can make a small text a huge tree; stop after this many nodes. */
  budget: { nodes: number };
  /**
   * What a node yields depends only on the node and its scope, so an aliased node reached again in
   * the same scope (`- *env` five thousand times) is read once.
   */
  visited: WeakMap<Node, Set<string>>;
}

interface Scope {
  /** `kind:` of the nearest object that declares one (a List's items each have their own). */
  kind: string | undefined;
  /** `metadata.name` of that object. */
  objectName?: string;
  /** Name of the container whose spec encloses this node. */
  container?: string;
  hostNetwork?: boolean;
  /** Keys from the object down to this node (`#` for sequence items). */
  path: string[];
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
const PROBE_HANDLERS = new Set(['httpGet', 'tcpSocket', 'grpc']);

function visit(node: Node, walk: Walk, scope: Scope, depth: number): void {
  if (--walk.budget.nodes < 0 || depth > 64 || visitedBefore(node, scope, walk)) {
    return;
  }
  spendWork(1);
  const { doc } = walk;
  if (isSeq(node)) {
    const parentKey = scope.path[scope.path.length - 1] ?? '';
    for (const item of seqItems(node, doc)) {
      if (!isSeq(item) && !isMap(item)) {
        // A scalar holds nothing to visit; it only counts against the budget.
        walk.budget.nodes--;
        continue;
      }
      const itemScope = below(scope, '#');
      if (CONTAINER_LISTS.has(parentKey) && isMap(item)) {
        const name = asScalar(mapGet(item, 'name', doc), doc)?.value;
        itemScope.container = typeof name === 'string' ? name : undefined;
      }
      visit(item, walk, itemScope, depth + 1);
    }
    return;
  }
  if (!isMap(node)) {
    return;
  }
  let mapScope = scope;
  const kind = asScalar(mapGet(node, 'kind', doc), doc)?.value;
  if (typeof kind === 'string' && mapGet(node, 'apiVersion', doc) !== undefined) {
    const name = asScalar(mapGet(asMap(mapGet(node, 'metadata', doc), doc), 'name', doc), doc)?.value;
    mapScope = { kind, objectName: typeof name === 'string' ? name : undefined, path: [] };
  }
  if (asScalar(mapGet(node, 'hostNetwork', doc), doc)?.value === true) {
    mapScope = { ...mapScope, hostNetwork: true };
  }
  collectAt(node, walk, mapScope);
  for (const entry of mapEntries(node, doc)) {
    if (entry.value && !isSeq(entry.value) && !isMap(entry.value)) {
      walk.budget.nodes--;
    } else if (entry.value) {
      visit(entry.value, walk, below(mapScope, entry.key), depth + 1);
    }
  }
}

function visitedBefore(node: Node, scope: Scope, walk: Walk): boolean {
  const key = [
    scope.kind ?? '',
    scope.objectName ?? '',
    scope.container ?? '',
    scope.hostNetwork ? 'host' : '',
    scope.path.join('/'),
  ].join('\0');
  let scopes = walk.visited.get(node);
  if (!scopes) {
    scopes = new Set();
    walk.visited.set(node, scopes);
  }
  if (scopes.has(key)) {
    return true;
  }
  scopes.add(key);
  return false;
}

/** The scope one key (or `#`, an item) further down; a fresh object the caller may adjust. */
function below(scope: Scope, key: string): Scope {
  const path = scope.path.slice();
  path.push(key);
  return {
    kind: scope.kind,
    objectName: scope.objectName,
    container: scope.container,
    hostNetwork: scope.hostNetwork,
    path,
  };
}

/** The port facts a single mapping carries, judged by its keys and where it sits. */
function collectAt(map: YAMLMap, walk: Walk, scope: Scope): void {
  const { doc } = walk;
  const parentKey = scope.path[scope.path.length - 1] ?? '';
  const grandKey = scope.path[scope.path.length - 2] ?? '';
  const owner = scope.container ?? scope.objectName;
  const protocol = readProtocol(map, doc);

  if (parentKey === '#' && CONTAINER_LISTS.has(grandKey)) {
    const args = [mapGet(map, 'command', doc), mapGet(map, 'args', doc)].flatMap((node) => {
      const items = isSeq(node) ? seqItems(node, doc) : node ? [node] : [];
      return items.map((item) => (isScalar(item) ? scalarSource(item, walk.text) : undefined));
    });
    for (const mention of findPortsInArguments(args, 'kubernetes')) {
      walk.out.push(insideContainer(mention, scope, owner));
    }
    // Its ports, env and probes are read when the walk reaches them.
    return;
  }

  if (parentKey === '#' && grandKey === 'ports' && mapGet(map, 'containerPort', doc) !== undefined) {
    const containerPort = readPort(map, 'containerPort', walk);
    const hostPort = readPort(map, 'hostPort', walk);
    const hostIp = asScalar(mapGet(map, 'hostIP', doc), doc)?.value;
    const name = readName(map, walk);
    if (containerPort) {
      push(walk, containerPort, scope.hostNetwork ? 'listen' : 'expose', {
        protocol,
        service: owner,
        counterpart: hostPort,
        syntax: name ? { key: 'containerPort', name } : { key: 'containerPort' },
      });
    }
    if (hostPort) {
      push(walk, hostPort, 'publish', {
        protocol,
        service: owner,
        counterpart: containerPort,
        host: typeof hostIp === 'string' && hostIp !== '' ? hostIp : undefined,
        syntax: scope.hostNetwork ? { key: 'hostPort', hostNetwork: true } : { key: 'hostPort' },
      });
    }
    return;
  }

  if (
    scope.kind === 'Service' &&
    parentKey === '#' &&
    grandKey === 'ports' &&
    scope.path.length === 3 &&
    scope.path[0] === 'spec'
  ) {
    const port = readPort(map, 'port', walk);
    const targetPort = readPort(map, 'targetPort', walk);
    const nodePort = readPort(map, 'nodePort', walk);
    const service = scope.objectName;
    const name = readName(map, walk);
    if (port) {
      push(walk, port, 'expose', {
        protocol,
        service,
        counterpart: targetPort,
        syntax: name ? { key: 'port', name } : { key: 'port' },
      });
    }
    if (targetPort) {
      push(walk, targetPort, 'target', { protocol, service, counterpart: port });
    }
    if (nodePort) {
      push(walk, nodePort, 'publish', { protocol, service, counterpart: port, syntax: { key: 'nodePort' } });
    }
    return;
  }

  if (
    (scope.kind === 'Endpoints' || scope.kind === 'EndpointSlice') &&
    parentKey === '#' &&
    grandKey === 'ports'
  ) {
    const port = readPort(map, 'port', walk);
    if (port) {
      push(walk, port, 'connect', { protocol, service: scope.objectName });
    }
    return;
  }

  if (scope.kind === 'Gateway' && parentKey === '#' && grandKey === 'listeners') {
    const port = readPort(map, 'port', walk);
    if (port) {
      push(walk, port, 'expose', { protocol: 'tcp', service: scope.objectName });
    }
    return;
  }

  if (TRAEFIK_KINDS.has(scope.kind ?? '') && isTraefikBackend(parentKey, grandKey)) {
    // Traefik's CRDs: `routes[].services[]`, TraefikService `weighted.services[]`,
    // `mirroring: {name, port, mirrors: [...]}`, each `{ name: svc, port: 8080 }`.
    pushBackend(walk, readPort(map, 'port', walk), map, 'name', scope);
    return;
  }

  if (parentKey === '#' && grandKey === 'backendRefs') {
    // Gateway API routes: `backendRefs: [{ name: svc, port: 8080 }]`.
    pushBackend(walk, readPort(map, 'port', walk), map, 'name', scope);
    return;
  }

  if (PROBE_HANDLERS.has(parentKey)) {
    const port = readPort(map, 'port', walk);
    const host = asScalar(mapGet(map, 'host', doc), doc)?.value;
    if (port) {
      push(walk, port, 'connect', {
        protocol: 'tcp',
        service: owner,
        host: typeof host === 'string' && host !== '' ? host : undefined,
        scheme:
          parentKey === 'grpc' ? 'grpc' : parentKey === 'httpGet' ? httpGetScheme(map, walk) : undefined,
      });
    }
    return;
  }

  if (parentKey === 'service' && (grandKey === 'backend' || grandKey === 'defaultBackend')) {
    // networking.k8s.io/v1: backend.service.{name, port.number}.
    const portMap = asMap(mapGet(map, 'port', doc), doc);
    pushBackend(walk, portMap ? readPort(portMap, 'number', walk) : undefined, map, 'name', scope);
    return;
  }

  if (mapGet(map, 'serviceName', doc) !== undefined && mapGet(map, 'servicePort', doc) !== undefined) {
    pushBackend(walk, readPort(map, 'servicePort', walk), map, 'serviceName', scope);
    return;
  }

  if (parentKey === '#' && grandKey === 'env') {
    const name = asScalar(mapGet(map, 'name', doc), doc)?.value;
    const value = asScalar(mapGet(map, 'value', doc), doc);
    const source = value ? scalarSource(value, walk.text) : undefined;
    if (typeof name === 'string' && source) {
      for (const mention of findPortsInScalar(source, 'kubernetes', name)) {
        walk.out.push(insideContainer(mention, scope, owner));
      }
    }
    return;
  }

  if ((scope.kind === 'ConfigMap' || scope.kind === 'Secret') && scope.path.length === 0) {
    const data = asMap(mapGet(map, scope.kind === 'Secret' ? 'stringData' : 'data', doc), doc);
    for (const entry of data ? mapEntries(data, doc) : []) {
      const value = asScalar(entry.value, doc);
      const source = value ? scalarSource(value, walk.text) : undefined;
      for (const mention of source ? findPortsInScalar(source, 'kubernetes', entry.key) : []) {
        walk.out.push(insideContainer(mention, { ...scope, hostNetwork: false }, scope.objectName));
      }
    }
  }
}

const TRAEFIK_KINDS = new Set(['IngressRoute', 'IngressRouteTCP', 'IngressRouteUDP', 'TraefikService']);

function isTraefikBackend(parentKey: string | undefined, grandKey: string | undefined): boolean {
  return (
    (parentKey === '#' && (grandKey === 'services' || grandKey === 'mirrors')) || parentKey === 'mirroring'
  );
}

/** A route or Ingress backend: a connect to the Service it names, or to this object when it names none. */
function pushBackend(
  walk: Walk,
  port: WrittenPort | undefined,
  map: YAMLMap,
  nameKey: string,
  scope: Scope,
): void {
  const name = asScalar(mapGet(map, nameKey, walk.doc), walk.doc)?.value;
  if (port) {
    push(walk, port, 'connect', {
      protocol: 'tcp',
      service: typeof name === 'string' ? name : scope.objectName,
    });
  }
}

interface WrittenPort {
  port: number;
  range: { start: number; end: number };
}

/** A numeric port under `key`; named ports (`targetPort: http`) give undefined. */
function readPort(map: YAMLMap, key: string, walk: Walk): WrittenPort | undefined {
  const scalar = asScalar(mapGet(map, key, walk.doc), walk.doc);
  const source = scalar ? scalarSource(scalar, walk.text) : undefined;
  if (!source) {
    return undefined;
  }
  const match = /^\s*(-?\d+)\s*$/.exec(source.value);
  if (!match) {
    return undefined;
  }
  const start = source.value.indexOf(match[1]!);
  const range = source.rangeOf(start, start + match[1]!.length);
  return range ? { port: Number(match[1]), range } : undefined;
}

/** A port entry's `name:` as written (`name: 8080` too); templated names are left alone. */
function readName(
  map: YAMLMap,
  walk: Walk,
): { value: string; range: { start: number; end: number } } | undefined {
  const scalar = asScalar(mapGet(map, 'name', walk.doc), walk.doc);
  if (!scalar || (typeof scalar.value !== 'string' && typeof scalar.value !== 'number')) {
    return undefined;
  }
  const source = scalarSource(scalar, walk.text);
  const range = source?.rangeOf(0, source.value.length);
  return source && range && !source.value.includes('{{') ? { value: source.value, range } : undefined;
}

function readProtocol(map: YAMLMap, doc: YamlDocument): Protocol {
  const written = asScalar(mapGet(map, 'protocol', doc), doc)?.value;
  const lower = typeof written === 'string' ? written.toLowerCase() : 'tcp';
  return lower === 'udp' || lower === 'sctp' ? lower : 'tcp';
}

function httpGetScheme(map: YAMLMap, walk: Walk): string {
  const scheme = asScalar(mapGet(map, 'scheme', walk.doc), walk.doc)?.value;
  return typeof scheme === 'string' ? scheme.toLowerCase() : 'http';
}

interface PushFacts {
  protocol?: Protocol;
  service?: string;
  host?: string;
  scheme?: string;
  counterpart?: WrittenPort;
  syntax?: MentionSyntax;
}

function push(walk: Walk, written: WrittenPort, role: PortRole, facts: PushFacts): void {
  const mention: PortMention = { port: written.port, role, kind: 'kubernetes', range: written.range };
  if (facts.protocol) {
    mention.protocol = facts.protocol;
  }
  if (facts.host !== undefined) {
    mention.host = facts.host;
  }
  if (facts.counterpart) {
    mention.counterpart = { port: facts.counterpart.port };
  }
  if (facts.service !== undefined) {
    mention.service = facts.service;
  }
  if (facts.scheme !== undefined) {
    mention.scheme = facts.scheme;
  }
  if (facts.syntax) {
    mention.syntax = facts.syntax;
  }
  walk.out.push(mention);
}

/** A port a container's own process binds is bound in the pod's network namespace, not on the node. */
function insideContainer(mention: PortMention, scope: Scope, owner: string | undefined): PortMention {
  const role = mention.role === 'listen' && !scope.hostNetwork ? 'setting' : mention.role;
  const placed: PortMention = { ...mention, role };
  if (owner !== undefined) {
    placed.service = owner;
  }
  return placed;
}
