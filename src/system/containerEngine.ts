// The container engines of this machine (Docker, rootless Docker, Podman), read through the
// Docker Engine API over their Unix sockets with Node's http client: never by running the
// `docker` CLI. An engine that is absent, stopped or unreadable is simply "no engine": said once
// in the log, never an error for the user. Windows named pipes (`npipe://`) are future work.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';

export type ContainerPortProtocol = 'tcp' | 'udp' | 'sctp';

/** One entry of a container's `Ports[]`: published when `publicPort` is set. */
export interface ContainerPort {
  /** Host address the port is published on; empty when the engine does not say (Podman: all). */
  ip: string;
  privatePort: number;
  publicPort?: number;
  protocol: ContainerPortProtocol;
}

/** The compose labels of a container started by `docker compose` / `docker-compose` / podman-compose. */
export interface ComposeLabels {
  project: string;
  service?: string;
  /** `…project.config_files`, as written (v1 writes names relative to `workingDir`). */
  configFiles: string[];
  workingDir?: string;
  containerNumber?: number;
}

export interface ContainerInfo {
  id: string;
  /** Without the leading `/`. */
  name: string;
  image: string;
  /** `running`, `exited`, `paused`, `restarting`, `created`, `dead`. */
  state: string;
  /** The engine's human text, `Up 3 minutes`. */
  status: string;
  ports: ContainerPort[];
  compose?: ComposeLabels;
  /** ISO time it last started (from an inspect). */
  startedAt?: string;
  /** Which engine socket listed it. */
  engine: string;
}

export type EngineSource = 'DOCKER_HOST' | 'context' | 'default' | 'rootless' | 'podman';

export interface EngineEndpoint {
  socketPath: string;
  source: EngineSource;
}

export interface ContainerList {
  /** True when at least one engine answered. */
  available: boolean;
  containers: ContainerInfo[];
  /** Sockets that answered. */
  engines: string[];
}

/** What the socket service and the CLI need from an engine client. */
export interface ContainerSource {
  containers(): Promise<ContainerList>;
}

export interface DiscoveryInput {
  env: NodeJS.ProcessEnv;
  home: string;
  /** Defaults to fs.existsSync; tests pass a set of paths. */
  exists?: (file: string) => boolean;
  readFile?: (file: string) => string;
}

/**
 * Engine sockets worth asking, most specific first: `DOCKER_HOST`, the current Docker context,
 * the rootful default, rootless Docker, then Podman's user and system sockets. Only sockets that
 * exist are returned; the same file reached twice is asked once.
 */
export function discoverEngineSockets(input: DiscoveryInput): {
  endpoints: EngineEndpoint[];
  notes: string[];
} {
  const exists = input.exists ?? existsSync;
  const readFile = input.readFile ?? ((file: string) => readFileSync(file, 'utf8'));
  const notes: string[] = [];
  const candidates: EngineEndpoint[] = [];
  const dockerHost = input.env.DOCKER_HOST;
  if (dockerHost) {
    const socketPath = unixSocketPath(dockerHost);
    if (socketPath) {
      candidates.push({ socketPath, source: 'DOCKER_HOST' });
    } else {
      notes.push(`DOCKER_HOST=${dockerHost} is not a unix:// socket; only local Unix sockets are read`);
    }
  }
  const contextHost = dockerContextHost(input, readFile);
  if (contextHost) {
    const socketPath = unixSocketPath(contextHost);
    if (socketPath) {
      candidates.push({ socketPath, source: 'context' });
    } else {
      notes.push(`the current Docker context's endpoint ${contextHost} is not a unix:// socket`);
    }
  }
  candidates.push({ socketPath: '/var/run/docker.sock', source: 'default' });
  const runtimeDir = input.env.XDG_RUNTIME_DIR;
  if (runtimeDir) {
    candidates.push({ socketPath: path.join(runtimeDir, 'docker.sock'), source: 'rootless' });
    candidates.push({ socketPath: path.join(runtimeDir, 'podman', 'podman.sock'), source: 'podman' });
  }
  candidates.push({ socketPath: '/run/podman/podman.sock', source: 'podman' });

  const seen = new Set<string>();
  const endpoints: EngineEndpoint[] = [];
  for (const candidate of candidates) {
    if (!exists(candidate.socketPath)) {
      continue;
    }
    const key = realPath(candidate.socketPath);
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    endpoints.push(candidate);
  }
  return { endpoints, notes };
}

function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/** `unix:///run/x.sock` -> `/run/x.sock`; undefined for tcp://, npipe://, ssh://. */
export function unixSocketPath(host: string): string | undefined {
  if (!host.startsWith('unix://')) {
    return undefined;
  }
  const rest = host.slice('unix://'.length);
  return rest.startsWith('/') ? rest : undefined;
}

