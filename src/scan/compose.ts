// docker-compose files: `ports:` (short and long syntax), `expose:`, and ports written in values
// (`environment:`, `labels:`, `build.args`, `healthcheck`, `command`, `entrypoint`). Parsed as YAML
// with source offsets so every mention points at the characters written, quoted or not, through
// anchors, merge keys and same-file `extends:`. Roles: the host side of a mapping is `publish`
// (with `host` = host_ip), the container side `target`, `expose:` is `expose`; under
// `network_mode: host` the container side is a host `listen` and the ignored published side a
// `setting`. A value's `:8080` bind happens inside the container, so it is a `setting` too.

import type { Node, Scalar, YAMLMap } from 'yaml';
import { logFailure } from '../model/log';
import { rethrowIfTooComplex, spendWork } from './budget';
import { interpolate, layeredLookup, type EnvLookup } from './composeInterpolation';
import { compareMentions, pushAll } from './mention';
import { isPortLikeName } from './names';
import type { MentionSyntax, PortMention, PortRole, Protocol } from './mention';
import {
  asMap,
  asScalar,
  asSeq,
  findPortsInArguments,
  findPortsInScalar,
  mapEntries,
  mapGet,
  parseYamlDocuments,
  scalarSource,
  seqItems,
  isMap,
  isScalar,
  isSeq,
} from './yamlPositions';
import type { ScalarSource, YamlDocument } from './yamlPositions';

export function findComposePorts(text: string, env?: ComposeEnv): PortMention[] {
  return readCompose(text, env).mentions;
}

/** One entry of a service's `ports:`, as the mentions of its two sides. */
export interface ComposePortEntry {
  /** The host side (`publish`, or `setting` under host networking); absent for `"80"`. */
  published?: PortMention;
  /** The container side (`target`, or `listen` under host networking). */
  target: PortMention;
  /** The host address it binds (`127.0.0.1` in `127.0.0.1::80` too, where no host port is written). */
  host?: string;
}

/** What one compose file says about one service, before `extends:` and other files are merged in. */
export interface ComposeServiceFacts {
  name: string;
  /** Its own `ports:` entries (an `extends:` base's are not included). */
  ports: ComposePortEntry[];
  extends?: { service: string; file?: string };
  profiles: string[];
  /** `env_file:` paths as written (interpolated). */
  envFiles: string[];
  /** `environment:` as written (interpolated), with the offset of each value. */
  environment: Array<{ name: string; value?: string; offset: number }>;
}

/** A top-level `include:` entry. */
export interface ComposeIncludeFacts {
  paths: string[];
  projectDirectory?: string;
  envFiles?: string[];
}

/** One compose file's services and includes, interpolated with `env`. */
export interface ComposeFileFacts {
  services: ComposeServiceFacts[];
  includes: ComposeIncludeFacts[];
}

/** Reads a compose file's structure (services, their ports, extends, profiles, includes). */
export function readComposeFile(text: string, env?: ComposeEnv): ComposeFileFacts {
  return readCompose(text, env, true).facts;
}

function readCompose(
  text: string,
  env: ComposeEnv | undefined,
  withFacts = false,
): { mentions: PortMention[]; facts: ComposeFileFacts } {
  const mentions: PortMention[] = [];
  const facts: ComposeFileFacts = { services: [], includes: [] };
  try {
    for (const doc of parseYamlDocuments(text)) {
      const root = asMap(doc.contents, doc);
      if (!root) {
        continue;
      }
      const services = composeServices(root, doc);
      const byName = new Map(services);
      const read: ValuesRead = new Set();
      if (withFacts) {
        pushAll(facts.includes, includesOf(root, doc, env));
      }
      for (const [name, service] of services) {
        const keepable = !withFacts && doc.aliasFree === true;
        if (keepable && pushKeptMentions(service, env, mentions)) {
          continue;
        }
        const first = mentions.length;
        const entries: ComposePortEntry[] | undefined = withFacts ? [] : undefined;
        collectServicePorts(name, service, doc, text, mentions, read, env, entries);
        if (entries) {
          facts.services.push(serviceFacts(name, service, doc, text, env, entries));
        }
        // `extends:` within the file: the base's ports are this service's too (Compose merges them),
        // its values included, so they are read again for this service.
        const inherited: ValuesRead = new Set();
        const visited = new Set([name]);
        for (let base = extendedService(service, doc); base !== undefined && !visited.has(base);) {
          visited.add(base);
          const definition = byName.get(base);
          if (!definition) {
            break;
          }
          collectServicePorts(name, definition, doc, text, mentions, inherited, env);
          base = extendedService(definition, doc);
        }
        if (keepable && mapGet(service, 'extends', doc) === undefined) {
          keepMentions(service, env, mentions, first);
        }
      }
    }
  } catch (error) {
    // A finder never breaks the caller; what was collected before the surprise still counts.
    rethrowIfTooComplex(error);
    logFailure('the compose finder', error);
  }
  return { mentions: uniqueSorted(mentions), facts };
}

