// Section 1: listening sockets with pid and process name, Portolan against the tools and
// libraries users reach for, at several socket counts, with a check that every method saw the
// same sockets.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandMethods, findExecutable, libraryMethods, parseSs, runTimed } from './listings.mjs';
import { profiledRun } from './profileSummary.mjs';
import { openSocketFarm } from './sockets.mjs';
import { median, summarize } from './stats.mjs';
import { performance } from 'node:perf_hooks';

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
  const check = {
    tcpExpected: 0,
    tcpFound: 0,
    pidRight: 0,
    nameRight: 0,
    namesGiven: false,
    udpExpected: 0,
    udpFound: 0,
  };
  for (const socket of targets) {
    const hits = portsOnly
      ? (byPort.get(socket.port) ?? [])
      : (byKey.get(key(socket.protocol, socket.address, socket.port)) ?? []);
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

/** The warm-refresh child (warm.mjs), asked for one round at a time. */
class WarmChild {
  constructor(workerPath) {
    this.child = spawn(process.execPath, [path.join(here, 'warm.mjs'), workerPath], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.buffered = '';
    this.waiting = [];
    this.stderr = '';
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk) => {
      this.buffered += chunk;
      let newline;
      while ((newline = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, newline);
        this.buffered = this.buffered.slice(newline + 1);
        this.waiting.shift()?.resolve(JSON.parse(line));
      }
    });
    this.child.stderr.on('data', (chunk) => {
      this.stderr += chunk;
    });
    this.child.on('exit', (code) => {
      for (const waiter of this.waiting.splice(0)) {
        waiter.reject(
          new Error(`warm.mjs exited (code ${code}): ${this.stderr.trim().split('\n').slice(-3).join(' ')}`),
        );
      }
    });
  }

  next(request) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('warm.mjs did not answer within 300 s')), 300_000);
      this.waiting.push({
        resolve: (value) => {
          clearTimeout(timer);
          if (value.error) {
            reject(new Error(value.error));
          } else {
            resolve(value);
          }
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      if (request) {
        this.child.stdin.write(request + '\n');
      }
    });
  }

  close() {
    this.child.stdin.end();
  }
}

/**
 * One participant per method (the warm child is one participant with three timing series).
 * `once(timed)` runs it once; rows are collected from the last run.
 */
function commandParticipant(method, entry) {
  const file = method.needs.startsWith('/') ? method.needs : findExecutable(method.needs);
  const record = {
    id: method.id,
    label: method.label,
    kind: 'process',
    pidsExpected: method.pids,
    times: [],
  };
  entry.methods.push(record);
  if (!file) {
    record.missing = `${method.needs} not installed`;
    delete record.times;
    return undefined;
  }
  const okCodes = method.okCodes ?? [0];
  return {
    records: [record],
    async once(timed, last) {
      const result = await runTimed(file, method.args);
      if (!okCodes.includes(result.code)) {
        throw new Error(`exit ${result.code}: ${result.stderr.trim().slice(0, 300)}`);
      }
      if (timed) {
        record.times.push(result.ms);
      }
      if (last && method.parse) {
        record.rows = method.parse(result.stdout);
        if (result.stderr.trim()) {
          record.stderr = result.stderr.trim().slice(0, 300);
        }
      }
    },
  };
}

function libraryParticipant(method, entry, probe) {
  const record = {
    id: method.id,
    label: method.label,
    kind: 'library',
    pidsExpected: true,
    portsOnly: method.portsOnly,
    onePort: method.onePort ? probe : undefined,
    times: [],
  };
  entry.methods.push(record);
  return {
    records: [record],
    async once(timed, last) {
      const started = performance.now();
      const rows = await method.call(probe);
      if (timed) {
        record.times.push(performance.now() - started);
      }
      if (last) {
        record.rows = rows;
      }
    },
  };
}