/**
 * The endpoint of the current Docker context (`DOCKER_CONTEXT`, else `currentContext` in the
 * Docker config), read from `contexts/meta/<sha256 of the name>/meta.json`. Undefined for the
 * `default` context (it means the default socket) and when anything is missing.
 */
export function dockerContextHost(
  input: DiscoveryInput,
  readFile: (file: string) => string = (file) => readFileSync(file, 'utf8'),
): string | undefined {
  const configDir = input.env.DOCKER_CONFIG || path.join(input.home, '.docker');
  let name = input.env.DOCKER_CONTEXT;
  if (!name) {
    const config = readJson(path.join(configDir, 'config.json'), readFile);
    const current = isRecord(config) ? config.currentContext : undefined;
    name = typeof current === 'string' ? current : undefined;
  }
  if (!name || name === 'default') {
    return undefined;
  }
  const digest = createHash('sha256').update(name).digest('hex');
  const meta = readJson(path.join(configDir, 'contexts', 'meta', digest, 'meta.json'), readFile);
  const endpoints = isRecord(meta) ? meta.Endpoints : undefined;
  const docker = isRecord(endpoints) ? endpoints.docker : undefined;
  const host = isRecord(docker) ? docker.Host : undefined;
  return typeof host === 'string' ? host : undefined;
}

