// Text from files, file names and processes, made safe to print in a terminal or a CI log.

// C0 controls and DEL, C1 controls, the line and paragraph separators, and the bidi controls that
// reorder what a terminal shows ("Trojan Source").
const UNSAFE = /[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `text` with every character that could start a line, move the cursor, recolour or reorder the
 * output written as a visible escape (`\n`, `\x1b`, `\u202e`): a service named
 * "a\n::error file=x::PWNED" cannot print a line a GitHub Actions runner would obey.
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return (
      NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`)
    );
  });
}
