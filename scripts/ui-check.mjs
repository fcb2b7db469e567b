// `npm run test:ui`: what a person sees. Packages Portolan, installs the .vsix into a throwaway code-server
// profile, opens the fixture workspace in headless chromium and checks the hover, the Problems panel and the
// Ports view, saving screenshots to .screenshots/. `npm run screenshots` (--readme) also copies them to media/
// (the README's and the walkthrough's pictures) and rewrites media/walkthrough/ports-doc.md with `portolan doc`.
// It measures the default side bar's rows, reloads the window (no "No tree item with id" errors), opens the
// walkthrough, and repeats the hover, Problems and Ports view checks in a second host started in pt-BR.
// It also brings a small compose project up on the Docker engine and checks that the Ports view names its
// containers (containers.png); it needs `npm run compile-tests` first, and PORTOLAN_DOCKER=0 skips it.
// It renames a port with Ctrl+Enter (preview) and applies the change from the Refactor Preview.
// Options: --readme, --no-package (reuse portolan.vsix), --keep (keep the run folder for debugging),
// --only=TEXT (run only the checks whose name contains TEXT, case-insensitive; pt-BR ones match "pt-BR").
/* global document, NodeFilter -- used inside page.evaluate callbacks, which run in the browser */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const host = require('./vscode-host/host.cjs');
const repoRoot = host.repoRoot;
const argv = new Set(process.argv.slice(2));
const only = process.argv
  .slice(2)
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .toLowerCase();
/** Whether a check (or a group of checks) runs in this run: all of them unless --only picks some. */
const wanted = (name) => only === undefined || name.toLowerCase().includes(only);
const shotsDir = path.join(repoRoot, '.screenshots');
const vsix = path.join(repoRoot, 'portolan.vsix');
const t0 = Date.now();
const lap = (message) => console.log(`[ui ${((Date.now() - t0) / 1000).toFixed(1)}s] ${message}`);

/** @type {{ name: string, status: 'pass' | 'fail' | 'pending', detail: string, ms: number }[]} */
const results = [];

function manifest() {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
}

/** `%key%` strings in package.json resolved through package.nls.json, as VS Code shows them. */
function localized(value) {
  const match = /^%(.+)%$/.exec(value ?? '');
  if (!match) return value;
  const nls = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8'));
  return nls[match[1]] ?? value;
}

function npmRun(script) {
  const npmCli = process.env.npm_execpath;
  const [command, args] =
    npmCli && npmCli.endsWith('.js')
      ? [process.execPath, [npmCli, 'run', '--silent', script]]
      : ['npm', ['run', '--silent', script]];
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0)
    throw new Error(`npm run ${script} failed (exit ${result.status ?? result.signal})`);
}

/** Runs one check; a failure leaves a screenshot of what was on screen (failed-<shot>.png). */
async function check(name, shot, page, run) {
  if (!wanted(name)) return;
  const started = Date.now();
  let firstError;
  // A browser check gets one more attempt after a failure, as Playwright's `retries` gives: a busy
  // CI machine can drop a keystroke. The retry is printed and counted, never silent.
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      const outcome = await run();
      const pending = outcome && typeof outcome === 'object' && 'pending' in outcome;
      const detail = pending ? outcome.pending : (outcome ?? '');
      results.push({
        name,
        status: pending ? 'pending' : 'pass',
        retried: firstError !== undefined,
        detail:
          firstError === undefined
            ? detail
            : `${detail} (passed on the second attempt; first: ${firstError})`,
        ms: Date.now() - started,
      });
      break;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await screenshot(page, attempt === 1 ? `failed-${shot}` : `failed-again-${shot}`).catch(() => {});
      if (attempt === 1) {
        firstError = message.split('\n')[0];
        lap(`RETRY ${name}: ${firstError}`);
        for (let i = 0; i < 3; i++) await page.keyboard.press('Escape').catch(() => {});
        await page.waitForTimeout(1000);
        continue;
      }
      results.push({ name, status: 'fail', detail: message, ms: Date.now() - started });
    }
  }
  const last = results.at(-1);
  lap(`${last.status.toUpperCase()} ${name} (${last.ms} ms): ${last.detail}`);
}

async function screenshot(page, file) {
  fs.mkdirSync(shotsDir, { recursive: true });
  // Hovers and panels fade in; a shot taken mid-animation shows them greyed out.
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), null, {
      timeout: 5000,
    })
    .catch(() => {});
  await page.screenshot({ path: path.join(shotsDir, file) });
}

/** Opens a workspace file from the Explorer, the way a person does, and waits for its text to render. */
async function openFromExplorer(page, fileName, expectedText) {
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName }).first();
  // An earlier check may have left another view in the side bar (the Portolan container): open the Explorer.
  if (!(await row.isVisible())) await runFromPalette(page, 'View: Show Explorer');
  await row.click();
  await page
    .locator('.editor-group-container .monaco-editor .view-line', { hasText: expectedText })
    .first()
    .waitFor({ timeout: 30000 });
}

