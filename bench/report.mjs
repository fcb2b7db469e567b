// Turns bench results into tables (plain text for the terminal, Markdown for the README) and
// checks them against the targets of issue 6.

const ms = (x) =>
  x === undefined || Number.isNaN(x)
    ? '-'
    : x < 10
      ? x.toFixed(2)
      : x < 100
        ? x.toFixed(1)
        : Math.round(x).toString();
const ratio = (x) => (x === undefined || Number.isNaN(x) ? '-' : `${x.toFixed(2)}×`);
const mb = (bytes) => `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

export function textTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => String(c).padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function markdownTable(header, rows) {
  const escape = (c) => String(c).replace(/\|/g, '\\|');
  return [
    `| ${header.map(escape).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`),
  ].join('\n');
}

function foundCell(m) {
  if (!m.check) {
    return '-';
  }
  const c = m.check;
  const of = `${c.tcpFound}/${c.tcpExpected}`;
  const pid = m.pidsExpected ? `, pid ✓ ${c.pidRight}` : '';
  const name = c.namesGiven ? `, name ✓ ${c.nameRight}` : '';
  const udp = c.udpFound > 0 ? `; UDP ${c.udpFound}/${c.udpExpected}` : '';
  return `${of}${pid}${name}${udp}`;
}

function portSetCell(m) {
  if (!m.portSet) {
    return m.onePort ? 'one port per call' : '-';
  }
  const p = m.portSet;
  return `${p.ports} (−${p.missingVsSs} +${p.extraVsSs})`;
}

export function socketRows(entry) {
  return entry.methods.map((m) => {
    if (m.missing || m.error) {
      return [
        m.label,
        m.missing ? `missing: ${m.missing}` : `error: ${m.error.split('\n')[0].slice(0, 80)}`,
        '',
        '',
        '',
        '',
        '',
        '',
      ];
    }
    return [
      m.label,
      ms(m.medianMs),
      `${ms(m.minMs)}–${ms(m.maxMs)}`,
      ratio(m.ratioToSsTlnup),
      ratio(m.ratioToSsTln),
      m.kind === 'process' ? ratio(m.ratioToBareNode) : '-',
      foundCell(m),
      portSetCell(m),
    ];
  });
}

export const SOCKET_HEADER = [
  'method',
  'median ms',
  'min–max',
  '× ss -Htlnup',
  '× ss -Htln',
  '× node -e 0',
  'bench TCP found (pid, name)',
  'machine TCP ports (−missing +extra vs ss -Htln just after)',
];

function findMethod(results, n, id, processes = 100) {
  return results.sockets
    ?.find((e) => e.n === n && (e.processes ?? 100) === processes)
    ?.methods.find((m) => m.id === id);
}

/** Each target of issue 6: the figure measured, the limit, and whether it is met. */
export function targetChecks(results) {
  const checks = [];
  const add = (target, value, limit, met, detail = '') => checks.push({ target, value, limit, met, detail });
  const largest = Math.max(...(results.sockets ?? []).map((e) => e.n), 0);
  const smallest = Math.min(...(results.sockets ?? []).map((e) => e.n), Infinity);
  const warmLabels = {
    'portolan-warm-service': 'worker service',
    'portolan-warm-reader': 'SocketReader',
    'portolan-warm-listeners-only': 'SocketReader, listeners only between recounts',
  };
  for (const [id, label] of Object.entries(warmLabels)) {
    const warm = findMethod(results, largest, id);
    if (warm?.medianMs !== undefined) {
      add(
        `warm refresh (${label}) at N=${largest} vs ss -Htlnup`,
        ratio(warm.ratioToSsTlnup),
        '≤ 0.50×',
        warm.ratioToSsTlnup <= 0.5,
        `${ms(warm.medianMs)} ms`,
      );
      add(
        `warm refresh (${label}) at N=${largest} vs ss -Htln`,
        ratio(warm.ratioToSsTln),
        '≤ 2.50×',
        warm.ratioToSsTln <= 2.5,
        `${ms(warm.medianMs)} ms`,
      );
    }
    const small = findMethod(results, smallest, id);
    if (small?.medianMs !== undefined) {
      add(
        `warm refresh (${label}) at N=${smallest}`,
        `${ms(small.medianMs)} ms`,
        '≤ 5 ms',
        small.medianMs <= 5,
      );
    }
  }
  for (const entry of results.sockets ?? []) {
    const cold = entry.methods?.find((m) => m.id === 'portolan-cold');
    if (cold?.medianMs === undefined) {
      continue;
    }
    const shape = `${entry.processes ?? 100} process${entry.processes === 1 ? '' : 'es'}`;
    if (entry.n === largest) {
      add(
        `cold portolan ls at N=${entry.n} in ${shape} vs ss -Htlnup`,
        ratio(cold.ratioToSsTlnup),
        '≤ 1.00×',
        cold.ratioToSsTlnup <= 1,
        `${ms(cold.medianMs)} ms`,
      );
    }
    if (entry.n === smallest && cold.ratioToBareNode !== undefined) {
      add(
        `cold portolan ls at N=${entry.n} vs bare \`node -e 0\``,
        ratio(cold.ratioToBareNode),
        '≤ 1.50×',
        cold.ratioToBareNode <= 1.5,
        `${ms(cold.medianMs)} ms`,
      );
    }
  }
  const t = results.finders?.throughput;
  if (t) {
    add(
      'finders throughput (scanText, mixed corpus)',
      `${t.mbPerSecond.toFixed(1)} MB/s`,
      '≥ 50 MB/s',
      t.mbPerSecond >= 50,
      `${t.megabytes.toFixed(1)} MB, ${t.files} files`,
    );
  }
  for (const kind of ['compose', 'kubernetes']) {
    const k = t?.kinds?.[kind];
    if (k) {
      add(
        `${kind} finder throughput (YAML, in the mixed corpus)`,
        `${k.mbPerSecond.toFixed(1)} MB/s`,
        '≥ 20 MB/s',
        k.mbPerSecond >= 20,
        `${k.megabytes.toFixed(1)} MB, ${k.files} files`,
      );
    }
  }
  const edit = results.finders?.editThenHover;
  if (edit?.incremental) {
    const inc = edit.incremental;
    add(
      `first hover after a one-character edit, ${edit.lines}-line compose file (p99)`,
      `${ms(inc.p99Ms)} ms`,
      '≤ 16 ms',
      inc.p99Ms <= 16,
      `p50 ${ms(inc.p50Ms)} ms, ${ratio(edit.ratioToWhole)} a whole re-parse (p50 ${ms(edit.whole.p50Ms)} ms); ${inc.piecesParsedPerEdit.toFixed(1)} of ${(inc.piecesParsedPerEdit + inc.piecesReusedPerEdit).toFixed(0)} pieces parsed per edit`,
    );
  }
  for (const h of results.finders?.hover ?? []) {
    add(
      `hover p99, ${h.lines}-line ${h.label ?? h.kind} file (mentions cached)`,
      `${ms(h.hoverCached.p99Ms)} ms`,
      '≤ 1 ms',
      h.hoverCached.p99Ms <= 1,
    );
    // The first hover after an edit: code re-reads just its line; whole-file formats rescan.
    const afterEdit = h.hoverAfterEdit
      ? h.hoverAfterEdit.p99Ms
      : h.scanPerVersion.p99Ms + h.hoverCached.p99Ms;
    add(
      `hover p99, ${h.lines}-line ${h.label ?? h.kind} file, first hover after an edit`,
      `${ms(afterEdit)} ms`,
      '≤ 1 ms',
      afterEdit <= 1,
      h.hoverAfterEdit
        ? 'the line under the cursor is scanned'
        : h.kind === 'compose' || h.kind === 'kubernetes'
          ? 'scanAs again; only the YAML pieces that changed are parsed'
          : 'the whole document is scanned again (scanAs)',
    );
  }
  const c = results.checkRepository;
  if (c?.ratioToRg !== undefined) {
    add(
      `portolan check over a ${c.files}-file, ${c.megabytes.toFixed(0)} MB repository vs rg`,
      ratio(c.ratioToRg),
      '≤ 10.00×',
      c.ratioToRg <= 10,
      `${ms(c.check.medianMs)} ms vs ${ms(c.rg.medianMs)} ms`,
    );
  }
  const a = [results.startup?.hostActivation, results.startup?.activation].find(
    (x) => x?.medianTotalMs !== undefined,
  );
  if (a?.medianTotalMs !== undefined) {
    const empty = results.startup?.emptyHostActivation;
    add(
      `activation (${a.where})`,
      `${ms(a.medianTotalMs)} ms`,
      '≤ 20 ms',
      a.medianTotalMs <= 20,
      [
        a.medianCodeLoadingMs !== undefined
          ? `code loading ${ms(a.medianCodeLoadingMs)} ms + activate() ${ms(a.medianActivateCallMs)} ms`
          : undefined,
        a === results.startup?.hostActivation &&
        results.startup?.quietHostActivation?.medianTotalMs !== undefined
          ? `alone on a quiet host: ${ms(results.startup.quietHostActivation.medianTotalMs)} ms`
          : undefined,
        a === results.startup?.hostActivation && empty?.medianTotalMs !== undefined
          ? `an empty extension: ${ms(empty.medianTotalMs)} ms`
          : undefined,
      ]
        .filter(Boolean)
        .join('; '),
    );
  }
  const vsix = results.startup?.vsixBytes;
  if (vsix !== undefined) {
    add('.vsix size', mb(vsix), '≤ 1 MB', vsix <= 1024 * 1024);
  }
  return checks;
}

