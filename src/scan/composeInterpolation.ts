// Compose's variable interpolation, as the Compose specification defines it: `$VAR`, `${VAR}`,
// `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alternative}`,
// `${VAR+alternative}`, and `$$` for a literal `$`. Defaults and alternatives may hold further
// interpolations (`${A:-${B:-80}}`). Every value keeps where it came from, for hovers.

/** Where a variable's value was read. */
export interface EnvValue {
  value: string;
  /** The file it was read from (`.env`, `app.env`); undefined for the process environment. */
  file?: string;
  /** The 1-based line in `file`. */
  line?: number;
}

/** A variable's value, or undefined when it is unset. */
export type EnvLookup = (name: string) => EnvValue | undefined;

/** One variable an interpolation read. */
export interface VariableUse {
  name: string;
  /** Its value where it was set; undefined when unset. */
  source?: EnvValue;
  /** The text came from what is written after the operator: the default (`:-`, `-`) or the alternative (`:+`, `+`). */
  written?: 'default' | 'alternative';
}

export interface Interpolated {
  value: string;
  /** The variables read, outermost first. */
  uses: VariableUse[];
  /** `${VAR:?message}` on an unset variable, or a `$` Compose cannot read: Compose stops with this. */
  error?: string;
}

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;

/** Interpolates `text` as Compose does. */
export function interpolate(text: string, lookup: EnvLookup): Interpolated {
  const result: Interpolated = { value: '', uses: [] };
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const close = closingBrace(text, dollar + 2);
      if (close < 0) {
        result.error ??= `invalid interpolation format: ${text.slice(dollar)}`;
        out += text.slice(dollar);
        break;
      }
      out += braced(text.slice(dollar + 2, close), lookup, result);
      i = close + 1;
    } else if (next !== undefined && NAME_START.test(next)) {
      let end = dollar + 2;
      while (end < text.length && NAME_PART.test(text.charAt(end))) {
        end++;
      }
      const name = text.slice(dollar + 1, end);
      const source = lookup(name);
      result.uses.push(source ? { name, source } : { name });
      out += source?.value ?? '';
      i = end;
    } else {
      // A lone `$` (at the end, before a space or a digit) stays as written.
      out += '$';
      i = dollar + 1;
    }
  }
  result.value = out;
  return result;
}

/** The index of the `}` closing a `${` whose body starts at `from`, counting nested `${`. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '$' && text[i + 1] === '$') {
      i++;
    } else if (text[i] === '}') {
      if (depth === 0) {
        return i;
      }
      depth--;
    }
  }
  return -1;
}

const OPERATOR = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/;

function braced(body: string, lookup: EnvLookup, result: Interpolated): string {
  const match = OPERATOR.exec(body);
  if (!match) {
    result.error ??= `invalid interpolation format: \${${body}}`;
    return '';
  }
  const name = match[1]!; // the pattern always captures the name
  const operator = match[2];
  const rest = match[3] ?? '';
  const source = lookup(name);
  const use: VariableUse = source ? { name, source } : { name };
  result.uses.push(use);
  const set = source !== undefined;
  const nonEmpty = set && source.value !== '';
  const written = (kind: 'default' | 'alternative'): string => {
    use.written = kind;
    const inner = interpolate(rest, lookup);
    for (const innerUse of inner.uses) {
      result.uses.push(innerUse);
    }
    if (inner.error !== undefined) {
      result.error ??= inner.error;
    }
    return inner.value;
  };
  switch (operator) {
    case undefined:
      return source?.value ?? '';
    case ':-':
      return nonEmpty ? source.value : written('default');
    case '-':
      return set ? source.value : written('default');
    case ':+':
      return nonEmpty ? written('alternative') : '';
    case '+':
      return set ? written('alternative') : '';
    case ':?':
    case '?':
      if (operator === ':?' ? nonEmpty : set) {
        return source!.value;
      }
      result.error ??= `required variable ${name} is missing a value${rest === '' ? '' : `: ${interpolate(rest, lookup).value}`}`;
      return '';
    default:
      return '';
  }
}

/**
 * The variables Compose interpolates with, in its order of precedence: the process environment
 * first, then the project's `.env` (or `--env-file`) files, the later file winning.
 */
export function layeredLookup(
  processEnv: ReadonlyMap<string, string> | undefined,
  files: ReadonlyArray<{
    file: string;
    values: ReadonlyMap<string, string>;
    lines?: ReadonlyMap<string, number>;
  }>,
): EnvLookup {
  return (name) => {
    const fromProcess = processEnv?.get(name);
    if (fromProcess !== undefined) {
      return { value: fromProcess };
    }
    for (const layer of [...files].reverse()) {
      const value = layer.values.get(name);
      if (value !== undefined) {
        const line = layer.lines?.get(name);
        return line === undefined ? { value, file: layer.file } : { value, file: layer.file, line };
      }
    }
    return undefined;
  };
}
