// `port-conflict`: two claims on the same host socket that would run together.
// Compose: every published port of one project (a file, plus its base or overrides, which Compose
// merges). nginx: listens of one instance (one file, plus the conf.d/sites-enabled it includes).
// Code, .env and Kubernetes claims are never compared: reading PORT twice is one service, not two.
import { isWildcardHost, normalizeHost } from '../model/host';
import { formatPlain, type Translate } from '../model/translate';
import { composeProjectFiles } from '../scan/compose';
import type { PortMention } from '../scan/mention';
import {
  baseName,
  filesWithIds,
  folderOf,
  formatAddress,
  formatSpan,
  hostsOverlap,
  isSuppressed,
  portSpan,
  protocolOf,
  spansOverlap,
} from './claims';
import type { FileContext } from '../context';
import type { FileMentions, Finding, RelatedClaim, Rule, RuleContext, WorkspaceView } from './types';

type Draft = Omit<Finding, 'severity'>;

interface Claim {
  file: string;
  mention: PortMention;
  span: { from: number; to: number };
}

function claimsOf(files: readonly FileMentions[], accept: (m: PortMention) => boolean): Claim[] {
  const claims: Claim[] = [];
  for (const f of files) {
    for (const mention of f.mentions) {
      const span = portSpan(mention);
      if (span && accept(mention)) {
        claims.push({ file: f.file, mention, span });
      }
    }
  }
  return claims;
}

export const portConflictRule: Rule = {
  id: 'port-conflict',
  defaultSeverity: 'warning',
  check(context: RuleContext): Draft[] {
    switch (context.file.kind) {
      case 'compose':
        return composeConflicts(context);
      case 'nginx':
        return nginxConflicts(context);
      default:
        return [];
    }
  },
};

// ---- Compose ----

function composeProjectOf(
  file: FileMentions,
  workspace: WorkspaceView,
  context?: FileContext,
): FileMentions[] {
  if (context) {
    // The context model knows each file's services and the project's `-f` groups (ids use '/').
    const ids = context.composeProject();
    const byId = new Map<string, FileMentions>([[slashed(file.file), file]]);
    const native = (folder: string): string =>
      file.file.includes('\\') ? folder.split('/').join('\\') : folder;
    for (const folder of new Set(ids.map(folderOf))) {
      for (const f of workspace.filesInFolder(native(folder))) {
        if (f.kind === 'compose' && f.file !== file.file) {
          byId.set(slashed(f.file), f);
        }
      }
    }
    return [
      file,
      ...ids
        .slice(1)
        .map((id) => byId.get(id))
        .filter((f): f is FileMentions => f !== undefined),
    ];
  }
  // Without a context, by name alone: the default file with every `*.NAME.yml` beside it.
  const siblings = workspace.filesInFolder(folderOf(file.file)).filter((f) => f.kind === 'compose');
  const names = composeProjectFiles(
    file.file,
    siblings.map((f) => baseName(f.file)),
  );
  const byId = new Map(siblings.map((f) => [f.file, f]));
  byId.set(file.file, file);
  return names.map((name) => byId.get(name)).filter((f): f is FileMentions => f !== undefined);
}

function slashed(file: string): string {
  return file.split('\\').join('/');
}

/** Compose merges an override's port entry into the base's when service and mapping are the same. */
function sameMapping(a: PortMention, b: PortMention): boolean {
  return (
    a.service === b.service &&
    a.port === b.port &&
    a.portEnd === b.portEnd &&
    protocolOf(a) === protocolOf(b) &&
    normalizeHost(a.host) === normalizeHost(b.host) &&
    a.counterpart?.port === b.counterpart?.port &&
    a.counterpart?.portEnd === b.counterpart?.portEnd
  );
}

