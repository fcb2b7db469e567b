// The context model and the rules that consult it: each noise class and each slip with its true
// negatives and, next to them, the true positives that must keep firing.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ContextFacts,
  DEFAULT_CONTEXT_SETTINGS,
  WorkspaceContext,
  type ContextSettings,
} from '../../context';
import { GitAttributes, roleFromPath } from '../../context/fileRole';
import { composeFileGroups, composeOutline } from '../../context/composeProject';
import { composeBuildContexts } from '../../context/placement';
import { imageRepository, imageService } from '../../data/images';
import { runRules } from '../../rules';
import { WorkspaceIndex } from '../../workspace';
import type { FileMentions, Finding } from '../../rules/types';
import { scanText } from '../../scan';
import { detectRootless } from '../../system/rootless';
import { LINUX_LIMITS, scanned } from './rulesSupport';

const repo = path.resolve(__dirname, '../../..');

/** Runs the rules over `files` (path → text) with a context fed from all of them. */
function judge(
  files: Record<string, string>,
  settings: Partial<ContextSettings> = {},
): { file: string; rule: string; severity: string; text: string }[] {
  const context = new WorkspaceContext({ ...DEFAULT_CONTEXT_SETTINGS, ...settings }, ['/ws/']);
  const scannedFiles: FileMentions[] = [];
  for (const [name, text] of Object.entries(files)) {
    const id = `/ws/${name}`;
    const f = scanned(id, text);
    context.addFile(id, text, f.kind);
    scannedFiles.push(f);
  }
  const workspace = WorkspaceIndex.of(scannedFiles);
  const out: { file: string; rule: string; severity: string; text: string }[] = [];
  for (const f of scannedFiles) {
    for (const finding of runRules({
      file: f,
      workspace,
      limits: LINUX_LIMITS,
      context: context.fileContext(f.file, f.text),
    })) {
      out.push(label(f, finding));
    }
  }
  return out;
}

function label(
  f: FileMentions,
  finding: Finding,
): { file: string; rule: string; severity: string; text: string } {
  return {
    file: f.file.slice('/ws/'.length),
    rule: finding.rule,
    severity: finding.severity,
    text: (f.text ?? '').slice(finding.range.start, finding.range.end),
  };
}

const SERVER_GO = 'package main\n\nfunc main() {\n\thttp.ListenAndServe(":80", nil)\n}\n';

