// The command-line flag readers, one for each way a command reaches a finder: a line of code or a
// script (`forEachFlag`, where the finder then asks which program the flag belongs to) and a
// command string from YAML (`flagValues`: compose `command:`, Kubernetes `args:`). Both run in one
// pass over their text.
import { Char, isAlpha, isWordChar } from './chars';

/**
 * Each flag of a code line with where its value starts (`-p 8080`, `--port=5173`, `"--port", "9000"`),
 * in order; `visit` gets the flag as written (`--port`), its value's offset and the flag's offset.
 */
export function forEachFlag(
  line: string,
  visit: (flag: string, valueAt: number, flagAt: number) => void,
): void {
  for (let i = line.indexOf('-'); i >= 0; i = line.indexOf('-', i + 1)) {
    const before = i > 0 ? line.charAt(i - 1) : ' ';
    if (!/[\s"'`([,=]/.test(before)) {
      continue;
    }
    let e = i;
    while (e < line.length && line.charCodeAt(e) === Char.hyphen && e - i < 2) {
      e++;
    }
    const nameStart = e;
    while (
      e < line.length &&
      (isWordChar(line.charCodeAt(e)) || line[e] === '-' || line[e] === '.') &&
      e - i < 64
    ) {
      e++;
    }
    if (e === nameStart) {
      continue;
    }
    const flag = line.slice(i, e);
    const valueAt = flagValueStart(line, e);
    if (valueAt === undefined) {
      continue;
    }
    visit(flag, valueAt, i);
    i = e - 1;
  }
}

function flagValueStart(line: string, at: number): number | undefined {
  const c = line[at];
  // A quoted value (`-p "8080:80"`, `--port='5173'`) starts after its quote.
  const unquote = (i: number): number => (line[i] === '"' || line[i] === "'" ? i + 1 : i);
  if (c === '=') {
    return unquote(at + 1);
  }
  if (c === ' ' || c === '\t') {
    let i = at;
    while (line[i] === ' ' || line[i] === '\t') {
      i++;
    }
    return unquote(i);
  }
  if (c === '"' || c === "'") {
    const m = /^["']\s*,\s*["']/.exec(line.slice(at, at + 12));
    return m ? at + m[0].length : undefined;
  }
  return undefined;
}

export interface FlagValue {
  flag: string;
  start: number;
  end: number;
}

/**
 * Each `-f value`, `--flag=value` and `--flag value` in a command string: a flag (not preceded by a
 * word character or `-`) and its value, which is never the next flag (`--a --b=1`). One pass: a flag's
 * name runs to the end of its run of `[\w.-]` characters, so every candidate inside one run shares
 * what follows it and only the first candidate of a run needs reading.
 */
export function flagValues(value: string): FlagValue[] {
  const found: FlagValue[] = [];
  let i = 0;
  while (i < value.length) {
    if (!isNameChar(value.charCodeAt(i))) {
      i++;
      continue;
    }
    let runEnd = i;
    while (runEnd < value.length && isNameChar(value.charCodeAt(runEnd))) {
      runEnd++;
    }
    const match = firstFlagInRun(value, i, runEnd);
    if (match) {
      found.push(match);
      i = match.end;
    } else {
      i = runEnd;
    }
  }
  return found;
}

function firstFlagInRun(value: string, runStart: number, runEnd: number): FlagValue | undefined {
  let nameStart = -1;
  for (let k = runStart; k < runEnd; k++) {
    if (value.charCodeAt(k) !== Char.hyphen || (k > 0 && isWordOrDash(value.charCodeAt(k - 1)))) {
      continue;
    }
    const letter = value.charCodeAt(k + 1) === Char.hyphen ? k + 2 : k + 1;
    if (letter < runEnd && isAlpha(value.charCodeAt(letter))) {
      nameStart = letter;
      break;
    }
  }
  if (nameStart < 0) {
    return undefined;
  }
  let at = runEnd;
  if (value.charCodeAt(at) === Char.equals) {
    at++;
  } else {
    const spaceStart = at;
    while (at < value.length && /\s/.test(value.charAt(at))) {
      at++;
    }
    if (at === spaceStart) {
      return undefined;
    }
  }
  const next =
    value.charCodeAt(at) === Char.hyphen ? (value.charCodeAt(at + 1) === Char.hyphen ? at + 2 : at + 1) : -1;
  if (next >= 0 && isAlpha(value.charCodeAt(next))) {
    return undefined;
  }
  let end = at;
  while (end < value.length && !/[\s"'`;|&]/.test(value.charAt(end))) {
    end++;
  }
  return end > at ? { flag: value.slice(nameStart, runEnd), start: at, end } : undefined;
}

function isWordOrDash(c: number): boolean {
  return isWordChar(c) || c === Char.hyphen;
}

function isNameChar(c: number): boolean {
  return isWordOrDash(c) || c === Char.dot;
}
