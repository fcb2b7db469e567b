// nginx's implied ports (`listen 127.0.0.1;`, a server block with no listen) and upstreams reached by
// name, as the rules and fixes see them.
import * as assert from 'node:assert/strict';
import { fixesFor } from '../../rules/fixes';
import { WorkspaceIndex } from '../../workspace';
import { check, rulesOf, scanned, textAt } from './rulesSupport';

describe('rules over nginx implied ports', () => {
  it('two server blocks with no listen and one server_name conflict on *:80', () => {
    const f = scanned(
      '/w/nginx.conf',
      'http {\n  server { server_name a.example; }\n  server { server_name a.example; }\n}\n',
    );
    const findings = rulesOf(check(f), 'port-conflict');
    assert.equal(findings.length, 2);
    assert.ok(findings.every((x) => textAt(f, x) === 'server'));
    assert.match(findings[0].message, /server_name "a\.example" is also served on 0\.0\.0\.0:80/);
  });

  it('a block with no listen beside `listen 80` is the catch-all question, as information', () => {
    const f = scanned(
      '/w/nginx.conf',
      'http {\n  server { server_name a.example; }\n  server { listen 80; server_name b.example; }\n}\n',
    );
    const [finding, ...rest] = rulesOf(check(f), 'nginx-implicit-default-server');
    assert.deepEqual(rest, []);
    assert.equal(finding.severity, 'information');
    assert.equal(textAt(f, finding), 'server');
    assert.equal(rulesOf(check(f), 'port-conflict').length, 0);
  });

  it('stays quiet on one block with no listen, on blocks with an include, and on different names', () => {
    for (const text of [
      'server { server_name a.example; }\n',
      'http {\n  server { server_name a.example; include listen.conf; }\n  server { server_name a.example; include listen.conf; }\n}\n',
      'http {\n  server { server_name a.example; }\n  server { listen 80 default_server; server_name b.example; }\n}\n',
      'http {\n  server { listen 127.0.0.1; server_name a.example; }\n  server { listen 80; server_name a.example; }\n}\n',
    ]) {
      const findings = check(scanned('/w/nginx.conf', text)).filter(
        (x) =>
          x.severity === 'warning' || x.severity === 'error' || x.rule === 'nginx-implicit-default-server',
      );
      assert.deepEqual(
        findings.map((x) => x.rule),
        [],
        text,
      );
    }
  });

  it('a listen with only an address conflicts on port 80 like a written one', () => {
    const f = scanned(
      '/w/nginx.conf',
      'http {\n  server { listen 127.0.0.1; server_name a.example; }\n  server { listen 127.0.0.1:80; server_name a.example; }\n}\n',
    );
    const findings = rulesOf(check(f), 'port-conflict');
    assert.deepEqual(
      findings.map((x) => textAt(f, x)),
      ['127.0.0.1', '80'],
    );
  });

  it("the change-port fix adds the port after an implied listen's address, and none is offered on `server`", () => {
    const f = scanned('/w/nginx.conf', 'server {\n  listen 127.0.0.1;\n}\nserver {\n  server_name x;\n}\n');
    const findings = check(f, [], { severities: { 'privileged-port': 'warning' } });
    const privileged = rulesOf(findings, 'privileged-port');
    assert.deepEqual(
      privileged.map((x) => textAt(f, x)),
      ['127.0.0.1', 'server'],
    );
    const workspace = WorkspaceIndex.of([f]);
    const fixOf = (i: number) =>
      fixesFor(privileged[i], { file: f.file, kind: f.kind, text: f.text!, workspace }).find(
        (x) => x.id === 'change-port',
      );
    const first = fixOf(0);
    assert.ok(first && first.kind === 'edit');
    const edit = first.edits[0];
    const after = f.text!.slice(0, edit.range.start) + edit.newText + f.text!.slice(edit.range.end);
    assert.match(after, /listen 127\.0\.0\.1:\d{4,5};/);
    assert.equal(fixOf(1), undefined);
  });
});

describe('rules over nginx upstreams reached by name', () => {
  it('nginx-proxy-pass-unserved follows `proxy_pass http://NAME` to the upstream server and says so', () => {
    const f = scanned(
      '/w/nginx.conf',
      'http {\n  upstream app { server 127.0.0.1:3000; }\n  server {\n    listen 80;\n    location / { proxy_pass http://app; }\n  }\n}\n',
    );
    const js = scanned('/w/server.js', 'app.listen(3001);\n');
    const findings = rulesOf(check(f, [js]), 'nginx-proxy-pass-unserved');
    // Once on the upstream's own server line, once where the proxy_pass names it.
    assert.deepEqual(
      findings.map((x) => textAt(f, x)),
      ['3000', 'app'],
    );
    assert.match(
      findings[1].message,
      /^nginx passes requests to upstream app \(127\.0\.0\.1:3000\), but nothing/,
    );
    const served = scanned('/w/server.js', 'app.listen(3000);\n');
    assert.deepEqual(rulesOf(check(f, [served]), 'nginx-proxy-pass-unserved'), []);
  });
});
