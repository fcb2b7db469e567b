// Containers in the Ports view model, the hover's live line and `port-in-use`, from sockets
// attributed the way containerPorts.ts does it.
import * as assert from 'node:assert/strict';
import { buildPortsModel, type ContainerNode, type SocketNode } from '../../present/portsModel';
import { liveStatusMarkdown } from '../../present/liveMarkdown';
import { runRules, type FileMentions, type RuleContext } from '../../rules';
import { WorkspaceIndex } from '../../workspace';
import { LIVE_RULES } from '../../rules/portInUse';
import type { PortMention } from '../../scan/mention';
import type { ContainerAttribution, ListeningSocket } from '../../system/types';
import { mention, names, snap, sock } from './live-fakes';

const DB: ContainerAttribution = {
  id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90',
  name: 'shop-db-1',
  image: 'postgres:16',
  state: 'running',
  status: 'Up 3 minutes',
  privatePort: 5432,
  project: 'shop',
  service: 'db',
  configFiles: ['/ws/shop/compose.yaml'],
  workingDir: '/ws/shop',
};

function published(port: number, container: ContainerAttribution, address = '127.0.0.1'): ListeningSocket {
  return {
    ...sock(port, { address, process: 'docker-proxy', proxy: 'docker', pid: 4000 + port }),
    container,
  };
}

describe('containers in the Ports view model', () => {
  const sockets = [published(5432, DB), sock(3000, { process: 'node', pid: 300 })];

  it('a container row reads "5432/tcp  db · shop (postgres:16)" with its state, and offers container actions', () => {
    const model = buildPortsModel({
      snapshot: snap(sockets),
      liveAvailable: true,
      declarations: [],
      watchPorts: [],
      groupByProcess: false,
      showUdp: false,
      names,
    });
    const rows = model.sections[0].children as SocketNode[];
    const db = rows.find((r) => r.port === 5432);
    assert.equal(db?.label, '5432/tcp');
    assert.equal(db?.description, 'db · shop (postgres:16) · Up 3 minutes · 127.0.0.1');
    assert.deepEqual(db?.contextValue?.split(' ').sort(), ['compose', 'container', 'hasPid', 'port']);
    assert.equal(rows.find((r) => r.port === 3000)?.label, ':3000');
  });

  it('groups a container’s sockets under the container, beside the process groups', () => {
    const model = buildPortsModel({
      snapshot: snap([...sockets, published(5433, DB, '::1')]),
      liveAvailable: true,
      declarations: [],
      watchPorts: [],
      groupByProcess: true,
      showUdp: false,
      names,
    });
    const groups = model.sections[0].children;
    assert.deepEqual(
      groups.map((g) => `${g.kind} ${g.label}`),
      ['process node', 'container shop-db-1'],
    );
    const container = groups[1] as ContainerNode;
    assert.equal(container.description, 'db · shop (postgres:16) · Up 3 minutes');
    assert.equal(container.contextValue, 'container compose');
    assert.deepEqual(
      container.children.map((c) => c.port),
      [5432, 5433],
    );
  });

  it('the filter matches container name, service, project and image', () => {
    for (const term of ['shop-db', 'db', 'shop', 'postgres:16']) {
      const model = buildPortsModel({
        snapshot: snap(sockets),
        liveAvailable: true,
        declarations: [],
        watchPorts: [],
        groupByProcess: false,
        showUdp: false,
        filter: term,
        names,
      });
      const rows = model.sections[0].children as SocketNode[];
      assert.ok(
        rows.some((r) => r.port === 5432),
        term,
      );
    }
  });
});

