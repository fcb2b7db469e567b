import * as assert from 'node:assert/strict';
import { applyIgnoreComments, detectFileKind, scanAs, scanText } from '../../scan';
import type { PortMention } from '../../scan';
import { withFailureLog } from './logSupport';

function mention(text: string, digits: string, from = 0): PortMention {
  const start = text.indexOf(digits, from);
  assert.ok(start >= 0, `${digits} in text`);
  return { port: Number(digits), role: 'listen', kind: 'code', range: { start, end: start + digits.length } };
}

describe('detectFileKind', () => {
  const cases: Array<[string, string | undefined, string | undefined]> = [
    ['/w/compose.yaml', undefined, 'compose'],
    ['/w/docker-compose.prod.yml', undefined, 'compose'],
    ['/w/x.yml', 'dockercompose', 'compose'],
    ['/w/Dockerfile', undefined, 'dockerfile'],
    ['/w/api.Dockerfile', undefined, 'dockerfile'],
    ['/w/Dockerfile.dev', undefined, 'dockerfile'],
    ['/w/.env', undefined, 'dotenv'],
    ['/w/.env.local', undefined, 'dotenv'],
    ['/w/prod.env', undefined, 'dotenv'],
    ['/w/nginx/nginx.conf', undefined, 'nginx'],
    ['/w/conf.d/site.conf', undefined, 'nginx'],
    ['/w/app.conf', 'nginx', 'nginx'],
    ['/w/application.properties', undefined, 'properties'],
    ['/w/web/package.json', undefined, 'packagejson'],
    ['/w/.vscode/launch.json', undefined, 'launchjson'],
    ['/w/launch.json', undefined, 'code'],
    ['/w/.devcontainer/devcontainer.json', undefined, 'devcontainer'],
    ['C:\\w\\api\\server.ts', undefined, 'code'],
    ['/w/main.go', undefined, 'code'],
    ['/w/untitled-1', 'plaintext', 'code'],
    ['/w/logo.png', undefined, undefined],
    ['/w/archive.tar.gz', undefined, undefined],
  ];
  for (const [path, languageId, kind] of cases) {
    it(`${path}${languageId ? ` (${languageId})` : ''} → ${kind ?? 'nothing'}`, () => {
      assert.equal(detectFileKind(path, languageId), kind);
    });
  }

  it('routes YAML that declares apiVersion and kind to the Kubernetes finder', () => {
    const manifest = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n';
    assert.equal(detectFileKind('/w/k8s/api.yaml', undefined, manifest), 'kubernetes');
    assert.equal(detectFileKind('/w/config/app.yaml', undefined, 'server:\n  port: 8081\n'), 'code');
  });
});

describe('ignore comments', () => {
  it('silences every rule on the line with a bare marker', () => {
    const text = 'app.listen(80) // portolan-ignore\napp.listen(81)\n';
    const [a, b] = applyIgnoreComments(text, [mention(text, '80'), mention(text, '81')]);
    assert.deepEqual(a.suppressed, ['*']);
    assert.equal(b.suppressed, undefined);
  });

  it('names rules after the marker', () => {
    const text = '  - "80:80"  # portolan-ignore privileged-port, port-conflict\n';
    const [m] = applyIgnoreComments(text, [mention(text, '80')]);
    assert.deepEqual(m.suppressed, ['privileged-port', 'port-conflict']);
  });

  it('applies -next-line markers to the following line only', () => {
    const text = '# portolan-ignore-next-line exposed-database\n- "5432:5432"\n- "6379:6379"\n';
    const [pg, redis] = applyIgnoreComments(text, [mention(text, '5432'), mention(text, '6379')]);
    assert.deepEqual(pg.suppressed, ['exposed-database']);
    assert.equal(redis.suppressed, undefined);
  });

  it('does not treat a -next-line marker as silencing its own line', () => {
    const text = 'listen(8080) // portolan-ignore-next-line\n';
    const [m] = applyIgnoreComments(text, [mention(text, '8080')]);
    assert.equal(m.suppressed, undefined);
  });

  it('handles CRLF line endings', () => {
    const text = '# portolan-ignore-next-line\r\nPORT=80\r\nOTHER_PORT=81\r\n';
    const [a, b] = applyIgnoreComments(text, [mention(text, '80'), mention(text, '81')]);
    assert.deepEqual(a.suppressed, ['*']);
    assert.equal(b.suppressed, undefined);
  });
});

describe('scanText', () => {
  it('returns sorted mentions from the right finder', () => {
    const text = 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"\n';
    const mentions = scanText('/w/compose.yaml', text);
    assert.ok(mentions.length >= 2);
    assert.ok(mentions.every((m) => m.kind === 'compose'));
    for (let i = 1; i < mentions.length; i++) {
      assert.ok(mentions[i - 1].range.start <= mentions[i].range.start);
    }
    assert.equal(text.slice(mentions[0].range.start, mentions[0].range.end), '5432');
  });

  it('answers a repeated large scan from its small cache, with a fresh array each time', () => {
    const text =
      'services:\n' +
      Array.from({ length: 800 }, (_, i) => `  s${i}:\n    ports:\n      - "${2000 + i}:80"\n`).join('');
    const first = scanAs('compose', text);
    const second = scanAs('compose', text);
    assert.equal(first.length, 1600);
    assert.notEqual(first, second);
    assert.deepEqual(second, first);
    second.pop();
    assert.equal(
      scanAs('compose', text).length,
      1600,
      'a caller changing its array does not change the cache',
    );
    const edited = scanAs('compose', text.replace('"2000:80"', '"2999:80"'));
    assert.equal(edited[0].port, 2999, 'an edited text is scanned again');
  });

  it('returns nothing for files no finder reads', () => {
    assert.deepEqual(scanText('/w/logo.png', 'listen 80;'), []);
  });

  it('no finder fails on binary junk, and what they find lies inside the text', () => {
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1');
    for (const path of [
      '/w/compose.yaml',
      '/w/nginx.conf',
      '/w/.env',
      '/w/a.js',
      '/w/Dockerfile',
      '/w/package.json',
    ]) {
      const { value: mentions, failures } = withFailureLog(() => scanText(path, junk));
      assert.deepEqual(failures, [], path);
      for (const m of mentions) {
        assert.ok(m.range.start >= 0 && m.range.start < m.range.end && m.range.end <= junk.length, path);
      }
    }
  });
});
