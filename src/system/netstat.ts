// Windows: `netstat -ano` for sockets and pids, `tasklist /fo csv /nh` for process names.
// netstat's State column is translated on non-English Windows, so listening TCP is recognised by
// its foreign address (`0.0.0.0:0`, `[::]:0`), not by the word LISTENING.

import { containerProxyKind } from './dockerProxy';
import { runTool, splitHostPort } from './lsof';
import { compareSockets } from './socketReader';
import type { ListeningSocket, SocketProtocol } from './types';

export interface NetstatRow {
  protocol: SocketProtocol;
  address: string;
  port: number;
  foreign: string;
  state: string;
  pid: number;
}

export function parseNetstatRows(text: string): NetstatRow[] {
  const rows: NetstatRow[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const proto = fields[0]?.toUpperCase();
    if (proto !== 'TCP' && proto !== 'UDP') {
      continue;
    }
    // TCP rows have a state column, UDP rows do not.
    const expected = proto === 'TCP' ? 5 : 4;
    if (fields.length !== expected || !/^\d+$/.test(fields[expected - 1])) {
      continue;
    }
    const local = splitHostPort(fields[1]);
    if (!local) {
      continue;
    }
    rows.push({
      protocol: proto === 'TCP' ? 'tcp' : 'udp',
      address: local.host.replace(/%.*$/, ''),
      port: local.port,
      foreign: fields[2],
      state: proto === 'TCP' ? fields[3] : '',
      pid: Number(fields[expected - 1]),
    });
  }
  return rows;
}

/** pid -> image name from `tasklist /fo csv /nh` (`"node.exe","4567","Console","1","45,000 K"`). */
export function parseTasklistCsv(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    const cells = parseCsvLine(line.trim());
    if (cells.length >= 2 && /^\d+$/.test(cells[1])) {
      names.set(Number(cells[1]), cells[0]);
    }
  }
  return names;
}

function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else {
          value += line[i++];
        }
      }
      cells.push(value);
      if (line[i] === ',') {
        i++;
      }
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      cells.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return cells;
}

const listeningForeign = new Set(['0.0.0.0:0', '[::]:0']);

export function netstatToSockets(rows: NetstatRow[], names: Map<number, string>): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const row of rows) {
    const listening = row.protocol === 'tcp' ? listeningForeign.has(row.foreign) : row.foreign === '*:*';
    if (!listening) {
      continue;
    }
    // pid 0 is the idle process placeholder: the real owner is not visible.
    const visible = row.pid > 0;
    const name = names.get(row.pid) ?? '';
    const socket: ListeningSocket = {
      protocol: row.protocol,
      family: row.address.includes(':') ? 'ipv6' : 'ipv4',
      address: row.address,
      port: row.port,
      ownerVisible: visible,
      owners: visible ? [{ pid: row.pid, process: name, command: '' }] : [],
      connections: { established: 0, timeWait: 0, closeWait: 0 },
    };
    if (visible) {
      socket.pid = row.pid;
      socket.process = name;
      socket.command = '';
      const proxy = containerProxyKind(name);
      if (proxy) {
        socket.proxy = proxy;
      }
    }
    sockets.push(socket);
  }
  for (const row of rows) {
    if (row.protocol !== 'tcp') {
      continue;
    }
    const state = row.state.toUpperCase();
    const field =
      state === 'ESTABLISHED'
        ? 'established'
        : state === 'TIME_WAIT'
          ? 'timeWait'
          : state === 'CLOSE_WAIT'
            ? 'closeWait'
            : undefined;
    if (!field) {
      continue;
    }
    const listener =
      sockets.find((s) => s.protocol === 'tcp' && s.port === row.port && s.address === row.address) ??
      sockets.find(
        (s) =>
          s.protocol === 'tcp' &&
          s.port === row.port &&
          (s.address === '0.0.0.0' || s.address === '::') &&
          (s.address === '::') === row.address.includes(':'),
      );
    if (listener) {
      listener.connections[field]++;
    }
  }
  return sockets.sort(compareSockets);
}

export async function readNetstatSockets(timeoutMs = 5000): Promise<ListeningSocket[]> {
  const [netstat, tasklist] = await Promise.all([
    runTool('netstat', ['-ano'], timeoutMs),
    runTool('tasklist', ['/fo', 'csv', '/nh'], timeoutMs).catch(() => ''),
  ]);
  return netstatToSockets(parseNetstatRows(netstat), parseTasklistCsv(tasklist));
}
