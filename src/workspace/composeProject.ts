// A compose project as `docker compose config` resolves it: the files merged in order (the base,
// then `compose.override.yaml` or the `-f` files), `include:`d projects with their own `.env`,
// `extends:` (in the file or from `file:`), `profiles`, and variables interpolated from the process
// environment over the project's `.env`. Each resolved port keeps the mentions it was read from, so
// hovers and the CLI can say where a number came from. Pure: the caller reads the files.
import type { Protocol } from '../model/port';
import {
  readComposeFile,
  type ComposeEnv,
  type ComposeFileFacts,
  type ComposePortEntry,
} from '../scan/compose';
import { composeLookup } from '../scan/compose';
import { type EnvValue } from '../scan/composeInterpolation';
import { dotenvEntries } from '../scan/dotenv';
import { LineIndex } from '../model/text';

export interface ComposeProjectInput {
  /** Absolute '/'-separated paths, in `-f` order. The first one's folder is the project directory. */
  files: readonly string[];
  /** A file's text, or undefined when it cannot be read. */
  readText: (file: string) => string | undefined;
  /** The environment of the process running Compose (its values win over `.env`). */
  processEnv?: ReadonlyMap<string, string>;
  /** The `--env-file` files; by default the project directory's `.env`. */
  envFiles?: readonly string[];
  /** The profiles enabled (`--profile`); by default `COMPOSE_PROFILES`. */
  profiles?: readonly string[];
}

/** One published (or only exposed-to-a-random-port) container port after every merge. */
export interface ResolvedPort {
  target: number;
  published?: number;
  /** A published range that maps to one container port (`8000-8010:80`): Docker picks one. */
  publishedEnd?: number;
  protocol: Protocol;
  hostIp?: string;
  /** The file the entry is written in. */
  file: string;
  /** The mentions it was read from (a range entry gives one resolved port per number). */
  entry: ComposePortEntry;
}

export interface ResolvedService {
  name: string;
  profiles: string[];
  /** False when the service has profiles and none of them is enabled. */
  active: boolean;
  ports: ResolvedPort[];
  /** The files that define or extend it, in merge order. */
  files: string[];
  /** Its container environment: `env_file:` files, then `environment:` over them, with where each value is set. */
  environment: Map<string, EnvValue>;
}

export interface ComposeProject {
  directory: string;
  files: string[];
  services: Map<string, ResolvedService>;
  /** What Compose would refuse or warn about, in words: a missing file, an `extends` cycle. */
  problems: string[];
}

const MAX_DEPTH = 16;

/** Resolves a compose project from its files. */
export function loadComposeProject(input: ComposeProjectInput): ComposeProject {
  const directory = dirname(input.files[0] ?? '/');
  const envFiles = input.envFiles ?? [directory + '.env'];
  const env = projectEnv(directory, envFiles, input);
  const project: ComposeProject = { directory, files: [...input.files], services: new Map(), problems: [] };
  const profiles =
    input.profiles ??
    composeLookup(env)('COMPOSE_PROFILES')
      ?.value.split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '') ??
    [];
  const loader = new Loader(input, env, project.problems);
  for (const file of input.files) {
    const facts = loader.facts(file);
    if (!facts) {
      continue;
    }
    for (const include of facts.includes) {
      loader.include(file, include, project, 0);
    }
    for (const service of facts.services) {
      const resolved = loader.resolve(file, service.name, 0, []);
      if (resolved) {
        mergeService(project, resolved);
      }
    }
  }
  for (const service of project.services.values()) {
    service.active = service.profiles.length === 0 || service.profiles.some((p) => profiles.includes(p));
  }
  return project;
}

/** The `.env` files read into one ComposeEnv (the later file wins), with the process environment. */
function projectEnv(directory: string, files: readonly string[], input: ComposeProjectInput): ComposeEnv {
  const values = new Map<string, string>();
  const lines = new Map<string, number>();
  let shown = '.env';
  for (const file of files) {
    const text = input.readText(file);
    if (text === undefined) {
      continue;
    }
    shown = relativeTo(directory, file);
    for (const [key, entry] of dotenvEntries(text)) {
      values.set(key, entry.value);
      lines.set(key, entry.line);
    }
  }
  const env: ComposeEnv = { file: shown, values, lines };
  if (input.processEnv) {
    env.process = input.processEnv;
  }
  return env;
}

