import * as assert from 'node:assert/strict';
import {
  fixesFor,
  ignoreLineEdit,
  lineCommentFor,
  nextUnclaimedPort,
  type FixContext,
} from '../../rules/fixes';
import { WorkspaceIndex } from '../../workspace';
import type { FileMentions, Finding, Fix, TextEdit } from '../../rules/types';
import { scanText } from '../../scan';
import { check, rulesOf, scanned } from './rulesSupport';

function apply(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.range.start - a.range.start)) {
    out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  }
  return out;
}

function fixes(
  target: FileMentions,
  finding: Finding,
  others: FileMentions[] = [],
  extra: Partial<FixContext> = {},
): Fix[] {
  return fixesFor(finding, {
    file: target.file,
    kind: target.kind,
    text: target.text ?? '',
    workspace: WorkspaceIndex.of([target, ...others]),
    disableRuleCommand: 'portolan.disableRule',
    ...extra,
  });
}

function editFix(list: Fix[], id: string): Extract<Fix, { kind: 'edit' }> {
  const fix = list.find((f) => f.id === id);
  assert.ok(fix && fix.kind === 'edit', `no ${id} fix`);
  return fix;
}

describe('rules: quick fixes', () => {
  it('privileged-port: moves 80 to 8080 and 443 to 8443 on the host side only', () => {
    const f = scanned(
      '/p/compose.yaml',
      'services:\n  web:\n    ports:\n      - "80:80"\n      - "443:443"\n',
    );
    const [http, https] = rulesOf(check(f), 'privileged-port');
    assert.equal(
      apply(f.text!, editFix(fixes(f, http), 'change-port').edits),
      f.text!.replace('"80:80"', '"8080:80"'),
    );
    assert.equal(
      apply(f.text!, editFix(fixes(f, https), 'change-port').edits),
      f.text!.replace('"443:443"', '"8443:443"'),
    );
    assert.equal(editFix(fixes(f, http), 'change-port').preferred, true);
  });

  it('privileged-port: skips an alternative the workspace already claims', () => {
    const f = scanned('/p/server.js', 'app.listen(80);\n');
    const env = scanned('/p/.env', 'PORT=8080\nADMIN_PORT=8081\n');
    const [finding] = rulesOf(check(f, [env]), 'privileged-port');
    const fix = editFix(fixes(f, finding, [env]), 'change-port');
    assert.equal(fix.port, 8082);
    assert.equal(apply(f.text!, fix.edits), 'app.listen(8082);\n');
  });

  it('privileged-port: the message names the port its fix writes, and says when the usual one is taken', () => {
    const f = scanned('/p/server.js', 'app.listen(80);\n');
    const free = rulesOf(check(f), 'privileged-port')[0];
    assert.match(free.message, /Use 8080 instead,/);
    assert.equal(editFix(fixes(f, free), 'change-port').port, 8080);

    const env = scanned('/p/.env', 'PORT=8080\nADMIN_PORT=8081\n');
    const claimed = rulesOf(check(f, [env]), 'privileged-port')[0];
    assert.match(claimed.message, /Use 8082 instead \(the usual 8080 is taken\)/);
    assert.doesNotMatch(claimed.message, /Use 8080/);
    assert.equal(editFix(fixes(f, claimed, [env]), 'change-port').port, 8082);

    // Busy on this machine counts as taken too, in the message and in the fix alike.
    const live = {
      holders: (port: number) => (port === 8080 ? [{ pid: 7, process: 'node', address: '0.0.0.0' }] : []),
    };
    const busy = rulesOf(check(f, [], { live }), 'privileged-port')[0];
    assert.match(busy.message, /Use 8081 instead \(the usual 8080 is taken\)/);
    assert.equal(editFix(fixes(f, busy), 'change-port').port, 8081);
  });

  it('privileged-port: two ports in one file are never told to move to the same port', () => {
    // 80's usual 8080 is taken, so 80 moves to 8081, which is 81's usual alternative: 81 moves on.
    const f = scanned('/p/server.js', 'app.listen(80);\nadmin.listen(81);\nmetrics.listen(80);\n');
    const env = scanned('/p/.env', 'PORT=8080\n');
    const found = rulesOf(check(f, [env]), 'privileged-port');
    assert.equal(found.length, 3);
    const ports = found.map((x) => editFix(fixes(f, x, [env]), 'change-port').port);
    assert.deepEqual(ports, [8081, 8082, 8081]);
    assert.match(found[1].message, /Use 8082 instead/);
  });

  it('port-conflict: moves this claim to the next port nobody claims, and not a busy one', () => {
    const f = scanned(
      '/p/compose.yaml',
      'services:\n  a:\n    ports:\n      - "8080:80"\n  b:\n    ports:\n      - "8080:81"\n      - "8081:82"\n',
    );
    const [first] = rulesOf(check(f), 'port-conflict');
    assert.equal(editFix(fixes(f, first), 'change-port').port, 8082);
    assert.equal(editFix(fixes(f, first, [], { isPortBusy: (p) => p === 8082 }), 'change-port').port, 8083);
    const fixed = apply(f.text!, editFix(fixes(f, first), 'change-port').edits);
    assert.ok(fixed.includes('"8082:80"'));
    assert.equal(rulesOf(check(scanned('/p/compose.yaml', fixed)), 'port-conflict').length, 0);
  });

  it('port-conflict: offers no port change for nginx (server names are not fixed by moving ports)', () => {
    const f = scanned(
      '/n/nginx.conf',
      'server {\n  listen 8080 default_server;\n}\nserver {\n  listen 8080 default_server;\n}\n',
    );
    const [finding] = rulesOf(check(f), 'port-conflict');
    assert.equal(
      fixes(f, finding).some((x) => x.id === 'change-port'),
      false,
    );
  });

  it('port-in-use (live): moves to the next port that is neither claimed nor busy', () => {
    const f = scanned('/p/server.js', 'app.listen(3000);\n');
    const finding: Finding = {
      rule: 'port-in-use',
      severity: 'warning',
      message: 'held',
      file: f.file,
      range: f.mentions[0].range,
      related: [],
      mention: f.mentions[0],
    };
    const fix = editFix(fixes(f, finding, [], { isPortBusy: (p) => p === 3001 }), 'change-port');
    assert.equal(apply(f.text!, fix.edits), 'app.listen(3002);\n');
  });

  it('port-in-use (live): offers to stop the owner through the kill command, with the port as its target', () => {
    const f = scanned('/p/compose.yaml', 'services:\n  dns:\n    ports:\n      - "5353:53/udp"\n');
    const publish = f.mentions.find((m) => m.role === 'publish')!;
    const finding: Finding = {
      rule: 'port-in-use',
      severity: 'warning',
      message: 'held',
      file: f.file,
      range: publish.range,
      related: [],
      mention: publish,
    };
    const stop = fixes(f, finding, [], { killProcessCommand: 'portolan.killProcess' }).find(
      (x) => x.id === 'stop-process',
    );
    assert.ok(stop && stop.kind === 'command');
    assert.equal(stop.command, 'portolan.killProcess');
    assert.deepEqual(stop.args, [{ port: 5353, protocol: 'udp' }]);
    assert.equal(
      fixes(f, finding).some((x) => x.id === 'stop-process'),
      false,
      'no command fix where commands do not exist (the CLI)',
    );
    const conflict: Finding = { ...finding, rule: 'port-conflict' };
    assert.equal(
      fixes(f, conflict, [], { killProcessCommand: 'portolan.killProcess' }).some(
        (x) => x.id === 'stop-process',
      ),
      false,
    );
  });

  it('exposed-database: binds short syntax to 127.0.0.1', () => {
    const f = scanned(
      '/p/compose.yaml',
      'services:\n  db:\n    ports:\n      - "5432:5432"\n      - 0.0.0.0:6379:6379\n',
    );
    const findings = rulesOf(check(f), 'exposed-database');
    assert.equal(findings.length, 2);
    const once = apply(f.text!, editFix(fixes(f, findings[0]), 'bind-loopback').edits);
    assert.ok(once.includes('"127.0.0.1:5432:5432"'));
    const twice = apply(f.text!, editFix(fixes(f, findings[1]), 'bind-loopback').edits);
    assert.ok(twice.includes('- 127.0.0.1:6379:6379'));
    assert.equal(rulesOf(check(scanned('/p/compose.yaml', once)), 'exposed-database').length, 1);
  });

  it('exposed-database: adds host_ip to long syntax', () => {
    const f = scanned(
      '/p/compose.yaml',
      'services:\n  db:\n    ports:\n      - target: 5432\n        published: 5432\n',
    );
    const [finding] = rulesOf(check(f), 'exposed-database');
    const out = apply(f.text!, editFix(fixes(f, finding), 'bind-loopback').edits);
    assert.equal(
      out,
      'services:\n  db:\n    ports:\n      - target: 5432\n        published: 5432\n        host_ip: 127.0.0.1\n',
    );
    assert.equal(rulesOf(check(scanned('/p/compose.yaml', out)), 'exposed-database').length, 0);
  });

  it('exposed-database: binds an interpolated port outside ${…}, in short and long syntax', () => {
    const short = scanned(
      '/p/compose.yaml',
      'services:\n  db:\n    ports:\n      - "${DB_PORT:-5432}:5432"\n      - 0.0.0.0:${R:-6379}:6379\n',
    );
    const [first, second] = rulesOf(check(short), 'exposed-database');
    assert.ok(first && second, 'both ports are exposed databases');
    assert.ok(
      apply(short.text!, editFix(fixes(short, first), 'bind-loopback').edits).includes(
        '- "127.0.0.1:${DB_PORT:-5432}:5432"',
      ),
    );
    assert.ok(
      apply(short.text!, editFix(fixes(short, second), 'bind-loopback').edits).includes(
        '- 127.0.0.1:${R:-6379}:6379',
      ),
    );
    const long = scanned(
      '/p/compose.yaml',
      'services:\n  db:\n    ports:\n      - target: 5432\n        published: ${DB_PORT:-5432}\n',
    );
    const [finding] = rulesOf(check(long), 'exposed-database');
    assert.equal(
      apply(long.text!, editFix(fixes(long, finding), 'bind-loopback').edits),
      'services:\n  db:\n    ports:\n      - target: 5432\n        published: ${DB_PORT:-5432}\n        host_ip: 127.0.0.1\n',
    );
  });

  it('exposed-database: offers no loopback fix where the mapping does not start at the port', () => {
    const f = scanned('/p/compose.yaml', 'services:\n  db:\n    ports:\n      - "${HOST}:5432:5432"\n');
    const findings = rulesOf(check(f), 'exposed-database');
    assert.equal(findings.length, 1);
    for (const finding of findings) {
      const out = fixes(f, finding).find((x) => x.id === 'bind-loopback');
      assert.equal(out, undefined, 'a fix would write into the middle of the mapping');
    }
  });

  it('every rule: ignore-line inserts a comment the finders honour, and disable-rule is a command', () => {
    const f = scanned('/p/compose.yaml', 'services:\n  web:\n    ports:\n      - "80:80"\n');
    const [finding] = rulesOf(check(f), 'privileged-port');
    const list = fixes(f, finding);
    const out = apply(f.text!, editFix(list, 'ignore-line').edits);
    assert.equal(
      out,
      'services:\n  web:\n    ports:\n      # portolan-ignore-next-line privileged-port\n      - "80:80"\n',
    );
    assert.equal(rulesOf(check(scanned('/p/compose.yaml', out)), 'privileged-port').length, 0);
    const disable = list.find((x) => x.id === 'disable-rule');
    assert.ok(disable && disable.kind === 'command');
    assert.deepEqual([disable.command, disable.args], ['portolan.disableRule', ['privileged-port']]);
  });

  it('ignore-line extends an existing marker instead of stacking comments', () => {
    const text = '// portolan-ignore-next-line ephemeral-port\napp.listen(80);\n';
    const edit = ignoreLineEdit(text, text.indexOf('80'), 'privileged-port', 'server.ts', 'code');
    assert.ok(edit);
    const out = apply(text, [edit]);
    assert.equal(out, '// portolan-ignore-next-line ephemeral-port, privileged-port\napp.listen(80);\n');
    assert.deepEqual(scanText('server.ts', out)[0].suppressed, ['ephemeral-port', 'privileged-port']);
    assert.equal(ignoreLineEdit(out, out.indexOf('80)'), 'privileged-port', 'server.ts', 'code'), undefined);
  });

  it('picks the comment syntax of the file, keeps indentation and CRLF', () => {
    assert.equal(lineCommentFor('/p/app.py', 'code'), '#');
    assert.equal(lineCommentFor('/p/main.go', 'code'), '//');
    assert.equal(lineCommentFor('/p/.env.local', 'dotenv'), '#');
    assert.equal(lineCommentFor('/p/Dockerfile', 'dockerfile'), '#');
    assert.equal(lineCommentFor('/p/schema.sql', 'code'), '--');
    assert.equal(lineCommentFor('/p/package.json', 'packagejson'), undefined);
    const text = 'def main():\r\n    app.run(port=80)\r\n';
    const edit = ignoreLineEdit(text, text.indexOf('80'), 'privileged-port', '/p/app.py', 'code');
    assert.equal(
      apply(text, [edit!]),
      'def main():\r\n    # portolan-ignore-next-line privileged-port\r\n    app.run(port=80)\r\n',
    );
    assert.equal(
      ignoreLineEdit(
        '{"scripts": {"dev": "vite --port 80"}}',
        30,
        'privileged-port',
        '/p/package.json',
        'packagejson',
      ),
      undefined,
    );
  });

  it('nextUnclaimedPort skips claimed and busy ports and whole spans', () => {
    assert.equal(nextUnclaimedPort(3000, new Set([3000, 3001]), 1), 3002);
    assert.equal(nextUnclaimedPort(3000, new Set([3002]), 3), 3003);
    assert.equal(nextUnclaimedPort(65535, new Set([65535]), 1), undefined);
    assert.equal(
      nextUnclaimedPort(3000, new Set(), 1, (p) => p < 3005),
      3005,
    );
  });
});
