// How nginx reads the workspace's configuration files together. nginx starts from one main file
// (nginx.conf) and reads every `include` in its place, globs expanded in sorted order, relative
// paths taken from the main file's folder (its conf prefix). This model follows the same walk over
// the indexed nginx files, so a server block in `conf.d/site.conf` is known to sit inside the
// `http { }` of the nginx.conf that includes it, after the blocks written before the include, and
// `proxy_pass http://backend` there reaches the `upstream backend` of another included file.
// Absolute paths (`/etc/nginx/conf.d/*.conf`) are mapped onto the workspace through the folders
// Compose mounts there, or, as a guess, onto the main file's folder. Pure: built from the index.
import { baseNameOfId, folderOfId, joinFile } from '../context/ids';
import type { FileMentions } from '../rules/types';
import type { PortMention, TextRange } from '../scan/mention';
import { applyIgnoreComments } from '../scan';
import type { ComposeMount } from '../scan/composeMounts';
import {
  nginxFactsOf,
  type NginxFacts,
  type NginxInclude,
  type NginxNamedPass,
  type NginxUpstream,
} from '../scan/nginx';
import { includeGlob } from './globs';

/** A workspace file or folder that a Compose service's container sees at `target` (`./nginx:/etc/nginx/conf.d`). */
interface NginxMount {
  /** The normalized id of the file, or of the folder ending with '/'. */
  source: string;
  /** The absolute path inside the container; a folder ends with '/'. */
  target: string;
  /** The compose project (its folder) and service that mount it. */
  project: string;
  service: string;
}

/** The Compose service a configuration file runs in. */
export interface NginxService {
  project: string;
  service: string;
}

/** Where a pass by name leads: a mention on the upstream's server port, placed at the name. */
export interface ResolvedPass {
  mention: PortMention;
  /** The upstream was found through a guess (a path mapped by convention, a folder layout). */
  inferred: boolean;
}

/** nginx has no limit; real configurations nest a few levels. Deeper (or cyclic) includes are not followed. */
const MAX_INCLUDE_DEPTH = 16;
/** Files one glob may bring in. */
const MAX_GLOB_FILES = 10000;
/** Pieces of text one main file's read order may hold. */
const MAX_SEGMENTS = 100000;

/** Where installs keep nginx.conf: an absolute include under one of them is read from the main file's folder (a guess). */
const CONF_PREFIXES = [
  '/etc/nginx/',
  '/usr/local/nginx/conf/',
  '/usr/local/etc/nginx/',
  '/opt/homebrew/etc/nginx/',
  '/usr/local/openresty/nginx/conf/',
  '/etc/openresty/',
];

/** Folders whose files the main file usually includes from one level up. */
const INCLUDED_FOLDERS = new Set([
  'conf.d',
  'sites-enabled',
  'sites-available',
  'http.d',
  'vhosts.d',
  'servers',
]);

interface Segment {
  file: string;
  start: number;
  end: number;
}

/** One main file and everything it reads, in nginx's order. */
interface Instance {
  root: string;
  /** Every file read, in the order first read. */
  files: string[];
  /** The text pieces in read order: a file up to an include, the included files, the rest. */
  segments: Segment[];
  /** The blocks around each file's text (where it was first included). */
  contexts: Map<string, string[]>;
  /** Files reached only through a guessed path. */
  guessed: Set<string>;
  /** The indexes of each file's pieces in `segments`. */
  pieces: Map<string, number[]>;
}

interface Upstream {
  file: string;
  upstream: NginxUpstream;
  stream: boolean;
}

export class NginxIncludes {
  private readonly facts = new Map<string, NginxFacts>();
  /** Normalized id ('/'-separated) → the id as indexed. */
  private readonly ids = new Map<string, string>();
  private readonly instances: Instance[] = [];
  private readonly byFile = new Map<string, Instance[]>();

  private readonly mounts: NginxMount[] = [];
  /** Each service's files by their path in its container (`project|service` → path → id). */
  private readonly containerPaths = new Map<string, Map<string, string>>();

  private constructor() {}

