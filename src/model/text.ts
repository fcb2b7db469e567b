// Facts about scanned text that every layer needs: ranges, line positions, whether bytes are text.

/** Half-open range of UTF-16 offsets: `text.slice(start, end)` is exactly what was written. */
export interface TextRange {
  start: number;
  end: number;
}

/** How many leading bytes are checked for a NUL before a file is called binary. */
export const BINARY_SNIFF_BYTES = 8192;

/** True when the bytes look like text: no NUL in the first 8 KiB. */
export function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, BINARY_SNIFF_BYTES);
  for (let i = 0; i < n; i++) {
    if (bytes[i] === 0) {
      return false;
    }
  }
  return true;
}

/** Converts UTF-16 offsets to line positions, with one pass over the text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    if (text.indexOf('\r') < 0) {
      // The common case, with the engine's own search for the breaks.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
        this.starts.push(i + 1);
      }
      return;
    }
    // Lines end at LF, CRLF or a lone CR (old Mac files), as in the editor.
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
        this.starts.push(i + 1);
      }
    }
  }

  /** 0-based line and UTF-16 character, as editors count. */
  locate(offset: number): { line: number; character: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return { line: lo, character: offset - this.starts[lo]! };
  }

  /** 1-based line and column, as compilers print them. */
  position(offset: number): { line: number; column: number } {
    const { line, character } = this.locate(offset);
    return { line: line + 1, column: character + 1 };
  }
}