/**
 * A service's mentions, kept on its node while the node is kept between parses (yamlIncremental.ts).
 * Only for documents without aliases and services without `extends:`: then nothing outside the
 * service's own text changes what it says, and an unchanged node has the same mentions, moved.
 */
const keptMentions = new WeakMap<
  YAMLMap,
  { env: ComposeEnv | undefined; start: number; mentions: PortMention[] }
>();

function keepMentions(
  service: YAMLMap,
  env: ComposeEnv | undefined,
  mentions: PortMention[],
  first: number,
): void {
  const start = service.range?.[0];
  if (start !== undefined) {
    // Copies: the caller marks the mentions it returns (ignore comments).
    keptMentions.set(service, { env, start, mentions: mentions.slice(first).map((m) => movedMention(m, 0)) });
  }
}

function pushKeptMentions(service: YAMLMap, env: ComposeEnv | undefined, out: PortMention[]): boolean {
  const kept = keptMentions.get(service);
  const start = service.range?.[0];
  if (!kept || kept.env !== env || start === undefined) {
    return false;
  }
  const delta = start - kept.start;
  for (const mention of kept.mentions) {
    out.push(movedMention(mention, delta));
  }
  return true;
}

/** A copy of a compose mention with every offset in it moved by `delta`. */
function movedMention(mention: PortMention, delta: number): PortMention {
  const copy: PortMention = { ...mention, range: movedRange(mention.range, delta) };
  if (mention.counterpart) {
    copy.counterpart = { ...mention.counterpart };
  }
  const syntax = mention.syntax;
  if (syntax) {
    copy.syntax = { ...syntax };
    if (syntax.plain) {
      copy.syntax.plain = { value: syntax.plain.value, range: movedRange(syntax.plain.range, delta) };
    }
    if (syntax.protocol) {
      copy.syntax.protocol = {
        value: syntax.protocol.value,
        range: movedRange(syntax.protocol.range, delta),
      };
    }
    if (syntax.name) {
      copy.syntax.name = { value: syntax.name.value, range: movedRange(syntax.name.range, delta) };
    }
    if (syntax.mapping) {
      copy.syntax.mapping = { value: syntax.mapping.value, range: movedRange(syntax.mapping.range, delta) };
    }
    if (syntax.randomHostPort) {
      copy.syntax.randomHostPort = { ...syntax.randomHostPort };
    }
  }
  return copy;
}

function movedRange(range: { start: number; end: number }, delta: number): { start: number; end: number } {
  return { start: range.start + delta, end: range.end + delta };
}

/** A scalar's text interpolated as Compose does; undefined for anything else or an error. */
function interpolatedString(
  node: Node | undefined,
  doc: YamlDocument,
  env: ComposeEnv | undefined,
): string | undefined {
  const value = scalarText(asScalar(node, doc)?.value);
  if (value === undefined) {
    return undefined;
  }
  const result = interpolate(value, composeLookup(env));
  return result.error === undefined ? result.value : undefined;
}

/** A scalar's value as text (`8080` and `true` too); undefined for null and anything else. */
function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint'
    ? String(value)
    : undefined;
}

/** A string or a list of strings (`env_file: a.env`, `profiles: [debug]`), interpolated. */
function stringList(
  node: Node | undefined,
  doc: YamlDocument,
  env: ComposeEnv | undefined,
  key?: string,
): string[] {
  const seq = asSeq(node, doc);
  const items = seq ? seqItems(seq, doc) : node === undefined ? [] : [node];
  const out: string[] = [];
  for (const item of items) {
    // The long form of `env_file:` and `include:` entries: `{ path: a.env }`.
    const value = interpolatedString(
      key !== undefined && isMap(item) ? mapGet(item, key, doc) : item,
      doc,
      env,
    );
    if (value !== undefined && value !== '') {
      out.push(value);
    }
  }
  return out;
}

function includesOf(root: YAMLMap, doc: YamlDocument, env: ComposeEnv | undefined): ComposeIncludeFacts[] {
  const out: ComposeIncludeFacts[] = [];
  for (const item of seqItems(asSeq(mapGet(root, 'include', doc), doc), doc)) {
    if (isScalar(item)) {
      out.push({ paths: stringList(item, doc, env) });
    } else if (isMap(item)) {
      const include: ComposeIncludeFacts = { paths: stringList(mapGet(item, 'path', doc), doc, env) };
      const directory = interpolatedString(mapGet(item, 'project_directory', doc), doc, env);
      if (directory !== undefined) {
        include.projectDirectory = directory;
      }
      if (mapGet(item, 'env_file', doc) !== undefined) {
        include.envFiles = stringList(mapGet(item, 'env_file', doc), doc, env);
      }
      if (include.paths.length > 0) {
        out.push(include);
      }
    }
  }
  return out;
}

