// `exposed-database`: Compose publishes a database, cache or search engine on every interface.
// `exposed-service`: the same for a debugger or an admin API (the Node inspector, Docker's API),
// whose risk is control of the program or the host rather than its data.
import type { PortMention } from '../scan/mention';
import { isWildcardHost } from '../model/host';
import { isValidPort } from '../model/port';
import { formatPlain } from '../model/translate';
import { isSuppressed, protocolOf } from './claims';
import { exposureKind, serviceLabel, type ExposureKind } from './portFacts';
import type { Translate } from '../model/translate';
import type { Finding, Rule, RuleContext, RuleId } from './types';

type Draft = Omit<Finding, 'severity'>;

/** The port the published traffic reaches: the container side when the mapping names one. */
function servedPort(mention: PortMention): number {
  return mention.counterpart?.port ?? mention.port;
}

const RULE_OF: Record<ExposureKind, RuleId> = {
  database: 'exposed-database',
  service: 'exposed-service',
};

function exposedMessage(kind: ExposureKind, mention: PortMention, label: string, t: Translate): string {
  if (kind === 'service') {
    return mention.service !== undefined
      ? t(
          'Service "{0}" publishes {1} on all interfaces (host port {2}). It is a debugger or admin API: anyone who can reach this machine can use it to control the program or the host, and Docker\'s published ports bypass ufw/firewalld rules.',
          mention.service,
          label,
          mention.port,
        )
      : t(
          "This publishes {0} on all interfaces (host port {1}). It is a debugger or admin API: anyone who can reach this machine can use it to control the program or the host, and Docker's published ports bypass ufw/firewalld rules.",
          label,
          mention.port,
        );
  }
  return mention.service !== undefined
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
}

function exposedRule(kind: ExposureKind): Rule {
  const id = RULE_OF[kind];
  return {
    id,
    defaultSeverity: 'warning',
    check({ file, t = formatPlain }: RuleContext): Draft[] {
      const findings: Draft[] = [];
      for (const mention of file.mentions) {
        if (mention.kind !== 'compose' || mention.role !== 'publish' || isSuppressed(mention, id)) {
          continue;
        }
        if (!isWildcardHost(mention.host) || protocolOf(mention) !== 'tcp') {
          continue;
        }
        const served = servedPort(mention);
        if (!isValidPort(served) || exposureKind(served, mention.image, mention) !== kind) {
          continue;
        }
        const label = serviceLabel(served, mention.image, mention) ?? t('port {0}', served);
        const remedy = t(
          'Bind it to loopback ("127.0.0.1:{0}:{1}") or drop the mapping and use the Compose network.',
          mention.port,
          served,
        );
        findings.push({
          rule: id,
          message: `${exposedMessage(kind, mention, label, t)} ${remedy}`,
          file: file.file,
          range: mention.range,
          related: [],
          mention,
        });
      }
      return findings;
    },
  };
}

export const exposedDatabaseRule: Rule = exposedRule('database');
export const exposedServiceRule: Rule = exposedRule('service');
