// Live rules: `port-in-use` (a port this file binds or publishes is already held on this machine,
// so starting it would fail with "address already in use") and `not-listening` (a local `connect`
// target nobody listens on). They run only when a LiveView is attached.
//
// False positives are worse than silence here, because the usual holder of a declared port is the
// declared program itself, already running:
// - a compose publish held by a container of this very compose file and service is this stack,
//   running: said at information level, naming the container; a container of another project
//   stays a warning that names it. Without an engine to ask, a compose publish held by
//   docker-proxy is still taken for this stack (information);
// - an nginx `listen` held by nginx is most likely this server: information level too;
// - a code file whose path appears in the holder's command line (`node server.js`) is that
//   program: not reported at all.
import { fileURLToPath } from 'node:url';
import { isContainerPublisher as isPublisherProcess } from '../model/containerProxy';
import { isLoopbackHost, isWildcardHost, normalizeHost, unmapIpv4 } from '../model/host';
import { MAX_PORT, type Protocol } from '../model/port';
import { bindsPort, MAX_RANGE_PROBED } from '../model/roles';
import { formatPlain, type Translate } from '../model/translate';
import type { PortMention } from '../scan/mention';
import { isComposeFileOf } from '../system/containerPorts';
import { baseName, formatAddress, isSuppressed, portSpan, protocolOf } from './claims';
import type { Finding, Rule, RuleContext } from './types';

type Draft = Omit<Finding, 'severity'>;

/** A holder as the live view reports it; `command`, `proxy` and `ownerVisible` when the source knows them. */
export interface LiveHolder {
  pid?: number;
  process?: string;
  address: string;
  command?: string;
  proxy?: string;
  ownerVisible?: boolean;
  /** The container publishing the port, when a container engine named it. */
  container?: {
    name: string;
    image?: string;
    project?: string;
    service?: string;
    configFiles?: string[];
    workingDir?: string;
  };
}

function isContainerPublisher(holder: LiveHolder): boolean {
  return holder.proxy === 'docker' || isPublisherProcess(holder.process);
}

function unmap(address: string): string {
  return unmapIpv4(normalizeHost(address));
}

/** Whether a claim on `host` collides with a socket bound to `address`. */
export function addressesCollide(host: string | undefined, address: string): boolean {
  if (isWildcardHost(host) || isWildcardHost(address)) {
    return true;
  }
  const h = unmap(host ?? '');
  const a = unmap(address);
  if (h === 'localhost') {
    return isLoopbackHost(a);
  }
  return h === a;
}

/** A `connect` to `host` reaches a socket bound to `address` (a wildcard bind accepts loopback too). */
function reachable(host: string | undefined, address: string): boolean {
  const a = unmap(address);
  if (isWildcardHost(a)) {
    return true;
  }
  const h = unmap(host ?? '');
  if (h === 'localhost') {
    return isLoopbackHost(a);
  }
  return h === a;
}

function ownerText(holder: LiveHolder, t: Translate): string {
  const container = holder.container;
  if (container) {
    return container.project !== undefined
      ? t(
          'container {0} (service {1} of compose project {2})',
          container.name,
          container.service ?? '?',
          container.project,
        )
      : container.image
        ? t('container {0} ({1})', container.name, container.image)
        : t('container {0}', container.name);
  }
  if (holder.pid === undefined || holder.ownerVisible === false) {
    return t('a process whose owner is not visible');
  }
  return t('{0} (pid {1})', holder.process ?? t('a process'), holder.pid);
}

/** The running program is this very file: `node server.js` holding the port server.js listens on. */
function isThisProgram(file: string, holder: LiveHolder): boolean {
  if (!holder.command) {
    return false;
  }
  const name = safeDecode(baseName(file));
  if (name.length < 3) {
    return false;
  }
  return holder.command
    .split(/\s+/)
    .some((arg) => arg === name || arg.endsWith(`/${name}`) || arg.endsWith(`\\${name}`));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // Not percent-encoded after all (a literal `%` in the name): compare it as written.
    return text;
  }
}

/** Holders of the first busy port a claim covers, or undefined when none is busy (or nothing is known). */
function busyPort(
  context: RuleContext,
  mention: PortMention,
  protocol: Protocol,
): { port: number; holders: LiveHolder[] } | undefined {
  const span = portSpan(mention);
  if (!span || !context.live) {
    return undefined;
  }
  for (let port = span.from; port <= Math.min(span.to, span.from + MAX_RANGE_PROBED - 1); port++) {
    const holders: LiveHolder[] | undefined = context.live.holders(port, protocol);
    if (holders === undefined) {
      return undefined;
    }
    const colliding = holders.filter((h) => addressesCollide(mention.host, h.address));
    if (colliding.length > 0) {
      return { port, holders: colliding };
    }
  }
  return undefined;
}

type Verdict = 'other-process' | 'this-stack' | 'this-program';

