// The registry's one door: everything hover, rules, tree and CLI want to know about a port number.
// Cheap to import; IANA's tables are decoded on the first lookup that needs them.
import { isPortNumber, isValidPort, MAX_PORT, type Protocol } from '../model/port';
import { formatPlain } from '../model/translate';
import {
  commonPort,
  commonPortSpeaks,
  type CommonPort,
  type CommonUse,
  type PortCategory,
} from './commonUses';
import { ianaEntry, type IanaEntry } from './iana';
import {
  describeRange,
  knownRangesAt,
  type KnownPortRange,
  type RangeClass,
  type RangeOptions,
} from './ranges';
import { securityNotesFor } from './security';

export type { CommonUse, PortCategory } from './commonUses';
export type { IanaEntry } from './iana';
export type { KnownPortRange, RangeClass, RangeFacts, RangeOptions } from './ranges';
export { describeRange, knownRangesAt, rangeClass } from './ranges';

export interface DescribeOptions extends RangeOptions {
  /** `portolan.customPorts`: `{ "4000": "billing-api", "5353/udp": "..." }`; shown before anything else. */
  customPorts?: Readonly<Record<string, string>>;
}

export type RegistryOptions = DescribeOptions;

/** An IANA entry plus every protocol that carries exactly the same name and description. */
export interface IanaService extends IanaEntry {
  protocols: Protocol[];
}

export interface PortInfo {
  port: number;
  /** As asked; absent means "any transport" and IANA entries of each protocol are listed. */
  protocol?: Protocol;
  /** The team's own name from `portolan.customPorts`. */
  team?: string;
  iana: IanaService[];
  common: CommonUse[];
  category?: PortCategory;
  rangeClass: RangeClass;
  /** The band's meaning in one sentence. */
  rangeNote: string;
  /** rangeNote plus privilege, ephemeral-range and known-range explanations. */
  rangeNotes: string[];
  /** The privilege sentence of rangeNotes, when binding needs privileges. */
  privilegeNote?: string;
  /** The ephemeral-range sentence of rangeNotes, when the port is in that range. */
  ephemeralNote?: string;
  /** Binding needs root or CAP_NET_BIND_SERVICE under the given threshold. */
  privileged: boolean;
  /** Inside the ephemeral range. */
  ephemeral: boolean;
  knownRanges: KnownPortRange[];
  security: string[];
  /** Must not face the internet (databases, caches, admin APIs, debuggers). */
  sensitive: boolean;
  /** Speaks TLS by convention. */
  tls: boolean;
  /** Scheme to open it in a browser with, when it serves HTTP. */
  scheme?: 'http' | 'https';
  /** IANA's search page for the number; absent for numbers that are not ports. */
  ianaUrl?: string;
}

const PROTOCOL_ORDER: readonly Protocol[] = ['tcp', 'udp', 'sctp'];
const SENSITIVE_CATEGORIES: ReadonlySet<PortCategory> = new Set<PortCategory>([
  'database',
  'cache',
  'queue',
  'search',
  'debug',
]);
/** Privileged ports whose unprivileged stand-in is not simply port + 8000. */
const UNPRIVILEGED_ALTERNATIVES: ReadonlyMap<number, number> = new Map([
  [21, 2121],
  [22, 2222],
  [25, 2525],
  // 5353 would collide with mDNS.
  [53, 8053],
  [80, 8080],
  [443, 8443],
]);

export function ianaUrl(port: number): string {
  return `https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.xhtml?search=${port}`;
}

/** The team's name for the port: `"4000/udp"` wins over `"4000"` for UDP; keys may carry spaces. */
export function teamName(
  port: number,
  protocol: Protocol | undefined,
  customPorts: Readonly<Record<string, string>> | undefined,
): string | undefined {
  if (!customPorts || !isPortNumber(port)) {
    return undefined;
  }
  const candidates = protocol
    ? [`${port}/${protocol}`, String(port)]
    : [String(port), `${port}/tcp`, `${port}/udp`];
  for (const key of candidates) {
    const name = customPorts[key];
    if (typeof name === 'string' && name.trim() !== '') {
      return name.trim();
    }
  }
  // Tolerate hand-written keys like " 4000 " or "4000/TCP" without normalizing on every lookup.
  for (const [key, name] of Object.entries(customPorts)) {
    const match = /^\s*(\d+)\s*(?:\/\s*([a-z]+)\s*)?$/i.exec(key);
    if (
      match &&
      Number(match[1]) === port &&
      (!match[2] || !protocol || match[2].toLowerCase() === protocol)
    ) {
      if (typeof name === 'string' && name.trim() !== '') {
        return name.trim();
      }
    }
  }
  return undefined;
}

