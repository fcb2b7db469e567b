import * as assert from 'node:assert/strict';
import { describePort } from '../../data/registry';
import { searchPorts } from '../../data/portSearch';
import { escapeHtml, portInfoHtml, type PortInfoPageModel } from '../../present/portInfoPage';

describe('Show Port Information: search', () => {
  it('finds a port by number first, then by what its number starts with', () => {
    const hits = searchPorts('5432');
    assert.equal(hits[0].port, 5432);
    assert.match(hits[0].name ?? '', /postgres/i);
    assert.equal(hits[0].source, 'number');
    assert.deepEqual(searchPorts(':5432')[0].port, 5432);
    assert.ok(searchPorts('80').some((h) => h.port === 8080));
  });

  it('finds common uses by name: redis, kafka, postgresql', () => {
    assert.equal(searchPorts('redis')[0].port, 6379);
    assert.equal(searchPorts('kafka')[0].port, 9092);
    assert.equal(searchPorts('PostgreSQL')[0].port, 5432);
    // One hit per port, best first, bounded.
    const ports = searchPorts('http').map((h) => h.port);
    assert.equal(new Set(ports).size, ports.length);
    assert.ok(ports.length <= 50);
  });

  it('finds IANA service names, and team names before anything else', () => {
    assert.ok(searchPorts('ultraseek-http').some((h) => h.port === 8765 && h.source === 'iana'));
    const team = searchPorts('billing', { customPorts: { '4000': 'billing-api' } });
    assert.deepEqual(team[0], { port: 4000, name: 'billing-api', source: 'team' });
  });

  it('returns nothing for an empty query or a number that is no port', () => {
    assert.deepEqual(searchPorts('  '), []);
    assert.equal(
      searchPorts('70000').some((h) => h.port === 70000),
      false,
    );
  });
});

describe('Show Port Information: page', () => {
  const model = (overrides: Partial<PortInfoPageModel> = {}): PortInfoPageModel => ({
    info: describePort(6379, undefined, { customPorts: { '6379': 'cache <b>"prod"</b>' } }),
    name: 'cache <b>"prod"</b>',
    live: { kind: 'free' },
    actions: [{ label: 'Watch Port', href: 'command:portolan.watchPort?%5B%7B%22port%22%3A6379%7D%5D' }],
    watched: false,
    ...overrides,
  });

  it('shows the heading, live status, actions and the registry entry', () => {
    const html = portInfoHtml(model(), { nonce: 'n0nce' });
    assert.match(html, /<h1>6379\/tcp · cache &lt;b&gt;&quot;prod&quot;&lt;\/b&gt;<\/h1>/);
    assert.match(html, /Free on this machine/);
    assert.match(
      html,
      /<a href="command:portolan\.watchPort\?%5B%7B%22port%22%3A6379%7D%5D">Watch Port<\/a>/,
    );
    assert.match(html, /Redis/);
    assert.match(html, /IANA registry/);
    assert.match(html, /<h2>Security<\/h2>\n<ul><li>Redis has no password by default/);
  });

  it('allows no script and only its own nonce’d style, and escapes every text', () => {
    const html = portInfoHtml(
      model({
        live: { kind: 'busy', holders: [{ owner: '<img src=x>', address: '127.0.0.1', protocol: 'tcp' }] },
      }),
      { nonce: 'n0nce' },
    );
    assert.match(html, /content="default-src 'none'; style-src 'nonce-n0nce';"/);
    assert.doesNotMatch(html, /<script|<img|<b>/i);
    assert.match(html, /&lt;img src=x&gt;/);
    assert.match(html, /In use on this machine/);
    assert.equal(
      escapeHtml(`<a href="x" title='y'>&</a>`),
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('says why live status is missing', () => {
    const html = portInfoHtml(
      model({ live: { kind: 'off', reason: 'Live ports are off in a virtual workspace.' } }),
      {
        nonce: 'n',
      },
    );
    assert.match(html, /Live ports are off in a virtual workspace\./);
  });
});
