// The command line's option tables: each verb's options are declared once here, and both its
// argument parsing (node:util parseArgs) and its help text are made from that declaration.
import { parseArgs } from 'node:util';
import type { CliIo } from './io';
import { printable } from './printable';

export interface OptionSpec {
  /** Long name, without the dashes. */
  name: string;
  short?: string;
  /** Placeholder of the option's value (`N`, `FILE`); a flag has none. */
  value?: string;
  /** May be given more than once. */
  multiple?: boolean;
  /** What it does; further lines continue the description. */
  help: string;
  /** A heading printed before this option in the help (starts a group). */
  heading?: string;
}

export interface VerbSpec {
  verb: string;
  /** The operands, as the usage line shows them: `[PATH...]`, `PORT`. */
  operands: string;
  /** Most operands taken (default: any number). */
  maxOperands?: number;
  /** The short form and one line for `portolan --help`. */
  synopsis: string;
  summary: string;
  /** Paragraphs between the usage line and the options. */
  about: string;
  options: OptionSpec[];
  /** Paragraphs after the options. */
  notes?: string;
}

const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', help: 'this help' };

export const SCAN: VerbSpec = {
  verb: 'scan',
  operands: '[PATH...]',
  synopsis: '[--json] [PATH...]',
  summary: 'every port mentioned in the files under PATH',
  about: `Prints every port mentioned in the files under PATH (default: the current folder):
code, docker-compose, nginx, .env, Dockerfile, Kubernetes, .properties, package.json,
.vscode/launch.json and devcontainer.json. Skips node_modules, .git, binary files and
files larger than --max-size (default 1048576), saying so on stderr.`,
  options: [
    {
      name: 'json',
      help: `one JSON array: file, line, column (1-based, at the port's first digit),
length, port, portEnd, protocol, role, kind, service ({name, description}
or null), host, context`,
    },
    { name: 'max-size', value: 'BYTES', help: 'largest file read, in bytes' },
  ],
};

export const CHECK: VerbSpec = {
  verb: 'check',
  operands: '[PATH...]',
  synopsis: '[--json] [PATH...]',
  summary: 'port problems (privileged, invalid, conflicting, exposed ports)',
  about: `Reports port problems in the files under PATH (default: the current folder), with the rules
the editor uses: invalid-port, privileged-port, port-conflict (Compose projects with their
override files, nginx default_server and server_name clashes), exposed-database,
exposed-service (debuggers and admin APIs), ephemeral-port, insecure-protocol, and the syntax checks of Kubernetes (k8s-port-name,
k8s-node-port-range, k8s-host-port) and Compose (compose-base60-port,
compose-host-network-ports, compose-protocol-case, compose-random-host-port), Kubernetes links
(k8s-target-port-unmatched, k8s-probe-port-unexposed), Dockerfile EXPOSE (dockerfile-expose-ssh,
dockerfile-expose-mapping, dockerfile-expose-protocol-case, dockerfile-expose-unlistened),
drift between files (compose-service-port-unserved, compose-port-env-mismatch),
nginx-implicit-default-server and nginx-proxy-pass-unserved. Silence a line with a "portolan-ignore RULE" comment.`,
  options: [
    {
      name: 'json',
      heading: 'Output (default: like a compiler, "file:line:col: warning: message [rule]"):',
      help: `one JSON array of {file, line, column, length, severity, code,
message, related: [{file, line, column, message}]} (1-based)`,
    },
    {
      name: 'format',
      value: 'FORMAT',
      help: 'text, json, github (workflow annotations) or sarif (SARIF 2.1.0)',
    },
    {
      name: 'strict',
      heading: `Exit status: 1 when an error is found, or a warning with --strict, or more than
--max-warnings warnings; 2 on bad usage; else 0.`,
      help: 'warnings fail the check too',
    },
    { name: 'max-warnings', value: 'N', help: 'fail when there are more than N warnings' },
    {
      name: 'rule',
      value: 'RULE=SEVERITY',
      multiple: true,
      help: 'error, warning, information, hint or off (repeatable)',
    },
    {
      name: 'ignore',
      value: 'GLOB',
      multiple: true,
      help: 'skip files matching GLOB, relative to the working folder (repeatable)',
    },
    {
      name: 'privileged-threshold',
      value: 'N',
      help: `ports below N need privileges (default 1024, Linux's default;
the machine running the check is rarely the one that deploys)`,
    },
    {
      name: 'ephemeral-range',
      value: 'A-B',
      help: "the ephemeral range (default 32768-60999, Linux's default)",
    },
    { name: 'max-size', value: 'BYTES', help: 'largest file read (default 1048576)' },
    {
      name: 'settings',
      value: 'FILE',
      help: `VS Code settings to honour (default .vscode/settings.json in the
working folder, when present): portolan.diagnostics.rules,
portolan.diagnostics.ignore, portolan.diagnostics.checkTests, checkDocs,
checkVendored, portolan.privilegedPortThreshold, portolan.containers.rootless;
options on the command line win`,
    },
    { name: 'no-settings', help: 'ignore VS Code settings' },
    {
      name: 'no-gitignore',
      help: 'read files .gitignore names too (by default they are left out, as git does)',
    },
    {
      name: 'all-files',
      help: `judge tests, docs, vendored and generated files too (by default only
source and examples are judged; the settings portolan.diagnostics.checkTests,
checkDocs and checkVendored choose per role)`,
    },
  ],
};