describe('context: what a file is', () => {
  it('roles from the path: tests, docs, vendored, generated, examples, source', () => {
    assert.equal(roleFromPath('pkg/server/handler_test.go'), 'test');
    assert.equal(roleFromPath('pkg/api/testdata/entrypoints.json'), 'test');
    assert.equal(roleFromPath('webui/src/pages/TcpRouter.spec.tsx'), 'test');
    assert.equal(roleFromPath('_integration-test/nginx/nginx.conf'), 'test');
    assert.equal(roleFromPath('docs/content/user-guides/docker-compose.yml'), 'docs');
    assert.equal(roleFromPath('app/wwwroot/lib/jquery/jquery.min.js'), 'vendored');
    assert.equal(roleFromPath('static/app.min.js'), 'vendored');
    assert.equal(roleFromPath('api/v1/service.pb.go'), 'generated');
    assert.equal(roleFromPath('traefik.sample.toml'), 'example');
    // True positives next to them: the project's own code and configuration.
    assert.equal(roleFromPath('pkg/server/handler.go'), 'source');
    assert.equal(roleFromPath('compose.yaml'), 'source');
    assert.equal(roleFromPath('src/latest/server.js'), 'source');
    assert.equal(roleFromPath('contest/main.go'), 'source');
  });

  it('.gitattributes: linguist-vendored and linguist-generated, and unsetting them', () => {
    const attributes = new GitAttributes(
      '# comment\nthird/** linguist-vendored\napi/*.ts linguist-generated=true\nthird/ours/** -linguist-vendored\n',
    );
    assert.equal(attributes.roleOf('third/lib/server.js'), 'vendored');
    assert.equal(attributes.roleOf('api/client.ts'), 'generated');
    assert.equal(attributes.roleOf('third/ours/main.go'), null);
    assert.equal(attributes.roleOf('src/main.go'), undefined);
    const context = new WorkspaceContext(DEFAULT_CONTEXT_SETTINGS, ['/ws/']);
    context.addFile('/ws/.gitattributes', 'gen/** linguist-generated\nvendor/** -linguist-vendored\n');
    assert.equal(context.roleOf('/ws/gen/server.js'), 'generated');
    assert.equal(context.roleOf('/ws/vendor/ours/server.go'), 'source');
    assert.equal(context.roleOf('/ws/src/server.js'), 'source');
  });

  it('roles are taken below the workspace root, so a project inside tests/ is judged as a project', () => {
    const context = new WorkspaceContext(DEFAULT_CONTEXT_SETTINGS, ['/repo/src/test/fixtures/project/']);
    assert.equal(context.roleOf('/repo/src/test/fixtures/project/compose.yaml'), 'source');
    assert.equal(new WorkspaceContext().roleOf('/repo/src/test/fixtures/project/compose.yaml'), 'test');
  });

  it('kept file by file: an edit reads the edited file only, and the folder map moves only with a build context', () => {
    const facts = new ContextFacts();
    const compose = (i: number, port: number, build = `./app${i}`): string =>
      `services:\n  app${i}:\n    build: ${build}\n    ports:\n      - "${port}:80"\n`;
    for (let i = 0; i < 200; i++) {
      facts.set(`/ws/p${i}/compose.yaml`, compose(i, 3000 + i));
    }
    facts.set('/ws/p7/app7/Dockerfile', 'FROM node\n');
    const context = new WorkspaceContext(DEFAULT_CONTEXT_SETTINGS, ['/ws/'], facts);
    assert.equal(context.placementOf('/ws/p3/app3/server.js').service, 'app3');
    assert.equal(facts.textsRead, 200);
    assert.equal(facts.containerRebuilds, 1);

    // A keystroke that changes a port: one text read, the folder map stays.
    assert.equal(facts.set('/ws/p3/compose.yaml', compose(3, 4000)), false);
    assert.equal(
      facts.set('/ws/p3/compose.yaml', compose(3, 4000)),
      false,
      'the same text is not read again',
    );
    assert.equal(context.placementOf('/ws/p3/app3/server.js').service, 'app3');
    assert.equal(facts.textsRead, 201);
    assert.equal(facts.containerRebuilds, 1);

    // The build context moves: one more read and one rebuild, from stored facts.
    assert.equal(facts.set('/ws/p3/compose.yaml', compose(3, 4000, './other')), true);
    assert.deepEqual(context.placementOf('/ws/p3/app3/server.js'), { where: 'host' });
    assert.equal(context.placementOf('/ws/p3/other/server.js').service, 'app3');
    assert.equal(facts.textsRead, 202);
    assert.equal(facts.containerRebuilds, 2);

    // A Dockerfile goes: its folder is the host again (the compose service still builds app7).
    assert.equal(facts.delete('/ws/p7/app7/Dockerfile'), true);
    assert.equal(context.placementOf('/ws/p7/app7/main.go').service, 'app7');
    facts.set('/ws/tools/Dockerfile', 'FROM alpine\n');
    assert.equal(context.placementOf('/ws/tools/run.go').reason, 'Dockerfile in this folder');
    facts.delete('/ws/tools/Dockerfile');
    assert.deepEqual(context.placementOf('/ws/tools/run.go'), { where: 'host' });
  });

  it('a capability grant counts from the facts, and stops counting when its file loses it', () => {
    const facts = new ContextFacts();
    facts.set('/ws/scripts/setup.sh', 'setcap cap_net_bind_service=+ep ./bin/server\n');
    const context = new WorkspaceContext(DEFAULT_CONTEXT_SETTINGS, ['/ws/'], facts);
    assert.equal(context.fileContext('/ws/server.go', '').bindGrantedIn, 'scripts/setup.sh');
    assert.equal(facts.set('/ws/scripts/setup.sh', '# setcap cap_net_bind_service=+ep ./bin/server\n'), true);
    assert.equal(context.fileContext('/ws/server.go', '').bindGrantedIn, undefined);
  });

  it('a deleted folder takes its files facts along, and leaves a sibling with a longer name', () => {
    const facts = new ContextFacts();
    const compose = (service: string): string =>
      `services:\n  ${service}:\n    build: ./app\n    ports:\n      - "8080:80"\n`;
    facts.set('/ws/api/compose.yaml', compose('api'));
    facts.set('/ws/api/scripts/setup.sh', 'setcap cap_net_bind_service=+ep ./bin/server\n');
    facts.set('/ws/api2/compose.yaml', compose('api2'));
    const context = new WorkspaceContext(DEFAULT_CONTEXT_SETTINGS, ['/ws/'], facts);
    assert.equal(context.placementOf('/ws/api/app/server.js').service, 'api');
    assert.equal(context.fileContext('/ws/server.go', '').bindGrantedIn, 'api/scripts/setup.sh');
    const version = facts.projectsVersion;

    assert.equal(facts.deleteFolder('/ws/api'), true);
    assert.deepEqual(context.placementOf('/ws/api/app/server.js'), { where: 'host' });
    assert.equal(context.fileContext('/ws/server.go', '').bindGrantedIn, undefined);
    assert.equal(context.placementOf('/ws/api2/app/server.js').service, 'api2');
    assert.ok(facts.projectsVersion > version);
    assert.equal(facts.deleteFolder('/ws/api/'), false);
    assert.equal(facts.deleteFolder('/ws/api2/compose.yaml'), false);
  });

  it('where code runs: a Compose build context, a Dockerfile in the folder or above, else the host', () => {
    const context = new WorkspaceContext(DEFAULT_CONTEXT_SETTINGS, ['/ws/']);
    context.addFile(
      '/ws/compose.yaml',
      'services:\n  api:\n    build: ./backend\n  web:\n    build:\n      context: web\n',
    );
    context.addFile('/ws/worker/Dockerfile', 'FROM golang\n');
    assert.deepEqual(context.placementOf('/ws/backend/main.go'), {
      where: 'container',
      reason: 'built by compose service `api`',
      service: 'api',
    });
    assert.deepEqual(context.placementOf('/ws/web/src/index.js'), {
      where: 'container',
      reason: 'built by compose service `web`',
      service: 'web',
    });
    assert.deepEqual(context.placementOf('/ws/worker/main.go'), {
      where: 'container',
      reason: 'Dockerfile in this folder',
      dockerfileFolder: 'worker',
    });
    assert.deepEqual(context.placementOf('/ws/worker/cmd/run.go'), {
      where: 'container',
      reason: 'Dockerfile in `worker/`',
      dockerfileFolder: 'worker',
    });
    assert.deepEqual(context.placementOf('/ws/tools/dev.go'), { where: 'host' });
    assert.deepEqual(composeBuildContexts('/ws/x/compose.yaml', 'services:\n  a:\n    build: ../a\n'), [
      { folder: '/ws/a/', service: 'a' },
    ]);
  });

  it('rootless detection reads DOCKER_HOST and the user sockets', () => {
    const none = (): boolean => false;
    assert.equal(
      detectRootless({ env: { DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }, exists: none, uid: 1000 }),
      true,
    );
    assert.equal(
      detectRootless({ env: { DOCKER_HOST: 'unix:///var/run/docker.sock' }, exists: none, uid: 1000 }),
      false,
    );
    const userOnly = (f: string): boolean => f === '/run/user/1000/podman/podman.sock';
    assert.equal(detectRootless({ env: {}, exists: userOnly, uid: 1000 }), true);
    const both = (f: string): boolean => userOnly(f) || f === '/var/run/docker.sock';
    assert.equal(detectRootless({ env: {}, exists: both, uid: 1000 }), false);
    assert.equal(detectRootless({ env: {}, exists: userOnly, uid: 0 }), false);
  });
});

