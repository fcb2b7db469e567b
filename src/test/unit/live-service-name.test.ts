// Issue 13 item 7: a live row shows the registry's name only when it helps.
import * as assert from 'node:assert/strict';
import { liveServiceName } from '../../data/registry';
import { liveServiceLabel, socketDescription, type ServiceNames } from '../../present/portsModel';
import { processIdentity, processRuntime } from '../../system/processIdentity';
import type { ListeningSocket } from '../../system/types';
import { serviceName } from '../../data/registry';

function holder(process: string, command: string): { identity: string; runtime?: string } {
  return { identity: processIdentity({ process, command }), runtime: processRuntime({ process, command }) };
}

describe('liveServiceName', () => {
  it('leaves a bare registry name off a Python dev server', () => {
    const http = holder('python3', 'python3 -m http.server 8765');
    assert.equal(serviceName(8765, 'tcp'), 'ultraseek-http');
    assert.equal(liveServiceName(8765, 'tcp', http), undefined);
    assert.equal(
      liveServiceName(8766, 'tcp', holder('MainThread', 'python manage.py runserver 8766')),
      undefined,
    );
  });

  it('names the well-known use that fits the process', () => {
    const django = holder('MainThread', '/srv/.venv/bin/python manage.py runserver 8000');
    assert.equal(liveServiceName(8000, 'tcp', django), 'Django runserver');
    const uvicorn = holder('uvicorn', '/usr/bin/python3 /srv/.venv/bin/uvicorn app:app --port 8000');
    assert.equal(liveServiceName(8000, 'tcp', uvicorn), 'uvicorn / FastAPI');
    assert.equal(
      liveServiceName(8000, 'tcp', holder('python3', 'python3 -m http.server')),
      'Python http.server',
    );
    assert.equal(
      liveServiceName(5432, 'tcp', holder('postgres', '/usr/lib/postgresql/16/bin/postgres -D /data')),
      'PostgreSQL',
    );
    assert.equal(
      liveServiceName(6379, 'tcp', holder('redis-server', '/usr/bin/redis-server 127.0.0.1:6379')),
      'Redis',
    );
    assert.equal(
      liveServiceName(3000, 'tcp', holder('grafana', '/usr/share/grafana/bin/grafana server')),
      'Grafana',
    );
  });

  it('shows no framework of another language or a shared dev port’s guess', () => {
    // 8000 is Django's and Gatsby's; a Node server that is neither gets no name.
    assert.equal(liveServiceName(8000, 'tcp', holder('node', 'node server.js')), undefined);
    // 3000's uses without a runtime (Grafana, Gitea) are not a Python process.
    assert.equal(liveServiceName(3000, 'tcp', holder('MainThread', 'python app.py')), undefined);
    assert.equal(liveServiceName(8000, 'tcp', holder('edge-proxy', '/srv/edge-proxy')), undefined);
  });

  it('keeps the team’s name and, with no visible holder, the registry’s', () => {
    const customPorts = { '8765': 'Docs preview' };
    assert.equal(
      liveServiceName(8765, 'tcp', holder('python3', 'python3 -m http.server'), { customPorts }),
      'Docs preview',
    );
    assert.equal(liveServiceName(8765, 'tcp', undefined), 'ultraseek-http');
  });

  it('drives the Ports view row of a live socket', () => {
    const names: ServiceNames = {
      serviceName: (port, protocol) => serviceName(port, protocol),
      liveName: (port, protocol, h) => liveServiceName(port, protocol, h),
      isTlsPort: () => false,
    };
    const owner = { pid: 4242, process: 'MainThread', command: 'python3 -m http.server 8765' };
    const socket: ListeningSocket = {
      protocol: 'tcp',
      family: 'ipv4',
      address: '127.0.0.1',
      port: 8765,
      ownerVisible: true,
      owners: [owner],
      pid: owner.pid,
      process: owner.process,
      command: owner.command,
      connections: { established: 0, timeWait: 0, closeWait: 0 },
    };
    assert.equal(liveServiceLabel(socket, names), undefined);
    assert.equal(socketDescription(socket, names), 'python -m http.server (4242) · 127.0.0.1 · tcp');
    const hidden = {
      ...socket,
      ownerVisible: false,
      owners: [],
      pid: undefined,
      process: undefined,
      command: undefined,
    };
    assert.equal(liveServiceLabel(hidden, names), 'ultraseek-http');
  });
});
