// `portolan free`: ports nobody holds, checked by binding and against the socket table.

import * as dns from 'node:dns/promises';
import * as net from 'node:net';
import { isValidPort } from '../model/port';
import { findFreePort } from '../system/freePort';
import type { CliIo } from './io';
import { FREE, runVerb, usageError, type ParsedArgs } from './options';

export function run(args: string[], io: CliIo): Promise<number> {
  return runVerb(FREE, args, io, (parsed) => free(parsed, io));
}

async function free(parsed: ParsedArgs, io: CliIo): Promise<number> {
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
  if (host !== undefined) {
    const checked = await bindAddress(host);
    if ('error' in checked) {
      return usageError(io, FREE, checked.error);
    }
    host = checked.address;
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

/**
 * The address test binds go to, checked once: a name is resolved once (not on each of ~200 binds),
 * and an address this machine does not have fails now, with a clear message. `localhost` and `*`
 * keep their meaning (both loopbacks, both wildcards).
 */
async function bindAddress(host: string): Promise<{ address: string } | { error: string }> {
  if (host === 'localhost' || host === '*') {
    return { address: host };
  }
  let address = host;
  if (net.isIP(host) === 0) {
    if (/^[\d.]+$/.test(host)) {
      return { error: `--host ${host} is not an IP address` };
    }
    try {
      address = (await dns.lookup(host)).address;
    } catch (error) {
      return {
        error: `--host ${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      };
    }
  }
  const problem = await new Promise<string | undefined>((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    server.listen({ port: 0, host: address, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
  if (problem === 'EADDRNOTAVAIL') {
    return {
      error: `--host ${host}${address !== host ? ` (${address})` : ''} is not an address of this machine`,
    };
  }
  return { address };
}
