// Shared builders for the rules tests: hand-made mentions, scanned files, one-call rule runs.
import { scanText } from '../../scan';
import type { PortMention } from '../../scan/mention';
import { runRules, type RunOptions } from '../../rules';
import { WorkspaceIndex } from '../../workspace';
import type { FileMentions, Finding, LiveView, PortLimits } from '../../rules/types';
import { detectFileKind } from '../../scan';

export const LINUX_LIMITS: PortLimits = {
  unprivilegedPortStart: 1024,
  ephemeralRange: { from: 32768, to: 60999 },
};

let nextOffset = 0;

/** A mention with a fresh, distinct range unless one is given. */
export function mention(
  fields: Partial<PortMention> & Pick<PortMention, 'port' | 'role' | 'kind'>,
): PortMention {
  const start = nextOffset;
  nextOffset += 10;
  return { range: { start, end: start + String(fields.port).length }, ...fields };
}

export function file(path: string, mentions: PortMention[], kind = mentions[0]?.kind): FileMentions {
  return { file: path, kind, mentions };
}

/** Scans real text the way the CLI and the index do. */
export function scanned(path: string, text: string): FileMentions {
  return { file: path, kind: detectFileKind(path, undefined, text), mentions: scanText(path, text), text };
}

export function check(
  target: FileMentions,
  others: FileMentions[] = [],
  options: RunOptions & { limits?: PortLimits; live?: LiveView } = {},
): Finding[] {
  const workspace = WorkspaceIndex.of([target, ...others]);
  return runRules(
    { file: target, workspace, limits: options.limits ?? LINUX_LIMITS, live: options.live },
    options,
  );
}

export function rulesOf(findings: Finding[], rule?: string): Finding[] {
  return rule ? findings.filter((f) => f.rule === rule) : findings;
}

/** The text a finding points at. */
export function textAt(target: FileMentions, finding: Finding): string {
  return (target.text ?? '').slice(finding.range.start, finding.range.end);
}

export function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}
