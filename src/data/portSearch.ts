// Finding a port by what a person remembers of it: its number, a service name (`postgresql`), or a
// common use (`redis`, `kafka`). Team names first, then curated common uses, then IANA's registry.
import { isValidPort, type Protocol } from '../model/port';
import { COMMON_PORTS } from './commonUses';
import { ianaEntries } from './iana';
import { serviceName } from './registry';

export interface PortSearchHit {
  port: number;
  /** The name to show: team name, common use, or IANA service name. */
  name?: string;
  /** What the name matched: a common use's detail, IANA's description. */
  detail?: string;
  /** Where the match came from; the quick pick groups by it. */
  source: 'number' | 'team' | 'common' | 'iana';
}

export interface PortSearchOptions {
  customPorts?: Readonly<Record<string, string>>;
  /** At most this many hits (default 50). */
  limit?: number;
}

interface Scored extends PortSearchHit {
  score: number;
}

/** 3 for the whole text, 2 for a word start, 1 anywhere inside, 0 not at all. */
function matchScore(text: string | undefined, query: string): number {
  if (!text) {
    return 0;
  }
  const lower = text.toLowerCase();
  if (lower === query) {
    return 3;
  }
  const at = lower.indexOf(query);
  if (at < 0) {
    return 0;
  }
  return at === 0 || !/[a-z0-9]/.test(lower.charAt(at - 1)) ? 2 : 1;
}

const SOURCE_WEIGHT: Record<PortSearchHit['source'], number> = { number: 40, team: 30, common: 20, iana: 10 };

let ianaList: Array<{ port: number; name: string; description: string }> | undefined;

/** IANA's named entries of TCP and UDP, once per process (about ten thousand rows). */
function ianaNamed(): Array<{ port: number; name: string; description: string }> {
  if (!ianaList) {
    ianaList = [];
    const protocols: Protocol[] = ['tcp', 'udp'];
    for (const protocol of protocols) {
      for (const entry of ianaEntries(protocol)) {
        if (entry.name) {
          ianaList.push({ port: entry.port, name: entry.name, description: entry.description });
        }
      }
    }
  }
  return ianaList;
}

/** Ports matching `query`, best first, one hit per port. */
export function searchPorts(query: string, options: PortSearchOptions = {}): PortSearchHit[] {
  const q = query.trim().toLowerCase().replace(/^:/, '');
  const limit = options.limit ?? 50;
  if (q.length === 0) {
    return [];
  }
  const best = new Map<number, Scored>();
  const offer = (hit: PortSearchHit, match: number): void => {
    if (match === 0) {
      return;
    }
    const score = SOURCE_WEIGHT[hit.source] + match * 5;
    const previous = best.get(hit.port);
    if (!previous || previous.score < score) {
      best.set(hit.port, { ...hit, score });
    }
  };
  if (/^\d+$/.test(q)) {
    const port = Number(q);
    if (isValidPort(port)) {
      offer({ port, name: serviceName(port, undefined, options), source: 'number' }, 3);
    }
    // Ports whose number starts with the digits typed, for a partly remembered number.
    for (const entry of COMMON_PORTS) {
      if (entry.port !== port && String(entry.port).startsWith(q)) {
        offer({ port: entry.port, name: entry.uses[0]?.label, source: 'common' }, 1);
      }
    }
  } else {
    for (const [key, name] of Object.entries(options.customPorts ?? {})) {
      const port = Number(key.split('/')[0]);
      if (isValidPort(port)) {
        offer({ port, name, source: 'team' }, matchScore(name, q));
      }
    }
    for (const entry of COMMON_PORTS) {
      for (const use of entry.uses) {
        const byLabel = matchScore(use.label, q);
        const byDetail = matchScore(use.detail, q);
        offer(
          { port: entry.port, name: use.label, detail: use.detail, source: 'common' },
          byLabel > 0 ? byLabel : byDetail > 0 ? 1 : 0,
        );
      }
    }
    for (const entry of ianaNamed()) {
      const byName = matchScore(entry.name, q);
      const byDescription = matchScore(entry.description, q);
      offer(
        { port: entry.port, name: entry.name, detail: entry.description, source: 'iana' },
        byName > 0 ? byName : byDescription > 0 ? 1 : 0,
      );
    }
  }
  return [...best.values()]
    .sort((a, b) => b.score - a.score || a.port - b.port)
    .slice(0, limit)
    .map(({ score: _score, ...hit }) => hit);
}
