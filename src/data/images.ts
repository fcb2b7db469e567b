// Container images name the program behind a port better than the number does: 9000 is PHP-FPM,
// MinIO, SonarQube or Portainer depending on who listens. Consulted before the port registry.
import { commonPort } from './commonUses';
import type { PortCategory } from './registry';

export interface ImageService {
  /** Short name for messages and hovers. */
  label: string;
  category: PortCategory;
  /** Worth a warning when published on every interface. */
  sensitive: boolean;
}

interface ImageEntry {
  /** Matched against the image's repository path, without registry host and tag. */
  repository: RegExp;
  /** Port → service; `undefined` key-less entries apply to every port the image publishes. */
  ports: ReadonlyMap<number, ImageService>;
}

const svc = (label: string, category: PortCategory, sensitive: boolean): ImageService => ({
  label,
  category,
  sensitive,
});

const KAFKA_BROKER = svc('Kafka broker', 'queue', false);

const IMAGES: readonly ImageEntry[] = [
  {
    repository: /(?:^|\/)portainer(?:-ce|-ee)?$/,
    ports: new Map([
      [9000, svc('Portainer (an admin UI that holds the Docker socket)', 'admin', true)],
      [9443, svc('Portainer (an admin UI that holds the Docker socket)', 'admin', true)],
      [8000, svc('Portainer Edge agent tunnel', 'admin', false)],
    ]),
  },
  {
    repository: /(?:^|\/)minio$/,
    ports: new Map([
      [9000, svc('MinIO S3 API', 'database', true)],
      [9001, svc('MinIO console', 'admin', false)],
    ]),
  },
  {
    repository: /(?:^|\/)(?:redpanda|redpanda-[\w-]*)$/,
    ports: new Map([
      [9092, svc('Redpanda broker (Kafka API)', 'queue', false)],
      [19092, svc('Redpanda broker (Kafka API, outside listener)', 'queue', false)],
      [8081, svc('Redpanda Schema Registry', 'queue', false)],
      [18081, svc('Redpanda Schema Registry', 'queue', false)],
      [8082, svc('Redpanda HTTP Proxy (pandaproxy)', 'queue', false)],
      [18082, svc('Redpanda HTTP Proxy (pandaproxy)', 'queue', false)],
      [9644, svc('Redpanda Admin API', 'admin', true)],
      [19644, svc('Redpanda Admin API', 'admin', true)],
      [33145, svc('Redpanda internal RPC', 'queue', false)],
    ]),
  },
  {
    repository: /(?:^|\/)console$/,
    ports: new Map([[8080, svc('Redpanda Console', 'admin', false)]]),
  },
  {
    repository: /(?:^|\/)(?:kafka|cp-kafka|cp-server|apache-kafka|kafka-native)$/,
    ports: new Map([
      [9092, KAFKA_BROKER],
      [9093, svc('Kafka broker (controller or TLS listener)', 'queue', false)],
      [29092, svc('Kafka broker (second listener)', 'queue', false)],
    ]),
  },
  {
    repository: /(?:^|\/)(?:zookeeper|cp-zookeeper)$/,
    ports: new Map([[2181, svc('ZooKeeper client port', 'infra', true)]]),
  },
  {
    repository: /(?:^|\/)sonarqube$/,
    ports: new Map([[9000, svc('SonarQube', 'dev', false)]]),
  },
  {
    repository: /(?:^|\/)clickhouse(?:-server)?$/,
    ports: new Map([
      [9000, svc('ClickHouse native protocol', 'database', true)],
      [8123, svc('ClickHouse HTTP interface', 'database', true)],
    ]),
  },
  {
    repository: /(?:^|\/)php$/,
    ports: new Map([[9000, svc('PHP-FPM (FastCGI)', 'infra', true)]]),
  },
];

/** `docker.io/portainer/portainer-ce:2.19@sha256:…` → `portainer/portainer-ce`. */
export function imageRepository(image: string): string {
  let name = image.trim().toLowerCase();
  // Cut at the first '@' with indexOf: /@.*$/ retries from every '@' (quadratic on a long value).
  const at = name.indexOf('@');
  if (at >= 0) {
    name = name.slice(0, at);
  }
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) {
    name = name.slice(0, colon);
  }
  const parts = name.split('/');
  // A first part with a dot or a port is a registry host: `ghcr.io/…`, `localhost:5000/…`.
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!)) {
    parts.shift();
  }
  return parts.join('/');
}

