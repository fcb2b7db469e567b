// Guard for the class "work that grows faster than its input" (issue 11): every finder of the scan
// dispatcher, the value finders it shares, every rule (through the WorkspaceIndex + runRules entry
// that `portolan check` and the extension use), the index itself and the Ports view model run on
// generated inputs at 1×, 2×, 4× and 8× their base size.
//
// These are relative growth checks, never time limits. The house rule "speed and memory targets
// live in benchmarks (`npm run bench`), never in timed tests" stands: nothing here compares a
// duration with a number of milliseconds. Each case is compared only with its own 1× run on the
// same machine a moment earlier, and fails when the 8× run costs more than SLACK × (8n·log 8n)/(n·log n)
// times the 1× run: a quadratic step costs 64×, n log n about 9×. The same holds for the heap the
// result keeps and for the size of the result (mentions, findings, related locations, messages).
//
// Robust on a loaded 2-core machine: CPU time of this process rather than wall time (other
// processes do not stretch it), a warm-up first, every sample doing the same work (the 1× input
// runs eight times per sample, the 8× once), sizes interleaved round by round, the best of three
// samples, and a case over its bound is measured again once before it fails. Timings go to stderr
// only (`mocha --reporter json` stays clean).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { DEFAULT_CONTEXT_SETTINGS, WorkspaceContext } from '../../context';
import { buildPortsModel, type Declaration } from '../../present/portsModel';
import { holdersOf } from '../../system/socketPoller';
import { runRules, STATIC_RULES, type Finding, type LiveView, type SeveritySetting } from '../../rules';
import { LIVE_RULES } from '../../rules/portInUse';
import { FINDERS, scanAs, scanText, type FileKind } from '../../scan';
import * as scanCode from '../../scan/code';
import * as composeMounts from '../../scan/composeMounts';
import * as scanAddresses from '../../scan/addresses';
import * as scanValues from '../../scan/values';
import type { ListeningSnapshot, ListeningSocket } from '../../system/types';
import { WorkspaceIndex, type IndexedFile } from '../../workspace';
import { names as serviceNames, sock, snap } from './live-fakes';

/** Sizes, as multiples of each case's base. */
const SCALES = [1, 2, 4, 8] as const;
const LARGEST = SCALES[SCALES.length - 1];
/** How far past n·log n growth a case may go before it fails (noise, GC, caches). */
const TIME_SLACK = 3;
const HEAP_SLACK = 2.5;
/** The result's size is deterministic: only rounding and log factors need room. */
const OUTPUT_SLACK = 1.5;
/** Retained heap below this is noise, not growth. */
const HEAP_FLOOR = 512 * 1024;
const ROUNDS = 3;

/** n·log2 n growth from n to scale·n. */
function nLogNGrowth(n: number, scale: number): number {
  const m = n * scale;
  return (m * Math.log2(Math.max(2, m))) / (n * Math.log2(Math.max(2, n)));
}

