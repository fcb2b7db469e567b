// The socket farm: N listening TCP sockets on loopback (most on 127.0.0.1, some on ::1), one
// established loopback connection into each, and some bound UDP sockets, held by ~100 child
// processes so that mapping sockets to pids costs what it costs on a busy machine.
// Loopback only; counts and lifetime are bounded; `close()` tears everything down.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const HOLDER = path.join(here, 'socketHolder.mjs');

/** Highest N the farm agrees to build; the ephemeral range must hold listeners and clients. */
export const MAX_LISTENERS = 12000;

// A fixed script: raise the fd limit as far as allowed, then become the node child.
// Only numbers and the holder's own path are passed, as positional arguments.
const RAISE_FD_LIMIT = 'ulimit -n 70000 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"';

function bashPath() {
  for (const candidate of ['/bin/bash', '/usr/bin/bash']) {
    if (existsSync(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

/** Splits `total` into `parts` near-equal whole numbers. */
function spread(total, parts) {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

function startHolder(counts, ttlSeconds) {
  const args = [HOLDER, ...counts.map(String), String(ttlSeconds)];
  const bash = bashPath();
  // Without BASH_ENV/ENV the shell reads no start-up file: nothing but the fixed script runs.
  const env = { ...process.env };
  delete env.BASH_ENV;
  delete env.ENV;
  const child = bash
    ? spawn(bash, ['--norc', '--noprofile', '-c', RAISE_FD_LIMIT, process.execPath, ...args], {
        stdio: ['pipe', 'pipe', 'inherit'],
        env,
      })
    : spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('socket holder did not report within 120 s')), 120_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline < 0) {
        return;
      }
      clearTimeout(timer);
      const report = JSON.parse(buffered.slice(0, newline));
      if (report.error) {
        reject(new Error(`socket holder ${report.pid}: ${report.error}`));
      } else {
        resolve(report);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`socket holder exited early (code ${code})`));
    });
  });
  return { child, ready };
}

/**
 * Opens the farm. `listeners` TCP listeners (a tenth of them on ::1), as many established
 * connections, and `udp` bound UDP sockets (half on ::1), spread over `processes` children.
 * A child holding thousands of listeners may connect only as many as its fd limit allows
 * (each socket's `connected` says whether it got one).
 * Resolves to the sockets each child holds (with its pid) and a `close()`.
 */
export async function openSocketFarm({
  listeners,
  processes = 100,
  udp = Math.ceil(listeners / 10),
  ttlSeconds = 900,
}) {
  if (!Number.isInteger(listeners) || listeners < 0 || listeners > MAX_LISTENERS) {
    throw new Error(`listeners must be an integer from 0 to ${MAX_LISTENERS}`);
  }
  const tcp6Total = Math.round(listeners / 10);
  const tcp4 = spread(listeners - tcp6Total, processes);
  const tcp6 = spread(tcp6Total, processes);
  const udp6Total = Math.floor(udp / 2);
  const udp4 = spread(udp - udp6Total, processes);
  const udp6 = spread(udp6Total, processes);

  const holders = [];
  const reports = [];
  const close = async () => {
    await Promise.all(
      holders.map(
        ({ child }) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) {
              resolve();
              return;
            }
            const force = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => {
              clearTimeout(force);
              resolve();
            });
            child.stdin.end();
          }),
      ),
    );
  };
  try {
    // A few at a time: a hundred node start-ups at once only thrash a small machine.
    for (let i = 0; i < processes; i += 10) {
      const batch = [];
      for (let j = i; j < Math.min(processes, i + 10); j++) {
        const holder = startHolder([tcp4[j], tcp6[j], udp4[j], udp6[j]], ttlSeconds);
        holders.push(holder);
        batch.push(holder.ready);
      }
      reports.push(...(await Promise.all(batch)));
    }
  } catch (error) {
    await close();
    throw error;
  }
  const expected = reports.flatMap((report) => report.sockets.map((s) => ({ ...s, pid: report.pid })));
  return { expected, pids: reports.map((r) => r.pid), close };
}
