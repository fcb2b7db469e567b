// The compose oracle: Debian's `docker-compose config` (Compose v1.29, no engine needed) resolves
// every compose project in the fixtures (and in $PORTOLAN_SAMPLES_DIR, /work/shared/samples when
// present); each service's published port, container port, protocol and host address must equal
// what Portolan's project model resolves. Projects using what only Compose v2 reads (`include:`,
// `${VAR:+alt}`, `host_ip`) carry the expected answer, written by hand from the specification, in
// `portolan-oracle.json`. Without the `docker-compose` binary the oracle part is skipped (CI installs it).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadComposeProject, portKey } from '../../workspace/composeProject';
import { isComposeFileName } from '../../scan/compose';

const repo = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(repo, 'src/test/fixtures');

interface OracleNotes {
  /** Extra process environment, for Compose and for Portolan alike. */
  env?: Record<string, string>;
  /** The files, in `-f` order (relative to the folder); by default the base and its compose.override. */
  files?: string[];
  /** False when Compose v1 cannot read the project (a v2 feature). */
  oracle?: boolean;
  why?: string;
  /** The resolved ports per service, as `ip:published:target/protocol`. */
  expect?: Record<string, string[]>;
}

interface Project {
  folder: string;
  files: string[];
  notes: OracleNotes;
}

/** Every compose project under `root`: a folder's default base with its override, else each compose file alone. */
function composeProjects(root: string): Project[] {
  const out: Project[] = [];
  const visit = (folder: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    const names = entries.filter((e) => e.isFile() && isComposeFileName(e.name)).map((e) => e.name);
    const notesPath = path.join(folder, 'portolan-oracle.json');
    const notes: OracleNotes = fs.existsSync(notesPath)
      ? (JSON.parse(fs.readFileSync(notesPath, 'utf8')) as OracleNotes)
      : {};
    if (notes.files) {
      out.push({ folder, files: notes.files, notes });
    } else if (names.length > 0) {
      const base = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'].find((n) =>
        names.includes(n),
      );
      if (base) {
        const override = names.find((n) => /^(?:docker-)?compose\.override\.ya?ml$/.test(n));
        out.push({ folder, files: override ? [base, override] : [base], notes });
      } else {
        for (const name of names) {
          out.push({ folder, files: [name], notes });
        }
      }
    }
    for (const entry of entries) {
      if (entry.isDirectory() && entry.name !== 'node_modules') {
        visit(path.join(folder, entry.name));
      }
    }
  };
  visit(root);
  return out;
}

