import * as assert from 'node:assert/strict';
import { commandUri, liveStatusMarkdown } from '../../present/liveMarkdown';
import { names, sock } from './live-fakes';

/** Every `command:` link in the Markdown, with its decoded arguments. */
function links(markdown: string): { command: string; args: unknown[] }[] {
  return [...markdown.matchAll(/\]\(command:([\w.]+)\?([^)]*)\)/g)].map((m) => ({
    command: m[1],
    args: JSON.parse(decodeURIComponent(m[2])) as unknown[],
  }));
}

describe('live hover line', () => {
  it('says free with no holders, and offers nothing to kill', () => {
    const md = liveStatusMarkdown([], 3000, { names });
    assert.match(md, /Free on this machine/);
    assert.deepEqual(links(md), []);
  });

  it('says nothing is listening for a connect mention', () => {
    assert.match(liveStatusMarkdown([], 5432, { names, connect: true }), /Nothing is listening/);
  });

  it('names process, pid and address, with kill, open and free-port links carrying encoded args', () => {
    const md = liveStatusMarkdown([sock(3000, { pid: 812, process: 'node', address: '127.0.0.1' })], 3000, {
      names,
      selfPid: 1,
    });
    assert.match(md, /In use on this machine: node \(pid 812\) on `127\.0\.0\.1`/);
    const found = links(md);
    assert.deepEqual(
      found.map((l) => l.command),
      ['portolan.killProcess', 'portolan.openInBrowser', 'portolan.findFreePort'],
    );
    // The kill link says what to look up, never which pid: the handler reads the owner again.
    assert.deepEqual(found[0].args, [{ port: 3000, protocol: 'tcp', address: '127.0.0.1' }]);
    assert.deepEqual(found[2].args, [{ from: 3001 }]);
  });

  it('leaves the status to a diagnostic that already states it, keeping the actions', () => {
    const holders = [sock(3000, { pid: 812, process: 'node', address: '127.0.0.1' })];
    const md = liveStatusMarkdown(holders, 3000, { names, selfPid: 1, statusShown: true });
    assert.doesNotMatch(md, /In use on this machine/);
    assert.deepEqual(
      links(md).map((l) => l.command),
      ['portolan.killProcess', 'portolan.openInBrowser', 'portolan.findFreePort'],
    );
    assert.equal(liveStatusMarkdown([], 5432, { names, connect: true, statusShown: true }), '');
  });

  it('groups a dual-stack listener under one owner', () => {
    const md = liveStatusMarkdown(
      [
        sock(80, { pid: 5, process: 'nginx', address: '0.0.0.0' }),
        sock(80, { pid: 5, process: 'nginx', address: '::' }),
      ],
      80,
      { names },
    );
    assert.match(md, /nginx \(pid 5\) on `0\.0\.0\.0`, `::`/);
  });

  it('offers no kill for Docker proxies, hidden owners or the extension host itself', () => {
    const docker = liveStatusMarkdown(
      [sock(5432, { pid: 9, process: 'docker-proxy', proxy: 'docker' })],
      5432,
      { names },
    );
    assert.match(docker, /Docker-published port/);
    assert.ok(!links(docker).some((l) => l.command === 'portolan.killProcess'));
    assert.ok(
      !links(docker).some((l) => l.command === 'portolan.openInBrowser'),
      'postgres is not opened in a browser',
    );
    const hidden = liveStatusMarkdown([sock(22, { hidden: true })], 22, { names });
    assert.match(hidden, /owner is not visible/);
    assert.ok(!links(hidden).some((l) => l.command === 'portolan.killProcess'));
    const self = liveStatusMarkdown([sock(4000, { pid: 77 })], 4000, { names, selfPid: 77 });
    assert.ok(!links(self).some((l) => l.command === 'portolan.killProcess'));
  });

  it('escapes Markdown in process names', () => {
    const md = liveStatusMarkdown([sock(4000, { pid: 3, process: 'a*b[x](y)' })], 4000, { names });
    assert.ok(!md.includes('a*b[x](y)'));
    assert.match(md, /a\\\*b\\\[x\\\]\\\(y\\\)/);
  });

  it('builds command URIs VS Code can decode', () => {
    const uri = commandUri('portolan.findFreePort', { from: 8081 });
    assert.ok(uri.startsWith('command:portolan.findFreePort?'));
    assert.deepEqual(JSON.parse(decodeURIComponent(uri.split('?')[1])), [{ from: 8081 }]);
  });

  it('percent-encodes parentheses in command arguments so none ends the link', () => {
    const uri = commandUri('portolan.openInBrowser', { port: 1, address: 'a)(b' });
    assert.doesNotMatch(uri, /[()]/);
    assert.deepEqual(JSON.parse(decodeURIComponent(uri.split('?')[1])), [{ port: 1, address: 'a)(b' }]);
  });
});
