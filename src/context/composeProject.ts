// Which Compose files run together, decided as Compose does. `docker compose up` loads the folder's
// default file and `compose.override.*` beside it; every other file joins only when named with `-f`
// (or COMPOSE_FILE), or through `include:`. A file of partial services (a service with neither image
// nor build) cannot run alone, so it is layered over the default file; a file whose services all
// stand on their own (nginx-proxy's `docker-compose-separate-containers.yml`) is an alternative to
// the default file, a project of its own, unless a `-f` group the project writes down combines them.
import { loadYaml, parseYamlDocuments } from '../scan/yamlPositions';
import { isComposeFileName } from '../scan/compose';
import { baseNameOfId, folderOfId, joinFile, joinFolder } from './ids';

export interface ComposeServiceOutline {
  name: string;
  /** It has an image, a build or `extends:`, so Compose can run it from this file alone. */
  standsAlone: boolean;
  /** Its `build:` context as a folder id, when written as a plain local path. */
  build?: string;
}

/** What the context model needs from a Compose file: its services and the files it includes. */
export interface ComposeOutline {
  services: ComposeServiceOutline[];
  /** Files named by the top-level `include:`, as ids. */
  includes: string[];
}

const EMPTY_OUTLINE: ComposeOutline = { services: [], includes: [] };

