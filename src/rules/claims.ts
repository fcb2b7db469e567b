// Shared reasoning about what a mention claims on the host: which port span, which protocol, which address.
import { normalizeHost, isWildcardHost } from '../model/host';
import { isValidPort, type Protocol } from '../model/port';
import type { FileKind, PortMention } from '../scan/mention';
import type { FileMentions, RuleId, WorkspaceView } from './types';

export function isSuppressed(mention: PortMention, rule: RuleId): boolean {
  const s = mention.suppressed;
  return s !== undefined && (s.includes('*') || s.includes(rule));
}

/** The mentions of one file kind whose finder recorded how they were written, not silenced for `rule`. */
export function writtenMentions(
  mentions: readonly PortMention[],
  kind: FileKind,
  rule: RuleId,
): PortMention[] {
  return mentions.filter((m) => m.kind === kind && m.syntax !== undefined && !isSuppressed(m, rule));
}

/** The inclusive span of a mention, or undefined when it is not a usable port or range. */
export function portSpan(mention: PortMention): { from: number; to: number } | undefined {
  const to = mention.portEnd ?? mention.port;
  if (!isValidPort(mention.port) || !isValidPort(to) || to < mention.port) {
    return undefined;
  }
  return { from: mention.port, to };
}

/** Most ports of one span visited by `forEachSpannedPort` beyond its first: `1-65535` is not a claim on each. */
export const MAX_SPAN_VISITED = 1024;

/**
 * Calls `visit` for each port of a mention's span (up to MAX_SPAN_VISITED past its first); nothing for
 * a mention that is not a usable port or range. The one walk behind claimed and served ports.
 */
export function forEachSpannedPort(mention: PortMention, visit: (port: number) => void): void {
  const span = portSpan(mention);
  if (!span) {
    return;
  }
  for (let p = span.from; p <= Math.min(span.to, span.from + MAX_SPAN_VISITED); p++) {
    visit(p);
  }
}

export function spansOverlap(a: { from: number; to: number }, b: { from: number; to: number }): boolean {
  return a.from <= b.to && b.from <= a.to;
}

export function protocolOf(mention: PortMention): Protocol {
  return mention.protocol ?? 'tcp';
}

/**
 * Whether two bind addresses can collide: a wildcard collides with everything, two specific
 * addresses only when equal. An unresolved variable (`${BIND_IP}`) only equals itself, so an
 * unknown is never reported as a conflict with a different unknown.
 */
export function hostsOverlap(a: string | undefined, b: string | undefined): boolean {
  if (isWildcardHost(a) || isWildcardHost(b)) {
    return true;
  }
  return normalizeHost(a) === normalizeHost(b);
}

export function formatSpan(mention: PortMention): string {
  return mention.portEnd !== undefined ? `${mention.port}-${mention.portEnd}` : String(mention.port);
}

export function formatAddress(host: string | undefined, port: string): string {
  const h = normalizeHost(host);
  if (h === '') {
    return port;
  }
  return h.includes(':') ? `[${h}]:${port}` : `${h}:${port}`;
}

/** Base name of a '/'-separated (or Windows) file id, for messages. */
export function baseName(file: string): string {
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return file.slice(cut + 1);
}

export function folderOf(file: string): string {
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return file.slice(0, cut + 1);
}

/** The indexed files with these ids, by id: one folder listing per folder, so many ids cost no more than their folders. */
export function filesWithIds(workspace: WorkspaceView, ids: Iterable<string>): Map<string, FileMentions> {
  const wanted = new Set(ids);
  const out = new Map<string, FileMentions>();
  if (workspace.get) {
    for (const id of wanted) {
      const f = workspace.get(id);
      if (f) {
        out.set(id, f);
      }
    }
    return out;
  }
  const folders = new Set<string>();
  for (const id of wanted) {
    folders.add(folderOf(id));
  }
  for (const folder of folders) {
    for (const f of workspace.filesInFolder(folder)) {
      if (wanted.has(f.file)) {
        out.set(f.file, f);
      }
    }
  }
  return out;
}
