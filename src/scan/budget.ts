// How much one file's scan may cost. Every finder is linear in its text except where YAML aliases
// let a small file name the same content many times; the budget turns such a file into a clear
// "too complex, skipped" instead of minutes of work and gigabytes of mentions.

/** Work units a scan may spend per character of its text, and at least. */
const WORK_PER_CHAR = 16;
const MIN_WORK = 1_000_000;
/** More mentions than any real file holds (a 1 MB line of URLs has about 130,000). */
export const MAX_MENTIONS = 250_000;

/** Thrown (and remembered) once a scan goes over its budget; the scan then reports `reason`. */
export class ScanTooComplex extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ScanTooComplex';
  }
}

interface Budget {
  work: number;
  mentions: number;
  /** Set on the first overrun; later spends keep throwing so loops that catch stop soon. */
  overrun?: ScanTooComplex;
}

let active: Budget | undefined;

export interface Budgeted<T> {
  value: T | undefined;
  /** Why the scan stopped, when it did. */
  tooComplex?: string;
}

/**
 * Runs one file's scan under its budget. Finders catch their own errors to keep what they found,
 * so an overrun is remembered here and reported even when a finder swallowed the exception.
 */
export function withinBudget<T>(textLength: number, scan: () => T): Budgeted<T> {
  const outer = active;
  const budget: Budget = {
    work: Math.max(MIN_WORK, textLength * WORK_PER_CHAR),
    mentions: MAX_MENTIONS,
  };
  active = budget;
  try {
    const value = scan();
    return budget.overrun ? { value: undefined, tooComplex: budget.overrun.reason } : { value };
  } catch (error) {
    if (budget.overrun) {
      return { value: undefined, tooComplex: budget.overrun.reason };
    }
    throw error;
  } finally {
    active = outer;
  }
}

/** Charges `units` of work (about one per character read); throws once the budget is spent. */
export function spendWork(units: number): void {
  const budget = active;
  if (budget === undefined) {
    return;
  }
  budget.work -= units;
  if (budget.work < 0 || budget.overrun) {
    overrun(budget, 'more work than its size can justify (YAML aliases repeat too much content)');
  }
}

/** Charges `count` mentions found; throws past {@link MAX_MENTIONS}. */
export function spendMentions(count: number): void {
  const budget = active;
  if (budget === undefined) {
    return;
  }
  budget.mentions -= count;
  if (budget.mentions < 0 || budget.overrun) {
    overrun(budget, `more than ${MAX_MENTIONS} port mentions`);
  }
}

/** Stops the scan now for a reason found some other way (nesting too deep to parse safely). */
export function stopTooComplex(reason: string): void {
  if (active) {
    overrun(active, reason);
  }
}

function overrun(budget: Budget, reason: string): never {
  budget.overrun ??= new ScanTooComplex(reason);
  throw budget.overrun;
}

/** Lets a finder that keeps what it found on errors still stop for the budget. */
export function rethrowIfTooComplex(error: unknown): void {
  if (error instanceof ScanTooComplex) {
    throw error;
  }
}