/** Screen point over the `occurrence`-th `needle` inside the rendered line that contains `lineText`. */
async function pointAt(page, lineText, needle) {
  const line = page
    .locator('.editor-group-container .monaco-editor .view-line', { hasText: lineText })
    .first();
  return line.evaluate((element, wanted) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const index = node.textContent.indexOf(wanted);
      if (index < 0) continue;
      const range = document.createRange();
      range.setStart(node, index + 1);
      range.setEnd(node, index + 2);
      const box = range.getBoundingClientRect();
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    }
    return undefined;
  }, needle);
}

/** Moves the mouse onto a word until a hover whose text matches `expected` shows; returns its text. */
async function hoverUntil(page, lineText, needle, expected) {
  let text = '';
  for (let attempt = 0; attempt < 8; attempt++) {
    const point = await pointAt(page, lineText, needle);
    if (!point) throw new Error(`"${needle}" is not on screen`);
    await page.mouse.move(point.x - 2, point.y);
    await page.mouse.move(point.x, point.y);
    try {
      await page.waitForFunction(
        (source) =>
          [...document.querySelectorAll('.monaco-hover')].some((e) =>
            new RegExp(source, 'i').test(e.textContent ?? ''),
          ),
        expected.source,
        { timeout: 4000 },
      );
    } catch {
      // the hover may have been dismissed by a late layout change; move away and try again
    }
    text = (await page.locator('.monaco-hover').allTextContents()).join(' ').replace(/\s+/g, ' ').trim();
    if (expected.test(text)) return text;
    await page.mouse.move(5, 5);
  }
  throw new Error(
    `no hover matching ${expected} over "${needle}"; last hover text: ${JSON.stringify(text.slice(0, 300))}`,
  );
}

/**
 * A compose project `shop` (db, web) on loopback, from the busybox test image, so the Ports view has containers
 * to name. Returns undefined when container checks are not wanted (PORTOLAN_DOCKER=0).
 */
async function startStack(workspace) {
  if (process.env.PORTOLAN_DOCKER === '0') return undefined;
  const engineModule = path.join(repoRoot, 'out/test/dockerEngine.js');
  if (!fs.existsSync(engineModule))
    throw new Error(`${engineModule} is missing: run npm run compile-tests first`);
  const engine = require(engineModule);
  const { findFreePort } = require(path.join(repoRoot, 'out/system/freePort.js'));
  await engine.ensureEngine();
  await engine.ensureTestImage();
  const [dbPort] = await findFreePort({ from: 15432, host: '127.0.0.1' });
  const [webPort] = await findFreePort({ from: 18080, host: '127.0.0.1' });
  const file = path.join(workspace, 'shop', 'compose.yaml');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    engine.composeYaml([
      { name: 'db', hostPort: dbPort, containerPort: 5432 },
      { name: 'web', hostPort: webPort, containerPort: 8080 },
    ]),
  );
  engine.compose(file, 'shop', ['up', '-d']);
  lap(`compose project shop up: db on 127.0.0.1:${dbPort}, web on 127.0.0.1:${webPort}`);
  return {
    dbPort,
    async stop() {
      try {
        engine.compose(file, 'shop', ['down', '--timeout', '1']);
      } finally {
        await engine.removeTestContainers();
        await engine.releaseEngine();
      }
    },
  };
}

/** A project written for the rename check: web's container port 80 is written in four files, api's 80 in one. */
const RENAME_PROJECT = {
  'compose.yaml':
    'services:\n  web:\n    build: ./web\n    ports:\n      - "18180:80"\n  api:\n    build: ./api\n    ports:\n      - "18181:80"\n',
  'web/Dockerfile': 'FROM node:20\nEXPOSE 80\n',
  'web/server.js': 'app.listen(80);\n',
  'api/server.js': 'app.listen(80);\n',
  'nginx/nginx.conf': 'server {\n  listen 18100;\n  location / {\n    proxy_pass http://web:80;\n  }\n}\n',
};

/**
 * F2 on web's container port, a new number, Ctrl+Enter: the Refactor Preview lists the files of that
 * endpoint (and not api's), Apply writes them. The project is written only now and removed after, so the
 * README's pictures of the Ports view stay those of the fixture.
 */
