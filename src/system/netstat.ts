// Windows: `netstat -ano` for sockets and pids, `tasklist /fo csv /nh` for process names.
// netstat's State column is translated on non-English Windows (German `ABHÖREN`, Italian
// `IN ASCOLTO`, in two words), so rows are read by position: protocol, local, foreign, then the
// state (any number of words, TCP only) and the pid last. Listening TCP is recognised by its
// foreign address (`0.0.0.0:0`, `[::]:0`), never by the word LISTENING.

import { containerProxyKind } from './dockerProxy';
import { runTool, splitHostPort } from './lsof';
import { withZone } from './scopedAddress';
import { compareSockets } from './socketReader';
import type { ConnectionCounts, ListeningSocket, SocketOwner, SocketProtocol } from './types';

export interface NetstatRow {
  protocol: SocketProtocol;
  /** Local address without brackets; a link-local address keeps its zone (`fe80::1%6`). */
  address: string;
  port: number;
  foreign: string;
  /** The State column as printed (translated, maybe several words); empty for UDP. */
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
    // TCP rows have a state column of one or more words, UDP rows none.
    const pidText = fields[fields.length - 1] ?? '';
    const fits = proto === 'TCP' ? fields.length >= 5 : fields.length === 4;
    if (!fits || !/^\d+$/.test(pidText)) {
      continue;
    }
    const local = splitHostPort(fields[1]!);
    if (!local) {
      continue;
    }
    rows.push({
      protocol: proto === 'TCP' ? 'tcp' : 'udp',
      address: withZone(local.host),
      port: local.port,
      foreign: fields[2]!,
      state: proto === 'TCP' ? fields.slice(3, -1).join(' ') : '',
      pid: Number(pidText),
    });
  }
  return rows;
}

/** pid -> image name from `tasklist /fo csv /nh` (`"node.exe","4567","Console","1","45,000 K"`). */
export function parseTasklistCsv(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    const cells = parseCsvLine(line.trim());
    if (cells.length >= 2 && /^\d+$/.test(cells[1]!)) {
      names.set(Number(cells[1]), cells[0]!);
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

/**
 * The State words Windows prints for the three counted states, per display language. Chinese,
 * Japanese, Korean and Russian Windows print the English words under translated headings; the
 * others translate them. netstat writes in the console's OEM code page, so a letter outside ASCII
 * may arrive as U+FFFD: words are compared with every such letter as `?` (see stateKey).
 */
const STATE_WORDS: Record<keyof ConnectionCounts, readonly string[]> = {
  established: [
    'ESTABLISHED', // en, zh, ja, ko, ru
    'HERGESTELLT', // de
    'ÉTABLIE', // fr
    'ESTABLECIDO', // es
    'STABILITO', // it
    'ESTABELECIDA', // pt-BR
    'ESTABELECIDO', // pt-PT
  ],
  timeWait: ['TIME_WAIT', 'WARTEND' /* de */],
  closeWait: ['CLOSE_WAIT', 'SCHLIESSEN_WARTEN' /* de */],
};

function stateKey(state: string): string {
  return state.toUpperCase().replace(/[^A-Z0-9_ ]/g, '?');
}

const STATE_BY_WORD = new Map<string, keyof ConnectionCounts>(
  (Object.keys(STATE_WORDS) as (keyof ConnectionCounts)[]).flatMap((field) =>
    STATE_WORDS[field].map((word) => [stateKey(word), field] as const),
  ),
);

/** Which counter a connection row adds to, from its State word or, failing that, its columns. */
export function connectionState(row: NetstatRow): keyof ConnectionCounts | undefined {
  const known = STATE_BY_WORD.get(stateKey(row.state));
  if (known) {
    return known;
  }
  // A connection nobody owns any more (pid 0) is in TIME_WAIT whatever the language calls it.
  return row.pid === 0 && !listeningForeign.has(row.foreign) ? 'timeWait' : undefined;
}

/**
 * One socket per protocol, address and port, with every process that holds it: several processes
 * share a UDP port (mDNS, SSDP) and a pre-forked server shares its TCP listener, and netstat prints
 * one row per process. pid 0 rows (no visible owner) add no owner.
 */
export function netstatToSockets(rows: NetstatRow[], names: Map<number, string>): ListeningSocket[] {
  const sockets = new Map<string, ListeningSocket>();
  for (const row of rows) {
    const listening = row.protocol === 'tcp' ? listeningForeign.has(row.foreign) : row.foreign === '*:*';
    if (!listening) {
      continue;
    }
    const key = `${row.protocol}|${row.address}|${row.port}`;
    let socket = sockets.get(key);
    if (!socket) {
      socket = {
        protocol: row.protocol,
        family: row.address.includes(':') ? 'ipv6' : 'ipv4',
        address: row.address,
        port: row.port,
        ownerVisible: false,
        owners: [],
        connections: { established: 0, timeWait: 0, closeWait: 0 },
      };
      sockets.set(key, socket);
    }
    if (row.pid > 0 && !socket.owners.some((o) => o.pid === row.pid)) {
      socket.owners.push({ pid: row.pid, process: names.get(row.pid) ?? '', command: '' });
    }
  }
  for (const socket of sockets.values()) {
    setOwners(socket, socket.owners);
  }
  for (const row of rows) {
    if (row.protocol !== 'tcp') {
      continue;
    }
    const field = connectionState(row);
    if (!field) {
      continue;
    }
    const listener =
      sockets.get(`tcp|${row.address}|${row.port}`) ??
      sockets.get(`tcp|${row.address.includes(':') ? '::' : '0.0.0.0'}|${row.port}`);
    if (listener) {
      listener.connections[field]++;
    }
  }
  return [...sockets.values()].sort(compareSockets);
}

function setOwners(socket: ListeningSocket, owners: SocketOwner[]): void {
  owners.sort((a, b) => a.pid - b.pid);
  socket.ownerVisible = owners.length > 0;
  if (owners.length === 0) {
    return;
  }
  socket.pid = owners[0]!.pid;
  socket.process = owners[0]!.process;
  socket.command = '';
  const proxy = owners.map((o) => containerProxyKind(o.process)).find((kind) => kind !== undefined);
  if (proxy) {
    socket.proxy = proxy;
  }
}

export async function readNetstatSockets(timeoutMs = 5000): Promise<ListeningSocket[]> {
  const [netstat, tasklist] = await Promise.all([
    runTool('netstat', ['-ano'], timeoutMs),
    runTool('tasklist', ['/fo', 'csv', '/nh'], timeoutMs).catch(() => ''),
  ]);
  return netstatToSockets(parseNetstatRows(netstat), parseTasklistCsv(tasklist));
}
