// Entry for the pt-BR run (extensionTestsPath): the host is started with `--locale pt-br` and the test
// language pack (src/test/fixtures/language-pack-pt-br), and runs only the suites in this folder, so the
// English suites under ../integration stay as they are.
import { runSuitesIn } from '../hostSuites';

export function run(): Promise<void> {
  return runSuitesIn(__dirname, 'pt-BR integration');
}
