// `portolan who PORT`: what holds one port.

import { isValidPort } from '../model/port';
import { socketsOnPort } from '../system/listening';
import type { SocketProtocol } from '../system/types';
import { containerLabel } from '../system/containerPorts';
import { cliContainerEngine } from './containers';
import type { CliIo } from './io';
import { runVerb, usageError, WHO, type ParsedArgs } from './options';
import { printable } from './printable';
import { formatEndpoint, jsonLines, socketJson } from './ls';

export function run(args: string[], io: CliIo): Promise<number> {
  return runVerb(WHO, args, io, (parsed) => who(parsed, io));
}

async function who(parsed: ParsedArgs, io: CliIo): Promise<number> {
  let json = false;
  let protocol: SocketProtocol | undefined;
  for (const { name } of parsed.options) {
    if (name === 'json') {
      json = true;
    } else if (name === 'tcp' || name === 'udp') {
      protocol = name;
    }
  }
  const portText = parsed.operands[0];
  const port = Number(portText);
  if (portText === undefined || !/^\d+$/.test(portText) || !isValidPort(port)) {
    return usageError(io, WHO, 'give a port between 1 and 65535');
  }
  const sockets = await socketsOnPort(port, protocol, {
    ownerHints: true,
    containers: cliContainerEngine(io, 'who'),
  });
  if (json) {
    io.out(jsonLines(sockets.map(socketJson)));
    return sockets.length > 0 ? 0 : 1;
  }
  if (sockets.length === 0) {
    io.out(`Nothing is listening on port ${port}.\n`);
    return 1;
  }
  const lines: string[] = [];
  for (const socket of sockets) {
    const j = socketJson(socket);
    const where = `${socket.protocol} ${formatEndpoint(socket.address, socket.port)}`;
    const service = j.service ? `  (${j.service})` : '';
    const container = socket.container;
    if (container && socket.publishedOnly) {
      lines.push(
        `${where}${service}: container ${container.name}, forwarded by the engine (no proxy process)`,
      );
    } else if (!socket.ownerVisible) {
      lines.push(`${where}${service}: owner not visible (user ${j.user ?? '?'}; try as that user or root)`);
      if (!container) {
        continue;
      }
    }
    for (const owner of socket.owners) {
      lines.push(`${where}${service}: ${owner.process} (pid ${owner.pid}), user ${j.user ?? '?'}`);
      if (owner.command) {
        lines.push(`    ${owner.command}`);
      }
    }
    if (container) {
      lines.push(
        `    container ${container.name}: ${containerLabel(container)}, port ${container.privatePort} inside, ${container.status || container.state}`,
      );
      lines.push(`    stop container ${container.name} to free the port`);
    } else if (socket.proxy) {
      lines.push('    published by Docker: stop the container to free the port');
    }
    if (socket.protocol === 'tcp') {
      const c = socket.connections;
      lines.push(
        `    connections: ${c.established} established, ${c.timeWait} time-wait, ${c.closeWait} close-wait`,
      );
    }
  }
  // Process names, command lines and users come from the system: printable, one line each.
  io.out(lines.map(printable).join('\n') + '\n');
  return 0;
}