describe('containers in the hover', () => {
  it('on its own compose file: "running: `shop-db-1` (up 3 minutes)", and a stop link carrying only the id', () => {
    const text = liveStatusMarkdown([published(5432, DB)], 5432, {
      names,
      composeFile: '/ws/shop/compose.yaml',
    });
    assert.match(text, /Running: `shop-db-1` \(up 3 minutes\)/);
    // Engine text is escaped like all workspace text (markdownText): \( \) \: and \- arrive escaped.
    assert.match(text, /container `shop-db-1`: db · shop \\\(postgres\\:16\\\) on `127\.0\.0\.1`/);
    const link = /\[Stop container shop\\-db\\-1\]\(command:portolan\.stopContainer\?([^)]+)\)/.exec(text);
    assert.ok(link, text);
    assert.deepEqual(JSON.parse(decodeURIComponent(link[1])), [{ containerId: DB.id }]);
  });

  it('engine text (names, labels, image, status) cannot add links, HTML or icons to the hover', () => {
    const hostile: ContainerAttribution = {
      ...DB,
      name: 'db`x` $(alert)',
      image: '<img src=x>',
      project: '[p](command:portolan.killProcess)',
      service: '$(alert)',
      status: 'Up *1* [min](https://example.com)',
    };
    const text = liveStatusMarkdown([published(5432, hostile)], 5432, {
      names,
      composeFile: '/ws/shop/compose.yaml',
    });
    // The only links are Portolan's own: the stop link and "Find a free port".
    assert.deepEqual(
      [...text.matchAll(/\]\((command:[a-zA-Z.]+)/g)].map((m) => m[1]),
      ['command:portolan.stopContainer', 'command:portolan.findFreePort'],
    );
    // No icon, HTML, emphasis or link of the engine's own: each such character arrives escaped.
    assert.ok(!text.includes('$(alert)'), text);
    assert.doesNotMatch(text, /(?<!\\)<img|(?<!\\)\*1|(?<!\\)\[(p|min)\\?\]/);
    assert.match(text, /\\\[p\\\]\\\(command\\:portolan\\\.killProcess\\\)/);
  });

  it('elsewhere: names the container, without "running"', () => {
    const text = liveStatusMarkdown([published(5432, DB)], 5432, {
      names,
      composeFile: '/ws/other/compose.yaml',
    });
    assert.doesNotMatch(text, /Running:/);
    assert.match(text, /container `shop-db-1`/);
  });
});

function check(file: string, mentions: PortMention[], sockets: ListeningSocket[]) {
  const f: FileMentions = { file, kind: 'compose', mentions };
  const context: RuleContext = {
    file: f,
    workspace: WorkspaceIndex.of([f]),
    limits: { unprivilegedPortStart: 1024, ephemeralRange: { from: 32768, to: 60999 } },
    live: { holders: (port, protocol) => sockets.filter((s) => s.port === port && s.protocol === protocol) },
  };
  return runRules(context, { extraRules: LIVE_RULES }).filter((x) => x.rule === 'port-in-use');
}

describe('port-in-use with containers', () => {
  it('is information, naming the container, when this compose file’s own service holds the port', () => {
    const found = check(
      'file:///ws/shop/compose.yaml',
      [mention(5432, 'publish', { service: 'db' })],
      [published(5432, DB)],
    );
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'information');
    assert.match(
      found[0].message,
      /published by shop-db-1, service db of this compose project shop: the stack is running/,
    );
  });

  it('stays a warning naming container and project when another project holds it', () => {
    const found = check(
      'file:///ws/blog/compose.yaml',
      [mention(5432, 'publish', { service: 'db' })],
      [published(5432, DB, '0.0.0.0')],
    );
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'warning');
    assert.match(
      found[0].message,
      /already in use by container shop-db-1 \(service db of compose project shop\): stop that container to free it/,
    );
  });

  it('stays a warning when another service of the same project holds it', () => {
    const found = check(
      'file:///ws/shop/compose.yaml',
      [mention(5432, 'publish', { service: 'replica' })],
      [published(5432, DB)],
    );
    assert.equal(found[0]?.severity, 'warning');
  });

  it('stays a warning for a host process', () => {
    const found = check(
      'file:///ws/shop/compose.yaml',
      [mention(5432, 'publish', { service: 'db' })],
      [sock(5432, { process: 'postgres', pid: 812, address: '0.0.0.0' })],
    );
    assert.equal(found[0]?.severity, 'warning');
    assert.match(found[0].message, /postgres \(pid 812\)/);
  });
});
