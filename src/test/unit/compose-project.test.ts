// Compose as Compose reads it: interpolation in every form, and projects merged from their files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { interpolate, layeredLookup } from '../../scan/composeInterpolation';
import { findComposePorts } from '../../scan/compose';
import { processEnvironmentSignature, withProcessEnv } from '../../scan/dotenv';
import { hoverMarkdown } from '../../present/hoverMarkdown';
import { loadComposeProject, portKey, resolvePath } from '../../workspace/composeProject';

const env = layeredLookup(
  new Map([
    ['SHELL_ONLY', 'from-shell'],
    ['BOTH', 'shell wins'],
  ]),
  [
    {
      file: '.env',
      values: new Map([
        ['PORT', '9000'],
        ['EMPTY', ''],
        ['BOTH', 'dotenv'],
        ['INNER', '8500'],
      ]),
      lines: new Map([
        ['PORT', 10],
        ['EMPTY', 11],
        ['BOTH', 12],
        ['INNER', 13],
      ]),
    },
  ],
);

const value = (text: string): string => interpolate(text, env).value;

describe('compose interpolation', () => {
  it('$VAR and ${VAR}, with where the value was set', () => {
    assert.equal(value('$PORT:80'), '9000:80');
    assert.equal(value('${PORT}:80'), '9000:80');
    assert.equal(value('$UNSET:80'), ':80');
    assert.deepEqual(interpolate('${PORT}', env).uses, [
      { name: 'PORT', source: { value: '9000', file: '.env', line: 10 } },
    ]);
  });

  it('the process environment wins over .env', () => {
    assert.equal(value('$BOTH'), 'shell wins');
    assert.deepEqual(interpolate('$SHELL_ONLY', env).uses[0].source, { value: 'from-shell' });
  });

  it('${VAR:-d} takes the default when unset or empty; ${VAR-d} only when unset', () => {
    assert.equal(value('${PORT:-1}'), '9000');
    assert.equal(value('${UNSET:-7000}'), '7000');
    assert.equal(value('${EMPTY:-7000}'), '7000');
    assert.equal(value('${UNSET-7000}'), '7000');
    assert.equal(value('${EMPTY-7000}'), '');
    assert.equal(interpolate('${UNSET:-7000}', env).uses[0].written, 'default');
  });

  it('${VAR:?err} fails when unset or empty; ${VAR?err} only when unset', () => {
    assert.equal(value('${PORT:?need it}'), '9000');
    assert.equal(
      interpolate('${UNSET:?need a port}', env).error,
      'required variable UNSET is missing a value: need a port',
    );
    assert.match(interpolate('${EMPTY:?x}', env).error ?? '', /EMPTY/);
    assert.equal(interpolate('${EMPTY?x}', env).error, undefined);
    assert.match(interpolate('${UNSET?}', env).error ?? '', /UNSET is missing a value$/);
  });

  it('${VAR:+alt} when set and not empty; ${VAR+alt} when set', () => {
    assert.equal(value('${PORT:+8443}'), '8443');
    assert.equal(value('${EMPTY:+8443}'), '');
    assert.equal(value('${UNSET:+8443}'), '');
    assert.equal(value('${EMPTY+8443}'), '8443');
    assert.equal(value('${UNSET+8443}'), '');
    assert.equal(interpolate('${PORT:+8443}', env).uses[0].written, 'alternative');
  });

  it('$$ is a literal $, nested defaults are interpolated, a broken ${ is an error', () => {
    assert.equal(value('echo $$HOME $$$PORT'), 'echo $HOME $9000');
    assert.equal(value('${UNSET:-${INNER}}'), '8500');
    assert.equal(value('${UNSET:-${ALSO_UNSET:-8600}}'), '8600');
    assert.equal(value('${PORT:-${INNER}}'), '9000');
    assert.match(interpolate('${PORT', env).error ?? '', /invalid interpolation format/);
    assert.match(interpolate('${1BAD}', env).error ?? '', /invalid interpolation format/);
    assert.equal(value('cost $5'), 'cost $5');
  });
});

describe('the process environment for Compose', () => {
  it('its signature changes with a value and with a new variable, and not otherwise', () => {
    const env = { A: '1', B: '2' };
    const before = processEnvironmentSignature(env);
    assert.equal(processEnvironmentSignature({ A: '1', B: '2' }), before);
    assert.notEqual(processEnvironmentSignature({ A: '1', B: '3' }), before);
    assert.notEqual(processEnvironmentSignature({ A: '1', B: '2', C: '' }), before);
  });

  it('lies over a folder without .env too', () => {
    const env = withProcessEnv(undefined, new Map([['X', '1']]));
    assert.equal(env.values.size, 0);
    assert.equal(env.process?.get('X'), '1');
  });
});

