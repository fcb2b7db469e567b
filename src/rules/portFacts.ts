// The few registry facts the rules need, in one place so the rules stay readable.
import {
  isSensitiveWhenPublic as registrySensitive,
  portCategory,
  serviceName,
  usualUnprivilegedAlternative as registryAlternative,
} from '../data/registry';
import { imageService, numberNamesService, useNamedByImage, type ServiceOrigin } from '../data/images';
import { securityNotesFor } from '../data/security';
import type { Protocol } from '../model/port';
import type { Translate } from '../model/translate';

/**
 * A short name for messages: `PostgreSQL`, `Redis`; the image speaks first when it is known
 * (`portainer/portainer-ce` on 9000 is Portainer, not PHP-FPM). Undefined when nothing is known.
 */
export function serviceLabel(port: number, image?: string, origin?: ServiceOrigin): string | undefined {
  const known = imageService(image, port);
  if (known) {
    return known.label;
  }
  const named = useNamedByImage(image, port);
  if (named !== undefined) {
    return named;
  }
  return numberNamesService(image, port, origin) ? serviceName(port, 'tcp') : undefined;
}

const DATA_CATEGORIES = new Set(['database', 'cache', 'search']);
const ADMIN_CATEGORIES = new Set(['admin', 'infra']);

/** What a port that must not face the internet is: data (`exposed-database`) or control (`exposed-service`). */
export type ExposureKind = 'database' | 'service';

/**
 * Databases, caches and search engines are `database`; debuggers and the admin APIs the registry
 * marks sensitive (Docker's 2375, etcd, kubelet, the Node inspector) are `service`. Web UIs and
 * brokers that people publish on purpose (Kibana, Prometheus, Kafka's outside listener) are
 * neither: they are left to the hover.
 */
export function exposureKind(port: number, image?: string, origin?: ServiceOrigin): ExposureKind | undefined {
  const known = imageService(image, port);
  const category = known
    ? known.category
    : numberNamesService(image, port, origin)
      ? portCategory(port, 'tcp')
      : undefined;
  if (category === undefined) {
    return undefined;
  }
  if (DATA_CATEGORIES.has(category)) {
    return 'database';
  }
  const sensitive = known ? known.sensitive : registrySensitive(port, 'tcp');
  return category === 'debug' || (ADMIN_CATEGORIES.has(category) && sensitive) ? 'service' : undefined;
}

/** Ports whose protocol has no encryption at all, so serving them is the problem (not a missing redirect). */
const CLEARTEXT_ONLY: ReadonlyMap<number, { name: string; protocols: readonly Protocol[]; instead: string }> =
  new Map([
    [21, { name: 'FTP', protocols: ['tcp'], instead: 'SFTP (port 22) or FTPS' }],
    [23, { name: 'Telnet', protocols: ['tcp'], instead: 'SSH (port 22)' }],
    [69, { name: 'TFTP', protocols: ['udp'], instead: 'SFTP or HTTPS for file transfer' }],
    [512, { name: 'rexec', protocols: ['tcp'], instead: 'SSH (port 22)' }],
    [513, { name: 'rlogin', protocols: ['tcp'], instead: 'SSH (port 22)' }],
    [514, { name: 'rsh', protocols: ['tcp'], instead: 'SSH (port 22)' }],
  ]);

export function cleartextService(
  port: number,
  protocol: Protocol,
  t?: Translate,
): { name: string; instead: string; note?: string } | undefined {
  const entry = CLEARTEXT_ONLY.get(port);
  if (!entry || !entry.protocols.includes(protocol)) {
    return undefined;
  }
  const note = securityNotesFor(port, protocol, t).find((n) => n.concern === 'cleartext')?.text;
  return { name: entry.name, instead: entry.instead, note };
}

/** Where people move a privileged service: 80→8080, 443→8443, 22→2222, otherwise +8000. */
export function usualUnprivilegedAlternative(port: number, unprivilegedStart: number): number | undefined {
  return registryAlternative(port, unprivilegedStart);
}
