// The rules over a scanned workspace, as `portolan check` and the editor's diagnostics run them.
export { runRules } from '../../src/rules/index';
export { MemoryWorkspace } from '../../src/rules/memoryWorkspace';
export { folderOf } from '../../src/rules/claims';
export { detectFileKind, scanText } from '../../src/scan/index';