function composeConflicts({ file, workspace, context, t = formatPlain }: RuleContext): Draft[] {
  const isPublish = (m: PortMention): boolean => m.kind === 'compose' && m.role === 'publish';
  const own = claimsOf([file], isPublish);
  if (own.length === 0) {
    return [];
  }
  const project = composeProjectOf(file, workspace, context);
  const claims = new ComposeClaims(claimsOf(project, isPublish));
  const findings: Draft[] = [];
  for (const claim of own) {
    if (isSuppressed(claim.mention, 'port-conflict')) {
      continue;
    }
    const others = claims.conflictsWith(claim);
    if (others.total === 0) {
      continue;
    }
    const socket = `${formatAddress(claim.mention.host, formatSpan(claim.mention))}/${protocolOf(claim.mention)}`;
    const who = distinct(others.first.map((o) => describeComposeClaim(o, file.file, t))).join(', ');
    const whoAll =
      others.total > others.first.length ? t('{0} other entries, among them {1}', others.total, who) : who;
    const defaults = claim.mention.isDefault || others.first.some((o) => o.mention.isDefault);
    findings.push({
      rule: 'port-conflict',
      message: defaults
        ? t(
            'Host port {0} is also published by {1} (with the variables at their defaults). Both run in one Compose project, so `docker compose up` fails with "port is already allocated"; publish one of them on another host port.',
            socket,
            whoAll,
          )
        : t(
            'Host port {0} is also published by {1}. Both run in one Compose project, so `docker compose up` fails with "port is already allocated"; publish one of them on another host port.',
            socket,
            whoAll,
          ),
      file: file.file,
      range: claim.mention.range,
      related: others.first.map((o) =>
        relatedClaim(
          o,
          t('{0} publishes {1} here', describeComposeClaim(o, undefined, t), formatSpan(o.mention)),
        ),
      ),
      mention: claim.mention,
    });
  }
  return findings;
}

/** At most this many other claims are named and linked per finding; the message counts the rest. */
export const MAX_RELATED_CLAIMS = 10;

/** Names in a message are cut here: a service name may be as long as a file. */
const MAX_NAME_LENGTH = 60;

interface Conflicts {
  /** The first few conflicting claims, at most MAX_RELATED_CLAIMS. */
  first: Claim[];
  total: number;
}

function distinct(items: string[]): string[] {
  return [...new Set(items)];
}

function clip(name: string): string {
  return name.length > MAX_NAME_LENGTH ? `${name.slice(0, MAX_NAME_LENGTH - 1)}…` : name;
}

/** What makes two entries one in Compose's merge (see sameMapping), as a key. */
function mappingKey(m: PortMention): string {
  return JSON.stringify([
    m.service ?? null,
    m.port,
    m.portEnd ?? null,
    protocolOf(m),
    normalizeHost(m.host),
    m.counterpart?.port ?? null,
    m.counterpart?.portEnd ?? null,
  ]);
}

/**
 * A project's published ports, grouped once by protocol and port, then by host address and by
 * mapping, so each claim's conflicts are counted from group sizes and only the first few are
 * listed: a thousand entries on one port cost a thousand small findings, not a million pairs.
 * Port ranges, rare in practice, are compared one by one.
 */
class ComposeClaims {
  private readonly single = new Map<string, SocketGroup>();
  private readonly ranges: Claim[] = [];

  constructor(all: Claim[]) {
    for (const claim of all) {
      if (claim.span.from === claim.span.to) {
        const key = `${protocolOf(claim.mention)}:${claim.span.from}`;
        let group = this.single.get(key);
        if (!group) {
          group = new SocketGroup();
          this.single.set(key, group);
        }
        group.add(claim);
      } else {
        this.ranges.push(claim);
      }
    }
  }

  conflictsWith(claim: Claim): Conflicts {
    const found: Conflicts = { first: [], total: 0 };
    const take = (other: Claim): void => {
      found.total++;
      if (found.first.length < MAX_RELATED_CLAIMS) {
        found.first.push(other);
      }
    };
    if (claim.span.from === claim.span.to) {
      this.single.get(`${protocolOf(claim.mention)}:${claim.span.from}`)?.conflictsWith(claim, found);
    } else {
      const protocol = protocolOf(claim.mention);
      const width = claim.span.to - claim.span.from + 1;
      if (width <= this.single.size) {
        for (let port = claim.span.from; port <= claim.span.to; port++) {
          this.single.get(`${protocol}:${port}`)?.each((other) => {
            if (conflicting(claim, other)) {
              take(other);
            }
          });
        }
      } else {
        for (const group of this.single.values()) {
          group.each((other) => {
            if (conflicting(claim, other)) {
              take(other);
            }
          });
        }
      }
    }
    for (const other of this.ranges) {
      if (conflicting(claim, other)) {
        take(other);
      }
    }
    return found;
  }
}

function conflicting(claim: Claim, other: Claim): boolean {
  return (
    other.mention !== claim.mention &&
    protocolOf(other.mention) === protocolOf(claim.mention) &&
    spansOverlap(other.span, claim.span) &&
    hostsOverlap(other.mention.host, claim.mention.host) &&
    !sameMapping(other.mention, claim.mention)
  );
}