function readJson(file: string, readFile: (file: string) => string): unknown {
  try {
    return JSON.parse(readFile(file)) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const COMPOSE = 'com.docker.compose.';
/** podman-compose writes Docker's compose labels and, in older releases, `io.podman.compose.*`. */
const PODMAN_COMPOSE = 'io.podman.compose.';

function composeLabels(labels: Record<string, unknown>): ComposeLabels | undefined {
  const label = (name: string): string | undefined => {
    const value = labels[COMPOSE + name] ?? labels[PODMAN_COMPOSE + name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const project = label('project');
  if (!project) {
    return undefined;
  }
  const compose: ComposeLabels = {
    project,
    configFiles: (label('project.config_files') ?? '')
      .split(',')
      .map((f) => f.trim())
      .filter((f) => f !== ''),
  };
  const service = label('service');
  if (service) {
    compose.service = service;
  }
  const workingDir = label('project.working_dir');
  if (workingDir) {
    compose.workingDir = workingDir;
  }
  const number = Number(label('container-number'));
  if (Number.isSafeInteger(number) && number > 0) {
    compose.containerNumber = number;
  }
  return compose;
}

function parsePorts(value: unknown): ContainerPort[] {
  if (!Array.isArray(value)) {
    return [];
  }
  const ports: ContainerPort[] = [];
  for (const entry of value) {
    if (!isRecord(entry)) {
      continue;
    }
    const privatePort = entry.PrivatePort;
    const publicPort = entry.PublicPort;
    const type = typeof entry.Type === 'string' ? entry.Type.toLowerCase() : 'tcp';
    if (!isPortNumber(privatePort) || (type !== 'tcp' && type !== 'udp' && type !== 'sctp')) {
      continue;
    }
    const port: ContainerPort = {
      ip: typeof entry.IP === 'string' ? entry.IP : '',
      privatePort,
      protocol: type,
    };
    if (isPortNumber(publicPort)) {
      port.publicPort = publicPort;
    }
    ports.push(port);
  }
  return ports;
}

function isPortNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** `GET /containers/json` as plain data; entries without an id are dropped. */
export function parseContainerList(body: unknown, engine: string): ContainerInfo[] {
  if (!Array.isArray(body)) {
    return [];
  }
  const list: ContainerInfo[] = [];
  for (const entry of body) {
    if (!isRecord(entry) || typeof entry.Id !== 'string' || !/^[0-9a-f]{12,64}$/i.test(entry.Id)) {
      continue;
    }
    const names = Array.isArray(entry.Names) ? entry.Names.filter((n) => typeof n === 'string') : [];
    const info: ContainerInfo = {
      id: entry.Id,
      name: (names[0] ?? entry.Id.slice(0, 12)).replace(/^\//, ''),
      image: typeof entry.Image === 'string' ? entry.Image : '',
      state: typeof entry.State === 'string' ? entry.State.toLowerCase() : '',
      status: typeof entry.Status === 'string' ? entry.Status : '',
      ports: parsePorts(entry.Ports),
      engine,
    };
    const compose = isRecord(entry.Labels) ? composeLabels(entry.Labels) : undefined;
    if (compose) {
      info.compose = compose;
    }
    list.push(info);
  }
  return list;
}

/** `GET /containers/{id}/json`: identity, state and labels (ports are not needed by its callers). */
export function parseContainerInspect(body: unknown, engine: string): ContainerInfo | undefined {
  if (!isRecord(body) || typeof body.Id !== 'string') {
    return undefined;
  }
  const state = isRecord(body.State) ? body.State : {};
  const config = isRecord(body.Config) ? body.Config : {};
  const info: ContainerInfo = {
    id: body.Id,
    name: (typeof body.Name === 'string' ? body.Name : body.Id.slice(0, 12)).replace(/^\//, ''),
    image: typeof config.Image === 'string' ? config.Image : '',
    state: typeof state.Status === 'string' ? state.Status.toLowerCase() : '',
    status: '',
    ports: [],
    engine,
  };
  if (typeof state.StartedAt === 'string') {
    info.startedAt = state.StartedAt;
  }
  const compose = isRecord(config.Labels) ? composeLabels(config.Labels) : undefined;
  if (compose) {
    info.compose = compose;
  }
  return info;
}

export interface EngineRequestOptions {
  method?: 'GET' | 'POST';
  timeoutMs?: number;
  /** Responses longer than this are cut off and fail. */
  maxBytes?: number;
}

export interface EngineResponse {
  status: number;
  body: unknown;
}

/** One request to an engine socket; rejects on timeout, oversize, bad JSON or a socket error. */
export function engineRequest(
  socketPath: string,
  requestPath: string,
  options: EngineRequestOptions = {},
): Promise<EngineResponse> {
  const timeoutMs = options.timeoutMs ?? 1500;
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        socketPath,
        path: requestPath,
        method: options.method ?? 'GET',
        // No keep-alive agent: a CLI run must not be held open by an idle engine connection.
        agent: false,
        headers: { Host: 'localhost', Accept: 'application/json' },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            request.destroy(new Error(`engine response over ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = undefined;
          if (text.trim() !== '') {
            try {
              body = JSON.parse(text) as unknown;
            } catch {
              body = text;
            }
          }
          resolve({ status: response.statusCode ?? 0, body });
        });
        response.on('error', reject);
      },
    );
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.on('close', () => clearTimeout(timer));
    request.end();
  });
}

export interface ContainerEngineOptions {
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Ask only these sockets (tests); otherwise discovered. */
  socketPaths?: string[];
  timeoutMs?: number;
  maxBytes?: number;
  /** A listing is reused for this long, so one refresh asks each engine once. Default 1000 ms. */
  cacheMs?: number;
  /** After every engine failed, sockets are looked for again only after this long. Default 30 s. */
  retryAfterMs?: number;
  /** Each distinct message is logged once. */
  log?: (message: string) => void;
}

export type ContainerActionResult =
  | { kind: 'done'; container: ContainerInfo }
  | { kind: 'not-found'; message: string }
  | { kind: 'no-engine'; message: string }
  | { kind: 'error'; message: string };

/** Client of every engine on this machine, with a short cache and a once-only log. */
export class ContainerEngine implements ContainerSource {
  private cached: { at: number; list: ContainerList } | undefined;
  private inFlight: Promise<ContainerList> | undefined;
  private readonly logged = new Set<string>();
  private unavailableSince: number | undefined;

  constructor(private readonly options: ContainerEngineOptions = {}) {}

  /** Every container of every engine that answers (running or not). */
  containers(): Promise<ContainerList> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < (this.options.cacheMs ?? 1000)) {
      return Promise.resolve(this.cached.list);
    }
    if (
      this.unavailableSince !== undefined &&
      this.cached &&
      now - this.unavailableSince < (this.options.retryAfterMs ?? 30_000)
    ) {
      return Promise.resolve(this.cached.list);
    }
    this.inFlight ??= this.listAll().then(
      (list) => {
        this.inFlight = undefined;
        this.cached = { at: Date.now(), list };
        this.unavailableSince = list.available ? undefined : Date.now();
        return list;
      },
      (error: unknown) => {
        this.inFlight = undefined;
        throw error;
      },
    );
    return this.inFlight;
  }

  /** Forget the cached listing (after stopping a container). */
  invalidate(): void {
    this.cached = undefined;
    this.unavailableSince = undefined;
  }

  /** The container with this id as the engine sees it now, or undefined. */
  async inspect(id: string): Promise<ContainerInfo | undefined> {
    const result = await this.find(id);
    return result.kind === 'done' ? result.container : undefined;
  }

  /** `graceSeconds`: how long the engine waits after SIGTERM before SIGKILL (its default: 10). */
  stop(id: string, graceSeconds?: number): Promise<ContainerActionResult> {
    return this.act(id, 'stop', graceSeconds);
  }

  restart(id: string, graceSeconds?: number): Promise<ContainerActionResult> {
    return this.act(id, 'restart', graceSeconds);
  }

  private async act(
    id: string,
    action: 'stop' | 'restart',
    graceSeconds: number | undefined,
  ): Promise<ContainerActionResult> {
    const found = await this.find(id);
    if (found.kind !== 'done') {
      return found;
    }
    const container = found.container;
    try {
      // The engine's own grace period (10 s) before SIGKILL; the timeout leaves room for it.
      const response = await engineRequest(
        container.engine,
        `/containers/${encodeURIComponent(container.id)}/${action}${
          graceSeconds !== undefined && Number.isInteger(graceSeconds) && graceSeconds >= 0
            ? `?t=${graceSeconds}`
            : ''
        }`,
        { method: 'POST', timeoutMs: 30_000, maxBytes: 64 * 1024 },
      );
      this.invalidate();
      if (response.status === 204 || response.status === 304) {
        return { kind: 'done', container };
      }
      if (response.status === 404) {
        return { kind: 'not-found', message: `container ${container.name} no longer exists` };
      }
      return { kind: 'error', message: `${action} ${container.name}: ${engineMessage(response)}` };
    } catch (error) {
      return { kind: 'error', message: `${action} ${container.name}: ${messageOf(error)}` };
    }
  }

  /** Looks the id up on every engine; only a full hex id or prefix is accepted. */
  private async find(id: string): Promise<ContainerActionResult> {
    if (typeof id !== 'string' || !/^[0-9a-f]{12,64}$/i.test(id)) {
      return { kind: 'not-found', message: `not a container id: ${String(id)}` };
    }
    const endpoints = this.endpoints();
    if (endpoints.length === 0) {
      return { kind: 'no-engine', message: 'no container engine is reachable on this machine' };
    }
    for (const socketPath of endpoints) {
      try {
        const response = await engineRequest(socketPath, `/containers/${id}/json`, this.requestOptions());
        if (response.status === 200) {
          const container = parseContainerInspect(response.body, socketPath);
          if (container) {
            return { kind: 'done', container };
          }
        }
      } catch (error) {
        this.logOnce(`container engine at ${socketPath}: ${messageOf(error)}`);
      }
    }
    return { kind: 'not-found', message: `no engine knows container ${id.slice(0, 12)}` };
  }

  private requestOptions(): EngineRequestOptions {
    return { timeoutMs: this.options.timeoutMs ?? 1500, maxBytes: this.options.maxBytes };
  }

  private endpoints(): string[] {
    if (this.options.socketPaths) {
      return this.options.socketPaths;
    }
    const { endpoints, notes } = discoverEngineSockets({
      env: this.options.env ?? process.env,
      home: this.options.home ?? os.homedir(),
    });
    for (const note of notes) {
      this.logOnce(note);
    }
    return endpoints.map((e) => e.socketPath);
  }

  private async listAll(): Promise<ContainerList> {
    const endpoints = this.endpoints();
    if (endpoints.length === 0) {
      this.logOnce(
        'no container engine socket found (Docker, rootless Docker, Podman): containers are not shown',
      );
    }
    const results = await Promise.all(
      endpoints.map(async (socketPath) => {
        try {
          const response = await engineRequest(socketPath, '/containers/json', this.requestOptions());
          if (response.status !== 200) {
            this.logOnce(`container engine at ${socketPath}: ${engineMessage(response)}`);
            return undefined;
          }
          return parseContainerList(response.body, socketPath);
        } catch (error) {
          this.logOnce(`container engine at ${socketPath} is not readable: ${messageOf(error)}`);
          return undefined;
        }
      }),
    );
    const list: ContainerList = { available: false, containers: [], engines: [] };
    results.forEach((containers, i) => {
      if (containers) {
        list.available = true;
        list.engines.push(endpoints[i]!);
        for (const container of containers) {
          list.containers.push(container);
        }
      }
    });
    return list;
  }

  private logOnce(message: string): void {
    if (!this.logged.has(message)) {
      this.logged.add(message);
      this.options.log?.(message);
    }
  }
}

function engineMessage(response: EngineResponse): string {
  const body = response.body;
  const message = isRecord(body) && typeof body.message === 'string' ? body.message : undefined;
  return `HTTP ${response.status}${message ? `: ${message}` : ''}`;
}

function messageOf(error: unknown): string {
  if (isRecord(error) && typeof error.code === 'string') {
    return `${error.code}${typeof error.message === 'string' ? ` (${error.message})` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}
