// `portolan compose [PATH]`: a compose project's ports, resolved as `docker compose config` resolves
// them, with where each number came from (`.env` line 3, the environment, a default).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineIndex } from '../model/text';
import { composeProjectFiles, isComposeFileName } from '../scan/compose';
import { processEnvironment } from '../scan/dotenv';
import type { PortMention } from '../scan/mention';
import { loadComposeProject, type ComposeProject, type ResolvedPort } from '../workspace/composeProject';
import type { CliIo } from './io';
import { COMPOSE, runVerb, type ParsedArgs } from './options';
import { printable } from './printable';
import { readRegularFile } from './walk';

const MAX_BYTES = 4 * 1024 * 1024;

export function run(args: string[], io: CliIo): Promise<number> {
  return runVerb(COMPOSE, args, io, (parsed) => runCompose(parsed, io));
}

function runCompose(parsed: ParsedArgs, io: CliIo): number {
  const values = (name: string): string[] =>
    parsed.options.filter((o) => o.name === name && o.value !== undefined).map((o) => o.value!);
  const json = parsed.options.some((o) => o.name === 'json');
  const where = path.resolve(parsed.operands[0] ?? '.');
  if (!fs.existsSync(where)) {
    io.err(`portolan compose: no such file or folder: ${printable(where)}\n`);
    return 1;
  }
  const folder = isDirectory(where) ? where : path.dirname(where);
  let files = values('file').map((f) => path.resolve(f));
  if (files.length === 0) {
    files = defaultFiles(where, folder);
  }
  if (files.length === 0) {
    io.err(`portolan compose: no compose file in ${printable(folder)}\n`);
    return 1;
  }
  const envFiles = values('env-file').map((f) => path.resolve(f));
  const profiles = values('profile');
  const project = loadComposeProject({
    files: files.map(slashes),
    readText,
    processEnv: processEnvironment(),
    ...(envFiles.length > 0 ? { envFiles: envFiles.map(slashes) } : {}),
    ...(profiles.length > 0 ? { profiles } : {}),
  });
  io.out(json ? JSON.stringify(projectJson(project), null, 2) + '\n' : projectText(project));
  return 0;
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** A compose file given: it and what Compose combines with it; a folder: its default file and override. */
function defaultFiles(where: string, folder: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(folder).filter(isComposeFileName);
  } catch {
    return [];
  }
  const start = isDirectory(where) ? names.map((n) => path.join(folder, n)).find(isBase) : where;
  if (start === undefined) {
    return [];
  }
  // As `docker compose` without -f: the base and compose.override.*, never the other variants.
  return isBase(start)
    ? composeProjectFiles(start, names).filter((f) => isBase(f) || isDefaultOverride(f))
    : composeProjectFiles(start, names);
}

function isDefaultOverride(file: string): boolean {
  return /^(?:docker-)?compose\.override\.ya?ml$/i.test(path.basename(file));
}

function isBase(file: string): boolean {
  return /^(?:docker-)?compose\.ya?ml$/i.test(path.basename(file));
}

function readText(file: string): string | undefined {
  const bytes = readRegularFile(file, MAX_BYTES);
  return typeof bytes === 'string' ? undefined : bytes.toString('utf8');
}

function slashes(file: string): string {
  return file.split(path.sep).join('/');
}

/** Where a number came from, in words: "WEB_PORT in .env line 3", "WEB_PORT in the environment". */
export function originOf(mention: PortMention | undefined): string | undefined {
  if (!mention?.variable) {
    return undefined;
  }
  if (mention.envProcess) {
    return `${mention.variable} in the environment`;
  }
  if (mention.envFile !== undefined) {
    return `${mention.variable} in ${mention.envFile}${mention.envLine === undefined ? '' : ` line ${mention.envLine}`}`;
  }
  return mention.isDefault ? `default of ${mention.variable}` : undefined;
}

const lineIndexes = new Map<string, LineIndex>();

function lineOf(file: string, offset: number): number {
  let index = lineIndexes.get(file);
  if (!index) {
    index = new LineIndex(readText(file) ?? '');
    lineIndexes.set(file, index);
  }
  return index.locate(offset).line + 1;
}

function portJson(port: ResolvedPort, directory: string): Record<string, unknown> {
  const published = port.entry.published;
  return {
    hostIp: port.hostIp ?? null,
    published: port.published ?? null,
    publishedEnd: port.publishedEnd ?? null,
    target: port.target,
    protocol: port.protocol,
    file: relative(directory, port.file),
    line: lineOf(port.file, port.entry.target.range.start),
    variable: published?.variable ?? null,
    from: originOf(published) ?? null,
  };
}

function projectJson(project: ComposeProject): Record<string, unknown> {
  return {
    directory: project.directory,
    files: project.files.map((f) => relative(project.directory, f)),
    problems: project.problems,
    services: [...project.services.values()].map((s) => ({
      name: s.name,
      profiles: s.profiles,
      active: s.active,
      files: s.files.map((f) => relative(project.directory, f)),
      ports: s.ports.map((p) => portJson(p, project.directory)),
    })),
  };
}

function projectText(project: ComposeProject): string {
  const lines = [`${project.files.map((f) => relative(project.directory, f)).join(' + ')}`];
  for (const service of project.services.values()) {
    const profiles =
      service.profiles.length === 0
        ? ''
        : ` [profiles ${service.profiles.join(', ')}${service.active ? '' : '; not enabled'}]`;
    lines.push(`${printable(service.name)}${printable(profiles)}`);
    if (service.ports.length === 0) {
      lines.push('  no published ports');
    }
    for (const port of service.ports) {
      const host =
        port.hostIp === undefined ? '' : port.hostIp.includes(':') ? `[${port.hostIp}]:` : `${port.hostIp}:`;
      const published =
        port.published === undefined
          ? `${host}(random)`
          : `${host}${port.published}${port.publishedEnd === undefined ? '' : `-${port.publishedEnd}`}`;
      const origin = originOf(port.entry.published);
      const at = `${relative(project.directory, port.file)}:${lineOf(port.file, port.entry.target.range.start)}`;
      lines.push(
        `  ${published} -> ${port.target}/${port.protocol}  ${at}${origin ? `  (${printable(origin)})` : ''}`,
      );
    }
  }
  for (const problem of project.problems) {
    lines.push(`problem: ${printable(problem)}`);
  }
  return lines.join('\n') + '\n';
}

function relative(directory: string, file: string): string {
  return file.startsWith(directory) ? file.slice(directory.length) : file;
}