// A collector to measure retained heap; node's flag exposes it only to contexts made after it.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** CPU time of this process in ms: other processes on a busy machine do not stretch it as they stretch wall time. */
function cpuMs(since?: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

interface Prepared {
  /** Runs the measured work once and returns what it built; `call` differs on every call. */
  run(call: number): unknown;
  /** The input's size n (characters, claims, files, sockets), for the n·log n bound. */
  units: number;
}

interface ScalingCase {
  name: string;
  /** Builds the input at `scale` × the base size, untimed. */
  prepare(scale: number): Prepared;
  /** Deterministic size of a result (defaults to its JSON length). */
  size?: (result: unknown) => number;
}

interface Measured {
  /** CPU ms per run, best sample of the rounds, per scale. */
  cpu: number[];
  /** Wall ms per run, best sample, per scale (printed only). */
  wall: number[];
  /** Retained heap of the 1× and the 8× result. */
  heap: [number, number];
  size: number[];
}

/**
 * One sample of a scale runs its input LARGEST/scale times, so every sample does about the same
 * work and is as exposed to preemption as the others; a case is best of ROUNDS samples per scale,
 * the scales interleaved round by round.
 */
function measure(c: ScalingCase): { measured: Measured; units: number } {
  const prepared = SCALES.map((s) => c.prepare(s));
  const size = c.size ?? ((r: unknown) => JSON.stringify(r)?.length ?? 0);
  let call = 0;
  // Warm-up: the JIT and lazy tables (the port registry) load here, not in the 1× samples.
  prepared[0].run(call++);
  prepared[0].run(call++);
  prepared[1].run(call++);
  const cpu = SCALES.map(() => Infinity);
  const wall = SCALES.map(() => Infinity);
  const sizes = SCALES.map(() => 0);
  for (let round = 0; round < ROUNDS; round++) {
    prepared.forEach((p, i) => {
      const reps = LARGEST / SCALES[i];
      let result: unknown;
      const wallStart = performance.now();
      const cpuStart = process.cpuUsage();
      for (let r = 0; r < reps; r++) {
        result = p.run(call++);
      }
      cpu[i] = Math.min(cpu[i], cpuMs(cpuStart) / reps);
      wall[i] = Math.min(wall[i], (performance.now() - wallStart) / reps);
      if (round === 0) {
        sizes[i] = size(result);
      }
    });
  }
  // The heap a result keeps, for the smallest and the largest input.
  const heap = [prepared[0], prepared[prepared.length - 1]].map((p) => {
    gc();
    const before = process.memoryUsage().heapUsed;
    const result = p.run(call++);
    gc();
    const kept = process.memoryUsage().heapUsed - before;
    // Read after the measurement, so the result is still alive at it.
    return size(result) >= 0 ? Math.max(0, kept) : 0;
  });
  return { measured: { cpu, wall, heap: [heap[0], heap[1]], size: sizes }, units: prepared[0].units };
}

function fmtRow(label: string, values: number[], unit: (v: number) => string): string {
  return `${label} ${values.map(unit).join(' / ')} (×${(values[values.length - 1] / values[0]).toFixed(1)})`;
}

function problems(c: ScalingCase, m: Measured, units: number): string[] {
  const last = SCALES.length - 1;
  const growth = nLogNGrowth(units, LARGEST);
  const out: string[] = [];
  // A CPU clock ticks in milliseconds on some kernels: a 1× run below a tick counts as one.
  const timeRatio = m.cpu[last] / Math.max(m.cpu[0], 0.25);
  if (timeRatio > growth * TIME_SLACK) {
    out.push(
      `${c.name}: CPU time grew ×${timeRatio.toFixed(1)} from 1× to ${LARGEST}× (n log n allows ×${(growth * TIME_SLACK).toFixed(1)})`,
    );
  }
  const heapRatio = Math.max(m.heap[1], HEAP_FLOOR) / Math.max(m.heap[0], HEAP_FLOOR);
  if (heapRatio > growth * HEAP_SLACK) {
    out.push(
      `${c.name}: retained heap grew ×${heapRatio.toFixed(1)} (allowed ×${(growth * HEAP_SLACK).toFixed(1)})`,
    );
  }
  const sizeRatio = Math.max(m.size[last], 1) / Math.max(m.size[0], 1);
  if (sizeRatio > growth * OUTPUT_SLACK) {
    out.push(
      `${c.name}: result size grew ×${sizeRatio.toFixed(1)} (allowed ×${(growth * OUTPUT_SLACK).toFixed(1)})`,
    );
  }
  return out;
}

function log(text: string): void {
  process.stderr.write(`      [scaling] ${text}\n`);
}

/** Measures a case, once more when it looks super-linear, and asserts it is not. */
function assertScales(c: ScalingCase): void {
  let found: string[] = [];
  for (let attempt = 1; attempt <= 2; attempt++) {
    const { measured, units } = measure(c);
    log(
      `${c.name} (n=${units}): ${fmtRow('cpu ms', measured.cpu, (v) => v.toFixed(1))}; ` +
        `${fmtRow('wall ms', measured.wall, (v) => v.toFixed(1))}; ` +
        `${fmtRow('heap KB', measured.heap, (v) => (v / 1024).toFixed(0))}; ${fmtRow('size', measured.size, String)}`,
    );
    found = problems(c, measured, units);
    if (found.length === 0) {
      return;
    }
    log(`${c.name}: over its bound on attempt ${attempt}: ${found.join('; ')}`);
  }
  assert.deepEqual(found, []);
}

// ---- generated inputs ----

/** A deterministic port for item `i` of a generator (spread over 1024-49151, never 0). */
function port(i: number, salt = 0): number {
  return 1024 + ((i * 7919 + salt * 104729) % 48000);
}

function lines(count: number, line: (i: number) => string): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(line(i));
  }
  return out.join('\n') + '\n';
}

/**
 * A variant of the same text per call: the dispatcher caches the last few large scans by text, and
 * the cache must not be what is timed. Trailing blank lines change no mention in any file kind.
 */
function variants(text: string): (call: number) => string {
  // The cache keeps the last four scans. Texts reused in a short cycle did hit it (the 4× and 8×
  // Kubernetes samples measured 0 ms), so each call within a measurement gets a text of its own.
  const all = new Map<number, string>();
  return (call) => {
    const r = call % VARIANTS;
    let variant = all.get(r);
    if (variant === undefined) {
      variant = text + '\n'.repeat(r + 1);
      all.set(r, variant);
    }
    return variant;
  };
}

/** More texts than one measurement makes calls, so no call can be answered from the scan cache. */
const VARIANTS = 64;

