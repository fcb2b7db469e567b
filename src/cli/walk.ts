// Finds the files the CLI reads: the paths given, recursively, skipping what never holds a
// project's own port settings and what cannot be text.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { looksLikeText } from '../model/text';
import { detectFileKind } from '../scan';
import type { CliIo } from './io';
import type { ParsedArgs } from './options';
import { printable } from './printable';

const SKIPPED_DIRECTORIES = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '.vscode-test',
  '__pycache__',
  '.venv',
  '.tox',
  '.next',
  '.nuxt',
  '.cache',
]);

export interface WalkOptions {
  /** Files larger than this many bytes are skipped (and reported). */
  maxFileSize: number;
  /** Stop after this many files. */
  maxFiles: number;
  /** Told about every file left out and why. */
  onSkip?: (file: string, reason: string) => void;
  /** Paths left out silently, as git leaves out what `.gitignore` names (see `gitignore.ts`). */
  exclude?: (file: string, directory: boolean) => boolean;
}

export interface WalkedFile {
  /** Absolute path. */
  path: string;
  text: string;
}

/** The value of a `--max-size BYTES` option, or undefined when it is not a whole number. */
export function parseMaxSize(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** The walk's size limit from `--max-size` (the last one given wins), or the message for a bad value. */
export function maxSizeOption(parsed: ParsedArgs): number | { error: string } {
  let size = DEFAULT_WALK.maxFileSize;
  for (const { name, value } of parsed.options) {
    if (name === 'max-size') {
      const given = parseMaxSize(value);
      if (given === undefined) {
        return { error: '--max-size takes a number of bytes' };
      }
      size = given;
    }
  }
  return size;
}

/** `file` relative to the working folder, with forward slashes, as the CLI prints it. */
export function relativePath(file: string): string {
  return path.relative(process.cwd(), file).split(path.sep).join('/') || '.';
}

/** Says on stderr which file was left out and why (`skipped FILE: REASON`). */
export function skipReporter(io: CliIo): (file: string, reason: string) => void {
  return (file, reason) => io.err(`skipped ${printable(relativePath(file))}: ${printable(reason)}\n`);
}

export const DEFAULT_WALK: WalkOptions = { maxFileSize: 1024 * 1024, maxFiles: 20000 };

function specialFileType(stat: fs.Stats): string {
  if (stat.isFIFO()) {
    return 'named pipe';
  }
  if (stat.isSocket()) {
    return 'socket';
  }
  if (stat.isCharacterDevice() || stat.isBlockDevice()) {
    return 'device';
  }
  return 'special file';
}

/**
 * The bytes of a regular file of at most `maxBytes`, or why it was not read: a FIFO, device or
 * socket is never opened for a blocking read (a FIFO would hang, /dev/zero never ends), and a file
 * that grows while read is cut off at the cap instead of filling memory.
 */
export function readRegularFile(file: fs.PathLike, maxBytes: number, listedAsFile = false): Buffer | string {
  const failed = (error: unknown) => `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  let fd: number;
  try {
    // A walker that saw the name listed as a regular file skips this stat: the fstat below
    // checks the same after the open, and O_NONBLOCK keeps a FIFO swapped in meanwhile harmless.
    if (!listedAsFile) {
      const stat = fs.statSync(file);
      if (!stat.isFile()) {
        return `not a regular file (${specialFileType(stat)})`;
      }
      if (stat.size > maxBytes) {
        return `larger than ${maxBytes} bytes`;
      }
    }
    // O_NONBLOCK: should the path turn into a FIFO after the stat, open does not wait for a writer.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
  } catch (error) {
    return failed(error);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      return `not a regular file (${specialFileType(stat)})`;
    }
    if (stat.size > maxBytes) {
      return `larger than ${maxBytes} bytes`;
    }
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) {
      n = fs.readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > maxBytes) {
      return `larger than ${maxBytes} bytes`;
    }
    if (length > stat.size) {
      return 'changed while read';
    }
    return buffer.subarray(0, length);
  } catch (error) {
    return failed(error);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * A path's bytes as text to print: UTF-8 where it is UTF-8, each other byte as `\xNN`. File names on
 * Linux are bytes; decoding them lossily would name a file that does not exist.
 */
export function displayPath(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  if (!text.includes('\ufffd') || Buffer.from(text, 'utf8').equals(bytes)) {
    return text;
  }
  let shown = '';
  let run = 0; // start of the current valid stretch
  for (let i = 0; i < bytes.length;) {
    const length = utf8SequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    shown += bytes.toString('utf8', run, i) + `\\x${bytes[i]!.toString(16).padStart(2, '0')}`;
    run = ++i;
  }
  return shown + bytes.toString('utf8', run);
}

/** Length of the well-formed UTF-8 sequence at `i`, or 0 when the byte there starts none. */
function utf8SequenceLength(bytes: Buffer, i: number): number {
  const lead = bytes[i];
  if (lead === undefined) {
    return 0;
  }
  const length =
    lead < 0x80
      ? 1
      : lead >= 0xc2 && lead <= 0xdf
        ? 2
        : lead >= 0xe0 && lead <= 0xef
          ? 3
          : lead >= 0xf0 && lead <= 0xf4
            ? 4
            : 0;
  if (length === 0 || i + length > bytes.length) {
    return 0;
  }
  for (let k = 1; k < length; k++) {
    if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) {
      return 0;
    }
  }
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
  const second = bytes[i + 1] ?? 0;
  if (
    (lead === 0xe0 && second < 0xa0) ||
    (lead === 0xed && second > 0x9f) ||
    (lead === 0xf0 && second < 0x90) ||
    (lead === 0xf4 && second > 0x8f)
  ) {
    return 0;
  }
  return length;
}

export function* walkFiles(paths: string[], options: WalkOptions = DEFAULT_WALK): Generator<WalkedFile> {
  let count = 0;
  // Paths are walked as bytes: a name that is not UTF-8 is still read, and shown by displayPath.
  // Each entry says what its folder listing called it, so files and folders are not statted again.
  const stack: { raw: Buffer; listed?: 'file' | 'directory' }[] = paths
    .map((p) => ({ raw: Buffer.from(path.resolve(p)) }))
    .reverse();
  const separator = Buffer.from(path.sep);
  while (stack.length > 0) {
    const { raw, listed } = stack.pop()!;
    const current = displayPath(raw);
    let stat: fs.Stats | undefined;
    if (listed === undefined) {
      try {
        stat = fs.statSync(raw);
      } catch (error) {
        options.onSkip?.(current, `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
        continue;
      }
    }
    if (listed === 'directory' || stat?.isDirectory()) {
      let entries: fs.Dirent<Buffer>[];
      try {
        entries = fs.readdirSync(raw, { withFileTypes: true, encoding: 'buffer' });
      } catch (error) {
        options.onSkip?.(current, `cannot list: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
        continue;
      }
      const children: { raw: Buffer; listed?: 'file' | 'directory' }[] = [];
      for (const e of entries) {
        const child = Buffer.concat([raw, separator, e.name]);
        if (e.isSymbolicLink()) {
          // Links may dangle or loop back to a parent; the files they reach are usually walked anyway.
          options.onSkip?.(displayPath(child), 'symbolic link, not followed');
        } else if (
          !(e.isDirectory() && SKIPPED_DIRECTORIES.has(e.name.toString())) &&
          !options.exclude?.(displayPath(child), e.isDirectory())
        ) {
          children.push({
            raw: child,
            listed: e.isFile() ? 'file' : e.isDirectory() ? 'directory' : undefined,
          });
        }
      }
      children.sort((a, b) => Buffer.compare(a.raw, b.raw));
      // One push per child: spreading a folder of 100k+ entries into push() overflows the stack.
      for (let i = children.length - 1; i >= 0; i--) {
        stack.push(children[i]!);
      }
      continue;
    }
    if (detectFileKind(current) === undefined) {
      continue;
    }
    if (stat && !stat.isFile()) {
      // Reading a FIFO blocks until someone writes to it; devices and sockets are no config either.
      options.onSkip?.(current, `not a regular file (${specialFileType(stat)})`);
      continue;
    }
    if (count >= options.maxFiles) {
      options.onSkip?.(current, `file budget of ${options.maxFiles} reached; later files not read`);
      return;
    }
    const read = readRegularFile(raw, options.maxFileSize, listed === 'file');
    if (typeof read === 'string') {
      options.onSkip?.(current, read);
      continue;
    }
    if (!looksLikeText(read)) {
      options.onSkip?.(current, 'binary');
      continue;
    }
    count++;
    yield { path: current, text: read.toString('utf8') };
  }
}
