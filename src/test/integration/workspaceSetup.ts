// What runIntegration.ts puts in the test workspace, shared with the suites that check it.

/** In the workspace settings' `portolan.diagnostics.ignore` from the start: activation must survive it. */
export const MALFORMED_IGNORE_GLOB = '**/*.{yml';

/** The second workspace folder's own `portolan.customPorts` name for port 4000. */
export const SECOND_FOLDER_PORT_NAME = 'SecondFolderApi';
