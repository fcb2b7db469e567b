// The `.env` Compose reads for a compose file: the one in the compose file's folder (the project
// folder), read with the walker's guards. Its values resolve `"$SENTRY_BIND:80"` as Compose does.
import * as path from 'node:path';
import type { ComposeEnv } from '../scan';
import { composeEnvOf } from '../scan/dotenv';
import { readRegularFile } from './walk';

export class ProjectEnv {
  private readonly byFolder = new Map<string, ComposeEnv | undefined>();

  constructor(private readonly maxBytes: number) {}

  /** The variables for the compose file `file` (an absolute path), or undefined when there is no `.env`. */
  forComposeFile(file: string): ComposeEnv | undefined {
    const folder = path.dirname(file);
    if (!this.byFolder.has(folder)) {
      const bytes = readRegularFile(path.join(folder, '.env'), this.maxBytes);
      this.byFolder.set(folder, typeof bytes === 'string' ? undefined : composeEnvOf(bytes.toString('utf8')));
    }
    return this.byFolder.get(folder);
  }
}
