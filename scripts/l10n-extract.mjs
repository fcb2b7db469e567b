#!/usr/bin/env node
// Collects every runtime message the extension localizes and keeps l10n/bundle.l10n.json (English,
// message -> itself) in step with the code. VS Code looks translations up by the English text, so a
// message that never reaches the bundle silently stays English in every language.
//
// A message is the first argument of a call to a function named `t`: `vscode.l10n.t(...)`, and the
// `Translate` the pure model receives as `t` / `options.t` / `c.t` (it is `vscode.l10n.t` in the
// extension). Anything the script cannot read as a fixed string fails the run with file:line, as
// does a `Translate` or `vscode.l10n.t` handed around under another name, whose calls would be missed.
//
//   node scripts/l10n-extract.mjs            write l10n/bundle.l10n.json
//   node scripts/l10n-extract.mjs --check    exit 1 when the bundle is stale (nothing written)
//   node scripts/l10n-extract.mjs --print    print the bundle to stdout (nothing written)
//   --src <file|dir>  (repeatable)           read these instead of src/providers, src/extension.ts,
//                                            src/present, src/rules, src/data and src/system
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bundleDir = join(repoRoot, 'l10n');
const bundleFile = join(bundleDir, 'bundle.l10n.json');
// The presentation, the rules, the registry and the kill sequence speak to the user too: their messages take a `t`.
const DEFAULT_SOURCES = [
  'src/providers',
  'src/present',
  'src/extension.ts',
  'src/rules',
  'src/data',
  'src/system',
];

function parseArgs(argv) {
  const options = { mode: 'write', sources: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--check') {
      options.mode = 'check';
    } else if (arg === '--print') {
      options.mode = 'print';
    } else if (arg === '--src' && i + 1 < argv.length) {
      options.sources.push(argv[++i]);
    } else {
      throw new Error(`unknown argument: ${arg}`);
    }
  }
  if (options.sources.length === 0) {
    options.sources = DEFAULT_SOURCES;
  }
  return options;
}

function sourceFiles(paths) {
  const files = [];
  const walk = (path) => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        walk(join(path, name));
      }
    } else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) {
      files.push(path);
    }
  };
  for (const p of paths) {
    const full = resolve(repoRoot, p);
    if (!existsSync(full)) {
      throw new Error(`no such source: ${p}`);
    }
    walk(full);
  }
  return files;
}

/** The fixed text of a string literal, a template without `${}`, or a `+` chain of those. */
function literalText(node) {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    return node.text;
  }
  if (ts.isParenthesizedExpression(node)) {
    return literalText(node.expression);
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = literalText(node.left);
    const right = literalText(node.right);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  return undefined;
}

/** `{ message, comment }` of `t({ message: '...', args, comment: '...' | ['...'] })`. */
function objectMessage(node) {
  let message;
  let comment = [];
  for (const prop of node.properties) {
    if (!ts.isPropertyAssignment(prop) || !prop.name || !('text' in prop.name)) {
      if (ts.isSpreadAssignment(prop) || ts.isShorthandPropertyAssignment(prop)) {
        const name = ts.isShorthandPropertyAssignment(prop) ? prop.name.text : '...';
        if (name === 'message' || name === 'comment' || name === '...') {
          return undefined;
        }
      }
      continue;
    }
    const key = prop.name.text;
    if (key === 'message') {
      message = literalText(prop.initializer);
      if (message === undefined) {
        return undefined;
      }
    } else if (key === 'comment') {
      if (ts.isArrayLiteralExpression(prop.initializer)) {
        comment = prop.initializer.elements.map(literalText);
      } else {
        comment = [literalText(prop.initializer)];
      }
      if (comment.some((c) => c === undefined)) {
        return undefined;
      }
    }
  }
  return message === undefined ? undefined : { message, comment };
}

const isL10nObject = (node) =>
  (ts.isIdentifier(node) && node.text === 'l10n') ||
  (ts.isPropertyAccessExpression(node) && node.name.text === 'l10n');

/** `vscode.l10n.t` / `l10n.t` not in call position. */
const isL10nT = (node) =>
  ts.isPropertyAccessExpression(node) && node.name.text === 't' && isL10nObject(node.expression);

const isTranslateCallee = (node) =>
  (ts.isIdentifier(node) && node.text === 't') ||
  (ts.isPropertyAccessExpression(node) && node.name.text === 't');

