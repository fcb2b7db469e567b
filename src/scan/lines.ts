import { Char } from './chars';
// Lines of a text with their exact offsets, for the line-by-line finders.

/** One line of a text without its `\n` or `\r\n`; `start` is its offset in the whole text. */
export interface TextLine {
  text: string;
  start: number;
}

/** Splits into lines, keeping exact offsets for `\n`, `\r\n` and lone `\r` endings. */
export function splitLines(text: string): TextLine[] {
  const lines: TextLine[] = [];
  let start = 0;
  if (text.indexOf('\r') < 0) {
    // The common case, with the engine's own search for the breaks.
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
      lines.push({ text: text.slice(start, i), start });
      start = i + 1;
    }
    lines.push({ text: text.slice(start), start });
    return lines;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === Char.lineFeed || c === Char.carriageReturn) {
      lines.push({ text: text.slice(start, i), start });
      if (c === Char.carriageReturn && text.charCodeAt(i + 1) === Char.lineFeed) {
        i++;
      }
      start = i + 1;
    }
  }
  lines.push({ text: text.slice(start), start });
  return lines;
}
