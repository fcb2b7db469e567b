// macOS (and any system without /proc): `lsof -F` field output. Each line is one field, the first
// character says which: `p` starts a process set (pid), `c` command, `u` uid, `f` starts a file
// set (fd), `t` type (IPv4/IPv6), `P` protocol, `n` name (`127.0.0.1:5432`, `*:53`, `[::1]:8080`,
// `10.0.0.2:5353->10.0.0.9:53`, `[fe80:5::1]:5353`), `T` TCP info (`TST=LISTEN`).

import { execFile } from 'node:child_process';
import { isValidPort } from '../model/port';
import { containerProxyKind } from './dockerProxy';
import { withZone } from './scopedAddress';
import { compareSockets } from './socketReader';
import type { AddressFamily, ListeningSocket, SocketProtocol } from './types';

export const lsofArguments = ['-nP', '-iTCP', '-sTCP:LISTEN', '-iUDP', '-F', 'pcnuPtT'];

interface FileSet {
  fd?: string;
  type?: string;
  protocol?: string;
  name?: string;
  tcpState?: string;
}

/** Listening TCP and unconnected UDP sockets from `lsof -F pcnuPtT` output. */
export function parseLsofFields(text: string): ListeningSocket[] {
  const sockets = new Map<string, ListeningSocket>();
  let pid: number | undefined;
  let command = '';
  let uid: number | undefined;
  let file: FileSet | undefined;

  const flush = () => {
    if (file && pid !== undefined) {
      const socket = socketFromFile(file, pid, command, uid);
      if (socket) {
        // A forked server appears once per process: merge them into one socket with many owners.
        const key = `${socket.protocol}|${socket.family}|${socket.address}|${socket.port}`;
        const existing = sockets.get(key);
        if (!existing) {
          sockets.set(key, socket);
        } else if (!existing.owners.some((o) => o.pid === pid)) {
          existing.owners.push(socket.owners[0]!);
          existing.owners.sort((a, b) => a.pid - b.pid);
          Object.assign(existing, { pid: existing.owners[0]!.pid, process: existing.owners[0]!.process });
        }
      }
    }
    file = undefined;
  };

  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.length < 1) {
      continue;
    }
    const value = line.slice(1);
    switch (line[0]) {
      case 'p':
        flush();
        pid = /^\d+$/.test(value) ? Number(value) : undefined;
        command = '';
        uid = undefined;
        break;
      case 'c':
        command = value;
        break;
      case 'u':
        uid = /^\d+$/.test(value) ? Number(value) : undefined;
        break;
      case 'f':
        flush();
        file = { fd: value };
        break;
      case 't':
        if (file) {
          file.type = value;
        }
        break;
      case 'P':
        if (file) {
          file.protocol = value;
        }
        break;
      case 'n':
        if (file) {
          file.name = value;
        }
        break;
      case 'T':
        if (file && value.startsWith('ST=')) {
          file.tcpState = value.slice(3);
        }
        break;
      default:
        break;
    }
  }
  flush();
  return [...sockets.values()].sort(compareSockets);
}

function socketFromFile(
  file: FileSet,
  pid: number,
  command: string,
  uid: number | undefined,
): ListeningSocket | undefined {
  const protocol: SocketProtocol | undefined =
    file.protocol === 'TCP' ? 'tcp' : file.protocol === 'UDP' ? 'udp' : undefined;
  if (!protocol || !file.name || file.name.includes('->')) {
    return undefined;
  }
  if (protocol === 'tcp' && file.tcpState !== undefined && file.tcpState !== 'LISTEN') {
    return undefined;
  }
  const endpoint = splitHostPort(file.name);
  if (!endpoint) {
    return undefined;
  }
  const family: AddressFamily = file.type === 'IPv6' || endpoint.host.includes(':') ? 'ipv6' : 'ipv4';
  // lsof prints a link-local address in the kernel's KAME form (`fe80:5::1`): keep it as `fe80::1%5`.
  const address = endpoint.host === '*' ? (family === 'ipv6' ? '::' : '0.0.0.0') : withZone(endpoint.host);
  const owner = { pid, process: command, command: '' };
  const socket: ListeningSocket = {
    protocol,
    family,
    address,
    port: endpoint.port,
    ownerVisible: true,
    owners: [owner],
    pid,
    process: command,
    command: '',
    connections: { established: 0, timeWait: 0, closeWait: 0 },
  };
  if (uid !== undefined) {
    socket.uid = uid;
  }
  const proxy = containerProxyKind(command);
  if (proxy) {
    socket.proxy = proxy;
  }
  return socket;
}

/** `127.0.0.1:80`, `*:80`, `[::1]:80`, `[fe80::1%lo0]:80` -> host and port. */
export function splitHostPort(text: string): { host: string; port: number } | undefined {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) {
    return undefined;
  }
  let host = text.slice(0, colon);
  const portText = text.slice(colon + 1);
  if (!/^\d{1,5}$/.test(portText)) {
    return undefined;
  }
  const port = Number(portText);
  if (!isValidPort(port)) {
    return undefined;
  }
  if (host.startsWith('[') && host.endsWith(']')) {
    host = host.slice(1, -1);
  }
  return { host, port };
}

/** Runs lsof with a timeout; lsof exits 1 when nothing matched, which is not an error. */
export function runLsof(timeoutMs = 5000): Promise<string> {
  return runTool('lsof', lsofArguments, timeoutMs, [1]);
}

export function runTool(
  file: string,
  args: string[],
  timeoutMs: number,
  okExitCodes: number[] = [],
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, windowsHide: true, encoding: 'utf8' },
      (error, stdout) => {
        const code = error && typeof error.code === 'number' ? error.code : undefined;
        if (error && !(code !== undefined && okExitCodes.includes(code))) {
          const missing = error.code === 'ENOENT';
          reject(
            new Error(missing ? `${file} is not installed or not on PATH` : `${file}: ${error.message}`),
          );
        } else {
          resolve(stdout);
        }
      },
    );
  });
}
