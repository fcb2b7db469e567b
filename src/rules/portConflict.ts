// `port-conflict`: two claims on the same host socket that would run together.
// Compose: every published port of one project (a file, plus its base or overrides, which Compose
// merges). nginx: listens of one instance (one file, plus the conf.d/sites-enabled it includes).
// Code, .env and Kubernetes claims are never compared: reading PORT twice is one service, not two.
import { normalizeHost } from '../model/host';
import { formatPlain, type Translate } from '../model/translate';
import { composeProjectFiles } from '../scan/compose';
import type { PortMention } from '../scan/mention';
import {
  baseName,
  folderOf,
  formatAddress,
  formatSpan,
  hostsOverlap,
  isSuppressed,
  portSpan,
  protocolOf,
  spansOverlap,
} from './claims';
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

function composeProjectOf(file: FileMentions, workspace: WorkspaceView): FileMentions[] {
  const siblings = workspace.filesInFolder(folderOf(file.file)).filter((f) => f.kind === 'compose');
  const names = composeProjectFiles(
    file.file,
    siblings.map((f) => baseName(f.file)),
  );
  const byId = new Map(siblings.map((f) => [f.file, f]));
  byId.set(file.file, file);
  return names.map((name) => byId.get(name)).filter((f): f is FileMentions => f !== undefined);
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

function composeConflicts({ file, workspace, t = formatPlain }: RuleContext): Draft[] {
  const isPublish = (m: PortMention): boolean => m.kind === 'compose' && m.role === 'publish';
  const own = claimsOf([file], isPublish);
  if (own.length === 0) {
    return [];
  }
  const project = composeProjectOf(file, workspace);
  const claims = new ClaimsByPort(claimsOf(project, isPublish));
  const findings: Draft[] = [];
  for (const claim of own) {
    if (isSuppressed(claim.mention, 'port-conflict')) {
      continue;
    }
    const others = claims
      .near(claim)
      .filter(
        (other) =>
          other.mention !== claim.mention &&
          protocolOf(other.mention) === protocolOf(claim.mention) &&
          spansOverlap(other.span, claim.span) &&
          hostsOverlap(other.mention.host, claim.mention.host) &&
          !sameMapping(other.mention, claim.mention),
      );
    if (others.length === 0) {
      continue;
    }
    const socket = `${formatAddress(claim.mention.host, formatSpan(claim.mention))}/${protocolOf(claim.mention)}`;
    const who = others.map((o) => describeComposeClaim(o, file.file, t)).join(', ');
    const defaults = claim.mention.isDefault || others.some((o) => o.mention.isDefault);
    findings.push({
      rule: 'port-conflict',
      message: defaults
        ? t(
            'Host port {0} is also published by {1} (with the variables at their defaults). Both run in one Compose project, so `docker compose up` fails with "port is already allocated"; publish one of them on another host port.',
            socket,
            who,
          )
        : t(
            'Host port {0} is also published by {1}. Both run in one Compose project, so `docker compose up` fails with "port is already allocated"; publish one of them on another host port.',
            socket,
            who,
          ),
      file: file.file,
      range: claim.mention.range,
      related: others.map((o) =>
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

/**
 * Claims bucketed by protocol and port, so a project with thousands of published ports is
 * checked in near-linear time rather than comparing every claim with every other.
 */
class ClaimsByPort {
  private readonly single = new Map<string, Claim[]>();
  private readonly ranges: Claim[] = [];

  constructor(private readonly all: Claim[]) {
    for (const claim of all) {
      if (claim.span.from === claim.span.to) {
        const key = `${protocolOf(claim.mention)}:${claim.span.from}`;
        const bucket = this.single.get(key);
        if (bucket) {
          bucket.push(claim);
        } else {
          this.single.set(key, [claim]);
        }
      } else {
        this.ranges.push(claim);
      }
    }
  }

  /** Every claim whose span may overlap this one's (a superset; callers still check). */
  near(claim: Claim): Claim[] {
    const width = claim.span.to - claim.span.from + 1;
    if (width > this.single.size) {
      return this.all;
    }
    const protocol = protocolOf(claim.mention);
    const found: Claim[] = [...this.ranges];
    for (let port = claim.span.from; port <= claim.span.to; port++) {
      const bucket = this.single.get(`${protocol}:${port}`);
      if (bucket) {
        found.push(...bucket);
      }
    }
    return found;
  }
}

function describeComposeClaim(claim: Claim, fromFile: string | undefined, t: Translate): string {
  const service =
    claim.mention.service !== undefined ? t('service "{0}"', claim.mention.service) : t('another entry');
  return fromFile !== undefined && claim.file !== fromFile
    ? t('{0} in {1}', service, baseName(claim.file))
    : service;
}

function relatedClaim(claim: Claim, message: string): RelatedClaim {
  return { file: claim.file, range: claim.mention.range, message };
}

// ---- nginx ----

/** The files one nginx instance reads together with this one, by the usual include layout. */
function nginxInstanceOf(file: FileMentions, workspace: WorkspaceView): FileMentions[] {
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
  return [...files.values()];
}

/** nginx compares listen addresses literally: `80` is 0.0.0.0:80, a different socket from `[::]:80`. */
function nginxAddress(mention: PortMention): string {
  const host = normalizeHost(mention.host);
  return host === '' || host === '*' ? '0.0.0.0' : host;
}

function sameBlock(a: Claim, b: Claim): boolean {
  return a.file === b.file && a.mention.nginx?.serverBlock === b.mention.nginx?.serverBlock;
}

function nginxConflicts({ file, workspace, t = formatPlain }: RuleContext): Draft[] {
  const isListen = (m: PortMention): boolean =>
    m.kind === 'nginx' && m.role === 'listen' && m.nginx !== undefined;
  const own = claimsOf([file], isListen);
  if (own.length === 0) {
    return [];
  }
  const all = claimsOf(nginxInstanceOf(file, workspace), isListen);
  const findings: Draft[] = [];
  for (const claim of own) {
    if (isSuppressed(claim.mention, 'port-conflict')) {
      continue;
    }
    const address = nginxAddress(claim.mention);
    const socket = `${formatAddress(address, formatSpan(claim.mention))}`;
    const sameSocket = all.filter(
      (o) =>
        o.mention !== claim.mention &&
        protocolOf(o.mention) === protocolOf(claim.mention) &&
        nginxAddress(o.mention) === address &&
        spansOverlap(o.span, claim.span),
    );
    const elsewhere = (o: Claim): string | undefined => (o.file === file.file ? undefined : baseName(o.file));

    const duplicates = sameSocket.filter((o) => sameBlock(o, claim));
    if (duplicates.length > 0) {
      findings.push({
        rule: 'port-conflict',
        message: t(
          'This server block listens on {0} twice; `nginx -t` fails with "duplicate listen". Remove one of them.',
          socket,
        ),
        file: file.file,
        range: claim.mention.range,
        related: duplicates.map((o) =>
          relatedClaim(o, t('the same server block listens on {0} here', socket)),
        ),
        mention: claim.mention,
      });
      continue;
    }

    const otherBlocks = sameSocket.filter((o) => !sameBlock(o, claim));
    if (claim.mention.nginx?.defaultServer) {
      const rivals = otherBlocks.filter((o) => o.mention.nginx?.defaultServer);
      if (rivals.length > 0) {
        const rivalFile = elsewhere(rivals[0]);
        findings.push({
          rule: 'port-conflict',
          message:
            rivalFile === undefined
              ? t(
                  'Another server block is also the default_server for {0}; `nginx -t` fails with "a duplicate default server". Keep default_server on one of them.',
                  socket,
                )
              : t(
                  'Another server block in {1} is also the default_server for {0}; `nginx -t` fails with "a duplicate default server". Keep default_server on one of them.',
                  socket,
                  rivalFile,
                ),
          file: file.file,
          range: claim.mention.range,
          related: rivals.map((o) => relatedClaim(o, t('default_server for {0} here', socket))),
          mention: claim.mention,
        });
        continue;
      }
    }

    // Regex names (`~...`) are tried in order and may overlap by design; nginx only rejects exact repeats.
    const exactNames = (m: PortMention): string[] =>
      (m.nginx?.serverNames ?? []).filter((n) => n !== '' && !n.startsWith('~')).map((n) => n.toLowerCase());
    const names = new Set(exactNames(claim.mention));
    if (names.size === 0) {
      continue;
    }
    const shared = new Set<string>();
    const rivals = otherBlocks.filter((o) => {
      const theirs = exactNames(o.mention).filter((n) => names.has(n));
      theirs.forEach((n) => shared.add(n));
      return theirs.length > 0;
    });
    if (rivals.length > 0) {
      const rivalFile = elsewhere(rivals[0]);
      const list = [...shared].map((n) => `"${n}"`).join(', ');
      findings.push({
        rule: 'port-conflict',
        message:
          rivalFile === undefined
            ? t(
                'server_name {0} is also served on {1} by another server block; nginx warns "conflicting server name" and ignores one of them, so requests reach the wrong site. Merge the blocks or rename one.',
                list,
                socket,
              )
            : t(
                'server_name {0} is also served on {1} by another server block in {2}; nginx warns "conflicting server name" and ignores one of them, so requests reach the wrong site. Merge the blocks or rename one.',
                list,
                socket,
                rivalFile,
              ),
        file: file.file,
        range: claim.mention.range,
        related: rivals.map((o) => relatedClaim(o, t('server_name {0} on {1} here', list, socket))),
        mention: claim.mention,
      });
    }
  }
  return findings;
}
