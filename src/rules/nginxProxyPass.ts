// `nginx-proxy-pass-unserved`: nginx passes requests to a loopback port that nothing in the workspace
// serves, while the workspace does hold the application (it listens on, publishes or configures other
// ports). That is drift: the app moved to 3001 and the proxy still says 3000. A workspace that holds
// only nginx configs says nothing about where the backend lives, so the rule stays silent there, and
// so it does when something on this machine listens on the port right now.
import type { TextRange } from '../model/text';
import { isLoopbackHost } from '../model/host';
import { isValidPort } from '../model/port';
import { formatPlain } from '../model/translate';
import type { PortMention } from '../scan/mention';
import { forEachSpannedPort, formatAddress, isSuppressed, portSpan, protocolOf } from './claims';
import type { FileMentions, Finding, RelatedClaim, Rule, RuleContext } from './types';

type Draft = Omit<Finding, 'severity'>;

/** Where a port is served, for the nearest-port hint. */
export interface ServedAt {
  file: string;
  range: TextRange;
}

export interface ServedPorts {
  /** TCP ports something in the workspace listens on, publishes, exposes or configures, with one place each. */
  ports: ReadonlyMap<number, ServedAt>;
  /** Whether any of them comes from a file that is not an nginx config: the application is here. */
  byApplication: boolean;
}

/** A served port this close to the proxied one is named as the likely intended target. */
const NEAR = 100;

function serves(mention: PortMention): boolean {
  return (
    mention.role === 'listen' ||
    mention.role === 'publish' ||
    mention.role === 'expose' ||
    mention.role === 'setting'
  );
}

/** Ports the workspace serves (one walk, kept by the index until the next change). */
export function servedPorts(files: Iterable<FileMentions>): ServedPorts {
  const ports = new Map<number, ServedAt>();
  let byApplication = false;
  for (const f of files) {
    for (const m of f.mentions) {
      if (!portSpan(m) || !serves(m) || protocolOf(m) !== 'tcp') {
        continue;
      }
      if (f.kind !== 'nginx') {
        byApplication = true;
      }
      forEachSpannedPort(m, (p) => {
        if (!ports.has(p)) {
          ports.set(p, { file: f.file, range: m.range });
        }
      });
    }
  }
  return { ports, byApplication };
}

function nearestServed(port: number, served: ServedPorts): [number, ServedAt] | undefined {
  for (let d = 1; d <= NEAR; d++) {
    for (const candidate of [port - d, port + d]) {
      const at = served.ports.get(candidate);
      if (at) {
        return [candidate, at];
      }
    }
  }
  return undefined;
}

export const nginxProxyPassUnservedRule: Rule = {
  id: 'nginx-proxy-pass-unserved',
  defaultSeverity: 'information',
  check({ file, workspace, live, t = formatPlain }: RuleContext): Draft[] {
    if (file.kind !== 'nginx') {
      return [];
    }
    // `proxy_pass http://NAME` whose upstream another file read with this one defines (not guesses).
    const throughIncludes = (workspace.nginxIncludes?.().passesThrough(file.file) ?? [])
      .filter((p) => !p.inferred)
      .map((p) => p.mention);
    const targets = [...file.mentions, ...throughIncludes].filter(
      (m) =>
        m.kind === 'nginx' &&
        m.role === 'connect' &&
        m.portEnd === undefined &&
        protocolOf(m) === 'tcp' &&
        isLoopbackHost(m.host) &&
        !isSuppressed(m, 'nginx-proxy-pass-unserved'),
    );
    if (targets.length === 0) {
      return [];
    }
    const served = workspace.servedPorts();
    if (!served.byApplication) {
      return [];
    }
    const findings: Draft[] = [];
    for (const mention of targets) {
      if (
        !isValidPort(mention.port) ||
        served.ports.has(mention.port) ||
        (live?.holders(mention.port, 'tcp')?.length ?? 0) > 0
      ) {
        continue;
      }
      const address = formatAddress(mention.host ?? '127.0.0.1', String(mention.port));
      // `proxy_pass http://backend` reaches the port through `upstream backend`: say so.
      const socket =
        mention.upstream !== undefined ? t('upstream {0} ({1})', mention.upstream, address) : address;
      const related: RelatedClaim[] = [];
      const near = nearestServed(mention.port, served);
      if (near) {
        related.push({
          file: near[1].file,
          range: near[1].range,
          message: t('the workspace serves {0} here', near[0]),
        });
      }
      findings.push({
        rule: 'nginx-proxy-pass-unserved',
        message: [
          near
            ? t(
                'nginx passes requests to {0}, but nothing in this workspace serves port {1}; the nearest port it serves is {2}.',
                socket,
                mention.port,
                near[0],
              )
            : t(
                'nginx passes requests to {0}, but nothing in this workspace serves port {1}.',
                socket,
                mention.port,
              ),
          ...(live ? [t('Nothing listens on it on this machine either.')] : []),
          t('Point the proxy at the port the application listens on.'),
        ].join(' '),
        file: file.file,
        range: mention.range,
        related,
        mention,
      });
    }
    return findings;
  },
};