function extract(files) {
  /** @type {Map<string, { message: string, comment: string[], where: string[] }>} */
  const found = new Map();
  const problems = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const where = (node) => {
      const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
      return `${relative(repoRoot, file)}:${line + 1}:${character + 1}`;
    };
    const visit = (node) => {
      if (ts.isCallExpression(node) && isTranslateCallee(node.expression)) {
        const first = node.arguments[0];
        let entry;
        if (first && ts.isObjectLiteralExpression(first)) {
          entry = objectMessage(first);
        } else if (first) {
          const message = literalText(first);
          entry = message === undefined ? undefined : { message, comment: [] };
        }
        if (!entry) {
          const shown = first ? first.getText(source).replace(/\s+/g, ' ').slice(0, 80) : '(no argument)';
          problems.push(
            `${where(node)}: cannot read the message of ${node.expression.getText(source)}(${shown})`,
          );
        } else {
          const key = entry.comment.length > 0 ? `${entry.message}/${entry.comment.join('')}` : entry.message;
          const known = found.get(key);
          if (known) {
            known.where.push(where(node));
          } else {
            found.set(key, { ...entry, where: [where(node)] });
          }
        }
      }
      // A translator kept under another name would have its calls missed: refuse it. A function that
      // implements Translate (the plain formatter for tests) is not a translator being passed around.
      if (
        (ts.isParameter(node) ||
          ts.isVariableDeclaration(node) ||
          ts.isPropertySignature(node) ||
          ts.isPropertyDeclaration(node)) &&
        node.type &&
        ts.isTypeReferenceNode(node.type) &&
        node.type.typeName.getText(source) === 'Translate' &&
        node.name.getText(source) !== 't' &&
        !(
          node.initializer &&
          (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))
        )
      ) {
        problems.push(`${where(node)}: a Translate must be named t, not ${node.name.getText(source)}`);
      }
      if (isL10nT(node) && !(ts.isCallExpression(node.parent) && node.parent.expression === node)) {
        const parent = node.parent;
        const namedT =
          (ts.isPropertyAssignment(parent) || ts.isVariableDeclaration(parent)) &&
          parent.name.getText(source) === 't';
        const passedAlong = ts.isCallExpression(parent) && parent.arguments.includes(node);
        if (!namedT && !passedAlong) {
          problems.push(
            `${where(node)}: vscode.l10n.t kept under another name; call it directly or name it t`,
          );
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { found, problems };
}

/** The English bundle: `message -> message`, or `message/comment -> { message, comment }`. */
function toBundle(found) {
  const bundle = {};
  const keys = [...found.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const key of keys) {
    const entry = found.get(key);
    bundle[key] =
      entry.comment.length > 0 ? { message: entry.message, comment: entry.comment } : entry.message;
  }
  return bundle;
}

const serialize = (bundle) => `${JSON.stringify(bundle, null, 2)}\n`;

function readJson(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

/** Translations that lag behind the English bundle: worth a warning, never a silent pass. */
function reportTranslations(bundle) {
  if (!existsSync(bundleDir)) {
    return;
  }
  const english = new Set(Object.keys(bundle));
  for (const name of readdirSync(bundleDir).sort()) {
    const match = /^bundle\.l10n\.(.+)\.json$/.exec(name);
    if (!match) {
      continue;
    }
    const translated = readJson(join(bundleDir, name));
    const missing = [...english].filter((k) => !(k in translated));
    const obsolete = Object.keys(translated).filter((k) => !english.has(k));
    if (missing.length > 0) {
      console.warn(`${name}: ${missing.length} message(s) not translated:\n  ${missing.join('\n  ')}`);
    }
    if (obsolete.length > 0) {
      console.warn(
        `${name}: ${obsolete.length} message(s) no longer in the code:\n  ${obsolete.join('\n  ')}`,
      );
    }
  }
}

function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`l10n-extract: ${error.message}`);
    return 2;
  }
  const { found, problems } = extract(sourceFiles(options.sources));
  if (problems.length > 0) {
    console.error(`l10n-extract: ${problems.length} problem(s); no bundle written:\n${problems.join('\n')}`);
    return 2;
  }
  const bundle = toBundle(found);
  const text = serialize(bundle);
  if (options.mode === 'print') {
    process.stdout.write(text);
    return 0;
  }
  if (options.mode === 'check') {
    const current = existsSync(bundleFile) ? readFileSync(bundleFile, 'utf8') : undefined;
    if (current === text) {
      reportTranslations(bundle);
      console.log(`l10n/bundle.l10n.json is up to date (${found.size} messages).`);
      return 0;
    }
    const old = current === undefined ? {} : JSON.parse(current);
    const added = Object.keys(bundle).filter((k) => !(k in old));
    const removed = Object.keys(old).filter((k) => !(k in bundle));
    console.error('l10n/bundle.l10n.json is stale: run `node scripts/l10n-extract.mjs`.');
    for (const k of added) {
      console.error(`  + ${k}  (${found.get(k).where[0]})`);
    }
    for (const k of removed) {
      console.error(`  - ${k}`);
    }
    if (added.length === 0 && removed.length === 0) {
      console.error('  (same messages, different content or formatting)');
    }
    return 1;
  }
  mkdirSync(bundleDir, { recursive: true });
  writeFileSync(bundleFile, text);
  reportTranslations(bundle);
  console.log(`Wrote l10n/bundle.l10n.json: ${found.size} messages.`);
  return 0;
}

process.exitCode = main();