/** Single-port claims on one protocol and port. */
class SocketGroup {
  private readonly all: Claim[] = [];
  private readonly wildcard: Claim[] = [];
  private readonly byHost = new Map<string, Claim[]>();
  private readonly byMapping = new Map<string, number>();

  add(claim: Claim): void {
    this.all.push(claim);
    if (isWildcardHost(claim.mention.host)) {
      this.wildcard.push(claim);
    } else {
      const host = normalizeHost(claim.mention.host);
      const list = this.byHost.get(host);
      if (list) {
        list.push(claim);
      } else {
        this.byHost.set(host, [claim]);
      }
    }
    const key = mappingKey(claim.mention);
    this.byMapping.set(key, (this.byMapping.get(key) ?? 0) + 1);
  }

  each(visit: (claim: Claim) => void): void {
    this.all.forEach(visit);
  }

  /** Adds this group's conflicts with `claim`, which is in it, to `found`. */
  conflictsWith(claim: Claim, found: Conflicts): void {
    // A wildcard overlaps every address; a specific one, the wildcards and itself.
    const pools = isWildcardHost(claim.mention.host)
      ? [this.all]
      : [this.wildcard, this.byHost.get(normalizeHost(claim.mention.host)) ?? []];
    const candidates = pools.reduce((n, pool) => n + pool.length, 0);
    // The claim itself and the entries Compose merges into it share its address, so all of them
    // are among the candidates (and counted under its mapping key).
    const total = candidates - (this.byMapping.get(mappingKey(claim.mention)) ?? 0);
    found.total += total;
    let listed = 0;
    for (const pool of pools) {
      for (const other of pool) {
        if (listed >= total || found.first.length >= MAX_RELATED_CLAIMS) {
          return;
        }
        if (other.mention !== claim.mention && !sameMapping(other.mention, claim.mention)) {
          found.first.push(other);
          listed++;
        }
      }
    }
  }
}

function describeComposeClaim(claim: Claim, fromFile: string | undefined, t: Translate): string {
  const service =
    claim.mention.service !== undefined
      ? t('service "{0}"', clip(claim.mention.service))
      : t('another entry');
  return fromFile !== undefined && claim.file !== fromFile
    ? t('{0} in {1}', service, baseName(claim.file))
    : service;
}

function relatedClaim(claim: Claim, message: string): RelatedClaim {
  return { file: claim.file, range: claim.mention.range, message };
}

// ---- nginx ----

/** The files one nginx instance reads together with this one, by the usual include layout. */
export function nginxInstanceOf(file: FileMentions, workspace: WorkspaceView): FileMentions[] {
  const folder = folderOf(file.file);
  const folderName = baseName(folder.slice(0, -1)).toLowerCase();
  const nginxIn = (dir: string): FileMentions[] =>
    workspace.filesInFolder(dir).filter((f) => f.kind === 'nginx');
  const files = new Map<string, FileMentions>([[file.file, file]]);
  const add = (list: FileMentions[]): void => list.forEach((f) => files.set(f.file, f));
  if (folderName === 'conf.d' || folderName === 'sites-enabled') {
    add(nginxIn(folder));
    add(
      nginxIn(folderOf(folder.slice(0, -1))).filter((f) => baseName(f.file).toLowerCase() === 'nginx.conf'),
    );
  } else if (baseName(file.file).toLowerCase() === 'nginx.conf') {
    add(nginxIn(`${folder}conf.d/`));
    add(nginxIn(`${folder}sites-enabled/`));
  }
  // The files a main nginx.conf reads inside `http { }` with this one, wherever its includes point.
  const includes = workspace.nginxIncludes?.();
  for (const { root, files: read } of includes?.instancesOf(file.file) ?? []) {
    const indexed = filesWithIds(workspace, read);
    for (const id of read) {
      const context = includes!.contextOf(id, root) ?? [];
      const other = indexed.get(id);
      if (other && !files.has(id) && (id === root || (context.length === 1 && context[0] === 'http'))) {
        files.set(id, other);
      }
    }
  }
  return [...files.values()];
}

/** nginx compares listen addresses literally: `80` is 0.0.0.0:80, a different socket from `[::]:80`. */
export function nginxAddress(mention: PortMention): string {
  const host = normalizeHost(mention.host);
  return host === '' || host === '*' ? '0.0.0.0' : host;
}

function blockOf(claim: Claim): string {
  return `${claim.file}\n${claim.mention.nginx?.serverBlock ?? ''}`;
}

