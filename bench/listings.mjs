// Every way of listing this machine's listening sockets that the bench compares, each turned
// into the same shape: [{ protocol, address, port, pid, process }] (pid/process null when the
// method does not tell). Tools are spawned with argument arrays and timed from spawn to exit.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

/** Absolute path of an executable on PATH (or in the sbin folders netstat hides in), or undefined. */
export function findExecutable(name) {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs) {
    if (!dir) {
      continue;
    }
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Runs a program to completion; resolves with its stdout, exit code and wall time. */
export function runTimed(file, args, { timeoutMs = 120_000, env, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env, cwd });
    const chunks = [];
    const errors = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => errors.push(c));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      if (signal === 'SIGKILL') {
        reject(new Error(`${path.basename(file)} timed out after ${timeoutMs} ms`));
        return;
      }
      resolve({
        ms,
        code,
        stdout: Buffer.concat(chunks).toString('utf8'),
        stderr: Buffer.concat(errors).toString('utf8'),
      });
    });
  });
}

/** `127.0.0.1:80`, `[::1]:80`, `::1:80`, `127.0.0.53%lo:53`, `*:22` -> { address, port }. */
export function splitEndpoint(text) {
  const colon = text.lastIndexOf(':');
  if (colon < 0) {
    return undefined;
  }
  const port = Number(text.slice(colon + 1));
  let address = text.slice(0, colon);
  if (address.startsWith('[') && address.endsWith(']')) {
    address = address.slice(1, -1);
  }
  const percent = address.indexOf('%');
  if (percent >= 0) {
    address = address.slice(0, percent);
  }
  return Number.isInteger(port) ? { address, port } : undefined;
}

/** `ss -H...` rows; the Netid column is only there when more than one protocol was asked for. */
export function parseSs(stdout, defaultProtocol = 'tcp') {
  const rows = [];
  for (const line of stdout.split('\n')) {
    const cells = line.trim().split(/\s+/);
    if (cells.length < 4) {
      continue;
    }
    let protocol = defaultProtocol;
    if (cells[0] === 'tcp' || cells[0] === 'udp') {
      protocol = cells.shift();
    }
    const endpoint = splitEndpoint(cells[3]);
    if (!endpoint) {
      continue;
    }
    const users = /users:\(\("((?:[^"\\]|\\.)*)",pid=(\d+)/.exec(line);
    rows.push({
      protocol,
      ...endpoint,
      pid: users ? Number(users[2]) : null,
      process: users ? users[1] : null,
    });
  }
  return rows;
}

/** `netstat -tlnp` rows: Proto Recv-Q Send-Q Local Foreign State PID/Program. */
export function parseNetstat(stdout) {
  const rows = [];
  for (const line of stdout.split('\n')) {
    const cells = line.trim().split(/\s+/);
    if (!/^(tcp|udp)6?$/.test(cells[0]) || cells.length < 6) {
      continue;
    }
    const endpoint = splitEndpoint(cells[3]);
    if (!endpoint) {
      continue;
    }
    const owner = /^(\d+)\/(.*)$/.exec(cells.slice(6).join(' '));
    rows.push({
      protocol: cells[0].slice(0, 3),
      ...endpoint,
      pid: owner ? Number(owner[1]) : null,
      process: owner ? owner[2] : null,
    });
  }
  return rows;
}

/** `lsof -nP -iTCP -sTCP:LISTEN` columns; one row per fd, so a shared socket repeats. */
export function parseLsof(stdout) {
  const rows = [];
  for (const line of stdout.split('\n').slice(1)) {
    const cells = line.trim().split(/\s+/);
    if (cells.length < 9) {
      continue;
    }
    const name = cells[cells.length - 1] === '(LISTEN)' ? cells[cells.length - 2] : cells[cells.length - 1];
    const endpoint = splitEndpoint(name);
    if (!endpoint) {
      continue;
    }
    const protocol = cells.includes('UDP') ? 'udp' : 'tcp';
    rows.push({ protocol, ...endpoint, pid: Number(cells[1]), process: cells[0] });
  }
  return rows;
}

