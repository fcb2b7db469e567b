// Issue 13 items 2 and 3 in the real host: the hover's shape in every file kind (a headline, the
// live status, at most three facts, a "More about port …" link) and headlines that fit the file.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  activatePortolan,
  closeAllEditors,
  setPortolanSetting,
  fixtureRoot,
  openFixture,
  portolanHoverAt,
  positionOf,
  waitForDiagnostics,
} from './helpers';

/** The hover's Markdown split into its blocks: headline, live status (when known), facts + More link. */
function shape(markdown: string): { headline: string; blocks: string[]; facts: string[] } {
  const blocks = markdown.split('\n\n');
  const facts = blocks[blocks.length - 1].split('  \n');
  return { headline: blocks[0], blocks, facts };
}

function assertDesign(markdown: string, port: number, where: string): void {
  const { headline, blocks, facts } = shape(markdown);
  assert.match(
    headline,
    new RegExp(`^\\*\\*${port}/(tcp|udp)\\*\\*( · [^—]+)? — \\S`),
    `${where}: ${headline}`,
  );
  assert.ok(blocks.length <= 3, `${where}: ${blocks.length} blocks\n${markdown}`);
  assert.ok(facts.length <= 4, `${where}: ${facts.length - 1} facts\n${markdown}`);
  assert.match(
    facts[facts.length - 1],
    new RegExp(`^\\[More about port ${port}…\\]\\(command:portolan\\.showPortInfo\\?`),
  );
  assert.doesNotMatch(markdown, /IANA|Commonly:/, `${where}: the registry entry belongs on the port’s page`);
  const name = / · ([^—]+) — /.exec(headline)?.[1];
  if (name) {
    // Named once: in the headline. A security note may use the protocol's name ("HTTP is cleartext").
    const plain = name.replace(/\\/g, '');
    const unsafe = markdown
      .replace(/\\/g, '')
      .split('\n')
      .filter((line) => !line.startsWith('$(warning)'))
      .join('\n');
    const count = unsafe.split(plain).length - 1;
    assert.equal(count, 1, `${where}: "${plain}" is repeated\n${markdown}`);
  }
}

/** A file written into the fixture workspace for one test, removed after it. */
async function openWritten(relative: string, text: string): Promise<vscode.TextDocument> {
  const file = path.join(fixtureRoot().fsPath, 'hover-design', relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(document);
  return document;
}

describe('hover design (issue 13)', () => {
  let restoreThreshold: (() => Promise<void>) | undefined;

  before(async () => {
    await activatePortolan();
    // Containers often run with ip_unprivileged_port_start=0; the privilege facts want Linux's usual 1024.
    restoreThreshold = await setPortolanSetting('privilegedPortThreshold', 1024);
  });

  after(async () => {
    await restoreThreshold?.();
  });

  afterEach(async () => {
    await closeAllEditors();
    fs.rmSync(path.join(fixtureRoot().fsPath, 'hover-design'), { recursive: true, force: true });
  });

  it('is one headline, the live status and at most three facts in every file kind', async () => {
    const probes: [string, string, number, number][] = [
      ['compose.yaml', '5432:5432', 0, 5432],
      ['compose.yaml', '8080:80', 0, 8080],
      ['nginx/nginx.conf', 'listen 80', 'listen '.length, 80],
      ['.env', 'PORT=3000', 'PORT='.length, 3000],
      ['Dockerfile', 'EXPOSE 8080', 'EXPOSE '.length, 8080],
      ['server.js', 'listen(3000', 'listen('.length, 3000],
      ['app.py', 'port=5000', 'port='.length, 5000],
      ['k8s/deployment.yaml', 'containerPort: 8080', 'containerPort: '.length, 8080],
      ['k8s/deployment.yaml', 'port: 80', 'port: '.length, 80],
    ];
    for (const [file, needle, offset, port] of probes) {
      const { document } = await openFixture(file);
      const markdown = await portolanHoverAt(document.uri, positionOf(document, needle, 0, offset + 1));
      assertDesign(markdown, port, `${file} ${needle}`);
    }
  });

  it('names an Express server neutrally, without Django or literal backticks', async () => {
    const document = await openWritten(
      'server.js',
      "const app = require('express')();\napp.listen(process.env.PORT || 8000);\n",
    );
    const markdown = await portolanHoverAt(document.uri, positionOf(document, '8000', 0, 1));
    assert.equal(shape(markdown).headline, '**8000/tcp** · Web server — Listens on this machine.');
    assert.doesNotMatch(markdown, /Django|runserver|\\`/);
  });

  it('follows a Kubernetes Service from nodePort to port to targetPort', async () => {
    const document = await openWritten(
      'service.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  ports:\n    - port: 80\n      targetPort: 8000\n      nodePort: 30080\n',
    );
    const at = async (needle: string, offset: number): Promise<string> =>
      shape(await portolanHoverAt(document.uri, positionOf(document, needle, 0, offset))).headline;
    assert.match(
      await at('nodePort: 30080', 'nodePort: '.length + 1),
      /— Node port: every node forwards it to Service port 80\./,
    );
    const service = await portolanHoverAt(
      document.uri,
      positionOf(document, 'port: 80', 0, 'port: '.length + 1),
    );
    assert.match(
      shape(service).headline,
      /— Service port on the cluster IP; forwards to target port 8000 on the pods\./,
    );
    assert.doesNotMatch(service, /root|Exposed by the container/);
    assert.match(
      await at('targetPort: 8000', 'targetPort: '.length + 1),
      /— Target port: the Service forwards its port 80 here, to the pods\./,
    );
  });

  it('calls a Python SOCK_DGRAM bind UDP', async () => {
    const document = await openWritten(
      'stats.py',
      'import socket\nsock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nsock.bind(("127.0.0.1", 8125))\n',
    );
    const markdown = await portolanHoverAt(document.uri, positionOf(document, '8125', 0, 1));
    assert.match(
      shape(markdown).headline,
      /^\*\*8125\/udp\*\* · StatsD — Listens on this machine on `127\.0\.0\.1`\./,
    );
  });

  it('reports a published Node inspector as exposed-service, and the hover does not repeat it', async () => {
    const document = await openWritten(
      'compose.yaml',
      'services:\n  api:\n    image: node:22\n    ports:\n      - "9229:9229"\n',
    );
    const diagnostics = await waitForDiagnostics(document.uri, (d) =>
      d.some((x) => typeof x.code === 'object' && x.code.value === 'exposed-service'),
    );
    assert.ok(
      !diagnostics.some((x) => typeof x.code === 'object' && x.code.value === 'exposed-database'),
      'the inspector is no database',
    );
    const markdown = await portolanHoverAt(document.uri, positionOf(document, '9229:9229', 0, 1));
    assert.doesNotMatch(markdown, /\$\(warning\)/, 'the diagnostic above already warns');
  });

  it('leaves the privilege fact to the privileged-port diagnostic at the same place', async () => {
    // Code (an nginx config beside the fixture's compose project would be nginx in a container).
    const document = await openWritten(
      'server.js',
      "const http = require('http');\nhttp.createServer(() => {}).listen(81);\n",
    );
    await waitForDiagnostics(document.uri, (d) =>
      d.some((x) => typeof x.code === 'object' && x.code.value === 'privileged-port'),
    );
    const markdown = await portolanHoverAt(
      document.uri,
      positionOf(document, 'listen(81', 0, 'listen('.length + 1),
    );
    assert.match(shape(markdown).headline, /^\*\*81\/tcp\*\*/);
    assert.doesNotMatch(markdown, /needs root/);
  });
});
