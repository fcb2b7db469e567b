// Every verb parses its arguments with node:util's parseArgs from one option table, and its help
// is made from the same table.
import * as assert from 'node:assert/strict';
import { main } from '../../cli';
import type { CliIo } from '../../cli/io';
import { VERBS } from '../../cli/options';

interface Collected extends CliIo {
  stdout: string;
  stderr: string;
}

function collector(): Collected {
  const io: Collected = {
    stdout: '',
    stderr: '',
    out: (text) => {
      io.stdout += text;
    },
    err: (text) => {
      io.stderr += text;
    },
  };
  return io;
}

async function portolan(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = collector();
  const code = await main(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

const fixtures = 'src/test/fixtures/rules/cli';

describe('cli: options from one table per verb', function () {
  this.timeout(30000);

  it('takes --option=value as well as --option value (check --format=json was rejected)', async () => {
    const spaced = await portolan('check', '--format', 'json', '--no-settings', `${fixtures}/project`);
    const joined = await portolan('check', '--format=json', '--no-settings', `${fixtures}/project`);
    assert.equal(joined.err, '');
    assert.equal(joined.code, 0);
    assert.equal((JSON.parse(joined.out) as unknown[]).length, 3);
    assert.equal(joined.out, spaced.out);
    const scan = await portolan('scan', '--json', '--max-size=1', `${fixtures}/project`);
    assert.equal(scan.out, '[]\n');
    assert.match(scan.err, /larger than 1 bytes/);
  });

  it('lets the last of two clashing options win, as before', async () => {
    const r = await portolan('check', '--format', 'sarif', '--json', '--no-settings', `${fixtures}/project`);
    assert.ok(Array.isArray(JSON.parse(r.out)));
  });

  for (const spec of VERBS) {
    it(`${spec.verb}: --help lists every option of its table; unknown options exit 2 naming the option`, async () => {
      const help = await portolan(spec.verb, '--help');
      assert.equal(help.code, 0);
      assert.match(help.out, new RegExp(`^Usage: portolan ${spec.verb} `));
      for (const option of spec.options) {
        assert.match(
          help.out,
          new RegExp(`^  --${option.name}${option.value ? ` ${option.value}` : ''} `, 'm'),
        );
      }
      assert.equal((await portolan(spec.verb, '-h')).out, help.out);
      const bogus = await portolan(spec.verb, '--bogus');
      assert.equal(bogus.code, 2);
      assert.equal(bogus.out, '');
      assert.equal(bogus.err, `portolan ${spec.verb}: unknown option '--bogus'\n\n${help.out}`);
      const flag = spec.options.find((o) => o.value === undefined);
      if (flag) {
        const valued = await portolan(spec.verb, `--${flag.name}=yes`);
        assert.equal(valued.code, 2);
        assert.match(valued.err, new RegExp(`^portolan ${spec.verb}: --${flag.name} takes no value\n`));
      }
      const withValue = spec.options.find((o) => o.value !== undefined);
      if (withValue) {
        const missing = await portolan(spec.verb, `--${withValue.name}`);
        assert.equal(missing.code, 2);
        assert.match(missing.err, new RegExp(`^portolan ${spec.verb}: --${withValue.name} needs a value\n`));
      }
    });
  }

  it('lists every verb in the top-level help', async () => {
    const help = await portolan('--help');
    const lines = help.out.split('\n');
    for (const spec of VERBS) {
      const line = lines.find((l) => l.startsWith(`  ${spec.verb} ${spec.synopsis} `));
      assert.ok(line?.endsWith(` ${spec.summary}`), `${spec.verb} in\n${help.out}`);
    }
  });

  it('reads --max-size the same way in every verb that walks files', async () => {
    for (const verb of ['scan', 'refs', 'doc', 'check']) {
      const operands = verb === 'refs' ? ['5432', `${fixtures}/project`] : [`${fixtures}/project`];
      const bad = await portolan(verb, '--max-size', '1k', ...operands);
      assert.equal(bad.code, 2, verb);
      assert.match(bad.err, new RegExp(`^portolan ${verb}: --max-size takes a number of bytes\n`));
      const tiny = await portolan(
        verb,
        '--max-size',
        '1',
        ...(verb === 'doc' ? ['--stdout'] : []),
        ...operands,
      );
      assert.match(
        tiny.err,
        /skipped .*compose\.yaml: larger than 1 bytes/,
        `${verb} skips files over 1 byte`,
      );
    }
  });

  it('rejects operands a verb does not take', async () => {
    const who = await portolan('who', '80', '443');
    assert.equal(who.code, 2);
    assert.match(who.err, /^portolan who: unexpected argument '443'\n/);
    assert.equal((await portolan('ls', 'extra')).code, 2);
    assert.equal((await portolan('free', '3000')).code, 2);
  });
});
