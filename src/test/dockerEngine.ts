// A real Docker engine for the container tests, with no registry: it uses the engine that answers
// on the Docker socket, else starts `dockerd` (as root) and later stops only what it started; it
// builds a tiny image from the static busybox with an engine-side `import` of a root filesystem
// (no pull); and it runs containers with published ports through the Engine API, and compose
// projects with Debian's `docker-compose`. Plain Node: unit and integration tests share it.
//
// The container suites always run: an engine that cannot be reached or started fails them with the
// reason and what to install. A developer who cannot run Docker says so with PORTOLAN_DOCKER=0, and
// the suites are then reported as pending (CI never sets it).

import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  symlinkSync,
  copyFileSync,
} from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';

export const TEST_IMAGE = 'portolan/busybox:test';
/** Label on every container these tests make, so a cleanup never touches anything else. */
export const TEST_LABEL = 'dev.portolan.test';

export function dockerTestsWanted(): boolean {
  return process.env.PORTOLAN_DOCKER !== '0';
}

export const DOCKER_SKIP_REASON =
  'container suites skipped: PORTOLAN_DOCKER=0 says this machine has no Docker engine';

/** What a failing suite tells a developer to do. */
const ENGINE_ADVICE =
  'the container suites need a real engine: start Docker, or install it (apt install docker.io busybox-static docker-compose; scripts/docker-engine.sh start), or set PORTOLAN_DOCKER=0 to skip them';

export interface ApiResponse {
  status: number;
  body: unknown;
}

function socketPath(): string {
  const host = process.env.DOCKER_HOST;
  return host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
}

/** A readable stream to send as the request body. */
class ReadableStreamLike {
  constructor(readonly stream: NodeJS.ReadableStream) {}
}

/** One Engine API call; `body` is JSON or a stream to pipe (an image tarball). */
export function api(
  method: 'GET' | 'POST' | 'DELETE',
  requestPath: string,
  body?: unknown,
  timeoutMs = 30_000,
): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const stream = body instanceof ReadableStreamLike ? body : undefined;
    const request = http.request(
      {
        socketPath: socketPath(),
        path: requestPath,
        method,
        agent: false,
        timeout: timeoutMs,
        headers:
          stream !== undefined
            ? { 'Content-Type': 'application/x-tar' }
            : body !== undefined
              ? { 'Content-Type': 'application/json' }
              : {},
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? (JSON.parse(text) as unknown) : undefined;
          } catch {
            // Streams of progress lines stay text.
          }
          resolve({ status: response.statusCode ?? 0, body: parsed });
        });
      },
    );
    request.on('timeout', () =>
      request.destroy(new Error(`${method} ${requestPath}: no answer in ${timeoutMs} ms`)),
    );
    request.on('error', reject);
    if (stream) {
      stream.stream.pipe(request);
    } else {
      request.end(body !== undefined ? JSON.stringify(body) : undefined);
    }
  });
}

async function ping(): Promise<boolean> {
  try {
    const response = await api('GET', '/_ping', undefined, 2000);
    return response.status === 200;
  } catch {
    return false;
  }
}

let startedDockerd: { pid: number; log: string } | undefined;
let users = 0;

/**
 * An engine that answers: the running one, else a `dockerd` started here (root only). Throws
 * with the reason when neither works. Pair every call with `releaseEngine()`.
 */