function targetRows(results) {
  return targetChecks(results).map((c) => [c.target, c.value, c.limit, c.met ? 'met' : 'MISSED', c.detail]);
}

const TARGET_HEADER = ['target', 'measured', 'limit', '', 'detail'];

function finderRows(results) {
  const t = results.finders?.throughput;
  if (!t) {
    return [];
  }
  const rows = [['all (mixed)', t.files, t.megabytes.toFixed(2), t.mbPerSecond.toFixed(1), t.mentions]];
  for (const [kind, k] of Object.entries(t.kinds).sort((a, b) => b[1].megabytes - a[1].megabytes)) {
    rows.push([
      kind,
      k.files,
      k.megabytes.toFixed(2),
      k.mbPerSecond.toFixed(1),
      Math.round(k.mentionsPerPass),
    ]);
  }
  return rows;
}

const FINDER_HEADER = ['kind', 'files', 'MB', 'MB/s', 'mentions'];

function hoverRows(results) {
  return (results.finders?.hover ?? []).map((h) => [
    `${h.label ?? h.kind} (${h.lines} lines, ${kb(h.bytes)}, ${h.mentions} mentions)`,
    `${ms(h.scanPerVersion.p50Ms)} / ${ms(h.scanPerVersion.p99Ms)}`,
    `${h.hoverCached.p50Ms.toFixed(4)} / ${h.hoverCached.p99Ms.toFixed(4)}`,
    h.hoverAfterEdit
      ? `${h.hoverAfterEdit.p50Ms.toFixed(4)} / ${h.hoverAfterEdit.p99Ms.toFixed(4)}`
      : 'n/a (whole-file format)',
  ]);
}

