import * as assert from 'node:assert/strict';
import { hoverMarkdown } from '../../present/hoverMarkdown';
import type { PortMention } from '../../scan';

function m(partial: Partial<PortMention> & { port: number }): PortMention {
  return { role: 'connect', kind: 'code', range: { start: 0, end: String(partial.port).length }, ...partial };
}

describe('hover Markdown', () => {
  it('heads PostgreSQL with port, protocol, name and what the line does, once, and links the full entry', () => {
    const md = hoverMarkdown(m({ port: 5432, protocol: 'tcp', host: 'localhost' }), {});
    assert.equal(md.split('\n')[0], '**5432/tcp** · PostgreSQL — Connects to `localhost`.');
    assert.equal(md.match(/postgres/gi)?.length, 1, md);
    assert.match(
      md,
      /\[More about port 5432…\]\(command:portolan\.showPortInfo\?%5B%7B%22port%22%3A5432%7D%5D\)$/,
    );
    assert.doesNotMatch(md, /IANA/, 'the registry entry is on the port’s page');
  });

  it('prefers what developers run over a useless IANA name', () => {
    const md = hoverMarkdown(m({ port: 3000, role: 'listen' }), { language: 'javascript' });
    assert.doesNotMatch(md, /remoteware/);
    assert.match(md.split('\n')[0], /React|Node/);
  });

  it('puts the live status and its actions right under the headline, then at most three facts', () => {
    const live =
      '$(circle-filled) In use on this machine: postgres (pid 1)  \n[Stop postgres](command:x)  \n';
    const md = hoverMarkdown(
      m({
        port: 80,
        role: 'publish',
        kind: 'compose',
        counterpart: { port: 80 },
        image: 'nginx:1.27',
        variable: 'WEB_PORT',
        isDefault: true,
      }),
      { customPorts: { '80': 'edge' } },
      live,
    );
    const blocks = md.split('\n\n');
    assert.equal(blocks.length, 3, md);
    assert.match(blocks[0], /^\*\*80\/tcp\*\* · \S+ — Published on the host → container port 80\.$/);
    assert.equal(blocks[1], live.trimEnd());
    const facts = blocks[2].split('  \n');
    assert.equal(facts.length, 4, 'three facts and the More link');
    assert.match(facts[3], /^\[More about port 80…\]/);
  });

  it('leaves out the facts a diagnostic at the same place already states', () => {
    const mention = m({ port: 80, role: 'listen', kind: 'nginx' });
    assert.match(hoverMarkdown(mention, {}), /needs root/);
    assert.doesNotMatch(hoverMarkdown(mention, { shownRules: new Set(['privileged-port']) }), /needs root/);
    const redis = m({ port: 6379, role: 'publish', kind: 'compose', counterpart: { port: 6379 } });
    assert.match(hoverMarkdown(redis, {}), /\$\(warning\)/);
    assert.doesNotMatch(hoverMarkdown(redis, { shownRules: new Set(['exposed-database']) }), /\$\(warning\)/);
  });

  it('names a code file’s development server after the file’s language, or neutrally', () => {
    // The report: an Express `app.listen(process.env.PORT || 8000)` was headed "Django `runserver`".
    const express = m({ port: 8000, role: 'listen', variable: 'PORT', isDefault: true });
    const js = hoverMarkdown(express, { language: 'javascript' });
    assert.doesNotMatch(js, /Django|runserver|Laravel|Gatsby/);
    assert.equal(js.split('\n')[0], '**8000/tcp** · Web server — Listens on this machine.');
    assert.equal(
      hoverMarkdown(express, { language: 'python' }).split('\n')[0],
      '**8000/tcp** · uvicorn \\/ FastAPI — Listens on this machine.',
    );
    assert.match(
      hoverMarkdown(m({ port: 5000, role: 'listen' }), { language: 'python' }),
      /Flask dev server/,
    );
    assert.match(hoverMarkdown(m({ port: 3000, role: 'listen' }), { language: 'python' }), /· Web server —/);
    // A client connecting, and files that are not code, keep the usual name.
    assert.match(hoverMarkdown(m({ port: 5432, host: 'db' }), { language: 'javascript' }), /PostgreSQL/);
    assert.match(
      hoverMarkdown(m({ port: 8000, role: 'publish', kind: 'compose' }), { language: 'yaml' }),
      /Django runserver/,
    );
  });

  it('shows no literal backticks in a common-use name', () => {
    for (const port of [8000, 4000, 1313, 4200, 5000]) {
      const headline = hoverMarkdown(m({ port, role: 'publish', kind: 'compose' }), {}).split('\n')[0];
      assert.doesNotMatch(headline, /\\`/, headline);
    }
  });

  it('follows a Kubernetes Service: nodePort → port → targetPort → containerPort', () => {
    const k = (partial: Partial<PortMention> & { port: number }): string =>
      hoverMarkdown(m({ kind: 'kubernetes', service: 'web', ...partial }), {}).split('\n')[0];
    // The report: nodePort 30080 said "→ container port 80"; the Service port 80 said it needs root.
    assert.match(
      k({ port: 30080, role: 'publish', counterpart: { port: 80 }, syntax: { key: 'nodePort' } }),
      /— Node port: every node forwards it to Service port 80\./,
    );
    const service = hoverMarkdown(
      m({
        kind: 'kubernetes',
        port: 80,
        role: 'expose',
        counterpart: { port: 8000 },
        syntax: { key: 'port' },
      }),
      {},
    );
    assert.match(service, /— Service port on the cluster IP; forwards to target port 8000 on the pods\./);
    assert.doesNotMatch(service, /root|Exposed by the container/);
    assert.match(
      k({ port: 8000, role: 'target', counterpart: { port: 80 } }),
      /— Target port: the Service forwards its port 80 here, to the pods\./,
    );
    assert.match(
      k({ port: 8000, role: 'expose', syntax: { key: 'containerPort' } }),
      /— Container port of the pod; not bound on the node\./,
    );
  });

  it('shows the team name first', () => {
    const md = hoverMarkdown(m({ port: 4000 }), { customPorts: { '4000': 'billing-api' } });
    assert.match(md.split('\n')[0], /billing\\-api/);
    assert.match(md, /Team port: \*\*billing\\-api\*\*/);
  });

  it('explains a compose mapping from both sides', () => {
    const host = hoverMarkdown(
      m({
        port: 8080,
        role: 'publish',
        kind: 'compose',
        counterpart: { port: 80 },
        service: 'web',
        host: '127.0.0.1',
      }),
      {},
    );
    assert.match(host, /Published on the host on `127\.0\.0\.1` → container port 80\. Service `web`\./);
    const container = hoverMarkdown(
      m({ port: 80, role: 'target', kind: 'compose', counterpart: { port: 8080 } }),
      {},
    );
    assert.match(container, /Container port, published on host port 8080/);
  });

  it('says a system port needs privileges, with the threshold from options', () => {
    assert.match(hoverMarkdown(m({ port: 443, role: 'listen' }), {}), /root|privilege/i);
    assert.doesNotMatch(
      hoverMarkdown(m({ port: 443, role: 'listen' }), { unprivilegedStart: 0 }),
      /needs root/i,
    );
  });

  it('warns about services that must not face the internet where the line serves them', () => {
    assert.match(hoverMarkdown(m({ port: 2375, role: 'publish' }), {}), /\$\(warning\)/);
    assert.match(hoverMarkdown(m({ port: 6379, role: 'listen' }), {}), /\$\(warning\)/);
    assert.doesNotMatch(hoverMarkdown(m({ port: 6379, host: 'cache' }), {}), /\$\(warning\)/);
  });

  it('calls invalid numbers invalid and nothing else', () => {
    for (const port of [99999, -1, 65536]) {
      const md = hoverMarkdown(m({ port }), {});
      assert.match(md, /Not a valid port/);
      assert.doesNotMatch(md, /IANA/);
    }
  });

  it('mentions defaults of variables and ranges', () => {
    const md = hoverMarkdown(m({ port: 8080, role: 'publish', variable: 'WEB_PORT', isDefault: true }), {});
    assert.match(md, /default when `WEB_PORT` is unset/);
    assert.match(
      hoverMarkdown(m({ port: 3000, portEnd: 3005, role: 'publish' }), {}),
      /^\*\*3000–3005\/tcp\*\*/,
    );
  });

  it('escapes Markdown in names that come from files', () => {
    const md = hoverMarkdown(m({ port: 8080, role: 'publish', service: 'a`b' }), {
      customPorts: { '8080': '*x*' },
    });
    assert.match(md, /\\\*x\\\*/);
    assert.match(md, /Service ``a`b``\./);
  });

  it('words every sentence through the translator it is given', () => {
    const seen: string[] = [];
    const md = hoverMarkdown(
      m({ port: 5432, role: 'publish', host: '127.0.0.1', counterpart: { port: 5432 }, service: 'db' }),
      {},
      undefined,
      (message, ...args) => {
        seen.push(message);
        return `«${message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]))}»`;
      },
    );
    assert.ok(seen.includes('Published on the host on {0} → container port {1}.'));
    assert.ok(seen.includes('Service {0}.'));
    assert.match(md, /«Published on the host on `127\.0\.0\.1` → container port 5432\.» «Service `db`\.»/);
    assert.match(md, /\[«More about port 5432…»\]\(command:/);
  });

  it('adds the live paragraph when given', () => {
    assert.match(
      hoverMarkdown(m({ port: 5432 }), {}, 'In use on this machine: postgres'),
      /In use on this machine/,
    );
  });
});