function serviceFacts(
  name: string,
  definition: YAMLMap,
  doc: YamlDocument,
  text: string,
  env: ComposeEnv | undefined,
  ports: ComposePortEntry[],
): ComposeServiceFacts {
  const facts: ComposeServiceFacts = {
    name,
    ports,
    profiles: stringList(mapGet(definition, 'profiles', doc), doc, env),
    envFiles: stringList(mapGet(definition, 'env_file', doc), doc, env, 'path'),
    environment: [],
  };
  const extendsNode = mapGet(definition, 'extends', doc);
  const short = interpolatedString(extendsNode, doc, env);
  const long = asMap(extendsNode, doc);
  if (short !== undefined) {
    facts.extends = { service: short };
  } else if (long) {
    const service = interpolatedString(mapGet(long, 'service', doc), doc, env);
    const file = interpolatedString(mapGet(long, 'file', doc), doc, env);
    if (service !== undefined) {
      facts.extends = file === undefined ? { service } : { service, file };
    }
  }
  const environment = mapGet(definition, 'environment', doc);
  const lookup = composeLookup(env);
  const valueOf = (written: string): string | undefined => {
    const result = interpolate(written, lookup);
    return result.error === undefined ? result.value : undefined;
  };
  for (const item of seqItems(asSeq(environment, doc), doc)) {
    const source = isScalar(item) ? scalarSource(item, text) : undefined;
    if (source) {
      const equals = source.value.indexOf('=');
      const variable = equals < 0 ? source.value.trim() : source.value.slice(0, equals).trim();
      const offset = (item as Scalar).range?.[0] ?? 0;
      facts.environment.push(
        equals < 0
          ? { name: variable, offset }
          : { name: variable, value: valueOf(source.value.slice(equals + 1)), offset },
      );
    }
  }
  const map = asMap(environment, doc);
  if (map) {
    for (const entry of mapEntries(map, doc)) {
      const scalar = asScalar(entry.value, doc);
      const written = scalarText(scalar?.value);
      const value = written === undefined ? undefined : valueOf(written);
      facts.environment.push({ name: entry.key, value, offset: scalar?.range?.[0] ?? 0 });
    }
  }
  return facts;
}

function composeServices(root: YAMLMap, doc: YamlDocument): Array<[string, YAMLMap]> {
  const services = asMap(mapGet(root, 'services', doc), doc);
  const result: Array<[string, YAMLMap]> = [];
  if (services) {
    for (const entry of mapEntries(services, doc)) {
      const service = asMap(entry.value, doc);
      if (service) {
        result.push([entry.key, service]);
      }
    }
    return result;
  }
  // The legacy v1 format has services at the top level, recognisable by their image or build.
  for (const entry of mapEntries(root, doc)) {
    const service = asMap(entry.value, doc);
    if (
      service &&
      (mapGet(service, 'image', doc) !== undefined || mapGet(service, 'build', doc) !== undefined)
    ) {
      result.push([entry.key, service]);
    }
  }
  return result;
}

/** The service named by `extends: name` or `extends: { service: name }` when it is in the same file. */
function extendedService(definition: YAMLMap, doc: YamlDocument): string | undefined {
  const node = mapGet(definition, 'extends', doc);
  const short = asScalar(node, doc)?.value;
  if (typeof short === 'string') {
    return short;
  }
  const long = asMap(node, doc);
  if (!long || mapGet(long, 'file', doc) !== undefined) {
    return undefined;
  }
  const service = asScalar(mapGet(long, 'service', doc), doc)?.value;
  return typeof service === 'string' ? service : undefined;
}

/**
 * Value nodes (a variable, a label, a command) already read. A value written once under an anchor
 * and merged into twenty services is one mention at the anchor, read for the first service that
 * uses it, not twenty; and an alias repeated thousands of times costs one read.
 */
type ValuesRead = Set<Node>;

function collectServicePorts(
  service: string,
  definition: YAMLMap,
  doc: YamlDocument,
  text: string,
  out: PortMention[],
  read: ValuesRead,
  env: ComposeEnv | undefined,
  entries?: ComposePortEntry[],
): void {
  const first = out.length;
  collectServicePortsOf(service, definition, doc, text, out, read, env, entries);
  // The image names the program behind the numbers (`portainer/portainer-ce` on 9000).
  const image = asScalar(mapGet(definition, 'image', doc), doc)?.value;
  if (typeof image === 'string' && image !== '') {
    for (let i = first; i < out.length; i++) {
      out[i]!.image ??= image;
    }
  }
  const build = buildContextOf(mapGet(definition, 'build', doc), doc);
  if (build !== undefined) {
    for (let i = first; i < out.length; i++) {
      out[i]!.build ??= build;
    }
  }
}

