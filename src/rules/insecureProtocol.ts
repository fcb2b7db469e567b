// `insecure-protocol`: the file serves a protocol that has no encryption at all (Telnet, FTP, ...).
import type { PortMention } from '../scan/mention';
import { isValidPort } from '../model/port';
import { formatPlain } from '../model/translate';
import { isSuppressed, protocolOf } from './claims';
import { cleartextService } from './portFacts';
import type { Finding, Rule, RuleContext } from './types';

type Draft = Omit<Finding, 'severity'>;

/** The port whose protocol is served: a mapping serves its container side. */
function servedPort(mention: PortMention): number | undefined {
  switch (mention.role) {
    case 'listen':
    case 'expose':
      return mention.port;
    case 'publish':
      return mention.counterpart?.port ?? mention.port;
    default:
      return undefined;
  }
}

export const insecureProtocolRule: Rule = {
  id: 'insecure-protocol',
  defaultSeverity: 'hint',
  check({ file, t = formatPlain }: RuleContext): Draft[] {
    const findings: Draft[] = [];
    for (const mention of file.mentions) {
      const port = servedPort(mention);
      if (port === undefined || !isValidPort(port) || mention.portEnd !== undefined) {
        continue;
      }
      const service = cleartextService(port, protocolOf(mention), t);
      if (!service || isSuppressed(mention, 'insecure-protocol')) {
        continue;
      }
      findings.push({
        rule: 'insecure-protocol',
        message: service.note
          ? t('This serves {0} on port {1}: {2}.', service.name, port, service.note)
          : t(
              'This serves {0} on port {1}, which sends passwords and data in cleartext; use {2} instead.',
              service.name,
              port,
              service.instead,
            ),
        file: file.file,
        range: mention.range,
        related: [],
        mention,
      });
    }
    return findings;
  },
};
