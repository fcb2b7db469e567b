// The verbs that read a workspace: with them come the finders, the rules and the project model.
// esbuild.mjs bundles this module as a lazy chunk of its own (dist/lazy/cliWorkspace.js), so that
// `portolan ls`, `who` and `free`, which only read this machine's sockets, start without parsing it.
export { run as scan } from './scan';
export { run as check } from './check';
export { run as compose } from './compose';
export { run as refs } from './refs';
export { run as doc } from './doc';