/** Text for each finder kind at `count` repeated blocks; each block holds several kinds of mention. */
const FINDER_TEXT: Record<FileKind, (count: number) => string> = {
  code: (n) =>
    lines(n, (i) =>
      [
        `const server${i} = http.createServer(handler).listen(${port(i)}, '127.0.0.1');`,
        `const api${i} = process.env.API_URL ?? "http://localhost:${port(i, 1)}/v1/items?page=${i}";`,
        `db${i} = connect("postgres://user:secret@db-${i}.internal:5432/app") # portolan-ignore insecure-protocol`,
        `const ignored${i} = { timeout: 3000, retries: ${i % 9} };`,
      ].join('\n'),
    ),
  compose: (n) =>
    'x-common: &common\n  restart: unless-stopped\n  environment:\n    LOG_LEVEL: info\nservices:\n' +
    lines(n, (i) =>
      [
        `  svc${i}:`,
        '    <<: *common',
        `    image: registry.example.com/team/svc${i}:1.${i % 10}`,
        `    command: ["node", "server.js", "--port", "${port(i)}", "--metrics-addr=:${port(i, 2)}"]`,
        '    ports:',
        `      - "${port(i)}:${port(i)}"`,
        `      - target: ${port(i, 3)}`,
        `        published: "\${SVC${i}_PORT:-${port(i, 4)}}"`,
        '    environment:',
        `      UPSTREAM_URL: http://svc${i + 1}:${port(i + 1)}/health`,
        `      REDIS_ADDR: redis-${i}:6379`,
      ].join('\n'),
    ),
  nginx: (n) =>
    'events {}\nhttp {\n' +
    lines(n, (i) =>
      [
        '  server {',
        `    listen ${port(i)};`,
        `    listen [::]:${port(i)} ssl;`,
        `    server_name site${i}.example.com www.site${i}.example.com;`,
        `    location / { proxy_pass http://127.0.0.1:${port(i, 1)}; }`,
        `    location /ws { proxy_pass http://backend${i}:${port(i, 2)}/socket; }`,
        '  }',
      ].join('\n'),
    ) +
    '}\n',
  dotenv: (n) =>
    lines(n, (i) =>
      [
        `SERVICE_${i}_PORT=${port(i)}`,
        `SERVICE_${i}_URL=http://localhost:${port(i, 1)}/api`,
        `DATABASE_${i}_URL=postgres://app:pw@db${i}:5432/app?sslmode=disable`,
        `# portolan-ignore-next-line`,
        `LEGACY_${i}_ADDR=10.0.${i % 250}.1:${port(i, 2)}`,
        `FEATURE_${i}_TIMEOUT=3000`,
      ].join('\n'),
    ),
  dockerfile: (n) =>
    lines(n, (i) =>
      [
        `FROM node:20 AS stage${i}`,
        `ENV PORT=${port(i)} METRICS_URL=http://localhost:${port(i, 1)}/metrics`,
        `EXPOSE ${port(i)} ${port(i, 2)}/udp`,
        `RUN curl -fsS http://mirror.example.com:${port(i, 3)}/pkg.tgz | tar xz`,
        `CMD ["node", "server.js", "--port", "${port(i)}"]`,
      ].join('\n'),
    ),
  kubernetes: (n) =>
    lines(n, (i) =>
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        `  name: app${i}`,
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        `        - name: app${i}`,
        `          image: app:${i}`,
        `          args: ["--listen=:${port(i)}", "--upstream", "http://svc${i}:${port(i, 1)}"]`,
        '          ports:',
        `            - containerPort: ${port(i)}`,
        '          env:',
        '            - name: DB_URL',
        `              value: postgres://db${i}:5432/app`,
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        `  name: app${i}`,
        'spec:',
        '  type: NodePort',
        '  ports:',
        `    - port: ${port(i, 2)}`,
        `      targetPort: ${port(i)}`,
        `      nodePort: ${30000 + (i % 2767)}`,
        '---',
      ].join('\n'),
    ),
  properties: (n) =>
    lines(n, (i) =>
      [
        `service${i}.server.port=${port(i)}`,
        `service${i}.datasource.url=jdbc:postgresql://db${i}:5432/app`,
        `service${i}.upstream=http://localhost:${port(i, 1)}/api`,
        `service${i}.timeout=3000`,
      ].join('\n'),
    ),
  packagejson: (n) =>
    JSON.stringify(
      {
        name: 'big',
        scripts: Object.fromEntries(
          Array.from({ length: n }, (_, i) => [
            `dev${i}`,
            `PORT=${port(i)} vite --port ${port(i, 1)} --host 0.0.0.0 && node --inspect=0.0.0.0:${port(i, 2)} server.js`,
          ]),
        ),
        config: Object.fromEntries(Array.from({ length: n }, (_, i) => [`port${i}`, port(i, 3)])),
        dependencies: { vite: '^5.0.0' },
      },
      null,
      2,
    ),
  launchjson: (n) =>
    JSON.stringify(
      {
        version: '0.2.0',
        configurations: Array.from({ length: n }, (_, i) => ({
          type: 'node',
          request: i % 2 === 0 ? 'attach' : 'launch',
          name: `config ${i}`,
          port: port(i),
          url: `http://localhost:${port(i, 1)}`,
          runtimeArgs: [`--inspect=${port(i, 2)}`],
          env: { PORT: String(port(i, 3)), API_URL: `http://api${i}:${port(i, 4)}` },
        })),
      },
      null,
      2,
    ),
  devcontainer: (n) =>
    JSON.stringify(
      {
        name: 'big',
        forwardPorts: Array.from({ length: n }, (_, i) => (i % 2 === 0 ? port(i) : `db${i}:${port(i, 1)}`)),
        appPort: Array.from({ length: n }, (_, i) => `${port(i, 2)}:${port(i, 3)}`),
        portsAttributes: Object.fromEntries(
          Array.from({ length: n }, (_, i) => [String(port(i)), { label: `svc ${i}` }]),
        ),
        runArgs: Array.from({ length: n }, (_, i) => `-p=127.0.0.1:${port(i, 4)}:80`),
        containerEnv: Object.fromEntries(
          Array.from({ length: n }, (_, i) => [`SVC_${i}_PORT`, String(port(i, 5))]),
        ),
        postStartCommand: Array.from(
          { length: n },
          (_, i) => `curl http://localhost:${port(i, 6)}/ready`,
        ).join(' && '),
      },
      null,
      2,
    ),
};

/** Base block counts, picked so each 1× scan takes some milliseconds on a 2-core machine. */
const FINDER_BASE: Record<FileKind, number> = {
  code: 150,
  compose: 25,
  nginx: 300,
  dotenv: 250,
  dockerfile: 150,
  kubernetes: 15,
  properties: 300,
  packagejson: 150,
  launchjson: 100,
  devcontainer: 100,
};

function finderCase(kind: FileKind): ScalingCase {
  return {
    name: `finder ${kind}`,
    prepare(scale) {
      const text = FINDER_TEXT[kind](FINDER_BASE[kind] * scale);
      const at = variants(text);
      return { units: text.length, run: (call) => scanAs(kind, at(call)) };
    },
  };
}