export async function ensureEngine(): Promise<void> {
  users++;
  if (await ping()) {
    return;
  }
  if (process.getuid?.() !== 0) {
    throw new Error(
      `no Docker engine answers on ${socketPath()} and only root can start dockerd here: ${ENGINE_ADVICE}`,
    );
  }
  const dockerd = ['/usr/sbin/dockerd', '/usr/bin/dockerd'].find((p) => existsSync(p));
  if (!dockerd) {
    throw new Error(
      `no Docker engine answers on ${socketPath()} and dockerd is not installed: ${ENGINE_ADVICE}`,
    );
  }
  const log = path.join(os.tmpdir(), `portolan-dockerd-${process.pid}.log`);
  const fd = openSync(log, 'w');
  const child = spawn(dockerd, [], { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  if (child.pid === undefined) {
    throw new Error(`dockerd did not start (see ${log})`);
  }
  startedDockerd = { pid: child.pid, log };
  for (let i = 0; i < 120; i++) {
    if (await ping()) {
      return;
    }
    if (child.exitCode !== null) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await releaseEngine(true);
  throw new Error(`dockerd did not answer within 60 s (log: ${log}): ${ENGINE_ADVICE}`);
}

/** Stops dockerd when this process started it and no suite needs it any more. */
export async function releaseEngine(force = false): Promise<void> {
  users = Math.max(0, users - 1);
  if (!startedDockerd || (users > 0 && !force)) {
    return;
  }
  const { pid } = startedDockerd;
  startedDockerd = undefined;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 60; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Builds the busybox image from the static binary when the engine does not have it yet. */
export async function ensureTestImage(): Promise<void> {
  const found = await api('GET', `/images/${TEST_IMAGE}/json`);
  if (found.status === 200) {
    return;
  }
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
  if (!busybox) {
    throw new Error('no static busybox to build the test image from (apt install busybox-static)');
  }
  const root = mkdtempSync(path.join(os.tmpdir(), 'portolan-rootfs-'));
  try {
    mkdirSync(path.join(root, 'bin'));
    copyFileSync(busybox, path.join(root, 'bin', 'busybox'));
    for (const applet of ['sh', 'httpd', 'nc', 'sleep']) {
      symlinkSync('busybox', path.join(root, 'bin', applet));
    }
    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [repo, tag] = TEST_IMAGE.split(':');
    const response = await api(
      'POST',
      `/images/create?fromSrc=-&repo=${encodeURIComponent(repo)}&tag=${tag}`,
      new ReadableStreamLike(tar.stdout),
      120_000,
    );
    if (response.status !== 200) {
      throw new Error(
        `importing ${TEST_IMAGE} failed: HTTP ${response.status} ${JSON.stringify(response.body)}`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export interface PublishedPort {
  /** Host address; '' for all interfaces. */
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol?: 'tcp' | 'udp';
}

export interface RunOptions {
  name: string;
  ports: PublishedPort[];
  /** Default: busybox httpd in the foreground on the first container port. */
  cmd?: string[];
  labels?: Record<string, string>;
}

/** Creates and starts a container; returns its id. */
export async function runContainer(options: RunOptions): Promise<string> {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of options.ports) {
    const key = `${p.containerPort}/${p.protocol ?? 'tcp'}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.hostIp, HostPort: String(p.hostPort) });
  }
  const created = await api('POST', `/containers/create?name=${encodeURIComponent(options.name)}`, {
    Image: TEST_IMAGE,
    Cmd: options.cmd ?? ['/bin/httpd', '-f', '-p', String(options.ports[0]?.containerPort ?? 8080)],
    Labels: { ...options.labels, [TEST_LABEL]: String(process.pid) },
    ExposedPorts: exposed,
    HostConfig: { PortBindings: bindings },
  });
  const id = (created.body as { Id?: string } | undefined)?.Id;
  if (created.status !== 201 || !id) {
    throw new Error(
      `creating ${options.name} failed: HTTP ${created.status} ${JSON.stringify(created.body)}`,
    );
  }
  const started = await api('POST', `/containers/${id}/start`);
  if (started.status !== 204) {
    await removeContainer(id);
    throw new Error(
      `starting ${options.name} failed: HTTP ${started.status} ${JSON.stringify(started.body)}`,
    );
  }
  return id;
}

export async function removeContainer(idOrName: string): Promise<void> {
  await api('DELETE', `/containers/${encodeURIComponent(idOrName)}?force=true`);
}

/** Removes every container this process made (by label), whatever state a failed test left. */
export async function removeTestContainers(): Promise<void> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`${TEST_LABEL}=${process.pid}`] }));
  const list = await api('GET', `/containers/json?all=true&filters=${filters}`);
  for (const c of (list.body as { Id: string }[] | undefined) ?? []) {
    await removeContainer(c.Id);
  }
}

/** `docker-compose -f FILE -p PROJECT ARGS...`, with an argument array (never a shell). */
export function compose(file: string, project: string, args: string[]): void {
  const result = spawnSync('docker-compose', ['-f', file, '-p', project, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, DOCKER_HOST: `unix://${socketPath()}` },
  });
  if (result.error || result.status !== 0) {
    throw new Error(
      `docker-compose ${args.join(' ')} failed: ${result.error?.message ?? ''}${result.stderr ?? ''}`.trim(),
    );
  }
}

/**
 * A compose file publishing one busybox httpd per service on loopback, written to `dir`. The
 * label lets `removeTestContainers` clean up after a compose project too.
 */
export function composeYaml(services: { name: string; hostPort: number; containerPort: number }[]): string {
  let text = 'version: "3"\nservices:\n';
  for (const s of services) {
    text += `  ${s.name}:\n`;
    text += `    image: ${TEST_IMAGE}\n`;
    text += `    command: ["/bin/httpd", "-f", "-p", "${s.containerPort}"]\n`;
    text += `    ports:\n      - "127.0.0.1:${s.hostPort}:${s.containerPort}"\n`;
    text += `    labels:\n      ${TEST_LABEL}: "${process.pid}"\n`;
  }
  return text;
}