async function warmParticipant(entry, workerPath) {
  const reader = {
    id: 'portolan-warm-reader',
    label: 'Portolan SocketReader.snapshot() (warm, in-process)',
    kind: 'in-process',
    pidsExpected: true,
    times: [],
  };
  const listenersOnly = {
    id: 'portolan-warm-listeners-only',
    label: 'Portolan SocketReader, connections recounted hourly (warm, in-process)',
    kind: 'in-process',
    pidsExpected: true,
    times: [],
    note: 'connectionsMaxAgeMs: between recounts only the listening part of the TCP tables is read',
  };
  const service = {
    id: 'portolan-warm-service',
    label: 'Portolan createSocketService().refresh() (warm)',
    kind: 'in-process',
    pidsExpected: true,
    times: [],
  };
  entry.methods.push(reader, listenersOnly, service);
  const child = new WarmChild(workerPath);
  const ready = await child.next();
  reader.firstMs = ready.readerFirstMs;
  reader.freshReaderMs = ready.freshReaderMs;
  listenersOnly.firstMs = ready.listenersOnlyFirstMs;
  service.firstMs = ready.serviceFirstMs;
  service.mode = ready.serviceMode;
  service.label = `Portolan createSocketService().refresh() (warm, ${ready.serviceMode})`;
  service.innerMs = [];
  return {
    records: [reader, listenersOnly, service],
    async once(timed, last) {
      const round = await child.next('round');
      if (timed) {
        reader.times.push(round.readerMs);
        listenersOnly.times.push(round.listenersOnlyMs);
        service.times.push(round.serviceMs);
        service.innerMs.push(round.serviceInnerMs);
      }
      if (last) {
        const rows = await child.next('rows');
        reader.rows = rows.reader;
        listenersOnly.rows = rows.listenersOnly;
        service.rows = rows.service;
      }
    },
    close: () => child.close(),
  };
}

/**
 * Measures every method at each socket count. `cli` and `workerPath` are the shipped bundles;
 * `systemBuilt` says whether bench/.build/system.cjs exists. Methods take turns run by run, in
 * a rotating order, so that a shared machine's changing load falls on all of them alike.
 */
/** Methods timed in the one-process shape: the anchors and the cold CLI. */
const ONE_PROCESS_METHODS = new Set(['ss-tln', 'ss-tlnup', 'node-bare', 'portolan-cold']);

