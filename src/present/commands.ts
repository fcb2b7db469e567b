// Every command Portolan contributes, in one place. A unit test keeps this and package.json in step.
export const Command = {
  Refresh: 'portolan.refresh',
  FindFreePort: 'portolan.findFreePort',
  ShowPortInfo: 'portolan.showPortInfo',
  Filter: 'portolan.filter',
  ClearFilter: 'portolan.clearFilter',
  GroupByProcess: 'portolan.groupByProcess',
  ShowFlat: 'portolan.showFlat',
  KillProcess: 'portolan.killProcess',
  OpenInBrowser: 'portolan.openInBrowser',
  CopyAddress: 'portolan.copyAddress',
  CopyPid: 'portolan.copyPid',
  RevealDeclaration: 'portolan.revealDeclaration',
  WatchPort: 'portolan.watchPort',
  UnwatchPort: 'portolan.unwatchPort',
  TestConnection: 'portolan.testConnection',
  RescanWorkspace: 'portolan.rescanWorkspace',
  IgnoreLine: 'portolan.ignoreLine',
  DisableRule: 'portolan.disableRule',
  ShowLog: 'portolan.showLog',
  StopContainer: 'portolan.stopContainer',
  RestartContainer: 'portolan.restartContainer',
  RevealComposeService: 'portolan.revealComposeService',
  CopyContainerId: 'portolan.copyContainerId',
  DocumentPorts: 'portolan.documentPorts',
} as const;

export type CommandId = (typeof Command)[keyof typeof Command];
