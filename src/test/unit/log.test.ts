import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../cli';
import {
  inFile,
  lineLogger,
  logFailure,
  parseLogLevel,
  resetLoggedFailures,
  setLogger,
  type Logger,
  type LogLevel,
} from '../../model/log';
import type { Rule } from '../../rules';
import { scanText } from '../../scan';
import * as mentionModule from '../../scan/mention';
import { check, file, mention, rulesOf } from './rulesSupport';

/** Makes the .env finder throw on port 6666, as a finder bug would; returns the undo. */
function plantFinderBug(): () => void {
  const exports = mentionModule as { dedupeMentions: typeof mentionModule.dedupeMentions };
  const original = exports.dedupeMentions;
  exports.dedupeMentions = (mentions) => {
    if (mentions.some((m) => m.port === 6666)) {
      throw new RangeError('finder bug');
    }
    return original(mentions);
  };
  return () => {
    exports.dedupeMentions = original;
  };
}

/** Collects what the core logs while a test runs. */
function recordLog(): { lines: Array<[LogLevel, string]>; restore: () => void } {
  const lines: Array<[LogLevel, string]> = [];
  const at =
    (level: LogLevel) =>
    (message: string): void => {
      lines.push([level, message]);
    };
  const logger: Logger = {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  resetLoggedFailures();
  return { lines, restore: setLogger(logger) };
}

describe('log: failures the core survives', () => {
  let recorded: ReturnType<typeof recordLog>;
  beforeEach(() => {
    recorded = recordLog();
  });
  afterEach(() => {
    recorded.restore();
  });

  it('logs a failure once per what, file and message', () => {
    const boom = new Error('boom');
    logFailure('the test finder', boom, { file: 'a.yml' });
    logFailure('the test finder', boom, { file: 'a.yml' });
    logFailure('the test finder', new Error('boom'), { file: 'a.yml' });
    logFailure('the test finder', boom, { file: 'b.yml' });
    logFailure('the test finder', new Error('other'), { file: 'a.yml' });
    assert.deepEqual(
      recorded.lines.map(([level, m]) => `${level} ${m.split('\n')[0]}`),
      [
        'error the test finder failed on a.yml: Error: boom',
        'error the test finder failed on b.yml: Error: boom',
        'error the test finder failed on a.yml: Error: other',
      ],
    );
  });

  it('names the file of the enclosing inFile, and the given level without a stack', () => {
    inFile('c.conf', () => logFailure('reading', new Error('EACCES'), { level: 'debug' }));
    logFailure('reading', new Error('EACCES'), { level: 'debug' });
    assert.deepEqual(recorded.lines, [
      ['debug', 'reading failed on c.conf: EACCES'],
      ['debug', 'reading failed: EACCES'],
    ]);
  });

  it('a finder that throws is logged once with its file, and other files still scan', () => {
    const undo = plantFinderBug();
    try {
      // Each edit of the file crashes the finder again; the log says so once.
      assert.deepEqual(scanText('/w/hostile/.env', 'PORT=6666\n'), []);
      assert.deepEqual(scanText('/w/hostile/.env', 'PORT=6666\nX=1\n'), []);
      const ports = scanText('/w/ok/.env', 'PORT=3000\nDB_PORT=5432\n').map((m) => m.port);
      assert.deepEqual(ports, [3000, 5432]);
    } finally {
      undo();
    }
    const errors = recorded.lines.filter(([level]) => level === 'error');
    assert.equal(errors.length, 1, recorded.lines.map(([, m]) => m).join('\n'));
    assert.match(errors[0][1], /^the dotenv finder failed on \/w\/hostile\/\.env: RangeError: finder bug/);
  });

  it('a rule that throws is logged once with its file, and the other rules still report', () => {
    const throwing: Rule = {
      id: 'not-listening',
      defaultSeverity: 'warning',
      check: () => {
        throw new TypeError('rule bug');
      },
    };
    const target = file('a.ts', [mention({ port: 99999, role: 'listen', kind: 'code' })]);
    for (let run = 0; run < 3; run++) {
      const findings = check(target, [], { extraRules: [throwing] });
      assert.deepEqual(
        rulesOf(findings).map((f) => f.rule),
        ['invalid-port'],
      );
    }
    assert.equal(recorded.lines.length, 1);
    assert.equal(recorded.lines[0][0], 'error');
    assert.match(recorded.lines[0][1], /^the not-listening rule failed on a\.ts: TypeError: rule bug/);
  });
});

describe('log: sinks', () => {
  it('reads PORTOLAN_LOG levels and ignores anything else', () => {
    assert.deepEqual(
      ['warn', ' DEBUG ', 'off', 'verbose', '', undefined].map((t) => parseLogLevel(t)),
      ['warn', 'debug', 'off', undefined, undefined, undefined],
    );
  });

  it('writes lines at the minimum level and above', () => {
    const written: string[] = [];
    const logger = lineLogger((line) => written.push(line), 'warn');
    logger.debug('hidden');
    logger.info('hidden');
    logger.warn('shown');
    logger.error('also shown');
    assert.deepEqual(written, ['portolan [warn] shown\n', 'portolan [error] also shown\n']);
  });

  it('the CLI is quiet by default and logs to stderr with PORTOLAN_LOG', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'portolan-log-'));
    const undo = plantFinderBug();
    try {
      mkdirSync(path.join(dir, 'bad'));
      writeFileSync(path.join(dir, 'bad', '.env'), 'PORT=6666\n');
      writeFileSync(path.join(dir, '.env'), 'PORT=3000\n');
      const run = async (env: NodeJS.ProcessEnv) => {
        resetLoggedFailures();
        const out: string[] = [];
        const err: string[] = [];
        const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
        const code = await main(['scan', '--json', dir], io, env);
        return { code, out: out.join(''), err: err.join('') };
      };
      const logged = await run({ PORTOLAN_LOG: 'error' });
      const quiet = await run({});
      assert.equal(quiet.code, 0);
      assert.equal(logged.code, 0);
      assert.equal(quiet.err, '');
      assert.equal(logged.out, quiet.out);
      assert.deepEqual(
        (JSON.parse(quiet.out) as Array<{ port: number }>).map((r) => r.port),
        [3000],
      );
      assert.match(
        logged.err,
        /^portolan \[error\] the dotenv finder failed on .*bad.\.env: RangeError: finder bug/,
      );
    } finally {
      undo();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