function portolanPorts(project: Project): Record<string, string[]> {
  const resolved = loadComposeProject({
    files: project.files.map((f) => path.join(project.folder, f).split(path.sep).join('/')),
    readText: (file) => {
      try {
        return fs.readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
    processEnv: new Map(Object.entries(project.notes.env ?? {})),
  });
  const out: Record<string, string[]> = {};
  for (const [name, service] of resolved.services) {
    out[name] = service.ports.map(portKey).sort();
  }
  return out;
}

/** `docker-compose config` on each project (one Python process for all): ports per service, or the refusal. */
function oraclePorts(list: Project[]): Array<Record<string, string[]> | { refused: string }> | undefined {
  if (!fs.existsSync('/usr/bin/docker-compose')) {
    return undefined;
  }
  const input = list.map((p) => ({ folder: p.folder, files: p.files, env: p.notes.env ?? {} }));
  // Only the fixture's variables reach Compose, so the machine's never leak in; no engine is needed.
  const r = spawnSync('/usr/bin/python3', [path.join(repo, 'scripts/compose-oracle.py')], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    timeout: 300000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    throw new Error(`compose-oracle.py failed: ${r.stderr}`);
  }
  return (JSON.parse(r.stdout) as Array<{ config?: string; error?: string }>).map((answer) => {
    if (answer.config === undefined) {
      return { refused: answer.error ?? 'no answer' };
    }
    const config = parse(answer.config) as { services?: Record<string, { ports?: unknown[] }> };
    const out: Record<string, string[]> = {};
    for (const [name, service] of Object.entries(config.services ?? {})) {
      out[name] = (service.ports ?? []).map(oraclePortKey).sort();
    }
    return out;
  });
}

/** v1 prints `{published, target, protocol}` or, with a host address, `127.0.0.1:5432:5432/tcp`. */
function oraclePortKey(port: unknown): string {
  if (typeof port === 'string') {
    const [body, protocol = 'tcp'] = port.split('/');
    const parts = body.split(':');
    const target = parts.pop() ?? '';
    const published = parts.pop() ?? '';
    const hostIp = parts.join(':').replace(/^\[|\]$/g, '');
    return `${hostIp}:${published}:${target}/${protocol}`;
  }
  const p = port as { published?: number | string; target: number; protocol?: string };
  return portKey({
    published: p.published === undefined ? undefined : Number(p.published),
    target: Number(p.target),
    protocol: (p.protocol ?? 'tcp') as 'tcp',
  });
}

function label(project: Project): string {
  return `${path.relative(repo, project.folder) || '.'} (${project.files.join(', ')})`;
}

const samplesDir = process.env.PORTOLAN_SAMPLES_DIR ?? '/work/shared/samples';
const roots = [FIXTURES, ...(fs.existsSync(samplesDir) ? [samplesDir] : [])];
// The same project twice (a sample copied into the fixtures) is compared once.
const projects = (() => {
  const seen = new Set<string>();
  return roots.flatMap(composeProjects).filter((p) => {
    const key = JSON.stringify([
      p.files.map((f) => fs.readFileSync(path.join(p.folder, f), 'utf8')),
      p.notes.env,
    ]);
    return !seen.has(key) && seen.add(key) !== undefined;
  });
})();

describe('compose oracle: docker-compose config against Portolan', () => {
  it('finds the compose projects of the fixtures', () => {
    assert.ok(projects.length >= 30, `only ${projects.length} projects`);
    const names = projects.map((p) => path.basename(p.folder));
    for (const fixture of [
      'interpolation',
      'override',
      'extends',
      'profiles',
      'include',
      'alternative',
      'env-file',
    ]) {
      assert.ok(names.includes(fixture), fixture);
    }
  });

  it('hand-written answers for what only Compose v2 reads', () => {
    const written = projects.filter((p) => p.notes.expect);
    assert.ok(written.length >= 2);
    for (const project of written) {
      const expected = Object.fromEntries(
        Object.entries(project.notes.expect ?? {}).map(([k, v]) => [k, [...v].sort()]),
      );
      assert.deepEqual(portolanPorts(project), expected, label(project));
    }
  });

  it('every service resolves as docker-compose config resolves it', function () {
    this.timeout(300000);
    const compared = projects.filter((p) => p.notes.oracle !== false);
    const answers = oraclePorts(compared);
    if (answers === undefined) {
      process.stderr.write('    (docker-compose is not installed: the oracle comparison is skipped)\n');
      this.skip();
    }
    let services = 0;
    let ports = 0;
    const refused: string[] = [];
    const disagreements: string[] = [];
    compared.forEach((project, i) => {
      const oracle = answers[i];
      if ('refused' in oracle) {
        refused.push(`${label(project)}: ${String(oracle.refused)}`);
        return;
      }
      const ours = portolanPorts(project);
      for (const name of new Set([...Object.keys(oracle), ...Object.keys(ours)])) {
        services++;
        ports += (oracle[name] ?? []).length;
        const theirs = JSON.stringify(oracle[name] ?? []);
        const mine = JSON.stringify(ours[name] ?? []);
        if (theirs !== mine) {
          disagreements.push(`${label(project)} ${name}: compose ${theirs}, portolan ${mine}`);
        }
      }
    });
    process.stderr.write(
      `    docker-compose config: ${compared.length} projects, ${services} services, ${ports} ports compared; ` +
        `${services - disagreements.length} services agree; ${refused.length} projects refused by Compose v1\n`,
    );
    for (const line of refused) {
      process.stderr.write(`      refused: ${line}\n`);
    }
    assert.deepEqual(disagreements, []);
    assert.ok(services >= 40, `only ${services} services compared`);
  });
});