/** Regex names (`~...`) are tried in order and may overlap by design; nginx only rejects exact repeats. */
function exactNames(m: PortMention): string[] {
  return distinct(
    (m.nginx?.serverNames ?? []).filter((n) => n !== '' && !n.startsWith('~')).map((n) => n.toLowerCase()),
  );
}

/** Listens of one instance on one socket (protocol, address, port), indexed once by block, default_server and name. */
class NginxSocket {
  readonly byBlock = new Map<string, Claim[]>();
  readonly defaults: Claim[] = [];
  readonly byName = new Map<string, Claim[]>();

  constructor(claims: Iterable<Claim> = []) {
    for (const claim of claims) {
      this.add(claim);
    }
  }

  /** Every mention listed here; each appears in one claim. */
  private readonly mentions = new Set<PortMention>();
  /** How many distinct claims serve any of some names, by the names (a claim shares a few at most). */
  private readonly unions = new Map<string, number>();

  has(mention: PortMention): boolean {
    return this.mentions.has(mention);
  }

  /** Distinct claims that serve at least one of `names`, counted once per set of names. */
  servingAny(names: readonly string[]): number {
    if (names.length === 1) {
      return this.byName.get(names[0]!)?.length ?? 0;
    }
    const key = names.join('\n');
    let count = this.unions.get(key);
    if (count === undefined) {
      const union = new Set<Claim>();
      for (const name of names) {
        for (const claim of this.byName.get(name) ?? []) {
          union.add(claim);
        }
      }
      count = union.size;
      this.unions.set(key, count);
    }
    return count;
  }

  add(claim: Claim): void {
    this.mentions.add(claim.mention);
    push(this.byBlock, blockOf(claim), claim);
    if (claim.mention.nginx?.defaultServer) {
      this.defaults.push(claim);
    }
    for (const name of exactNames(claim.mention)) {
      push(this.byName, name, claim);
    }
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) {
    list.push(value);
  } else {
    map.set(key, [value]);
  }
}

/**
 * The first few claims of `pools` (deduplicated) that `accept` takes. The walk stops there: the
 * caller counts the rest from group sizes, so a socket with thousands of listens costs thousands of
 * small steps, not a walk over all of them per listen.
 */
function firstOf(pools: readonly (readonly Claim[])[], accept: (c: Claim) => boolean): Claim[] {
  const first: Claim[] = [];
  const seen = new Set<Claim>();
  for (const pool of pools) {
    for (const claim of pool) {
      if (first.length >= MAX_RELATED_CLAIMS) {
        return first;
      }
      if (!seen.has(claim) && accept(claim)) {
        seen.add(claim);
        first.push(claim);
      }
    }
  }
  return first;
}