/**
 * The image as Compose would pull it when only the default is known: `${KONG_TAG:-kong:latest}` →
 * `kong:latest`, `temporalio/server:${TAG}` → `temporalio/server`; undefined when a variable without a
 * default decides the repository (or nothing is written).
 */
export function writtenImage(image: string | undefined): string | undefined {
  const trimmed = image?.trim();
  if (!trimmed) {
    return undefined;
  }
  if (!trimmed.includes('$')) {
    return trimmed;
  }
  const whole = /^\$\{\w+:?-([^${}]+)\}$/.exec(trimmed);
  if (whole) {
    return whole[1]!.trim() || undefined;
  }
  // `temporalio/server:${TAG}`: only the tag is a variable, the repository is known.
  const before = trimmed.slice(0, trimmed.indexOf('$'));
  const colon = before.lastIndexOf(':');
  return colon > before.lastIndexOf('/') && colon > 0 ? before.slice(0, colon) : undefined;
}

/** What an image serves on a port, when the image is one this table knows. */
export function imageService(written: string | undefined, port: number): ImageService | undefined {
  const image = writtenImage(written);
  if (image === undefined) {
    return undefined;
  }
  const repository = imageRepository(image);
  for (const entry of IMAGES) {
    if (entry.repository.test(repository)) {
      return entry.ports.get(port);
    }
  }
  return undefined;
}

/**
 * Ports many programs share, with the images that make the usual name right: 9000 is PHP-FPM only
 * in a PHP image; an application image publishing 9000 or 7000 serves the application.
 */
const SHARED_PORTS: ReadonlyMap<number, RegExp> = new Map([
  [7000, /cassandra|scylla/],
  [7001, /cassandra|scylla/],
  [7199, /cassandra|scylla/],
  [8001, /kube/],
  [8005, /tomcat/],
  [8006, /proxmox/],
  [8009, /tomcat/],
  [8091, /couchbase/],
  [9000, /php|fpm/],
  [9001, /minio/],
]);

/** Where a Compose service's program comes from when no image is written beside the port. */
export interface ServiceOrigin {
  /** The Compose service name. */
  service?: string;
  /** The service's build context, as written: the program is built from the project's source. */
  build?: string;
}

/** Words of a name that say nothing about which program it is. */
const GENERIC_WORDS = new Set(
  (
    'api admin server client port web http https tls ui interface console proxy service traffic peer read only ' +
    'deprecated native protocol cluster management engine master request publish node the and for with'
  ).split(' '),
);

function nameWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 3 && !GENERIC_WORDS.has(w));
}

/**
 * The usual program on an admin or infrastructure port that a written image names: `kong` on 8001 is
 * the Kong Admin API, not `kubectl proxy`. Undefined when no usual program's name is in the image.
 */
export function useNamedByImage(written: string | undefined, port: number): string | undefined {
  const image = writtenImage(written);
  const entry = commonPort(port);
  if (image === undefined || entry === undefined) {
    return undefined;
  }
  const words = new Set(nameWords(imageRepository(image)));
  return entry.uses.find((use) => nameWords(use.label).some((w) => words.has(w)))?.label;
}

/** Admin and infrastructure ports belong to one product each (Envoy's admin, the kubelet, etcd). */
function isProductPort(port: number): boolean {
  const category = commonPort(port)?.category;
  return category === 'admin' || category === 'infra';
}

/**
 * Whether the port's number may name the program: false when a written image says otherwise
 * (`myorg/stats-service` publishing 7000 is not Cassandra, `myorg/app` on 9000 is not PHP-FPM, the
 * `letsencrypt/pebble` test server on 15000 is not Istio's Envoy admin).
 * Without an image, the build context and the service name speak for it (`statistics-service`,
 * built from `./statistics-service`, on 7000 is not Cassandra; a service `cassandra` is).
 */
export function numberNamesService(
  written: string | undefined,
  port: number,
  origin?: ServiceOrigin,
): boolean {
  const programs = SHARED_PORTS.get(port);
  const image = writtenImage(written);
  if (image !== undefined && useNamedByImage(image, port) !== undefined) {
    return true;
  }
  if (programs === undefined) {
    return image === undefined || !isProductPort(port) || useNamedByImage(image, port) !== undefined;
  }
  if (image !== undefined) {
    return programs.test(imageRepository(image));
  }
  if (written !== undefined && written.trim() !== '') {
    return true; // a variable decides the image
  }
  if (origin?.build === undefined && origin?.service === undefined) {
    return true;
  }
  return programs.test(`${origin.build ?? ''} ${origin.service ?? ''}`.toLowerCase());
}