/**
 * The value finders every file finder shares, on one long segment (a minified line, a huge env
 * value): each exported `find*` of src/scan that is not a file finder has a case here.
 */
const VALUE_FINDERS: Record<string, (scale: number) => Prepared> = {
  findUrlPorts(scale) {
    const text = lines(
      3000 * scale,
      (i) => `"http://h${i}.example.com:${port(i)}/p?q=${i}", ws://[::1]:${port(i, 1)}`,
    );
    return { units: text.length, run: () => scanAddresses.findUrlPorts(text) };
  },
  findHostPorts(scale) {
    const text = lines(
      2000 * scale,
      (i) => `db${i}.internal:${port(i)} 10.0.0.${i % 250}:${port(i, 1)} 12:30:45`,
    );
    return { units: text.length, run: () => scanAddresses.findHostPorts(text, 0, { singleLabel: 'always' }) };
  },
  findAddressPorts(scale) {
    const text = lines(1500 * scale, (i) => `redis://cache${i}:${port(i)} backend${i}.local:${port(i, 1)}`);
    return {
      units: text.length,
      run: () => scanAddresses.findAddressPorts(text, 0, { singleLabel: 'always' }),
    };
  },
  findPortsInValue(scale) {
    // Env values of comma-listed host:port pairs; each stays under MAX_VALUE_LENGTH, so only the count grows.
    const values = Array.from({ length: 40 * scale }, (_, v) =>
      Array.from({ length: 60 }, (_, i) => `node${v}-${i}:${port(v * 60 + i)}`).join(','),
    );
    return {
      units: values.length * values[0].length,
      run: () =>
        values.map((value, v) => scanValues.findPortsInValue(value, v * 1000, 'dotenv', 'CLUSTER_NODES')),
    };
  },
  findComposeNginxMounts(scale) {
    const text = `services:\n${lines(
      300 * scale,
      (i) =>
        `  web${i}:\n    image: nginx\n    volumes:\n      - ./nginx/site${i}.conf:/etc/nginx/conf.d/site${i}.conf:ro\n      - type: bind\n        source: ./snippets${i}\n        target: /etc/nginx/snippets`,
    )}\n`;
    return { units: text.length, run: () => composeMounts.findComposeNginxMounts(text) };
  },
  findCodePortsInLine(scale) {
    const text = Array.from(
      { length: 4000 * scale },
      (_, i) => `app.listen(${port(i)});fetch("http://localhost:${port(i, 1)}/x");`,
    ).join('');
    return { units: text.length, run: () => scanCode.findCodePortsInLine(text, 0, 'code') };
  },
};

/**
 * Exported `find*` functions reached only through a file finder (they take parsed YAML nodes),
 * with the case that drives them.
 */
const REACHED_THROUGH: Record<string, string> = {
  findPortsInScalar: 'finder compose',
  findPortsInArguments: 'finder compose',
};

// ---- rules, through the index and the rule runner the CLI and the extension share ----

interface GeneratedFile {
  path: string;
  text: string;
}

/**
 * Entries already scanned, by path and text: the smaller inputs of a multi-file case are the first
 * files of the larger ones, and scanning is setup here, not what is measured.
 */
const scannedEntries = new Map<string, IndexedFile | undefined>();

/** Indexes files the way `portolan check` does and returns one full rule pass over them. */
function ruleWorkspace(
  files: GeneratedFile[],
  only: string,
  live?: LiveView,
): { units: number; run: () => Finding[] } {
  const index = new WorkspaceIndex();
  const context = new WorkspaceContext(DEFAULT_CONTEXT_SETTINGS, ['/ws/']);
  let units = 0;
  for (const f of files) {
    const key = `${f.path}\0${f.text}`;
    const entry = scannedEntries.has(key) ? scannedEntries.get(key) : index.scan(f.path, f.text);
    scannedEntries.set(key, entry);
    if (entry) {
      context.addFile(f.path, f.text, entry.kind);
      index.set(f.path, f.text, undefined, entry.mentions);
      units += entry.mentions.length;
    }
  }
  // Every rule but the one under test is off, so its own growth is what is measured.
  const severities: Record<string, SeveritySetting> = {};
  for (const rule of [...STATIC_RULES, ...LIVE_RULES]) {
    if (rule.id !== only) {
      severities[rule.id] = 'off';
    }
  }
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const limits = { unprivilegedPortStart: 1024, ephemeralRange: { from: 32768, to: 60999 } };
  return {
    units,
    run() {
      const findings: Finding[] = [];
      for (const file of index.files()) {
        const fileContext = context.fileContext(file.file, texts.get(file.file));
        for (const finding of runRules(
          {
            file: { ...file, text: texts.get(file.file) },
            workspace: index,
            limits,
            live,
            context: fileContext,
          },
          { severities, extraRules: live ? LIVE_RULES : undefined },
        )) {
          findings.push(finding);
        }
      }
      return findings;
    },
  };
}

const composeService = (name: string, ports: string[], image = `${name}:latest`): string =>
  `  ${name}:\n    image: ${image}\n    ports:\n${ports.map((p) => `      - "${p}"\n`).join('')}`;

/** The LiveView the extension gives the rules (ruleLiveView), over one snapshot. */
function liveViewOf(snapshot: ListeningSnapshot): LiveView {
  return { holders: (p, protocol) => (protocol === 'sctp' ? undefined : holdersOf(snapshot, p, protocol)) };
}

