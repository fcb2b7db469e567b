// Kernel port limits that decide whether a bind needs privileges and which ports the kernel may
// hand out by itself (a fixed port inside the ephemeral range can collide with an outgoing
// connection's source port).

import { readFileSync } from 'node:fs';
import { logFailure } from '../model/log';
import { MAX_PORT } from '../model/port';
import type { KernelPortLimits } from './types';

const defaults = { unprivilegedPortStart: 1024, ephemeralRange: { from: 32768, to: 60999 } };

export function readKernelPortLimits(procRoot = '/proc'): KernelPortLimits {
  const start = readNumbers(`${procRoot}/sys/net/ipv4/ip_unprivileged_port_start`);
  const range = readNumbers(`${procRoot}/sys/net/ipv4/ip_local_port_range`);
  const startValid = start?.length === 1 && start[0]! >= 0 && start[0]! <= MAX_PORT + 1;
  const rangeValid = range?.length === 2 && range[0]! >= 1 && range[0]! <= range[1]! && range[1]! <= MAX_PORT;
  return {
    unprivilegedPortStart: startValid ? start[0]! : defaults.unprivilegedPortStart,
    ephemeralRange: rangeValid ? { from: range[0]!, to: range[1]! } : { ...defaults.ephemeralRange },
    fromKernel: startValid && rangeValid,
  };
}

function readNumbers(path: string): number[] | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    // No /proc (macOS, Windows) or a restricted one: the defaults apply.
    logFailure('reading a kernel port limit', error, { file: path, level: 'debug' });
    return undefined;
  }
  const fields = text.trim().split(/\s+/);
  return fields.every((f) => /^\d+$/.test(f)) ? fields.map(Number) : undefined;
}
