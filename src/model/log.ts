// The core's log: one process-wide sink the host sets (the extension's "Portolan" output channel,
// the CLI's stderr), silent until then. Failures that the core survives on purpose (a finder or
// rule that throws, a file that cannot be read) are logged once each, with the file they hit.

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** The subset of VS Code's `LogOutputChannel` the core writes to. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

let sink: Logger = silent;

/** Sends the core's log to `logger`; returns a function that restores the previous sink. */
export function setLogger(logger: Logger): () => void {
  const previous = sink;
  sink = logger;
  return () => {
    sink = previous;
  };
}

/** The core's log; forwards to whatever sink is set at the time of the call. */
export const log: Logger = {
  trace: (m) => sink.trace(m),
  debug: (m) => sink.debug(m),
  info: (m) => sink.info(m),
  warn: (m) => sink.warn(m),
  error: (m) => sink.error(m),
};

/** A level name, or undefined for anything else (`PORTOLAN_LOG=debug`). */
export function parseLogLevel(text: string | undefined): LogLevel | 'off' | undefined {
  const t = text?.trim().toLowerCase();
  return t === 'off' || LEVELS.includes(t as LogLevel) ? (t as LogLevel | 'off') : undefined;
}

/** A logger that writes `portolan [level] message` lines at `minimum` and above. */
export function lineLogger(write: (line: string) => void, minimum: LogLevel): Logger {
  const at = (level: LogLevel) =>
    LEVELS.indexOf(level) >= LEVELS.indexOf(minimum)
      ? (message: string) => write(`portolan [${level}] ${message}\n`)
      : () => {};
  return { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** The file being scanned or checked right now, for failures deep inside a finder or rule. */
let currentFile: string | undefined;

/** Runs `work` with `file` as the file failures are attributed to. */
export function inFile<T>(file: string | undefined, work: () => T): T {
  const outer = currentFile;
  currentFile = file ?? outer;
  try {
    return work();
  } finally {
    currentFile = outer;
  }
}

/** Keys of failures already logged; bounded so a long session cannot grow it without end. */
const logged = new Set<string>();
const MAX_REMEMBERED = 1000;

function describeError(error: unknown): string {
  if (error instanceof Error) {
    return error.stack ?? `${error.name}: ${error.message}`;
  }
  return String(error);
}

/**
 * Logs that `what` failed (on `file`, or the file of the enclosing `inFile`), once per what, file
 * and error message: a finder that throws on every keystroke fills the log with one line.
 */
export function logFailure(
  what: string,
  error: unknown,
  options: { file?: string; level?: LogLevel } = {},
): void {
  const file = options.file ?? currentFile;
  const message = error instanceof Error ? error.message : String(error);
  const key = `${what}\0${file ?? ''}\0${message}`;
  if (logged.has(key)) {
    return;
  }
  if (logged.size >= MAX_REMEMBERED) {
    logged.clear();
  }
  logged.add(key);
  const where = file === undefined ? '' : ` on ${file}`;
  const level = options.level ?? 'error';
  sink[level](`${what} failed${where}: ${level === 'error' ? describeError(error) : message}`);
}

/** Forgets which failures were logged; for tests. */
export function resetLoggedFailures(): void {
  logged.clear();
}
