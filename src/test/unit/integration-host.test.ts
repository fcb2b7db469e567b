// The integration runner's choice of VS Code: with no VS Code to be had, it installs the local host.
import * as assert from 'node:assert/strict';
import { prepareHost, type HostWorld } from '../integrationHost';

interface FakeWorld extends HostWorld {
  installs: number;
  downloads: string[];
  lines: string[];
}

function world(requested: string | undefined, installed: boolean, online: boolean): FakeWorld {
  const w: FakeWorld = {
    requested,
    installs: 0,
    downloads: [],
    lines: [],
    isHostInstalled: () => installed,
    installHost: (announce) => {
      announce('install the local VS Code host');
      w.installs++;
      installed = true;
    },
    download: (version) => {
      w.downloads.push(version);
      return online
        ? Promise.resolve(`/cache/vscode-${version}/code`)
        : Promise.reject(new Error('getaddrinfo ENOTFOUND update.code.visualstudio.com'));
    },
    log: (line) => w.lines.push(line),
  };
  return w;
}

describe('integration runner: which VS Code', () => {
  it('installs the local host and uses it when VS Code cannot be downloaded (fresh clone, no internet)', async () => {
    const w = world(undefined, false, false);
    assert.deepEqual(await prepareHost(w, ['stable', '1.90.0']), { kind: 'code-server' });
    assert.equal(w.installs, 1);
    assert.deepEqual(w.downloads, ['stable']);
    assert.match(
      w.lines[0],
      /could not download VS Code stable \(getaddrinfo ENOTFOUND .*\); running the suites in the local code-server instead/,
    );
    assert.equal(w.lines[1], '[test:integration] install the local VS Code host');
  });

  it('uses an installed local host without downloading or installing', async () => {
    const w = world(undefined, true, true);
    assert.deepEqual(await prepareHost(w, ['stable']), { kind: 'code-server' });
    assert.deepEqual([w.installs, w.downloads], [0, []]);
  });

  it('installs the local host when asked for it by PORTOLAN_TEST_HOST=code-server', async () => {
    const w = world('code-server', false, true);
    assert.deepEqual(await prepareHost(w, ['stable']), { kind: 'code-server' });
    assert.deepEqual([w.installs, w.downloads], [1, []]);
  });

  it('runs every downloadable VS Code version when online and no local host is installed', async () => {
    const w = world(undefined, false, true);
    assert.deepEqual(await prepareHost(w, ['stable', '1.90.0']), {
      kind: 'electron',
      builds: [
        { version: 'stable', executable: '/cache/vscode-stable/code' },
        { version: '1.90.0', executable: '/cache/vscode-1.90.0/code' },
      ],
    });
    assert.equal(w.installs, 0);
  });

  it('fails, naming the way out, when electron is asked for and cannot be downloaded', async () => {
    const w = world('electron', true, false);
    await assert.rejects(
      prepareHost(w, ['stable']),
      /could not download VS Code stable .*PORTOLAN_TEST_HOST unset/,
    );
    assert.equal(w.installs, 0);
  });

  it('rejects an unknown PORTOLAN_TEST_HOST', async () => {
    await assert.rejects(
      prepareHost(world('firefox', true, true), ['stable']),
      /must be "code-server" or "electron"/,
    );
  });
});