/** The services of a Compose file (what each can run from) and its `include:` files. */
export function composeOutline(composeFile: string, text: string): ComposeOutline {
  // The finders' parse: an open file being edited is parsed again only where it changed.
  let documents;
  try {
    documents = parseYamlDocuments(text);
  } catch {
    return EMPTY_OUTLINE;
  }
  const folder = folderOfId(composeFile);
  const outline: ComposeOutline = { services: [], includes: [] };
  for (const parsed of documents) {
    let value: unknown;
    try {
      // A document of its own around the contents: aliases resolve within it, as in the file.
      const doc = new (loadYaml().Document)();
      doc.contents = parsed.contents;
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch {
      continue;
    }
    if (!value || typeof value !== 'object') {
      continue;
    }
    const { services, include } = value as { services?: unknown; include?: unknown };
    if (services && typeof services === 'object') {
      for (const [name, definition] of Object.entries(services as Record<string, unknown>)) {
        outline.services.push(serviceOutline(folder, name, definition));
      }
    }
    for (const item of Array.isArray(include) ? include : []) {
      const paths: unknown =
        typeof item === 'object' && item !== null ? (item as { path?: unknown }).path : item;
      for (const written of Array.isArray(paths) ? paths : [paths]) {
        if (isLocalPath(written)) {
          outline.includes.push(joinFile(folder, written));
        }
      }
    }
  }
  return outline;
}

function serviceOutline(folder: string, name: string, definition: unknown): ComposeServiceOutline {
  const d = (definition && typeof definition === 'object' ? definition : {}) as Record<string, unknown>;
  const build = d.build;
  const context =
    typeof build === 'string'
      ? build
      : build && typeof build === 'object'
        ? ((build as { context?: unknown }).context ?? '.')
        : undefined;
  return {
    name,
    standsAlone: d.image !== undefined || build !== undefined || d.extends !== undefined,
    build: isLocalPath(context) ? joinFolder(folder, context) : undefined,
  };
}

/** A relative or absolute path, not a URL and without a variable. */
function isLocalPath(value: unknown): value is string {
  return (
    typeof value === 'string' && value !== '' && !/^[a-z][\w+.-]*:\/\//i.test(value) && !value.includes('$')
  );
}

// ---- `-f` groups ----

const COMPOSE_COMMAND = /\b(?:docker|podman)[- ]compose(?=[ \t])/g;
const COMPOSE_FILE_VARIABLE = /\bCOMPOSE_FILE\b["']?[ \t]*[=:][ \t]*["']?([^\s"'#,]+)/g;
/** Where a shell command ends. */
const COMMAND_END = /;|&&|\|\||\||`|\)|\n/;

/** Whether a text may name Compose files to combine (a cheap test before `composeFileGroups`). */
export function mayGroupComposeFiles(text: string): boolean {
  return (
    (/(?:docker|podman)[- ]compose/.test(text) && /(?:^|\s)(?:-f|--file)\b/m.test(text)) ||
    text.includes('COMPOSE_FILE')
  );
}

/**
 * The Compose files a text combines, as written: each `docker compose -f a.yml -f b.yml` command (in
 * a script, Makefile, CI workflow or package.json) and each `COMPOSE_FILE=a.yml:b.yml`. Paths with a
 * variable are left out; a group of one file combines nothing and is dropped.
 */
export function composeFileGroups(text: string): string[][] {
  const groups: string[][] = [];
  const joined = text.replace(/\\\r?\n/g, ' ');
  for (const match of joined.matchAll(COMPOSE_COMMAND)) {
    const rest = joined.slice(match.index + match[0].length, match.index + match[0].length + 2000);
    const end = COMMAND_END.exec(rest);
    const tokens = (end ? rest.slice(0, end.index) : rest).split(/[ \t\r]+/).map(unquote);
    const files: string[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if ((token === '-f' || token === '--file') && i + 1 < tokens.length) {
        files.push(tokens[++i]!);
      } else if (token.startsWith('--file=') || token.startsWith('-f=')) {
        files.push(token.slice(token.indexOf('=') + 1));
      }
    }
    pushGroup(groups, files);
  }
  for (const match of joined.matchAll(COMPOSE_FILE_VARIABLE)) {
    pushGroup(groups, match[1]!.split(/[:;]/));
  }
  return groups;
}

const QUOTING = new Set(['\\', '"', "'"]);

/** A shell word without its quotes and backslashes at either end (and a trailing comma). */
function unquote(token: string): string {
  let start = 0;
  let end = token.length;
  while (start < end && QUOTING.has(token.charAt(start))) {
    start++;
  }
  while (end > start && (QUOTING.has(token.charAt(end - 1)) || token.charAt(end - 1) === ',')) {
    end--;
  }
  return token.slice(start, end);
}

function pushGroup(groups: string[][], files: string[]): void {
  const usable = files.filter(isLocalPath);
  if (usable.length >= 2) {
    groups.push(usable);
  }
}

// ---- projects ----

const DEFAULT_BASES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const OVERRIDE_NAME = /^(?:docker-)?compose\.override\.ya?ml$/i;

/** The workspace's Compose files and `-f` groups, fed file by file; answers which files run together. */
export class ComposeProjects {
  private readonly outlines = new Map<string, ComposeOutline>();
  private readonly byFolder = new Map<string, Set<string>>();
  /** `-f` groups as written, with the file they were written in. */
  private readonly written: { source: string; files: string[] }[] = [];
  /** The groups resolved to known Compose files; recomputed after a change. */
  private resolved: string[][] | undefined;

  addComposeFile(id: string, outline: ComposeOutline): void {
    this.outlines.set(id, outline);
    const folder = folderOfId(id);
    let files = this.byFolder.get(folder);
    if (!files) {
      files = new Set();
      this.byFolder.set(folder, files);
    }
    files.add(id);
    this.resolved = undefined;
  }

  addGroups(source: string, groups: string[][]): void {
    for (const files of groups) {
      this.written.push({ source, files });
    }
    this.resolved = undefined;
  }

  /** The Compose files whose services run in one project with `id`'s, `id` first. */
  projectOf(id: string): string[] {
    const project = new Set([id]);
    const folder = folderOfId(id);
    const siblings = [...(this.byFolder.get(folder) ?? [])].filter((f) => isComposeFileName(baseNameOfId(f)));
    const base = DEFAULT_BASES.map((name) =>
      siblings.find((f) => baseNameOfId(f).toLowerCase() === name),
    ).find((f) => f !== undefined);
    if (base !== undefined && isComposeFileName(baseNameOfId(id))) {
      if (id === base) {
        for (const sibling of siblings) {
          if (sibling !== base && this.layersOverBase(sibling)) {
            project.add(sibling);
          }
        }
      } else if (this.layersOverBase(id)) {
        project.add(base);
      }
    }
    for (const group of this.groups()) {
      if (group.includes(id)) {
        group.forEach((f) => project.add(f));
      }
    }
    for (const included of this.outlines.get(id)?.includes ?? []) {
      project.add(included);
    }
    for (const [other, outline] of this.outlines) {
      if (outline.includes.includes(id)) {
        project.add(other);
      }
    }
    return [...project];
  }

  /** An override by name, or a file with a service it cannot run alone. */
  private layersOverBase(id: string): boolean {
    return (
      OVERRIDE_NAME.test(baseNameOfId(id)) ||
      (this.outlines.get(id)?.services.some((s) => !s.standsAlone) ?? false)
    );
  }

  private groups(): string[][] {
    this.resolved ??= this.written.flatMap(({ source, files }) => this.resolve(source, files));
    return this.resolved;
  }

  /**
   * A written group as known Compose files: from the folder it was written in (a script beside the
   * files, a `.env`), else from any folder holding all of them (a CI job or Makefile that runs
   * elsewhere, `cd deploy && docker compose -f …`).
   */
  private resolve(source: string, files: string[]): string[][] {
    const here = files.map((f) => joinFile(folderOfId(source), f));
    if (here.every((f) => this.outlines.has(f))) {
      return [here];
    }
    if (files.some((f) => f.startsWith('/'))) {
      return [];
    }
    const first = joinFile('/', files[0] ?? '').slice(1);
    const found: string[][] = [];
    for (const known of this.outlines.keys()) {
      if (known.endsWith(`/${first}`)) {
        const folder = known.slice(0, known.length - first.length);
        const group = files.map((f) => joinFile(folder, f));
        if (group.every((f) => this.outlines.has(f))) {
          found.push(group);
        }
      }
    }
    return found;
  }
}