describe('compose ports through interpolation', () => {
  const composeEnv = {
    file: '.env',
    values: new Map([
      ['WEB', '9000'],
      ['EMPTY', ''],
    ]),
    lines: new Map([['WEB', 10]]),
    process: new Map([['SHELL_PORT', '7100']]),
  };
  const text = [
    'services:',
    '  web:',
    '    ports:',
    '      - "${WEB:-1}:80"',
    '      - "${SHELL_PORT}:81"',
    '      - "${EMPTY-7200}:82"',
    '      - "${WEB:+8443}:443"',
    '      - "${MISSING:?no}:84"',
    '',
  ].join('\n');
  const publishes = findComposePorts(text, composeEnv).filter((m) => m.role === 'publish');

  it('says the number came from .env line 10', () => {
    const web = publishes.find((m) => m.port === 9000);
    assert.ok(web);
    assert.equal(web.variable, 'WEB');
    assert.equal(web.envFile, '.env');
    assert.equal(web.envLine, 10);
    assert.equal(web.isDefault, undefined);
  });

  it('says the number came from the process environment', () => {
    const shell = publishes.find((m) => m.port === 7100);
    assert.ok(shell);
    assert.equal(shell.envProcess, true);
    assert.equal(shell.envFile, undefined);
    assert.match(
      hoverMarkdown(shell, {}),
      /`SHELL_PORT` is 7100 in the environment Compose runs in \(it wins over `\.env`\)\./,
    );
    const web = publishes.find((m) => m.port === 9000);
    assert.match(hoverMarkdown(web!, {}), /`WEB` is 9000 in `\.env` line 10, as Compose reads it\./);
  });

  it('an empty value with ${VAR-d} publishes nothing, an alternative is no default, a missing required variable no port', () => {
    assert.equal(
      publishes.find((m) => m.counterpart?.port === 82),
      undefined,
    );
    const alt = publishes.find((m) => m.port === 8443);
    assert.ok(alt);
    assert.equal(alt.isDefault, undefined);
    assert.equal(alt.isAlternative, true);
    assert.equal(text.slice(alt.range.start, alt.range.end), '8443');
    assert.match(
      hoverMarkdown(alt, {}),
      /`WEB` is set in `\.env` line 10, so Compose uses the alternative written here\./,
    );
    assert.equal(
      publishes.find((m) => m.counterpart?.port === 84),
      undefined,
    );
    assert.deepEqual(
      publishes.map((m) => m.port),
      [9000, 7100, 8443],
    );
  });

  it('an environment value that is one interpolation is the number Compose passes in, with where it is set', () => {
    const service = [
      'services:',
      '  web:',
      '    environment:',
      '      PORT: ${WEB:-3000}',
      '      SHELL: ${SHELL_PORT:-3000}',
      '      FALLBACK_PORT: ${UNSET:-3001}',
      // A default under a name that is no port's is not one.
      '      THREADS: ${GUNICORN_THREADS:-4}',
      // Nor a number set in `.env` (taiga's `MAX_AGE: ${ATTACHMENTS_MAX_AGE}`, 360).
      '      MAX_AGE: ${WEB}',
      '      UNREAD: ${UNSET}',
      '',
    ].join('\n');
    const settings = findComposePorts(service, composeEnv).filter((m) => m.role === 'setting');
    assert.deepEqual(
      settings.map((m) => [
        m.syntax?.key,
        m.variable,
        m.port,
        m.envFile,
        m.envLine,
        m.envProcess,
        m.isDefault,
      ]),
      [
        ['PORT', 'WEB', 9000, '.env', 10, undefined, undefined],
        ['SHELL', 'SHELL_PORT', 7100, undefined, undefined, true, undefined],
        ['FALLBACK_PORT', 'UNSET', 3001, undefined, undefined, undefined, true],
      ],
    );
    assert.equal(service.slice(settings[0].range.start, settings[0].range.end), '${WEB:-3000}');
    assert.match(hoverMarkdown(settings[0], {}), /`WEB` is 9000 in `\.env` line 10, as Compose reads it\./);
  });
});

/** A project read from an in-memory folder. */
function project(files: Record<string, string>, order: string[], processEnv?: Record<string, string>) {
  return loadComposeProject({
    files: order.map((f) => '/p/' + f),
    readText: (file) => files[file.slice('/p/'.length)],
    processEnv: processEnv ? new Map(Object.entries(processEnv)) : undefined,
  });
}

function ports(p: ReturnType<typeof project>): Record<string, string[]> {
  return Object.fromEntries([...p.services].map(([name, s]) => [name, s.ports.map(portKey).sort()]));
}

