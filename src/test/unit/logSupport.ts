// Failures the core logged while a test ran: scanText and runRules survive a crashing finder or
// rule, so "did not throw" proves nothing; "logged no failure" does.
import { resetLoggedFailures, setLogger } from '../../model/log';

/** Runs `work` and returns what it returned plus every warning or error the core logged meanwhile. */
export function withFailureLog<T>(work: () => T): { value: T; failures: string[] } {
  const failures: string[] = [];
  const keep = (message: string): void => {
    failures.push(message.split('\n')[0]);
  };
  resetLoggedFailures();
  const restore = setLogger({ trace() {}, debug() {}, info() {}, warn: keep, error: keep });
  try {
    return { value: work(), failures };
  } finally {
    restore();
  }
}
