// `dockerfile-expose-ssh`: `EXPOSE 22` ships an SSH daemon in the image. A container is entered with
// `docker exec` (or `kubectl exec`); sshd adds a service to patch, keys to manage and a login to attack.
import { formatPlain } from '../model/translate';
import { isSuppressed, protocolOf } from './claims';
import type { Finding, Rule, RuleContext } from './types';

type Draft = Omit<Finding, 'severity'>;

const SSH_PORT = 22;

export const dockerfileExposeSshRule: Rule = {
  id: 'dockerfile-expose-ssh',
  defaultSeverity: 'warning',
  check({ file, t = formatPlain }: RuleContext): Draft[] {
    const findings: Draft[] = [];
    for (const mention of file.mentions) {
      // Only `EXPOSE 22` as written: a range (`EXPOSE 20-25`) or a build argument may mean something else.
      if (
        mention.kind !== 'dockerfile' ||
        mention.role !== 'expose' ||
        mention.port !== SSH_PORT ||
        mention.portEnd !== undefined ||
        mention.variable !== undefined ||
        protocolOf(mention) !== 'tcp' ||
        isSuppressed(mention, 'dockerfile-expose-ssh')
      ) {
        continue;
      }
      findings.push({
        rule: 'dockerfile-expose-ssh',
        message: t(
          'EXPOSE 22 ships an SSH server in the image: one more daemon to patch, host keys baked into the image and a login to attack. Use "docker exec" or "kubectl exec" to get a shell, and drop sshd and this EXPOSE.',
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