class Loader {
  private readonly cache = new Map<string, ComposeFileFacts | undefined>();

  constructor(
    private readonly input: ComposeProjectInput,
    private readonly env: ComposeEnv,
    private readonly problems: string[],
  ) {}

  facts(file: string, env = this.env): ComposeFileFacts | undefined {
    const key = `${file}\n${env.file}`;
    if (!this.cache.has(key)) {
      const text = this.input.readText(file);
      if (text === undefined) {
        this.problems.push(`cannot read ${file}`);
      }
      this.cache.set(key, text === undefined ? undefined : readComposeFile(text, env));
    }
    return this.cache.get(key);
  }

  /** A service with its `extends:` chain merged in (the base first, this file's entries over it). */
  resolve(
    file: string,
    name: string,
    depth: number,
    chain: string[],
    env = this.env,
  ): ResolvedService | undefined {
    const key = `${file}#${name}`;
    if (chain.includes(key) || depth > MAX_DEPTH) {
      this.problems.push(`extends cycle: ${[...chain, key].join(' → ')}`);
      return undefined;
    }
    const facts = this.facts(file, env)?.services.find((s) => s.name === name);
    if (!facts) {
      return undefined;
    }
    let base: ResolvedService | undefined;
    if (facts.extends) {
      const baseFile =
        facts.extends.file === undefined ? file : resolvePath(dirname(file), facts.extends.file);
      base = this.resolve(baseFile, facts.extends.service, depth + 1, [...chain, key], env);
      if (!base) {
        this.problems.push(`${name}: cannot find the service ${facts.extends.service} it extends`);
      }
    }
    const own: ResolvedService = {
      name,
      profiles: facts.profiles,
      active: true,
      ports: facts.ports.flatMap((entry) => expandEntry(entry, file)),
      files: [file],
      environment: this.environment(file, facts, env),
    };
    if (!base) {
      return own;
    }
    const merged: ResolvedService = { ...base, name, files: [...base.files, file] };
    mergeInto(merged, own);
    return merged;
  }

  /** An `include:` entry: another project, with its own directory and `.env`, whose services join this one. */
  include(
    from: string,
    include: { paths: string[]; projectDirectory?: string; envFiles?: string[] },
    project: ComposeProject,
    depth: number,
  ): void {
    if (depth > MAX_DEPTH) {
      this.problems.push(`include nested too deep at ${from}`);
      return;
    }
    const files = include.paths.map((p) => resolvePath(dirname(from), p));
    const directory =
      include.projectDirectory === undefined
        ? dirname(files[0] ?? from)
        : resolvePath(dirname(from), include.projectDirectory) + '/';
    const envFiles = (include.envFiles ?? ['.env']).map((p) =>
      include.envFiles === undefined ? directory + p : resolvePath(dirname(from), p),
    );
    const env = projectEnv(directory, envFiles, this.input);
    // The including project's `.env` is not the included one's: only the process environment is shared.
    const included: ComposeProject = { directory, files, services: new Map(), problems: this.problems };
    for (const file of files) {
      const facts = this.facts(file, env);
      for (const nested of facts?.includes ?? []) {
        this.include(file, nested, included, depth + 1);
      }
      for (const service of facts?.services ?? []) {
        const resolved = this.resolve(file, service.name, 0, [], env);
        if (resolved) {
          mergeService(included, resolved);
        }
      }
    }
    for (const [name, service] of included.services) {
      if (project.services.has(name)) {
        this.problems.push(`service ${name} from ${files.join(', ')} conflicts with one already defined`);
      } else {
        project.services.set(name, service);
      }
    }
  }

