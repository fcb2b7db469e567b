// Section 1: listening sockets with pid and process name, Portolan against the tools and
// libraries users reach for, at several socket counts, with a check that every method saw the
// same sockets.
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandMethods, findExecutable, libraryMethods, parseSs, runTimed } from './listings.mjs';
import { openSocketFarm } from './sockets.mjs';
import { median, summarize } from './stats.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

const key = (protocol, address, port) => `${protocol}|${address}|${port}`;

/** Rows in /proc/net/tcp + tcp6: every TCP socket on the machine, which is what /proc readers pay for. */
function procNetTcpRows() {
  let rows = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      rows += readFileSync(file, 'latin1').split('\n').length - 2;
    } catch {
      // no IPv6
    }
  }
  return rows;
}

/**
 * How much of the farm a method found: each bench TCP listener (and UDP socket, where the
 * method lists UDP) by protocol, address and port, and whether the pid and name are right.
 */
export function checkAgainstFarm(rows, expected, { portsOnly = false, onePort } = {}) {
  const byKey = new Map();
  const byPort = new Map();
  for (const row of rows) {
    const list = byKey.get(key(row.protocol, row.address, row.port)) ?? [];
    list.push(row);
    byKey.set(key(row.protocol, row.address, row.port), list);
    byPort.set(row.port, [...(byPort.get(row.port) ?? []), row]);
  }
  const targets = onePort ? [onePort] : expected;
  const check = { tcpExpected: 0, tcpFound: 0, pidRight: 0, nameRight: 0, namesGiven: false, udpExpected: 0, udpFound: 0 };
  for (const socket of targets) {
    const hits = portsOnly ? (byPort.get(socket.port) ?? []) : (byKey.get(key(socket.protocol, socket.address, socket.port)) ?? []);
    if (socket.protocol === 'udp') {
      check.udpExpected++;
      if (hits.length > 0) {
        check.udpFound++;
      }
      continue;
    }
    check.tcpExpected++;
    if (hits.length === 0) {
      continue;
    }
    check.tcpFound++;
    if (hits.some((h) => h.pid === socket.pid)) {
      check.pidRight++;
    }
    if (hits.some((h) => h.process !== null)) {
      check.namesGiven = true;
    }
    if (hits.some((h) => h.process === 'node')) {
      check.nameRight++;
    }
  }
  return check;
}

/**
 * The machine's TCP listening ports per `ss -Htln`, taken right after a method ran: other
 * programs open and close listeners all the time, so a reference from minutes earlier would
 * blame the method for their churn.
 */
async function referencePorts() {
  const ss = findExecutable('ss');
  if (!ss) {
    return undefined;
  }
  try {
    const run = await runTimed(ss, ['-Htln']);
    return run.code === 0 ? tcpPorts(parseSs(run.stdout)) : undefined;
  } catch {
    return undefined;
  }
}

/** TCP listening ports this method reported, for the machine-wide comparison with `ss -Htln`. */
function tcpPorts(rows) {
  return new Set(rows.filter((r) => r.protocol === 'tcp' || r.protocol === 'tcp?').map((r) => r.port));
}

function comparePortSets(ports, reference) {
  let missing = 0;
  let extra = 0;
  for (const p of reference) {
    if (!ports.has(p)) {
      missing++;
    }
  }
  for (const p of ports) {
    if (!reference.has(p)) {
      extra++;
    }
  }
  return { ports: ports.size, missingVsSs: missing, extraVsSs: extra };
}

async function timeCommand(method, runs) {
  const file = method.needs.startsWith('/') ? method.needs : findExecutable(method.needs);
  if (!file) {
    return { missing: `${method.needs} not installed` };
  }
  const okCodes = method.okCodes ?? [0];
  const times = [];
  let last;
  // One untimed run first: it warms the page cache and the dentry cache like a second use does.
  for (let i = 0; i <= runs; i++) {
    const result = await runTimed(file, method.args);
    if (!okCodes.includes(result.code)) {
      return { error: `exit ${result.code}: ${result.stderr.trim().slice(0, 300)}` };
    }
    if (i > 0) {
      times.push(result.ms);
    }
    last = result;
  }
  return { times, rows: method.parse(last.stdout), stderr: last.stderr.trim().slice(0, 300) };
}

async function timeLibrary(method, runs, probe) {
  const times = [];
  let rows = [];
  for (let i = 0; i <= runs; i++) {
    const started = performance.now();
    rows = await method.call(probe);
    if (i > 0) {
      times.push(performance.now() - started);
    }
  }
  return { times, rows };
}

async function runWarmChild(runs, workerPath) {
  const result = await runTimed(process.execPath, [path.join(here, 'warm.mjs'), String(runs), workerPath], {
    timeoutMs: 300_000,
  });
  const parsed = JSON.parse(result.stdout || '{}');
  if (parsed.error || result.code !== 0) {
    throw new Error(parsed.error ?? `warm.mjs exit ${result.code}: ${result.stderr.slice(0, 300)}`);
  }
  return parsed;
}

/**
 * Measures every method at each socket count. `cli` and `workerPath` are the shipped bundles;
 * `systemBuilt` says whether bench/.build/system.cjs exists.
 */
