// What a port number is: the protocols Portolan knows and which numbers name a port at all.

export type Protocol = 'tcp' | 'udp' | 'sctp';

/** The lowest port a socket can be bound or connected to (0 asks the system for any free one). */
export const MIN_PORT = 1;
/** Ports are 16-bit. */
export const MAX_PORT = 65535;

/** A whole number from 0 to 65535: fits a port field, where 0 means "any port". */
export function isPortNumber(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_PORT;
}

/** A whole number from 1 to 65535: a port a socket can actually be bound or connected to. */
export function isValidPort(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= MIN_PORT && n <= MAX_PORT;
}

/** The nearest valid port to a finite number (rounded down); `fallback` for NaN and infinities. */
export function clampPort(n: number, fallback = MIN_PORT): number {
  return Number.isFinite(n) ? Math.min(MAX_PORT, Math.max(MIN_PORT, Math.floor(n))) : fallback;
}
