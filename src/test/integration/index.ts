// Entry VS Code calls in the extension host (extensionTestsPath): runs every compiled integration suite.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
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
    .readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort();
  if (suites.length === 0) {
    return Promise.reject(new Error(`no integration suites (*.test.js) under ${__dirname}`));
  }
  for (const suite of suites) {
    mocha.addFile(path.join(__dirname, suite));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      if (failures > 0) {
        reject(new Error(`${failures} integration test(s) failed`));
      } else {
        resolve();
      }
    });
  });
}
