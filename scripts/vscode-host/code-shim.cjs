#!/usr/bin/env node
// Stands in for the VS Code executable (`vscodeExecutablePath` of @vscode/test-electron, `useInstallation.fromPath`
// of @vscode/test-cli): takes the desktop test arguments and runs the same suites in the local code-server.
// Profile flags (--user-data-dir, --extensions-dir, --no-sandbox, --disable-extensions ...) are dropped: every
// run gets a throwaway profile of its own. `--locale` is honoured; `--language-pack=<folder>` (shim only) installs
// a language pack extension folder into that profile first.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, run by node without a build step */
const { runExtensionTests } = require('./run-extension-tests.cjs');
const host = require('./host.cjs');

function parseDesktopArgs(argv) {
  const parsed = {
    developmentPaths: [],
    testsPath: undefined,
    folder: undefined,
    version: false,
    locale: undefined,
    languagePacks: [],
    ignored: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inlineValue] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => inlineValue ?? argv[++i];
    if (flag === '--extensionDevelopmentPath') parsed.developmentPaths.push(value());
    else if (flag === '--extensionTestsPath') parsed.testsPath = value();
    else if (flag === '--version' || flag === '-v') parsed.version = true;
    else if (flag === '--locale') parsed.locale = value();
    else if (flag === '--language-pack') parsed.languagePacks.push(value());
    else if (arg.startsWith('-')) parsed.ignored.push(arg);
    else if (!parsed.folder) parsed.folder = arg;
  }
  return parsed;
}

async function main() {
  const args = parseDesktopArgs(process.argv.slice(2));
  if (args.version) {
    console.log(
      `${host.installedCodeServerVersion() ? host.readVersions().CODE_SERVER_VERSION : 'not installed'}\ncode-server-shim\nx64`,
    );
    return 0;
  }
  if (args.developmentPaths.length === 0 || !args.testsPath) {
    console.error(
      'code-shim: needs --extensionDevelopmentPath=<dir> and --extensionTestsPath=<file>; got',
      process.argv.slice(2).join(' '),
    );
    return 2;
  }
  if (args.developmentPaths.length > 1) {
    console.error('code-shim: several --extensionDevelopmentPath given; only the first one is loaded');
  }
  return runExtensionTests({
    extensionDevelopmentPath: args.developmentPaths[0],
    extensionTestsPath: args.testsPath,
    folder: args.folder,
    locale: args.locale,
    languagePacks: args.languagePacks,
    verbose: process.env.PORTOLAN_TEST_VERBOSE === '1',
  });
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`code-shim: ${error instanceof Error ? error.message : error}`);
    process.exit(2);
  },
);