/** `build: ./api` or `build: { context: ./api }` → `./api`; a build without a context builds `.`. */
function buildContextOf(node: unknown, doc: YamlDocument): string | undefined {
  const short = asScalar(node, doc)?.value;
  if (typeof short === 'string') {
    return short === '' ? undefined : short;
  }
  const long = asMap(node, doc);
  if (!long) {
    return undefined;
  }
  const context = asScalar(mapGet(long, 'context', doc), doc)?.value;
  return typeof context === 'string' && context !== '' ? context : '.';
}

function collectServicePortsOf(
  service: string,
  definition: YAMLMap,
  doc: YamlDocument,
  text: string,
  out: PortMention[],
  read: ValuesRead,
  env: ComposeEnv | undefined,
  entries: ComposePortEntry[] | undefined,
): void {
  spendWork(1);
  const networkMode = asScalar(mapGet(definition, 'network_mode', doc), doc)?.value;
  // With the host's network stack the container binds host ports itself and Compose ignores
  // the published side of `ports:`.
  const hostNetwork = networkMode === 'host';

  for (const item of seqItems(asSeq(mapGet(definition, 'ports', doc), doc), doc)) {
    const before = out.length;
    let host: string | undefined;
    if (isMap(item)) {
      host = collectLongPort(service, item, doc, text, hostNetwork, out, env);
    } else if (isScalar(item)) {
      host = collectShortPort(service, item, text, hostNetwork, out, env);
    }
    const sides = out.slice(before);
    const target = sides.find((m) => m.role === 'target' || m.role === 'listen');
    if (entries && target) {
      const published = sides.find((m) => m.role === 'publish' || m.role === 'setting');
      const entry: ComposePortEntry = published ? { published, target } : { target };
      if (host !== undefined) {
        entry.host = host;
      }
      entries.push(entry);
    }
  }

  for (const item of seqItems(asSeq(mapGet(definition, 'expose', doc), doc), doc)) {
    const source = isScalar(item) ? scalarSource(item, text) : undefined;
    if (!source) {
      continue;
    }
    const { body, protocol } = splitProtocol(source.value, 0, source.value.length);
    const port = parsePortToken(source.value, body.start, body.end);
    if (port) {
      pushSide(out, source, port, { role: 'expose', protocol, service });
    }
  }

  const facts: ValueFacts = {
    service,
    hostNetwork,
    read,
    env,
    portVariables: containerSideVariables(definition, doc),
  };
  collectEnvironment(mapGet(definition, 'environment', doc), doc, text, facts, out);
  collectEnvironment(mapGet(definition, 'labels', doc), doc, text, facts, out);
  const build = asMap(mapGet(definition, 'build', doc), doc);
  collectEnvironment(mapGet(build, 'args', doc), doc, text, facts, out);

  const healthcheck = asMap(mapGet(definition, 'healthcheck', doc), doc);
  collectCommand(mapGet(healthcheck, 'test', doc), doc, text, facts, out);
  collectCommand(mapGet(definition, 'command', doc), doc, text, facts, out);
  collectCommand(mapGet(definition, 'entrypoint', doc), doc, text, facts, out);
}

interface PortToken {
  port: number;
  portEnd?: number;
  /** Offsets within the scalar's value. */
  start: number;
  end: number;
  variable?: string;
  isDefault?: boolean;
  /** The value came from the project's `.env`: its file, and the line there. */
  envFile?: string;
  envLine?: number;
  /** The value came from the process environment. */
  envProcess?: boolean;
  /** The number is the alternative of `${VAR:+n}`, used because VAR is set. */
  isAlternative?: boolean;
}

/**
 * The variables Compose interpolates from the project's `.env` (the folder of the compose file):
 * `$SENTRY_BIND:80` publishes the host port `.env` sets. The process environment is read only when
 * the caller passes it (`process`), so a check depends on the machine running it only when asked.
 */
export interface ComposeEnv {
  /** The file the values come from, as shown in hovers: `.env`. */
  file: string;
  values: ReadonlyMap<string, string>;
  /** The 1-based line of each variable in `file`, for hovers: "`.env` line 2". */
  lines?: ReadonlyMap<string, number>;
  /** The environment of the process that runs Compose; its values win over `file`'s. */
  process?: ReadonlyMap<string, string>;
}

interface SideFacts {
  role: PortRole;
  protocol?: Protocol;
  host?: string;
  service: string;
  counterpart?: PortToken;
}

