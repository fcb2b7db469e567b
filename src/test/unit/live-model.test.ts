import * as assert from 'node:assert/strict';
import {
  browserUrl,
  DeclarationGroups,
  buildPortsModel,
  claimedPorts,
  declaredPortStates,
  hostPort,
  matchesFilter,
  parseFilter,
  socketDescription,
  socketTooltip,
  type Declaration,
  type DeclaredPortNode,
  type PortsModelInput,
  type ProcessNode,
  type SectionNode,
  type SocketNode,
  type WatchedPortNode,
} from '../../present/portsModel';
import { isLocalMention } from '../../scan/mention';
import { mention, names, snap, sock } from './live-fakes';

function build(overrides: Partial<PortsModelInput<string>>) {
  return buildPortsModel<string>({
    snapshot: undefined,
    liveAvailable: true,
    declarations: [],
    watchPorts: [],
    groupByProcess: false,
    showUdp: true,
    names,
    ...overrides,
  });
}

function section(model: { sections: SectionNode[] }, id: SectionNode['section']): SectionNode | undefined {
  return model.sections.find((s) => s.section === id);
}

function decl(file: string, m: ReturnType<typeof mention>): Declaration<string> {
  return { uri: `file:///ws/${file}`, file, mention: m };
}

describe('Ports view model', () => {
  describe('Listening section', () => {
    it('lists every socket with :port label and process (pid) · service · address · protocol', () => {
      const model = build({
        snapshot: snap([
          sock(5432, { pid: 812, process: 'postgres' }),
          sock(5353, { protocol: 'udp', address: '0.0.0.0', pid: 90, process: 'avahi' }),
        ]),
      });
      const nodes = section(model, 'listening')!.children as SocketNode[];
      assert.deepEqual(
        nodes.map((n) => n.label),
        [':5432', ':5353'],
      );
      assert.equal(nodes[0].description, 'postgres (812) · postgresql · 127.0.0.1 · tcp');
      assert.equal(nodes[1].description, 'avahi (90) · 0.0.0.0 · udp');
      assert.equal(model.listeningCount, 2);
    });

    it('says "owner not visible" and labels Docker-published ports, never guessing an owner', () => {
      const hidden = sock(22, { hidden: true, address: '0.0.0.0' });
      const docker = sock(8080, { process: 'docker-proxy', pid: 4321, proxy: 'docker', address: '0.0.0.0' });
      assert.match(socketDescription(hidden, names), /owner not visible/);
      assert.doesNotMatch(socketDescription(hidden, names), /\(\d+\)/);
      assert.match(socketDescription(docker, names), /docker-proxy \(4321\) · Docker-published port/);
    });

    it('hides UDP when showUdp is off', () => {
      const model = build({ showUdp: false, snapshot: snap([sock(53, { protocol: 'udp' }), sock(80)]) });
      const nodes = section(model, 'listening')!.children as SocketNode[];
      assert.deepEqual(
        nodes.map((n) => `${n.protocol}:${n.port}`),
        ['tcp:80'],
      );
    });

    it('groups by process, hidden owners last, each group holding its sockets', () => {
      const model = build({
        groupByProcess: true,
        snapshot: snap([
          sock(22, { hidden: true }),
          sock(3000, { pid: 7, process: 'node' }),
          sock(3001, { pid: 7, process: 'node' }),
          sock(5432, { pid: 812, process: 'postgres' }),
        ]),
      });
      const groups = section(model, 'listening')!.children as ProcessNode[];
      assert.deepEqual(
        groups.map((g) => g.label),
        ['node', 'postgres', 'owner not visible'],
      );
      assert.deepEqual(
        groups[0].children.map((c) => c.port),
        [3000, 3001],
      );
      assert.equal(groups[0].pid, 7);
      assert.match(groups[0].description!, /pid 7 · 2 sockets/);
      assert.equal(groups[2].pid, undefined);
    });

    it('encodes item state in contextValue words the package.json menus match', () => {
      const self = 4242;
      const model = build({
        selfPid: self,
        watchPorts: [3000],
        snapshot: snap([
          sock(3000, { pid: 7 }),
          sock(5432, { pid: 8, process: 'postgres' }),
          sock(8080, { pid: 9, process: 'docker-proxy', proxy: 'docker' }),
          sock(9000, { pid: self }),
          sock(22, { hidden: true }),
        ]),
      });
      const byPort = new Map(
        (section(model, 'listening')!.children as SocketNode[]).map((n) => [
          n.port,
          (n.contextValue ?? '').split(' '),
        ]),
      );
      assert.deepEqual(byPort.get(3000)!.sort(), ['hasPid', 'http', 'killable', 'port', 'watched']);
      assert.ok(!byPort.get(5432)!.includes('http'), 'postgres is not a web port');
      assert.ok(byPort.get(5432)!.includes('killable'));
      assert.ok(!byPort.get(8080)!.includes('killable'), 'a Docker proxy is never offered for killing');
      assert.ok(
        !byPort.get(9000)!.includes('killable'),
        'the extension host itself is never offered for killing',
      );
      assert.ok(!byPort.get(22)!.includes('killable') && !byPort.get(22)!.includes('hasPid'));
    });

    it('groups a frozen declaration list once and still reads each new snapshot', () => {
      const declarations = Object.freeze([
        decl('b.js', mention(3000, 'listen')),
        decl('a.js', mention(3000, 'listen')),
        decl('c.js', mention(4000, 'listen')),
      ]) as Declaration<string>[];
      const states = (model: ReturnType<typeof build>) =>
        (section(model, 'workspace')!.children as DeclaredPortNode<string>[]).map((n) => [
          n.port,
          n.state,
          n.declarations.map((d) => d.file).join(),
        ]);
      const first = build({ snapshot: snap([sock(3000)]), declarations });
      const second = build({ snapshot: snap([sock(4000)]), declarations });
      assert.deepEqual(states(first), [
        [3000, 'busy', 'a.js,b.js'],
        [4000, 'free', 'c.js'],
      ]);
      assert.deepEqual(states(second), [
        [3000, 'free', 'a.js,b.js'],
        [4000, 'busy', 'c.js'],
      ]);
    });

    it('shows nothing live and no Listening section when live features are off', () => {
      const model = build({
        liveAvailable: false,
        snapshot: snap([sock(3000)]),
        declarations: [decl('a.js', mention(3000, 'listen'))],
      });
      assert.equal(section(model, 'listening'), undefined);
      const declared = section(model, 'workspace')!.children[0] as DeclaredPortNode<string>;
      assert.equal(declared.state, 'unknown');
      assert.equal(model.busyWorkspacePorts.length, 0);
    });

    it('lists at most maxListening sockets and says how many more there are', () => {
      const many = snap(Array.from({ length: 7 }, (_, i) => sock(4000 + i)));
      const model = build({ snapshot: many, maxListening: 5 });
      const children = section(model, 'listening')!.children;
      assert.equal(children.filter((n) => n.kind === 'socket').length, 5);
      const more = children.find((n) => n.kind === 'message');
      assert.match(more!.label, /^2 more sockets/);
      assert.equal(model.listeningCount, 7);
      const filtered = build({ snapshot: many, maxListening: 5, filter: '4006' });
      assert.deepEqual(
        section(filtered, 'listening')!.children.map((n) => n.label),
        [':4006'],
      );
    });

    it('puts connection counts in the tooltip', () => {
      const tooltip = socketTooltip(sock(8080, { established: 3, process: 'nginx', pid: 5 }), names);
      assert.match(tooltip, /Connections: 3 established, 0 TIME_WAIT, 0 CLOSE_WAIT/);
      assert.match(tooltip, /Process: nginx \(pid 5\)/);
    });
  });

  describe('Workspace section', () => {
    const declarations = [
      decl('server.js', mention(3000, 'listen', { kind: 'code' })),
      decl('compose.yaml', mention(8080, 'publish', { service: 'web', counterpart: { port: 80 } })),
      decl('compose.yaml', mention(80, 'target', { range: { start: 500, end: 502 } })),
      decl('Dockerfile', mention(9090, 'expose', { kind: 'dockerfile' })),
      decl('app.py', mention(5432, 'connect', { host: 'db', kind: 'code' })),
      decl('.env', mention(3000, 'setting', { kind: 'dotenv', variable: 'PORT' })),
      decl('compose.yaml', mention(99999, 'publish', { range: { start: 900, end: 905 } })),
    ];

    it('lists claimed ports (listen, publish, setting) once per port with free/busy state', () => {
      const model = build({ declarations, snapshot: snap([sock(3000, { pid: 77, process: 'node' })]) });
      const nodes = section(model, 'workspace')!.children as DeclaredPortNode<string>[];
      assert.deepEqual(
        nodes.map((n) => n.port),
        [3000, 8080],
      );
      assert.equal(nodes[0].state, 'busy');
      assert.match(nodes[0].description!, /in use by node \(77\)/);
      assert.equal(nodes[0].declarations.length, 2);
      assert.equal(nodes[0].children.length, 2, 'a port declared twice expands into its declarations');
      assert.equal(nodes[1].state, 'free');
      // The role in words, not its id ("publish · dns" stayed English in pt-BR).
      assert.match(nodes[1].description!, /^free · compose\.yaml \(published · web\)$/);
      assert.equal(nodes[1].children.length, 0, 'a single declaration opens on click instead');
      assert.deepEqual(
        model.busyWorkspacePorts.map((n) => n.port),
        [3000],
      );
      assert.equal(model.workspacePortCount, 2);
      assert.ok(nodes[0].contextValue!.split(' ').includes('declared'));
    });

    it('shows file:line when the line is known', () => {
      const model = build({
        declarations: [{ ...decl('compose.yaml', mention(8080, 'publish', { service: 'web' })), line: 12 }],
      });
      const [node] = section(model, 'workspace')!.children as DeclaredPortNode<string>[];
      assert.match(node.description!, /compose\.yaml:12 \(published · web\)$/);
    });

    it('translates the declaration kinds', () => {
      const model = build({
        declarations: [decl('compose.yaml', mention(8080, 'publish', { service: 'web' }))],
        t: (message) => `«${message}»`,
      });
      const [node] = section(model, 'workspace')!.children as DeclaredPortNode<string>[];
      assert.match(node.description!, /\(«published» · web\)$/);
    });

    it('is unknown before the first snapshot and counts nothing as busy', () => {
      const model = build({ declarations });
      const nodes = section(model, 'workspace')!.children as DeclaredPortNode<string>[];
      assert.ok(nodes.every((n) => n.state === 'unknown'));
      assert.equal(model.busyWorkspacePorts.length, 0);
    });

    it('expands short ranges port by port and keeps only the first port of long ones', () => {
      assert.deepEqual(claimedPorts(mention(3000, 'publish', { portEnd: 3002 })), [3000, 3001, 3002]);
      assert.deepEqual(claimedPorts(mention(10000, 'publish', { portEnd: 20000 })), [10000]);
      assert.deepEqual(claimedPorts(mention(0, 'listen')), []);
      assert.deepEqual(claimedPorts(mention(5432, 'connect')), []);
    });

    it('matches UDP declarations against UDP sockets only', () => {
      const model = build({
        declarations: [decl('compose.yaml', mention(53, 'publish', { protocol: 'udp' }))],
        snapshot: snap([sock(53, { protocol: 'tcp' })]),
      });
      const node = section(model, 'workspace')!.children[0] as DeclaredPortNode<string>;
      assert.equal(node.protocol, 'udp');
      assert.equal(node.state, 'free');
    });
  });

  describe('declarations kept file by file (the editor’s groups)', () => {
    /** File `i` declares three ports; `shift` moves them (an edit). */
    const fileDeclarations = (i: number, shift = 0): Declaration<string>[] =>
      [0, 1, 2].map((k) =>
        decl(
          `pkg${i}/compose.yaml`,
          mention(3000 + ((i * 7 + k * 13 + shift) % 500), 'publish', {
            range: { start: k * 20, end: k * 20 + 4 },
          }),
        ),
      );
    const FILES = 300;

    function grouped(): { groups: DeclarationGroups<string>; current: Map<number, Declaration<string>[]> } {
      const groups = new DeclarationGroups<string>();
      const current = new Map<number, Declaration<string>[]>();
      for (let i = 0; i < FILES; i++) {
        current.set(i, fileDeclarations(i));
        groups.setFile(`file:///ws/pkg${i}/compose.yaml`, current.get(i)!);
      }
      return { groups, current };
    }

    /** What the Workspace section shows, in a form two models can be compared by. */
    const shown = (model: ReturnType<typeof build>): unknown[] =>
      (section(model, 'workspace')!.children as DeclaredPortNode<string>[]).map((n) => [
        n.id,
        n.description,
        n.tooltip,
        n.state,
        n.children.map((c) => c.id),
      ]);

    it('an edit regroups the edited file’s declarations only, and shows what a fresh grouping shows', () => {
      const { groups, current } = grouped();
      assert.equal(groups.touched, FILES * 3);
      assert.equal(groups.size, FILES * 3);
      const snapshot = snap([sock(3000, { pid: 77, process: 'node' })]);
      build({ declarations: groups, snapshot });
      const before = groups.touched;
      current.set(42, fileDeclarations(42, 250));
      groups.setFile('file:///ws/pkg42/compose.yaml', current.get(42)!);
      // Its three old declarations out, its three new ones in; no other file is looked at.
      assert.equal(groups.touched - before, 6);
      const fresh = build({ declarations: [...current.values()].flat(), snapshot });
      assert.deepEqual(shown(build({ declarations: groups, snapshot })), shown(fresh));
    });

    it('a deleted file takes its ports with it; the counts follow', () => {
      const groups = new DeclarationGroups<string>();
      groups.setFile('a', [decl('a.js', mention(3000, 'listen', { kind: 'code' }))]);
      groups.setFile('b', [
        decl('b.yaml', mention(3000, 'publish')),
        decl('b.yaml', mention(8080, 'publish', { range: { start: 50, end: 54 } })),
        decl('b.yaml', mention(5432, 'connect', { range: { start: 70, end: 74 } })),
      ]);
      assert.equal(groups.size, 3, 'a connect claims no port');
      assert.deepEqual(
        groups.entries().map((e) => [e.port, e.declarations.length]),
        [
          [3000, 2],
          [8080, 1],
        ],
      );
      groups.deleteFile('b');
      assert.equal(groups.size, 1);
      assert.deepEqual(
        groups.entries().map((e) => [e.port, e.declarations.length]),
        [[3000, 1]],
      );
    });

    it('the status bar’s states are the view’s, without building rows', () => {
      const { groups } = grouped();
      const snapshot = snap([
        sock(3000, { pid: 77, process: 'node' }),
        sock(3013, { pid: 78, process: 'vite' }),
      ]);
      const nodes = section(build({ declarations: groups, snapshot }), 'workspace')!
        .children as DeclaredPortNode<string>[];
      assert.deepEqual(
        declaredPortStates(groups, snapshot).map((d) => [d.port, d.protocol, d.state, d.holders.length]),
        nodes.map((n) => [n.port, n.protocol, n.state, n.holders.length]),
      );
      assert.equal(declaredPortStates(groups, snapshot).filter((d) => d.state === 'busy').length, 2);
    });
  });

  describe('Watched section', () => {
    it('shows each watched port free or in use, sorted', () => {
      const model = build({
        watchPorts: [5432, 3000],
        snapshot: snap([sock(5432, { pid: 812, process: 'postgres' })]),
      });
      const nodes = section(model, 'watched')!.children as WatchedPortNode[];
      assert.deepEqual(
        nodes.map((n) => [n.port, n.state]),
        [
          [3000, 'free'],
          [5432, 'busy'],
        ],
      );
      assert.match(nodes[1].description!, /in use by postgres \(812\) · postgresql/);
      assert.ok(nodes.every((n) => n.contextValue!.split(' ').includes('watched')));
    });
  });

  describe('filter', () => {
    const snapshot = snap([
      sock(5432, { pid: 812, process: 'postgres' }),
      sock(3000, { pid: 7, process: 'node', address: '0.0.0.0' }),
      sock(6379, { pid: 9, process: 'redis-server' }),
    ]);
    const shown = (filter: string) =>
      (section(build({ snapshot, filter }), 'listening')?.children as SocketNode[] | undefined)?.map(
        (n) => n.port,
      ) ?? [];

    it('matches port, process, address and service', () => {
      assert.deepEqual(shown(':5432'), [5432]);
      assert.deepEqual(shown('NODE'), [3000]);
      assert.deepEqual(shown('0.0.0.0'), [3000]);
      assert.deepEqual(shown('redis'), [6379]);
      assert.deepEqual(shown('postgresql'), [5432]);
    });

    it('needs every word to match and hides sections with no match', () => {
      assert.deepEqual(shown('node 127.0.0.1'), []);
      const model = build({ snapshot, filter: 'nothing-like-this' });
      assert.deepEqual(model.sections, []);
    });

    it('treats an empty or blank filter as no filter', () => {
      assert.equal(parseFilter('   '), undefined);
      assert.equal(matchesFilter(undefined, []), true);
      assert.deepEqual([...shown('')].sort(), [3000, 5432, 6379]);
    });
  });

  describe('addresses', () => {
    it('reaches wildcard binds through localhost, brackets IPv6, uses https for TLS ports', () => {
      assert.equal(hostPort('0.0.0.0', 3000), 'localhost:3000');
      assert.equal(hostPort('::', 3000), 'localhost:3000');
      assert.equal(hostPort('::1', 3000), '[::1]:3000');
      assert.equal(hostPort('::ffff:127.0.0.1', 3000), '127.0.0.1:3000');
      assert.equal(browserUrl('0.0.0.0', 8443, names.isTlsPort(8443)), 'https://localhost:8443/');
      assert.equal(browserUrl('127.0.0.1', 8080, names.isTlsPort(8080)), 'http://127.0.0.1:8080/');
    });
  });
});

describe('live: which mentions are about this machine', () => {
  it('counts binds and local connects, not container-side ports or remote hosts', () => {
    assert.equal(isLocalMention(mention(3000, 'listen')), true);
    assert.equal(isLocalMention(mention(3000, 'publish', { host: '127.0.0.1' })), true);
    assert.equal(isLocalMention(mention(5432, 'connect', { host: 'localhost' })), true);
    assert.equal(isLocalMention(mention(5432, 'connect', { host: 'host.docker.internal' })), true);
    assert.equal(isLocalMention(mention(5432, 'connect', { host: 'db' })), false);
    // A connect without a host says nothing about where it goes.
    assert.equal(isLocalMention(mention(5432, 'connect')), false);
    assert.equal(isLocalMention(mention(80, 'target')), false);
    assert.equal(isLocalMention(mention(80, 'expose')), false);
    assert.equal(isLocalMention(mention(8080, 'listen', { host: '10.1.2.3' })), false);
  });
});
