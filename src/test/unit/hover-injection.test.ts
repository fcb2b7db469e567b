// Workspace text in hovers, rendered the way VS Code renders a trusted MarkdownString with theme
// icons (escaped icons kept, `marked` with GFM, then `$(name)` turned into icons): whatever a file
// says, the hover has exactly the links, elements and icons Portolan wrote, and shows the text.
import * as assert from 'node:assert/strict';
import { marked } from 'marked';
import { hoverMarkdown } from '../../present/hoverMarkdown';
import { liveStatusMarkdown } from '../../present/liveMarkdown';
import { isBlank, markdownCode, markdownText } from '../../present/markdownText';
import type { PortMention } from '../../scan';
import { names, sock } from './live-fakes';
import { seededRandom } from '../seededRandom';

const ICON = String.raw`\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\)`;

interface Rendered {
  /** `href` of every link, in order. */
  links: string[];
  /** Element names, in order, without `code` (a code span may fall back to plain text). */
  elements: string[];
  icons: string[];
  /** What the reader sees, entities decoded. */
  text: string;
}

/** VS Code's hover pipeline for a MarkdownString with `supportThemeIcons`, on top of `marked`. */
function render(markdown: string): Rendered {
  const value = markdown.replace(new RegExp(String.raw`\\${ICON}`, 'g'), (m) => `\\${m}`);
  const html = marked.parse(value, { gfm: true, async: false });
  const icons: string[] = [];
  const withIcons = html.replace(new RegExp(String.raw`(\\)?(${ICON})`, 'g'), (_m, escaped, icon: string) => {
    if (escaped) {
      return icon.replace('$', '&#36;');
    }
    icons.push(icon);
    return '';
  });
  const links = [...withIcons.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => decodeEntities(m[1]));
  const elements = [...withIcons.matchAll(/<\/?([A-Za-z][\w-]*)/g)]
    .map((m) => m[0].toLowerCase())
    .filter((e) => e !== '<code' && e !== '</code');
  const text = decodeEntities(withIcons.replace(/<[^>]*>/g, ''));
  return { links, elements, icons, text };
}

function decodeEntities(s: string): string {
  return s.replace(/&(#\d+|#x[\da-f]+|amp|lt|gt|quot);/gi, (whole, e: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
    if (e.startsWith('#')) {
      const hex = e[1] === 'x' || e[1] === 'X';
      return String.fromCodePoint(parseInt(e.slice(hex ? 2 : 1), hex ? 16 : 10));
    }
    return named[e.toLowerCase()] ?? whole;
  });
}