function editRows(results) {
  const edit = results.finders?.editThenHover;
  if (!edit?.incremental) {
    return [];
  }
  return [
    ['incremental (pieces kept between versions)', edit.incremental],
    ['whole re-parse', edit.whole],
  ].map(([label, r]) => [
    label,
    `${ms(r.p50Ms)} / ${ms(r.p99Ms)}`,
    r.wholeParsesPerEdit.toFixed(1),
    `${r.piecesParsedPerEdit.toFixed(1)} / ${r.piecesReusedPerEdit.toFixed(0)}`,
    `${r.rightPortAtRightRange}/${r.samples}`,
  ]);
}

const EDIT_HEADER = [
  'parse',
  'edit → hover p50 / p99 ms',
  'whole parses per edit',
  'pieces parsed / reused per edit',
  'hover on the edited port',
];

const HOVER_HEADER = [
  'document',
  'scanAs per version p50 / p99 ms',
  'hover, cached p50 / p99 ms',
  'hover, line only p50 / p99 ms',
];

function indexRows(results) {
  const w = results.workspaceIndex;
  if (!w || w.error) {
    return [];
  }
  return [
    [
      `${w.filesIndexed} files, ${w.megabytesRead.toFixed(1)} MB`,
      ms(w.totalMs),
      ms(w.walkAndReadMs),
      ms(w.scanMs),
      w.mentions,
      `${w.heapRetainedMb.toFixed(1)} MB`,
      `${w.peakRssMb.toFixed(0)} MB`,
    ],
  ];
}

