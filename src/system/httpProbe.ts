// Does a listener speak HTTP? The port number cannot say (a Python dev server on 8765, Postgres on
// 8080): ask it. One short HEAD request on loopback, answered or not within a few hundred
// milliseconds; results are kept per port and process so a row is asked once, not on every refresh.
import * as net from 'node:net';
import { isWildcardHost, unmapIpv4 } from '../model/host';

/** `http`: answers HTTP; `tls`: answers with a TLS record (an https server); `other`: anything else. */
export type HttpProbeResult = 'http' | 'tls' | 'other';

export const HTTP_PROBE_TIMEOUT_MS = 400;

/** The address to connect to for a listener bound to `address`: wildcards are reached on loopback. */
export function probeHost(address: string): string {
  if (isWildcardHost(address)) {
    return address.includes(':') ? '::1' : '127.0.0.1';
  }
  return unmapIpv4(address);
}

/**
 * Sends `HEAD / HTTP/1.0` to host:port and classifies the first bytes of the answer. Never throws:
 * a refused, silent or closed connection is `other`.
 */
export function probeHttp(
  host: string,
  port: number,
  timeoutMs: number = HTTP_PROBE_TIMEOUT_MS,
): Promise<HttpProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    let received = Buffer.alloc(0);
    const socket = net.connect({ host, port });
    const finish = (result: HttpProbeResult): void => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(classify(received)), timeoutMs);
    socket.once('connect', () => {
      const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
      socket.write(`HEAD / HTTP/1.0\r\nHost: ${authority}\r\nUser-Agent: portolan-probe\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 5) {
        finish(classify(received));
      }
    });
    socket.once('error', () => finish(classify(received)));
    socket.once('close', () => finish(classify(received)));
  });
}

/** `HTTP/1.x ...` is HTTP; a TLS record header (content type 20–23, version 3.x) is an https server. */
export function classify(answer: Buffer): HttpProbeResult {
  if (answer.subarray(0, 5).toString('latin1') === 'HTTP/') {
    return 'http';
  }
  if (answer.length >= 3 && answer[0]! >= 0x14 && answer[0]! <= 0x17 && answer[1] === 0x03) {
    return 'tls';
  }
  return 'other';
}

export interface HttpProbeTarget {
  address: string;
  port: number;
  pid?: number;
}

export interface HttpProbesOptions {
  probe?: (host: string, port: number) => Promise<HttpProbeResult>;
  /** Probes in flight at once. */
  concurrency?: number;
  /** Called after results arrive (batched per drain), so views can show them. */
  onResults?: () => void;
  /** Results kept at most; the oldest go first. */
  maxEntries?: number;
  /**
   * Whether to ask this listener at all; `other` without a connection when not. The extension skips
   * its own process and ports whose well-known use is no web server (a database logs every probe).
   */
  shouldProbe?: (target: HttpProbeTarget) => boolean;
}

/**
 * Probe results per port and process. `get` answers from the cache, or undefined while the probe
 * runs (it starts one); a new process on the same port is asked again.
 */
export class HttpProbes {
  private readonly results = new Map<string, HttpProbeResult>();
  private readonly queued = new Map<string, HttpProbeTarget>();
  private readonly pending = new Map<string, Promise<HttpProbeResult>>();
  private running = 0;
  private readonly probe: (host: string, port: number) => Promise<HttpProbeResult>;
  private readonly concurrency: number;
  private readonly maxEntries: number;
  private disposed = false;

  constructor(private readonly options: HttpProbesOptions = {}) {
    this.probe = options.probe ?? ((host, port) => probeHttp(host, port));
    this.concurrency = options.concurrency ?? 4;
    this.maxEntries = options.maxEntries ?? 2048;
  }

  /** The cached result, or undefined (and a probe queued) when this port and pid were not asked yet. */
  get(target: HttpProbeTarget): HttpProbeResult | undefined {
    const key = keyOf(target);
    const known = this.results.get(key);
    if (known !== undefined || this.disposed) {
      return known;
    }
    if (this.options.shouldProbe && !this.options.shouldProbe(target)) {
      this.results.set(key, 'other');
      return 'other';
    }
    if (!this.pending.has(key) && !this.queued.has(key)) {
      this.queued.set(key, target);
      this.drain();
    }
    return undefined;
  }

  /** The result, probing now (within the concurrency bound) when it is not cached. */
  async result(target: HttpProbeTarget): Promise<HttpProbeResult> {
    const key = keyOf(target);
    const known = this.results.get(key);
    if (known !== undefined) {
      return known;
    }
    this.get(target);
    return this.pending.get(key) ?? this.waitFor(key);
  }

  /** Forgets every result (a process may have started serving HTTP after a restart on the same pid). */
  clear(): void {
    this.results.clear();
  }

  dispose(): void {
    this.disposed = true;
    this.queued.clear();
  }

  private waitFor(key: string): Promise<HttpProbeResult> {
    // Queued behind the bound: resolves when its turn has run.
    return new Promise((resolve) => {
      const poll = (): void => {
        const done = this.results.get(key);
        if (done !== undefined) {
          resolve(done);
          return;
        }
        const running = this.pending.get(key);
        if (running) {
          void running.then(resolve);
          return;
        }
        if (!this.queued.has(key)) {
          resolve('other');
          return;
        }
        setTimeout(poll, 25);
      };
      poll();
    });
  }

  private drain(): void {
    while (this.running < this.concurrency && this.queued.size > 0 && !this.disposed) {
      const [key, target] = this.queued.entries().next().value as [string, HttpProbeTarget];
      this.queued.delete(key);
      this.running++;
      const run = this.probe(probeHost(target.address), target.port).catch((): HttpProbeResult => 'other');
      this.pending.set(key, run);
      void run.then((result) => {
        this.running--;
        this.pending.delete(key);
        if (this.results.size >= this.maxEntries) {
          const oldest = this.results.keys().next().value;
          if (oldest !== undefined) {
            this.results.delete(oldest);
          }
        }
        this.results.set(key, result);
        if (!this.disposed) {
          this.drain();
          if (this.running === 0) {
            this.options.onResults?.();
          }
        }
      });
    }
  }
}

function keyOf(target: HttpProbeTarget): string {
  return `${target.port}/${target.pid ?? '-'}/${target.address}`;
}