function pushSide(out: PortMention[], source: ScalarSource, token: PortToken, facts: SideFacts): void {
  const range = source.rangeOf(token.start, token.end);
  if (!range) {
    return;
  }
  const mention: PortMention = {
    port: token.port,
    role: facts.role,
    kind: 'compose',
    range,
    service: facts.service,
  };
  if (token.portEnd !== undefined) {
    mention.portEnd = token.portEnd;
  }
  if (facts.protocol) {
    mention.protocol = facts.protocol;
  }
  if (facts.host !== undefined) {
    mention.host = facts.host;
  }
  if (facts.counterpart) {
    mention.counterpart =
      facts.counterpart.portEnd === undefined
        ? { port: facts.counterpart.port }
        : { port: facts.counterpart.port, portEnd: facts.counterpart.portEnd };
  }
  if (token.variable) {
    mention.variable = token.variable;
  }
  if (token.isDefault) {
    mention.isDefault = true;
  }
  if (token.envProcess) {
    mention.envProcess = true;
  }
  if (token.isAlternative) {
    mention.isAlternative = true;
  }
  if (token.envFile !== undefined) {
    mention.envFile = token.envFile;
    if (token.envLine !== undefined) {
      mention.envLine = token.envLine;
    }
  }
  out.push(mention);
}

/**
 * Short syntax, `[[IP:]HOST:]CONTAINER[/PROTOCOL]`, split the way Docker does: the last part is the
 * container side, the one before it the host side, everything earlier the address — so both
 * `[::1]:8080:80` and `::1:8080:80` bind `::1`. `${VAR:-8080}` counts as one part.
 */
function collectShortPort(
  service: string,
  item: Scalar,
  text: string,
  hostNetwork: boolean,
  out: PortMention[],
  env: ComposeEnv | undefined,
): string | undefined {
  const source = scalarSource(item, text);
  if (!source) {
    return undefined;
  }
  const value = source.value;
  const { body, protocol } = splitProtocol(value, 0, value.length);
  const parts = splitOutside(value, body.start, body.end, ':');
  const containerPart = parts[parts.length - 1]!; // a split always has one part
  const hostPart = parts.length >= 2 ? parts[parts.length - 2] : undefined;
  const addressParts = parts.slice(0, Math.max(0, parts.length - 2));
  let host: string | undefined;
  if (addressParts.length > 0) {
    const address = value.slice(addressParts[0]!.start, addressParts[addressParts.length - 1]!.end).trim();
    host = normalizeAddress(address, env);
  }
  const target = parsePortToken(value, containerPart.start, containerPart.end, env);
  const published = hostPart ? parsePortToken(value, hostPart.start, hostPart.end, env) : undefined;
  const syntax = shortSyntax(item, source, value, body.end, hostNetwork);
  // No host side at all (`"80"`), or an empty one (`"127.0.0.1::80"`): Docker picks the host port.
  // A host side that is an unset variable is not this: Compose would fail or warn on it instead.
  if (
    !hostNetwork &&
    target &&
    (hostPart === undefined || value.slice(hostPart.start, hostPart.end).trim() === '')
  ) {
    syntax.randomHostPort = host === undefined ? {} : { host };
  }
  const first = out.length;

  if (published) {
    // Under host networking Compose discards the published side: it is written but binds nothing.
    pushSide(out, source, published, {
      role: hostNetwork ? 'setting' : 'publish',
      protocol,
      host,
      service,
      counterpart: target,
    });
  }
  if (target) {
    pushSide(out, source, target, {
      role: hostNetwork ? 'listen' : 'target',
      protocol,
      service,
      counterpart: hostNetwork ? undefined : published,
    });
  }
  if (out.length > first && Object.keys(syntax).length > 0) {
    // Once per entry, on its first side (the published one when written).
    out[first]!.syntax = syntax;
  }
  return host;
}

/** What the rules judge about how a short-syntax entry is written. */
function shortSyntax(
  item: Scalar,
  source: ScalarSource,
  value: string,
  bodyEnd: number,
  hostNetwork: boolean,
): MentionSyntax {
  const syntax: MentionSyntax = {};
  if (item.type === 'PLAIN') {
    const range = source.rangeOf(0, value.length);
    if (range) {
      syntax.plain = { value, range };
    }
  }
  if (bodyEnd < value.length) {
    // `splitProtocol` ended the body at the `/` before the protocol.
    const range = source.rangeOf(bodyEnd + 1, value.length);
    if (range) {
      syntax.protocol = { value: value.slice(bodyEnd + 1), range };
    }
  }
  if (hostNetwork) {
    syntax.hostNetwork = true;
  }
  return syntax;
}

