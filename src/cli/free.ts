// `portolan free`: ports nobody holds, checked by binding and against the socket table.

import { isValidPort } from '../model/port';
import { findFreePort } from '../system/freePort';
import type { CliIo } from './io';
import { FREE, parseVerbArgs, usageError, verbHelp } from './options';

export async function run(args: string[], io: CliIo): Promise<number> {
  const parsed = parseVerbArgs(FREE, args);
  if (parsed === 'help') {
    io.out(verbHelp(FREE));
    return 0;
  }
  if ('error' in parsed) {
    return usageError(io, FREE, parsed.error);
  }
  let from = 3000;
  let count = 1;
  let host: string | undefined;
  let udp = false;
  let json = false;
  for (const { name, value = '' } of parsed.options) {
    if (name === 'from' || name === 'count') {
      const n = Number(value);
      const valid = /^\d+$/.test(value) && (name === 'from' ? isValidPort(n) : n >= 1 && n <= 1000);
      if (!valid) {
        return usageError(
          io,
          FREE,
          `--${name} needs ${name === 'from' ? 'a port 1-65535' : 'a count 1-1000'}`,
        );
      }
      if (name === 'from') {
        from = n;
      } else {
        count = n;
      }
    } else if (name === 'host') {
      if (!value) {
        return usageError(io, FREE, '--host needs an address');
      }
      host = value;
    } else if (name === 'udp') {
      udp = true;
    } else if (name === 'json') {
      json = true;
    }
  }
  const ports = await findFreePort({
    from,
    count,
    host,
    protocol: udp ? 'udp' : 'tcp',
    maxAttempts: 200 + count * 4,
  });
  io.out(json ? JSON.stringify(ports) + '\n' : ports.map((p) => `${p}\n`).join(''));
  if (ports.length < count) {
    io.err(`portolan free: found ${ports.length} of ${count} free ports from ${from}\n`);
    return 1;
  }
  return 0;
}
