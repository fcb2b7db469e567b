// Issue 13 item 7: "Open in Browser" is offered when the listener answers HTTP, whatever its port.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { isNonWebPort } from '../../data/registry';
import { offersBrowser, type ServiceNames } from '../../present/portsModel';
import { classify, HttpProbes, probeHost, probeHttp, type HttpProbeResult } from '../../system/httpProbe';
import type { ListeningSocket } from '../../system/types';

function listening(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

function closed(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function socketOn(port: number, pid = 100): ListeningSocket {
  return {
    protocol: 'tcp',
    family: 'ipv4',
    address: '127.0.0.1',
    port,
    ownerVisible: true,
    owners: [{ pid, process: 'python3', command: 'python3 -m http.server' }],
    pid,
    connections: { established: 0, timeWait: 0, closeWait: 0 },
  };
}

describe('HTTP probe on loopback', () => {
  const servers: net.Server[] = [];
  const sockets = new Set<net.Socket>();

  function track(server: net.Server): net.Server {
    servers.push(server);
    server.on('connection', (s: net.Socket) => {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });
    return server;
  }

  afterEach(async () => {
    for (const s of sockets) {
      s.destroy();
    }
    await Promise.all(servers.splice(0).map(closed));
  });

  it('says http for an HTTP server on a port no registry calls web', async () => {
    const server = track(http.createServer((_req, res) => res.end('ok')));
    const port = await listening(server);
    assert.equal(await probeHttp('127.0.0.1', port), 'http');
  });

  it('says other for a server that greets with its own protocol', async () => {
    const server = track(net.createServer((s) => s.end('220 mail.example ESMTP ready\r\n')));
    assert.equal(await probeHttp('127.0.0.1', await listening(server)), 'other');
  });

  it('says other for a server that never answers, after the timeout', async () => {
    const server = track(net.createServer(() => {}));
    assert.equal(await probeHttp('127.0.0.1', await listening(server), 150), 'other');
  });

  it('says tls for a server that answers with a TLS alert record', async () => {
    const alert = Buffer.from([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46]);
    const server = track(net.createServer((s) => s.once('data', () => s.end(alert))));
    assert.equal(await probeHttp('127.0.0.1', await listening(server)), 'tls');
  });

  it('says other for a port nothing listens on', async () => {
    const server = net.createServer();
    const port = await listening(server);
    await closed(server);
    assert.equal(await probeHttp('127.0.0.1', port), 'other');
  });

  it('classifies answers and reaches wildcard binds on loopback', () => {
    assert.equal(classify(Buffer.from('HTTP/1.1 200 OK\r\n')), 'http');
    assert.equal(classify(Buffer.from('SSH-2.0-OpenSSH_9.6\r\n')), 'other');
    assert.equal(classify(Buffer.alloc(0)), 'other');
    assert.equal(probeHost('0.0.0.0'), '127.0.0.1');
    assert.equal(probeHost('::'), '::1');
    assert.equal(probeHost('::ffff:127.0.0.1'), '127.0.0.1');
  });

  it('decides the row and hover offer, with real listeners, not the port number', async () => {
    const web = track(http.createServer((_req, res) => res.end('ok')));
    const other = track(net.createServer((s) => s.end('-ERR unknown command\r\n')));
    const webPort = await listening(web);
    const otherPort = await listening(other);
    const probes = new HttpProbes();
    const names: ServiceNames = {
      serviceName: () => undefined,
      isTlsPort: () => false,
      httpProbe: (s) => probes.get(s),
    };
    // Not asked yet: nothing is offered until the listener has answered.
    assert.equal(offersBrowser([socketOn(webPort)], webPort, 'tcp', names), false);
    assert.equal(await probes.result(socketOn(webPort)), 'http');
    assert.equal(await probes.result(socketOn(otherPort)), 'other');
    assert.equal(offersBrowser([socketOn(webPort)], webPort, 'tcp', names), true);
    assert.equal(offersBrowser([socketOn(otherPort)], otherPort, 'tcp', names), false);
    assert.equal(offersBrowser([socketOn(webPort)], webPort, 'udp', names), false);
    probes.dispose();
  });
});

describe('HttpProbes cache', () => {
  it('asks once per port and process, a bounded number at a time, and says when answers arrive', async () => {
    let inFlight = 0;
    let most = 0;
    const asked: string[] = [];
    const release: (() => void)[] = [];
    let batches = 0;
    const probes = new HttpProbes({
      concurrency: 2,
      onResults: () => batches++,
      probe: (host, port) => {
        asked.push(`${host}:${port}`);
        inFlight++;
        most = Math.max(most, inFlight);
        return new Promise<HttpProbeResult>((resolve) =>
          release.push(() => {
            inFlight--;
            resolve(port % 2 === 0 ? 'http' : 'other');
          }),
        );
      },
    });
    const targets = [8000, 8001, 8002, 8003, 8004].map((port) => socketOn(port));
    for (const t of targets) {
      assert.equal(probes.get(t), undefined);
      assert.equal(probes.get(t), undefined, 'asked twice while pending');
    }
    const all = Promise.all(targets.map((t) => probes.result(t)));
    while (asked.length < targets.length || release.length > 0) {
      const next = release.shift();
      if (next) {
        next();
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.deepEqual(await all, ['http', 'other', 'http', 'other', 'http']);
    assert.equal(asked.length, 5, asked.join(' '));
    assert.equal(most, 2);
    assert.ok(batches >= 1);
    assert.equal(probes.get(socketOn(8000)), 'http');
    // Another process on the same port is asked again.
    assert.equal(probes.get(socketOn(8000, 200)), undefined);
    assert.equal(asked.length, 6);
    release.shift()?.();
    probes.dispose();
  });

  it('asks nobody it is told to skip, and answers other for them at once', async () => {
    const asked: number[] = [];
    const probes = new HttpProbes({
      probe: (_host, port) => {
        asked.push(port);
        return Promise.resolve('http');
      },
      shouldProbe: (t) => t.pid !== 4242 && !isNonWebPort(t.port),
    });
    assert.equal(probes.get(socketOn(8080, 4242)), 'other');
    assert.equal(probes.get(socketOn(5432)), 'other');
    assert.equal(probes.get(socketOn(22)), 'other');
    assert.equal(await probes.result(socketOn(8765)), 'http');
    assert.deepEqual(asked, [8765]);
    probes.dispose();
  });
});

describe('isNonWebPort', () => {
  it('is true for databases, caches, mail and SSH, false for web and unknown ports', () => {
    for (const port of [5432, 3306, 6379, 25, 22]) {
      assert.equal(isNonWebPort(port), true, String(port));
    }
    for (const port of [80, 443, 3000, 8000, 8080, 8765, 9229]) {
      assert.equal(isNonWebPort(port), false, String(port));
    }
  });
});