export async function measureLiveSockets({
  sizes,
  onePerProcess = [],
  runsFor,
  cli,
  workerPath,
  systemBuilt,
  cliBuilt,
  log,
}) {
  const libraries = await libraryMethods();
  const results = [];
  const shapes = [
    ...sizes.map((n) => ({ n, processes: 100 })),
    ...onePerProcess.map((n) => ({ n, processes: 1 })),
  ];
  for (const { n, processes } of shapes) {
    const runs = runsFor(n);
    const full = processes > 1;
    log(
      `\n[sockets] N=${n}: opening ${n} TCP listeners + up to ${n} connections + ${Math.ceil(n / 10)} UDP in ${processes} process${processes === 1 ? '' : 'es'}...`,
    );
    const openedAt = performance.now();
    let farm;
    try {
      farm = await openSocketFarm({ listeners: n, processes });
    } catch (error) {
      // Too few ephemeral ports or fds at this N: say so and go on with the other sizes.
      log(`[sockets] N=${n}: could not open the sockets: ${error.message}`);
      results.push({ n, processes, error: `could not open ${n} listeners: ${error.message}`, methods: [] });
      continue;
    }
    const entry = {
      n,
      processes,
      farm: {
        tcpListeners: farm.expected.filter((s) => s.protocol === 'tcp').length,
        tcpOnIpv6: farm.expected.filter((s) => s.protocol === 'tcp' && s.family === 'ipv6').length,
        establishedConnections: farm.expected.filter((s) => s.protocol === 'tcp' && s.connected !== false)
          .length,
        udpSockets: farm.expected.filter((s) => s.protocol === 'udp').length,
        processes: farm.pids.length,
        openMs: Math.round(performance.now() - openedAt),
      },
      loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
      machineTcpSockets: procNetTcpRows(),
      runs,
      methods: [],
    };
    log(`[sockets] N=${n}: farm ready in ${entry.farm.openMs} ms; ${runs} timed rounds`);
    const participants = [];
    try {
      const probe = farm.expected.find((s) => s.protocol === 'tcp' && s.address === '127.0.0.1');
      for (const method of commandMethods(cli)) {
        if (!full && !ONE_PROCESS_METHODS.has(method.id)) {
          continue;
        }
        if (method.id === 'portolan-cold' && !cliBuilt) {
          entry.methods.push({
            id: method.id,
            label: method.label,
            kind: 'process',
            missing: 'dist/cli.js not built',
          });
          continue;
        }
        const participant = commandParticipant(method, entry);
        if (participant) {
          participants.push(participant);
        }
      }
      if (!full) {
        // The one-process shape is about the cold CLI: no warm readers or libraries.
      } else if (systemBuilt) {
        try {
          participants.push(await warmParticipant(entry, workerPath));
        } catch (error) {
          entry.methods.push({
            id: 'portolan-warm-reader',
            label: 'Portolan warm',
            kind: 'in-process',
            error: String(error.message ?? error),
          });
        }
      } else {
        entry.methods.push({
          id: 'portolan-warm-reader',
          label: 'Portolan warm',
          kind: 'in-process',
          missing: 'bench/.build/system.cjs did not build',
        });
      }
      for (const method of full ? libraries : []) {
        if (method.missing) {
          entry.methods.push({
            id: method.id,
            label: method.label,
            kind: 'library',
            missing: method.missing,
          });
        } else {
          participants.push(libraryParticipant(method, entry, probe));
        }
      }

      const failed = new Set();
      const attempt = async (participant, timed, last) => {
        if (failed.has(participant)) {
          return;
        }
        try {
          await participant.once(timed, last);
        } catch (error) {
          failed.add(participant);
          for (const record of participant.records) {
            record.error = String(error.message ?? error);
          }
        }
      };
      // One untimed round first: page cache, dentries, JIT and module loading, as on a second use.
      log(`[sockets] N=${n}: warm-up round`);
      for (const participant of participants) {
        await attempt(participant, false, false);
      }
      for (let round = 0; round < runs; round++) {
        log(`[sockets] N=${n}: round ${round + 1}/${runs}`);
        const last = round === runs - 1;
        for (let i = 0; i < participants.length; i++) {
          const participant = participants[(i + round) % participants.length];
          await attempt(participant, true, last);
          if (last && !failed.has(participant)) {
            const reference = await referencePorts();
            for (const record of participant.records) {
              if (record.rows && !record.onePort) {
                record.reference = reference;
              }
            }
          }
        }
      }
      // Where the cold CLI's time goes at this size, for the notes on the target it is held to.
      if (cliBuilt && participants.length > 0) {
        entry.coldProfileTop = await profiledRun(cli, ['ls', '--json'], { timeoutMs: 120_000 });
      }
    } finally {
      for (const participant of participants) {
        participant.close?.();
      }
      await farm.close();
    }

    const floor = entry.methods.find((m) => m.id === 'ss-tln' && m.times?.length);
    const withPids = entry.methods.find((m) => m.id === 'ss-tlnup' && m.times?.length);
    const bareNode = entry.methods.find((m) => m.id === 'node-bare' && m.times?.length);
    for (const m of entry.methods) {
      if (m.error) {
        delete m.times;
        delete m.rows;
      }
      if (m.times?.length) {
        Object.assign(m, summarize(m.times));
        if (withPids) {
          m.ratioToSsTlnup = m.medianMs / median(withPids.times);
        }
        if (floor) {
          m.ratioToSsTln = m.medianMs / median(floor.times);
        }
        if (bareNode) {
          m.ratioToBareNode = m.medianMs / median(bareNode.times);
        }
      }
      if (m.innerMs) {
        m.medianInnerMs = median(m.innerMs);
      }
      if (m.rows) {
        m.check = checkAgainstFarm(m.rows, farm.expected, { portsOnly: m.portsOnly, onePort: m.onePort });
        if (m.reference) {
          m.portSet = comparePortSets(tcpPorts(m.rows), m.reference);
        }
        m.rowCount = m.rows.length;
      }
      delete m.reference;
      delete m.rows;
    }
    entry.loadAverageAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
    results.push(entry);
  }
  return results;
}
