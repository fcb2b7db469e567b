// Hovers as VS Code asks for them: vscode.executeHoverProvider on the fixture workspace.
import * as assert from 'node:assert/strict';
import {
  activatePortolan,
  closeAllEditors,
  hoverText,
  hoversAt,
  openFixture,
  PORTOLAN_HOVER_HEADING,
  portolanHoverAt,
  positionOf,
  setPortolanSetting,
} from './helpers';

describe('hover', () => {
  before(async () => {
    await activatePortolan();
  });

  afterEach(async () => {
    await closeAllEditors();
  });

  it('names PostgreSQL over the published 5432 in compose.yaml', async () => {
    const { document } = await openFixture('compose.yaml');
    const text = await portolanHoverAt(document.uri, positionOf(document, '5432:5432', 0, 1));
    assert.match(text, /\*\*5432\/tcp\*\*/);
    assert.match(text, /postgres/i);
  });

  it('describes the container side of 5432:5432 as the same service', async () => {
    const { document } = await openFixture('compose.yaml');
    const text = await portolanHoverAt(document.uri, positionOf(document, '5432:5432', 0, 6));
    assert.match(text, /\*\*5432\/tcp\*\*/);
    assert.match(text, /container port/i);
  });

  it('explains app.listen(3000) in server.js', async () => {
    const { document } = await openFixture('server.js');
    const text = await portolanHoverAt(
      document.uri,
      positionOf(document, 'listen(3000', 0, 'listen('.length + 1),
    );
    assert.match(text, /\*\*3000\/tcp\*\*/);
    assert.match(text, /listens/i);
  });

  it('explains PORT=3000 in .env', async () => {
    const { document } = await openFixture('.env');
    const text = await portolanHoverAt(
      document.uri,
      positionOf(document, 'PORT=3000', 0, 'PORT='.length + 1),
    );
    assert.match(text, /\*\*3000\/tcp\*\*/);
    assert.match(text, /PORT/);
  });

  it('gives no Portolan hover away from a port', async () => {
    const { document } = await openFixture('compose.yaml');
    for (const [needle, offset] of [
      ['services:', 2],
      ['image: postgres', 9],
      ['POSTGRES_PASSWORD', 3],
    ] as const) {
      const hovers = await hoversAt(document.uri, positionOf(document, needle, 0, offset));
      assert.doesNotMatch(
        hoverText(hovers),
        PORTOLAN_HOVER_HEADING,
        `unexpected Portolan hover over "${needle}"`,
      );
    }
  });

  it('stops hovering when portolan.hover.enabled is false, and resumes when it is back', async () => {
    const { document } = await openFixture('compose.yaml');
    const position = positionOf(document, '5432:5432', 0, 1);
    const restore = await setPortolanSetting('hover.enabled', false);
    try {
      assert.equal(await portolanHoverAt(document.uri, position), '');
    } finally {
      await restore();
    }
    assert.match(await portolanHoverAt(document.uri, position), /postgres/i);
  });
});
