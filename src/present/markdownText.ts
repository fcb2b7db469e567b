// The one way workspace text (service names, hosts, variables, process names, team names) enters
// the Markdown of a hover. Hovers are trusted (they carry Portolan's own command links) and
// render `$(icon)` syntax, so text from files must come out as exactly that text: no link,
// autolink, HTML, entity, emphasis, code fence or theme icon of its own. Pure, no vscode import.

/** Line breaks, other control characters and bidirectional overrides: shown as one space. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

/**
 * Every ASCII punctuation character may be backslash-escaped in CommonMark, and escaping all of
 * them leaves no syntax to start: links need `[`, autolinks and HTML `<`, entities `&`, GFM bare
 * links `:`, `.` or `@`. `$` becomes an entity instead, because VS Code replaces `$(name)` with an
 * icon after Markdown has run, escapes or not.
 */
const PUNCTUATION = /[!"#%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/**
 * Workspace text as inline Markdown text, displayed verbatim. Spaces at either end are dropped:
 * the reader cannot see them, and they would stop `**…**` around the text from being bold.
 */
export function markdownText(text: string): string {
  return text
    .replace(UNPRINTABLE, ' ')
    .trim()
    .replace(PUNCTUATION, (c) => `\\${c}`)
    .replace(/\$/g, '&#36;');
}

/** Whether the text shows nothing at all (empty, spaces, control characters). */
export function isBlank(text: string): boolean {
  return text.replace(UNPRINTABLE, ' ').trim() === '';
}

/**
 * Workspace text as a code span. The fence is one backtick longer than the longest run inside, so
 * no backtick in the text can close it; a space pads text that starts or ends with a backtick or
 * a space (CommonMark strips one from each side). Text that would show a theme icon, which code
 * spans cannot escape, is shown as plain escaped text instead.
 */
export function markdownCode(text: string): string {
  const clean = text.replace(UNPRINTABLE, ' ');
  if (isBlank(clean) || clean.includes('$(')) {
    return markdownText(clean);
  }
  let longest = 0;
  for (const run of clean.match(/`+/g) ?? []) {
    longest = Math.max(longest, run.length);
  }
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(clean) ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}