export const LS: VerbSpec = {
  verb: 'ls',
  operands: '',
  maxOperands: 0,
  synopsis: '[--json] [--udp] [--all]',
  summary: 'listening sockets on this machine, with pid and process',
  about: `Lists the sockets listening on this machine with their pid, process, user and service name
(default: TCP listening sockets).`,
  options: [
    { name: 'udp', help: 'bound UDP sockets only' },
    { name: 'all', help: 'TCP and UDP' },
    {
      name: 'json',
      help: `an array of objects: protocol, family, address, port, pid, process, command,
user, service, connections {established, timeWait, closeWait}, ownerVisible, pids,
container (null, or {id, name, image, state, status, service, project,
containerPort} for a port a container publishes)`,
    },
  ],
  notes: `The CONTAINER column (shown when a container engine publishes a listed port) reads
"service · project (image)" for compose containers, "name (image)" otherwise; the engine is
asked over its socket (DOCKER_HOST, the Docker context, /var/run/docker.sock, rootless
Docker, Podman). A port the engine forwards with no proxy process shows as "(no proxy)".
SERVICE is the registry name, left empty inside the kernel's ephemeral port range.
Sockets whose process cannot be seen (another user, another pid namespace) show
"owner not visible"; run as that user or root to see them.`,
};

export const WHO: VerbSpec = {
  verb: 'who',
  operands: 'PORT',
  maxOperands: 1,
  synopsis: 'PORT',
  summary: 'what holds a port on this machine',
  about: `Shows the processes listening on PORT (TCP and UDP unless one is given): pid, process,
command line, user and connection counts, and the container (compose service, project,
image) when a container engine publishes the port. Exits 1 when nothing holds the port.`,
  options: [
    { name: 'tcp', help: 'TCP only' },
    { name: 'udp', help: 'UDP only' },
    { name: 'json', help: 'an array of sockets, as `portolan ls --json` prints them' },
  ],
};

export const FREE: VerbSpec = {
  verb: 'free',
  operands: '',
  maxOperands: 0,
  synopsis: '[--from N] [--count K]',
  summary: 'free ports on this machine',
  about: `Prints K (default 1) ports at or above N (default 3000) that are free on this machine:
nothing in the socket table holds them and a test bind succeeds on IPv4 and IPv6
(or on ADDRESS when given). Exits 1 when fewer than K were found.`,
  options: [
    { name: 'from', value: 'N', help: 'the first port tried, 1-65535 (default 3000)' },
    { name: 'count', value: 'K', help: 'how many ports, 1-1000 (default 1)' },
    {
      name: 'host',
      value: 'ADDRESS',
      help: `test binds on this address only: an IP address of this machine,
or a name resolving to one`,
    },
    { name: 'udp', help: 'UDP ports instead of TCP' },
    { name: 'json', help: 'one JSON array of port numbers' },
  ],
};

