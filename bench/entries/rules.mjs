// The rules over a scanned workspace, as `portolan check` and the editor's diagnostics run them.
export { runRules } from '../../src/rules/index';
export { WorkspaceIndex } from '../../src/workspace/index';
export { folderOf } from '../../src/rules/claims';
export { detectFileKind, scanText } from '../../src/scan/index';
