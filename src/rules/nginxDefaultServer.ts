// `nginx-implicit-default-server`: several server blocks listen on one socket and none says
// `default_server`, so the first one in the configuration silently answers every request whose Host
// matches no server_name. Reported on that first block, with the others as related places.
import { formatPlain } from '../model/translate';
import type { PortMention } from '../scan/mention';
import type { Translate } from '../model/translate';
import type { NginxIncludes } from '../workspace/nginxIncludes';
import { filesWithIds, formatAddress, isSuppressed, protocolOf } from './claims';
import { nginxAddress, nginxInstanceOf } from './portConflict';
import type { FileMentions, Finding, Rule, RuleContext, WorkspaceView } from './types';

type Draft = Omit<Finding, 'severity'>;

function isSingleListen(m: PortMention): boolean {
  return m.kind === 'nginx' && m.role === 'listen' && m.nginx !== undefined && m.portEnd === undefined;
}

function socketOf(m: PortMention): string {
  return `${protocolOf(m)}\n${nginxAddress(m)}\n${m.port}`;
}

/** A listen and the file it is written in. */
interface Placed {
  file: string;
  mention: PortMention;
  order: [number, number];
}

function compareOrder(a: Placed, b: Placed): number {
  return a.order[0] - b.order[0] || a.order[1] - b.order[1];
}

/**
 * The rule over the files a main nginx.conf reads with this one, in nginx's read order: the first
 * server block on a socket may sit in another file. Only files read inside `http { }` count; a
 * socket that a file reached through a guessed path also listens on is left alone.
 */
/** The first server block of a socket that nothing marks default_server, with the other blocks on it. */
interface Winner {
  listen: Placed;
  blocks: number;
  others: Placed[];
}

/** Winners of each main file, for the index's own mentions: every file of a configuration asks once per change. */
const winnersCache = new WeakMap<NginxIncludes, Map<string, Winner[]>>();

function winnersOf(
  includes: NginxIncludes,
  workspace: WorkspaceView,
  instance: { root: string; files: readonly string[] },
  own?: FileMentions,
): Winner[] {
  const { root } = instance;
  const sockets = new Map<string, Placed[]>();
  const unsure = new Set<string>();
  const indexed = filesWithIds(workspace, instance.files);
  for (const id of instance.files) {
    const context = includes.contextOf(id, root) ?? [];
    if (id !== root && !(context.length === 1 && context[0] === 'http')) {
      continue;
    }
    const other = id === own?.file ? own : indexed.get(id);
    const guessed = includes.isGuessed(id, root);
    for (const mention of other?.mentions ?? []) {
      if (!isSingleListen(mention)) {
        continue;
      }
      const key = socketOf(mention);
      const order = includes.orderOf(root, id, mention.range.start);
      if (guessed || !order) {
        unsure.add(key);
        continue;
      }
      const list = sockets.get(key) ?? [];
      list.push({ file: id, mention, order });
      sockets.set(key, list);
    }
  }
  const winners: Winner[] = [];
  for (const [key, listens] of sockets) {
    if (unsure.has(key) || listens.some((l) => l.mention.nginx?.defaultServer)) {
      continue;
    }
    listens.sort(compareOrder);
    const firstOfBlock = new Map<string, Placed>();
    for (const listen of listens) {
      const block = `${listen.file}\n${listen.mention.nginx!.serverBlock}`;
      if (!firstOfBlock.has(block)) {
        firstOfBlock.set(block, listen);
      }
    }
    const [winner, ...others] = [...firstOfBlock.values()];
    if (winner && firstOfBlock.size >= 2) {
      winners.push({ listen: winner, blocks: firstOfBlock.size, others });
    }
  }
  return winners;
}

/**
 * The rule over the files a main nginx.conf reads with this one, in nginx's read order: the first
 * server block on a socket may sit in another file. Only files read inside `http { }` count; a
 * socket that a file reached through a guessed path also listens on is left alone.
 */
function acrossIncludes({ file, workspace, t = formatPlain }: RuleContext, includes: NginxIncludes): Draft[] {
  const findings: Draft[] = [];
  const reported = new Set<PortMention>();
  // The file as the index holds it shares the cached answer; an unsaved edit is judged on its own.
  const indexed = filesWithIds(workspace, [file.file]).get(file.file);
  const asIndexed = indexed?.mentions === file.mentions;
  let cache = winnersCache.get(includes);
  if (!cache) {
    cache = new Map();
    winnersCache.set(includes, cache);
  }
  for (const instance of includes.instancesOf(file.file)) {
    let winners = asIndexed ? cache.get(instance.root) : undefined;
    if (!winners) {
      winners = winnersOf(includes, workspace, instance, file);
      if (asIndexed) {
        cache.set(instance.root, winners);
      }
    }
    for (const { listen, blocks, others } of winners) {
      if (
        listen.file !== file.file ||
        reported.has(listen.mention) ||
        isSuppressed(listen.mention, 'nginx-implicit-default-server')
      ) {
        continue;
      }
      reported.add(listen.mention);
      findings.push(finding(file.file, listen.mention, blocks, others, t));
    }
  }
  return findings;
}

function finding(file: string, winner: PortMention, blocks: number, others: Placed[], t: Translate): Draft {
  const socket = formatAddress(nginxAddress(winner), String(winner.port));
  const names = (winner.nginx?.serverNames ?? []).filter((n) => n !== '').join(' ');
  return {
    rule: 'nginx-implicit-default-server',
    message:
      names !== ''
        ? t(
            '{0} server blocks listen on {1} and none is marked default_server, so this first one (server_name {2}) answers every request whose Host matches no server_name. Add default_server to the listen of the block meant to catch them.',
            blocks,
            socket,
            names,
          )
        : t(
            '{0} server blocks listen on {1} and none is marked default_server, so this first one answers every request whose Host matches no server_name. Add default_server to the listen of the block meant to catch them.',
            blocks,
            socket,
          ),
    file,
    range: winner.range,
    related: others.map((o) => ({
      file: o.file,
      range: o.mention.range,
      message: t('another server block listening on {0}', socket),
    })),
    mention: winner,
  };
}

export const nginxImplicitDefaultServerRule: Rule = {
  id: 'nginx-implicit-default-server',
  defaultSeverity: 'information',
  check(context: RuleContext): Draft[] {
    const { file, workspace, t = formatPlain } = context;
    if (!file.mentions.some(isSingleListen)) {
      return [];
    }
    const includes = workspace.nginxIncludes?.();
    if (includes && includes.instancesOf(file.file).length > 0) {
      return acrossIncludes(context, includes);
    }
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
      findings.push(
        finding(
          file.file,
          winner,
          firstOfBlock.size,
          others.map((mention) => ({ file: file.file, mention, order: [0, 0] })),
          t,
        ),
      );
    }
    return findings;
  },
};