async function renamePreviewCheck(page, workspace) {
  const folder = path.join(workspace, 'rename');
  for (const [file, text] of Object.entries(RENAME_PROJECT)) {
    fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    fs.writeFileSync(path.join(folder, file), text);
  }
  const expected = ['compose.yaml', 'Dockerfile', 'server.js', 'nginx.conf'];
  try {
    await openByPath(page, 'rename/compose.yaml', '18180:80');
    // The new files reach the index through the file watcher: ask again until the preview lists them all.
    let listed = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      const point = await pointAt(page, '18180:80', ':80');
      if (!point) throw new Error('"18180:80" is not on screen');
      await page.mouse.click(point.x, point.y);
      const input = page.locator('.rename-box .rename-input').first();
      // F2, as a person renames; when no box comes, the same command from the Command Palette.
      await page.keyboard.press('F2');
      let shown = await input
        .waitFor({ timeout: 5000 })
        .then(() => true)
        .catch(() => false);
      if (!shown) {
        lap('F2 gave no rename box within 5 s: Rename Symbol from the Command Palette');
        await runFromPalette(page, 'Rename Symbol');
        shown = await input
          .waitFor({ timeout: 30000 })
          .then(() => true)
          .catch(() => false);
        if (!shown) throw new Error('neither F2 nor Rename Symbol opened a rename box');
      }
      await input.fill('8088');
      // The rename box says which key previews: "Ctrl+Enter to Preview" here (Shift+Enter in older builds).
      await page.keyboard.press('Control+Enter');
      const pane = page.locator('.part.panel', { hasText: 'Refactor Preview' }).first();
      await pane.waitFor({ timeout: 30000 });
      await page
        .locator('.part.panel .monaco-list-row', { hasText: 'compose.yaml' })
        .first()
        .waitFor({ timeout: 30000 });
      listed = (await page.locator('.part.panel .monaco-list-row').allTextContents()).map((t) =>
        t.replace(/\s+/g, ' ').trim(),
      );
      if (expected.every((name) => listed.some((row) => row.includes(name)))) break;
      // Not indexed yet: discard this preview and ask again.
      await page.locator('.part.panel .monaco-button', { hasText: 'Discard' }).first().click();
      await page.waitForTimeout(2000);
    }
    const missing = expected.filter((name) => !listed.some((row) => row.includes(name)));
    if (missing.length > 0)
      throw new Error(`the Refactor Preview does not list ${missing.join(', ')}: ${listed.join(' | ')}`);
    await screenshot(page, 'rename-preview.png');
    await page.locator('.part.panel .monaco-button', { hasText: 'Apply' }).first().click();
    const want = {
      'compose.yaml': RENAME_PROJECT['compose.yaml'].replace('"18180:80"', '"18180:8088"'),
      'web/Dockerfile': 'FROM node:20\nEXPOSE 8088\n',
      'web/server.js': 'app.listen(8088);\n',
      'nginx/nginx.conf': RENAME_PROJECT['nginx/nginx.conf'].replace('web:80', 'web:8088'),
      'api/server.js': RENAME_PROJECT['api/server.js'],
    };
    const onDisk = () =>
      Object.keys(want).filter((file) => fs.readFileSync(path.join(folder, file), 'utf8') !== want[file]);
    // VS Code saves the files a refactoring changed (files.refactoring.autoSave); give it a moment.
    let differ = onDisk();
    for (let i = 0; i < 40 && differ.length > 0; i++) {
      await page.waitForTimeout(250);
      differ = onDisk();
    }
    if (differ.length > 0)
      throw new Error(
        `after Apply, not as expected on disk: ${differ.map((f) => `${f}: ${JSON.stringify(fs.readFileSync(path.join(folder, f), 'utf8'))}`).join('; ')}`,
      );
    return `preview listed ${expected.join(', ')} (${listed.length} rows); applied and saved, api/server.js untouched`;
  } finally {
    await runFromPalette(page, 'View: Close All Editors').catch(() => {});
    await page.keyboard.press('Escape').catch(() => {});
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/** Opens a workspace file by its path with Quick Open (files in folders the Explorer has not expanded). */
async function openByPath(page, relativePath, expectedText) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10000 });
  await input.fill(relativePath);
  const row = page
    .locator('.quick-input-widget .monaco-list-row', { hasText: path.basename(relativePath) })
    .first();
  await row.waitFor({ timeout: 10000 });
  await row.click();
  await page
    .locator('.editor-group-container .monaco-editor .view-line', { hasText: expectedText })
    .first()
    .waitFor({ timeout: 30000 });
}

/**
 * Rendered size of the shown hover, in lines of its own text: the part whose text matches
 * `pattern` (Portolan's; diagnostics and other extensions' parts are separate rows) and the whole
 * widget. The line height is read from the DOM, the width is the editor's default.
 */
async function measureHover(page, pattern) {
  return page.evaluate((source) => {
    const widget = [...document.querySelectorAll('.monaco-hover')].find(
      (e) => e.getBoundingClientRect().height > 0 && new RegExp(source).test(e.textContent ?? ''),
    );
    if (!widget) return undefined;
    const rows = [...widget.querySelectorAll('.hover-row')];
    const part = rows.find(
      (r) => new RegExp(source).test(r.textContent ?? '') && !r.querySelector('.hover-row'),
    );
    const paragraph = (part ?? widget).querySelector('p') ?? part ?? widget;
    const style = paragraph.ownerDocument.defaultView.getComputedStyle(paragraph);
    const lineHeight = Number.parseFloat(style.lineHeight) || Number.parseFloat(style.fontSize) * 1.4;
    const content = widget.querySelector('.monaco-scrollable-element > *') ?? widget;
    return {
      lineHeight,
      width: Math.round(widget.getBoundingClientRect().width),
      partLines: (part ?? widget).getBoundingClientRect().height / lineHeight,
      wholeLines: Math.max(content.scrollHeight, widget.getBoundingClientRect().height) / lineHeight,
      rows: rows.length,
    };
  }, pattern.source);
}

/**
 * The activity-bar entry as a whole: its badge ("2 workspace ports are in use") lies over the icon and
 * takes the click, so the entry that holds both is what gets clicked.
 */
function portolanActivityItem(page) {
  return page.locator('.activitybar .action-item:has([aria-label^="Portolan"])').first();
}

