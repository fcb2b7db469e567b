// Which port mentions of the workspace name the same endpoint: a port of one listener (the host, a
// Compose service's container, a Kubernetes Service or its pods, an outside host). Mentions with the
// same number are the same endpoint only when they reach the same listener: `localhost:8080` is the
// host's 8080 (a Compose publish), `api:8000` is service api's container port 8000, and two services
// that both listen on container port 80 are two endpoints. Go to Definition, Find All References,
// Rename and `portolan refs` all read this one model. Pure: built from the index's mentions.
import { isThisMachine, normalizeHost } from '../model/host';
import { isValidPort, type Protocol } from '../model/port';
import type { TextRange } from '../model/text';
import { folderOfId, joinFile, joinFolder } from '../context/ids';
import type { FileMentions } from '../rules/types';
import type { FileKind, PortMention } from '../scan/mention';
import { NginxIncludes } from './nginxIncludes';

/** Who answers on an endpoint's port. */
export type EndpointScope =
  /** This machine: a host process listening, a Compose publish, `localhost:3000`. */
  | { type: 'host' }
  /** The container of a Compose service; `project` is the folder of its compose files. */
  | { type: 'compose'; project: string; service: string }
  /** An image built from a Dockerfile in `folder` that no Compose service names. */
  | { type: 'container'; folder: string }
  /** A Kubernetes Service (`what: 'service'`) or the containers named `name` (`what: 'pod'`), per folder. */
  | { type: 'kubernetes'; folder: string; what: 'service' | 'pod'; name: string }
  /** A host outside the workspace: `api.example.com:443`, a database server by name. */
  | { type: 'external'; host: string };

export interface Endpoint {
  /** Stable key: equal ids are the same endpoint. */
  id: string;
  port: number;
  protocol: Protocol;
  scope: EndpointScope;
  /** For people: `localhost:8080/tcp`, `api:8000/tcp` (compose), `db.example.com:5432/tcp`. */
  label: string;
}

/** What a mention does for its endpoint. */
export type LinkPart =
  /** Declares the port served: `listen`, `app.listen(3000)`, a publish, a compose target, EXPOSE, containerPort. */
  | 'serves'
  /** Sends traffic on to another port: a Kubernetes Service's `targetPort`. */
  | 'forwards'
  /** A client of the port: a URL, `host:port`, `proxy_pass`. */
  | 'connects'
  /** A value that configures the port: `PORT=3000`, the `.env` variable a compose file reads. */
  | 'configures';

/** One mention placed on its endpoint. */
export interface EndpointLink {
  file: string;
  kind: FileKind | undefined;
  mention: PortMention;
  endpoint: Endpoint;
  part: LinkPart;
  /**
   * The link is a good guess rather than a fact: `PORT=3000` taken as what the app beside it listens
   * on, a `localhost` URL inside a container taken as the container itself, a service name that
   * several projects define. A rename asks before changing these.
   */
  inferred: boolean;
}

/** A change to one mention, for a rename. */
export interface EndpointEdit {
  file: string;
  range: TextRange;
  newText: string;
  inferred: boolean;
}

interface BuildContext {
  folder: string;
  project: string;
  service: string;
}

interface Unit {
  scope: EndpointScope;
  /** The file's code runs in a container whose ports are not this machine's. */
  container: boolean;
  /** The unit is a guess (an nginx config taken for the project's nginx service). */
  inferred?: boolean;
}

const HOST: EndpointScope = { type: 'host' };

/** Images that run nginx: `nginx:1.27`, `nginxinc/nginx-unprivileged`, `openresty/openresty`. */
const NGINX_IMAGE = /(?:^|\/)(?:nginx|openresty)[\w.-]*(?::|@|$)/i;

/** The endpoints of a workspace, with every mention that names each of them. */
export class EndpointMap {
  private readonly byFile = new Map<string, EndpointLink[]>();
  private readonly byEndpoint = new Map<string, EndpointLink[]>();
  private readonly endpointsById = new Map<string, Endpoint>();
  private readonly forwards = new Map<string, Set<string>>();

  private constructor() {}

  /**
   * Builds the map over files already scanned (the workspace index's `allFiles()`); `nginx` tells
   * how their nginx files include each other (built from them when not given).
   */
  static of(files: Iterable<FileMentions>, nginx?: NginxIncludes): EndpointMap {
    const map = new EndpointMap();
    const list = [...files];
    new Builder(map, list, nginx ?? NginxIncludes.of(list)).run();
    return map;
  }

