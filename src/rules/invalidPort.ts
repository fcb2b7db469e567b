// `invalid-port`: numbers that cannot be ports, or ranges that cannot be mapped.
import type { PortMention } from '../scan/mention';
import { MAX_PORT } from '../model/port';
import { formatPlain, type Translate } from '../model/translate';
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

function problemWith(port: number, t: Translate): string | undefined {
  if (!Number.isInteger(port)) {
    return t('{0} is not a whole number', port);
  }
  if (port < 0) {
    return t('{0} is negative', port);
  }
  if (port > MAX_PORT) {
    return t('{0} is above {1}, the highest port', port, MAX_PORT);
  }
  return undefined;
}

/**
 * `-1` in a setting is the usual "pick one" / "unset" marker (`port: -1 # auto-increment`,
 * Go's `Port: -1`, Spring's `${dubbo.port:-1}`), not a port anyone tries to bind. (`listen(-1)` itself fails, and stays an error.)
 */
function isUnsetMarker(mention: PortMention): boolean {
  return (
    mention.port === -1 &&
    mention.portEnd === undefined &&
    mention.kind !== 'nginx' &&
    mention.role === 'setting'
  );
}

export const invalidPortRule: Rule = {
  id: 'invalid-port',
  defaultSeverity: 'error',
  check({ file, t = formatPlain }: RuleContext): Draft[] {
    const findings: Draft[] = [];
    for (const mention of file.mentions) {
      if (isSuppressed(mention, 'invalid-port') || isUnsetMarker(mention)) {
        continue;
      }
      const message = invalidMessage(mention, t);
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

function invalidMessage(mention: PortMention, t: Translate): string | undefined {
  const problem =
    problemWith(mention.port, t) ??
    (mention.portEnd !== undefined ? problemWith(mention.portEnd, t) : undefined);
  if (problem) {
    return t(
      'Not a port: {0}. Ports are whole numbers from 1 to {1}; the bind or connection will fail.',
      problem,
      MAX_PORT,
    );
  }
  if (mention.port === 0 && mention.portEnd === undefined && zeroIsInvalid(mention)) {
    return mention.kind === 'nginx'
      ? t('Port 0 is not a port nginx can listen on; give a concrete port such as 8080.')
      : t(
          'Port 0 is not a concrete port: a container or service port must name the port the process listens on.',
        );
  }
  if (mention.portEnd !== undefined && mention.portEnd < mention.port) {
    return t(
      'Reversed range {0}-{1}: the first port must be the lower one ({1}-{0}).',
      mention.port,
      mention.portEnd,
    );
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
    return t(
      'Host range {0}-{1} has {2} ports but container range {3}-{4} has {5}; Docker refuses ranges of different lengths.',
      mention.port,
      mention.portEnd,
      hostCount,
      other.port,
      other.portEnd,
      containerCount,
    );
  }
  return undefined;
}