describe('context: rules that consult it', () => {
  it('class 1, where the text lives: tests, docs, vendored and doc comments are skipped; settings bring them back', () => {
    const files = {
      'pkg/server_test.go': SERVER_GO,
      'docs/guide/compose.yaml': 'services:\n  web:\n    image: myapp\n    ports:\n      - "81:5000"\n',
      'wwwroot/lib/jquery/jquery.min.js': 'server.listen(80);\n',
      'lib/app.js': '/**\n *    http.createServer(app).listen(80);\n */\nfunction x() {}\n',
      // True positive beside them: the project's own dev server on the host.
      'cmd/dev/main.go': SERVER_GO,
    };
    assert.deepEqual(
      judge(files).map((f) => `${f.file} ${f.rule} ${f.severity}`),
      ['cmd/dev/main.go privileged-port warning'],
    );
    const all = judge(files, { checkTests: true, checkDocs: true, checkVendored: true }).map((f) => f.file);
    assert.deepEqual(all.sort(), [
      'cmd/dev/main.go',
      'docs/guide/compose.yaml',
      'lib/app.js',
      'pkg/server_test.go',
      'wwwroot/lib/jquery/jquery.min.js',
    ]);
  });

  it('class 2, who binds: nginx master, rootful Docker on 80:80 and container code are information; 81:5000, the host and rootless stay warnings', () => {
    const files = {
      'compose.yaml':
        'services:\n  proxy:\n    image: nginx\n    ports:\n      - "80:80"\n      - "53:53/udp"\n' +
        '  backend:\n    build: ./backend\n    ports:\n      - "81:5000"\n',
      'backend/main.go': SERVER_GO,
      'tools/dev.go': SERVER_GO,
    };
    const found = judge(files).map((f) => `${f.file} ${f.text} ${f.severity}`);
    assert.deepEqual(found.sort(), [
      'backend/main.go 80 information',
      'compose.yaml 53 information',
      'compose.yaml 80 information',
      'compose.yaml 81 warning',
      'tools/dev.go 80 warning',
    ]);
    const nginx = judge({
      'nginx/site.conf': 'server {\n    listen 443 ssl;\n    server_name example.com;\n}\n',
    });
    assert.deepEqual(
      nginx.map((f) => `${f.text} ${f.severity}`),
      ['443 information'],
    );
    const rootless = judge(files, { rootless: true }).filter((f) => f.file === 'compose.yaml');
    assert.deepEqual(rootless.map((f) => `${f.text} ${f.severity}`).sort(), [
      '53 warning',
      '80 warning',
      '81 warning',
    ]);
  });

  it('class 3, what the value means: -1 in a setting is "unset", a listen of -1 and 70000 stay errors', () => {
    const found = judge({
      'application.yml': 'dubbo:\n  protocol:\n    port: -1 # auto-increment port\n',
      'config.go': 'var c = Config{\n\tPort: -1,\n}\n',
      'server.js': 'app.listen(-1);\n',
      'compose.yaml': 'services:\n  a:\n    image: x\n    ports:\n      - "70000:80"\n',
    });
    assert.deepEqual(
      found
        .filter((f) => f.rule === 'invalid-port')
        .map((f) => `${f.file} ${f.text} ${f.severity}`)
        .sort(),
      ['compose.yaml 70000 error', 'server.js -1 error'],
    );
  });

  it('class 4, which service: the image names it, in rules and in the registry lookup', () => {
    const found = judge({
      'compose.yaml':
        'services:\n  portainer:\n    image: portainer/portainer-ce:latest\n    ports:\n      - "9000:9000"\n' +
        '  broker:\n    image: docker.redpanda.com/redpandadata/redpanda:v24.1.1\n    ports:\n      - "9092:9092"\n      - "9644:9644"\n' +
        '  php:\n    image: php:8-fpm\n    ports:\n      - "9000:9000"\n',
    });
    const exposed = found.filter((f) => f.rule === 'exposed-service').map((f) => f.text);
    // Portainer, Redpanda's admin API and PHP-FPM are control surfaces (exposed-service), not data;
    // the broker's Kafka API is published on purpose.
    assert.deepEqual(exposed, ['9000', '9644', '9000']);
    assert.deepEqual(
      found.filter((f) => f.rule === 'exposed-database'),
      [],
    );
    const scannedCompose = scanText(
      '/ws/compose.yaml',
      'services:\n  p:\n    image: portainer/portainer-ce\n    ports:\n      - "9000:9000"\n',
    );
    assert.ok(scannedCompose.every((m) => m.image === 'portainer/portainer-ce'));
    assert.match(imageService('portainer/portainer-ce:2.19', 9000)?.label ?? '', /^Portainer/);
    assert.equal(imageService('redpandadata/redpanda', 9092)?.label, 'Redpanda broker (Kafka API)');
    assert.equal(imageService('bitnami/kafka:3.7', 9092)?.label, 'Kafka broker');
    assert.equal(imageService('postgres:16', 9000), undefined);
    assert.equal(imageRepository('ghcr.io/owner/app:1.0@sha256:abc'), 'owner/app');
  });

  it('class 5, finder slips: .run on a non-server, a ("UTC", 0) tuple, uwsgi -p 4 and go test -p 1', () => {
    const ports = (name: string, text: string): number[] => scanText(name, text).map((m) => m.port);
    assert.deepEqual(ports('a.js', 'animation.tweens[ index ].run( 1 );\n'), []);
    assert.deepEqual(ports('a.py', 'tz = make_zone(("UTC", 0))\n'), []);
    assert.deepEqual(ports('run.sh', 'uwsgi --http :8000 -p 4\n').includes(4), false);
    assert.deepEqual(ports('ci.sh', 'CGO_ENABLED=0 go test -p 1 ./...\n'), []);
    // True positives beside them.
    assert.deepEqual(ports('main.go', 'router.Run(":8080")\n'), [8080]);
    assert.deepEqual(ports('app.py', 'app.run(5000)\n'), [5000]);
    assert.deepEqual(ports('a.py', 'sock.connect(("db", 5432))\n'), [5432]);
    assert.deepEqual(ports('run.sh', 'npx http-server -p 8080\n'), [8080]);
  });
});

