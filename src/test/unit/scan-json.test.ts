import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findDevcontainerPorts, findLaunchJsonPorts, findPackageJsonPorts } from '../../scan/jsonFiles';
import { MENTION_FACTS, view } from './scanTestKit';

const fixtures = path.resolve(__dirname, '../../../src/test/fixtures/scan/json');

// Launch configs and devcontainers can say which service a port belongs to.
const facts = [...MENTION_FACTS, 'service'] as const;

function read(name: string): string {
  return fs.readFileSync(path.join(fixtures, name), 'utf8');
}

describe('findPackageJsonPorts', () => {
  it('reads ports in scripts, proxy and config, and nothing in dependencies', () => {
    const text = read('package.json');
    const mentions = findPackageJsonPorts(text);
    assert.ok(mentions.every((m) => m.kind === 'packagejson'));
    assert.deepEqual(
      mentions.map((m) => view(text, m, facts)),
      [
        { at: '5173', port: 5173, role: 'listen' },
        { at: '3001', port: 3001, role: 'listen' },
        { at: '4000', port: 4000, role: 'setting', variable: 'PORT' },
        { at: '8080', port: 8080, role: 'listen' },
        { at: '9229', port: 9229, role: 'listen' },
        { at: '9230', port: 9230, role: 'listen', host: '0.0.0.0' },
        { at: '5432', port: 5432, role: 'publish' },
        { at: '5432', port: 5432, role: 'target' },
        { at: '5000', port: 5000, role: 'connect', host: 'localhost', scheme: 'http', variable: 'proxy' },
        { at: '8081', port: 8081, role: 'setting', variable: 'port' },
      ],
    );
  });

  it('never throws on malformed or odd JSON', () => {
    assert.deepEqual(findPackageJsonPorts(''), []);
    assert.deepEqual(findPackageJsonPorts('[1, 2'), []);
    assert.deepEqual(findPackageJsonPorts('"just a string"'), []);
    const truncated = '{ "scripts": { "dev": "vite --port 5173", "x": "ser';
    assert.deepEqual(
      findPackageJsonPorts(truncated).map((m) => view(truncated, m, facts)),
      [{ at: '5173', port: 5173, role: 'listen' }],
    );
  });
});

describe('findLaunchJsonPorts', () => {
  it('reads attach ports as connect, URLs, inspector flags and env port variables', () => {
    const text = read('launch.json');
    const mentions = findLaunchJsonPorts(text);
    assert.ok(mentions.every((m) => m.kind === 'launchjson'));
    assert.deepEqual(
      mentions.map((m) => view(text, m, facts)),
      [
        { at: '9229', port: 9229, role: 'connect', variable: 'port' },
        { at: '3000', port: 3000, role: 'connect', host: 'localhost', scheme: 'http', variable: 'url' },
        { at: '9230', port: 9230, role: 'listen' },
        { at: '4000', port: 4000, role: 'setting', variable: 'PORT' },
      ],
    );
  });

  it('reads a launch-request port as a setting', () => {
    const text = '{"configurations":[{"request":"launch","debugPort":5005}]}';
    assert.deepEqual(
      findLaunchJsonPorts(text).map((m) => view(text, m, facts)),
      [{ at: '5005', port: 5005, role: 'setting', variable: 'debugPort' }],
    );
  });

  it('never throws on malformed JSON', () => {
    assert.deepEqual(findLaunchJsonPorts('{"configurations": [ {"port": '), []);
    assert.deepEqual(findLaunchJsonPorts('}}}'), []);
  });
});

describe('findDevcontainerPorts', () => {
  it('reads forwardPorts, appPort, portsAttributes, runArgs, env and commands', () => {
    const text = read('devcontainer.json');
    const mentions = findDevcontainerPorts(text);
    assert.ok(mentions.every((m) => m.kind === 'devcontainer'));
    assert.deepEqual(
      mentions.map((m) => view(text, m, facts)),
      [
        { at: '3000', port: 3000, role: 'publish' },
        { at: '5432', port: 5432, role: 'publish', service: 'db' },
        { at: '8080', port: 8080, role: 'publish' },
        { at: '80', port: 80, role: 'target' },
        { at: '9000', port: 9000, role: 'publish' },
        { at: '3000', port: 3000, role: 'setting' },
        { at: '5000-5010', port: 5000, portEnd: 5010, role: 'setting' },
        { at: '8081', port: 8081, role: 'publish' },
        { at: '81', port: 81, role: 'target' },
        { at: '3000', port: 3000, role: 'setting', variable: 'PORT' },
        { at: '4200', port: 4200, role: 'listen' },
      ],
    );
    const appPort = mentions.find((m) => m.port === 8080);
    assert.deepEqual(appPort?.counterpart, { port: 80 });
  });

  it('accepts a single appPort number and never throws on malformed JSON', () => {
    const text = '{"appPort": 3000,';
    assert.deepEqual(
      findDevcontainerPorts(text).map((m) => view(text, m, facts)),
      [{ at: '3000', port: 3000, role: 'publish' }],
    );
    assert.deepEqual(findDevcontainerPorts('[[[}'), []);
    assert.deepEqual(findDevcontainerPorts(''), []);
  });

  it('survives binary junk', () => {
    const junk =
      '{"forwardPorts": [' +
      Array.from({ length: 50_000 }, (_, i) => String.fromCharCode((i * 7) % 65536)).join('');
    // Not JSON at all: nothing to read, and no port made up from the noise.
    assert.deepEqual(findDevcontainerPorts(junk), []);
    assert.deepEqual(findPackageJsonPorts(junk), []);
    assert.deepEqual(findLaunchJsonPorts(junk), []);
  });
});
