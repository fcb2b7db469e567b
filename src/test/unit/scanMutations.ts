// Shared by the structured finders' tests.

/** Deterministic edits of real files: a finder must never throw and every range must hold digits. */
export function mutations(text: string, count: number, seed: number): string[] {
  let state = seed;
  const next = (limit: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % Math.max(1, limit);
  };
  const pieces = [
    ':',
    '"',
    "'",
    '{',
    '}',
    '[',
    ']',
    '-',
    '#',
    '\n',
    ' ',
    '&a',
    '*a',
    '<<: ',
    '${X:-',
    '/udp',
    '9',
    ';',
  ];
  const result: string[] = [];
  let current = text;
  for (let i = 0; i < count; i++) {
    const at = next(current.length + 1);
    switch (next(3)) {
      case 0:
        current = current.slice(0, at) + current.slice(at + 1 + next(4));
        break;
      case 1:
        current = current.slice(0, at) + pieces[next(pieces.length)] + current.slice(at);
        break;
      default:
        current =
          current.slice(0, at) +
          current.slice(next(current.length), next(current.length)) +
          current.slice(at);
    }
    result.push(current);
    if (next(10) === 0) {
      current = text;
    }
  }
  return result;
}
