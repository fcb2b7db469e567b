import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parsePlainBlockYaml } from '../../scan/plainBlockYaml';
import { isMap, isScalar, isSeq } from '../../scan/yamlPositions';

const FIXTURES = path.resolve(__dirname, '../../../src/test/fixtures');

function yamlFilesUnder(folder: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      found.push(...yamlFilesUnder(full));
    } else if (/\.ya?ml$/i.test(entry.name)) {
      found.push(full);
    }
  }
  return found;
}

/** The first difference between two node trees (kind, value, scalar style, source range), or undefined. */
function difference(plain: unknown, real: unknown, where: string): string | undefined {
  if (isScalar(plain) && isScalar(real)) {
    if (!Object.is(plain.value, real.value)) {
      return `${where}: value ${String(plain.value)} vs ${String(real.value)}`;
    }
    if (plain.type !== real.type) {
      return `${where}: style ${plain.type} vs ${real.type}`;
    }
    if (plain.value !== null && (plain.range?.[0] !== real.range?.[0] || plain.range?.[1] !== real.range?.[1])) {
      return `${where}: range ${plain.range?.join()} vs ${real.range?.join()}`;
    }
    return undefined;
  }
  if (isSeq(plain) && isSeq(real)) {
    if (plain.items.length !== real.items.length) {
      return `${where}: ${plain.items.length} items vs ${real.items.length}`;
    }
    for (let i = 0; i < plain.items.length; i++) {
      const found = difference(plain.items[i], real.items[i], `${where}[${i}]`);
      if (found) {
        return found;
      }
    }
    return undefined;
  }
  if (isMap(plain) && isMap(real)) {
    if (plain.items.length !== real.items.length) {
      return `${where}: ${plain.items.length} keys vs ${real.items.length}`;
    }
    for (let i = 0; i < plain.items.length; i++) {
      const a = plain.items[i];
      const b = real.items[i];
      const found =
        difference(a.key, b.key, `${where}.<key ${i}>`) ?? difference(a.value, b.value, `${where}.${String(a.key)}`);
      if (found) {
        return found;
      }
    }
    return undefined;
  }
  return `${where}: node kinds differ`;
}

/** Asserts the plain reader either gives up or reads exactly what `yaml` reads; returns whether it read. */
function agreesWithYaml(text: string, label: string): boolean {
  const plain = parsePlainBlockYaml(text);
  if (!plain) {
    return false;
  }
  const real = parseAllDocuments(text, { uniqueKeys: false, strict: false, prettyErrors: false });
  const docs = (Array.isArray(real) ? real : []).filter(
    (doc) => doc.contents !== null && !(isScalar(doc.contents) && doc.contents.value === null),
  );
  for (const doc of docs) {
    assert.deepEqual(doc.errors, [], `${label}: yaml reports errors the plain reader did not`);
  }
  assert.equal(plain.length, docs.length, `${label}: document count`);
  plain.forEach((doc, i) => {
    assert.equal(difference(doc.contents, docs[i].contents, `${label}#${i}`), undefined);
  });
  return true;
}

describe('scan: plain block YAML reader', () => {
  it('reads every fixture it accepts exactly as the yaml package does', () => {
    const files = yamlFilesUnder(FIXTURES);
    assert.ok(files.length > 10);
    let read = 0;
    for (const file of files) {
      if (agreesWithYaml(fs.readFileSync(file, 'utf8'), path.relative(FIXTURES, file))) {
        read++;
      }
    }
    // The point of the reader: most real compose files and manifests need no full parse.
    assert.ok(read >= files.length / 3, `read ${read} of ${files.length}`);
  });

  it('reads the usual compose shapes: nested maps, compact and same-column lists, flow lists, quotes, comments, CRLF', () => {
    const text = [
      '# a comment',
      'services:',
      '  web:',
      '    image: "nginx:1.25"   # pinned',
      '    ports:',
      '    - "8080:80"',
      "    - '127.0.0.1:9000:9000/udp'",
      '    - 3000',
      '    command: ["npm", "run", start]',
      '    environment:',
      '      PORT: 8080',
      '      DEBUG: false',
      '      EMPTY:',
      '      HEX: 0x1F90',
      '    healthcheck:',
      '      test:',
      '        - CMD',
      '        - curl -f http://localhost:8080/health',
      '  db:',
      '    - name: a',
      '      port: 5432',
      '---',
      'kind: Service',
      '',
    ].join('\r\n');
    assert.equal(agreesWithYaml(text, 'inline'), true);
  });

  it('gives up on what it does not handle, so the yaml package reads it', () => {
    const outside = [
      'a: &x 1\nb: *x\n',
      'a: |\n  8080\n',
      'a: >-\n  folded\n',
      'a: !!str 8080\n',
      'a: {b: 1}\n',
      'a: [1, [2]]\n',
      'a: "esc\\n"\n',
      "a: 'it''s'\n",
      'a: plain\n  continued\n',
      'a: 1.5\n',
      'a:\tb\n',
      '%YAML 1.2\n---\na: 1\n',
      '"quoted key": 1\n',
      '? complex\n: value\n',
      'a: b: c\n',
      'just a scalar\n',
      'a: 1\n  b: 2\n',
      'a: "unclosed\n',
      '\ufeffa: 1\n',
      'a: 1\r',
    ];
    for (const text of outside) {
      assert.equal(parsePlainBlockYaml(text), undefined, JSON.stringify(text));
    }
  });
});
