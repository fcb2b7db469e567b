// Against a real Docker engine (PORTOLAN_DOCKER=1): containers with published ports on loopback
// (TCP and UDP), one on all interfaces, and a docker-compose project; the engine client, the
// attribution of docker-proxy listeners, `portolan ls --json` and `portolan who` must name them.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run as ls, type SocketJson } from '../../cli/ls';
import { run as who } from '../../cli/who';
import { ContainerEngine } from '../../system/containerEngine';
import { composeConfigPaths } from '../../system/containerPorts';
import { findFreePort } from '../../system/freePort';
import { listListeningSockets } from '../../system/listening';
import { createSocketService } from '../../system/socketService';
import {
  compose,
  composeYaml,
  DOCKER_SKIP_REASON,
  dockerTestsWanted,
  ensureEngine,
  ensureTestImage,
  releaseEngine,
  removeContainer,
  removeTestContainers,
  runContainer,
} from '../dockerEngine';

function collector() {
  const io = {
    stdout: '',
    stderr: '',
    out: (s: string) => void (io.stdout += s),
    err: (s: string) => void (io.stderr += s),
  };
  return io;
}

async function freePorts(count: number, host: string | undefined = '127.0.0.1'): Promise<number[]> {
  const ports = await findFreePort({ from: 20000 + (process.pid % 20000), host, count });
  assert.equal(ports.length, count, 'free loopback ports for the test containers');
  return ports;
}

