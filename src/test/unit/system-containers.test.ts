// The container engine client and the attribution of published ports, against recorded engine
// answers: `containers-json.docker-20.10.json` is what Docker 20.10.24 returned here for a plain
// `docker run -p` container and a docker-compose v1 project; the Podman-shaped file is written
// from the compat API's documented shape (empty IP for "all addresses", absolute config files).
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ContainerEngine,
  discoverEngineSockets,
  dockerContextHost,
  parseContainerInspect,
  parseContainerList,
  type ContainerInfo,
} from '../../system/containerEngine';
import {
  attributeSockets,
  composeConfigPaths,
  containerLabel,
  withContainers,
} from '../../system/containerPorts';
import { containerProxyKind } from '../../system/dockerProxy';
import type { ListeningSocket } from '../../system/types';
import { sock } from './live-fakes';

const fixtures = 'src/test/fixtures/docker';
const dockerList = JSON.parse(
  readFileSync(`${fixtures}/containers-json.docker-20.10.json`, 'utf8'),
) as unknown;
const podmanList = JSON.parse(
  readFileSync(`${fixtures}/containers-json.podman-shape.json`, 'utf8'),
) as unknown;
const inspect = JSON.parse(
  readFileSync(`${fixtures}/container-inspect.docker-20.10.json`, 'utf8'),
) as unknown;

describe('system: container engine API parsing', () => {
  it('reads names, images, states, published ports and compose labels from Docker 20.10', () => {
    const list = parseContainerList(dockerList, '/var/run/docker.sock');
    assert.deepEqual(
      list.map((c) => [c.name, c.image, c.state, c.status]),
      [
        ['shop_db_1', 'portolan/busybox:test', 'running', 'Up 7 seconds'],
        ['i14web', 'portolan/busybox:test', 'running', 'Up 14 seconds'],
      ],
    );
    assert.deepEqual(list[0].compose, {
      project: 'shop',
      service: 'db',
      configFiles: ['compose.yaml'],
      workingDir: '/tmp/i14/proj',
      containerNumber: 1,
    });
    assert.equal(list[1].compose, undefined);
    assert.deepEqual(list[1].ports, [
      { ip: '127.0.0.1', privatePort: 8080, publicPort: 18080, protocol: 'tcp' },
      { ip: '0.0.0.0', privatePort: 8081, publicPort: 18081, protocol: 'udp' },
      { ip: '::', privatePort: 8081, publicPort: 18081, protocol: 'udp' },
    ]);
    assert.equal(list[0].engine, '/var/run/docker.sock');
  });

  it('reads the Podman shape and drops entries without an id', () => {
    const list = parseContainerList(podmanList, '/run/podman/podman.sock');
    assert.deepEqual(
      list.map((c) => c.name),
      ['shop-cache-1', 'builder'],
    );
    assert.deepEqual(list[0].ports, [{ ip: '', privatePort: 6379, publicPort: 16379, protocol: 'tcp' }]);
    assert.deepEqual(list[0].compose?.configFiles, [
      '/home/dev/shop/compose.yaml',
      '/home/dev/shop/compose.override.yaml',
    ]);
    assert.equal(list[1].compose, undefined);
    assert.deepEqual(parseContainerList({ message: 'nope' }, 'x'), []);
  });

  it('reads an inspect answer: id, name, state, start time and labels', () => {
    const info = parseContainerInspect(inspect, '/var/run/docker.sock');
    assert.equal(info?.name, 'shop_db_1');
    assert.equal(info?.state, 'running');
    assert.equal(info?.startedAt, '2026-12-01T21:13:11.101487929Z');
    assert.equal(info?.compose?.service, 'db');
    assert.equal(parseContainerInspect('x', 'y'), undefined);
  });
});

