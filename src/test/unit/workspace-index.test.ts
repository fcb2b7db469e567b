import * as assert from 'node:assert/strict';
import { dependentFiles } from '../../rules/dependents';
import { outermostPaths, WorkspaceIndex } from '../../workspace';

const compose = (port: number): string =>
  `services:\n  web:\n    image: x\n    ports:\n      - "${port}:80"\n`;

describe('workspace: the index shared by portolan check and the extension', () => {
  it('keeps files with mentions, by folder, with positions', () => {
    const index = new WorkspaceIndex();
    assert.equal(index.set('p/compose.yaml', compose(8080)), true);
    assert.equal(index.set('p/README', 'no ports here'), false);
    assert.equal(index.set('p/server.js', 'app.listen(3000);\n'), true);
    assert.equal(index.size, 2);
    assert.deepEqual(
      index.filesInFolder('p/').map((f) => [f.file, f.kind]),
      [
        ['p/compose.yaml', 'compose'],
        ['p/server.js', 'code'],
      ],
    );
    const mention = index.get('p/compose.yaml')?.mentions.find((m) => m.port === 8080);
    assert.ok(mention);
    assert.deepEqual(index.positionAt('p/compose.yaml', mention.range.start), { line: 4, character: 9 });
    assert.equal(index.positionAt('p/other.yaml', 0), undefined);
  });

  it('stores an entry scanned once as it is, as set would', () => {
    const index = new WorkspaceIndex();
    const scanned = index.scan('p/server.js', 'app.listen(3000);\n');
    assert.ok(scanned);
    assert.equal(index.add(scanned), true);
    assert.equal(index.get('p/server.js'), scanned);
    assert.deepEqual(index.positionAt('p/server.js', 11), { line: 0, character: 11 });
    const empty = index.scan('p/README', 'no ports here');
    assert.ok(empty);
    assert.equal(index.add(empty), false);
    assert.equal(index.size, 1);
  });

  it('forgets a deleted folder whole, and never a sibling whose name starts the same', () => {
    const index = new WorkspaceIndex();
    index.set('file:///w/a/b/compose.yaml', compose(8080));
    index.set('file:///w/a/b/deep/server.js', 'app.listen(3000);\n');
    index.set('file:///w/a/bc/compose.yaml', compose(8080));
    index.set('file:///w/a/compose.yaml', compose(9090));
    const claimed = index.claimedPorts();
    assert.deepEqual([...claimed].sort(), [3000, 8080, 9090]);

    assert.deepEqual(index.deleteFolder('file:///w/a/b').sort(), [
      'file:///w/a/b/compose.yaml',
      'file:///w/a/b/deep/server.js',
    ]);
    assert.deepEqual([...index.files()].map((f) => f.file).sort(), [
      'file:///w/a/bc/compose.yaml',
      'file:///w/a/compose.yaml',
    ]);
    assert.deepEqual(index.filesInFolder('file:///w/a/b/'), []);
    assert.deepEqual(
      index
        .filesBelow('file:///w/a/', 2)
        .map((f) => f.file)
        .sort(),
      ['file:///w/a/bc/compose.yaml', 'file:///w/a/compose.yaml'],
    );
    // The derived caches follow: 3000 lived only in the deleted folder.
    assert.deepEqual([...index.claimedPorts()].sort(), [8080, 9090]);

    // Nothing under it any more (and a trailing '/' means the same folder).
    assert.deepEqual(index.deleteFolder('file:///w/a/b/'), []);
    assert.deepEqual(index.deleteFolder('file:///w/a/compose.yaml'), []);
    assert.equal(index.size, 2);
  });

  it('forgets a deleted folder of Windows paths from the CLI', () => {
    const index = new WorkspaceIndex();
    index.set('C:\\w\\api\\compose.yaml', compose(8080));
    index.set('C:\\w\\api2\\compose.yaml', compose(8081));
    assert.deepEqual(index.deleteFolder('C:\\w\\api'), ['C:\\w\\api\\compose.yaml']);
    assert.deepEqual(
      [...index.files()].map((f) => f.file),
      ['C:\\w\\api2\\compose.yaml'],
    );
  });

  it('updates, forgets a file edited down to nothing only when asked, and deletes', () => {
    const index = new WorkspaceIndex();
    index.set('a/compose.yaml', compose(8080));
    assert.equal(index.set('a/compose.yaml', compose(9090)), true);
    assert.deepEqual(
      index
        .get('a/compose.yaml')
        ?.mentions.map((m) => m.port)
        .filter((p) => p !== 80),
      [9090],
    );
    assert.equal(index.delete('a/compose.yaml'), true);
    assert.equal(index.delete('a/compose.yaml'), false);
    assert.deepEqual(index.filesInFolder('a/'), []);
  });

  it('never holds an ignored file, even one it held before', () => {
    const ignored = new Set<string>();
    const index = new WorkspaceIndex({ isIgnored: (f) => ignored.has(f) });
    index.set('a/compose.yaml', compose(8080));
    ignored.add('a/compose.yaml');
    assert.equal(index.set('a/compose.yaml', compose(8080)), true);
    assert.equal(index.has('a/compose.yaml'), false);
  });

  it('swaps a whole build in at once', () => {
    const index = new WorkspaceIndex();
    index.set('old/compose.yaml', compose(1));
    const fresh = [index.scan('new/compose.yaml', compose(8080)), index.scan('new/empty.txt', '')];
    index.replaceAll(fresh.filter((e) => e !== undefined));
    assert.deepEqual(
      [...index.files()].map((f) => f.file),
      ['new/compose.yaml'],
    );
  });
});

describe('rules: which files depend on which', () => {
  it('names siblings, the parent folder and up to two folders below', () => {
    const index = WorkspaceIndex.of(
      [
        'p/compose.yaml',
        'p/compose.override.yaml',
        'p/nginx/nginx.conf',
        'p/nginx/conf.d/site.conf',
        'p/a/b/c/deep.conf',
        'top.conf',
        'q/other.yaml',
      ].map((file) => ({ file, kind: undefined, mentions: [] })),
    );
    assert.deepEqual(dependentFiles('p/compose.yaml', index).sort(), [
      'p/compose.override.yaml',
      'p/nginx/conf.d/site.conf',
      'p/nginx/nginx.conf',
      'top.conf',
    ]);
    assert.deepEqual(dependentFiles('p/nginx/conf.d/site.conf', index).sort(), ['p/nginx/nginx.conf']);
    assert.deepEqual(dependentFiles('p/nginx/nginx.conf', index).sort(), [
      'p/compose.override.yaml',
      'p/compose.yaml',
      'p/nginx/conf.d/site.conf',
    ]);
  });
});

describe('workspace: outermostPaths, the created paths worth a look', () => {
  it('drops what lies inside another path of the list, at any depth, and keeps the order', () => {
    assert.deepEqual(
      outermostPaths([
        'file:///w/new/api/server.js',
        'file:///w/new',
        'file:///w/new/api',
        'file:///w/other.yaml',
        'file:///w/newer/compose.yaml',
      ]),
      ['file:///w/new', 'file:///w/other.yaml', 'file:///w/newer/compose.yaml'],
    );
  });

  it('keeps siblings whose names share a prefix, and an empty list stays empty', () => {
    assert.deepEqual(outermostPaths(['/w/app', '/w/app-2/x', '/w/app2']), [
      '/w/app',
      '/w/app-2/x',
      '/w/app2',
    ]);
    assert.deepEqual(outermostPaths([]), []);
  });
});