describe('system: containers on a real Docker engine', function () {
  this.timeout(180_000);
  const project = `portolan${process.pid}`;
  let dir: string;
  let composeFile: string;
  let webPort: number;
  let udpPort: number;
  let dbPort: number;
  let webId: string;
  let engaged = false;

  before(async function () {
    if (!dockerTestsWanted()) {
      process.stderr.write(`    (pending: ${DOCKER_SKIP_REASON})\n`);
      this.skip();
    }
    engaged = true;
    await ensureEngine();
    await ensureTestImage();
    [webPort, udpPort, dbPort] = await freePorts(3);
    webId = await runContainer({
      name: `portolan-web-${process.pid}`,
      ports: [
        { hostIp: '127.0.0.1', hostPort: webPort, containerPort: 8080 },
        { hostIp: '127.0.0.1', hostPort: udpPort, containerPort: 5354, protocol: 'udp' },
      ],
    });
    dir = mkdtempSync(path.join(os.tmpdir(), 'portolan-compose-'));
    composeFile = path.join(dir, 'compose.yaml');
    writeFileSync(composeFile, composeYaml([{ name: 'db', hostPort: dbPort, containerPort: 5432 }]));
    compose(composeFile, project, ['up', '-d']);
  });

  after(async function () {
    if (!engaged) {
      return;
    }
    try {
      if (composeFile) {
        compose(composeFile, project, ['down', '--timeout', '1']);
      }
    } finally {
      await removeTestContainers();
      if (dir) {
        rmSync(dir, { recursive: true, force: true });
      }
      await releaseEngine();
    }
  });

  it('the engine client lists both containers with ports and compose labels', async () => {
    const list = await new ContainerEngine().containers();
    assert.equal(list.available, true);
    const web = list.containers.find((c) => c.id === webId);
    assert.ok(web, 'the plain container');
    assert.equal(web.state, 'running');
    assert.deepEqual(web.ports.map((p) => `${p.protocol} ${p.ip}:${p.publicPort}->${p.privatePort}`).sort(), [
      `tcp 127.0.0.1:${webPort}->8080`,
      `udp 127.0.0.1:${udpPort}->5354`,
    ]);
    const db = list.containers.find((c) => c.compose?.project === project);
    assert.ok(db, 'the compose container');
    assert.equal(db.compose?.service, 'db');
    assert.equal(db.compose?.workingDir, dir);
    // v1 writes the -f argument as given: here an absolute path.
    assert.deepEqual(composeConfigPaths({ ...db.compose }), [composeFile]);
  });

  it('attributes the docker-proxy listeners (TCP and UDP) to their containers', async () => {
    const snapshot = await listListeningSockets(process.platform, { containers: new ContainerEngine() });
    const at = (port: number, protocol: string) =>
      snapshot.sockets.find((s) => s.port === port && s.protocol === protocol && s.address === '127.0.0.1');
    const web = at(webPort, 'tcp');
    assert.equal(web?.process, 'docker-proxy');
    assert.equal(web?.container?.id, webId);
    assert.equal(at(udpPort, 'udp')?.container?.id, webId);
    const db = at(dbPort, 'tcp');
    assert.equal(db?.container?.service, 'db');
    assert.equal(db?.container?.project, project);
    assert.equal(db?.container?.image, 'portolan/busybox:test');
    assert.equal(snapshot.containers?.available, true);
  });

  it('the socket service attributes on every refresh', async () => {
    const service = createSocketService({ inThread: true, containers: new ContainerEngine() });
    try {
      const snapshot = await service.refresh();
      const db = snapshot.sockets.find((s) => s.port === dbPort && s.protocol === 'tcp');
      assert.equal(db?.container?.service, 'db');
    } finally {
      service.dispose();
    }
  });

  it('portolan ls --json names container, service, project and image; the table has a CONTAINER column', async () => {
    const io = collector();
    assert.equal(await ls(['--all', '--json'], io), 0);
    const rows = JSON.parse(io.stdout) as SocketJson[];
    const db = rows.find((r) => r.port === dbPort && r.protocol === 'tcp');
    assert.equal(db?.container?.service, 'db');
    assert.equal(db?.container?.project, project);
    assert.equal(db?.container?.image, 'portolan/busybox:test');
    assert.equal(db?.container?.containerPort, 5432);
    assert.match(db?.container?.name ?? '', new RegExp(`^${project}[_-]db[_-]1$`));
    const udp = rows.find((r) => r.port === udpPort && r.protocol === 'udp');
    assert.equal(udp?.container?.id, webId);
    assert.equal(udp?.container?.service, null);
    const table = collector();
    assert.equal(await ls([], table), 0);
    assert.match(table.stdout, /CONTAINER$/m);
    const line = table.stdout.split('\n').find((l) => l.includes(`127.0.0.1:${dbPort}`));
    assert.ok(line?.endsWith(`db · ${project} (portolan/busybox:test)`), line);
  });

  it('portolan who PORT names the container', async () => {
    const io = collector();
    assert.equal(await who([String(dbPort)], io), 0);
    assert.match(
      io.stdout,
      new RegExp(
        `container ${project}[_-]db[_-]1: db · ${project} \\(portolan/busybox:test\\), port 5432 inside, Up `,
      ),
    );
    assert.match(io.stdout, /stop container .* to free the port/);
  });

  it('a port published on all interfaces is attributed on IPv4 and IPv6', async () => {
    const [port] = await freePorts(1, undefined);
    const id = await runContainer({
      name: `portolan-any-${process.pid}`,
      ports: [{ hostIp: '', hostPort: port, containerPort: 8080 }],
    });
    try {
      const snapshot = await listListeningSockets(process.platform, { containers: new ContainerEngine() });
      const held = snapshot.sockets.filter((s) => s.port === port && s.protocol === 'tcp');
      assert.ok(held.length >= 1, 'docker-proxy listens on the wildcard');
      assert.ok(held.every((s) => s.container?.id === id));
      assert.ok(held.some((s) => s.address === '0.0.0.0'));
      // Docker's proxy also listens on [::] when the kernel has IPv6; that row is the same container's.
      if (existsSync('/proc/net/if_inet6')) {
        assert.ok(
          held.some((s) => s.address === '::'),
          `no IPv6 row: ${held.map((s) => s.address).join(', ')}`,
        );
      }
    } finally {
      await removeContainer(id);
    }
  });

  it('stop and restart go through the engine by id, after re-reading the container', async () => {
    const engine = new ContainerEngine();
    // busybox httpd as pid 1 ignores SIGTERM: a 1 s grace instead of the engine's 10 s.
    const restarted = await engine.restart(webId, 1);
    assert.equal(restarted.kind, 'done');
    const stopped = await engine.stop(webId, 1);
    assert.equal(stopped.kind, 'done');
    assert.equal((await engine.inspect(webId))?.state, 'exited');
  });
});