function checkRows(results) {
  const c = results.checkRepository;
  if (!c || c.error) {
    return [];
  }
  const rows = [];
  if (c.rg) {
    rows.push([c.anchor, ms(c.rg.medianMs), `${ms(c.rg.minMs)}–${ms(c.rg.maxMs)}`, '1.00×']);
  } else {
    rows.push([c.anchor, '-', '-', '-']);
  }
  rows.push([
    'portolan check . (new process)',
    ms(c.check.medianMs),
    `${ms(c.check.minMs)}–${ms(c.check.maxMs)}`,
    ratio(c.ratioToRg),
  ]);
  return rows;
}

const CHECK_HEADER = ['method', 'median ms', 'min–max', '× rg'];

const INDEX_HEADER = [
  'workspace',
  'total ms',
  'walk + read ms',
  'scan ms',
  'mentions',
  'heap kept',
  'peak RSS',
];

function startupRows(results) {
  const s = results.startup ?? {};
  const rows = [];
  rows.push([
    'dist/extension.js',
    s.extensionBytes !== undefined ? kb(s.extensionBytes) : 'not built',
    s.measured ?? '',
  ]);
  rows.push(['dist/socketWorker.js', s.workerBytes !== undefined ? kb(s.workerBytes) : 'not built', '']);
  rows.push(['dist/cli.js', s.cliBytes !== undefined ? kb(s.cliBytes) : 'not built', '']);
  for (const [file, bytes] of Object.entries(s.lazyBytes ?? {})) {
    rows.push([
      `dist/lazy/${file}`,
      kb(bytes),
      file === 'services.js'
        ? 'loaded on the turn after activation, or by the first hover, command or view that needs it'
        : 'loaded on first use, not at activation',
    ]);
  }
  rows.push([
    'portolan.vsix',
    s.vsixBytes !== undefined ? kb(s.vsixBytes) : 'not measured',
    s.vsixNote ?? '',
  ]);
  for (const a of [s.hostActivation, s.quietHostActivation, s.emptyHostActivation, s.activation]) {
    if (!a) {
      continue;
    }
    rows.push([
      a === s.emptyHostActivation
        ? `activation of an empty extension, the anchor (${a.where})`
        : a === s.quietHostActivation
          ? `activation alone, by the probe on a quiet host (${a.where})`
          : a === s.hostActivation
            ? `activation as the host starts it (${a.where})`
            : `activation (${a.where})`,
      a.medianTotalMs !== undefined ? `${ms(a.medianTotalMs)} ms` : `error`,
      a.medianTotalMs === undefined
        ? (a.error ?? '').split('\n')[0].slice(0, 160)
        : a.medianRequireMs !== undefined
          ? `require ${ms(a.medianRequireMs)} ms + activate() ${ms(a.medianActivateMs)} ms, median of ${a.samples} fresh processes${a.medianServicesRequireMs !== undefined ? `; then, on the next turn, lazy/services.js loads in ${ms(a.medianServicesRequireMs)} ms` : ''}`
          : a.fromHostMarks
            ? `host's own marks, medians of ${a.samples} fresh hosts${a.perSample?.every((x) => x.alreadyActive) ? ', activated by the host at start-up' : a.perSample?.every((x) => x.waitedForQuietMs > 0) ? ', activated by the probe once the host had no other activation for 1 s' : ''}: code loading ${ms(a.medianCodeLoadingMs)} ms, activate() ${ms(a.medianActivateCallMs)} ms; ${ms(a.medianSpanMs)} ms from load to activated, incl. the host's context set-up`
            : `extension.activate() as awaited by a test in the host, median of ${a.samples} fresh hosts`,
    ]);
  }
  return rows;
}

const STARTUP_HEADER = ['what', 'size / time', 'note'];

function machineLine(m) {
  return `${m.cpuModel}, ${m.cores} cores, ${(m.memoryBytes / 1024 ** 3).toFixed(1)} GB RAM, Linux ${m.kernel}, Node ${m.node}; load average at start ${m.loadAverage.join(' / ')}`;
}

