// `ephemeral-port`: a fixed listen or publish inside the range the kernel hands to outgoing connections.
import { bindsPort } from '../model/roles';
import { isSuppressed, portSpan, spansOverlap } from './claims';
import type { Finding, Rule, RuleContext } from './types';

type Draft = Omit<Finding, 'severity'>;

export const ephemeralPortRule: Rule = {
  id: 'ephemeral-port',
  defaultSeverity: 'information',
  check({ file, limits }: RuleContext): Draft[] {
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
          `Port ${mention.portEnd !== undefined ? `range ${span.from}-${span.to}` : span.from} is inside this system's ephemeral range ` +
          `${range.from}-${range.to}, where the kernel picks source ports for outgoing connections; ` +
          `now and then one will hold it and the bind fails with "address already in use". Prefer a port below ${range.from}.`,
        file: file.file,
        range: mention.range,
        related: [],
        mention,
      });
    }
    return findings;
  },
};
