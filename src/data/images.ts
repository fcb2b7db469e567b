// Container images name the program behind a port better than the number does: 9000 is PHP-FPM,
// MinIO, SonarQube or Portainer depending on who listens. Consulted before the port registry.
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

/** What an image serves on a port, when the image is one this table knows. */
export function imageService(image: string | undefined, port: number): ImageService | undefined {
  if (image === undefined || image.includes('$')) {
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

/**
 * Whether the port's number may name the program: false when a written image says otherwise
 * (`myorg/stats-service` publishing 7000 is not Cassandra, `myorg/app` on 9000 is not PHP-FPM).
 * Without an image, the build context and the service name speak for it (`statistics-service`,
 * built from `./statistics-service`, on 7000 is not Cassandra; a service `cassandra` is).
 */
export function numberNamesService(image: string | undefined, port: number, origin?: ServiceOrigin): boolean {
  const programs = SHARED_PORTS.get(port);
  if (programs === undefined) {
    return true;
  }
  if (image !== undefined && image.trim() !== '') {
    return image.includes('$') || programs.test(imageRepository(image));
  }
  if (origin?.build === undefined && origin?.service === undefined) {
    return true;
  }
  return programs.test(`${origin.build ?? ''} ${origin.service ?? ''}`.toLowerCase());
}
