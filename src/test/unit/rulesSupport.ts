// Shared builders for the rules tests: hand-made mentions, scanned files, one-call rule runs.
import * as assert from 'node:assert/strict';
import { fixesFor } from '../../rules/fixes';
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

/** The text after applying a finding's preferred fix. */
export function withPreferredFix(f: FileMentions, finding: Finding): string {
  const fix = fixesFor(finding, {
    file: f.file,
    kind: f.kind,
    text: f.text!,
    workspace: WorkspaceIndex.of([f]),
  }).find((x) => x.kind === 'edit' && x.preferred === true);
  assert.ok(fix && fix.kind === 'edit', `no preferred fix for ${finding.rule}`);
  let text = f.text!;
  for (const edit of [...fix.edits].sort((a, b) => b.range.start - a.range.start)) {
    text = text.slice(0, edit.range.start) + edit.newText + text.slice(edit.range.end);
  }
  return text;
}

/** A Compose file with one service, `web`, publishing `ports` (YAML list lines); `extra` goes before them. */
export function composeWithPorts(ports: string, extra = ''): string {
  return `services:\n  web:\n    image: nginx\n${extra}    ports:\n${ports}`;
}