/** How text reads once shown: controls as spaces, whitespace runs as one. */
function shown(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex -- control characters are what is replaced
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

const STOP_LINK =
  '[Stop](command:portolan.killProcess?%5B%7B%22port%22%3A5432%2C%22pid%22%3A4242%2C%22process%22%3A%22vite%22%7D%5D)';

/** The reproductions from the report, and the shapes around them. */
const HOSTILE = [
  `x\`\` ${STOP_LINK} \`\`y`,
  `\`\`x\`\` ${STOP_LINK} \`\`y\`\``,
  `\`x\` ${STOP_LINK} \`y\``,
  `\`\`\`x\`\`\` ${STOP_LINK}`,
  `<command:portolan.killProcess?%5B%5D>`,
  `<a href="command:portolan.killProcess">stop</a>`,
  `<img src=x onerror=alert(1)>`,
  `&#91;Stop&#93;(command:portolan.killProcess)`,
  `[Stop][r]\n\n[r]: command:portolan.killProcess`,
  `https://evil.example/x www.evil.example a@evil.example`,
  `$(warning) \\$(pass) $(sync~spin)`,
  `*em* **strong** ~~del~~ _u_`,
  `x\n# heading\n- item\n> quote\n\n    code`,
  `a\\`,
  `\\`,
  '`',
  ' ` ',
  '',
  '\u202eevil\u202c',
];

const PIECES = [
  '`',
  '``',
  '```',
  '[',
  ']',
  '(',
  ')',
  '<',
  '>',
  '&',
  '\\',
  '$',
  '$(',
  '$(warning)',
  '!',
  '*',
  '_',
  '~',
  '#',
  ':',
  '/',
  '@',
  '.',
  '|',
  '-',
  ' ',
  '  ',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '&#36;',
  '&amp;',
  'command:portolan.killProcess?%5B%5D',
  'https://',
  'www.',
  'x',
  'db',
  '5432',
  'é',
  STOP_LINK,
];

function randomText(next: () => number): string {
  const length = Math.floor(next() * 12);
  let s = '';
  for (let i = 0; i < length; i++) {
    s += PIECES[Math.floor(next() * PIECES.length)];
  }
  return s;
}

interface Strings {
  host: string;
  service: string;
  variable: string;
  scheme: string;
  team: string;
  process: string;
  address: string;
}

const BENIGN: Strings = {
  host: 'x',
  service: 'x',
  variable: 'x',
  scheme: 'x',
  team: 'x',
  process: 'x',
  address: 'x',
};

/** Hovers that show every piece of workspace text: a connect and a publish mention, with a live line. */
function hovers(s: Strings): { markdown: string; shows: string[] }[] {
  const connect: PortMention = {
    port: 5432,
    role: 'connect',
    kind: 'code',
    range: { start: 0, end: 4 },
    host: s.host,
    scheme: s.scheme,
    service: s.service,
    variable: s.variable,
    isDefault: true,
  };
  const publish: PortMention = {
    port: 4000,
    role: 'publish',
    kind: 'compose',
    range: { start: 0, end: 4 },
    host: s.host,
    service: s.service,
    counterpart: { port: 80 },
  };
  const live = liveStatusMarkdown([sock(4000, { pid: 812, process: s.process, address: s.address })], 4000, {
    names,
    selfPid: 1,
  });
  return [
    // The scheme is said with the host it connects to.
    {
      markdown: hoverMarkdown(connect, {}),
      shows: [s.host, !isBlank(s.host) ? s.scheme : '', s.service, s.variable],
    },
    {
      markdown: hoverMarkdown(publish, { customPorts: { '4000': s.team } }, live),
      shows: [s.host, s.service, s.team, s.process, s.address],
    },
  ];
}

function assertSameShape(s: Strings): void {
  // The same hovers with harmless text where something shows (a blank team name is no team name).
  const benign = Object.fromEntries(
    Object.entries(s).map(([field, value]: [string, string]) => [field, isBlank(value) ? '' : 'x']),
  ) as unknown as Strings;
  const expected = hovers(benign).map((h) => render(h.markdown));
  hovers(s).forEach((hover, i) => {
    const got = render(hover.markdown);
    const context = `${JSON.stringify(s)}\n${hover.markdown}`;
    // Same targets; a command's arguments are its own JSON, carrying the address intact.
    const target = (href: string) => href.split('?')[0];
    assert.deepEqual(got.links.map(target), expected[i].links.map(target), `links differ for ${context}`);
    for (const href of got.links.filter((l) => l.startsWith('command:'))) {
      const args = JSON.parse(decodeURIComponent(href.slice(href.indexOf('?') + 1))) as unknown[];
      const address = (args[0] as { address?: string }).address;
      assert.ok(address === undefined || address === s.address, `${href} carries another address`);
    }
    assert.deepEqual(got.elements, expected[i].elements, `elements differ for ${context}`);
    assert.deepEqual(got.icons, expected[i].icons, `icons differ for ${context}`);
    for (const piece of hover.shows) {
      assert.ok(
        shown(got.text).includes(shown(piece)),
        `${JSON.stringify(piece)} is not shown as written in ${JSON.stringify(got.text)}`,
      );
    }
  });
}

describe('hover Markdown against hostile workspace text', () => {
  it('renders the reported command link in a service name as text, not a link', () => {
    const service = `x\`\` ${STOP_LINK} \`\`y`;
    const md = hoverMarkdown(
      { port: 5432, role: 'publish', kind: 'kubernetes', range: { start: 0, end: 4 }, service },
      {},
    );
    const rendered = render(md);
    // Only the hover's own "More about port 5432…" link, with nothing but the port.
    assert.deepEqual(
      rendered.links.filter((l) => l.startsWith('command:')),
      ['command:portolan.showPortInfo?%5B%7B%22port%22%3A5432%7D%5D'],
    );
    assert.ok(rendered.text.includes(`Service ${service}.`), rendered.text);
  });

  it('keeps the reported payload inert in hosts, variables, schemes and team names', () => {
    for (const payload of HOSTILE) {
      assertSameShape({ ...BENIGN, host: payload });
      assertSameShape({ ...BENIGN, variable: payload, scheme: payload });
      assertSameShape({ ...BENIGN, team: payload });
    }
  });

  it('keeps process names and addresses from the socket table inert in the live line', () => {
    for (const payload of HOSTILE) {
      assertSameShape({ ...BENIGN, process: payload, address: payload });
    }
  });

  it('adds no link, element or icon for 1,000 random strings in every field', () => {
    const next = seededRandom(0x1157);
    for (let i = 0; i < 1000; i++) {
      assertSameShape({
        host: randomText(next),
        service: randomText(next),
        variable: randomText(next),
        scheme: randomText(next),
        team: randomText(next),
        process: randomText(next),
        address: randomText(next),
      });
    }
  });

  it('puts only port, protocol and address in the Stop link, never the pid or process name', () => {
    const md = liveStatusMarkdown([sock(3000, { pid: 812, process: 'node', address: '127.0.0.1' })], 3000, {
      names,
      selfPid: 1,
    });
    const stop = render(md).links.find((l) => l.startsWith('command:portolan.killProcess?'));
    assert.ok(stop, md);
    assert.deepEqual(JSON.parse(decodeURIComponent(stop.split('?')[1])), [
      { port: 3000, protocol: 'tcp', address: '127.0.0.1' },
    ]);
  });
});

describe('markdownText and markdownCode', () => {
  it('escapes every ASCII punctuation character and spells $ as an entity', () => {
    assert.equal(markdownText('a[b](c)'), 'a\\[b\\]\\(c\\)');
    assert.equal(markdownText('$(warning)'), '&#36;\\(warning\\)');
    assert.equal(markdownText('x\r\ny'), 'x y');
  });

  it('fences code with more backticks than any run inside, padded when needed', () => {
    assert.equal(markdownCode('db'), '`db`');
    assert.equal(markdownCode('a`b'), '``a`b``');
    assert.equal(markdownCode('x`` y ``z'), '```x`` y ``z```');
    assert.equal(markdownCode('`x'), '`` `x ``');
    assert.equal(markdownCode('$(pass)'), '&#36;\\(pass\\)');
  });
});
