import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const script = path.join(root, 'scripts', 'l10n-extract.mjs');
const fixtures = 'src/test/fixtures/l10n';

type BundleValue = string | { message: string; comment: string[] };
type Bundle = Record<string, BundleValue>;

function extract(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function extractBundle(...args: string[]): Bundle {
  const run = extract('--print', ...args);
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Bundle;
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as T;
const messageOf = (value: BundleValue): string => (typeof value === 'string' ? value : value.message);

/** `{0}`, `{name}`: what `vscode.l10n.t` substitutes. */
const placeholders = (text: string): string[] => [...new Set(text.match(/\{\w+\}/g) ?? [])].sort();
/** `$(name)` and `$(name~spin)`: VS Code renders these as icons only when spelled exactly. */
const codicons = (text: string): string[] => (text.match(/\$\([\w-]+(?:~[\w-]+)?\)/g) ?? []).sort();
/** Things a translator must not touch: dotted names, signal and state names, addresses. */
const verbatimTokens = (text: string): string[] =>
  (text.match(/\b\d+(?:\.\d+){3}\b|\b[A-Za-z][\w-]*(?:\.[A-Za-z]\w*)+|\b[A-Z][A-Z0-9_]{2,}\b/g) ?? []).sort();

describe('l10n extraction script', function () {
  // Each run starts Node and loads the TypeScript parser: about a second on a busy machine.
  this.timeout(20000);
  let okBundle: Bundle;
  before(() => {
    okBundle = extractBundle('--src', `${fixtures}/ok`);
  });

  it('reads literals, quote styles, plain templates, + chains and escapes', () => {
    for (const message of [
      'Plain literal',
      'Double quotes with {0}',
      'Template without substitutions',
      'Joined across lines',
      "Escapes: “quoted” 'single' tab\tend",
      'Imported l10n',
      'Object without comment',
    ]) {
      assert.equal(okBundle[message], message, message);
    }
  });

  it('reads the calls of a Translate received as t or c.t', () => {
    assert.equal(okBundle['$(pass) Through a Translate'], '$(pass) Through a Translate');
    assert.equal(okBundle['{0} through a context'], '{0} through a context');
  });

  it('keys a commented message as message/comment, as VS Code looks it up', () => {
    assert.deepEqual(okBundle['With a comment {0}/port number'], {
      message: 'With a comment {0}',
      comment: ['port number'],
    });
    assert.deepEqual(okBundle['With comments/first second'], {
      message: 'With comments',
      comment: ['first ', 'second'],
    });
    assert.equal(okBundle['With a comment {0}'], undefined);
  });

  it('leaves out strings that are not localized and lists a repeated message once', () => {
    assert.equal(okBundle['Shown but not localized'], undefined);
    assert.equal(okBundle['not a message'], undefined);
    assert.equal(Object.keys(okBundle).length, 11);
  });

  for (const [file, reason] of [
    ['variable.ts', /variable\.ts:4:10: cannot read the message of vscode\.l10n\.t\(text\)/],
    ['template.ts', /template\.ts:4:10: cannot read the message of t\(`Port \$\{port\} is free`\)/],
    ['comment.ts', /comment\.ts:4:10: cannot read the message/],
    ['renamed-translate.ts', /renamed-translate\.ts:3:\d+: a Translate must be named t, not translate/],
    ['alias.ts', /alias\.ts:3:\d+: vscode\.l10n\.t kept under another name/],
  ] as const) {
    it(`fails loudly on ${file} and prints nothing`, () => {
      const run = extract('--print', '--src', `${fixtures}/bad/${file}`);
      assert.equal(run.status, 2);
      assert.match(run.stderr, reason);
      assert.equal(run.stdout, '');
    });
  }
});

describe('runtime strings in pt-br', function () {
  this.timeout(20000);
  const english = readJson<Bundle>('l10n/bundle.l10n.json');
  const portuguese = readJson<Record<string, unknown>>('l10n/bundle.l10n.pt-br.json');
  const keys = Object.keys(english);

  it('has an English bundle that matches the code', () => {
    assert.deepEqual(extractBundle(), english);
    assert.ok(keys.length > 50, `only ${keys.length} messages`);
    for (const [key, value] of Object.entries(english)) {
      assert.equal(typeof value === 'string' ? value : `${value.message}/${value.comment.join('')}`, key);
    }
  });

  it('translates every message, into a non-empty string, and nothing else', () => {
    assert.deepEqual(
      keys.filter((k) => !(k in portuguese)),
      [],
    );
    assert.deepEqual(
      Object.keys(portuguese).filter((k) => !(k in english)),
      [],
    );
    for (const [key, value] of Object.entries(portuguese)) {
      assert.equal(typeof value, 'string', key);
      assert.notEqual((value as string).trim(), '', key);
    }
  });

  it('keeps exactly the placeholders of each English message', () => {
    for (const key of keys) {
      assert.deepEqual(placeholders(portuguese[key] as string), placeholders(messageOf(english[key])), key);
    }
  });

  it('keeps codicons verbatim, and in front when the English puts them there', () => {
    for (const key of keys) {
      const source = messageOf(english[key]);
      const target = portuguese[key] as string;
      assert.deepEqual(codicons(target), codicons(source), key);
      const leading = /^\$\([\w~-]+\) /.exec(source);
      if (leading) {
        assert.ok(target.startsWith(leading[0]), `${key} -> ${target}`);
      }
    }
  });

  it('keeps names, signals, addresses and settings verbatim', () => {
    for (const key of keys) {
      assert.deepEqual(
        verbatimTokens(portuguese[key] as string),
        verbatimTokens(messageOf(english[key])),
        key,
      );
    }
  });

  it('words the Ports view as the manifest does', () => {
    const manifest = readJson<Record<string, string>>('package.nls.pt-br.json');
    assert.equal(manifest['view.ports'], 'Portas');
    for (const key of keys.filter((k) => k.includes('Ports view'))) {
      assert.match(portuguese[key] as string, /visão Portas/, key);
    }
    assert.equal(portuguese['Reveal Declaration'], manifest['command.revealDeclaration']);
  });

  it('is packaged and declared where VS Code loads it', () => {
    assert.equal(readJson<{ l10n?: string }>('package.json').l10n, './l10n');
    const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split(/\r?\n/);
    assert.ok(ignore.includes('!l10n/**'));
    // VS Code asks for bundle.l10n.<its language id>.json, and Brazilian Portuguese is `pt-br`.
    assert.ok(fs.existsSync(path.join(root, 'l10n', 'bundle.l10n.pt-br.json')));
  });
});
