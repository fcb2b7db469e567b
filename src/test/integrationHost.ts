// Which VS Code runs the integration suites, installing the local host when no VS Code can be had.
// Kept apart from runIntegration.ts (which runs on load) so the choice is unit-tested with fakes.

/** What the choice needs from the outside world: the environment, the local host, test-electron. */
export interface HostWorld {
  /** PORTOLAN_TEST_HOST. */
  requested: string | undefined;
  isHostInstalled(): boolean;
  /** scripts/vscode-host/host.cjs `installHost`: the same progress lines as `npm start`. */
  installHost(announce: (message: string) => void): void;
  /** Downloads (or finds cached) VS Code `version`; resolves to its executable. */
  download(version: string): Promise<string>;
  log(message: string): void;
}

export type HostPlan =
  { kind: 'code-server' } | { kind: 'electron'; builds: { version: string; executable: string }[] };

/**
 * `code-server` when asked for or installed; else VS Code `versions` from test-electron; when one of
 * those cannot be downloaded (no internet), the local host is installed and used instead.
 * Only an explicit PORTOLAN_TEST_HOST=electron fails on a download error.
 */
export async function prepareHost(world: HostWorld, versions: string[]): Promise<HostPlan> {
  const requested = world.requested;
  if (
    requested !== undefined &&
    requested !== '' &&
    requested !== 'code-server' &&
    requested !== 'electron'
  ) {
    throw new Error(`PORTOLAN_TEST_HOST must be "code-server" or "electron", not "${requested}"`);
  }
  const useCodeServer = (): HostPlan => {
    if (!world.isHostInstalled()) {
      world.installHost((message) => world.log(`[test:integration] ${message}`));
    }
    return { kind: 'code-server' };
  };
  if (requested === 'code-server' || (requested !== 'electron' && world.isHostInstalled())) {
    return useCodeServer();
  }
  const builds: { version: string; executable: string }[] = [];
  for (const version of versions) {
    try {
      builds.push({ version, executable: await world.download(version) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (requested === 'electron') {
        throw new Error(
          `could not download VS Code ${version} (${message}); without internet, leave PORTOLAN_TEST_HOST unset ` +
            'or set it to code-server to run the suites in the local host',
          { cause: error },
        );
      }
      world.log(
        `test:integration: could not download VS Code ${version} (${message}); running the suites in the local code-server instead`,
      );
      return useCodeServer();
    }
  }
  return { kind: 'electron', builds };
}