function nginxConflicts({ file, workspace, t = formatPlain }: RuleContext): Draft[] {
  const isListen = (m: PortMention): boolean =>
    m.kind === 'nginx' && m.role === 'listen' && m.nginx !== undefined;
  const own = claimsOf([file], isListen);
  if (own.length === 0) {
    return [];
  }
  const all = claimsOf(nginxInstanceOf(file, workspace), isListen);
  // Grouped once by socket; nginx has no port ranges in `listen`, so a range claim is compared one by one.
  const socketKey = (claim: Claim, port: number): string =>
    `${protocolOf(claim.mention)}\n${nginxAddress(claim.mention)}\n${port}`;
  const sockets = new Map<string, NginxSocket>();
  const ranges: Claim[] = [];
  for (const claim of all) {
    if (claim.span.from === claim.span.to) {
      const key = socketKey(claim, claim.span.from);
      let socket = sockets.get(key);
      if (!socket) {
        socket = new NginxSocket();
        sockets.set(key, socket);
      }
      socket.add(claim);
    } else {
      ranges.push(claim);
    }
  }
  const sameSocketAs = (claim: Claim): NginxSocket => {
    const overlapping = (o: Claim): boolean =>
      protocolOf(o.mention) === protocolOf(claim.mention) &&
      nginxAddress(o.mention) === nginxAddress(claim.mention) &&
      spansOverlap(o.span, claim.span);
    if (claim.span.from === claim.span.to && ranges.every((o) => !overlapping(o))) {
      return sockets.get(socketKey(claim, claim.span.from)) ?? new NginxSocket([claim]);
    }
    return new NginxSocket(all.filter(overlapping));
  };

  const findings: Draft[] = [];
  for (const claim of own) {
    if (isSuppressed(claim.mention, 'port-conflict')) {
      continue;
    }
    const address = nginxAddress(claim.mention);
    const socket = `${formatAddress(address, formatSpan(claim.mention))}`;
    const group = sameSocketAs(claim);
    const block = blockOf(claim);
    const elsewhere = (o: Claim | undefined): string | undefined =>
      o === undefined || o.file === file.file ? undefined : baseName(o.file);
    const notMe = (o: Claim): boolean => o.mention !== claim.mention;
    const otherBlock = (o: Claim): boolean => blockOf(o) !== block;

    // A claim's own mention is in its group at most once; everything else in its block repeats it.
    const mine = group.has(claim.mention) ? 1 : 0;
    const sameBlock = group.byBlock.get(block) ?? [];
    const duplicates = { total: sameBlock.length - mine, first: firstOf([sameBlock], notMe) };
    if (duplicates.total > 0) {
      findings.push({
        rule: 'port-conflict',
        message:
          duplicates.total === 1
            ? t(
                'This server block listens on {0} twice; `nginx -t` fails with "duplicate listen". Remove the repeats.',
                socket,
              )
            : t(
                'This server block listens on {0} {1} times; `nginx -t` fails with "duplicate listen". Remove the repeats.',
                socket,
                duplicates.total + 1,
              ),
        file: file.file,
        range: claim.mention.range,
        related: duplicates.first.map((o) =>
          relatedClaim(o, t('the same server block listens on {0} here', socket)),
        ),
        mention: claim.mention,
      });
      continue;
    }

    if (claim.mention.nginx?.defaultServer) {
      // From here on the block holds no other listen on this socket: only the claim itself is in it.
      const rivals = { total: group.defaults.length - mine, first: firstOf([group.defaults], otherBlock) };
      if (rivals.total > 0) {
        findings.push({
          rule: 'port-conflict',
          message: defaultServerMessage(t, socket, rivals.total, elsewhere(rivals.first[0])),
          file: file.file,
          range: claim.mention.range,
          related: rivals.first.map((o) => relatedClaim(o, t('default_server for {0} here', socket))),
          mention: claim.mention,
        });
        continue;
      }
    }

    const names = exactNames(claim.mention);
    const shared = names.filter((n) => (group.byName.get(n) ?? []).some(otherBlock));
    if (shared.length === 0) {
      continue;
    }
    const rivals = {
      total: group.servingAny(shared) - mine,
      first: firstOf(
        shared.map((n) => group.byName.get(n) ?? []),
        otherBlock,
      ),
    };
    const listed = shared.slice(0, MAX_RELATED_CLAIMS).map((n) => `"${clip(n)}"`);
    const list =
      shared.length > listed.length
        ? t('{0} and {1} more', listed.join(', '), shared.length - listed.length)
        : listed.join(', ');
    const rivalFile = elsewhere(rivals.first[0]);
    const by =
      rivals.total !== 1
        ? t('{0} other server blocks', rivals.total)
        : rivalFile === undefined
          ? t('another server block')
          : t('another server block in {0}', rivalFile);
    findings.push({
      rule: 'port-conflict',
      message: t(
        'server_name {0} is also served on {1} by {2}; nginx warns "conflicting server name" and ignores one of them, so requests reach the wrong site. Merge the blocks or rename one.',
        list,
        socket,
        by,
      ),
      file: file.file,
      range: claim.mention.range,
      related: rivals.first.map((o) => relatedClaim(o, t('server_name {0} on {1} here', list, socket))),
      mention: claim.mention,
    });
  }
  return findings;
}

function defaultServerMessage(
  t: Translate,
  socket: string,
  rivals: number,
  rivalFile: string | undefined,
): string {
  if (rivals !== 1) {
    return rivalFile === undefined
      ? t(
          '{1} other server blocks are also the default_server for {0}; `nginx -t` fails with "a duplicate default server". Keep default_server on one of them.',
          socket,
          rivals,
        )
      : t(
          '{1} other server blocks in {2} are also the default_server for {0}; `nginx -t` fails with "a duplicate default server". Keep default_server on one of them.',
          socket,
          rivals,
          rivalFile,
        );
  }
  return rivalFile === undefined
    ? t(
        'Another server block is also the default_server for {0}; `nginx -t` fails with "a duplicate default server". Keep default_server on one of them.',
        socket,
      )
    : t(
        'Another server block in {1} is also the default_server for {0}; `nginx -t` fails with "a duplicate default server". Keep default_server on one of them.',
        socket,
        rivalFile,
      );
}