function curatedFor(port: number, protocol: Protocol | undefined): CommonPort | undefined {
  const entry = isPortNumber(port) ? commonPort(port) : undefined;
  return entry && (protocol === undefined || commonPortSpeaks(entry, protocol)) ? entry : undefined;
}

function ianaServices(port: number, protocol: Protocol | undefined): IanaService[] {
  const services: IanaService[] = [];
  for (const candidate of protocol ? [protocol] : PROTOCOL_ORDER) {
    const entry = ianaEntry(port, candidate);
    if (!entry) {
      continue;
    }
    const same = services.find((s) => s.name === entry.name && s.description === entry.description);
    if (same) {
      same.protocols.push(candidate);
    } else {
      services.push({ ...entry, protocols: [candidate] });
    }
  }
  return services;
}

function sensitiveEntry(entry: CommonPort | undefined): boolean {
  if (!entry) {
    return false;
  }
  return entry.sensitive ?? (entry.category !== undefined && SENSITIVE_CATEGORIES.has(entry.category));
}

/** Must not face the internet: databases, caches, queues, admin APIs, debuggers. */
export function isSensitiveWhenPublic(port: number, protocol?: Protocol): boolean {
  return sensitiveEntry(curatedFor(port, protocol));
}

/** Speaks TLS from the first byte by convention (443, 8443, 6443, 993, ...); STARTTLS ports are not. */
export function isTlsPort(port: number): boolean {
  return curatedFor(port, undefined)?.tls === true;
}

/** How a browser should open the port, when it conventionally serves HTTP; undefined when unknown or not web. */
export function browserScheme(port: number): 'http' | 'https' | undefined {
  const entry = curatedFor(port, undefined);
  if (!entry?.web) {
    return undefined;
  }
  return entry.tls ? 'https' : 'http';
}

export function portCategory(port: number, protocol?: Protocol): PortCategory | undefined {
  return curatedFor(port, protocol)?.category;
}

/**
 * Where people move a privileged service to run it without root: 80→8080, 443→8443, 22→2222,
 * otherwise port + 8000. Undefined when the port needs no privileges (or is not a port).
 */
export function usualUnprivilegedAlternative(port: number, unprivilegedStart = 1024): number | undefined {
  if (!isValidPort(port) || port >= unprivilegedStart) {
    return undefined;
  }
  const alternative = UNPRIVILEGED_ALTERNATIVES.get(port) ?? port + 8000;
  return alternative >= unprivilegedStart && alternative <= MAX_PORT ? alternative : undefined;
}

/** The single best short name for tables: team name > common use > IANA name > IANA range. */
export function serviceName(
  port: number,
  protocol?: Protocol,
  options: DescribeOptions = {},
): string | undefined {
  if (!isPortNumber(port)) {
    return undefined;
  }
  const team = teamName(port, protocol, options.customPorts);
  if (team) {
    return team;
  }
  const curated = curatedFor(port, protocol);
  if (curated && curated.uses.length > 0) {
    return curated.uses[0]!.label;
  }
  for (const candidate of protocol ? [protocol] : PROTOCOL_ORDER) {
    const name = ianaEntry(port, candidate)?.name;
    if (name) {
      return name;
    }
  }
  // Ranges IANA registers as one row (X11 6000–6063) have no per-port entry in port-numbers.
  return knownRangesAt(port, protocol).find((range) => range.source === 'iana')?.label;
}

/** Well-known uses that never serve a browser: their listeners are not sent an HTTP probe. */
const NOT_WEB_CATEGORIES = new Set([
  'database',
  'cache',
  'queue',
  'messaging',
  'mail',
  'remote-access',
  'directory',
  'name-service',
  'file-sharing',
  'vpn',
  'game',
]);