/** Long syntax: `target`, `published` (number, string, range or `${VAR:-n}`), `host_ip`, `protocol`. */
function collectLongPort(
  service: string,
  item: YAMLMap,
  doc: YamlDocument,
  text: string,
  hostNetwork: boolean,
  out: PortMention[],
  env: ComposeEnv | undefined,
): string | undefined {
  const protocolValue = asScalar(mapGet(item, 'protocol', doc), doc)?.value;
  const protocol = typeof protocolValue === 'string' ? toProtocol(protocolValue) : 'tcp';
  const hostIpValue = asScalar(mapGet(item, 'host_ip', doc), doc)?.value;
  const host = typeof hostIpValue === 'string' ? normalizeAddress(hostIpValue, env) : undefined;

  const read = (key: string): { source: ScalarSource; token: PortToken } | undefined => {
    const scalar = asScalar(mapGet(item, key, doc), doc);
    const source = scalar ? scalarSource(scalar, text) : undefined;
    if (!source) {
      return undefined;
    }
    const token = parsePortToken(source.value, 0, source.value.length, env);
    return token ? { source, token } : undefined;
  };
  const target = read('target');
  const published = read('published');
  const first = out.length;
  if (published) {
    pushSide(out, published.source, published.token, {
      role: hostNetwork ? 'setting' : 'publish',
      protocol,
      host,
      service,
      counterpart: target?.token,
    });
  }
  if (target) {
    pushSide(out, target.source, target.token, {
      role: hostNetwork ? 'listen' : 'target',
      protocol,
      service,
      counterpart: hostNetwork ? undefined : published?.token,
    });
  }
  if (hostNetwork && out.length > first) {
    out[first]!.syntax = { hostNetwork: true };
  } else if (target && mapGet(item, 'published', doc) === undefined && out.length > first) {
    out[first]!.syntax = { randomHostPort: host === undefined ? {} : { host } };
  }
  return host;
}

/** `environment:` and `labels:` in list form (`- PORT=5054`) or map form (`PORT: 5054`). */
function collectEnvironment(
  node: Node | undefined,
  doc: YamlDocument,
  text: string,
  facts: ValueFacts,
  out: PortMention[],
): void {
  if (isSeq(node)) {
    for (const item of seqItems(node, doc)) {
      if (facts.read.has(item)) {
        continue;
      }
      facts.read.add(item);
      const source = isScalar(item) ? scalarSource(item, text) : undefined;
      if (!source) {
        continue;
      }
      const equals = source.value.indexOf('=');
      if (equals <= 0) {
        continue;
      }
      const variable = source.value.slice(0, equals).trim();
      pushValueMentions(out, source, equals + 1, source.value.length, variable, facts);
    }
  } else if (isMap(node)) {
    for (const entry of mapEntries(node, doc)) {
      const scalar = asScalar(entry.value, doc);
      if (!scalar || facts.read.has(scalar)) {
        continue;
      }
      facts.read.add(scalar);
      const source = scalarSource(scalar, text);
      if (source) {
        pushValueMentions(out, source, 0, source.value.length, entry.key, facts);
      }
    }
  }
}

/** `command:`, `entrypoint:` and `healthcheck.test:`, as one string or as a list of arguments. */
function collectCommand(
  node: Node | undefined,
  doc: YamlDocument,
  text: string,
  facts: ValueFacts,
  out: PortMention[],
): void {
  if (!node || facts.read.has(node)) {
    return;
  }
  facts.read.add(node);
  const items = isSeq(node) ? seqItems(node, doc) : [node];
  const sources = items.map((item) => (isScalar(item) ? scalarSource(item, text) : undefined));
  for (const mention of findPortsInArguments(sources, 'compose')) {
    out.push(placeInService(mention, facts));
  }
}

interface ValueFacts {
  service: string;
  hostNetwork: boolean;
  read: ValuesRead;
  /** The project's `.env` and environment, for values that are one variable: `PORT: ${PORT}`. */
  env?: ComposeEnv;
  /** The variables the container sides of the service's `ports:` read (`"${APP_PORT}:${APP_PORT}"`). */
  portVariables?: ReadonlySet<string>;
}

const VARIABLE_READ = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

/** The variables a text interpolates, in order. */
function variablesIn(text: string): string[] {
  return [...text.matchAll(VARIABLE_READ)].map((m) => m[1]!);
}

/** The variables the container side of each `ports:` entry reads, whether or not they are set. */
function containerSideVariables(definition: YAMLMap, doc: YamlDocument): Set<string> {
  const out = new Set<string>();
  for (const item of seqItems(asSeq(mapGet(definition, 'ports', doc), doc), doc)) {
    let written: unknown;
    if (isMap(item)) {
      written = asScalar(mapGet(item, 'target', doc), doc)?.value;
    } else if (isScalar(item) && typeof item.value === 'string') {
      const { body } = splitProtocol(item.value, 0, item.value.length);
      const parts = splitOutside(item.value, body.start, body.end, ':');
      const last = parts[parts.length - 1]!;
      written = item.value.slice(last.start, last.end);
    }
    if (typeof written === 'string') {
      for (const name of variablesIn(written)) {
        out.add(name);
      }
    }
  }
  return out;
}