describe('context: the CLI', function () {
  this.timeout(30000);
  const cli = path.join(repo, 'out/cli.js');

  it('honours .gitignore as git does, settings for roles, and --all-files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portolan-context-'));
    try {
      fs.mkdirSync(path.join(dir, 'build'));
      fs.mkdirSync(path.join(dir, 'keep'));
      fs.mkdirSync(path.join(dir, 'tests'));
      fs.mkdirSync(path.join(dir, '.vscode'));
      fs.writeFileSync(path.join(dir, '.gitignore'), 'build/\n*.local.go\n');
      fs.writeFileSync(path.join(dir, 'keep', '.gitignore'), '!kept.local.go\n');
      fs.writeFileSync(path.join(dir, 'build', 'main.go'), SERVER_GO);
      fs.writeFileSync(path.join(dir, 'dev.local.go'), SERVER_GO);
      fs.writeFileSync(path.join(dir, 'keep', 'kept.local.go'), SERVER_GO);
      fs.writeFileSync(path.join(dir, 'tests', 'server_test.go'), SERVER_GO);
      fs.writeFileSync(path.join(dir, 'main.go'), SERVER_GO);
      const run = (...args: string[]): string[] => {
        const r = spawnSync(process.execPath, [cli, 'check', '--json', ...args, '.'], {
          cwd: dir,
          encoding: 'utf8',
        });
        return (JSON.parse(r.stdout) as { file: string }[]).map((x) => x.file).sort();
      };
      assert.deepEqual(run(), ['keep/kept.local.go', 'main.go']);
      assert.deepEqual(run('--no-gitignore'), [
        'build/main.go',
        'dev.local.go',
        'keep/kept.local.go',
        'main.go',
      ]);
      assert.deepEqual(run('--all-files'), ['keep/kept.local.go', 'main.go', 'tests/server_test.go']);
      fs.writeFileSync(
        path.join(dir, '.vscode', 'settings.json'),
        '{ "portolan.diagnostics.checkTests": true }',
      );
      assert.deepEqual(run(), ['keep/kept.local.go', 'main.go', 'tests/server_test.go']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('context: which Compose files run together', () => {
  it('reads -f groups from commands, continuations, package.json and COMPOSE_FILE; one file or a variable combines nothing', () => {
    assert.deepEqual(
      composeFileGroups(
        'up:\n\tdocker compose \\\n\t\t-f docker-compose.yml \\\n\t\t--file=deploy/prod.yml up -d\n' +
          'demo:\n\tdocker compose -f docker-compose.demo.yml up\n' +
          'odd:\n\tdocker-compose -f docker-compose.yml -f $(EXTRA) up\n',
      ),
      [['docker-compose.yml', 'deploy/prod.yml']],
    );
    assert.deepEqual(
      composeFileGroups('{ "scripts": { "dev": "docker-compose -f compose.yaml -f compose.dev.yaml up" } }'),
      [['compose.yaml', 'compose.dev.yaml']],
    );
    assert.deepEqual(composeFileGroups('COMPOSE_FILE=compose.yaml:compose.gpu.yaml # gpu\n'), [
      ['compose.yaml', 'compose.gpu.yaml'],
    ]);
    assert.deepEqual(composeFileGroups('env:\n  COMPOSE_FILE: "a.yml;b.yml"\n'), [['a.yml', 'b.yml']]);
    assert.deepEqual(composeFileGroups('cp docker-compose.yml -f x.yml && docker compose up'), []);
  });

  it('outlines services (standing alone or partial) and include: files', () => {
    const outline = composeOutline(
      '/ws/app/compose.yaml',
      'include:\n  - db/compose.yaml\n  - path: [../shared/a.yaml, ${X}/b.yaml]\n' +
        'services:\n  web:\n    build: ./web\n  db:\n    image: postgres\n  base:\n    extends: web\n  tweak:\n    environment:\n      A: 1\n',
    );
    assert.deepEqual(
      outline.services.map((s) => [s.name, s.standsAlone, s.build]),
      [
        ['web', true, '/ws/app/web/'],
        ['db', true, undefined],
        ['base', true, undefined],
        ['tweak', false, undefined],
      ],
    );
    assert.deepEqual(outline.includes, ['/ws/app/db/compose.yaml', '/ws/shared/a.yaml']);
  });

  it('the editor and the CLI share the decision: a -f group in README is an example, not how the project runs', () => {
    const context = new WorkspaceContext(DEFAULT_CONTEXT_SETTINGS, ['/ws/']);
    const complete = 'services:\n  a:\n    image: x\n    ports:\n      - "80:80"\n';
    context.addFile('/ws/docker-compose.yml', complete, 'compose');
    context.addFile('/ws/docker-compose.ci.yml', complete.replace('a:', 'b:'), 'compose');
    context.addFile('/ws/README.md', 'docker compose -f docker-compose.yml -f docker-compose.ci.yml up\n');
    assert.deepEqual(context.fileContext('/ws/docker-compose.yml', undefined).composeProject(), [
      '/ws/docker-compose.yml',
    ]);
    context.addFile(
      '/ws/.github/workflows/ci.yml',
      'run: docker compose -f docker-compose.yml -f docker-compose.ci.yml up\n',
    );
    assert.deepEqual(context.fileContext('/ws/docker-compose.ci.yml', undefined).composeProject(), [
      '/ws/docker-compose.ci.yml',
      '/ws/docker-compose.yml',
    ]);
  });
});