export const COMPOSE: VerbSpec = {
  verb: 'compose',
  operands: '[PATH]',
  maxOperands: 1,
  synopsis: '[--file FILE]... [PATH]',
  summary: 'the ports of a compose project, resolved as Compose resolves them',
  about: `Resolves the compose project in PATH (a folder or a compose file; default: the current
folder) as \`docker compose config\` does: the default file and compose.override.yaml (or
the --file files, in order), include:, extends: (in the file and from file:), profiles, and
variables interpolated from the environment over the project's .env ($VAR, \${VAR},
\${VAR:-d}, \${VAR-d}, \${VAR:?e}, \${VAR?e}, \${VAR:+a}, \${VAR+a}, $$). Prints each
service's published ports and where each number came from. Exits 1 when there is no
compose file, 0 otherwise.`,
  options: [
    {
      name: 'file',
      value: 'FILE',
      multiple: true,
      help: 'a compose file, in merge order (repeatable)',
    },
    {
      name: 'env-file',
      value: 'FILE',
      multiple: true,
      help: 'read variables from FILE instead of the project .env',
    },
    { name: 'profile', value: 'NAME', multiple: true, help: 'enable a profile (default: COMPOSE_PROFILES)' },
    {
      name: 'json',
      help: `one JSON object: directory, files, problems, services [{name, profiles,
active, files, ports [{hostIp, published, publishedEnd, target, protocol,
file, line, variable, from}]}]`,
    },
  ],
};

export const DOC: VerbSpec = {
  verb: 'doc',
  operands: '[FOLDER]',
  maxOperands: 1,
  synopsis: '[--check] [FOLDER]',
  summary: 'write the declared ports to PORTS.md',
  about: `Writes a table of the ports the files under FOLDER (default: the current folder) bind,
publish, expose or configure to FOLDER/PORTS.md, between the markers
<!-- portolan:ports:begin --> and <!-- portolan:ports:end -->: text outside them is kept,
and a file without them gets a Ports section at its end. The editor's "Portolan: Document
Workspace Ports" writes the same table.`,
  options: [
    { name: 'out', value: 'FILE', help: 'write this file instead of FOLDER/PORTS.md' },
    { name: 'check', help: 'write nothing; exit 1 when the file is not up to date (for CI)' },
    { name: 'stdout', help: 'print the table instead of writing a file' },
    { name: 'max-size', value: 'BYTES', help: 'largest file read, in bytes' },
  ],
};

export const REFS: VerbSpec = {
  verb: 'refs',
  operands: 'PORT [PATH]',
  maxOperands: 2,
  synopsis: '[--json] PORT[/PROTO] [PATH]',
  summary: 'every place that serves, publishes, configures or connects to a port',
  about: `Prints where the files under PATH (default: the current folder) mention PORT, grouped by
endpoint: the same port of the same listener, as the editor's Find All References and
Rename see it. Two Compose services that both listen on container port 80 are two
endpoints; localhost:8080 is the host's 8080 (a Compose publish, a listen), api:8000 is
service api's container port 8000 (its target, EXPOSE and listen). PORT may be a number
with a protocol (8080, 53/udp), SERVICE:PORT (api:8000, a Compose or Kubernetes service
or a host name) or localhost:PORT. Each place is "file:line:col part role (kind)"; a "?"
marks a link Portolan infers rather than reads. Exits 1 when nothing mentions the port.`,
  options: [
    {
      name: 'json',
      help: `one JSON array of {endpoint: {id, label, port, protocol, scope}, forwardsTo:
[labels], references: [{file, line, column, length, text, part, role, kind,
inferred}]} (1-based; part is serves, forwards, connects or configures)`,
    },
    { name: 'max-size', value: 'BYTES', help: 'largest file read, in bytes' },
  ],
};

export const VERBS: readonly VerbSpec[] = [SCAN, CHECK, COMPOSE, REFS, LS, WHO, FREE, DOC];

function optionLabel(option: OptionSpec): string {
  const long = `--${option.name}${option.value ? ` ${option.value}` : ''}`;
  return option.short ? `-${option.short}, ${long}` : long;
}

function usageLine(spec: VerbSpec): string {
  const options =
    spec.options.length > 3
      ? '[options]'
      : spec.options.map((o) => `[--${o.name}${o.value ? ` ${o.value}` : ''}]`).join(' ');
  return ['Usage: portolan', spec.verb, options, spec.operands].filter((part) => part !== '').join(' ');
}

