// `portolan who PORT`: what holds one port.

import { isValidPort } from '../model/port';
import { socketsOnPort } from '../system/listening';
import type { SocketProtocol } from '../system/types';
import { containerLabel } from '../system/containerPorts';
import { cliContainerEngine } from './containers';
import type { CliIo } from './io';
import { formatEndpoint, socketJson } from './ls';

const HELP = `Usage: portolan who PORT [--tcp|--udp] [--json]

Shows the processes listening on PORT (TCP and UDP unless one is given): pid, process,
command line, user and connection counts, and the container (compose service, project,
image) when a container engine publishes the port. Exits 1 when nothing holds the port.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  let json = false;
  let protocol: SocketProtocol | undefined;
  let portText: string | undefined;
  for (const arg of args) {
    if (arg === '--help' || arg === '-h') {
      io.out(HELP);
      return 0;
    } else if (arg === '--json') {
      json = true;
    } else if (arg === '--tcp' || arg === '--udp') {
      protocol = arg === '--tcp' ? 'tcp' : 'udp';
    } else if (portText === undefined && !arg.startsWith('-')) {
      portText = arg;
    } else {
      io.err(`portolan who: unexpected argument '${arg}'\n\n${HELP}`);
      return 2;
    }
  }
  const port = Number(portText);
  if (portText === undefined || !/^\d+$/.test(portText) || !isValidPort(port)) {
    io.err(`portolan who: give a port between 1 and 65535\n\n${HELP}`);
    return 2;
  }
  const sockets = await socketsOnPort(port, protocol, {
    ownerHints: true,
    containers: cliContainerEngine(io, 'who'),
  });
  if (json) {
    io.out(JSON.stringify(sockets.map(socketJson), null, 2) + '\n');
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
  io.out(lines.join('\n') + '\n');
  return 0;
}
