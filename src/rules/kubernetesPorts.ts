// Kubernetes port checks the API server or kube-linter makes: `k8s-port-name`, `k8s-node-port-range`
// and `k8s-host-port`. Each reads the facts the manifest finder records on the mention it is about.
import { isValidPort } from '../model/port';
import { formatPlain, type Translate } from '../model/translate';
import { writtenMentions } from './claims';
import type { Finding, Rule, RuleContext } from './types';

type Draft = Omit<Finding, 'severity'>;

/** The default `--service-node-port-range` of kube-apiserver. */
export const NODE_PORT_RANGE = { from: 30000, to: 32767 } as const;

const LOWER_ALNUM_DASH = /^[a-z0-9-]+$/;
const HAS_LETTER = /[a-z]/;

/**
 * Why a container port name breaks RFC 6335 (the API server's IANA_SVC_NAME check), or undefined
 * when it is valid: at most 15 characters, lower-case letters, digits and `-`, at least one letter,
 * no `-` at either end and no `--`.
 */
export function serviceNameProblem(name: string, t: Translate): string | undefined {
  if (name.length > 15) {
    return t('it has {0} characters, more than 15', name.length);
  }
  const problem = labelProblem(name, t);
  if (problem !== undefined) {
    return problem;
  }
  if (name.includes('--')) {
    return t('it contains "--"');
  }
  return HAS_LETTER.test(name) ? undefined : t('it has no letter');
}

/** Why a Service port name is not a DNS-1123 label (at most 63 characters, `--` allowed), or undefined. */
export function dnsLabelProblem(name: string, t: Translate): string | undefined {
  if (name.length > 63) {
    return t('it has {0} characters, more than 63', name.length);
  }
  return labelProblem(name, t);
}

function labelProblem(name: string, t: Translate): string | undefined {
  if (!LOWER_ALNUM_DASH.test(name)) {
    return t('only lower-case letters, digits and "-" are allowed');
  }
  if (name.startsWith('-') || name.endsWith('-')) {
    return t('it starts or ends with "-"');
  }
  return undefined;
}

export const k8sPortNameRule: Rule = {
  id: 'k8s-port-name',
  defaultSeverity: 'error',
  check({ file, t = formatPlain }: RuleContext): Draft[] {
    const findings: Draft[] = [];
    for (const mention of writtenMentions(file.mentions, 'kubernetes', 'k8s-port-name')) {
      const name = mention.syntax?.name;
      const key = mention.syntax?.key;
      if (!name || (key !== 'containerPort' && key !== 'port')) {
        continue;
      }
      const container = key === 'containerPort';
      const problem = container ? serviceNameProblem(name.value, t) : dnsLabelProblem(name.value, t);
      if (problem === undefined) {
        continue;
      }
      findings.push({
        rule: 'k8s-port-name',
        message: container
          ? t(
              'Port name "{0}" is not a valid IANA service name (RFC 6335): {1}. The API server rejects the manifest; use at most 15 lower-case letters, digits and single "-", with at least one letter.',
              name.value,
              problem,
            )
          : t(
              'Service port name "{0}" is not a DNS label: {1}. The API server rejects the manifest; use at most 63 lower-case letters, digits and "-".',
              name.value,
              problem,
            ),
        file: file.file,
        range: name.range,
        related: [],
        mention,
      });
    }
    return findings;
  },
};

export const k8sNodePortRangeRule: Rule = {
  id: 'k8s-node-port-range',
  defaultSeverity: 'error',
  check({ file, t = formatPlain }: RuleContext): Draft[] {
    const findings: Draft[] = [];
    for (const mention of writtenMentions(file.mentions, 'kubernetes', 'k8s-node-port-range')) {
      const port = mention.port;
      // 0 asks for an allocated port; an invalid number is invalid-port's.
      if (mention.syntax?.key !== 'nodePort' || port === 0 || !isValidPort(port)) {
        continue;
      }
      if (port >= NODE_PORT_RANGE.from && port <= NODE_PORT_RANGE.to) {
        continue;
      }
      findings.push({
        rule: 'k8s-node-port-range',
        message: t(
          'nodePort {0} is outside {1}-{2}, the default node port range: the API server rejects it unless the cluster runs with a wider --service-node-port-range. Pick a port in the range, or leave nodePort out and let Kubernetes allocate one.',
          port,
          NODE_PORT_RANGE.from,
          NODE_PORT_RANGE.to,
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

export const k8sHostPortRule: Rule = {
  id: 'k8s-host-port',
  defaultSeverity: 'information',
  check({ file, t = formatPlain }: RuleContext): Draft[] {
    const findings: Draft[] = [];
    for (const mention of writtenMentions(file.mentions, 'kubernetes', 'k8s-host-port')) {
      // With hostNetwork the pod binds the node's ports anyway; hostPort adds nothing there.
      if (mention.syntax?.key !== 'hostPort' || mention.syntax.hostNetwork === true) {
        continue;
      }
      findings.push({
        rule: 'k8s-host-port',
        message: t(
          "hostPort {0} binds the port on the node that runs the pod: only one such pod fits on each node, the scheduler is constrained, and the container is reachable on the node's address, around Services and network policies. Prefer a Service (NodePort or LoadBalancer) unless the pod must own the node's port.",
          mention.port,
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
