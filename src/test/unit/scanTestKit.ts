// Shared by the finders' tests: one way to look at a mention, so every finder is held to the same reading.
import assert from 'node:assert/strict';
import type { PortMention } from '../../scan/mention';

/** The optional facts a view shows only when a finder set them, so expectations list what matters. */
export const MENTION_FACTS = ['portEnd', 'host', 'variable', 'isDefault', 'scheme', 'protocol'] as const;

/** What a mention says, with the exact characters its range covers. */
export function view(
  text: string,
  m: PortMention,
  facts: readonly (keyof PortMention)[] = MENTION_FACTS,
): Record<string, unknown> {
  const v: Record<string, unknown> = { at: written(text, m), port: m.port, role: m.role };
  for (const key of facts) {
    if (m[key] !== undefined) {
      v[key] = m[key];
    }
  }
  return v;
}

/** A line finder as a test reads it: every mention of the expected kind, each as its view. */
export function scannerOf(
  find: (text: string) => PortMention[],
  kind: PortMention['kind'],
): (text: string) => Record<string, unknown>[] {
  return (text) => {
    const mentions = find(text);
    for (const m of mentions) {
      assert.equal(m.kind, kind);
    }
    return mentions.map((m) => view(text, m));
  };
}

/** What the mention points at in the text. */
export function written(text: string, mention: PortMention): string {
  return text.slice(mention.range.start, mention.range.end);
}

/** The one mention whose characters start at the first `needle` after `after`, plus `offset`. */
export function at(
  mentions: PortMention[],
  text: string,
  needle: string,
  offset = 0,
  after = '',
): PortMention {
  const from = after ? text.indexOf(after) : 0;
  assert.ok(from >= 0, `fixture has ${after}`);
  const start = text.indexOf(needle, from);
  assert.ok(start >= 0, `fixture has ${needle}`);
  const found = mentions.filter((m) => m.range.start === start + offset);
  assert.equal(
    found.length,
    1,
    `one mention at ${JSON.stringify(needle)}+${offset}, got ${JSON.stringify(found)}`,
  );
  return found[0];
}
