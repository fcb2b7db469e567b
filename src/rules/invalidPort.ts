// `invalid-port`: numbers that cannot be ports, or ranges that cannot be mapped.
import type { PortMention } from '../scan/mention';
import { MAX_PORT } from '../model/port';
import { isSuppressed } from './claims';
import type { Finding, Rule, RuleContext } from './types';

type Draft = Omit<Finding, 'severity'>;

/** Roles where 0 is no port at all; a listen or publish of 0 asks the OS for any free port. */
function zeroIsInvalid(mention: PortMention): boolean {
  return (
    mention.role === 'target' ||
    mention.role === 'expose' ||
    (mention.kind === 'nginx' && mention.role === 'listen')
  );
}

function problemWith(port: number): string | undefined {
  if (!Number.isInteger(port)) {
    return `${port} is not a whole number`;
  }
  if (port < 0) {
    return `${port} is negative`;
  }
  if (port > MAX_PORT) {
    return `${port} is above 65535, the highest port`;
  }
  return undefined;
}

export const invalidPortRule: Rule = {
  id: 'invalid-port',
  defaultSeverity: 'error',
  check({ file }: RuleContext): Draft[] {
    const findings: Draft[] = [];
    for (const mention of file.mentions) {
      if (isSuppressed(mention, 'invalid-port')) {
        continue;
      }
      const message = invalidMessage(mention);
      if (message) {
        findings.push({
          rule: 'invalid-port',
          message,
          file: file.file,
          range: mention.range,
          related: [],
          mention,
        });
      }
    }
    return findings;
  },
};

function invalidMessage(mention: PortMention): string | undefined {
  const problem =
    problemWith(mention.port) ?? (mention.portEnd !== undefined ? problemWith(mention.portEnd) : undefined);
  if (problem) {
    return `Not a port: ${problem}. Ports are whole numbers from 1 to 65535; the bind or connection will fail.`;
  }
  if (mention.port === 0 && mention.portEnd === undefined && zeroIsInvalid(mention)) {
    return mention.kind === 'nginx'
      ? 'Port 0 is not a port nginx can listen on; give a concrete port such as 8080.'
      : 'Port 0 is not a concrete port: a container or service port must name the port the process listens on.';
  }
  if (mention.portEnd !== undefined && mention.portEnd < mention.port) {
    return `Reversed range ${mention.port}-${mention.portEnd}: the first port must be the lower one (${mention.portEnd}-${mention.port}).`;
  }
  const other = mention.counterpart;
  if (
    mention.role === 'publish' &&
    mention.portEnd !== undefined &&
    other?.portEnd !== undefined &&
    other.portEnd >= other.port &&
    mention.portEnd - mention.port !== other.portEnd - other.port
  ) {
    const hostCount = mention.portEnd - mention.port + 1;
    const containerCount = other.portEnd - other.port + 1;
    return (
      `Host range ${mention.port}-${mention.portEnd} has ${hostCount} ports but container range ` +
      `${other.port}-${other.portEnd} has ${containerCount}; Docker refuses ranges of different lengths.`
    );
  }
  return undefined;
}
