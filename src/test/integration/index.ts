// Entry VS Code calls in the extension host (extensionTestsPath): runs every compiled integration suite.
import { runSuitesIn } from '../hostSuites';

export function run(): Promise<void> {
  return runSuitesIn(__dirname, 'integration');
}
