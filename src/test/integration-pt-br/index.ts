// Entry for the pt-BR run (extensionTestsPath): the host is started with `--locale pt-br` and the test
// language pack (src/test/fixtures/language-pack-pt-br), and runs only the suites in this folder, so the
// English suites under ../integration stay as they are.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: process.env.NO_COLOR === undefined,
    timeout: 30000,
  });
  if (process.env.PORTOLAN_TEST_GREP) {
    mocha.grep(new RegExp(process.env.PORTOLAN_TEST_GREP));
  }
  const suites = fs
    .readdirSync(__dirname)
    .filter((file) => file.endsWith('.test.js'))
    .sort();
  if (suites.length === 0) {
    return Promise.reject(new Error(`no pt-BR integration suites (*.test.js) under ${__dirname}`));
  }
  for (const suite of suites) {
    mocha.addFile(path.join(__dirname, suite));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      if (failures > 0) {
        reject(new Error(`${failures} pt-BR integration test(s) failed`));
      } else {
        resolve();
      }
    });
  });
}