/** `portolan VERB --help`. */
export function verbHelp(spec: VerbSpec): string {
  const options = [...spec.options, HELP_OPTION];
  const width = options.reduce((widest, o) => Math.max(widest, optionLabel(o).length), 0) + 2;
  const lines = [usageLine(spec), '', spec.about];
  let grouped = false;
  for (const option of options) {
    if (option.heading) {
      lines.push('', option.heading);
      grouped = true;
    } else if (!grouped) {
      lines.push('');
      grouped = true;
    }
    const [first, ...rest] = option.help.split('\n');
    lines.push(`  ${optionLabel(option).padEnd(width)}${first}`);
    for (const more of rest) {
      lines.push(`  ${' '.repeat(width)}${more}`);
    }
  }
  if (spec.notes) {
    lines.push('', spec.notes);
  }
  return lines.join('\n') + '\n';
}

/** `portolan --help`: one line per verb. */
export function cliHelp(): string {
  const column = VERBS.reduce((widest, v) => Math.max(widest, `${v.verb} ${v.synopsis}`.length), 0) + 4;
  const verbs = VERBS.map((v) => `  ${`${v.verb} ${v.synopsis}`.padEnd(column)}${v.summary}`);
  return `Usage: portolan <command> [options]

Commands:
${verbs.join('\n')}

Run 'portolan <command> --help' for a command's options.
Set PORTOLAN_LOG=warn (or error, info, debug, trace) to log on stderr what failed and was skipped.
`;
}

export interface ParsedArgs {
  /** The options in the order given, so that a later one can override an earlier one. */
  options: { name: string; value: string | undefined }[];
  operands: string[];
}

/** The arguments of one verb, `--help` (when asked for anywhere), or what is wrong with them. */
export function parseVerbArgs(spec: VerbSpec, args: string[]): ParsedArgs | 'help' | { error: string } {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const option of [...spec.options, HELP_OPTION]) {
    config[option.name] = {
      type: option.value ? 'string' : 'boolean',
      multiple: true, // every occurrence is a token; which one wins is the verb's choice
      ...(option.short ? { short: option.short } : {}),
    };
  }
  let tokens;
  try {
    tokens = parseArgs({ args, options: config, allowPositionals: true, strict: true, tokens: true }).tokens;
  } catch (error) {
    if (args.includes('--help') || args.includes('-h')) {
      return 'help';
    }
    return { error: parseError(error as NodeJS.ErrnoException) };
  }
  const parsed: ParsedArgs = { options: [], operands: [] };
  for (const token of tokens) {
    if (token.kind === 'option') {
      if (token.name === 'help') {
        return 'help';
      }
      parsed.options.push({ name: token.name, value: token.value });
    } else if (token.kind === 'positional') {
      parsed.operands.push(token.value);
    }
  }
  if (spec.maxOperands !== undefined && parsed.operands.length > spec.maxOperands) {
    return { error: `unexpected argument '${parsed.operands[spec.maxOperands]}'` };
  }
  return parsed;
}

/** parseArgs' errors, said the CLI's way. */
function parseError(error: NodeJS.ErrnoException): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  const option = quoted.replace(/ <value>$/, '');
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${option}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/argument missing/.test(error.message)) {
        return `${option} needs a value`;
      }
      if (/does not take an argument/.test(error.message)) {
        return `${option} takes no value`;
      }
      // A value that starts with a dash: `--ignore -x` is taken for a forgotten value.
      return `${option} needs a value (write ${option}=VALUE for a value that starts with '-')`;
    default:
      return error.message;
  }
}

/**
 * What every verb does first: `--help` prints the verb's help (status 0), arguments it cannot take
 * print the problem and the help (status 2); otherwise `body` runs on the parsed arguments.
 */
export async function runVerb(
  spec: VerbSpec,
  args: string[],
  io: CliIo,
  body: (parsed: ParsedArgs) => number | Promise<number>,
): Promise<number> {
  const parsed = parseVerbArgs(spec, args);
  if (parsed === 'help') {
    io.out(verbHelp(spec));
    return 0;
  }
  if ('error' in parsed) {
    return usageError(io, spec, parsed.error);
  }
  return body(parsed);
}

/** Bad usage: the problem and the verb's help on stderr, exit status 2. */
export function usageError(io: CliIo, spec: VerbSpec, message: string): number {
  io.err(`portolan ${spec.verb}: ${printable(message)}\n\n${verbHelp(spec)}`);
  return 2;
}
