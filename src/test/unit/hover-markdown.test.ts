import * as assert from 'node:assert/strict';
import { hoverMarkdown } from '../../present/hoverMarkdown';
import type { PortMention } from '../../scan';

function m(partial: Partial<PortMention> & { port: number }): PortMention {
  return { role: 'connect', kind: 'code', range: { start: 0, end: String(partial.port).length }, ...partial };
}

describe('hover Markdown', () => {
  it('titles PostgreSQL with port, protocol and name, and links IANA', () => {
    const md = hoverMarkdown(m({ port: 5432, protocol: 'tcp', host: 'localhost' }), {});
    assert.match(md.split('\n')[0], /^\*\*5432\/tcp\*\* · PostgreSQL/);
    assert.match(md, /postgresql/);
    assert.match(md, /Connects to `localhost`/);
    assert.match(md, /iana\.org\/assignments\/service-names-port-numbers.*search=5432/);
  });

  it('prefers what developers run over a useless IANA name', () => {
    const md = hoverMarkdown(m({ port: 3000, role: 'listen' }), {});
    assert.doesNotMatch(md.split('\n')[0], /remoteware/);
    assert.match(md, /remoteware-cl/, 'the IANA entry is still shown below');
    assert.match(md, /React|Node/);
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

  it('warns about services that must not face the internet', () => {
    assert.match(hoverMarkdown(m({ port: 2375, role: 'publish' }), {}), /\$\(warning\)/);
    assert.match(hoverMarkdown(m({ port: 6379 }), {}), /\$\(warning\)/);
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
    assert.match(md, /«\[IANA registry entry\]\(https:/);
  });

  it('adds the live paragraph when given', () => {
    assert.match(
      hoverMarkdown(m({ port: 5432 }), {}, 'In use on this machine: postgres'),
      /In use on this machine/,
    );
  });
});