  /** The link of a mention (the same object the index holds), or of the mention at `offset` in `file`. */
  endpointOf(file: string, at: PortMention | number): EndpointLink | undefined {
    const links = this.byFile.get(file);
    if (!links) {
      return undefined;
    }
    if (typeof at !== 'number') {
      return links.find((l) => l.mention === at || sameRange(l.mention.range, at.range));
    }
    // The cursor may sit just after the last digit, as editors put it after a double-click.
    return (
      links.find((l) => l.mention.range.start <= at && at < l.mention.range.end) ??
      links.find((l) => l.mention.range.end === at)
    );
  }

  /** Every mention of the endpoint, in file order then position. */
  references(endpoint: Endpoint | string): EndpointLink[] {
    return this.byEndpoint.get(typeof endpoint === 'string' ? endpoint : endpoint.id) ?? [];
  }

  /**
   * What serves the endpoint: its listens, publishes, exposes and container ports; when nothing
   * declares it, the settings that configure it.
   */
  servers(endpoint: Endpoint | string): EndpointLink[] {
    const refs = this.references(endpoint);
    const serving = refs.filter((l) => l.part === 'serves');
    return serving.length > 0 ? serving : refs.filter((l) => l.part === 'configures');
  }

  /** Where the endpoint passes its traffic: a publish to its container port, a k8s Service to its pods. */
  forwardsTo(endpoint: Endpoint | string): Endpoint[] {
    const ids = this.forwards.get(typeof endpoint === 'string' ? endpoint : endpoint.id) ?? new Set();
    return [...ids].flatMap((id) => {
      const e = this.endpointsById.get(id);
      return e ? [e] : [];
    });
  }

  endpoint(id: string): Endpoint | undefined {
    return this.endpointsById.get(id);
  }

  endpoints(): Endpoint[] {
    return [...this.endpointsById.values()];
  }

  /** The endpoints a port number (and protocol, when given) names anywhere in the workspace. */
  endpointsWithPort(port: number, protocol?: Protocol): Endpoint[] {
    return this.endpoints().filter(
      (e) => e.port === port && (protocol === undefined || e.protocol === protocol),
    );
  }

  /** Every link of a file, by position. */
  linksIn(file: string): readonly EndpointLink[] {
    return this.byFile.get(file) ?? [];
  }

  /** @internal */
  add(link: EndpointLink): void {
    const id = link.endpoint.id;
    if (!this.endpointsById.has(id)) {
      this.endpointsById.set(id, link.endpoint);
    }
    push(this.byFile, link.file, link);
    push(this.byEndpoint, id, link);
  }

  /** @internal */
  addForward(from: Endpoint, to: Endpoint): void {
    let set = this.forwards.get(from.id);
    if (!set) {
      set = new Set();
      this.forwards.set(from.id, set);
    }
    set.add(to.id);
  }

  /** @internal */
  finish(): void {
    for (const links of this.byFile.values()) {
      links.sort((a, b) => a.mention.range.start - b.mention.range.start);
    }
    for (const links of this.byEndpoint.values()) {
      links.sort((a, b) =>
        a.file === b.file ? a.mention.range.start - b.mention.range.start : a.file < b.file ? -1 : 1,
      );
    }
  }
}

/**
 * The edits that move an endpoint to `newPort`: every mention whose characters are exactly the old
 * number (a `${PORT}` reference or a named port like `http` is left alone; the value it reads is
 * renamed where it is written). `readText` gives a file's current text; files it cannot read are skipped.
 */
