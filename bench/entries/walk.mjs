// The CLI's workspace walker and the finders, as `portolan scan` runs them.
export { walkFiles, DEFAULT_WALK } from '../../src/cli/walk';
export { scanText } from '../../src/scan/index';
