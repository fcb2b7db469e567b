// The `.env` Compose reads for a compose file: the one in the compose file's folder (the project
// folder), read with the walker's guards, under the process environment (which wins, as in Compose).
// Its values resolve `"$SENTRY_BIND:80"` as Compose does.
import * as path from 'node:path';
import type { ComposeEnv } from '../scan';
import { composeEnvOf, withProcessEnv } from '../scan/dotenv';
import { readRegularFile } from './walk';

export class ProjectEnv {
  private readonly byFolder = new Map<string, ComposeEnv | undefined>();

  constructor(
    private readonly maxBytes: number,
    private readonly processEnv?: ReadonlyMap<string, string>,
  ) {}

  /** The variables for the compose file `file` (an absolute path): its folder's `.env` and the process environment. */
  forComposeFile(file: string): ComposeEnv | undefined {
    const env = this.dotenvFor(file);
    return this.processEnv ? withProcessEnv(env, this.processEnv) : env;
  }

  private dotenvFor(file: string): ComposeEnv | undefined {
    const folder = path.dirname(file);
    if (!this.byFolder.has(folder)) {
      const bytes = readRegularFile(path.join(folder, '.env'), this.maxBytes);
      this.byFolder.set(folder, typeof bytes === 'string' ? undefined : composeEnvOf(bytes.toString('utf8')));
    }
    return this.byFolder.get(folder);
  }
}