export function renameEdits(
  map: EndpointMap,
  endpoint: Endpoint | string,
  newPort: number,
  readText: (file: string) => string | undefined,
): EndpointEdit[] {
  const edits: EndpointEdit[] = [];
  const texts = new Map<string, string | undefined>();
  for (const link of map.references(endpoint)) {
    const text = read(link.file);
    const { range, port } = link.mention;
    if (text === undefined) {
      continue;
    }
    if (text.slice(range.start, range.end) === String(port)) {
      edits.push({ file: link.file, range, newText: String(newPort), inferred: link.inferred });
      continue;
    }
    // `"$SENTRY_BIND:9000"`: the number is written in the `.env` line the value was read from.
    const env = envValueRange(link, read);
    if (env) {
      edits.push({ file: env.file, range: env.range, newText: String(newPort), inferred: link.inferred });
    }
    // `${WEB_PORT:-8080}` read as 8080 from `.env`: the default moves with it, so the two still agree.
    const fallback = /^\$\{[A-Za-z_]\w*:?-(\d+)\}$/.exec(text.slice(range.start, range.end));
    if (link.kind === 'compose' && fallback?.[1] === String(port)) {
      const start = range.end - 1 - fallback[1].length;
      edits.push({
        file: link.file,
        range: { start, end: start + fallback[1].length },
        newText: String(newPort),
        inferred: link.inferred,
      });
    }
  }
  // A `.env` line may be both indexed and reached through a compose mention: one edit each.
  const seen = new Set<string>();
  return edits.filter((e) => {
    const key = `${e.file}|${e.range.start}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });

  function read(file: string): string | undefined {
    if (!texts.has(file)) {
      texts.set(file, readText(file));
    }
    return texts.get(file);
  }
}

/** The files `renameEdits` reads for an endpoint, so a caller can load them first (the `.env` a `$VAR` reads too). */
export function renameFiles(map: EndpointMap, endpoint: Endpoint | string): string[] {
  const files = new Set<string>();
  for (const link of map.references(endpoint)) {
    files.add(link.file);
    const { envFile } = link.mention;
    if (link.kind === 'compose' && envFile !== undefined) {
      files.add(joinFile(folderOfId(link.file), envFile));
    }
  }
  return [...files];
}

/** Where a compose mention's value is written in the `.env` it was read from: the digits after `VAR=`. */
function envValueRange(
  link: EndpointLink,
  readText: (file: string) => string | undefined,
): { file: string; range: TextRange } | undefined {
  const { envFile, envLine, variable, port } = link.mention;
  if (link.kind !== 'compose' || envFile === undefined || envLine === undefined || variable === undefined) {
    return undefined;
  }
  const file = joinFile(folderOfId(link.file), envFile);
  const text = readText(file);
  if (text === undefined) {
    return undefined;
  }
  let start = 0;
  for (let line = 1; line < envLine; line++) {
    const next = text.indexOf('\n', start);
    if (next < 0) {
      return undefined;
    }
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  const line = text.slice(start, end < 0 ? text.length : end);
  const assignment = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*["']?(\d*)/.exec(line);
  if (assignment?.[1] !== variable || assignment[2] !== String(port)) {
    return undefined;
  }
  const at = start + assignment[0].length - assignment[2].length;
  return { file, range: { start: at, end: at + assignment[2].length } };
}

/** Whether a text is a port a rename may write: digits only, 1–65535. */
export function parsePortValue(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,5}$/.test(trimmed)) {
    return undefined;
  }
  const port = Number(trimmed);
  return isValidPort(port) && port > 0 ? port : undefined;
}

class Builder {
  /** Build context folder → the service built from it (the first one written). */
  private readonly contexts = new Map<string, BuildContext>();
  /** Compose service name → the project folders that define it. */
  private readonly serviceProjects = new Map<string, Set<string>>();
  /** Compose project folder → its services. */
  private readonly composeServices = new Map<string, Set<string>>();
  /** Folders holding a Dockerfile. */
  private readonly dockerfileFolders = new Set<string>();
  /** Kubernetes Service names → folders that define them. */
  private readonly k8sServices = new Map<string, Set<string>>();
  /** Compose project folder → its services that run an nginx image. */
  private readonly nginxServices = new Map<string, Set<string>>();
  /** Kubernetes container names by `folder|containerPort`. */
  private readonly containerPorts = new Map<string, Set<string>>();
  /** Ports each unit serves (`listen`, `expose`, a compose target), by scope key. */
  private readonly served = new Map<string, Set<number>>();
  /** Compose mentions that read a variable, by `folder|variable`, for the `.env` that feeds them. */
  private readonly variableReaders = new Map<string, Array<{ link: EndpointLink }>>();
  private readonly units = new Map<string, Unit>();

  /** Mentions of passes by name that reach an upstream of another file through a guess. */
  private readonly guessedPasses = new Set<PortMention>();

  constructor(
    private readonly map: EndpointMap,
    private readonly files: FileMentions[],
    private readonly nginx: NginxIncludes,
  ) {}

  run(): void {
    this.survey();
    // Compose and Kubernetes files first: the `.env` and code links lean on what they declare.
    const order = (f: FileMentions): number => (f.kind === 'compose' ? 0 : f.kind === 'kubernetes' ? 1 : 2);
    const files = this.files.slice().sort((a, b) => order(a) - order(b));
    for (const file of files) {
      for (const mention of this.mentionsOf(file)) {
        if (!usable(mention)) {
          continue;
        }
        const link = this.place(file, mention);
        if (link) {
          if (this.guessedPasses.has(mention)) {
            link.inferred = true;
          }
          this.map.add(link);
        }
      }
    }
    this.map.finish();
  }

  /** A file's mentions, with the upstreams its `proxy_pass http://NAME` reach in other nginx files. */
  private mentionsOf(file: FileMentions): readonly PortMention[] {
    const passes = file.kind === 'nginx' ? this.nginx.passesThrough(file.file) : [];
    if (passes.length === 0) {
      return file.mentions;
    }
    for (const pass of passes) {
      if (pass.inferred) {
        this.guessedPasses.add(pass.mention);
      }
    }
    return [...file.mentions, ...passes.map((p) => p.mention)];
  }

  /** Build contexts, compose services, Dockerfiles, k8s Services and the ports each unit serves. */
  private survey(): void {
    for (const file of this.files) {
      const folder = folderOfId(file.file);
      if (file.kind === 'dockerfile') {
        this.dockerfileFolders.add(folder);
      }
      for (const m of file.mentions) {
        if (file.kind === 'compose' && m.service !== undefined) {
          add(this.composeServices, folder, m.service);
          if (m.role === 'target' && m.image !== undefined && NGINX_IMAGE.test(m.image)) {
            add(this.nginxServices, folder, m.service);
          }
          add(this.serviceProjects, m.service, folder);
          const context = m.build === undefined ? undefined : joinFolder(folder, m.build);
          if (context !== undefined && !this.contexts.has(context)) {
            this.contexts.set(context, { folder: context, project: folder, service: m.service });
          }
        }
        if (file.kind === 'kubernetes' && m.service !== undefined && m.syntax?.key === 'port') {
          add(this.k8sServices, m.service, folder);
        }
        if (file.kind === 'kubernetes' && m.service !== undefined && m.syntax?.key === 'containerPort') {
          add(this.containerPorts, `${folder}|${m.port}`, m.service);
        }
      }
    }
    for (const file of this.files) {
      for (const m of file.mentions) {
        if (usable(m) && m.role === 'publish') {
          add(this.served, scopeKey(HOST), m.port);
        } else if (usable(m) && (m.role === 'listen' || m.role === 'expose' || m.role === 'target')) {
          const scope = this.servingScope(file, m);
          if (scope) {
            add(this.served, scopeKey(scope), m.port);
          }
        }
      }
    }
  }

  /** The scope a serving mention declares a port of (before any link is made). */
  private servingScope(file: FileMentions, m: PortMention): EndpointScope | undefined {
    const folder = folderOfId(file.file);
    if (file.kind === 'compose') {
      return m.service === undefined ? HOST : { type: 'compose', project: folder, service: m.service };
    }
    if (file.kind === 'kubernetes') {
      return undefined;
    }
    return this.unitFor(file).scope;
  }

  /**
   * An nginx config runs in the service that mounts it; else most likely in the project's nginx
   * service (one service of the nearest Compose project above it runs an nginx image), whatever
   * build context it sits in.
   */
  private unitFor(file: FileMentions): Unit {
    // A Compose mount says which service runs the config (`./nginx:/etc/nginx/conf.d`).
    const mounted = file.kind === 'nginx' ? this.nginx.serviceOf(file.file) : undefined;
    if (mounted) {
      return { scope: { type: 'compose', ...mounted }, container: true };
    }
    if (file.kind === 'nginx') {
      const project = [...this.composeServices.keys()]
        .filter((folder) => file.file.startsWith(folder))
        .sort((a, b) => b.length - a.length)[0];
      const services = project === undefined ? [] : [...(this.nginxServices.get(project) ?? [])];
      if (project !== undefined && services.length === 1) {
        return {
          scope: { type: 'compose', project, service: services[0]! },
          container: true,
          inferred: true,
        };
      }
    }
    return this.unitOf(file.file);
  }

  /** Where a file's code runs: a Compose service's build context, an image's folder, or the host. */
  private unitOf(file: string): Unit {
    const known = this.units.get(file);
    if (known) {
      return known;
    }
    let unit: Unit = { scope: HOST, container: false };
    // The deepest context wins: `./api` inside a project built from `.` belongs to api.
    let context: BuildContext | undefined;
    for (let folder = folderOfId(file); folder !== '' && !context; folder = parentOf(folder)) {
      context = this.contexts.get(folder);
    }
    if (context) {
      unit = {
        scope: { type: 'compose', project: context.project, service: context.service },
        container: true,
      };
    } else {
      for (let folder = folderOfId(file); folder !== ''; folder = parentOf(folder)) {
        if (this.dockerfileFolders.has(folder)) {
          unit = { scope: { type: 'container', folder }, container: true };
          break;
        }
      }
    }
    this.units.set(file, unit);
    return unit;
  }

  private place(file: FileMentions, m: PortMention): EndpointLink | undefined {
    switch (file.kind) {
      case 'compose':
        return this.placeCompose(file, m);
      case 'kubernetes':
        return this.placeKubernetes(file, m);
      default:
        return this.placeOther(file, m);
    }
  }

  private placeCompose(file: FileMentions, m: PortMention): EndpointLink | undefined {
    const project = folderOfId(file.file);
    const own: EndpointScope =
      m.service === undefined ? HOST : { type: 'compose', project, service: m.service };
    let link: EndpointLink;
    switch (m.role) {
      case 'publish': {
        link = this.link(file, m, HOST, 'serves', false);
        if (m.counterpart && m.service !== undefined) {
          this.map.addForward(link.endpoint, endpointOf(own, m.counterpart.port, protocolOf(m)));
        }
        break;
      }
      case 'target':
      case 'expose':
      case 'listen':
        link = this.link(file, m, own, 'serves', false);
        break;
      case 'setting':
        link = this.link(file, m, own, 'configures', false);
        break;
      case 'connect': {
        // Inside a service, `localhost` is the container itself.
        const target = this.connectScope(file.file, m, m.service === undefined ? undefined : own);
        link = this.link(file, m, target.scope, 'connects', target.inferred);
        break;
      }
    }
    if (m.variable !== undefined) {
      const key = `${project}|${m.variable}`;
      const readers = this.variableReaders.get(key) ?? [];
      readers.push({ link });
      this.variableReaders.set(key, readers);
    }
    return link;
  }

  private placeKubernetes(file: FileMentions, m: PortMention): EndpointLink | undefined {
    const folder = folderOfId(file.file);
    const name = m.service ?? '';
    if (m.syntax?.key === 'port' && m.role === 'expose') {
      const link = this.link(file, m, { type: 'kubernetes', folder, what: 'service', name }, 'serves', false);
      // The targetPort written beside it (a named one carries the container it resolved to).
      const target = file.mentions.find(
        (t) => t.role === 'target' && t.service === m.service && t.counterpart?.port === m.port,
      );
      const port = target?.port ?? m.counterpart?.port ?? m.port;
      const pod = this.podOf(file, port, target ?? m);
      if (pod) {
        this.map.addForward(link.endpoint, endpointOf(pod.scope, port, protocolOf(m)));
      }
      return link;
    }
    if (m.role === 'target') {
      const pod = this.podOf(file, m.port, m);
      if (!pod) {
        return this.link(
          file,
          m,
          { type: 'kubernetes', folder, what: 'pod', name: `service ${name}` },
          'forwards',
          true,
        );
      }
      return this.link(file, m, pod.scope, 'forwards', pod.inferred);
    }
    if (m.role === 'expose') {
      return this.link(file, m, { type: 'kubernetes', folder, what: 'pod', name }, 'serves', false);
    }
    if (m.role === 'connect') {
      const target = this.connectScope(file.file, m, undefined);
      return this.link(file, m, target.scope, 'connects', target.inferred);
    }
    // hostPort, nodePort and settings bind on the node: this machine as far as the workspace knows.
    return this.link(file, m, HOST, m.role === 'setting' ? 'configures' : 'serves', m.role === 'setting');
  }

  /** The containers a Service's target port lands on: the named port's container, else the one container port with that number. */
  private podOf(
    file: FileMentions,
    port: number,
    m: PortMention,
  ): { scope: EndpointScope; inferred: boolean } | undefined {
    const folder = folderOfId(file.file);
    // `resolvedIn` reads `Deployment web, container app`.
    const cut = m.resolvedIn?.lastIndexOf(', container ') ?? -1;
    const named = cut < 0 ? undefined : m.resolvedIn!.slice(cut + ', container '.length);
    if (named !== undefined) {
      return { scope: { type: 'kubernetes', folder, what: 'pod', name: named }, inferred: false };
    }
    const containers = this.containerPorts.get(`${folder}|${port}`) ?? new Set<string>();
    const first = [...containers].sort()[0];
    if (first === undefined) {
      return undefined;
    }
    return { scope: { type: 'kubernetes', folder, what: 'pod', name: first }, inferred: containers.size > 1 };
  }

  private placeOther(file: FileMentions, m: PortMention): EndpointLink | undefined {
    const unit = this.unitFor(file);
    const fed = this.fedCompose(file, m);
    if (fed) {
      return this.link(
        file,
        m,
        fed.endpoint.scope,
        fed.part === 'connects' ? 'connects' : 'configures',
        false,
      );
    }
    switch (m.role) {
      case 'listen':
      case 'expose':
      case 'target':
        return this.link(file, m, unit.scope, 'serves', unit.inferred === true);
      case 'publish':
        return this.link(file, m, HOST, 'serves', false);
      case 'setting':
        return this.link(file, m, unit.scope, 'configures', true);
      case 'connect': {
        const target = this.connectScope(file.file, m, unit.container ? unit.scope : undefined);
        return this.link(file, m, target.scope, 'connects', target.inferred);
      }
    }
  }

  /** The compose mention a `.env` value feeds (`WEB_PORT=8080` read by `"${WEB_PORT:-8080}:80"`). */
  private fedCompose(file: FileMentions, m: PortMention): EndpointLink | undefined {
    if (file.kind !== 'dotenv' || m.variable === undefined) {
      return undefined;
    }
    const readers = this.variableReaders.get(`${folderOfId(file.file)}|${m.variable}`) ?? [];
    return readers.find((r) => r.link.mention.port === m.port)?.link;
  }

  /**
   * What a connection reaches. Loopback is this machine, or, from inside a container that serves the
   * port itself, that container; a Compose service name is that service's container (the project of
   * the file first); a Kubernetes Service name is that Service; anything else is an outside host.
   */
  private connectScope(
    file: string,
    m: PortMention,
    container: EndpointScope | undefined,
  ): { scope: EndpointScope; inferred: boolean } {
    const host = normalizeHost(m.host);
    if (m.host === undefined || isThisMachine(host)) {
      if (host === 'host.docker.internal' || container === undefined) {
        return { scope: HOST, inferred: false };
      }
      if (container.type === 'compose' && m.service !== undefined) {
        return { scope: container, inferred: false };
      }
      // Code in a build context may run in its container or on the host (tests, scripts): a port
      // only the container serves is the container's; otherwise the host's, unsure when both do.
      const inContainer = this.served.get(scopeKey(container))?.has(m.port) === true;
      if (inContainer && this.served.get(scopeKey(HOST))?.has(m.port) !== true) {
        return { scope: container, inferred: true };
      }
      return { scope: HOST, inferred: inContainer };
    }
    const service = this.composeServiceNamed(
      file,
      host,
      container?.type === 'compose' ? container.project : undefined,
    );
    if (service) {
      return service;
    }
    const k8s = this.k8sServiceNamed(file, host);
    if (k8s) {
      return k8s;
    }
    return { scope: { type: 'external', host }, inferred: false };
  }

  /**
   * The Compose service `host` names, seen from `file`: of the project the file sits in (the deepest
   * one), else of the project whose container runs the file (`own`: a config mounted from a shared
   * folder), else of the only project that has it, else a guess.
   */
  private composeServiceNamed(
    file: string,
    host: string,
    own?: string,
  ): { scope: EndpointScope; inferred: boolean } | undefined {
    const projects = this.serviceProjects.get(host);
    if (!projects) {
      return undefined;
    }
    for (let folder = folderOfId(file); folder !== ''; folder = parentOf(folder)) {
      if (projects.has(folder)) {
        return { scope: { type: 'compose', project: folder, service: host }, inferred: false };
      }
    }
    if (own !== undefined && projects.has(own)) {
      return { scope: { type: 'compose', project: own, service: host }, inferred: false };
    }
    let first: string | undefined;
    for (const project of projects) {
      if (first === undefined || project < first) {
        first = project;
      }
    }
    return { scope: { type: 'compose', project: first!, service: host }, inferred: projects.size > 1 };
  }

  private k8sServiceNamed(
    file: string,
    host: string,
  ): { scope: EndpointScope; inferred: boolean } | undefined {
    // `web`, `web.shop`, `web.shop.svc.cluster.local` all name the Service `web`.
    const name = host.split('.')[0]!;
    const folders = [...(this.k8sServices.get(name) ?? [])];
    if (
      folders.length === 0 ||
      (name !== host && !/^[^.]+(?:\.[^.]+)?(?:\.svc(?:\.cluster\.local)?)?$/.test(host))
    ) {
      return undefined;
    }
    const own = folders.filter((f) => file.startsWith(f)).sort((a, b) => b.length - a.length)[0];
    const folder = own ?? folders.sort()[0]!;
    return {
      scope: { type: 'kubernetes', folder, what: 'service', name },
      inferred: own === undefined && folders.length > 1,
    };
  }

  private link(
    file: FileMentions,
    mention: PortMention,
    scope: EndpointScope,
    part: LinkPart,
    inferred: boolean,
  ): EndpointLink {
    return {
      file: file.file,
      kind: file.kind,
      mention,
      endpoint: endpointOf(scope, mention.port, protocolOf(mention)),
      part,
      inferred,
    };
  }
}

function endpointOf(scope: EndpointScope, port: number, protocol: Protocol): Endpoint {
  return {
    id: `${scopeKey(scope)}|${port}/${protocol}`,
    port,
    protocol,
    scope,
    label: labelOf(scope, port, protocol),
  };
}

function scopeKey(scope: EndpointScope): string {
  switch (scope.type) {
    case 'host':
      return 'host';
    case 'compose':
      return `compose|${scope.project}|${scope.service}`;
    case 'container':
      return `container|${scope.folder}`;
    case 'kubernetes':
      return `k8s-${scope.what}|${scope.folder}|${scope.name}`;
    case 'external':
      return `external|${scope.host}`;
  }
}

function labelOf(scope: EndpointScope, port: number, protocol: Protocol): string {
  const suffix = `${port}/${protocol}`;
  switch (scope.type) {
    case 'host':
      return `localhost:${suffix}`;
    case 'compose':
      return `${scope.service}:${suffix}`;
    case 'container':
      return `${baseOfFolder(scope.folder)} (Dockerfile):${suffix}`;
    case 'kubernetes':
      return scope.what === 'service' ? `${scope.name}:${suffix}` : `${scope.name} (container):${suffix}`;
    case 'external':
      return `${scope.host.includes(':') ? `[${scope.host}]` : scope.host}:${suffix}`;
  }
}

/**
 * A single valid port that is written: ranges (`3000-3005`) and invalid numbers belong to no one
 * endpoint, and nginx's implied 80 (a `server` block without `listen`) has no characters to link.
 */
function usable(m: PortMention): boolean {
  return isValidPort(m.port) && m.implied === undefined && (m.portEnd === undefined || m.portEnd === m.port);
}

function protocolOf(m: PortMention): Protocol {
  return m.protocol ?? 'tcp';
}

function sameRange(a: TextRange, b: TextRange): boolean {
  return a.start === b.start && a.end === b.end;
}

function parentOf(folder: string): string {
  const trimmed = folder.slice(0, -1);
  const cut = trimmed.lastIndexOf('/');
  // Stop at a URI's authority (`file:///`) or the root.
  return cut < 0 || /^[a-z][\w+.-]*:\/*$/i.test(trimmed.slice(0, cut + 1)) ? '' : trimmed.slice(0, cut + 1);
}

function baseOfFolder(folder: string): string {
  const trimmed = folder.slice(0, -1);
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) || folder;
}

function add<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  let list = map.get(key);
  if (list === undefined) {
    list = [];
    map.set(key, list);
  }
  list.push(value);
}
