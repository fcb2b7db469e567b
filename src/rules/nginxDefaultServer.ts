// `nginx-implicit-default-server`: several server blocks listen on one socket and none says
// `default_server`, so the first one in the configuration silently answers every request whose Host
// matches no server_name. Reported on that first block, with the others as related places.
import { formatPlain } from '../model/translate';
import type { PortMention } from '../scan/mention';
import { formatAddress, isSuppressed, protocolOf } from './claims';
import { nginxAddress, nginxInstanceOf } from './portConflict';
import type { Finding, Rule, RuleContext } from './types';

type Draft = Omit<Finding, 'severity'>;

function isSingleListen(m: PortMention): boolean {
  return m.kind === 'nginx' && m.role === 'listen' && m.nginx !== undefined && m.portEnd === undefined;
}

function socketOf(m: PortMention): string {
  return `${protocolOf(m)}\n${nginxAddress(m)}\n${m.port}`;
}

export const nginxImplicitDefaultServerRule: Rule = {
  id: 'nginx-implicit-default-server',
  defaultSeverity: 'information',
  check({ file, workspace, t = formatPlain }: RuleContext): Draft[] {
    // Each socket's listens in this file, in file order (mentions are sorted by position).
    const sockets = new Map<string, PortMention[]>();
    for (const mention of file.mentions) {
      if (isSingleListen(mention)) {
        const key = socketOf(mention);
        const list = sockets.get(key);
        if (list) {
          list.push(mention);
        } else {
          sockets.set(key, [mention]);
        }
      }
    }
    if (sockets.size === 0) {
      return [];
    }
    // A default_server anywhere in the instance settles the socket; a listen in another of its files
    // makes the winner depend on include order, which is not known here.
    const settledElsewhere = new Set<string>();
    for (const other of nginxInstanceOf(file, workspace)) {
      for (const mention of other.mentions) {
        if (isSingleListen(mention) && (other.file !== file.file || mention.nginx?.defaultServer)) {
          settledElsewhere.add(socketOf(mention));
        }
      }
    }
    const findings: Draft[] = [];
    for (const [key, listens] of sockets) {
      if (settledElsewhere.has(key) || listens.some((m) => m.nginx?.defaultServer)) {
        continue;
      }
      const firstOfBlock = new Map<number, PortMention>();
      for (const mention of listens) {
        const block = mention.nginx!.serverBlock;
        if (!firstOfBlock.has(block)) {
          firstOfBlock.set(block, mention);
        }
      }
      if (firstOfBlock.size < 2) {
        continue;
      }
      const [winner, ...others] = [...firstOfBlock.values()];
      if (winner === undefined || isSuppressed(winner, 'nginx-implicit-default-server')) {
        continue;
      }
      const socket = formatAddress(nginxAddress(winner), String(winner.port));
      const names = (winner.nginx?.serverNames ?? []).filter((n) => n !== '').join(' ');
      findings.push({
        rule: 'nginx-implicit-default-server',
        message:
          names !== ''
            ? t(
                '{0} server blocks listen on {1} and none is marked default_server, so this first one (server_name {2}) answers every request whose Host matches no server_name. Add default_server to the listen of the block meant to catch them.',
                firstOfBlock.size,
                socket,
                names,
              )
            : t(
                '{0} server blocks listen on {1} and none is marked default_server, so this first one answers every request whose Host matches no server_name. Add default_server to the listen of the block meant to catch them.',
                firstOfBlock.size,
                socket,
              ),
        file: file.file,
        range: winner.range,
        related: others.map((m) => ({
          file: file.file,
          range: m.range,
          message: t('another server block listening on {0}', socket),
        })),
        mention: winner,
      });
    }
    return findings;
  },
};
