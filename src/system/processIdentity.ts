// What to call the process behind a socket. The kernel's short name (Linux `comm`) is often a thread's
// name rather than the program's: Python servers show "MainThread", Node "node-MainThread", Rust
// services "tokio-runtime-w". An interpreter's name alone ("node", "python3") says little either.
// The command line names the program and its script: `python manage.py runserver`, `node server.js`.

/** The owner fields the identity is read from (a SocketOwner or a ListeningSocket). */
export interface ProcessNames {
  /** Kernel short name (Linux `comm`, at most 15 characters), lsof `c`, tasklist image. */
  process?: string;
  /** Full command line joined with spaces; empty when it cannot be read. */
  command?: string;
}

/** Interpreters whose first argument that is not an option is the script that says what runs. */
const INTERPRETERS =
  /^(?:python[\d.]*|pypy[\d.]*|node|nodejs|bun|deno|ruby[\d.]*|perl[\d.]*|php[\d.]*|java|dotnet|Rscript|lua[\d.]*|elixir|erl|beam\.smp)$/i;

/** Options of those interpreters that take the next argument as their value. */
const OPTIONS_WITH_VALUE = new Set([
  '-r',
  '--require',
  '--import',
  '--loader',
  '--experimental-loader',
  '-W',
  '-X',
  '-Q',
  '-cp',
  '-classpath',
  '--class-path',
  '-I',
  '--env-file',
  '--title',
]);

/** Scripts that only start another program: the argument after them is the program. */
const LAUNCHERS = /^(?:npx|npm-cli\.js|npx-cli\.js|yarn\.js|pnpm\.c?js|tsx|ts-node)$/i;

/** Subcommands worth showing after the script (`manage.py runserver`, `flask run`). */
const SUBCOMMAND = /^[a-z][\w.:-]{0,30}$/;

/** Kernel names that are a thread's, not the program's (comm is at most 15 characters). */
const THREAD_NAMES = new Set(['mainthread', 'node-mainthread', 'libuv-worker']);
const THREAD_PREFIXES = ['tokio-runtime-w', 'thread-', 'v8 ', 'pool-', 'asyncio_'];

function looksLikeThread(kernelName: string): boolean {
  const name = kernelName.toLowerCase();
  return (
    THREAD_NAMES.has(name) ||
    THREAD_PREFIXES.some((prefix) => name.startsWith(prefix)) ||
    /-worker(?:-\d+)?$/.test(name)
  );
}

function basename(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts[parts.length - 1] ?? file;
}

/** A command line as words; quotes are lost in /proc/PID/cmdline's join, so plain splitting it is. */
function words(command: string): string[] {
  return command.split(/\s+/).filter((w) => w !== '');
}

/** `python manage.py runserver`, `node server.js`, `java -jar app.jar`; undefined when no script is named. */
function interpreterIdentity(argv: string[]): string | undefined {
  const interpreter = basename(argv[0]!).replace(/\.exe$/i, '');
  if (!INTERPRETERS.test(interpreter)) {
    return undefined;
  }
  const shortName = interpreter.replace(/^(python|ruby|perl|php|lua)[\d.]+$/i, '$1');
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-m' || arg === '-jar') {
      const target = argv[i + 1];
      return target ? `${shortName} ${arg} ${arg === '-jar' ? basename(target) : target}` : undefined;
    }
    if (arg === '-c' || arg === '-e' || arg === '--eval') {
      return `${shortName} ${arg}`;
    }
    if (arg.startsWith('-')) {
      if (OPTIONS_WITH_VALUE.has(arg)) {
        i++;
      }
      continue;
    }
    let script = basename(arg);
    let next = i + 1;
    if (LAUNCHERS.test(script) && argv[next] && !argv[next]!.startsWith('-')) {
      script = basename(argv[next]!);
      next++;
    }
    // `node_modules/.bin/vite` and `vite/bin/vite.js` both read as `vite`.
    script = script.replace(/\.(?:c|m)?js$/, (ext) =>
      /^(?:server|index|main|app)\./.test(script) ? ext : '',
    );
    const sub = argv[next];
    return sub && SUBCOMMAND.test(sub) && !/^\d+$/.test(sub)
      ? `${shortName} ${script} ${sub}`
      : `${shortName} ${script}`;
  }
  return undefined;
}

/** True when the kernel name is a thread's name, or not the program's name as the command line gives it. */
export function isThreadName(kernelName: string, argv0: string | undefined): boolean {
  if (looksLikeThread(kernelName)) {
    return true;
  }
  if (!argv0) {
    return false;
  }
  const program = basename(argv0);
  // comm is the program's file name cut to 15 characters, or a name the program set for itself.
  return !program.startsWith(kernelName.slice(0, 15)) && !kernelName.startsWith(program.slice(0, 15));
}