export async function measureLiveSockets({ sizes, runsFor, cli, workerPath, systemBuilt, cliBuilt, log }) {
  const libraries = await libraryMethods();
  const results = [];
  for (const n of sizes) {
    const runs = runsFor(n);
    log(`\n[sockets] N=${n}: opening ${n} TCP listeners + ${n} connections + ${Math.ceil(n / 10)} UDP over 100 processes...`);
    const openedAt = performance.now();
    let farm;
    try {
      farm = await openSocketFarm({ listeners: n, processes: 100 });
    } catch (error) {
      // Too few ephemeral ports or fds at this N: say so and go on with the other sizes.
      log(`[sockets] N=${n}: could not open the sockets: ${error.message}`);
      results.push({ n, error: `could not open ${n} listeners: ${error.message}`, methods: [] });
      continue;
    }
    const entry = {
      n,
      farm: {
        tcpListeners: farm.expected.filter((s) => s.protocol === 'tcp').length,
        tcpOnIpv6: farm.expected.filter((s) => s.protocol === 'tcp' && s.family === 'ipv6').length,
        establishedConnections: farm.expected.filter((s) => s.protocol === 'tcp').length,
        udpSockets: farm.expected.filter((s) => s.protocol === 'udp').length,
        processes: farm.pids.length,
        openMs: Math.round(performance.now() - openedAt),
      },
      loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
      machineTcpSockets: procNetTcpRows(),
      runs,
      methods: [],
    };
    log(`[sockets] N=${n}: farm ready in ${entry.farm.openMs} ms; ${runs} timed runs per method`);
    const record = async (method) => {
      if (method.rows && !method.onePort) {
        method.reference = await referencePorts();
      }
      entry.methods.push(method);
    };
    try {
      const probe = farm.expected.find((s) => s.protocol === 'tcp' && s.address === '127.0.0.1');
      for (const method of commandMethods(cli)) {
        if (method.id === 'portolan-cold' && !cliBuilt) {
          entry.methods.push({ id: method.id, label: method.label, kind: 'process', missing: 'dist/cli.js not built' });
          continue;
        }
        log(`[sockets] N=${n}: ${method.label}`);
        const measured = await timeCommand(method, runs).catch((error) => ({ error: String(error.message ?? error) }));
        await record({ id: method.id, label: method.label, kind: 'process', pidsExpected: method.pids, ...measured });
      }
      if (systemBuilt) {
        log(`[sockets] N=${n}: Portolan warm (SocketReader in-process, then the worker service)`);
        try {
          const warm = await runWarmChild(runs, workerPath);
          await record({
            id: 'portolan-warm-reader',
            label: 'Portolan SocketReader.snapshot() (warm, in-process)',
            kind: 'in-process',
            pidsExpected: true,
            times: warm.readerMs,
            firstMs: warm.readerFirstMs,
            freshReaderMs: warm.freshReaderMs,
            rows: warm.sockets,
          });
          await record({
            id: 'portolan-warm-listeners-only',
            label: 'Portolan SocketReader, connections recounted hourly (warm, in-process)',
            kind: 'in-process',
            pidsExpected: true,
            times: warm.listenersOnlyMs,
            rows: warm.listenersOnlySockets,
            note: 'connectionsMaxAgeMs: between recounts only the listening part of the TCP tables is read',
          });
          await record({
            id: 'portolan-warm-service',
            label: `Portolan createSocketService().refresh() (warm, ${warm.serviceMode})`,
            kind: 'in-process',
            pidsExpected: true,
            times: warm.serviceMs,
            firstMs: warm.serviceFirstMs,
            mode: warm.serviceMode,
            rows: warm.sockets,
            note: `socket count from the worker ${warm.serviceSocketCount}; time inside the worker ${warm.serviceWorkerDurationMs?.toFixed(1)} ms`,
          });
        } catch (error) {
          entry.methods.push({ id: 'portolan-warm-reader', label: 'Portolan warm', kind: 'in-process', error: String(error.message ?? error) });
        }
      } else {
        entry.methods.push({ id: 'portolan-warm-reader', label: 'Portolan warm', kind: 'in-process', missing: 'bench/.build/system.cjs did not build' });
      }
      for (const method of libraries) {
        if (method.missing) {
          entry.methods.push({ id: method.id, label: method.label, kind: 'library', missing: method.missing });
          continue;
        }
        log(`[sockets] N=${n}: ${method.label}`);
        const measured = await timeLibrary(method, runs, probe).catch((error) => ({ error: String(error.message ?? error) }));
        await record({
          id: method.id,
          label: method.label,
          kind: 'library',
          pidsExpected: true,
          portsOnly: method.portsOnly,
          onePort: method.onePort ? probe : undefined,
          ...measured,
        });
      }
    } finally {
      await farm.close();
    }

    const floor = entry.methods.find((m) => m.id === 'ss-tln' && m.times);
    const withPids = entry.methods.find((m) => m.id === 'ss-tlnup' && m.times);
    for (const m of entry.methods) {
      if (m.times) {
        Object.assign(m, summarize(m.times));
        if (withPids) {
          m.ratioToSsTlnup = m.medianMs / median(withPids.times);
        }
        if (floor) {
          m.ratioToSsTln = m.medianMs / median(floor.times);
        }
      }
      if (m.rows) {
        m.check = checkAgainstFarm(m.rows, farm.expected, { portsOnly: m.portsOnly, onePort: m.onePort });
        if (m.reference) {
          m.portSet = comparePortSets(tcpPorts(m.rows), m.reference);
        }
        delete m.reference;
        m.rowCount = m.rows.length;
        delete m.rows;
      }
    }
    entry.loadAverageAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
    results.push(entry);
  }
  return results;
}