/** The whole report as plain text for the terminal. */
export function renderText(results) {
  const out = [];
  out.push(`Portolan bench — ${results.startedAt}`);
  out.push(`Machine: ${machineLine(results.machine)}`);
  for (const entry of results.sockets ?? []) {
    out.push('');
    if (entry.error) {
      out.push(`Listening sockets, N=${entry.n}: ${entry.error}`);
      continue;
    }
    out.push(
      `Listening sockets, N=${entry.n}${entry.processes === 1 ? ' (one process)' : ''}: ${entry.farm.tcpListeners} TCP listeners (${entry.farm.tcpOnIpv6} on ::1) + ${entry.farm.establishedConnections} established + ${entry.farm.udpSockets} UDP, ${entry.farm.processes} processes; ${entry.machineTcpSockets ?? '?'} TCP sockets on the machine in all; median of ${entry.runs} runs; load ${entry.loadAverageAtStart.join('/')}`,
    );
    out.push(textTable(SOCKET_HEADER, socketRows(entry)));
    for (const e of entry.coldProfileTop ?? []) {
      out.push(`  ${ms(e.ms).padStart(7)} ms  ${e.fn}`);
    }
  }
  if (results.finders?.throughput) {
    out.push('', 'Finders (scanText), warm passes:');
    out.push(textTable(FINDER_HEADER, finderRows(results)));
  }
  if (results.finders?.hover) {
    out.push('', 'Hover latency (in-process):');
    out.push(textTable(HOVER_HEADER, hoverRows(results)));
  }
  if (results.finders?.editThenHover) {
    const edit = results.finders.editThenHover;
    out.push(
      '',
      `First hover after a one-character edit (${edit.lines}-line compose file, ${edit.samples} edits):`,
    );
    out.push(textTable(EDIT_HEADER, editRows(results)));
  }
  for (const key of ['throughputError', 'hoverError']) {
    if (results.finders?.[key]) {
      out.push(`finders: ${key}: ${results.finders[key].split('\n')[0]}`);
    }
  }
  if (results.workspaceIndex) {
    out.push('', 'Workspace index (CLI walker + scanText):');
    out.push(
      results.workspaceIndex.error
        ? `error: ${results.workspaceIndex.error.split('\n')[0]}`
        : textTable(INDEX_HEADER, indexRows(results)),
    );
  }
  if (results.checkRepository) {
    const c = results.checkRepository;
    out.push('', 'Whole-repository check:');
    out.push(c.error ? `error: ${c.error.split('\n')[0]}` : textTable(CHECK_HEADER, checkRows(results)));
    for (const entry of c.profileTop ?? []) {
      out.push(`  ${ms(entry.ms).padStart(7)} ms  ${entry.fn}`);
    }
  }
  if (results.startup) {
    out.push('', 'Start-up and size:');
    out.push(textTable(STARTUP_HEADER, startupRows(results)));
  }
  out.push('', 'Targets (issue 6):');
  out.push(textTable(TARGET_HEADER, targetRows(results)));
  return out.join('\n') + '\n';
}

/** A profile summary (profileSummary.mjs) as a folded Markdown table, or nothing without one. */
function markdownProfile(top, what) {
  if (!top?.length) {
    return [];
  }
  return [
    '',
    `<details><summary>Where ${what} spent its time (self time of one run under <code>--cpu-prof</code>)</summary>`,
    '',
    markdownTable(
      ['self time', 'function'],
      top.map((e) => [`${ms(e.ms)} ms`, e.fn]),
    ),
    '',
    '</details>',
  ];
}

