// `exposed-database`: Compose publishes a database, cache or admin port on every interface.
import type { PortMention } from '../scan/mention';
import { isWildcardHost } from '../model/host';
import { isValidPort } from '../model/port';
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
  check({ file }: RuleContext): Draft[] {
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
      if (!isValidPort(served) || !isDataOrAdminPort(served)) {
        continue;
      }
      const label = serviceLabel(served) ?? `port ${served}`;
      const service =
        mention.service !== undefined ? `Service "${mention.service}" publishes` : 'This publishes';
      findings.push({
        rule: 'exposed-database',
        message:
          `${service} ${label} on all interfaces (host port ${mention.port}), so anyone who can reach this machine ` +
          "can try it, and Docker's published ports bypass ufw/firewalld rules. " +
          `Bind it to loopback ("127.0.0.1:${mention.port}:${served}") or drop the mapping and use the Compose network.`,
        file: file.file,
        range: mention.range,
        related: [],
        mention,
      });
    }
    return findings;
  },
};
