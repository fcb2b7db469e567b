// `portolan compose`: a project's ports as Compose resolves them, with where each number came from.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { cliEntry, repoRoot } from './cliProcess';

const projects = path.join(repoRoot, 'src/test/fixtures/compose-projects');

function compose(
  args: string[],
  env: Record<string, string> = {},
): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cliEntry, 'compose', ...args], {
    cwd: projects,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 60000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('portolan compose', () => {
  it('prints each published port with its .env line or the environment it came from', () => {
    const r = compose(['interpolation'], { FROM_SHELL: '7001' });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^ {2}9000 -> 80\/tcp {2}docker-compose\.yml:6 {2}\(WEB_PORT in \.env line 2\)$/m);
    assert.match(
      r.out,
      /^ {2}7001 -> 89\/tcp {2}docker-compose\.yml:15 {2}\(FROM_SHELL in the environment\)$/m,
    );
    assert.match(r.out, /^ {2}9500 -> 83\/tcp {2}docker-compose\.yml:9 {2}\(default of UNSET_PORT\)$/m);
    assert.match(r.out, /^ {2}127\.0\.0\.1:\(random\) -> 3001\/tcp/m);
  });

  it('merges the override, and --file picks the files', () => {
    const merged = JSON.parse(compose(['override', '--json']).out) as {
      files: string[];
      services: Array<{
        name: string;
        ports: Array<{ published: number; target: number; hostIp: string | null }>;
      }>;
    };
    assert.deepEqual(merged.files, ['compose.yaml', 'compose.override.yaml']);
    const db = merged.services.find((s) => s.name === 'db');
    assert.deepEqual(
      db?.ports.map((p) => `${p.hostIp ?? ''}:${p.published}:${p.target}`),
      [':5432:5432', '127.0.0.1:15432:5432'],
    );
    const prod = JSON.parse(
      compose(['--file', 'override/compose.yaml', '--file', 'override/compose.prod.yaml', '--json']).out,
    ) as typeof merged;
    const web = prod.services.find((s) => s.name === 'web');
    assert.deepEqual(
      web?.ports.map((p) => p.published),
      [8080, 8443, 80],
    );
    assert.equal(
      prod.services.find((s) => s.name === 'cache'),
      undefined,
    );
  });

  it('profiles: enabled by --profile, else by COMPOSE_PROFILES in .env', () => {
    assert.match(compose(['profiles']).out, /^docs \[profiles docs, all; not enabled\]$/m);
    assert.match(compose(['profiles']).out, /^debugger \[profiles debug\]$/m);
    assert.match(compose(['profiles', '--profile', 'all']).out, /^docs \[profiles docs, all\]$/m);
  });

  it('exits 1 when the folder has no compose file', () => {
    const r = compose([path.join(projects, 'extends/shared')]);
    assert.equal(r.code, 1);
    assert.match(r.err, /no compose file/);
    assert.match(compose(['no-such-folder']).err, /no such file or folder/);
  });
});
