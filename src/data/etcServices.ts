// The machine's own services(5) database: names local packages added that IANA does not know.
// Pure: the caller reads /etc/services (or C:\Windows\System32\drivers\etc\services) and passes the text.
import { MAX_PORT, type Protocol } from '../model/port';

export interface EtcService {
  name: string;
  port: number;
  protocol: Protocol;
  aliases: string[];
  /** Text after `#` on the entry's line, when there is any. */
  comment?: string;
}

/** Keyed by `port/protocol`, e.g. `"5432/tcp"`. */
export type EtcServiceNames = ReadonlyMap<string, EtcService>;

export function etcServiceKey(port: number, protocol: Protocol): string {
  return `${port}/${protocol}`;
}

const PROTOCOLS: ReadonlySet<string> = new Set(['tcp', 'udp', 'sctp']);

/**
 * Parses services(5) text: `name port/protocol [aliases...] [# comment]`.
 * The first line for a port/protocol wins, as getservbyport(3) returns it; malformed lines are skipped.
 */
export function parseEtcServices(text: string): Map<string, EtcService> {
  const services = new Map<string, EtcService>();
  for (const line of text.split(/\r?\n/)) {
    const hash = line.indexOf('#');
    const body = hash >= 0 ? line.slice(0, hash) : line;
    const fields = body.trim().split(/\s+/);
    if (fields.length < 2 || fields[0] === '') {
      continue;
    }
    const match = /^(\d{1,5})\/([A-Za-z]+)$/.exec(fields[1]);
    if (!match) {
      continue;
    }
    const port = Number(match[1]);
    const protocol = match[2].toLowerCase();
    if (port > MAX_PORT || !PROTOCOLS.has(protocol)) {
      continue;
    }
    const key = etcServiceKey(port, protocol as Protocol);
    if (services.has(key)) {
      continue;
    }
    const comment = hash >= 0 ? line.slice(hash + 1).trim() : '';
    services.set(key, {
      name: fields[0],
      port,
      protocol: protocol as Protocol,
      aliases: fields.slice(2),
      ...(comment ? { comment } : {}),
    });
  }
  return services;
}
