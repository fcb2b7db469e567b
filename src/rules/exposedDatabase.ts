// `exposed-database`: Compose publishes a database, cache or admin port on every interface.
import type { PortMention } from '../scan/mention';
import { isWildcardHost } from '../model/host';
import { isValidPort } from '../model/port';
import { formatPlain } from '../model/translate';
import { isSuppressed, protocolOf } from './claims';
import { isDataOrAdminPort, serviceLabel } from './portFacts';
import type { Finding, Rule, RuleContext } from './types';

type Draft = Omit<Finding, 'severity'>;

/** The port the published traffic reaches: the container side when the mapping names one. */
function servedPort(mention: PortMention): number {
  return mention.counterpart?.port ?? mention.port;
}

export const exposedDatabaseRule: Rule = {
  id: 'exposed-database',
  defaultSeverity: 'warning',
  check({ file, t = formatPlain }: RuleContext): Draft[] {
    const findings: Draft[] = [];
    for (const mention of file.mentions) {
      if (
        mention.kind !== 'compose' ||
        mention.role !== 'publish' ||
        isSuppressed(mention, 'exposed-database')
      ) {
        continue;
      }
      if (!isWildcardHost(mention.host) || protocolOf(mention) !== 'tcp') {
        continue;
      }
      const served = servedPort(mention);
      if (!isValidPort(served) || !isDataOrAdminPort(served, mention.image, mention)) {
        continue;
      }
      const label = serviceLabel(served, mention.image, mention) ?? t('port {0}', served);
      const exposed =
        mention.service !== undefined
          ? t(
              'Service "{0}" publishes {1} on all interfaces (host port {2}), so anyone who can reach this machine can try it, and Docker\'s published ports bypass ufw/firewalld rules.',
              mention.service,
              label,
              mention.port,
            )
          : t(
              "This publishes {0} on all interfaces (host port {1}), so anyone who can reach this machine can try it, and Docker's published ports bypass ufw/firewalld rules.",
              label,
              mention.port,
            );
      const remedy = t(
        'Bind it to loopback ("127.0.0.1:{0}:{1}") or drop the mapping and use the Compose network.',
        mention.port,
        served,
      );
      findings.push({
        rule: 'exposed-database',
        message: `${exposed} ${remedy}`,
        file: file.file,
        range: mention.range,
        related: [],
        mention,
      });
    }
    return findings;
  },
};