/** Ports in `source.value.slice(from, to)`, found by the shared value recognizers. */
function pushValueMentions(
  out: PortMention[],
  source: ScalarSource,
  from: number,
  to: number,
  variable: string | undefined,
  facts: ValueFacts,
): void {
  // `PORT: ${APP_PORT}` with `APP_PORT=4000` in `.env`, `PORT: ${APP_PORT:-3000}`: the value is the
  // number Compose interpolates, from where it is set (the default only when the variable is not).
  const written = source.value.slice(from, to).trim();
  if (written.startsWith('$')) {
    const token = parsePortToken(source.value, from, to, facts.env);
    // The number is a port only under a port's name, wherever it comes from: not
    // `WORKERS: ${WORKERS:-4}`, and not taiga's `MAX_AGE: ${ATTACHMENTS_MAX_AGE}` set to 360 in `.env`.
    const named =
      token?.variable !== undefined && (isPortLikeName(variable ?? '') || isPortLikeName(token.variable));
    if (
      named &&
      (token.envFile !== undefined || token.envProcess || token.isDefault || token.isAlternative)
    ) {
      const at = out.length;
      pushSide(out, source, token, { role: 'setting', service: facts.service });
      const mention = out[at];
      if (mention && variable !== undefined) {
        const syntax: MentionSyntax = { key: variable };
        const shared = variablesIn(written).find((name) => facts.portVariables?.has(name));
        if (shared !== undefined) {
          syntax.portsVariable = shared;
        }
        mention.syntax = syntax;
      }
      return;
    }
  }
  for (const mention of findPortsInScalar(source, 'compose', variable, from, to)) {
    out.push(placeInService(mention, facts));
  }
}

function placeInService(mention: PortMention, facts: ValueFacts): PortMention {
  // A service that binds `:8080` binds it inside its container; only host networking makes that a host port.
  if (mention.role === 'listen' && !facts.hostNetwork) {
    mention.role = 'setting';
  }
  // Fresh from the value recognizers, so annotated in place.
  mention.service = facts.service;
  return mention;
}

interface Span {
  start: number;
  end: number;
}

/** Splits off a trailing `/tcp`, `/udp` or `/sctp` (outside `${...}`); tcp when absent. */
function splitProtocol(
  value: string,
  start: number,
  end: number,
): { body: Span; protocol: Protocol | undefined } {
  const parts = splitOutside(value, start, end, '/');
  if (parts.length < 2) {
    return { body: { start, end }, protocol: 'tcp' };
  }
  const last = parts[parts.length - 1]!;
  return {
    body: { start, end: parts[parts.length - 2]!.end },
    protocol: toProtocol(value.slice(last.start, last.end)),
  };
}

function toProtocol(written: string): Protocol | undefined {
  const lower = written.trim().toLowerCase();
  return lower === 'tcp' || lower === 'udp' || lower === 'sctp' ? lower : undefined;
}

/** Splits on `separator` except inside `${...}` and `[...]`. */
function splitOutside(value: string, start: number, end: number, separator: string): Span[] {
  const spans: Span[] = [];
  let depth = 0;
  let bracket = false;
  let partStart = start;
  for (let i = start; i < end; i++) {
    const ch = value[i];
    if (ch === '$' && value[i + 1] === '{') {
      depth++;
      i++;
    } else if (ch === '}' && depth > 0) {
      depth--;
    } else if (ch === '[' && depth === 0) {
      bracket = true;
    } else if (ch === ']' && depth === 0) {
      bracket = false;
    } else if (ch === separator && depth === 0 && !bracket) {
      spans.push({ start: partStart, end: i });
      partStart = i + 1;
    }
  }
  spans.push({ start: partStart, end });
  return spans;
}

/** A port, a range or an interpolation (`${VAR:-8080}`) between `start` and `end`; undefined when none is written. */
function parsePortToken(value: string, start: number, end: number, env?: ComposeEnv): PortToken | undefined {
  while (start < end && /\s/.test(value.charAt(start))) {
    start++;
  }
  while (end > start && /\s/.test(value.charAt(end - 1))) {
    end--;
  }
  const written = value.slice(start, end);
  if (!written.includes('$')) {
    const number = parsePortNumber(written);
    return number ? { ...number, start, end } : undefined;
  }
  const result = interpolate(written, composeLookup(env));
  const number = result.error === undefined ? parsePortNumber(result.value.trim()) : undefined;
  if (!number) {
    return undefined;
  }
  const token: PortToken = { ...number, start, end };
  // The variable whose own value became the number; else the one whose default (or alternative) did.
  const supplier = [...result.uses].reverse().find((use) => use.source && use.written === undefined);
  const fallback = result.uses.find((use) => use.written !== undefined);
  const use = supplier ?? fallback ?? result.uses[0];
  if (use) {
    token.variable = use.name;
  }
  // `${TLS:+8443}`: the number is written here, and used because TLS is set where it is.
  const setBy = supplier ?? (fallback?.written === 'alternative' ? fallback : undefined);
  if (setBy?.source) {
    if (setBy.source.file === undefined) {
      token.envProcess = true;
    } else {
      token.envFile = setBy.source.file;
      token.envLine = setBy.source.line;
    }
  }
  if (!supplier && fallback) {
    if (fallback.written === 'default') {
      token.isDefault = true;
    } else {
      token.isAlternative = true;
    }
    // A default or alternative written as digits (`${WEB_PORT:-8086}`) is where the number is: the range holds it.
    const digits = result.value.trim();
    const at = written.lastIndexOf(digits);
    if (digits !== '' && at >= 0) {
      token.start = start + at;
      token.end = token.start + digits.length;
    }
  }
  return token;
}

