// The live side of container proxies: which socket holders the UI treats as Docker's.
import { isContainerPublisher } from '../model/containerProxy';
import type { ProxyKind } from './types';

export function containerProxyKind(processName: string | undefined): ProxyKind | undefined {
  return isContainerPublisher(processName) ? 'docker' : undefined;
}
