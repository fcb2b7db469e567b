import * as assert from 'node:assert/strict';
import { runRules, type FileMentions, type LiveView, type RuleContext } from '../../rules';
import { WorkspaceIndex } from '../../workspace';
import { LIVE_RULES, addressesCollide } from '../../rules/portInUse';
import type { PortMention } from '../../scan/mention';
import type { ListeningSocket } from '../../system/types';
import { mention, sock } from './live-fakes';

function liveOf(sockets: ListeningSocket[] | undefined): LiveView {
  return {
    holders: (port, protocol) => sockets?.filter((s) => s.port === port && s.protocol === protocol),
  };
}

function check(
  file: string,
  kind: FileMentions['kind'],
  mentions: PortMention[],
  sockets: ListeningSocket[] | undefined,
  severities = {},
) {
  const f: FileMentions = { file, kind, mentions };
  const context: RuleContext = {
    file: f,
    workspace: WorkspaceIndex.of([f]),
    limits: { unprivilegedPortStart: 1024, ephemeralRange: { from: 32768, to: 60999 } },
    live: liveOf(sockets),
  };
  return runRules(context, { extraRules: LIVE_RULES, severities }).filter(
    (x) => x.rule === 'port-in-use' || x.rule === 'not-listening',
  );
}

const COMPOSE = 'file:///ws/compose.yaml';

describe('live rules', () => {
  describe('port-in-use', () => {
    it('warns when another process holds a published port', () => {
      const found = check(
        COMPOSE,
        'compose',
        [mention(8080, 'publish', { service: 'web' })],
        [sock(8080, { pid: 77, process: 'python3', address: '0.0.0.0' })],
      );
      assert.equal(found.length, 1);
      assert.equal(found[0].rule, 'port-in-use');
      assert.equal(found[0].severity, 'warning');
      assert.match(found[0].message, /already in use on this machine by python3 \(pid 77\)/);
      assert.equal(found[0].data?.suggestedPort, 8081);
    });

    it('says "this stack may already be running" at information level for docker-proxy on a compose publish', () => {
      const found = check(
        COMPOSE,
        'compose',
        [mention(5432, 'publish')],
        [sock(5432, { pid: 9, process: 'docker-proxy', proxy: 'docker', address: '0.0.0.0' })],
      );
      assert.equal(found.length, 1);
      assert.equal(found[0].severity, 'information');
      assert.match(
        found[0].message,
        /in use by docker-proxy \(pid 9\) \(this stack may already be running\)/,
      );
    });

    it('warns about a Docker-held port claimed by a program that is not a compose file', () => {
      const found = check(
        'file:///ws/server.js',
        'code',
        [mention(5432, 'listen', { kind: 'code' })],
        [sock(5432, { pid: 9, process: 'docker-proxy', proxy: 'docker' })],
      );
      assert.equal(found.length, 1);
      assert.equal(found[0].severity, 'warning');
      assert.match(found[0].message, /stop that container/);
    });

    it('stays silent when the holder is this very program', () => {
      const found = check(
        'file:///ws/src/server.js',
        'code',
        [mention(3000, 'listen', { kind: 'code' })],
        [sock(3000, { pid: 5, process: 'node', command: 'node src/server.js' })],
      );
      assert.deepEqual(found, []);
    });

    it('stays silent for a port nobody holds, for unknown live data and for other addresses', () => {
      assert.deepEqual(check(COMPOSE, 'compose', [mention(8080, 'publish')], [sock(8081)]), []);
      assert.deepEqual(check(COMPOSE, 'compose', [mention(8080, 'publish')], undefined), []);
      assert.deepEqual(
        check(
          COMPOSE,
          'compose',
          [mention(8080, 'publish', { host: '127.0.0.1' })],
          [sock(8080, { address: '192.168.1.5' })],
        ),
        [],
      );
      assert.deepEqual(
        check(COMPOSE, 'compose', [mention(8080, 'publish', { protocol: 'udp' })], [sock(8080)]),
        [],
        'a TCP socket does not block a UDP publish',
      );
    });

    it('ignores targets, exposes, settings and connects, and suppressed mentions', () => {
      const held = [sock(80), sock(3000)];
      assert.deepEqual(
        check(
          COMPOSE,
          'compose',
          [
            mention(80, 'target'),
            mention(80, 'expose'),
            mention(3000, 'setting'),
            mention(3000, 'connect', { host: 'localhost' }),
          ],
          held,
        ),
        [],
      );
      assert.deepEqual(
        check(COMPOSE, 'compose', [mention(3000, 'publish', { suppressed: ['port-in-use'] })], held),
        [],
      );
    });

    it('checks every port of a published range', () => {
      const found = check(
        COMPOSE,
        'compose',
        [mention(9000, 'publish', { portEnd: 9005 })],
        [sock(9004, { process: 'java', pid: 12 })],
      );
      assert.equal(found.length, 1);
      assert.match(found[0].message, /Port 9004\/tcp/);
    });

    it('is switched off, both kinds, by one setting', () => {
      const mentions = [
        mention(8080, 'publish'),
        mention(5432, 'publish', { range: { start: 100, end: 104 } }),
      ];
      const sockets = [
        sock(8080, { process: 'x', pid: 3 }),
        sock(5432, { process: 'docker-proxy', pid: 9, proxy: 'docker' }),
      ];
      assert.equal(check(COMPOSE, 'compose', mentions, sockets).length, 2);
      assert.deepEqual(check(COMPOSE, 'compose', mentions, sockets, { 'port-in-use': 'off' }), []);
    });
  });

  describe('not-listening', () => {
    it('hints at a localhost connect nobody listens on', () => {
      const found = check(
        'file:///ws/app.py',
        'code',
        [mention(5432, 'connect', { host: 'localhost', kind: 'code' })],
        [sock(3000)],
      );
      assert.equal(found.length, 1);
      assert.equal(found[0].rule, 'not-listening');
      assert.equal(found[0].severity, 'hint');
    });

    it('is quiet when something listens (wildcard or same loopback), for remote hosts and without live data', () => {
      const m = mention(5432, 'connect', { host: '127.0.0.1', kind: 'code' });
      assert.deepEqual(check('file:///ws/a.py', 'code', [m], [sock(5432, { address: '0.0.0.0' })]), []);
      assert.deepEqual(check('file:///ws/a.py', 'code', [m], [sock(5432, { address: '127.0.0.1' })]), []);
      assert.deepEqual(check('file:///ws/a.py', 'code', [mention(5432, 'connect', { host: 'db' })], []), []);
      assert.deepEqual(check('file:///ws/a.py', 'code', [m], undefined), []);
      assert.equal(
        check('file:///ws/a.py', 'code', [m], [sock(5432, { address: '10.0.0.2' })]).length,
        1,
        'a socket on another address is not reachable on 127.0.0.1',
      );
    });
  });

  it('compares bind addresses the way the kernel does for the common cases', () => {
    assert.equal(addressesCollide(undefined, '127.0.0.1'), true);
    assert.equal(addressesCollide('127.0.0.1', '0.0.0.0'), true);
    assert.equal(addressesCollide('127.0.0.1', '::ffff:127.0.0.1'), true);
    assert.equal(addressesCollide('localhost', '::1'), true);
    assert.equal(addressesCollide('127.0.0.1', '10.1.1.1'), false);
  });
});
