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
import { compareMentions } from './mention';
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
  const mentions: PortMention[] = [];
  try {
    for (const doc of parseYamlDocuments(text)) {
      const root = asMap(doc.contents, doc);
      if (!root) {
        continue;
      }
      const services = composeServices(root, doc);
      const byName = new Map(services);
      const read: ValuesRead = new Set();
      for (const [name, service] of services) {
        collectServicePorts(name, service, doc, text, mentions, read, env);
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
      }
    }
  } catch (error) {
    // A finder never breaks the caller; what was collected before the surprise still counts.
    rethrowIfTooComplex(error);
    logFailure('the compose finder', error);
  }
  return uniqueSorted(mentions);
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
): void {
  const first = out.length;
  collectServicePortsOf(service, definition, doc, text, out, read, env);
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
      out[i].build ??= build;
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
): void {
  spendWork(1);
  const networkMode = asScalar(mapGet(definition, 'network_mode', doc), doc)?.value;
  // With the host's network stack the container binds host ports itself and Compose ignores
  // the published side of `ports:`.
  const hostNetwork = networkMode === 'host';

  for (const item of seqItems(asSeq(mapGet(definition, 'ports', doc), doc), doc)) {
    if (isMap(item)) {
      collectLongPort(service, item, doc, text, hostNetwork, out, env);
    } else if (isScalar(item)) {
      collectShortPort(service, item, text, hostNetwork, out, env);
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

  const facts: ValueFacts = { service, hostNetwork, read };
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
}

/**
 * The variables Compose interpolates from the project's `.env` (the folder of the compose file):
 * `$SENTRY_BIND:80` publishes the host port `.env` sets. Shell variables are not read: a check
 * must not depend on the machine running it.
 */
export interface ComposeEnv {
  /** The file the values come from, as shown in hovers: `.env`. */
  file: string;
  values: ReadonlyMap<string, string>;
  /** The 1-based line of each variable in `file`, for hovers: "`.env` line 2". */
  lines?: ReadonlyMap<string, number>;
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
): void {
  const source = scalarSource(item, text);
  if (!source) {
    return;
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
    host = normalizeAddress(address);
  }
  const target = parsePortToken(value, containerPart.start, containerPart.end, env);
  const published = hostPart ? parsePortToken(value, hostPart.start, hostPart.end, env) : undefined;
  const syntax = shortSyntax(item, source, value, body.end, hostNetwork);
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
  if (syntax && out.length > first) {
    // Once per entry, on its first side (the published one when written).
    out[first]!.syntax = syntax;
  }
}

/** What the rules judge about how a short-syntax entry is written. */
function shortSyntax(
  item: Scalar,
  source: ScalarSource,
  value: string,
  bodyEnd: number,
  hostNetwork: boolean,
): MentionSyntax | undefined {
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
  return syntax.plain || syntax.protocol || syntax.hostNetwork ? syntax : undefined;
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
): void {
  const protocolValue = asScalar(mapGet(item, 'protocol', doc), doc)?.value;
  const protocol = typeof protocolValue === 'string' ? toProtocol(protocolValue) : 'tcp';
  const hostIpValue = asScalar(mapGet(item, 'host_ip', doc), doc)?.value;
  const host = typeof hostIpValue === 'string' ? normalizeAddress(hostIpValue) : undefined;

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
  }
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

const INTERPOLATION = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-=])([^}]*)\}$/;
const BARE_VARIABLE = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/;

/** A port, a range or `${VAR:-default}` between `start` and `end`; undefined when none is written. */
function parsePortToken(value: string, start: number, end: number, env?: ComposeEnv): PortToken | undefined {
  while (start < end && /\s/.test(value.charAt(start))) {
    start++;
  }
  while (end > start && /\s/.test(value.charAt(end - 1))) {
    end--;
  }
  const written = value.slice(start, end);
  const interpolation = INTERPOLATION.exec(written);
  const bare = interpolation ? undefined : BARE_VARIABLE.exec(written);
  const variable = interpolation?.[1] ?? bare?.[1] ?? bare?.[2];
  const fromEnv = variable !== undefined ? env?.values.get(variable) : undefined;
  if (variable !== undefined && fromEnv !== undefined && fromEnv !== '') {
    // As Compose does: the `.env` value wins over the default written after `:-`.
    const resolved = parsePortToken(fromEnv, 0, fromEnv.length);
    return resolved
      ? { ...resolved, start, end, variable, envFile: env!.file, envLine: env!.lines?.get(variable) }
      : undefined;
  }
  if (interpolation) {
    const defaultStart = start + written.length - 1 - interpolation[2]!.length;
    const inner = parsePortToken(value, defaultStart, end - 1);
    return inner ? { ...inner, variable: interpolation[1], isDefault: true } : undefined;
  }
  if (BARE_VARIABLE.test(written)) {
    return undefined;
  }
  const single = /^-?\d+$/.exec(written);
  if (single) {
    return { port: Number(written), start, end };
  }
  const range = /^(\d+)-(\d+)$/.exec(written);
  if (range) {
    return { port: Number(range[1]), portEnd: Number(range[2]), start, end };
  }
  return undefined;
}

/** `[::1]` → `::1`; an interpolated address counts by its default; unknown stays undefined. */
function normalizeAddress(address: string): string | undefined {
  let written = address.trim();
  const interpolation = INTERPOLATION.exec(written);
  if (interpolation) {
    written = interpolation[2]!.trim();
  } else if (written.includes('$')) {
    return undefined;
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
