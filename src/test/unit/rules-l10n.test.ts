// Rule messages and registry notes go through the translator they are given, whole.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describePort } from '../../data/registry';
import { formatPlain, type Translate } from '../../model/translate';
import { runRules } from '../../rules';
import { WorkspaceIndex } from '../../workspace';
import { LIVE_RULES } from '../../rules/portInUse';
import type { FileMentions, Finding, LiveView, RuleId } from '../../rules/types';
import { file, LINUX_LIMITS, mention } from './rulesSupport';

/** Wraps every translated piece in «», so untranslated text shows up outside the marks. */
const marking: Translate = (message, ...args) => `«${formatPlain(message, ...args)}»`;

/** True when nothing but spaces lies outside the «» pieces (arguments may nest pieces). */
function wholeTranslated(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === '«') {
      depth++;
    } else if (c === '»') {
      depth--;
    } else if (depth === 0 && c !== ' ') {
      return false;
    }
  }
  return depth === 0 && text.startsWith('«');
}

const live: LiveView = {
  holders: (port) => (port === 3000 ? [{ pid: 4242, process: 'python3', address: '0.0.0.0' }] : []),
};

function findingsOf(files: FileMentions[], t: Translate | undefined): Finding[] {
  const workspace = WorkspaceIndex.of(files);
  return files.flatMap((f) =>
    runRules({ file: f, workspace, limits: LINUX_LIMITS, live, t }, { extraRules: LIVE_RULES }),
  );
}

function everyRuleOnce(): FileMentions[] {
  return [
    file('/w/app.ts', [
      mention({ port: 99999, role: 'listen', kind: 'code' }),
      mention({ port: 80, role: 'listen', kind: 'code' }),
      mention({ port: 40000, role: 'listen', kind: 'code' }),
      mention({ port: 23, role: 'listen', kind: 'code' }),
      mention({ port: 3000, role: 'listen', kind: 'code' }),
      mention({ port: 3001, role: 'connect', kind: 'code', host: 'localhost' }),
    ]),
    file('/w/compose.yaml', [
      mention({ port: 8080, role: 'publish', kind: 'compose', service: 'web', counterpart: { port: 80 } }),
      mention({ port: 8080, role: 'publish', kind: 'compose', service: 'api', counterpart: { port: 81 } }),
      mention({ port: 5432, role: 'publish', kind: 'compose', service: 'db', counterpart: { port: 5432 } }),
    ]),
  ];
}

describe('rules: localized messages', () => {
  it('every rule speaks through the translator, messages and related notes alike', () => {
    const findings = findingsOf(everyRuleOnce(), marking);
    const rules = new Set<RuleId>(findings.map((f) => f.rule));
    assert.deepEqual([...rules].sort(), [
      'ephemeral-port',
      'exposed-database',
      'insecure-protocol',
      'invalid-port',
      'not-listening',
      'port-conflict',
      'port-in-use',
      'privileged-port',
    ]);
    for (const f of findings) {
      assert.ok(wholeTranslated(f.message), `${f.rule}: ${f.message}`);
      for (const r of f.related) {
        assert.ok(wholeTranslated(r.message), `${f.rule} related: ${r.message}`);
      }
    }
  });

  it('reads the same in English whether or not a translator is given', () => {
    const plain = findingsOf(everyRuleOnce(), undefined).map((f) => f.message);
    const formatted = findingsOf(everyRuleOnce(), formatPlain).map((f) => f.message);
    assert.deepEqual(formatted, plain);
    assert.ok(
      plain.includes('Nothing is listening on localhost:3001 on this machine right now.'),
      plain.join('\n'),
    );
  });

  it('speaks Brazilian Portuguese with the pt-br bundle', () => {
    const bundle = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, '../../../l10n/bundle.l10n.pt-br.json'), 'utf8'),
    ) as Record<string, string>;
    const portuguese: Translate = (message, ...args) => formatPlain(bundle[message] ?? message, ...args);
    const messages = findingsOf(everyRuleOnce(), portuguese).map((f) => f.message);
    assert.ok(
      messages.includes('Nada está em escuta em localhost:3001 nesta máquina agora.'),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) => m.startsWith('Não é uma porta: 99999 é maior que 65535, a porta mais alta.')),
      messages.join('\n'),
    );
  });

  it('translates the registry notes a hover shows', () => {
    for (const [port, protocol] of [
      [23, 'tcp'],
      [5432, 'tcp'],
      [53, 'udp'],
      [40000, 'tcp'],
      [99999, 'tcp'],
      [0, 'tcp'],
      [6000, 'tcp'],
    ] as const) {
      const info = describePort(port, protocol, { t: marking });
      for (const note of [...info.rangeNotes, ...info.security]) {
        assert.ok(wholeTranslated(note), `${port}/${protocol}: ${note}`);
      }
    }
    assert.equal(describePort(23, 'tcp', { t: marking }).security.length, 1);
    assert.equal(describePort(5432, 'tcp', { t: marking }).security.length, 1);
  });
});