/** `portolan ls --json` objects. */
export function parsePortolanJson(stdout) {
  return JSON.parse(stdout).map((s) => ({
    protocol: s.protocol,
    address: s.address,
    port: s.port,
    pid: s.pid ?? null,
    process: s.process ?? null,
  }));
}

/**
 * The command-line methods. `needs` is the executable that must exist; `args` are fixed.
 * `cli` is the path of Portolan's bundled CLI.
 */
export function commandMethods(cli) {
  return [
    { id: 'ss-tln', label: 'ss -Htln', needs: 'ss', args: ['-Htln'], parse: (o) => parseSs(o), pids: false },
    {
      id: 'ss-tlnup',
      label: 'ss -Htlnup',
      needs: 'ss',
      args: ['-Htlnup'],
      parse: (o) => parseSs(o),
      pids: true,
    },
    {
      id: 'netstat',
      label: 'netstat -tlnp',
      needs: 'netstat',
      args: ['-tlnp'],
      parse: parseNetstat,
      pids: true,
    },
    {
      id: 'lsof',
      label: 'lsof -nP -iTCP -sTCP:LISTEN',
      needs: 'lsof',
      args: ['-nP', '-iTCP', '-sTCP:LISTEN'],
      parse: parseLsof,
      pids: true,
      // lsof exits 1 when it finds nothing; that is an empty list, not a failure.
      okCodes: [0, 1],
    },
    {
      // Not a listing: the floor any Node CLI pays before its first line of code.
      id: 'node-bare',
      label: 'node -e 0 (bare Node start-up, lists nothing)',
      needs: process.execPath,
      args: ['-e', '0'],
      pids: false,
    },
    {
      id: 'portolan-cold',
      label: 'portolan ls --json (cold, new process)',
      needs: process.execPath,
      args: [cli, 'ls', '--json'],
      parse: parsePortolanJson,
      pids: true,
    },
  ];
}

/** The npm libraries users reach for, called in this process (module load excluded). */
export async function libraryMethods() {
  const methods = [];
  try {
    const imported = await import('find-process');
    const find = imported.default?.default ?? imported.default;
    methods.push({
      id: 'find-process',
      label: "find-process ('port', p): one port",
      onePort: true,
      call: async (probe) => {
        const list = await find('port', probe.port);
        return list.map((p) => ({
          protocol: 'tcp',
          address: probe.address,
          port: probe.port,
          pid: p.pid,
          process: p.name,
        }));
      },
    });
  } catch (error) {
    methods.push({
      id: 'find-process',
      label: 'find-process',
      missing: `not installed (${error.code ?? error.message})`,
    });
  }
  try {
    const { allPortsWithPid, portToPid } = await import('pid-port');
    methods.push({
      id: 'pid-port-all',
      label: "pid-port allPortsWithPid({host:'*'})",
      portsOnly: true,
      call: async () => {
        const map = await allPortsWithPid({ host: '*' });
        return [...map].map(([port, pid]) => ({ protocol: 'tcp?', address: null, port, pid, process: null }));
      },
    });
    methods.push({
      id: 'pid-port-one',
      label: 'pid-port portToPid(p): one port',
      onePort: true,
      call: async (probe) => {
        const pid = await portToPid({ port: probe.port, host: probe.address });
        return pid ? [{ protocol: 'tcp', address: probe.address, port: probe.port, pid, process: null }] : [];
      },
    });
  } catch (error) {
    methods.push({
      id: 'pid-port-all',
      label: 'pid-port',
      missing: `not installed (${error.code ?? error.message})`,
    });
  }
  try {
    const imported = await import('systeminformation');
    const si = imported.default ?? imported;
    methods.push({
      id: 'systeminformation',
      label: 'systeminformation networkConnections()',
      call: async () => {
        const all = await si.networkConnections();
        return all
          .filter((c) => c.state === 'LISTEN')
          .map((c) => ({
            protocol: String(c.protocol).slice(0, 3),
            address: c.localAddress,
            port: Number(c.localPort),
            pid: c.pid ?? null,
            process: c.process || null,
          }));
      },
    });
  } catch (error) {
    methods.push({
      id: 'systeminformation',
      label: 'systeminformation',
      missing: `not installed (${error.code ?? error.message})`,
    });
  }
  return methods;
}