/**
 * The name a person recognizes: the interpreter with its script (`python manage.py runserver`), the
 * program's file name when the kernel name is a thread's (`MainThread` -> `myservice`), else the
 * kernel name. Programs that retitle themselves (`postgres: checkpointer`, `nginx: master process`)
 * keep their kernel name.
 */
export function processIdentity(owner: ProcessNames): string {
  const key = `${owner.process ?? ''}\0${owner.command ?? ''}`;
  let name = remembered.get(key);
  if (name === undefined) {
    if (remembered.size >= REMEMBERED_MAX) {
      remembered.clear();
    }
    name = identityOf(owner);
    remembered.set(key, name);
  }
  return name;
}

/** Rows are rebuilt on every refresh; the same few processes hold most sockets. */
const remembered = new Map<string, string>();
const REMEMBERED_MAX = 4096;

function identityOf(owner: ProcessNames): string {
  const kernelName = owner.process ?? '';
  const argv = words(owner.command ?? '');
  if (argv.length === 0) {
    return kernelName || '?';
  }
  const fromInterpreter = interpreterIdentity(argv);
  if (fromInterpreter) {
    return fromInterpreter;
  }
  if (!kernelName) {
    return basename(argv[0]!);
  }
  const argv0 = argv[0]!;
  if (argv0.endsWith(':')) {
    return kernelName;
  }
  if (looksLikeThread(kernelName) || (argv0.includes('/') && isThreadName(kernelName, argv0))) {
    return basename(argv0) || kernelName;
  }
  return kernelName;
}

/** Runtimes by interpreter name, in the words of the port registry's common uses. */
const RUNTIMES: readonly [RegExp, string][] = [
  [/^(?:python|pypy)[\d.]*$/i, 'python'],
  [/^(?:node|nodejs|bun|deno)$/i, 'node'],
  [/^ruby[\d.]*$/i, 'ruby'],
  [/^php[\d.]*(?:-fpm)?$/i, 'php'],
  [/^java$/i, 'java'],
  [/^dotnet$/i, 'dotnet'],
  [/^(?:elixir|erl|beam\.smp)$/i, 'elixir'],
];

/** The language runtime running the process (`python` for `python manage.py runserver`), when it is one. */
export function processRuntime(owner: ProcessNames): string | undefined {
  const argv0 = words(owner.command ?? '')[0];
  const program = basename(argv0 ?? owner.process ?? '').replace(/\.exe$/i, '');
  return RUNTIMES.find(([pattern]) => pattern.test(program))?.[1];
}

/** What the working folder of a process is shown against: the home folder and the workspace's folders. */
export interface ProcessFolders {
  home?: string;
  workspaceFolders?: readonly { name: string; path: string }[];
}

function trimSlash(path: string): string {
  let end = path.length;
  while (end > 1 && (path[end - 1] === '/' || path[end - 1] === '\\')) {
    end--;
  }
  return path.slice(0, end);
}

function isWithin(path: string, folder: string): boolean {
  const base = trimSlash(folder);
  return path === base || path.startsWith(base.endsWith('/') ? base : `${base}/`);
}

/** `/home/ana/src/api` -> `~/src/api` when `/home/ana` is the home folder. */
export function displayFolder(cwd: string, home: string | undefined): string {
  const folder = trimSlash(cwd);
  if (home && trimSlash(home) !== '/' && isWithin(folder, home)) {
    return `~${folder.slice(trimSlash(home).length)}`;
  }
  return folder;
}

/**
 * The folder a process's row names after its identity, when it tells processes apart: the name of
 * the workspace folder it runs in, else the last segment of its working folder when another visible
 * process has the same identity in another folder. Keys are pids; processes without a known folder
 * get nothing.
 */
export function folderHints(
  owners: Iterable<{ pid?: number; process?: string; command?: string; cwd?: string }>,
  folders: ProcessFolders,
): Map<number, string> {
  const byIdentity = new Map<string, Set<string>>();
  const seen = new Map<number, { identity: string; cwd: string }>();
  for (const owner of owners) {
    if (owner.pid === undefined || !owner.cwd || seen.has(owner.pid)) {
      continue;
    }
    const identity = processIdentity(owner);
    seen.set(owner.pid, { identity, cwd: owner.cwd });
    let cwds = byIdentity.get(identity);
    if (!cwds) {
      cwds = new Set();
      byIdentity.set(identity, cwds);
    }
    cwds.add(trimSlash(owner.cwd));
  }
  const hints = new Map<number, string>();
  for (const [pid, { identity, cwd }] of seen) {
    const workspace = (folders.workspaceFolders ?? [])
      .filter((f) => f.path && isWithin(trimSlash(cwd), f.path))
      .sort((a, b) => b.path.length - a.path.length)[0];
    if (workspace) {
      hints.set(pid, workspace.name);
    } else if ((byIdentity.get(identity)?.size ?? 0) > 1) {
      const segment = basename(trimSlash(cwd).replace(/ \(deleted\)$/, ''));
      if (segment) {
        hints.set(pid, segment);
      }
    }
  }
  return hints;
}