function parsePortNumber(written: string): { port: number; portEnd?: number } | undefined {
  if (/^-?\d+$/.test(written)) {
    return { port: Number(written) };
  }
  const range = /^(\d+)-(\d+)$/.exec(written);
  return range ? { port: Number(range[1]), portEnd: Number(range[2]) } : undefined;
}

/** How Compose reads variables for a file with `env`: the process environment, then the `.env`. */
export function composeLookup(env: ComposeEnv | undefined): EnvLookup {
  return layeredLookup(env?.process, env ? [env] : []);
}

/** `[::1]` → `::1`, interpolated as Compose does; an address that cannot be read stays undefined. */
function normalizeAddress(address: string, env?: ComposeEnv): string | undefined {
  let written = address.trim();
  if (written.includes('$')) {
    const result = interpolate(written, composeLookup(env));
    if (result.error !== undefined) {
      return undefined;
    }
    written = result.value.trim();
  }
  if (written.startsWith('[') && written.endsWith(']')) {
    written = written.slice(1, -1);
  }
  return written === '' ? undefined : written;
}

function uniqueSorted(mentions: PortMention[]): PortMention[] {
  // An anchor shared by two services yields one mention per service at the same characters; only
  // exact repeats (same characters, service and role) are dropped.
  // After the sort, mentions at the same characters are neighbours: a repeat can only be in that run.
  const result: PortMention[] = [];
  let runStart = 0;
  for (const mention of mentions.sort(compareMentions)) {
    const last = result[result.length - 1];
    if (last && (last.range.start !== mention.range.start || last.range.end !== mention.range.end)) {
      runStart = result.length;
    }
    let repeat = false;
    for (let i = runStart; i < result.length && !repeat; i++) {
      const kept = result[i]!;
      repeat =
        (kept.service ?? '') === (mention.service ?? '') &&
        kept.role === mention.role &&
        kept.port === mention.port;
    }
    if (!repeat) {
      result.push(mention);
    }
  }
  return result;
}

/** compose.yaml, compose.yml, compose.prod.yaml, docker-compose.yml, docker-compose.override.yml … */
export function isComposeFileName(filePath: string): boolean {
  return COMPOSE_NAME.test(baseName(filePath));
}

const COMPOSE_NAME = /^(?:docker-)?compose(?:[.-][^/\\]+)?\.ya?ml$/i;

/** The files in one folder that `docker compose` combines. */
export interface ComposeFamily {
  /** The file Compose loads by default there (compose.yaml, then compose.yml, docker-compose.yaml, docker-compose.yml). */
  base?: string;
  /** Files merged over the base: compose.override.* automatically, the other `*.NAME.yml` with `-f`. */
  overrides: string[];
}

const DEFAULT_BASES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** Sorts a folder's compose files into the default base and the files layered over it. */
export function composeFamily(filePath: string, siblingNames: readonly string[]): ComposeFamily {
  const folder = folderOf(filePath);
  const names = new Set([baseName(filePath), ...siblingNames.map(baseName)].filter(isComposeFileName));
  const lowerToName = new Map([...names].map((name) => [name.toLowerCase(), name]));
  const baseNameFound = DEFAULT_BASES.map((candidate) => lowerToName.get(candidate)).find(
    (name) => name !== undefined,
  );
  const overrides = [...names]
    .filter((name) => !DEFAULT_BASES.includes(name.toLowerCase()))
    .sort((a, b) => overrideOrder(a) - overrideOrder(b) || a.localeCompare(b))
    .map((name) => folder + name);
  return { base: baseNameFound === undefined ? undefined : folder + baseNameFound, overrides };
}

/**
 * The files whose services run together with `filePath`'s in one `docker compose` project: for the
 * base file, itself and every override; for an override, the base and that override (alternative
 * overrides such as `.dev` and `.prod` are not combined with each other). Always includes `filePath`.
 */
export function composeProjectFiles(filePath: string, siblingNames: readonly string[]): string[] {
  const family = composeFamily(filePath, siblingNames);
  const self = folderOf(filePath) + baseName(filePath);
  if (family.base === undefined) {
    return [self];
  }
  if (family.base === self) {
    return [family.base, ...family.overrides];
  }
  return [family.base, self];
}

function overrideOrder(name: string): number {
  // compose.override.* is the one Compose applies without being asked; list it first.
  return /^(?:docker-)?compose\.override\.ya?ml$/i.test(name) ? 0 : 1;
}

function baseName(filePath: string): string {
  const cut = Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\'));
  return filePath.slice(cut + 1);
}

function folderOf(filePath: string): string {
  const cut = Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\'));
  return filePath.slice(0, cut + 1);
}