  private environment(
    file: string,
    facts: { envFiles: string[]; environment: Array<{ name: string; value?: string; offset: number }> },
    env: ComposeEnv,
  ): Map<string, EnvValue> {
    const out = new Map<string, EnvValue>();
    const directory = dirname(file);
    for (const written of facts.envFiles) {
      const path = resolvePath(directory, written);
      const text = this.input.readText(path);
      if (text === undefined) {
        this.problems.push(`env_file ${written} not found`);
        continue;
      }
      for (const [key, entry] of dotenvEntries(text)) {
        out.set(key, { value: entry.value, file: relativeTo(directory, path), line: entry.line });
      }
    }
    if (facts.environment.length > 0) {
      const lines = new LineIndex(this.input.readText(file) ?? '');
      for (const { name, value, offset } of facts.environment) {
        const line = lines.locate(offset).line + 1;
        // `- NAME` without a value takes it from the environment Compose runs in.
        const resolved = value ?? composeLookup(env)(name)?.value;
        if (resolved !== undefined) {
          out.set(name, { value: resolved, file: relativeTo(directory, file), line });
        }
      }
    }
    return out;
  }
}

/** One resolved port per number of a range entry (`8000-8001:90-91`), as Compose expands them. */
function expandEntry(entry: ComposePortEntry, file: string): ResolvedPort[] {
  const target = entry.target;
  const protocol = target.protocol ?? 'tcp';
  const targetEnd = target.portEnd ?? target.port;
  const published = entry.published;
  const count = targetEnd - target.port;
  const out: ResolvedPort[] = [];
  if (count < 0 || count > 65535) {
    return out;
  }
  const publishedSpan = published ? (published.portEnd ?? published.port) - published.port : 0;
  for (let i = 0; i <= count; i++) {
    const port: ResolvedPort = { target: target.port + i, protocol, file, entry };
    if (published) {
      if (count === 0 && publishedSpan > 0) {
        port.published = published.port;
        port.publishedEnd = published.portEnd;
      } else {
        port.published = published.port + i;
      }
    }
    if (entry.host !== undefined) {
      port.hostIp = entry.host;
    }
    out.push(port);
  }
  return out;
}

/** Ports are unique by address, published port, container port and protocol (the later file's entry wins). */
export function portKey(
  port: Pick<ResolvedPort, 'hostIp' | 'published' | 'publishedEnd' | 'target' | 'protocol'>,
): string {
  const published =
    port.published === undefined
      ? ''
      : `${port.published}${port.publishedEnd === undefined ? '' : `-${port.publishedEnd}`}`;
  return `${port.hostIp ?? ''}:${published}:${port.target}/${port.protocol}`;
}

function mergeInto(base: ResolvedService, over: ResolvedService): void {
  const byKey = new Map(base.ports.map((p) => [portKey(p), p]));
  for (const port of over.ports) {
    byKey.set(portKey(port), port);
  }
  base.ports = [...byKey.values()];
  if (over.profiles.length > 0) {
    base.profiles = over.profiles;
  }
  base.environment = new Map([...base.environment, ...over.environment]);
}

function mergeService(project: ComposeProject, service: ResolvedService): void {
  const existing = project.services.get(service.name);
  if (!existing) {
    project.services.set(service.name, service);
    return;
  }
  mergeInto(existing, service);
  existing.files = [...existing.files, ...service.files.filter((f) => !existing.files.includes(f))];
}

function dirname(file: string): string {
  return file.slice(0, file.lastIndexOf('/') + 1);
}

function relativeTo(directory: string, file: string): string {
  return file.startsWith(directory) ? file.slice(directory.length) : file;
}

/** `written` (relative or absolute) from `directory` (ending in '/'), with `.` and `..` folded. */
export function resolvePath(directory: string, written: string): string {
  const joined = written.startsWith('/') ? written : directory + written;
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '..') {
      if (parts.length > 1) {
        parts.pop();
      }
    } else if (part !== '.' && (part !== '' || parts.length === 0)) {
      parts.push(part);
    }
  }
  return parts.join('/');
}
