// `.env` files: `KEY=value` lines, as read by dotenv, docker compose and shells.

import type { ComposeEnv } from './compose';
import { dedupeMentions, FileKind, PortMention, pushAll } from './mention';
import { splitLines } from './lines';
import { findPortsInValue } from './values';

const KIND: FileKind = 'dotenv';

/**
 * Ports in a `.env` file: port variables (`PORT=3000`, `export DB_PORT="5432"`, `${X:-3000}`) as
 * `setting`, URLs and `host:port` in any value as `connect`; `variable` is always the key.
 * Comments (`# …` lines and ` # …` after an unquoted value) are skipped; `TIMEOUT=3000` is no port.
 */
export function findDotenvPorts(text: string): PortMention[] {
  const mentions: PortMention[] = [];
  for (const line of splitLines(text)) {
    const assignment = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*/.exec(line.text);
    if (!assignment) {
      continue;
    }
    const key = assignment[1];
    const valueStart = assignment[0].length;
    const value = valueOf(line.text, valueStart);
    pushAll(
      mentions,
      findPortsInValue(line.text.slice(valueStart, value), line.start + valueStart, KIND, key),
    );
  }
  return dedupeMentions(mentions);
}

// End of the value: the closing quote of a quoted value, else the start of a ` #` comment.
function valueOf(line: string, start: number): number {
  const quote = line[start];
  if (quote === '"' || quote === "'" || quote === '`') {
    const close = line.indexOf(quote, start + 1);
    return close < 0 ? line.length : close + 1;
  }
  for (let i = line.indexOf('#', start); i >= 0; i = line.indexOf('#', i + 1)) {
    if (i === start || line[i - 1] === ' ' || line[i - 1] === '\t') {
      return i;
    }
  }
  return line.length;
}

/**
 * The variables a `.env` sets, as Compose reads them: `KEY=value`, `export KEY=value`, quotes
 * removed, ` # comments` after an unquoted value dropped. `${OTHER}` inside a value is left as written.
 */
export function dotenvValues(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const [key, { value }] of dotenvEntries(text)) {
    values.set(key, value);
  }
  return values;
}

/** Like {@link dotenvValues}, with the 1-based line each value was read from (the last one wins). */
export function dotenvEntries(text: string): Map<string, { value: string; line: number }> {
  const entries = new Map<string, { value: string; line: number }>();
  let number = 0;
  for (const line of splitLines(text)) {
    number++;
    const assignment = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*/.exec(line.text);
    if (!assignment) {
      continue;
    }
    const start = assignment[0].length;
    let value = line.text.slice(start, valueOf(line.text, start)).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
      value = value.slice(1, -1);
    }
    entries.set(assignment[1]!, { value, line: number });
  }
  return entries;
}

/** The environment of this process as Compose reads it (variables that are set, even to ''). */
export function processEnvironment(env: NodeJS.ProcessEnv = process.env): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined) {
      out.set(key, value);
    }
  }
  return out;
}

/** A string that changes when the process environment does (cheaper than comparing maps). */
export function processEnvironmentSignature(env: NodeJS.ProcessEnv = process.env): string {
  let signature = '';
  for (const key in env) {
    signature += `${key}=${env[key] ?? ''}\0`;
  }
  return signature;
}

/** `env` (a folder's `.env`, or none) with the process environment over it, as Compose layers them. */
export function withProcessEnv(
  env: ComposeEnv | undefined,
  processEnv: ReadonlyMap<string, string>,
): ComposeEnv {
  return { ...(env ?? { file: '.env', values: new Map<string, string>() }), process: processEnv };
}

/** The variables Compose interpolates from the `.env` text beside a compose file, with their lines. */
export function composeEnvOf(text: string, file = '.env'): ComposeEnv {
  const entries = dotenvEntries(text);
  const values = new Map<string, string>();
  const lines = new Map<string, number>();
  for (const [key, entry] of entries) {
    values.set(key, entry.value);
    lines.set(key, entry.line);
  }
  return { file, values, lines };
}
