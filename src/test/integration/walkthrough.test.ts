// The getting-started walkthrough (issue 13 "make first use easy"): contributed, localized, its media
// shipped, and each step completed by an event that fires: a command that exists or a view that opens.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activatePortolan, PORTOLAN_ID } from './helpers';

interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  media: { image?: string; markdown?: string; altText?: string };
  completionEvents?: string[];
}

interface Walkthrough {
  id: string;
  title: string;
  steps: WalkthroughStep[];
}

/** True when .vscodeignore (everything out, then `!` lines back in) keeps `file` in the package. */
function shippedInVsix(file: string): boolean {
  const root = vscode.extensions.getExtension(PORTOLAN_ID)!.extensionPath;
  return fs
    .readFileSync(path.join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('!'))
    .map((line) => line.slice(1).trim())
    .some((kept) => kept === file || (kept.endsWith('/**') && file.startsWith(kept.slice(0, -2))));
}

describe('getting-started walkthrough', () => {
  let extension: vscode.Extension<unknown>;
  let walkthrough: Walkthrough;

  before(async () => {
    extension = await activatePortolan();
    const walkthroughs = (extension.packageJSON as { contributes: { walkthroughs?: Walkthrough[] } })
      .contributes.walkthroughs;
    assert.equal(walkthroughs?.length, 1);
    walkthrough = walkthroughs[0];
  });

  it('has the steps hover a port, see a conflict, open the Ports view and document the ports', () => {
    assert.equal(walkthrough.id, 'portolan.gettingStarted');
    assert.deepEqual(
      walkthrough.steps.map((s) => s.id),
      ['hover', 'conflict', 'portsView', 'document'],
    );
    assert.equal(walkthrough.title, 'Get started with Portolan');
    for (const step of walkthrough.steps) {
      assert.doesNotMatch(`${step.title} ${step.description}`, /%[\w.]+%/, `${step.id} is not localized`);
    }
  });

  it('ships every step’s image or Markdown inside the extension', () => {
    for (const step of walkthrough.steps) {
      const file = step.media.image ?? step.media.markdown;
      assert.ok(file, `${step.id} has no media`);
      const onDisk = path.join(extension.extensionPath, file);
      assert.ok(fs.existsSync(onDisk), `${step.id}: ${file} is missing`);
      assert.ok(fs.statSync(onDisk).size > 200, `${step.id}: ${file} is empty`);
      if (step.media.image) {
        assert.ok(step.media.altText && !/^%/.test(step.media.altText), `${step.id} has no alt text`);
      }
      assert.ok(shippedInVsix(file), `${file} is left out of the .vsix by .vscodeignore`);
    }
  });

  it('completes each step on a command that exists or a view that exists', async () => {
    const commands = new Set(await vscode.commands.getCommands(true));
    const views = (extension.packageJSON as { contributes: { views: Record<string, { id: string }[]> } })
      .contributes.views;
    const viewIds = new Set(Object.values(views).flatMap((list) => list.map((v) => v.id)));
    for (const step of walkthrough.steps) {
      assert.ok((step.completionEvents ?? []).length > 0, `${step.id} is never completed`);
      for (const event of step.completionEvents ?? []) {
        const [kind, id] = event.split(':');
        if (kind === 'onCommand') {
          assert.ok(commands.has(id), `${step.id}: command ${id} does not exist`);
        } else if (kind === 'onView') {
          assert.ok(viewIds.has(id) || id === 'workbench.panel.markers.view', `${step.id}: view ${id}`);
        } else {
          assert.fail(`${step.id}: unexpected completion event ${event}`);
        }
      }
      for (const link of step.description.matchAll(/\(command:([\w.]+)\)/g)) {
        assert.ok(commands.has(link[1]), `${step.id}: its button runs ${link[1]}, which does not exist`);
      }
    }
  });

  it('opens in the Welcome page', async () => {
    await vscode.commands.executeCommand(
      'workbench.action.openWalkthrough',
      `${PORTOLAN_ID}#portolan.gettingStarted`,
      false,
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