describe('compose projects', () => {
  it('an override adds ports; the same entry twice is one port', () => {
    const p = project(
      {
        'compose.yaml': 'services:\n  web:\n    image: x\n    ports: ["8080:80"]\n',
        'compose.override.yaml': 'services:\n  web:\n    ports: ["8080:80", "127.0.0.1:9090:90/udp"]\n',
      },
      ['compose.yaml', 'compose.override.yaml'],
    );
    assert.deepEqual(ports(p), { web: ['127.0.0.1:9090:90/udp', ':8080:80/tcp'] });
    assert.deepEqual(p.services.get('web')?.files, ['/p/compose.yaml', '/p/compose.override.yaml']);
  });

  it('extends: in the file and from another file, relative to the file that names it', () => {
    const p = project(
      {
        'compose.yaml': [
          'services:',
          '  base:',
          '    image: x',
          '    ports: ["7000:7000"]',
          '  child:',
          '    extends: base',
          '    ports: ["7001:7001"]',
          '  remote:',
          '    extends: { file: lib/common.yml, service: shared }',
          '',
        ].join('\n'),
        'lib/common.yml': 'services:\n  shared:\n    image: y\n    ports: ["${SHARED:-6000}:6000"]\n',
      },
      ['compose.yaml'],
    );
    assert.deepEqual(ports(p), {
      base: [':7000:7000/tcp'],
      child: [':7000:7000/tcp', ':7001:7001/tcp'],
      remote: [':6000:6000/tcp'],
    });
    assert.deepEqual(p.services.get('remote')?.files, ['/p/lib/common.yml', '/p/compose.yaml']);
    assert.deepEqual(p.problems, []);
  });

  it('an extends cycle is a problem, not a hang', () => {
    const p = project(
      { 'compose.yaml': 'services:\n  a:\n    extends: b\n  b:\n    extends: a\n    ports: ["1:1"]\n' },
      ['compose.yaml'],
    );
    assert.ok(p.problems.some((problem) => problem.startsWith('extends cycle')));
  });

  it('include: the included project reads its own .env, and its services join', () => {
    const p = project(
      {
        '.env': 'DB_PORT=1111\n',
        'compose.yaml':
          'include:\n  - path: db/compose.yaml\nservices:\n  app:\n    image: x\n    ports: ["3000:3000"]\n',
        'db/.env': 'DB_PORT=5433\n',
        'db/compose.yaml': 'services:\n  db:\n    image: postgres\n    ports: ["${DB_PORT}:5432"]\n',
      },
      ['compose.yaml'],
    );
    assert.deepEqual(ports(p), { app: [':3000:3000/tcp'], db: [':5433:5432/tcp'] });
    const db = p.services.get('db')?.ports[0].entry.published;
    assert.equal(db?.envFile, '.env');
    assert.equal(db?.envLine, 1);
  });

  it('profiles: COMPOSE_PROFILES from .env or the process enables services', () => {
    const files = {
      '.env': 'COMPOSE_PROFILES=debug\n',
      'compose.yaml':
        'services:\n  app:\n    image: x\n  dbg:\n    image: x\n    profiles: [debug]\n  docs:\n    image: x\n    profiles: [docs]\n',
    };
    const active = (p: ReturnType<typeof project>) =>
      [...p.services.values()].filter((s) => s.active).map((s) => s.name);
    assert.deepEqual(active(project(files, ['compose.yaml'])), ['app', 'dbg']);
    assert.deepEqual(active(project(files, ['compose.yaml'], { COMPOSE_PROFILES: 'docs' })), ['app', 'docs']);
  });

  it('env_file and environment: the container environment, with where each value is set', () => {
    const folder = path.resolve(__dirname, '../../../src/test/fixtures/compose-projects/env-file');
    const p = loadComposeProject({
      files: [folder + '/compose.yaml'],
      readText: (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined),
    });
    const api = p.services.get('api')?.environment;
    assert.deepEqual(api?.get('PORT'), { value: '4000', file: 'compose.yaml', line: 8 });
    assert.deepEqual(api?.get('LOG_LEVEL'), { value: 'info', file: 'api.env', line: 2 });
    assert.deepEqual(p.services.get('worker')?.environment.get('QUEUE_PORT'), {
      value: '5672',
      file: 'worker.env',
      line: 2,
    });
  });

  it('paths fold . and ..', () => {
    assert.equal(resolvePath('/a/b/', '../c/./d.yml'), '/a/c/d.yml');
    assert.equal(resolvePath('/a/b/', '/abs.yml'), '/abs.yml');
  });
});
