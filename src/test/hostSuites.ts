// What both host runs share (../integration and ../integration-pt-br): mocha over the compiled
// suites (*.test.js) of one folder, inside the extension host that VS Code started for the run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** Runs every suite under `folder`; rejects, naming the run, when one fails or none is there. */
export function runSuitesIn(folder: string, runName: string): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: process.env.NO_COLOR === undefined,
    // Activation and the first provider call load the port registry; 2-core CI needs headroom.
    timeout: 30000,
  });
  if (process.env.PORTOLAN_TEST_GREP) {
    mocha.grep(new RegExp(process.env.PORTOLAN_TEST_GREP));
  }
  const suites = fs
    .readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort();
  if (suites.length === 0) {
    return Promise.reject(new Error(`no ${runName} suites (*.test.js) under ${folder}`));
  }
  for (const suite of suites) {
    mocha.addFile(path.join(folder, suite));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      if (failures > 0) {
        reject(new Error(`${failures} ${runName} test(s) failed`));
      } else {
        resolve();
      }
    });
  });
}
