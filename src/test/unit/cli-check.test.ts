// `portolan check` as a process: output formats, exit codes, options.
import * as assert from 'node:assert/strict';
import { runCli } from './cliProcess';

const fixtures = 'src/test/fixtures/rules/cli';

function check(...args: string[]): { code: number | null; out: string; err: string } {
  return runCli(['check', ...args]);
}

interface Record {
  file: string;
  line: number;
  column: number;
  length: number;
  severity: string;
  code: string;
  message: string;
  related: { file: string; line: number; column: number; message: string }[];
}

describe('cli: portolan check', function () {
  // Each case starts a Node process.
  this.timeout(30000);

  it('prints compiler-style lines with related notes, and exits 0 on warnings', () => {
    const r = check(`${fixtures}/project`);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.ok(
      lines.some((l) =>
        /^src\/test\/fixtures\/rules\/cli\/project\/compose\.yaml:5:10: warning: Host port 81 is privileged: .* \[privileged-port\]$/.test(
          l,
        ),
      ),
      r.out,
    );
    assert.ok(
      lines.some((l) =>
        /^src\/test\/fixtures\/rules\/cli\/project\/compose\.yaml:6:10: warning: .* \[port-conflict\]$/.test(
          l,
        ),
      ),
      r.out,
    );
    assert.ok(
      lines.some((l) =>
        /^src\/test\/fixtures\/rules\/cli\/project\/compose\.override\.yaml:5:10: warning: .* \[port-conflict\]$/.test(
          l,
        ),
      ),
      r.out,
    );
    assert.ok(
      lines.some((l) => l.startsWith(`  ${fixtures}/project/compose.override.yaml:5:10: note: `)),
      r.out,
    );
    assert.match(r.out, /\n3 warnings\n$/);
    // 127.0.0.1:5432 is not exposed.
    assert.ok(!r.out.includes('exposed-database'));
  });

  it('fails with --strict, with --max-warnings below the count, not above it', () => {
    assert.equal(check('--strict', `${fixtures}/project`).code, 1);
    assert.equal(check('--max-warnings', '2', `${fixtures}/project`).code, 1);
    assert.equal(check('--max-warnings', '3', `${fixtures}/project`).code, 0);
  });

  it('exits 1 on an error-severity finding', () => {
    const r = check(`${fixtures}/invalid`);
    assert.equal(r.code, 1);
    assert.match(r.out, /compose\.yaml:5:10: error: Not a port: 70000 is above 65535.* \[invalid-port\]/);
  });

  it('is silent and exits 0 on a clean folder (.env PORT and the code reading it are one service)', () => {
    const r = check(`${fixtures}/clean`);
    assert.deepEqual([r.code, r.out], [0, '']);
  });

  it('--json emits the contract: 1-based positions, length, severity, code, related', () => {
    const r = check('--json', `${fixtures}/project`);
    assert.equal(r.code, 0);
    const records = JSON.parse(r.out) as Record[];
    assert.equal(records.length, 3);
    const conflict = records.find((x) => x.code === 'port-conflict' && x.file.endsWith('compose.yaml'));
    assert.ok(conflict);
    assert.deepEqual(
      {
        file: conflict.file,
        line: conflict.line,
        column: conflict.column,
        length: conflict.length,
        severity: conflict.severity,
      },
      { file: `${fixtures}/project/compose.yaml`, line: 6, column: 10, length: 4, severity: 'warning' },
    );
    assert.equal(conflict.related.length, 1);
    assert.deepEqual(
      { file: conflict.related[0].file, line: conflict.related[0].line, column: conflict.related[0].column },
      { file: `${fixtures}/project/compose.override.yaml`, line: 5, column: 10 },
    );
    assert.deepEqual(JSON.parse(check('--json', `${fixtures}/clean`).out) as Record[], []);
  });

  it('--format github writes workflow annotations with escaped properties', () => {
    const r = check('--format', 'github', `${fixtures}/invalid`);
    assert.equal(r.code, 1);
    assert.match(
      r.out,
      /^::error file=src\/test\/fixtures\/rules\/cli\/invalid\/compose\.yaml,line=5,col=10,endColumn=15,title=Portolan invalid-port::Not a port/,
    );
    assert.ok(!/title=[^:]*,[^:]*::/.test(r.out.split('::')[1] ?? ''));
  });

  it('--format sarif writes SARIF 2.1.0 with rule metadata and related locations', () => {
    const r = check('--format', 'sarif', `${fixtures}/project`);
    const log = JSON.parse(r.out) as {
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string }[] } };
        results: {
          ruleId: string;
          level: string;
          locations: { physicalLocation: { region: { startLine: number } } }[];
          relatedLocations: unknown[];
        }[];
      }[];
    };
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs[0].tool.driver.name, 'Portolan');
    assert.ok(log.runs[0].tool.driver.rules.some((x) => x.id === 'port-conflict'));
    assert.equal(log.runs[0].results.length, 3);
    const conflict = log.runs[0].results.find((x) => x.ruleId === 'port-conflict');
    assert.equal(conflict?.level, 'warning');
    assert.equal(conflict?.relatedLocations.length, 1);
  });

  it('--rule turns a rule off or changes its severity; --ignore skips files', () => {
    const off = JSON.parse(
      check('--json', '--rule', 'privileged-port=off', `${fixtures}/project`).out,
    ) as Record[];
    assert.deepEqual(
      off.map((x) => x.code),
      ['port-conflict', 'port-conflict'],
    );
    const asError = check('--rule', 'port-conflict=error', `${fixtures}/project`);
    assert.equal(asError.code, 1);
    const ignored = JSON.parse(
      check('--json', '--ignore', '**/compose.override.yaml', `${fixtures}/project`).out,
    ) as Record[];
    assert.deepEqual(
      ignored.map((x) => x.code),
      ['privileged-port'],
    );
  });

  it('--privileged-threshold follows the deploy target', () => {
    const none = JSON.parse(
      check('--json', '--privileged-threshold', '0', `${fixtures}/project`).out,
    ) as Record[];
    assert.equal(none.filter((x) => x.code === 'privileged-port').length, 0);
  });

  it("honours the workspace's VS Code settings, under the command line", () => {
    const settings = `${fixtures}/settings.json`;
    const quiet = JSON.parse(check('--json', '--settings', settings, `${fixtures}/project`).out) as Record[];
    assert.deepEqual(quiet, []);
    const back = JSON.parse(
      check('--json', '--settings', settings, '--rule', 'privileged-port=warning', `${fixtures}/project`).out,
    ) as Record[];
    assert.deepEqual(
      back.map((x) => x.code),
      ['privileged-port'],
    );
    assert.equal(check('--settings', `${fixtures}/missing.json`, `${fixtures}/project`).code, 2);
  });

  // Regression: a malformed glob threw a SyntaxError (exit 70).
  it('names a malformed --ignore glob and exits 2', () => {
    const r = check('--ignore', '**/*.{yml', `${fixtures}/project`);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /^portolan check: --ignore "\*\*\/\*\.\{yml" is not a valid glob/);
  });

  it('reports a malformed glob in the settings once and applies the rest', () => {
    const r = check('--json', '--settings', `${fixtures}/settings-bad-glob.json`, `${fixtures}/project`);
    assert.equal(r.code, 0, r.err);
    const warnings = r.err.split('\n').filter((l) => l.includes('not a valid glob'));
    assert.equal(warnings.length, 1, r.err);
    assert.match(
      warnings[0] ?? '',
      /portolan\.diagnostics\.ignore in .*settings-bad-glob\.json: "\*\*\/\*\.\{yml"/,
    );
    assert.deepEqual(
      (JSON.parse(r.out) as Record[]).map((x) => x.code),
      ['privileged-port'],
    );
  });

  it('rejects bad usage with exit 2', () => {
    assert.equal(check('--format', 'xml', '.').code, 2);
    assert.equal(check('--max-warnings', 'many', '.').code, 2);
    assert.equal(check('--rule', 'nope=off', '.').code, 2);
    assert.equal(check('--bogus').code, 2);
    const help = check('--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /--format FORMAT/);
  });
});