  /** The model over indexed files: nginx files and their facts, and Compose files' nginx mounts. */
  static of(files: Iterable<FileMentions>): NginxIncludes {
    const model = new NginxIncludes();
    const written: Array<{ compose: string; mount: ComposeMount }> = [];
    for (const file of files) {
      if (file.kind === 'nginx') {
        model.ids.set(normalize(file.file), file.file);
        if (file.nginx) {
          model.facts.set(file.file, file.nginx);
        }
      }
      for (const mount of file.composeMounts ?? []) {
        written.push({ compose: file.file, mount });
      }
    }
    for (const { compose, mount } of written) {
      model.addMount(compose, mount);
    }
    model.build();
    return model;
  }

  /** A mount of a file the index holds is a file mount; anything else a folder. */
  private addMount(compose: string, written: ComposeMount): void {
    const project = folderOfId(compose);
    const file = collapseDots(normalize(joinFile(project, written.source)));
    const isFile = this.ids.has(file);
    const mount: NginxMount = {
      source: isFile ? file : `${file}/`,
      target: isFile ? written.target : `${written.target.replace(/\/$/, '')}/`,
      project,
      service: written.service,
    };
    this.mounts.push(mount);
    const key = `${project}|${written.service}`;
    const paths = this.containerPaths.get(key) ?? new Map<string, string>();
    for (const [id, original] of this.ids) {
      if (isFile ? id === mount.source : id.startsWith(mount.source)) {
        paths.set(mount.target + id.slice(mount.source.length), original);
      }
    }
    this.containerPaths.set(key, paths);
  }

  /** The mounts that put `file` in a container, by the normalized id. */
  private mountsOf(id: string): NginxMount[] {
    return this.mounts.filter((m) => (m.source.endsWith('/') ? id.startsWith(m.source) : id === m.source));
  }

  /**
   * The Compose service that runs this configuration: the one service that mounts it, or mounts the
   * main file that reads it. Undefined when none does, or several do.
   */
  serviceOf(file: string): NginxService | undefined {
    const services = new Map<string, NginxService>();
    const add = (id: string): void => {
      for (const m of this.mountsOf(normalize(id))) {
        services.set(`${m.project}|${m.service}`, { project: m.project, service: m.service });
      }
    };
    add(file);
    if (services.size === 0) {
      for (const instance of this.byFile.get(file) ?? []) {
        add(instance.root);
      }
    }
    return services.size === 1 ? [...services.values()][0] : undefined;
  }

  /** Whether any file includes another. */
  get isEmpty(): boolean {
    return this.instances.length === 0;
  }

  /** The main files that read `file` (itself when it is one), each with every file it reads, in read order. */
  instancesOf(file: string): ReadonlyArray<{ root: string; files: readonly string[] }> {
    return this.byFile.get(file) ?? [];
  }

  /** Every file read together with `file` by some main file (itself included); [] when no include ties it to another. */
  relatedFiles(file: string): string[] {
    const out = new Set<string>();
    for (const instance of this.byFile.get(file) ?? []) {
      for (const f of instance.files) {
        out.add(f);
      }
    }
    return [...out];
  }

  /**
   * The blocks around a file's text as the main file `root` reads it: `['http']` for a `conf.d/*.conf`
   * included inside `http { }`; `[]` for the main file; undefined when `root` does not read it.
   */
  contextOf(file: string, root: string): readonly string[] | undefined {
    return this.instances.find((i) => i.root === root)?.contexts.get(file);
  }

  /** Whether `file` is read by `root` only through a guessed path. */
  isGuessed(file: string, root: string): boolean {
    return this.instances.find((i) => i.root === root)?.guessed.has(file) ?? false;
  }

  /**
   * Where an offset of `file` comes in the read order of `root`, as a pair to compare (first the
   * piece of text, then the offset); undefined when `root` does not read that part.
   */
  orderOf(root: string, file: string, offset: number): [number, number] | undefined {
    const instance = this.instances.find((i) => i.root === root);
    const index = instance?.pieces.get(file)?.find((i) => {
      const piece = instance.segments[i]!;
      return piece.start <= offset && offset < piece.end;
    });
    return index === undefined ? undefined : [index, offset];
  }

