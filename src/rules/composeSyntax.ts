// Compose port entries that do not mean what they say: `compose-base60-port` (`22:22` unquoted is
// the number 1342 in YAML 1.1), `compose-host-network-ports` (`network_mode: host` ignores every
// mapping), `compose-protocol-case` (`8080:80/TCP` fails validation) and `compose-random-host-port`
// (`"80"` publishes on a random host port of every interface). Each reads the facts the compose
// finder records on the first mention of a `ports:` entry.
import { formatPlain } from '../model/translate';
import { formatSpan, writtenMentions } from './claims';
import { isWildcardHost } from '../model/host';
import type { Finding, Rule, RuleContext } from './types';

type Draft = Omit<Finding, 'severity'>;

const YAML11_INT_HEAD = /^[1-9][0-9_]*$/;
const YAML11_SEXAGESIMAL_DIGIT = /^[0-5]?[0-9]$/;

/**
 * Whether YAML 1.1 (PyYAML, docker-compose v1, many other tools) reads a plain scalar as a base-60
 * integer: `[1-9][0-9_]*(:[0-5]?[0-9])+`, so `22:22` is 1342 while `8080:80` stays a string.
 */
export function isYaml11Sexagesimal(value: string): boolean {
  const parts = value.split(':');
  if (parts.length < 2 || !YAML11_INT_HEAD.test(parts[0]!)) {
    return false;
  }
  for (let i = 1; i < parts.length; i++) {
    if (!YAML11_SEXAGESIMAL_DIGIT.test(parts[i]!)) {
      return false;
    }
  }
  return true;
}

/** Its base-60 value: `22:22` → 1342. */
export function sexagesimalValue(value: string): number {
  return value.split(':').reduce((total, part) => total * 60 + Number(part.replace(/_/g, '')), 0);
}

const PROTOCOLS: ReadonlySet<string> = new Set(['tcp', 'udp', 'sctp']);

export const composeBase60PortRule: Rule = {
  id: 'compose-base60-port',
  defaultSeverity: 'warning',
  check({ file, t = formatPlain }: RuleContext): Draft[] {
    const findings: Draft[] = [];
    for (const mention of writtenMentions(file.mentions, 'compose', 'compose-base60-port')) {
      const plain = mention.syntax?.plain;
      if (!plain || !isYaml11Sexagesimal(plain.value)) {
        continue;
      }
      findings.push({
        rule: 'compose-base60-port',
        message: t(
          '{0} is unquoted, and YAML 1.1 parsers (docker-compose v1 among them) read it as the base-60 number {1}, not a port mapping. Quote it: "{0}".',
          plain.value,
          sexagesimalValue(plain.value),
        ),
        file: file.file,
        range: plain.range,
        related: [],
        mention,
      });
    }
    return findings;
  },
};

export const composeHostNetworkPortsRule: Rule = {
  id: 'compose-host-network-ports',
  defaultSeverity: 'warning',
  check({ file, t = formatPlain }: RuleContext): Draft[] {
    const findings: Draft[] = [];
    for (const mention of writtenMentions(file.mentions, 'compose', 'compose-host-network-ports')) {
      if (mention.syntax?.hostNetwork !== true) {
        continue;
      }
      findings.push({
        rule: 'compose-host-network-ports',
        message:
          mention.service !== undefined
            ? t(
                'Service "{0}" uses network_mode: host, so Compose discards this port mapping: the container binds the host\'s ports directly, on the port its program listens on. Remove the mapping, or drop network_mode: host to publish it.',
                mention.service,
              )
            : t(
                "With network_mode: host, Compose discards this port mapping: the container binds the host's ports directly, on the port its program listens on. Remove the mapping, or drop network_mode: host to publish it.",
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

export const composeProtocolCaseRule: Rule = {
  id: 'compose-protocol-case',
  defaultSeverity: 'error',
  check({ file, t = formatPlain }: RuleContext): Draft[] {
    const findings: Draft[] = [];
    for (const mention of writtenMentions(file.mentions, 'compose', 'compose-protocol-case')) {
      const protocol = mention.syntax?.protocol;
      if (!protocol) {
        continue;
      }
      const lower = protocol.value.toLowerCase();
      if (lower === protocol.value || !PROTOCOLS.has(lower)) {
        continue;
      }
      findings.push({
        rule: 'compose-protocol-case',
        message: t(
          'Protocol "{0}" must be lower case: Compose rejects the entry ("contains an invalid type"). Write "{1}".',
          protocol.value,
          lower,
        ),
        file: file.file,
        range: protocol.range,
        related: [],
        mention,
      });
    }
    return findings;
  },
};

export const composeRandomHostPortRule: Rule = {
  id: 'compose-random-host-port',
  defaultSeverity: 'information',
  check({ file, t = formatPlain }: RuleContext): Draft[] {
    const findings: Draft[] = [];
    for (const mention of writtenMentions(file.mentions, 'compose', 'compose-random-host-port')) {
      const random = mention.syntax?.randomHostPort;
      // On a given address (`127.0.0.1::80`) the random port is a choice; on every interface it is worth a look.
      if (!random || (random.host !== undefined && !isWildcardHost(random.host))) {
        continue;
      }
      const span = formatSpan(mention);
      findings.push({
        rule: 'compose-random-host-port',
        message:
          mention.service !== undefined
            ? t(
                'Service "{0}" publishes container port {1} on a random host port, on every interface: the port changes with each "up" and anyone who can reach this machine can connect. Write the host side ("127.0.0.1:HOST:{1}"), or use expose: if only other services need it.',
                mention.service,
                span,
              )
            : t(
                'This publishes container port {0} on a random host port, on every interface: the port changes with each "up" and anyone who can reach this machine can connect. Write the host side ("127.0.0.1:HOST:{0}"), or use expose: if only other services need it.',
                span,
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