/** The checked file as a path on disk (rules get a URI string from the editor, a path from the CLI). */
function diskPath(file: string): string | undefined {
  if (file.startsWith('file:')) {
    try {
      return fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  return /^[a-z][a-z0-9+.-]*:/i.test(file) && !/^[a-z]:[\\/]/i.test(file) ? undefined : file;
}

/** This compose file's own service, running: its container publishes the port. */
function isOwnService(file: string, mention: PortMention, holder: LiveHolder): boolean {
  const container = holder.container;
  const path = diskPath(file);
  if (!container || path === undefined || !isComposeFileOf(container, path)) {
    return false;
  }
  return (
    mention.service === undefined || container.service === undefined || mention.service === container.service
  );
}

function judge(context: RuleContext, mention: PortMention, holders: LiveHolder[]): Verdict {
  if (holders.some((h) => isThisProgram(context.file.file, h))) {
    return 'this-program';
  }
  if (mention.kind === 'compose' && mention.role === 'publish' && holders.every(isContainerPublisher)) {
    // Named containers decide; only when no engine named them is a proxy taken for this stack.
    if (holders.some((h) => h.container !== undefined)) {
      return holders.every((h) => isOwnService(context.file.file, mention, h))
        ? 'this-stack'
        : 'other-process';
    }
    return 'this-stack';
  }
  if (
    mention.kind === 'nginx' &&
    holders.every((h) => h.process !== undefined && /^nginx/i.test(h.process))
  ) {
    return 'this-stack';
  }
  return 'other-process';
}

function inUseDrafts(context: RuleContext, want: Verdict): Draft[] {
  const t = context.t ?? formatPlain;
  const drafts: Draft[] = [];
  for (const mention of context.file.mentions) {
    if (!bindsPort(mention.role) || isSuppressed(mention, 'port-in-use')) {
      continue;
    }
    const protocol = protocolOf(mention);
    if (protocol === 'sctp') {
      continue;
    }
    const busy = busyPort(context, mention, protocol);
    if (!busy || judge(context, mention, busy.holders) !== want) {
      continue;
    }
    const where = formatAddress(mention.host, String(busy.port));
    const owners = [...new Set(busy.holders.map((h) => ownerText(h, t)))].join(', ');
    let message: string;
    const container = busy.holders.find((h) => h.container !== undefined)?.container;
    if (want === 'this-stack' && container) {
      message = t(
        'Port {0} is published by {1}, service {2} of this compose project {3}: the stack is running.',
        busy.port,
        container.name,
        container.service ?? '?',
        container.project ?? '?',
      );
    } else if (want === 'this-stack') {
      message =
        mention.kind === 'compose'
          ? t('Port {0} is in use by {1} (this stack may already be running).', busy.port, owners)
          : t('Port {0} is in use by {1} (this server may already be running).', busy.port, owners);
    } else if (container) {
      message = t(
        'Port {0}/{1} is already in use by {2}: stop that container to free it.',
        where,
        protocol,
        owners,
      );
    } else if (busy.holders.every(isContainerPublisher)) {
      message = t(
        'Port {0}/{1} is already in use by {2}, a port published by a Docker container: stop that container to free it.',
        where,
        protocol,
        owners,
      );
    } else {
      message = t(
        'Port {0}/{1} is already in use on this machine by {2}: starting this would fail with "address already in use".',
        where,
        protocol,
        owners,
      );
    }
    drafts.push({
      rule: 'port-in-use',
      message,
      file: context.file.file,
      range: mention.range,
      related: [],
      mention,
      data: { suggestedPort: Math.min(busy.port + 1, MAX_PORT) },
    });
  }
  return drafts;
}

/** `port-in-use`: another process holds a port this file binds or publishes. */
export const portInUseRule: Rule = {
  id: 'port-in-use',
  defaultSeverity: 'warning',
  needsLive: true,
  check: (context) => inUseDrafts(context, 'other-process'),
};

/**
 * `port-in-use` when the holder is most likely this very stack or server, already running. Same
 * rule id (one setting turns both off or sets both severities); information by default.
 */
export const portInUseByItselfRule: Rule = {
  id: 'port-in-use',
  defaultSeverity: 'information',
  needsLive: true,
  check: (context) => inUseDrafts(context, 'this-stack'),
};

/** `not-listening`: a `connect` to a loopback address where nothing listens right now. */
export const notListeningRule: Rule = {
  id: 'not-listening',
  defaultSeverity: 'hint',
  needsLive: true,
  check(context: RuleContext): Draft[] {
    const t = context.t ?? formatPlain;
    const drafts: Draft[] = [];
    if (!context.live) {
      return drafts;
    }
    for (const mention of context.file.mentions) {
      if (
        mention.role !== 'connect' ||
        !isLoopbackHost(mention.host) ||
        isSuppressed(mention, 'not-listening')
      ) {
        continue;
      }
      const span = portSpan(mention);
      const protocol = protocolOf(mention);
      if (!span || span.from !== span.to || protocol !== 'tcp') {
        continue;
      }
      const holders: LiveHolder[] | undefined = context.live.holders(span.from, protocol);
      if (holders === undefined || holders.some((h) => reachable(mention.host, h.address))) {
        continue;
      }
      drafts.push({
        rule: 'not-listening',
        message: t(
          'Nothing is listening on {0} on this machine right now.',
          formatAddress(mention.host, String(span.from)),
        ),
        file: context.file.file,
        range: mention.range,
        related: [],
        mention,
      });
    }
    return drafts;
  },
};

/** The live rules, for `runRules(context, { extraRules: LIVE_RULES })`. */
export const LIVE_RULES: readonly Rule[] = [portInUseRule, portInUseByItselfRule, notListeningRule];