  /**
   * The upstream servers `proxy_pass http://NAME` in `file` reaches when the upstream is written in
   * another file read with it, as mentions on the name (one per server with a port). Inside one
   * file the finder links them itself.
   */
  passesThrough(file: string): ResolvedPass[] {
    const facts = this.facts.get(file);
    if (!facts || facts.namedPasses.length === 0) {
      return [];
    }
    const out: ResolvedPass[] = [];
    for (const pass of facts.namedPasses) {
      const found = this.upstreamFor(file, pass);
      if (!found) {
        continue;
      }
      for (const server of found.upstream.upstream.servers) {
        const mention: PortMention = {
          port: server.port,
          role: 'connect',
          kind: 'nginx',
          range: pass.range,
          host: server.host,
          upstream: pass.name,
        };
        if (!found.stream) {
          mention.protocol = 'tcp';
        }
        if (pass.scheme !== undefined) {
          mention.scheme = pass.scheme;
        }
        if (pass.suppressed) {
          mention.suppressed = pass.suppressed.slice();
        }
        out.push({ mention, inferred: found.inferred });
      }
    }
    return out;
  }

  /**
   * Where the upstream a mention reaches by name is written: its servers' ports (in this file or
   * another read with it), for Go to Definition.
   */
  upstreamServersOf(file: string, mention: PortMention): Array<{ file: string; range: TextRange }> {
    if (mention.upstream === undefined) {
      return [];
    }
    const pass: NginxNamedPass = {
      name: mention.upstream,
      range: mention.range,
      stream: mention.protocol === undefined,
    };
    const own = this.facts.get(file)?.upstreams.find((u) => u.name === mention.upstream);
    const found = own
      ? { upstream: { file, upstream: own, stream: own.stream } }
      : this.upstreamFor(file, pass);
    if (!found) {
      return [];
    }
    return found.upstream.upstream.servers.flatMap((s) =>
      s.range && s.port === mention.port && s.host === mention.host
        ? [{ file: found.upstream.file, range: s.range }]
        : [],
    );
  }

  private upstreamFor(
    file: string,
    pass: NginxNamedPass,
  ): { upstream: Upstream; stream: boolean; inferred: boolean } | undefined {
    for (const instance of this.byFile.get(file) ?? []) {
      const stream = pass.stream || (instance.contexts.get(file) ?? []).includes('stream');
      const matches = this.upstreamsIn(instance.files, instance).filter(
        (u) => u.upstream.name === pass.name && u.stream === stream,
      );
      // Two upstreams of one name in one configuration: nginx refuses it; nothing to link.
      if (matches.length === 1) {
        const upstream = matches[0]!;
        const inferred = instance.guessed.has(file) || instance.guessed.has(upstream.file);
        return { upstream, stream, inferred };
      }
    }
    if ((this.byFile.get(file) ?? []).length > 0) {
      return undefined;
    }
    // Read by no main file in the workspace (the image's own nginx.conf includes it): its folder's
    // conventional neighbours, as a guess.
    const neighbours = new Set([...this.layoutNeighbours(file), ...this.mountNeighbours(file)]);
    const matches = this.upstreamsIn([...neighbours], undefined).filter(
      (u) => u.upstream.name === pass.name && u.stream === pass.stream,
    );
    return matches.length === 1 ? { upstream: matches[0]!, stream: pass.stream, inferred: true } : undefined;
  }

  private upstreamsIn(files: readonly string[], instance: Instance | undefined): Upstream[] {
    const out: Upstream[] = [];
    for (const f of files) {
      const context = instance?.contexts.get(f) ?? [];
      for (const upstream of this.facts.get(f)?.upstreams ?? []) {
        out.push({ file: f, upstream, stream: upstream.stream || context.includes('stream') });
      }
    }
    return out;
  }

  /** The files the usual layout reads with this one: its conf.d / sites-enabled siblings and the nginx.conf above. */
  private layoutNeighbours(file: string): string[] {
    const folder = folderOfId(normalize(file));
    const name = baseNameOfId(folder.slice(0, -1)).toLowerCase();
    if (name !== 'conf.d' && name !== 'sites-enabled') {
      return [file];
    }
    const parent = folderOfId(folder.slice(0, -1));
    const out: string[] = [];
    for (const [id, original] of this.ids) {
      const at = folderOfId(id);
      if (at === folder || (at === parent && baseNameOfId(id).toLowerCase() === 'nginx.conf')) {
        out.push(original);
      }
    }
    return out;
  }

