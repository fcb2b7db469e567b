// `ephemeral-port`: a fixed listen or publish inside the range the kernel hands to outgoing connections.
import { bindsPort } from '../model/roles';
import { formatPlain } from '../model/translate';
import { isSuppressed, portSpan, spansOverlap } from './claims';
import type { Finding, Rule, RuleContext } from './types';

type Draft = Omit<Finding, 'severity'>;

export const ephemeralPortRule: Rule = {
  id: 'ephemeral-port',
  defaultSeverity: 'information',
  check({ file, limits, t = formatPlain }: RuleContext): Draft[] {
    const range = limits.ephemeralRange;
    const findings: Draft[] = [];
    for (const mention of file.mentions) {
      if (!bindsPort(mention.role) || mention.kind === 'kubernetes') {
        continue;
      }
      const span = portSpan(mention);
      if (!span || !spansOverlap(span, range) || isSuppressed(mention, 'ephemeral-port')) {
        continue;
      }
      findings.push({
        rule: 'ephemeral-port',
        message:
          mention.portEnd !== undefined
            ? t(
                'Port range {0}-{1} is inside this system\'s ephemeral range {2}-{3}, where the kernel picks source ports for outgoing connections; now and then one will hold it and the bind fails with "address already in use". Prefer a port below {2}.',
                span.from,
                span.to,
                range.from,
                range.to,
              )
            : t(
                'Port {0} is inside this system\'s ephemeral range {1}-{2}, where the kernel picks source ports for outgoing connections; now and then one will hold it and the bind fails with "address already in use". Prefer a port below {1}.',
                span.from,
                range.from,
                range.to,
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
