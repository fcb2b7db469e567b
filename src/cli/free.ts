// `portolan free`: ports nobody holds, checked by binding and against the socket table.

import { isValidPort } from '../model/port';
import { findFreePort } from '../system/freePort';
import type { CliIo } from './io';

const HELP = `Usage: portolan free [--from N] [--count K] [--host ADDRESS] [--udp] [--json]

Prints K (default 1) ports at or above N (default 3000) that are free on this machine:
nothing in the socket table holds them and a test bind succeeds on IPv4 and IPv6
(or on ADDRESS when given). Exits 1 when fewer than K were found.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  let from = 3000;
  let count = 1;
  let host: string | undefined;
  let udp = false;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [name, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = () => inline ?? args[++i];
    if (name === '--help' || name === '-h') {
      io.out(HELP);
      return 0;
    } else if (name === '--from' || name === '--count') {
      const text = value();
      const n = Number(text);
      const valid =
        text !== undefined &&
        /^\d+$/.test(text) &&
        (name === '--from' ? isValidPort(n) : n >= 1 && n <= 1000);
      if (!valid) {
        io.err(`portolan free: ${name} needs ${name === '--from' ? 'a port 1-65535' : 'a count 1-1000'}\n`);
        return 2;
      }
      if (name === '--from') {
        from = n;
      } else {
        count = n;
      }
    } else if (name === '--host') {
      host = value();
      if (!host) {
        io.err('portolan free: --host needs an address\n');
        return 2;
      }
    } else if (name === '--udp') {
      udp = true;
    } else if (name === '--json') {
      json = true;
    } else {
      io.err(`portolan free: unknown option '${arg}'\n\n${HELP}`);
      return 2;
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