  /** The files a service's container holds in the same folder as this one (its image's nginx.conf reads such a folder). */
  private mountNeighbours(file: string): string[] {
    const out: string[] = [];
    for (const [, paths] of this.containerPaths) {
      const at = [...paths].find(([, id]) => id === file)?.[0];
      if (at === undefined) {
        continue;
      }
      const folder = folderOfId(at);
      for (const [path, id] of paths) {
        if (folderOfId(path) === folder) {
          out.push(id);
        }
      }
    }
    return out;
  }

  private build(): void {
    // Main files first: nginx.conf by name, then any other file with includes that nothing read.
    const withIncludes = [...this.facts.entries()]
      .filter(([, facts]) => facts.includes.length > 0)
      .map(([file]) => file)
      .sort();
    const mains = withIncludes.filter((f) => baseNameOfId(normalize(f)).toLowerCase() === 'nginx.conf');
    const read = new Set<string>();
    const start = (root: string, guessedPrefix: boolean): void => {
      const instance: Instance = {
        root,
        files: [],
        segments: [],
        contexts: new Map(),
        guessed: new Set(),
        pieces: new Map(),
      };
      const prefix = guessedPrefix ? conventionalPrefix(root) : folderOfId(normalize(root));
      // Absolute paths are read through the mounts of the services that run this main file.
      const paths = new Map<string, string>();
      let containerPrefix: string | undefined;
      for (const m of this.mountsOf(normalize(root))) {
        for (const [path, id] of this.containerPaths.get(`${m.project}|${m.service}`) ?? []) {
          paths.set(path, id);
          if (id === root) {
            containerPrefix ??= folderOfId(path);
          }
        }
      }
      this.visit(instance, root, [], 0, new Set(), guessedPrefix, { prefix, paths, containerPrefix });
      for (const f of instance.files) {
        read.add(f);
      }
      // A main file that reads nothing it could find is no instance.
      if (instance.files.length > 1) {
        this.instances.push(instance);
        for (const f of instance.files) {
          const list = this.byFile.get(f) ?? [];
          list.push(instance);
          this.byFile.set(f, list);
        }
      }
    };
    for (const main of mains) {
      start(main, false);
    }
    for (const file of withIncludes) {
      if (!read.has(file)) {
        start(file, true);
      }
    }
  }

  private visit(
    instance: Instance,
    file: string,
    context: string[],
    depth: number,
    stack: Set<string>,
    guessed: boolean,
    base: ReadBase,
  ): void {
    if (!instance.contexts.has(file)) {
      instance.files.push(file);
      instance.contexts.set(file, context);
      if (guessed) {
        instance.guessed.add(file);
      }
    } else if (!guessed) {
      instance.guessed.delete(file);
    }
    stack.add(file);
    let from = 0;
    for (const include of this.facts.get(file)?.includes ?? []) {
      if (instance.segments.length >= MAX_SEGMENTS) {
        break;
      }
      addPiece(instance, { file, start: from, end: include.range.start });
      from = include.range.end;
      if (depth >= MAX_INCLUDE_DEPTH) {
        continue;
      }
      const target = this.resolve(include, base);
      for (const next of target.files) {
        if (!stack.has(next)) {
          this.visit(
            instance,
            next,
            [...context, ...include.context],
            depth + 1,
            stack,
            guessed || target.guessed,
            base,
          );
        }
      }
    }
    addPiece(instance, { file, start: from, end: Number.POSITIVE_INFINITY });
    stack.delete(file);
  }