describe('system: container engine socket discovery', () => {
  const all = new Set([
    '/var/run/docker.sock',
    '/run/user/1000/docker.sock',
    '/run/user/1000/podman/podman.sock',
    '/run/podman/podman.sock',
    '/srv/custom.sock',
    '/home/dev/.colima/docker.sock',
  ]);
  const exists = (f: string) => all.has(f);

  it('orders DOCKER_HOST, context, default, rootless, Podman user, Podman system; only existing sockets', () => {
    const { endpoints, notes } = discoverEngineSockets({
      env: { DOCKER_HOST: 'unix:///srv/custom.sock', XDG_RUNTIME_DIR: '/run/user/1000' },
      home: '/nonexistent-home',
      exists,
    });
    assert.deepEqual(
      endpoints.map((e) => [e.source, e.socketPath]),
      [
        ['DOCKER_HOST', '/srv/custom.sock'],
        ['default', '/var/run/docker.sock'],
        ['rootless', '/run/user/1000/docker.sock'],
        ['podman', '/run/user/1000/podman/podman.sock'],
        ['podman', '/run/podman/podman.sock'],
      ],
    );
    assert.deepEqual(notes, []);
  });

  it('says why a tcp:// DOCKER_HOST is not used, and skips sockets that do not exist', () => {
    const { endpoints, notes } = discoverEngineSockets({
      env: { DOCKER_HOST: 'tcp://10.0.0.5:2375' },
      home: '/nonexistent-home',
      exists: (f) => f === '/run/podman/podman.sock',
    });
    assert.deepEqual(
      endpoints.map((e) => e.socketPath),
      ['/run/podman/podman.sock'],
    );
    assert.match(notes[0], /DOCKER_HOST=tcp:\/\/10\.0\.0\.5:2375 is not a unix:\/\/ socket/);
  });

  it('follows the current Docker context to its endpoint', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'portolan-ctx-'));
    try {
      const digest = createHash('sha256').update('colima').digest('hex');
      mkdirSync(path.join(home, '.docker', 'contexts', 'meta', digest), { recursive: true });
      writeFileSync(path.join(home, '.docker', 'config.json'), JSON.stringify({ currentContext: 'colima' }));
      writeFileSync(
        path.join(home, '.docker', 'contexts', 'meta', digest, 'meta.json'),
        JSON.stringify({
          Name: 'colima',
          Endpoints: { docker: { Host: 'unix:///home/dev/.colima/docker.sock' } },
        }),
      );
      assert.equal(dockerContextHost({ env: {}, home }), 'unix:///home/dev/.colima/docker.sock');
      const { endpoints } = discoverEngineSockets({ env: {}, home, exists });
      assert.deepEqual(endpoints[0], { socketPath: '/home/dev/.colima/docker.sock', source: 'context' });
      // DOCKER_CONTEXT=default means the default socket.
      assert.equal(dockerContextHost({ env: { DOCKER_CONTEXT: 'default' }, home }), undefined);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

/** A fake engine on a Unix socket answering with recorded bodies. */
async function fakeEngine(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<{ socketPath: string; requests: string[]; close: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'portolan-engine-'));
  const socketPath = path.join(dir, 'docker.sock');
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  server.listen(socketPath);
  await once(server, 'listening');
  return {
    socketPath,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

describe('system: container engine client over a Unix socket', () => {
  it('lists containers once per cache period', async () => {
    const engine = await fakeEngine((_req, res) => json(res, 200, dockerList));
    try {
      const client = new ContainerEngine({ socketPaths: [engine.socketPath], cacheMs: 60_000 });
      const [a, b] = await Promise.all([client.containers(), client.containers()]);
      const c = await client.containers();
      assert.equal(a, b);
      assert.equal(a, c);
      assert.equal(a.available, true);
      assert.deepEqual(a.engines, [engine.socketPath]);
      assert.deepEqual(
        a.containers.map((x) => x.name),
        ['shop_db_1', 'i14web'],
      );
      assert.deepEqual(engine.requests, ['GET /containers/json']);
      client.invalidate();
      await client.containers();
      assert.equal(engine.requests.length, 2);
    } finally {
      await engine.close();
    }
  });

  it('a missing socket is "no engine", logged once', async () => {
    const logs: string[] = [];
    const client = new ContainerEngine({
      socketPaths: [path.join(os.tmpdir(), 'portolan-no-such-engine.sock')],
      cacheMs: 0,
      retryAfterMs: 0,
      log: (m) => logs.push(m),
    });
    const first = await client.containers();
    await client.containers();
    assert.deepEqual(first, { available: false, containers: [], engines: [] });
    assert.equal(logs.length, 1);
    assert.match(logs[0], /portolan-no-such-engine\.sock is not readable: ENOENT/);
  });

  it('an engine that does not answer times out; an oversized answer is refused', async () => {
    const silent = await fakeEngine(() => undefined);
    const huge = await fakeEngine((_req, res) => {
      res.writeHead(200);
      res.end('['.padEnd(300_000, ' ') + ']');
    });
    try {
      const logs: string[] = [];
      const client = new ContainerEngine({
        socketPaths: [silent.socketPath, huge.socketPath],
        timeoutMs: 200,
        maxBytes: 100_000,
        log: (m) => logs.push(m),
      });
      const list = await client.containers();
      assert.equal(list.available, false);
      assert.equal(logs.length, 2);
      logs.sort((a, b) => Number(b.includes(silent.socketPath)) - Number(a.includes(silent.socketPath)));
      assert.match(logs[0], /no answer within 200 ms/);
      assert.match(logs[1], /over 100000 bytes/);
    } finally {
      await silent.close();
      await huge.close();
    }
  });

  it('stop re-reads the container by id, then posts stop; a bad id is never sent', async () => {
    const id = '5a5bb5c74fa3dac94926b8ef9559d04fbe6bfb94deb83a03f317add6f0f686e9';
    const engine = await fakeEngine((req, res) => {
      if (req.method === 'GET' && req.url === `/containers/${id}/json`) {
        json(res, 200, inspect);
      } else if (req.method === 'POST' && req.url === `/containers/${id}/stop`) {
        res.writeHead(204);
        res.end();
      } else {
        json(res, 404, { message: `No such container: ${req.url}` });
      }
    });
    try {
      const client = new ContainerEngine({ socketPaths: [engine.socketPath] });
      const done = await client.stop(id);
      assert.equal(done.kind, 'done');
      assert.equal(done.kind === 'done' && done.container.name, 'shop_db_1');
      const gone = await client.restart('aaaaaaaaaaaa');
      assert.equal(gone.kind, 'not-found');
      const bad = await client.stop('../../images/json');
      assert.equal(bad.kind, 'not-found');
      assert.deepEqual(engine.requests, [
        `GET /containers/${id}/json`,
        `POST /containers/${id}/stop`,
        'GET /containers/aaaaaaaaaaaa/json',
      ]);
    } finally {
      await engine.close();
    }
  });
});

function dockerContainers(): ContainerInfo[] {
  return parseContainerList(dockerList, '/var/run/docker.sock');
}

describe('system: attributing listeners to containers', () => {
  const proxy = (
    port: number,
    address: string,
    protocol: 'tcp' | 'udp' = 'tcp',
    processName = 'docker-proxy',
  ) => sock(port, { address, protocol, process: processName, proxy: 'docker', pid: 3000 + port });

  it('maps docker-proxy listeners to the container and compose service publishing them', () => {
    const sockets = [
      proxy(15432, '127.0.0.1'),
      proxy(18080, '127.0.0.1'),
      proxy(18081, '0.0.0.0', 'udp'),
      proxy(18081, '::', 'udp'),
      sock(22, { address: '0.0.0.0', process: 'sshd' }),
    ];
    const out = attributeSockets(sockets, dockerContainers());
    const label = (s: ListeningSocket) => (s.container ? containerLabel(s.container) : '-');
    assert.deepEqual(out.map(label), [
      'db · shop (portolan/busybox:test)',
      'i14web (portolan/busybox:test)',
      'i14web (portolan/busybox:test)',
      'i14web (portolan/busybox:test)',
      '-',
    ]);
    assert.equal(out[0].container?.privatePort, 5432);
    assert.equal(out[0].container?.workingDir, '/tmp/i14/proj');
    assert.deepEqual(composeConfigPaths(out[0].container ?? {}), ['/tmp/i14/proj/compose.yaml']);
    assert.deepEqual(composeConfigPaths({ configFiles: ['/a/x.yml', 'y.yml'] }), ['/a/x.yml']);
    assert.equal(out[4], sockets[4]);
    assert.equal(
      out.some((s) => s.publishedOnly),
      false,
    );
  });

  it('attributes rootlesskit, rootlessport, pasta, slirp4netns and conmon listeners', () => {
    for (const name of ['rootlesskit', 'rootlessport', 'pasta', 'pasta.avx2', 'slirp4netns', 'conmon']) {
      assert.equal(containerProxyKind(name), 'docker', name);
      const s = sock(16379, { address: '0.0.0.0', process: name });
      const out = attributeSockets([s], parseContainerList(podmanList, 'p'));
      assert.equal(out[0].container?.name, 'shop-cache-1', name);
    }
  });

  it('never attributes a visible host process, and ignores stopped containers', () => {
    const host = sock(15432, { address: '192.168.1.5', process: 'postgres' });
    const out = attributeSockets([host], dockerContainers());
    assert.equal(out[0].container, undefined);
    const exited = attributeSockets(
      [sock(18088, { address: '0.0.0.0', hidden: true })],
      parseContainerList(podmanList, 'p'),
    );
    assert.equal(exited.find((x) => x.port === 18088)?.container, undefined);
    assert.equal(exited.length, 2);
  });

  it('adds published ports that no proxy holds (userland-proxy: false) as publishedOnly sockets', () => {
    const out = attributeSockets([sock(22, { address: '0.0.0.0', process: 'sshd' })], dockerContainers());
    const added = out.filter((s) => s.publishedOnly);
    assert.deepEqual(
      added.map((s) => `${s.protocol} ${s.address}:${s.port} ${s.container?.name} ${s.ownerVisible}`),
      [
        'tcp 127.0.0.1:15432 shop_db_1 false',
        'tcp 127.0.0.1:18080 i14web false',
        'udp 0.0.0.0:18081 i14web false',
        'udp :::18081 i14web false',
      ],
    );
    assert.deepEqual(
      out.map((s) => s.port),
      [22, 15432, 18080, 18081, 18081],
    );
  });

  it('keeps an attributed socket the same object while nothing changed', () => {
    const previous = new WeakMap<ListeningSocket, ListeningSocket>();
    const s = proxy(18080, '127.0.0.1');
    const at = (list: ListeningSocket[]) => list.find((x) => x.port === 18080 && !x.publishedOnly);
    const first = at(attributeSockets([s], dockerContainers(), previous));
    const second = at(attributeSockets([s], dockerContainers(), previous));
    assert.ok(first?.container);
    assert.equal(first, second);
    const later = dockerContainers();
    later[1].status = 'Up 2 minutes';
    const third = at(attributeSockets([s], later, previous));
    assert.notEqual(third, first);
    assert.equal(third?.container?.status, 'Up 2 minutes');
  });

  it('a snapshot without an engine keeps its sockets and says so', () => {
    const snapshot = {
      sockets: [proxy(18080, '127.0.0.1')],
      takenAt: 0,
      durationMs: 0,
      source: 'proc' as const,
      warnings: [],
    };
    const out = withContainers(snapshot, { available: false, containers: [] });
    assert.equal(out.sockets[0], snapshot.sockets[0]);
    assert.deepEqual(out.containers, { available: false, list: [] });
  });
});
