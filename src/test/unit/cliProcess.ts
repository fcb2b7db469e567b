// Runs the `portolan` CLI as a process. It runs the tsc output (`out/cli.js`), so the unit suite needs
// only `npm run compile-tests` and exercises the sources as they are now (dist/ is a separate build).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../..');
export const cliEntry = path.join(repoRoot, 'out/cli.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  error: Error | undefined;
}

/** `nodeArgs` go to node itself, for example `--stack-size`. */
export function runCli(args: string[], cwd = repoRoot, timeout = 120000, nodeArgs: string[] = []): CliRun {
  const r = spawnSync(process.execPath, [...nodeArgs, cliEntry, ...args], {
    cwd,
    encoding: 'utf8',
    timeout,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr, error: r.error };
}