/** True when the port's well-known use is a database, a mail server, SSH… and not a web page. */
export function isNonWebPort(port: number, protocol: Protocol = 'tcp'): boolean {
  const entry = curatedFor(port, protocol);
  return (
    entry !== undefined &&
    entry.web !== true &&
    entry.category !== undefined &&
    NOT_WEB_CATEGORIES.has(entry.category)
  );
}

/** Words of common-use labels that name no program ("Gatsby dev server" is not `node server.js`). */
const GENERIC_WORDS = new Set(['dev', 'server', 'web', 'app', 'local', 'api', 'admin', 'the', 'and', 'cli']);

/** Who holds a live port, as far as the name on its row depends on it. */
export interface LiveHolder {
  /** `python manage.py runserver`, `postgres`: see processIdentity. */
  identity: string;
  /** The language runtime running it (`python`, `node`), when it is an interpreter. */
  runtime?: string;
}

/**
 * The service name a live row shows next to its process, only when it helps: the team's name, or a
 * well-known use that fits the holder (a Python process on 8000 is Django, never Gatsby; a Node
 * process on 3000 is not Grafana). A bare registry name ("ultraseek-http" on a Python dev server)
 * is left to the tooltip, unless nobody visible holds the port and it is the only hint.
 */
export function liveServiceName(
  port: number,
  protocol: Protocol,
  holder: LiveHolder | undefined,
  options: DescribeOptions = {},
): string | undefined {
  const team = teamName(port, protocol, options.customPorts);
  if (team) {
    return team;
  }
  if (!holder) {
    return serviceName(port, protocol, options);
  }
  const entry = curatedFor(port, protocol);
  const fitting = (entry?.uses ?? []).filter((use) =>
    holder.runtime ? use.runtime === holder.runtime : !use.runtime,
  );
  // The interpreter's own name ("python") would match every use of its language: match the rest.
  const own = (holder.runtime ? holder.identity.replace(/^\S+\s*/, '') : holder.identity).toLowerCase();
  const named = fitting.find((use) =>
    use.label
      .toLowerCase()
      .split(/[^a-z0-9.]+/)
      .some((word) => word.length >= 3 && !GENERIC_WORDS.has(word) && own.includes(word)),
  );
  if (named) {
    return named.label;
  }
  // Dev-server ports are shared by many frameworks: only a use the process names is worth showing.
  return entry?.category === 'dev' ? undefined : fitting[0]?.label;
}

export function describePort(port: number, protocol?: Protocol, options: DescribeOptions = {}): PortInfo {
  const range = describeRange(port, options, protocol);
  if (range.rangeClass === 'invalid') {
    return {
      port,
      ...(protocol ? { protocol } : {}),
      iana: [],
      common: [],
      rangeClass: range.rangeClass,
      rangeNote: range.note,
      rangeNotes: range.notes,
      privileged: false,
      ephemeral: false,
      knownRanges: [],
      security: [],
      sensitive: false,
      tls: false,
    };
  }
  const curated = curatedFor(port, protocol);
  const iana = ianaServices(port, protocol);
  const team = teamName(port, protocol, options.customPorts);
  const sensitive = sensitiveEntry(curated);
  const t = options.t ?? formatPlain;
  const notes = securityNotesFor(port, protocol, t);
  const security = notes.map((note) => note.text);
  if (
    sensitive &&
    !notes.some((note) => note.concern === 'exposure' || note.concern === 'remote-code-execution')
  ) {
    security.push(t('keep this service off public interfaces: bind it to 127.0.0.1 or a private network'));
  }
  const tls = curated?.tls === true;
  const info: PortInfo = {
    port,
    iana,
    common: curated ? [...curated.uses] : [],
    rangeClass: range.rangeClass,
    rangeNote: range.note,
    rangeNotes: range.notes,
    privileged: range.privileged,
    ephemeral: range.ephemeral,
    knownRanges: range.knownRanges,
    ...(range.privilegeNote !== undefined ? { privilegeNote: range.privilegeNote } : {}),
    ...(range.ephemeralNote !== undefined ? { ephemeralNote: range.ephemeralNote } : {}),
    security,
    sensitive,
    tls,
    ianaUrl: ianaUrl(port),
  };
  if (protocol) {
    info.protocol = protocol;
  }
  if (team) {
    info.team = team;
  }
  if (curated?.category) {
    info.category = curated.category;
  }
  if (curated?.web) {
    info.scheme = tls ? 'https' : 'http';
  }
  return info;
}