/** Sockets on the ports `ports(i)`, some held by docker-proxy, some on loopback only. */
function liveSockets(count: number): ListeningSocket[] {
  return Array.from({ length: count }, (_, i) =>
    sock(port(i), {
      address: i % 3 === 0 ? '0.0.0.0' : '127.0.0.1',
      pid: 2000 + i,
      process: i % 5 === 0 ? 'docker-proxy' : 'node',
      proxy: i % 5 === 0 ? 'docker' : undefined,
      command: `node /srv/app${i}/server.js`,
    }),
  );
}

/** Inputs per rule id; each stresses the dimension that rule iterates over. */
const RULE_CASES: Record<string, ScalingCase[]> = {
  'invalid-port': [
    {
      name: 'rule invalid-port: many files with out-of-range ports',
      prepare(scale) {
        const files = Array.from({ length: 300 * scale }, (_, i) => ({
          path: `/ws/p${i}/compose.yaml`,
          text: `services:\n${composeService(`s${i}`, ['70000:80', `${port(i)}:0`, '0:65536'])}`,
        }));
        return ruleWorkspace(files, 'invalid-port');
      },
    },
  ],
  'privileged-port': [
    {
      name: 'rule privileged-port: nginx and code binding low ports across many folders',
      prepare(scale) {
        const files: GeneratedFile[] = [];
        for (let i = 0; i < 250 * scale; i++) {
          files.push({
            path: `/ws/site${i}/nginx/conf.d/site.conf`,
            text: `server { listen 80; listen 81; }\n`,
          });
          files.push({ path: `/ws/site${i}/server.js`, text: `app.listen(${(i % 900) + 1});\n` });
          if (i % 2 === 0) {
            files.push({
              path: `/ws/site${i}/compose.yaml`,
              text: `services:\n${composeService('web', ['80:80', '8443:443'])}`,
            });
          }
        }
        return ruleWorkspace(files, 'privileged-port');
      },
    },
  ],
  'port-conflict': [
    {
      name: 'rule port-conflict: one compose file, every service on the same host port',
      prepare(scale) {
        // One service with many entries on one host port is cheap to scan and holds n² pairs.
        const entries = Array.from({ length: 600 * scale }, (_, i) => `80:${port(i)}`);
        const services = [composeService('web', entries)];
        return ruleWorkspace(
          [{ path: '/ws/compose.yaml', text: `services:\n${services.join('')}` }],
          'port-conflict',
        );
      },
    },
    {
      name: 'rule port-conflict: nginx blocks repeating one listen and server_name',
      prepare(scale) {
        const blocks = lines(
          150 * scale,
          (i) =>
            `server { listen 80${i % 3 === 0 ? ' default_server' : ''}; server_name same.example.com s${i}; }`,
        );
        return ruleWorkspace([{ path: '/ws/nginx.conf', text: `http {\n${blocks}}\n` }], 'port-conflict');
      },
    },
    {
      name: 'rule port-conflict: many compose projects with overrides',
      prepare(scale) {
        const files: GeneratedFile[] = [];
        for (let i = 0; i < 120 * scale; i++) {
          files.push({
            path: `/ws/p${i}/compose.yaml`,
            text: `services:\n${composeService('api', [`${port(i)}:80`, '8080:8080'])}${composeService('db', ['5432:5432'])}`,
          });
          files.push({
            path: `/ws/p${i}/compose.override.yaml`,
            text: `services:\n${composeService('api', [`${port(i)}:80`, '9000:9000'])}${composeService('cache', ['8080:6379'])}`,
          });
        }
        return ruleWorkspace(files, 'port-conflict');
      },
    },
  ],
  'exposed-database': [
    {
      name: 'rule exposed-database: many services publishing databases on every interface',
      prepare(scale) {
        const images = ['postgres:16', 'redis:7', 'mongo:7', 'mysql:8'];
        const dbPorts = [5432, 6379, 27017, 3306];
        const services = Array.from({ length: 400 * scale }, (_, i) =>
          composeService(
            `db${i}`,
            [`${port(i)}:${dbPorts[i % 4]}`, `0.0.0.0:${dbPorts[i % 4]}:${dbPorts[i % 4]}`],
            images[i % 4],
          ),
        );
        return ruleWorkspace(
          [{ path: '/ws/compose.yaml', text: `services:\n${services.join('')}` }],
          'exposed-database',
        );
      },
    },
  ],
  'exposed-service': [
    {
      name: 'rule exposed-service: many services publishing debuggers and admin APIs on every interface',
      prepare(scale) {
        const images = ['node:22', 'docker:dind', 'minio/minio', 'eclipse-temurin:21'];
        const servicePorts = [9229, 2375, 9000, 5005];
        const services = Array.from({ length: 400 * scale }, (_, i) =>
          composeService(
            `svc${i}`,
            [`${port(i)}:${servicePorts[i % 4]}`, `0.0.0.0:${servicePorts[i % 4]}:${servicePorts[i % 4]}`],
            images[i % 4],
          ),
        );
        return ruleWorkspace(
          [{ path: '/ws/compose.yaml', text: `services:\n${services.join('')}` }],
          'exposed-service',
        );
      },
    },
  ],
  'ephemeral-port': [
    {
      name: 'rule ephemeral-port: many listens in the ephemeral range',
      prepare(scale) {
        const files = Array.from({ length: 50 * scale }, (_, i) => ({
          path: `/ws/svc${i}/server.js`,
          text: lines(30, (k) => `app${k}.listen(${40000 + ((i * 30 + k) % 20000)});`),
        }));
        return ruleWorkspace(files, 'ephemeral-port');
      },
    },
  ],
  'insecure-protocol': [
    {
      name: 'rule insecure-protocol: servers of cleartext protocols',
      prepare(scale) {
        const cleartext = [21, 23, 110, 143, 80];
        const files = Array.from({ length: 50 * scale }, (_, i) => ({
          path: `/ws/legacy${i}/server.js`,
          text: lines(40, (k) => `server${k}.listen(${cleartext[(i + k) % cleartext.length]});`),
        }));
        return ruleWorkspace(files, 'insecure-protocol');
      },
    },
  ],
  'k8s-port-name': [
    {
      name: 'rule k8s-port-name: many container ports with bad names',
      prepare(scale) {
        const files = Array.from({ length: 50 * scale }, (_, i) => ({
          path: `/ws/k{i}/pod.yaml`,
          text: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n    - name: app\n      image: nginx\n      ports:\n${lines(30, (k) => `        - name: Port_${k}\n          containerPort: ${port(i, k)}`)}\n`,
        }));
        return ruleWorkspace(files, 'k8s-port-name');
      },
    },
  ],
  'k8s-host-port': [
    {
      name: 'rule k8s-host-port: many container ports with hostPort',
      prepare(scale) {
        const files = Array.from({ length: 50 * scale }, (_, i) => ({
          path: `/ws/k{i}/pod.yaml`,
          text: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n    - name: app\n      image: nginx\n      ports:\n${lines(30, (k) => `        - containerPort: ${port(i, k)}\n          hostPort: ${port(i, k)}`)}\n`,
        }));
        return ruleWorkspace(files, 'k8s-host-port');
      },
    },
  ],
  'k8s-node-port-range': [
    {
      name: 'rule k8s-node-port-range: many Service node ports out of range',
      prepare(scale) {
        const files = Array.from({ length: 50 * scale }, (_, i) => ({
          path: `/ws/k${i}/svc.yaml`,
          text: `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\nspec:\n  type: NodePort\n  ports:\n${lines(30, (k) => `    - port: ${port(i, k)}\n      nodePort: ${1024 + k}`)}\n`,
        }));
        return ruleWorkspace(files, 'k8s-node-port-range');
      },
    },
  ],
  'compose-base60-port': [
    {
      name: 'rule compose-base60-port: many unquoted base-60 mappings',
      prepare(scale) {
        const services = Array.from(
          { length: 400 * scale },
          (_, i) => `  s${i}:\n    image: x\n    ports:\n      - ${1000 + i}:22\n      - 2${i}:5${i % 10}\n`,
        );
        return ruleWorkspace(
          [{ path: '/ws/compose.yaml', text: `services:\n${services.join('')}` }],
          'compose-base60-port',
        );
      },
    },
  ],
  'compose-host-network-ports': [
    {
      name: 'rule compose-host-network-ports: many host-network services with ports',
      prepare(scale) {
        const services = Array.from(
          { length: 400 * scale },
          (_, i) =>
            `  s${i}:\n    image: x\n    network_mode: host\n    ports:\n      - "${port(i)}:80"\n      - "${port(i, 1)}:81"\n`,
        );
        return ruleWorkspace(
          [{ path: '/ws/compose.yaml', text: `services:\n${services.join('')}` }],
          'compose-host-network-ports',
        );
      },
    },
  ],
  'compose-protocol-case': [
    {
      name: 'rule compose-protocol-case: many upper-case protocols',
      prepare(scale) {
        const services = Array.from({ length: 400 * scale }, (_, i) =>
          composeService(`s${i}`, [`${port(i)}:80/TCP`, `${port(i, 1)}:53/UDP`]),
        );
        return ruleWorkspace(
          [{ path: '/ws/compose.yaml', text: `services:\n${services.join('')}` }],
          'compose-protocol-case',
        );
      },
    },
  ],
  'compose-random-host-port': [
    {
      name: 'rule compose-random-host-port: many entries with no host side',
      prepare(scale) {
        const services = Array.from({ length: 400 * scale }, (_, i) =>
          composeService(`s${i}`, [`${port(i)}`, `${port(i, 1)}-${port(i, 2)}`]),
        );
        return ruleWorkspace(
          [{ path: '/ws/compose.yaml', text: `services:\n${services.join('')}` }],
          'compose-random-host-port',
        );
      },
    },
  ],
  'dockerfile-expose-mapping': [
    {
      name: 'rule dockerfile-expose-mapping: many EXPOSE mappings',
      prepare(scale) {
        const files = Array.from({ length: 50 * scale }, (_, i) => ({
          path: `/ws/img${i}/Dockerfile`,
          text: `FROM debian\n${lines(30, (k) => `EXPOSE 127.0.0.1:${port(i, k)}:80 ${port(i, k)}:81/udp`)}\n`,
        }));
        return ruleWorkspace(files, 'dockerfile-expose-mapping');
      },
    },
  ],
  'dockerfile-expose-protocol-case': [
    {
      name: 'rule dockerfile-expose-protocol-case: many upper-case protocols',
      prepare(scale) {
        const files = Array.from({ length: 50 * scale }, (_, i) => ({
          path: `/ws/img${i}/Dockerfile`,
          text: `FROM debian\n${lines(30, (k) => `EXPOSE ${port(i, k)}/TCP`)}\n`,
        }));
        return ruleWorkspace(files, 'dockerfile-expose-protocol-case');
      },
    },
  ],
  'dockerfile-expose-unlistened': [
    {
      name: 'rule dockerfile-expose-unlistened: many images, each with its code',
      prepare(scale) {
        const files = Array.from({ length: 50 * scale }, (_, i) => [
          {
            path: `/ws/img${i}/Dockerfile`,
            text: `FROM node\n${lines(30, (k) => `EXPOSE ${port(i, k)}`)}\n`,
          },
          {
            path: `/ws/img${i}/src/server.js`,
            text: `${lines(30, (k) => `app.listen(${port(i, k) + 1});`)}\n`,
          },
        ]).flat();
        return ruleWorkspace(files, 'dockerfile-expose-unlistened');
      },
    },
  ],
  'k8s-target-port-unmatched': [
    {
      name: 'rule k8s-target-port-unmatched: many Services with unmatched targets',
      prepare(scale) {
        const files = Array.from({ length: 50 * scale }, (_, i) => ({
          path: `/ws/k${i}/app.yaml`,
          text: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${i}\nspec:\n  template:\n    metadata:\n      labels:\n        app: a${i}\n    spec:\n      containers:\n        - name: c\n          image: x\n          ports:\n${lines(30, (k) => `            - name: p${k}\n              containerPort: ${port(i, k)}`)}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\nspec:\n  selector:\n    app: a${i}\n  ports:\n${lines(30, (k) => `    - port: ${port(i, k)}\n      targetPort: q${k}`)}\n`,
        }));
        return ruleWorkspace(files, 'k8s-target-port-unmatched');
      },
    },
  ],
  'k8s-probe-port-unexposed': [
    {
      name: 'rule k8s-probe-port-unexposed: many containers probing undeclared ports',
      prepare(scale) {
        const files = Array.from({ length: 50 * scale }, (_, i) => ({
          path: `/ws/k${i}/pod.yaml`,
          text: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n${lines(10, (k) => `    - name: c${k}\n      image: x\n      ports:\n        - containerPort: ${port(i, k)}\n      livenessProbe:\n        httpGet:\n          port: health\n      readinessProbe:\n        tcpSocket:\n          port: ${port(i, k) + 1}`)}\n`,
        }));
        return ruleWorkspace(files, 'k8s-probe-port-unexposed');
      },
    },
  ],
  'compose-service-port-unserved': [
    {
      name: 'rule compose-service-port-unserved: many services connecting to wrong ports of each other',
      prepare(scale) {
        const count = 400 * scale;
        const services = Array.from(
          { length: count },
          (_, i) =>
            `  s${i}:\n    image: x\n    environment:\n      URL: http://s${(i + 1) % count}:9${i % 1000}\n    ports:\n      - "${port(i)}:8000"\n`,
        );
        return ruleWorkspace(
          [{ path: '/ws/compose.yaml', text: `services:\n${services.join('')}` }],
          'compose-service-port-unserved',
        );
      },
    },
  ],
  'compose-port-env-mismatch': [
    {
      name: 'rule compose-port-env-mismatch: many built services whose PORT differs from the mapping',
      prepare(scale) {
        const services = Array.from(
          { length: 400 * scale },
          (_, i) =>
            `  s${i}:\n    build: ./s${i}\n    environment:\n      PORT: ${4000 + (i % 1000)}\n    ports:\n      - "${port(i)}:3000"\n`,
        );
        return ruleWorkspace(
          [{ path: '/ws/compose.yaml', text: `services:\n${services.join('')}` }],
          'compose-port-env-mismatch',
        );
      },
    },
  ],
  'dockerfile-expose-ssh': [
    {
      name: 'rule dockerfile-expose-ssh: many Dockerfiles exposing 22',
      prepare(scale) {
        const files = Array.from({ length: 50 * scale }, (_, i) => ({
          path: `/ws/img${i}/Dockerfile`,
          text: `FROM debian\n${lines(30, (k) => `EXPOSE 22 ${port(i, k)}`)}\n`,
        }));
        return ruleWorkspace(files, 'dockerfile-expose-ssh');
      },
    },
  ],
  'nginx-implicit-default-server': [
    {
      name: 'rule nginx-implicit-default-server: many server blocks sharing sockets',
      prepare(scale) {
        const files = Array.from({ length: 20 * scale }, (_, i) => ({
          path: `/ws/site${i}/nginx.conf`,
          text: `http {\n${lines(60, (k) => `  server {\n    listen ${8000 + (k % 5)};\n    server_name s${k}.example;\n  }`)}\n}\n`,
        }));
        return ruleWorkspace(files, 'nginx-implicit-default-server');
      },
    },
    {
      name: 'rule nginx-implicit-default-server: one nginx.conf including many files that share sockets',
      prepare(scale) {
        const files = Array.from({ length: 250 * scale }, (_, i) => ({
          path: `/ws/nginx/conf.d/site${i}.conf`,
          text: lines(
            3,
            (k) => `server {\n  listen ${8000 + ((i + k) % 5)};\n  server_name s${i}-${k}.example;\n}`,
          ),
        }));
        files.push({ path: '/ws/nginx/nginx.conf', text: 'http {\n  include conf.d/*.conf;\n}\n' });
        return ruleWorkspace(files, 'nginx-implicit-default-server');
      },
    },
  ],
  'nginx-proxy-pass-unserved': [
    {
      name: 'rule nginx-proxy-pass-unserved: many proxies, most to ports an app serves',
      prepare(scale) {
        const files = Array.from({ length: 20 * scale }, (_, i) => ({
          path: `/ws/site${i}/nginx.conf`,
          text: `http {\n  server {\n    listen 80;\n${lines(60, (k) => `    location /p${k} { proxy_pass http://127.0.0.1:${port(i, k)}; }`)}\n  }\n}\n`,
        }));
        const apps = Array.from({ length: 20 * scale }, (_, i) => ({
          path: `/ws/app${i}/server.js`,
          text: lines(50, (k) => `app${k}.listen(${port(i, k)});`),
        }));
        return ruleWorkspace([...files, ...apps], 'nginx-proxy-pass-unserved');
      },
    },
  ],
  'port-in-use': [
    {
      name: 'rule port-in-use: many claims against many live sockets',
      prepare(scale) {
        const n = 2000 * scale;
        const live = liveViewOf(snap(liveSockets(n)));
        const files = Array.from({ length: n / 20 }, (_, i) => ({
          path: `/ws/svc${i}/server.js`,
          text: lines(20, (k) => `app${k}.listen(${port(i * 20 + k)});`),
        }));
        return ruleWorkspace(files, 'port-in-use', live);
      },
    },
  ],
  'not-listening': [
    {
      name: 'rule not-listening: many loopback connects against many live sockets',
      prepare(scale) {
        const n = 2000 * scale;
        const live = liveViewOf(snap(liveSockets(n)));
        const files = Array.from({ length: n / 20 }, (_, i) => ({
          path: `/ws/svc${i}/client.js`,
          // Half the targets are held, half are not (another salt of the port sequence).
          text: lines(20, (k) => `fetch("http://localhost:${port(i * 20 + k, k % 2)}/health");`),
        }));
        return ruleWorkspace(files, 'not-listening', live);
      },
    },
  ],
};

// ---- the index and the Ports view over it ----

const WORKSPACE_CASES: ScalingCase[] = [
  {
    name: 'workspace index: scan and store many files',
    prepare(scale) {
      const files: GeneratedFile[] = Array.from({ length: 120 * scale }, (_, i) => {
        const dir = `/ws/pkg${i % 37}/m${i}`;
        return i % 3 === 0
          ? { path: `${dir}/compose.yaml`, text: `services:\n${composeService(`s${i}`, [`${port(i)}:80`])}` }
          : i % 3 === 1
            ? { path: `${dir}/.env`, text: lines(5, (k) => `S${k}_PORT=${port(i, k)}`) }
            : { path: `${dir}/server.ts`, text: lines(5, (k) => `app.listen(${port(i, k)});`) };
      });
      return {
        units: files.length,
        run() {
          const index = new WorkspaceIndex();
          for (const f of files) {
            index.set(f.path, f.text);
          }
          return index;
        },
      };
    },
    size: (index) => [...(index as WorkspaceIndex).files()].reduce((n, f) => n + f.mentions.length, 0),
  },
  {
    name: 'Ports view model: many sockets and many declared ports',
    prepare(scale) {
      const n = 300 * scale;
      const snapshot = snap(liveSockets(n));
      const declarations: Declaration<string>[] = Array.from({ length: n }, (_, i) => {
        const file = `/ws/svc${i % 97}/server.js`;
        return { uri: file, file, mention: scanText(file, `app.listen(${port(i + (i % 2))});`)[0] };
      });
      return {
        units: n,
        run: () =>
          buildPortsModel({
            snapshot,
            liveAvailable: true,
            declarations,
            watchPorts: [],
            groupByProcess: false,
            showUdp: true,
            names: serviceNames,
          }),
      };
    },
    size: (model) => JSON.stringify((model as ReturnType<typeof buildPortsModel>).sections).length,
  },
];

describe('guard: finders and rules scale no worse than n log n (relative to their own 1× run)', function () {
  after(() => scannedEntries.clear());

  // Generous: a retry on a loaded machine measures a case twice; the whole suite takes well under a minute.
  this.timeout(120000);

  it('every file finder of the dispatcher has a generator', () => {
    assert.deepEqual(
      Object.keys(FINDERS).filter((kind) => !(kind in FINDER_TEXT)),
      [],
    );
  });

  it('every exported find* function of src/scan has a case or is reached through one', () => {
    // Read from the sources, so a finder in a new file is seen too.
    const scanDir = path.resolve(__dirname, '../../../src/scan');
    const exported = fs
      .readdirSync(scanDir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [
        ...fs.readFileSync(path.join(scanDir, f), 'utf8').matchAll(/^export function (find[A-Z]\w*)/gm),
      ])
      .map((m) => m[1]);
    assert.ok(exported.includes('findUrlPorts'), exported.join());
    // A dispatcher entry may wrap its finder (`(text) => findComposePorts(text)`): the names it calls count.
    const fileFinders = new Set(
      Object.values(FINDERS).flatMap((f) => [f.name, ...(f.toString().match(/find[A-Z]\w*/g) ?? [])]),
    );
    const missing = exported.filter(
      (name) => !fileFinders.has(name) && !(name in VALUE_FINDERS) && !(name in REACHED_THROUGH),
    );
    assert.deepEqual([...new Set(missing)], []);
  });

  it('every rule has a generated workspace', () => {
    const ids = [...new Set([...STATIC_RULES, ...LIVE_RULES].map((r) => r.id))];
    assert.deepEqual(
      ids.filter((id) => !(RULE_CASES[id]?.length > 0)),
      [],
    );
  });

  for (const kind of Object.keys(FINDERS) as FileKind[]) {
    it(`finder ${kind}`, () => assertScales(finderCase(kind)));
  }
  for (const [name, prepare] of Object.entries(VALUE_FINDERS)) {
    it(`value finder ${name}`, () => assertScales({ name, prepare }));
  }
  for (const cases of Object.values(RULE_CASES)) {
    for (const c of cases) {
      it(c.name, () => assertScales(c));
    }
  }
  for (const c of WORKSPACE_CASES) {
    it(c.name, () => assertScales(c));
  }
});