  /** The indexed files an include names, in nginx's order (a glob's matches sorted). */
  private resolve(include: NginxInclude, base: ReadBase): { files: string[]; guessed: boolean } {
    const path = include.path.replace(/\\/g, '/');
    if (path.startsWith('/')) {
      // In the container of the service that runs the main file, as its mounts lay the files out.
      if (base.paths.size > 0) {
        const found = this.match(collapseDots(path), base.paths);
        if (found.length > 0) {
          return { files: found, guessed: false };
        }
      }
      const conventional = CONF_PREFIXES.find((p) => path.startsWith(p));
      if (conventional === undefined) {
        return { files: [], guessed: false };
      }
      return {
        files: this.match(collapseDots(base.prefix + path.slice(conventional.length)), this.ids),
        guessed: true,
      };
    }
    if (/^[a-z][\w+.-]*:/i.test(path)) {
      return { files: [], guessed: false };
    }
    const relative = path.replace(/^\.\//, '');
    if (base.containerPrefix !== undefined) {
      // The main file runs in a container: its conf prefix is its folder there.
      const found = this.match(collapseDots(base.containerPrefix + relative), base.paths);
      if (found.length > 0) {
        return { files: found, guessed: false };
      }
    }
    return { files: this.match(collapseDots(base.prefix + relative), this.ids), guessed: false };
  }

  /** The files whose path (a key of `paths`) a pattern names, sorted as glob(3) sorts them. */
  private match(pattern: string, paths: ReadonlyMap<string, string>): string[] {
    if (!/[*?[]/.test(pattern)) {
      const id = paths.get(pattern);
      return id === undefined ? [] : [id];
    }
    const matcher = compiledGlob(pattern);
    if (!matcher) {
      return [];
    }
    const files: string[] = [];
    for (const path of sortedKeys(paths)) {
      if (matcher(path)) {
        files.push(paths.get(path)!);
        if (files.length >= MAX_GLOB_FILES) {
          break;
        }
      }
    }
    return files;
  }
}

/** Compiled include globs, kept across models: the model is rebuilt on every change of the index. */
const compiledGlobs = new Map<string, ((id: string) => boolean) | undefined>();
const COMPILED_GLOBS_KEPT = 500;

function compiledGlob(pattern: string): ((id: string) => boolean) | undefined {
  if (compiledGlobs.has(pattern)) {
    return compiledGlobs.get(pattern);
  }
  if (compiledGlobs.size >= COMPILED_GLOBS_KEPT) {
    compiledGlobs.delete(compiledGlobs.keys().next().value!);
  }
  const matcher = includeGlob(pattern);
  compiledGlobs.set(pattern, matcher);
  return matcher;
}

const sortedKeyCache = new WeakMap<ReadonlyMap<string, string>, string[]>();

/** glob(3) sorts its matches by byte value in the C locale. */
function sortedKeys(paths: ReadonlyMap<string, string>): string[] {
  let keys = sortedKeyCache.get(paths);
  if (!keys) {
    keys = [...paths.keys()].sort(byBytes);
    sortedKeyCache.set(paths, keys);
  }
  return keys;
}

/** Where a main file's includes are read from: its folder, and its service's container paths. */
interface ReadBase {
  prefix: string;
  /** Container path → id, from the mounts of the services that run the main file. */
  paths: ReadonlyMap<string, string>;
  /** The main file's folder in its container, when a service mounts it. */
  containerPrefix?: string;
}

function addPiece(instance: Instance, piece: Segment): void {
  const list = instance.pieces.get(piece.file) ?? [];
  list.push(instance.segments.length);
  instance.pieces.set(piece.file, list);
  instance.segments.push(piece);
}

/** An nginx file's include facts, with the ignore comments on its passes by name applied. */
export function readNginxFacts(text: string): NginxFacts | undefined {
  const facts = nginxFactsOf(text);
  if (facts && facts.namedPasses.length > 0 && text.includes('portolan-ignore')) {
    const probes: PortMention[] = facts.namedPasses.map((p) => ({
      port: 0,
      role: 'connect',
      kind: 'nginx',
      range: p.range,
    }));
    applyIgnoreComments(text, probes);
    probes.forEach((probe, i) => {
      if (probe.suppressed) {
        facts.namedPasses[i]!.suppressed = probe.suppressed;
      }
    });
  }
  return facts;
}

/** The folder a main file that nothing includes probably reads relative paths from: one up from conf.d and the like. */
function conventionalPrefix(file: string): string {
  const folder = folderOfId(normalize(file));
  const name = baseNameOfId(folder.slice(0, -1)).toLowerCase();
  return INCLUDED_FOLDERS.has(name) ? folderOfId(folder.slice(0, -1)) : folder;
}

function normalize(id: string): string {
  return id.replace(/\\/g, '/');
}

/** `a/./b` and `a/x/../b` as nginx's open() would read them. */
function collapseDots(path: string): string {
  const head = /^(?:[a-z][\w+.-]*:\/\/[^/]*)?/i.exec(path)?.[0] ?? '';
  const out: string[] = [];
  for (const part of path.slice(head.length).split('/')) {
    if (part === '.') {
      continue;
    }
    if (part === '..' && out.length > 1) {
      out.pop();
    } else {
      out.push(part);
    }
  }
  return head + out.join('/');
}

/** glob(3) sorts its matches by byte value in the C locale. */
function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
