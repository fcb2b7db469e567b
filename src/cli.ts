// `portolan`: the command line over the same engine the extension uses. No vscode import.
import type { CliIo, CliVerb } from './cli/io';
import { cliHelp } from './cli/options';
import { printable } from './cli/printable';
import { lineLogger, parseLogLevel, setLogger } from './model/log';

type WorkspaceVerbs = typeof import('./cli/workspaceVerbs.js');

/** A verb that reads a workspace, from its own lazy chunk (see src/cli/workspaceVerbs.ts). */
function workspaceVerb(name: keyof WorkspaceVerbs): () => Promise<{ run: CliVerb }> {
  return () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const chunk = require('./cli/workspaceVerbs') as WorkspaceVerbs;
    return Promise.resolve({ run: chunk[name] });
  };
}

const verbs: Record<string, () => Promise<{ run: CliVerb }>> = {
  scan: workspaceVerb('scan'),
  check: workspaceVerb('check'),
  compose: workspaceVerb('compose'),
  refs: workspaceVerb('refs'),
  doc: workspaceVerb('doc'),
  ls: () => import('./cli/ls.js'),
  who: () => import('./cli/who.js'),
  free: () => import('./cli/free.js'),
};

export async function main(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
    io.out(cliHelp());
    return verb === undefined ? 2 : 0;
  }
  if (verb === '--version' || verb === '-v') {
    io.out(`${process.env.PORTOLAN_VERSION ?? 'dev'}\n`);
    return 0;
  }
  const load = verbs[verb];
  if (!load) {
    io.err(`portolan: unknown command '${printable(verb)}'\n\n${cliHelp()}`);
    return 2;
  }
  // Quiet unless asked: a finder that failed on one file must not clutter a CI log by default.
  const level = parseLogLevel(env.PORTOLAN_LOG);
  const restore =
    level !== undefined && level !== 'off' ? setLogger(lineLogger((line) => io.err(line), level)) : undefined;
  try {
    return await (await load()).run(rest, io);
  } finally {
    restore?.();
  }
}

if (require.main === module) {
  // `portolan ls | head` closes the pipe early: that is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') {
        process.exit(process.exitCode ?? 0);
      }
      throw error;
    });
  }
  const io: CliIo = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`portolan: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 70;
    },
  );
}