/** Shows the Portolan container in the side bar (clicking its activity-bar item only when it is not shown). */
async function showPortolanSideBar(page) {
  const title =
    (await page
      .locator('.part.sidebar .composite.title')
      .first()
      .textContent()
      .catch(() => '')) ?? '';
  if (/portolan/i.test(title) && (await page.locator('.part.sidebar').isVisible())) return;
  await portolanActivityItem(page).click();
  await page
    .locator('.part.sidebar .composite.title', { hasText: /portolan/i })
    .first()
    .waitFor({ timeout: 15000 });
}

/** Runs a command from the palette, as a person would: F1, its title, Enter. */
async function runFromPalette(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10000 });
  await input.fill(`>${title}`);
  // Click the row that carries this title: Enter would run whichever row is focused (a recently used one).
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 10000 });
  await row.click();
}

/** The rendered text of the first editor line containing `lineText` (spaces normalized). */
async function editorLine(page, lineText) {
  const line = page
    .locator('.editor-group-container .monaco-editor .view-line', { hasText: lineText })
    .first();
  return ((await line.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * The same package in a host started with `--locale pt-br` and the test language pack: what a
 * Portuguese-speaking person sees in the hover, the Problems panel and the Ports view.
 */
async function ptBrChecks(browser, workspace) {
  const runDir = host.makeRunDir('ui-pt-br');
  host.runCodeServerCli(runDir, ['--install-extension', vsix]);
  host.installLanguagePack(runDir, path.join(repoRoot, 'src/test/fixtures/language-pack-pt-br'));
  const server = await host.startCodeServer({
    runDir,
    extraArgs: ['--locale', 'pt-br'],
    settings: { 'workbench.colorTheme': 'Default Dark Modern' },
  });
  const page = await browser.newPage();
  try {
    await page.goto(host.workbenchUrl(server, { folder: workspace }));
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60000 });
    await check(
      'in pt-BR, the hover, the Problems panel and the Ports view read in Portuguese',
      'pt-br.png',
      page,
      async () => {
        const language = await page.evaluate(() => globalThis._VSCODE_NLS_LANGUAGE);
        if (language !== 'pt-br') throw new Error(`the workbench runs in "${language}", not pt-br`);
        await openFromExplorer(page, 'compose.yaml', '5432:5432');
        const hover = await hoverUntil(page, '5432:5432', '5432', /Mais sobre a porta 5432/);
        if (/More about|In use on this machine|Free on this machine/.test(hover))
          throw new Error(`the hover still has English in it: ${hover.slice(0, 200)}`);
        await page.mouse.move(5, 5);
        await page.keyboard.press('Escape');
        await page.locator('#status\\.problems, .statusbar-item[id="status.problems"]').first().click();
        const problem = page
          .locator('.markers-panel .monaco-list-row', { hasText: 'A porta 8080/tcp do host' })
          .first();
        await problem.waitFor({ timeout: 30000 });
        await portolanActivityItem(page).click();
        const section = page
          .locator('.part.sidebar .monaco-list-row', { hasText: 'Espaço de trabalho' })
          .first();
        await section.waitFor({ timeout: 60000 });
        const header = (
          (await page.locator('.part.sidebar .composite.title').first().textContent()) ?? ''
        ).trim();
        await screenshot(page, 'pt-br.png');
        return `workbench pt-br; hover "${hover.slice(0, 60)}…"; Problems row in Portuguese; side bar "${header}" with "Espaço de trabalho"`;
      },
    );
  } finally {
    await page.close().catch(() => {});
    await server.stop();
    if (!argv.has('--keep') && results.every((r) => r.status !== 'fail'))
      fs.rmSync(runDir, { recursive: true, force: true });
  }
}

async function main() {
  host.requireHostInstalled();
  if (!argv.has('--no-package')) {
    lap('npm run package');
    npmRun('package');
  }
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing (run npm run package)`);
  const contributes = manifest().contributes ?? {};

  const runDir = host.makeRunDir('ui');
  // A fresh copy per run (checks must not edit the source tree); its folder name shows in the screenshots.
  const workspaceParent = fs.mkdtempSync(path.join(os.tmpdir(), 'portolan-ui-'));
  const workspace = path.join(workspaceParent, 'fixture-workspace');
  fs.cpSync(path.join(repoRoot, 'src/test/fixtures/workspace'), workspace, { recursive: true });
  let stack;
  lap('install portolan.vsix with code-server --install-extension');
  const installed = host.runCodeServerCli(runDir, ['--install-extension', vsix]);
  if (!/successfully installed/i.test(installed))
    throw new Error(`--install-extension did not confirm:\n${installed}`);

  const server = await host.startCodeServer({
    runDir,
    settings: { 'workbench.colorTheme': 'Default Dark Modern' },
  });
  lap(`code-server on ${server.url}`);
  let browser;
  const stopAll = async () => {
    try {
      await browser?.close();
    } catch {
      // already closed
    }
    await server.stop();
  };
  process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    if (wanted('containers')) stack = await startStack(workspace);
    browser = await host.launchBrowser(path.join(runDir, 'chromium-profile'));
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (error) => console.error('[workbench error]', error.message));
    await page.goto(host.workbenchUrl(server, { folder: workspace }));
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60000 });
    lap('workbench ready');

    await check('hover over 5432 in compose.yaml shows PostgreSQL', 'hover.png', page, async () => {
      await openFromExplorer(page, 'compose.yaml', '5432:5432');
      const text = await hoverUntil(page, '5432:5432', '5432', /postgres/i);
      if (!/5432/.test(text)) throw new Error(`hover does not name the port: ${text}`);
      await screenshot(page, 'hover.png');
      return text.slice(0, 120);
    });
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');

    await check('hovers fit in 12 lines in every file kind', 'hover-heights.png', page, async () => {
      const probes = [
        ['compose.yaml', '5432:5432', '5432', /5432\/tcp/],
        ['compose.yaml', '8080:80', '8080', /8080\/tcp/],
        ['nginx/nginx.conf', 'listen 80', '80', /80\/tcp/],
        ['.env', 'PORT=3000', '3000', /3000\/tcp/],
        ['Dockerfile', 'EXPOSE 8080', '8080', /8080\/tcp/],
        ['server.js', 'app.listen(3000', '3000', /3000\/tcp/],
        ['app.py', 'port=5000', '5000', /5000\/tcp/],
        ['k8s/deployment.yaml', 'containerPort: 8080', '8080', /8080\/tcp/],
        ['k8s/deployment.yaml', '- port: 80', '80', /80\/tcp/],
      ];
      const measured = [];
      const tall = [];
      for (const [file, lineText, needle, expected] of probes) {
        await openByPath(page, file, lineText);
        // The hover fades in: measure once it has a size, hovering again if it went away meanwhile.
        let size;
        for (let attempt = 0; attempt < 3 && !size; attempt++) {
          await hoverUntil(page, lineText, needle, expected);
          await page
            .waitForFunction(
              (source) =>
                [...document.querySelectorAll('.monaco-hover')].some(
                  (e) => e.getBoundingClientRect().height > 0 && new RegExp(source).test(e.textContent ?? ''),
                ),
              expected.source,
              { timeout: 3000 },
            )
            .catch(() => {});
          size = await measureHover(page, expected);
          if (!size) await page.mouse.move(5, 5);
        }
        if (!size) throw new Error(`no hover to measure over ${needle} in ${file}`);
        const shot = `hover-${file.replace(/[^a-z0-9]+/gi, '-')}-${needle}.png`;
        await screenshot(page, shot);
        measured.push(
          `${file} ${needle}: ${size.partLines.toFixed(1)} lines (widget ${size.wholeLines.toFixed(1)}, ${size.rows} rows, ${size.width}px, line ${size.lineHeight}px)`,
        );
        if (size.partLines > 12.5)
          tall.push(`${file} ${needle} (${size.partLines.toFixed(1)} lines, ${shot})`);
        await page.mouse.move(5, 5);
        await page.keyboard.press('Escape');
      }
      lap(`hover heights:\n  ${measured.join('\n  ')}`);
      if (tall.length > 0) throw new Error(`hovers taller than 12 lines: ${tall.join('; ')}`);
      return measured.map((m) => m.replace(/ \(.*$/, '')).join('; ');
    });
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');

    await check(
      'conflicting 8080 shows a squiggle and its message in the Problems panel',
      'problems.png',
      page,
      async () => {
        await openFromExplorer(page, 'compose.yaml', '8080:80');
        // Problems status-bar item: what a person clicks to open the panel.
        await page.locator('#status\\.problems, .statusbar-item[id="status.problems"]').first().click();
        const row = page.locator('.markers-panel .monaco-list-row', { hasText: '8080' }).first();
        await row.waitFor({ timeout: 30000 });
        const message = (await row.textContent())?.replace(/\s+/g, ' ').trim() ?? '';
        if (!/portolan/i.test(message))
          throw new Error(`the Problems row for 8080 does not come from Portolan: ${message}`);
        const squiggles = await page
          .locator('.editor-group-container .monaco-editor .view-overlays [class*="squiggly-"]')
          .count();
        if (squiggles === 0)
          throw new Error('the Problems panel lists the conflict but the editor shows no squiggle');
        await screenshot(page, 'problems.png');
        return `${squiggles} squiggle(s); ${message.slice(0, 120)}`;
      },
    );

    await check('the Ports view opens from the activity bar', 'sidebar.png', page, async () => {
      const container = (contributes.viewsContainers?.activitybar ?? []).find((c) => c.id === 'portolan');
      if (!container) return { pending: 'package.json contributes no activity-bar container "portolan" yet' };
      const title = localized(container.title);
      const item = page
        .locator('.activitybar .action-item', { has: page.locator(`[aria-label^="${title}"]`) })
        .first();
      const itemByLabel = page
        .locator(`.activitybar .action-item[aria-label^="${title}"], .activitybar a[aria-label^="${title}"]`)
        .first();
      await ((await item.count()) > 0 ? item : itemByLabel).click();
      const sideBarTitle = page.locator('.part.sidebar .composite.title', {
        hasText: new RegExp(title, 'i'),
      });
      await sideBarTitle.first().waitFor({ timeout: 15000 });
      const views = (contributes.views?.portolan ?? []).map((v) => localized(v.name));
      const body = (await page.locator('.part.sidebar').textContent()) ?? '';
      const missing = views.filter((name) => !new RegExp(name, 'i').test(body));
      if (missing.length > 0)
        throw new Error(`side bar opened but does not show view(s) ${missing.join(', ')}`);
      // The view is alive, not just laid out: it lists ports (the fixture declares several). Which rows are on
      // screen depends on this machine's listeners, so a specific port is only reported, not required.
      await page.locator('.part.sidebar .monaco-list-row:visible').first().waitFor({ timeout: 60000 });
      const rows = await page.locator('.part.sidebar .monaco-list-row:visible').count();
      const shows5432 =
        (await page.locator('.part.sidebar .monaco-list-row:visible', { hasText: ':5432' }).count()) > 0;
      await screenshot(page, 'sidebar.png');
      return `side bar "${title}" with view(s) ${views.join(', ')}, ${rows} rows on screen${shows5432 ? ', including :5432 from compose.yaml' : ''}`;
    });

    await check(
      'the Ports view names the containers of a running compose project',
      'containers.png',
      page,
      async () => {
        if (!stack)
          return {
            pending: 'container checks skipped: PORTOLAN_DOCKER=0',
          };
        await runFromPalette(page, localized('%command.groupByProcess%'));
        // Grouped, a container row reads "shop_db_1  db · shop (image)"; its published port sits under it.
        const row = page.locator('.part.sidebar .monaco-list-row:visible', { hasText: 'shop_db_1' }).first();
        await row.waitFor({ timeout: 60000 });
        const label = (await row.textContent())?.replace(/\s+/g, ' ').trim() ?? '';
        const port = page
          .locator('.part.sidebar .monaco-list-row:visible', { hasText: `${stack.dbPort}/tcp` })
          .first();
        await port.waitFor({ timeout: 15000 });
        await page.mouse.move(5, 5);
        await screenshot(page, 'containers.png');
        return label.slice(0, 120);
      },
    );

    await check(
      'the activity-bar container is named Portolan, apart from the Ports view inside it',
      'container.png',
      page,
      async () => {
        const container = (contributes.viewsContainers?.activitybar ?? []).find((c) => c.id === 'portolan');
        const title = localized(container?.title);
        if (title !== 'Portolan') throw new Error(`the container is titled "${title}", not "Portolan"`);
        const item = page.locator(`.activitybar [aria-label^="Portolan"]`).first();
        await item.waitFor({ timeout: 15000 });
        const sideBarTitle =
          (await page.locator('.part.sidebar .composite.title').first().textContent()) ?? '';
        if (!/portolan/i.test(sideBarTitle))
          throw new Error(`the side bar title reads "${sideBarTitle.trim()}", not Portolan`);
        const viewHeader = (await page.locator('.part.sidebar .pane-header').allTextContents()).join(' | ');
        if (!/ports/i.test(viewHeader) && !/ports/i.test(sideBarTitle))
          throw new Error(`no Ports view under the Portolan container: ${viewHeader}`);
        await screenshot(page, 'container.png');
        return `activity bar "Portolan"; side bar "${sideBarTitle.trim()}"; view header(s) ${viewHeader.trim() || '(single view)'}`;
      },
    );

    await check(
      'Find a Free Port… shows the port and leaves the open file unchanged',
      'free-port.png',
      page,
      async () => {
        await openFromExplorer(page, 'server.js', 'app.listen(3000');
        // The cursor right after 3000, where the issue saw "80008766" appear.
        const point = await pointAt(page, 'app.listen(3000', '3000');
        if (!point) throw new Error('"3000" is not on screen');
        await page.mouse.click(point.x, point.y);
        await page.keyboard.press('End');
        const lineBefore = await editorLine(page, 'app.listen(');
        await runFromPalette(page, localized('%command.findFreePort%'));
        // The question where to start, prefilled with 3000: accept it as it is.
        await page.waitForFunction(
          () => document.querySelector('.quick-input-widget input')?.value === '3000',
          null,
          { timeout: 15000 },
        );
        await page.keyboard.press('Enter');
        const toast = page.locator('.notification-toast', { hasText: /is free/ }).first();
        await toast.waitFor({ timeout: 30000 });
        const toastText = ((await toast.textContent()) ?? '').replace(/\s+/g, ' ').trim();
        for (const button of ['Copy', 'Insert at Cursor', 'Watch'])
          if ((await toast.locator('.monaco-button', { hasText: button }).count()) === 0)
            throw new Error(`the message has no "${button}" button: ${toastText}`);
        const lineAfter = await editorLine(page, 'app.listen(');
        if (lineAfter !== lineBefore) throw new Error(`the line changed: "${lineBefore}" -> "${lineAfter}"`);
        const dirty = await page.locator('.tabs-container .tab.active.dirty').count();
        if (dirty > 0) throw new Error('server.js is marked as modified');
        await screenshot(page, 'free-port.png');
        await page.keyboard.press('Escape');
        return `${toastText.slice(0, 80)}; line still "${lineAfter}"`;
      },
    );

    await check('Show Port Information… finds redis and opens its page', 'port-info.png', page, async () => {
      await runFromPalette(page, localized('%command.showPortInfo%'));
      await page
        .locator('.quick-input-widget input[placeholder*="service name"]')
        .first()
        .waitFor({ timeout: 15000 });
      await page.keyboard.type('redis');
      // Typing refines the list as it goes: wait for redis's row, then read which row comes first.
      await page
        .locator('.quick-input-widget .monaco-list-row', { hasText: /^\s*6379/ })
        .first()
        .waitFor({ timeout: 15000 });
      // Each keystroke replaces the items from the extension host; let the last replacement land
      // before reading the first row and pressing Enter.
      const input = page.locator('.quick-input-widget input').first();
      const first = page.locator('.quick-input-widget .monaco-list-row').first();
      let label = '';
      for (let settled = 0, tries = 0; settled < 3 && tries < 40; tries++) {
        await page.waitForTimeout(250);
        const now = ((await first.textContent()) ?? '').replace(/\s+/g, ' ').trim();
        settled = now === label && (await input.inputValue()) === 'redis' ? settled + 1 : 0;
        label = now;
      }
      if (!/^6379 · /.test(label)) throw new Error(`the first match for "redis" is "${label}"`);
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: 15000 });
      const tab = page.locator('.tabs-container .tab', { hasText: 'Port 6379' }).first();
      await tab.waitFor({ timeout: 30000 }).catch(async (error) => {
        const tabs = (await page.locator('.tabs-container .tab').allTextContents()).map((t) => t.trim());
        throw new Error(
          `no "Port 6379" tab after Enter; open tabs: ${tabs.join(' | ') || 'none'} (${error.message.split('\n')[0]})`,
        );
      });
      const frame = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
      const heading = frame.locator('h1').first();
      await heading.waitFor({ timeout: 30000 });
      const text = ((await heading.textContent()) ?? '').trim();
      if (!/^6379\/tcp · Redis/i.test(text)) throw new Error(`page heading: "${text}"`);
      const live = ((await frame.locator('body').textContent()) ?? '').replace(/\s+/g, ' ');
      if (!/On this machine/.test(live)) throw new Error('the page has no live status section');
      await screenshot(page, 'port-info.png');
      await page.keyboard.press('Control+W').catch(() => {});
      return `${label}; page "${text}"`;
    });
    await check(
      'the getting-started walkthrough opens with its four steps',
      'walkthrough.png',
      page,
      async () => {
        const walkthrough = (contributes.walkthroughs ?? []).find((w) => w.id === 'portolan.gettingStarted');
        if (!walkthrough) throw new Error('package.json contributes no walkthrough portolan.gettingStarted');
        await runFromPalette(page, 'Open Walkthrough...');
        const title = localized(walkthrough.title);
        const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
        await row.waitFor({ timeout: 15000 });
        await row.click();
        const steps = walkthrough.steps.map((step) => localized(step.title));
        for (const step of steps)
          await page
            .locator('.gettingStartedContainer .getting-started-step', { hasText: step })
            .first()
            .waitFor({ timeout: 30000 });
        await screenshot(page, 'walkthrough.png');
        await page.keyboard.press('Control+W').catch(() => {});
        return `"${title}": ${steps.join(' · ')}`;
      },
    );

    await check(
      'the default 300 px side bar shows each port row’s port, name and state uncut',
      'sidebar-width.png',
      page,
      async () => {
        await showPortolanSideBar(page);
        await page.locator('.part.sidebar .monaco-list-row:visible').first().waitFor({ timeout: 60000 });
        const measured = await page.evaluate(() => {
          const sidebar = document.querySelector('.part.sidebar');
          const rows = [...sidebar.querySelectorAll('.monaco-list-row')].filter(
            (r) => r.getBoundingClientRect().height > 0,
          );
          const cut = [];
          let checked = 0;
          let overflowing = 0;
          for (const row of rows) {
            const name = row.querySelector('.label-name');
            const container = row.querySelector('.monaco-icon-label-container');
            // Port rows only (":5432", "15432/tcp"); section and message rows say other things.
            if (!name || !container || !/^(?::\d+|\d+\/(?:tcp|udp))/.test(name.textContent ?? '')) continue;
            checked++;
            const visibleRight = container.getBoundingClientRect().right;
            if (container.scrollWidth > container.clientWidth) overflowing++;
            // The port, then the description up to its first " · ": the holder (sockets) or the
            // state (declared ports: "free", "in use by postgres (812)"). The rest is in the tooltip.
            let neededRight = name.getBoundingClientRect().right;
            const description = row.querySelector('.label-description');
            const text = description?.firstChild;
            if (text && text.nodeType === 3) {
              const end = text.textContent.indexOf(' · ');
              const range = document.createRange();
              range.setStart(text, 0);
              range.setEnd(text, end < 0 ? text.textContent.length : end);
              neededRight = Math.max(neededRight, range.getBoundingClientRect().right);
            }
            if (neededRight > visibleRight + 0.5)
              cut.push(`${name.textContent} ${description?.textContent ?? ''}`.trim());
          }
          return { width: Math.round(sidebar.getBoundingClientRect().width), checked, overflowing, cut };
        });
        await screenshot(page, 'sidebar-width.png');
        if (measured.checked === 0) throw new Error('no port rows on screen to measure');
        if (measured.width > 320)
          throw new Error(`the side bar is ${measured.width} px wide, not the default 300 px`);
        if (measured.cut.length > 0)
          throw new Error(
            `at ${measured.width} px, ${measured.cut.length} row(s) cut their port, name or state: ${measured.cut.join(' | ')}`,
          );
        return `${measured.width} px side bar: ${measured.checked} port rows show port, name and state in full (${measured.overflowing} carry more in their tooltip)`;
      },
    );

    await check(
      'no "No tree item with id" error after reloading the window with the Ports view open',
      'reload.png',
      page,
      async () => {
        const treeErrors = [];
        const listener = (message) => {
          if (/No tree item with id/i.test(message.text())) treeErrors.push(message.text());
        };
        page.on('console', listener);
        try {
          await page.reload();
          await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
          // The side bar comes back with the Portolan container: its rows render, refresh, and re-render.
          await page.locator('.part.sidebar .monaco-list-row:visible').first().waitFor({ timeout: 60000 });
          await runFromPalette(page, localized('%command.refresh%'));
          await page.waitForTimeout(3000);
          await page.locator('.part.sidebar .monaco-list-row:visible').first().click();
          await page.keyboard.press('End');
          await page.keyboard.press('Home');
          await page.waitForTimeout(1000);
        } finally {
          page.off('console', listener);
        }
        const logs = [];
        const walk = (dir) => {
          for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const file = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(file);
            else if (
              entry.name.endsWith('.log') &&
              /No tree item with id/.test(fs.readFileSync(file, 'utf8'))
            )
              logs.push(path.relative(runDir, file));
          }
        };
        const logDir = path.join(runDir, 'user-data', 'logs');
        if (fs.existsSync(logDir)) walk(logDir);
        await screenshot(page, 'reload.png');
        if (treeErrors.length > 0 || logs.length > 0)
          throw new Error(
            `"No tree item with id" after the reload: ${[...treeErrors, ...logs.map((l) => `in ${l}`)].join('; ')}`,
          );
        return 'reloaded, view re-rendered and refreshed; no such error in the console or in the host logs';
      },
    );
    await check(
      'Rename with preview (Ctrl+Enter) lists the files that change and applies them on disk',
      'rename-preview.png',
      page,
      () => renamePreviewCheck(page, workspace),
    );

    if (wanted('pt-BR')) await ptBrChecks(browser, workspace);
  } finally {
    await stopAll();
    await stack?.stop();
    fs.rmSync(workspaceParent, { recursive: true, force: true });
    if (!argv.has('--keep') && results.every((r) => r.status !== 'fail'))
      fs.rmSync(runDir, { recursive: true, force: true });
    else lap(`run files kept in ${runDir}`);
  }

  if (argv.has('--readme')) {
    fs.mkdirSync(path.join(repoRoot, 'media'), { recursive: true });
    for (const file of ['hover.png', 'problems.png', 'sidebar.png', 'containers.png', 'rename-preview.png']) {
      const from = path.join(shotsDir, file);
      // Only shots taken by this run: a failed check must not leave a stale picture in the README.
      if (fs.existsSync(from) && fs.statSync(from).mtimeMs >= t0)
        fs.copyFileSync(from, path.join(repoRoot, 'media', file));
    }
    lap('copied fresh screenshots to media/');
    // The walkthrough's PORTS.md step shows what `portolan doc` writes for the fixture's main files.
    const table = spawnSync(
      process.execPath,
      [
        path.join(repoRoot, 'dist/cli.js'),
        'doc',
        '--stdout',
        path.join(repoRoot, 'src/test/fixtures/workspace'),
      ],
      { encoding: 'utf8' },
    ).stdout;
    const rows = table
      .split('\n')
      .filter((line) => line.startsWith('|') && !/k8s\/|Dockerfile|main\.go|\.env|diagnostics\//.test(line))
      .map((line) => line.replace(/\[(`[^`]+`)\]\([^)]*\)/g, '$1'));
    if (rows.length > 2) {
      const intro = fs
        .readFileSync(path.join(repoRoot, 'media/walkthrough/ports-doc.md'), 'utf8')
        .split('\n|')[0]
        .trimEnd();
      fs.writeFileSync(
        path.join(repoRoot, 'media/walkthrough/ports-doc.md'),
        `${intro}\n\n${rows.join('\n')}\n`,
      );
    }
  }

  console.log('\nUI checks:');
  for (const r of results)
    console.log(
      `  ${(r.retried ? `${r.status}*` : r.status).toUpperCase().padEnd(7)} ${r.name} (${r.ms} ms)${r.status === 'pass' && !r.retried ? '' : `: ${r.detail}`}`,
    );
  const failed = results.filter((r) => r.status === 'fail').length;
  const pending = results.filter((r) => r.status === 'pending').length;
  const retried = results.filter((r) => r.retried).length;
  console.log(
    `${results.length - failed - pending} passed${retried ? ` (${retried} on a second attempt, marked *)` : ''}, ${failed} failed, ${pending} pending; screenshots in ${path.relative(repoRoot, shotsDir)}/ (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`test:ui: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
