// Socket owners remembered between runs of the CLI. A cold `portolan ls` otherwise reads every fd
// link of every process (30,000 readlinks at ten thousand listeners), which is most of its time.
// The hints are only a shortcut: a process is trusted from them only while its pid, start time and
// fd count are unchanged (the same test the warm reader uses between refreshes), and every
// listener attributed from them is checked with one readlink of the very fd before it is shown.

import { lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { logFailure } from '../model/log';

const MAGIC = 'portolan-owner-hints 1';

export interface OwnerHints {
  processes: ProcessHint[];
  /** Listening inodes that no readable process held after a full read. */
  unowned: number[];
}

export interface ProcessHint {
  pid: number;
  /** Field 22 of /proc/PID/stat (clock ticks since boot): tells a reused pid apart. */
  startTime: string;
  fdCount: number;
  /** fd number -> socket inode, for the fds that held listening sockets (may be empty). */
  socketFds: Map<string, number>;
  /**
   * This process's line as read from the file, written back unchanged when nothing in it
   * changed: formatting ten thousand pairs again on every run would cost more than the read.
   */
  line?: string;
}

/**
 * The hint file of this user, in a private folder under the temp directory; undefined where
 * there is no such folder we can trust (another user's, or open to others).
 */
export function defaultOwnerHintsPath(): string | undefined {
  const uid = process.getuid?.();
  if (uid === undefined) {
    return undefined;
  }
  const dir = path.join(os.tmpdir(), `portolan-${uid}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch {
    // Exists already (or cannot be made): checked below either way.
  }
  try {
    const stat = lstatSync(dir);
    if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o077) !== 0) {
      return undefined;
    }
  } catch (error) {
    logFailure('preparing the owner-hints cache', error, { file: dir, level: 'debug' });
    return undefined;
  }
  return path.join(dir, 'socket-owners.txt');
}

/** Start time of a process, or undefined when it has gone or cannot be read. */
export function processStartTime(procRoot: string, pid: number): string | undefined {
  let text: string;
  try {
    text = readFileSync(`${procRoot}/${pid}/stat`, 'latin1');
  } catch {
    // Exited or hidden: the caller treats the process as unknown.
    return undefined;
  }
  // The name in parentheses may hold spaces and parentheses: count fields after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // Field 3 (state) is fields[0], so field 22 is fields[19].
  const start = fields[19];
  return start !== undefined && /^\d+$/.test(start) ? start : undefined;
}

export function bootId(procRoot: string): string {
  try {
    return readFileSync(`${procRoot}/sys/kernel/random/boot_id`, 'latin1').trim();
  } catch (error) {
    logFailure('reading the boot id', error, {
      file: `${procRoot}/sys/kernel/random/boot_id`,
      level: 'debug',
    });
    return '';
  }
}

export function formatOwnerHints(boot: string, hints: OwnerHints): string {
  let text = `${MAGIC} ${boot}\n`;
  if (hints.unowned.length > 0) {
    text += `unowned ${hints.unowned.join(' ')}\n`;
  }
  const lines = [text];
  for (const hint of hints.processes) {
    if (hint.line !== undefined) {
      lines.push(hint.line, '\n');
      continue;
    }
    let line = `${hint.pid} ${hint.startTime} ${hint.fdCount}`;
    for (const [fd, inode] of hint.socketFds) {
      line += ` ${fd}:${inode}`;
    }
    lines.push(line, '\n');
  }
  return lines.join('');
}

/** Parses a hint file; anything malformed is skipped, a file of another boot gives nothing. */
export function parseOwnerHints(text: string, boot: string): OwnerHints {
  const hints: OwnerHints = { processes: [], unowned: [] };
  const lines = text.split('\n');
  if (lines[0] !== `${MAGIC} ${boot}`) {
    return hints;
  }
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('unowned ')) {
      hints.unowned = line
        .split(' ')
        .slice(1)
        .map(Number)
        .filter((inode) => Number.isSafeInteger(inode) && inode > 0);
      continue;
    }
    // pid, start time, fd count; the fd:inode pairs after them are scanned in place.
    const parts = line.split(' ', 3);
    if (parts.length < 3) {
      continue;
    }
    const pid = Number(parts[0]);
    const fdCount = Number(parts[2]);
    if (
      !Number.isSafeInteger(pid) ||
      pid <= 0 ||
      !/^\d+$/.test(parts[1]!) ||
      !Number.isSafeInteger(fdCount)
    ) {
      continue;
    }
    const socketFds = parseSocketFds(line, parts);
    if (socketFds !== undefined) {
      hints.processes.push({ pid, startTime: parts[1]!, fdCount, socketFds, line });
    }
  }
  return hints;
}

/**
 * The `fd:inode` pairs after the first three fields of a process line, or undefined when one is
 * malformed. Scans characters: a process with ten thousand listeners has as many pairs.
 */
function parseSocketFds(line: string, parts: string[]): Map<string, number> | undefined {
  const socketFds = new Map<string, number>();
  let pos = parts[0]!.length + parts[1]!.length + parts[2]!.length + 3;
  const end = line.length;
  while (pos < end) {
    const fdStart = pos;
    let fd = 0;
    while (pos < end && isDigit(line.charCodeAt(pos))) {
      fd = fd * 10 + line.charCodeAt(pos++) - 48;
    }
    if (pos === fdStart || pos >= end || line.charCodeAt(pos) !== 58 || !Number.isSafeInteger(fd)) {
      return undefined;
    }
    const fdEnd = pos++;
    const inodeStart = pos;
    let inode = 0;
    while (pos < end && isDigit(line.charCodeAt(pos))) {
      inode = inode * 10 + line.charCodeAt(pos++) - 48;
    }
    if (
      pos === inodeStart ||
      (pos < end && line.charCodeAt(pos) !== 32) ||
      !Number.isSafeInteger(inode) ||
      inode <= 0
    ) {
      return undefined;
    }
    // The key is the fd's name in /proc/PID/fd, which has no leading zeros.
    socketFds.set(
      line.charCodeAt(fdStart) === 48 && fdEnd - fdStart > 1 ? String(fd) : line.slice(fdStart, fdEnd),
      inode,
    );
    pos++;
  }
  return socketFds;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function readOwnerHints(file: string, boot: string): OwnerHints {
  try {
    return parseOwnerHints(readFileSync(file, 'latin1'), boot);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      logFailure('reading the owner-hints cache', error, { file, level: 'debug' });
    }
    return { processes: [], unowned: [] };
  }
}

/** Replaces the file in one rename, so a concurrent reader sees the old or the new one whole. */
export function writeOwnerHints(file: string, boot: string, hints: OwnerHints): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, formatOwnerHints(boot, hints), { mode: 0o600 });
    renameSync(temporary, file);
  } catch (error) {
    // A cache that cannot be written only costs the next run its shortcut.
    logFailure('writing the owner-hints cache', error, { file, level: 'debug' });
  }
}
