// The system layer's public surface: this machine's sockets, free ports, kill.

export * from './types';
export { SocketReader } from './socketReader';
export { createSocketService, DEFAULT_CONNECTIONS_MAX_AGE_MS } from './socketService';
export { listListeningSockets, socketsOnPort } from './listening';
export { findFreePort, testConnection } from './freePort';
export { killPortOwner, isProcessAlive } from './kill';
export { readKernelPortLimits } from './kernel';
export { containerProxyKind } from './dockerProxy';
export { parseProcNetTable, decodeProcAddress } from './procNet';
export { parseLsofFields } from './lsof';
export { parseNetstatRows, parseTasklistCsv, netstatToSockets } from './netstat';
export { hasZone, isLinkLocal, withZone } from './scopedAddress';
export { processIdentity, processRuntime, isThreadName, type ProcessNames } from './processIdentity';