/** The README "Performance" section, tables from the results and the notes written by hand. */
export function renderMarkdown(results, notes) {
  const out = [];
  out.push('## Performance', '');
  out.push(
    'Measured with `npm run bench` (`bench/run.mjs`; raw figures in `bench/results.json`), all methods in one run on the same machine:',
  );
  out.push('', `*${machineLine(results.machine)}. Run ${results.startedAt}.*`, '');
  out.push(
    'The bench opens N listening TCP sockets on loopback (a tenth on `::1`), one established loopback connection into each, and N/10 bound UDP sockets, held by 100 child processes (and once more by one process holding them all, as a big server does; one process cannot hold an fd past its limit, so there not every listener gets a connection), then times each method. Command-line tools are timed as whole processes (spawn to exit); libraries as an in-process call; Portolan both ways. "bench TCP found" checks that each method reported every bench listener by address and port, with the right pid and process name; "machine TCP ports" counts the distinct listening TCP port numbers a method reported and compares them with an `ss -Htln` taken just after it (missing / extra).',
  );
  for (const entry of results.sockets ?? []) {
    const oneProcess = entry.processes === 1 ? ', all in one process' : '';
    out.push('', `### Listening sockets, N = ${entry.n.toLocaleString('en')}${oneProcess}`, '');
    if (entry.error) {
      out.push(entry.error);
      continue;
    }
    out.push(
      `${entry.farm.tcpListeners} TCP listeners + ${entry.farm.establishedConnections} established connections + ${entry.farm.udpSockets} UDP sockets in ${entry.farm.processes} process${entry.farm.processes === 1 ? '' : 'es'} (${entry.machineTcpSockets ?? '?'} TCP sockets on the machine in all); median of ${entry.runs} runs; load average ${entry.loadAverageAtStart.join(' / ')}.`,
      '',
    );
    out.push(markdownTable(SOCKET_HEADER, socketRows(entry)));
    out.push(...markdownProfile(entry.coldProfileTop, '`portolan ls --json`'));
  }
  if (results.finders?.throughput) {
    out.push('', '### Finders', '');
    out.push(
      `\`scanText\` over a generated mixed corpus (seeded, ${results.finders.throughput.megabytes.toFixed(1)} MB in ${results.finders.throughput.files} files), median of 3 warm passes:`,
      '',
    );
    out.push(markdownTable(FINDER_HEADER, finderRows(results)));
  }
  if (results.finders?.hover) {
    out.push('', '### Hover latency', '');
    out.push(
      'In-process, on 10,000-line files, along the path `DocumentMentions` takes: `scanAs` once per document version, then `mentionAt` + `hoverMarkdown` per hover (20,000 hovers, half on a port). "Line only" is the hover before the whole file was scanned: the line under the cursor and the one above it.',
      '',
    );
    out.push(markdownTable(HOVER_HEADER, hoverRows(results)));
  }
  if (results.finders?.editThenHover) {
    const edit = results.finders.editThenHover;
    out.push(
      '',
      `First hover after a one-character edit in a ${edit.lines.toLocaleString('en')}-line compose file: ${edit.samples} edits in a row, each changing one digit of a published port, then \`scanAs\` + \`mentionAt\` + \`hoverMarkdown\` at that port. The incremental parse keeps the pieces of the last version (\`src/scan/yamlIncremental.ts\`); the whole re-parse is the same path with that turned off.`,
      '',
    );
    out.push(markdownTable(EDIT_HEADER, editRows(results)));
  }
  if (results.workspaceIndex && !results.workspaceIndex.error) {
    out.push('', '### Workspace index', '');
    out.push(
      `${results.workspaceIndex.filesIndexed} generated files indexed with the walker and finders of \`portolan scan\` (\`src/cli/walk.ts\` + \`scanText\`), every file's mentions kept in memory; files freshly written, so reads hit the page cache.`,
      '',
    );
    out.push(markdownTable(INDEX_HEADER, indexRows(results)));
  }
  if (results.checkRepository && !results.checkRepository.error) {
    const c = results.checkRepository;
    out.push('', '### Whole-repository check', '');
    out.push(
      `\`portolan check .\` as a new process over a generated Go repository (\`bench/goRepository.mjs\`: ${c.files} files, ${c.megabytes.toFixed(1)} MB: Go source and tests, testdata, docs, CI, Kubernetes, compose, nginx, .env, binary assets), warm page cache, against ripgrep counting the lines with a 2–5 digit number; median of ${c.runs} runs taking turns; load average ${c.loadAverageAtStart.join(' / ')}.`,
      '',
    );
    out.push(markdownTable(CHECK_HEADER, checkRows(results)));
    out.push(...markdownProfile(c.profileTop, '`portolan check`'));
  }
  if (results.startup) {
    out.push('', '### Start-up and size', '');
    out.push(markdownTable(STARTUP_HEADER, startupRows(results)));
  }
  out.push('', '### Against the targets', '');
  out.push(markdownTable(TARGET_HEADER, targetRows(results)));
  if (notes) {
    out.push('', notes.trim());
  }
  return out.join('\n') + '\n';
}
