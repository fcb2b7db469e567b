// Character codes the hand-written scanners compare against, by name, and the character classes
// they share. Scanners compare `charCodeAt` numbers: no one-character strings in the hot loops.

/** Character codes by name, for comparing `charCodeAt` results. */
export const Char = {
  tab: 9,
  lineFeed: 10,
  formFeed: 12,
  carriageReturn: 13,
  space: 32,
  doubleQuote: 34,
  hash: 35,
  dollar: 36,
  percent: 37,
  singleQuote: 39,
  openParen: 40,
  closeParen: 41,
  plus: 43,
  comma: 44,
  hyphen: 45,
  dot: 46,
  slash: 47,
  digit0: 48,
  digit9: 57,
  colon: 58,
  semicolon: 59,
  lessThan: 60,
  equals: 61,
  greaterThan: 62,
  question: 63,
  at: 64,
  upperA: 65,
  upperZ: 90,
  openBracket: 91,
  backslash: 92,
  closeBracket: 93,
  underscore: 95,
  backtick: 96,
  lowerA: 97,
  lowerZ: 122,
  openBrace: 123,
  pipe: 124,
  closeBrace: 125,
  tilde: 126,
  delete: 127,
} as const;

export function isDigit(c: number): boolean {
  return c >= Char.digit0 && c <= Char.digit9;
}

export function isAlpha(c: number): boolean {
  return (c >= Char.upperA && c <= Char.upperZ) || (c >= Char.lowerA && c <= Char.lowerZ);
}

/** Letters, digits, `_`: the characters of an identifier in most languages. */
export function isWordChar(c: number): boolean {
  return isAlpha(c) || isDigit(c) || c === Char.underscore;
}

/** Characters of a host name: letters, digits, `_`, `-`, `.`. */
export function isHostChar(c: number): boolean {
  return isAlpha(c) || isDigit(c) || c === Char.underscore || c === Char.hyphen || c === Char.dot;
}

/** End of the digit run starting at `at` (returns `at` when there is none). */
export function digitsEnd(text: string, at: number, limit = text.length): number {
  let i = at;
  while (i < limit && isDigit(text.charCodeAt(i))) {
    i++;
  }
  return i;
}
