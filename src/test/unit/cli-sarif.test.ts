// `portolan check --format sarif` against the official SARIF 2.1.0 schema (vendored under
// fixtures/sarif, see its README) and the fields GitHub code scanning requires, over a workspace
// whose paths hold spaces, `#` and non-ASCII letters.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { buildSarifLog, encodeRelativeUri, SARIF_ROOT_ID } from '../../cli/sarif';

const repo = path.resolve(__dirname, '../../..');
const cli = path.join(repo, 'out/cli.js');
const schema = JSON.parse(
  readFileSync(path.join(repo, 'src/test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'),
) as object;

const packageVersion = (
  JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string }
).version;

const files: Record<string, string> = {
  'my app/compose.yaml':
    'services:\n  web:\n    image: nginx\n    ports:\n      - "80:80"\n      - "8080:8080"\n',
  'my app/compose.override.yaml': 'services:\n  api:\n    build: .\n    ports:\n      - "8080:3000"\n',
  'ops #1/compose.yaml': 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"\n',
  'données/ñandú/compose.yaml': 'services:\n  app:\n    image: app\n    ports:\n      - "70000:80"\n',
};

function workspace(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'portolan sarif é#-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

function sarifOf(root: string): Sarif.Log {
  // The bundle gets its version from package.json at build time (esbuild define); out/cli.js from here.
  const r = spawnSync(process.execPath, [cli, 'check', '--format', 'sarif', '--no-settings'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PORTOLAN_VERSION: packageVersion },
  });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return JSON.parse(r.stdout) as Sarif.Log;
}

describe('cli: portolan check --format sarif', function () {
  // Each case starts a Node process.
  this.timeout(30000);
  let root: string;
  let log: Sarif.Log;

  before(() => {
    root = workspace();
    log = sarifOf(root);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('is valid against the official SARIF 2.1.0 JSON schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  });

  it('finds the workspace’s problems in every folder', () => {
    const run = log.runs[0];
    assert.deepEqual(
      run
        .results!.map((r) => `${r.ruleId} ${r.locations![0].physicalLocation!.artifactLocation!.uri}`)
        .sort(),
      [
        'exposed-database ops%20%231/compose.yaml',
        'invalid-port donn%C3%A9es/%C3%B1and%C3%BA/compose.yaml',
        'port-conflict my%20app/compose.override.yaml',
        'port-conflict my%20app/compose.yaml',
        'privileged-port my%20app/compose.yaml',
      ],
    );
  });

  it('percent-encodes every artifact URI, relative to a declared uriBaseId that resolves to the file', () => {
    const run = log.runs[0];
    const base = run.originalUriBaseIds?.[SARIF_ROOT_ID]?.uri ?? '';
    assert.ok(base.startsWith('file:///') && base.endsWith('/'), base);
    assert.equal(fileURLToPath(base), `${root}${path.sep}`);
    const locations = run.results!.flatMap((r) => [
      ...r.locations!.map((l) => l.physicalLocation!),
      ...(r.relatedLocations ?? []).map((l) => l.physicalLocation!),
    ]);
    assert.ok(locations.length > run.results!.length, 'related locations are there too');
    for (const location of locations) {
      const { uri, uriBaseId } = location.artifactLocation!;
      assert.equal(uriBaseId, SARIF_ROOT_ID);
      assert.match(uri!, /^[A-Za-z0-9\-._~%!$&'()*+,;=:@/]+$/, `${uri} is not percent-encoded`);
      assert.ok(existsSync(fileURLToPath(new URL(uri!, base))), `${uri} does not resolve to a file`);
    }
    assert.equal(encodeRelativeUri('my app/ä#1.yaml'), 'my%20app/%C3%A4%231.yaml');
  });

  it('has what GitHub requires of the driver and each rule', () => {
    const driver = log.runs[0].tool.driver;
    assert.equal(driver.name, 'Portolan');
    assert.equal(driver.version, packageVersion);
    assert.equal(driver.semanticVersion, packageVersion);
    assert.ok(driver.rules!.length >= 6);
    for (const rule of driver.rules!) {
      assert.ok(rule.shortDescription?.text, `${rule.id} shortDescription`);
      assert.ok(rule.fullDescription?.text, `${rule.id} fullDescription`);
      assert.ok(rule.help?.text && rule.help.markdown, `${rule.id} help`);
      assert.equal(rule.helpUri, `https://github.com/portolan/portolan#rule-${rule.id}`);
      assert.ok(rule.defaultConfiguration?.level, `${rule.id} level`);
      assert.ok((rule.shortDescription.text ?? '').length <= 1024);
    }
  });

  it('has what GitHub requires of each result: rule, region with end, fingerprints, related ends', () => {
    const run = log.runs[0];
    for (const result of run.results!) {
      assert.equal(run.tool.driver.rules![result.ruleIndex!].id, result.ruleId);
      assert.ok(result.message.text);
      const region = result.locations![0].physicalLocation!.region!;
      assert.ok(region.startLine! >= 1 && region.startColumn! >= 1);
      assert.equal(region.endLine, region.startLine);
      assert.ok(region.endColumn! > region.startColumn!, 'a non-empty span');
      assert.match(Object.values(result.partialFingerprints ?? {})[0] ?? '', /^[0-9a-f]{32}$/);
      for (const related of result.relatedLocations ?? []) {
        const at = related.physicalLocation!.region!;
        assert.ok(at.endLine! >= at.startLine! && at.endColumn! > at.startColumn!, 'related end');
      }
    }
    const conflict = run.results!.find(
      (r) =>
        r.ruleId === 'port-conflict' &&
        r.locations![0].physicalLocation!.artifactLocation!.uri!.endsWith('compose.yaml'),
    );
    assert.equal(
      conflict?.relatedLocations?.[0].physicalLocation?.artifactLocation?.uri,
      'my%20app/compose.override.yaml',
    );
  });

  it('keeps each fingerprint when lines are added above the finding', () => {
    const fingerprintAt = (l: Sarif.Log) =>
      new Map(
        l.runs[0].results!.map((r) => [
          Object.values(r.partialFingerprints!)[0],
          r.locations![0].physicalLocation!.region!.startLine!,
        ]),
      );
    const before = fingerprintAt(log);
    const file = path.join(root, 'my app/compose.yaml');
    const original = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, `# moved down\n# by two lines\n${original}`);
      const after = fingerprintAt(sarifOf(root));
      assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
      const moved = [...before].filter(([print, line]) => after.get(print) === line + 2);
      assert.equal(moved.length, 2, 'the two findings of my app/compose.yaml moved by two lines');
    } finally {
      writeFileSync(file, original);
    }
  });

  it('tells identical findings in one file apart, and writes no semanticVersion for a non-semver build', () => {
    const record = {
      file: 'a b/compose.yaml',
      line: 3,
      column: 10,
      length: 5,
      severity: 'warning' as const,
      code: 'privileged-port' as const,
      message: 'Host port 80 is privileged',
      related: [],
    };
    const built = buildSarifLog([record, { ...record, line: 9 }], { root: '/ws', version: 'dev' });
    const [a, b] = built.runs[0].results!.map((r) => Object.values(r.partialFingerprints!)[0]);
    assert.notEqual(a, b);
    assert.equal(built.runs[0].tool.driver.version, 'dev');
    assert.equal(built.runs[0].tool.driver.semanticVersion, undefined);
    assert.equal(built.runs[0].originalUriBaseIds?.[SARIF_ROOT_ID]?.uri, 'file:///ws/');
  });
});
