// Drift between files that must agree, read through the endpoint model (src/workspace/endpoints.ts):
// `compose-service-port-unserved` — a connection to `service:port` (a URL in `.env` or code, nginx
// `proxy_pass http://api:8080`) where the Compose service declares other ports and not that one. The
// host port of the service's own mapping used from inside the network (`db:5433` with `"5433:5432"`)
// is a mistake; any other undeclared port is only a fact (information), since images serve ports
// their service never declares (a schema registry on 8081, dind on 2376);
// `compose-port-env-mismatch` — a service built from the project's source sets `PORT` to one number
// while its `ports:` map another container port, so the mapping reaches nothing. `PORT: ${APP_PORT}` is
// judged by the number Compose interpolates (`.env`, the environment it runs in, else the default);
// a variable nothing sets is not judged, and one the mapping's container side reads too agrees by
// construction.
import { isThisMachine, normalizeHost } from '../model/host';
import { formatPlain, type Translate } from '../model/translate';
import type { PortMention } from '../scan/mention';
import type { EndpointLink, EndpointMap, EndpointScope } from '../workspace/endpoints';
import { folderOf, isSuppressed } from './claims';
import type { Finding, RelatedClaim, Rule, RuleContext } from './types';

type Draft = Omit<Finding, 'severity'>;

type ComposeScope = Extract<EndpointScope, { type: 'compose' }>;

/** The ports each Compose service serves or configures (by `project|service`), built once per map. */
const servedByService = new WeakMap<EndpointMap, Map<string, Map<number, EndpointLink>>>();

function serviceKey(scope: ComposeScope): string {
  return `${scope.project}|${scope.service}`;
}

function portsOfServices(map: EndpointMap): Map<string, Map<number, EndpointLink>> {
  let byService = servedByService.get(map);
  if (!byService) {
    byService = new Map();
    for (const endpoint of map.endpoints()) {
      if (endpoint.scope.type !== 'compose') {
        continue;
      }
      const server = map.servers(endpoint).find((l) => !namesAnotherServer(l));
      if (!server) {
        continue;
      }
      const key = serviceKey(endpoint.scope);
      const ports = byService.get(key) ?? new Map<number, EndpointLink>();
      if (!ports.has(endpoint.port)) {
        ports.set(endpoint.port, server);
      }
      byService.set(key, ports);
    }
    servedByService.set(map, byService);
  }
  return byService;
}

/**
 * Settings that name the port of a server the service talks to, not its own: `EMAIL_PORT`,
 * `SMTP_PORT`, `DB_PORT`, `REDIS_PORT`… taiga-back's `EMAIL_PORT: 587` says nothing about what
 * taiga-back listens on, so it must not count as a port the service serves.
 */
const CLIENT_PORT_PREFIX =
  /(?:^|[_.-])(?:e?mail|smtp|imap|pop3?|db|database|postgres(?:ql)?|pg|mysql|mariadb|redis|mongo(?:db)?|rabbitmq|amqp|kafka|elastic(?:search)?|memcached?|ldap|s3|minio|statsd|sentry|otel|jaeger|zipkin)[_.-]?port$/i;

function namesAnotherServer(link: EndpointLink): boolean {
  const variable = link.mention.variable;
  return link.part === 'configures' && variable !== undefined && CLIENT_PORT_PREFIX.test(variable);
}

export const composeServicePortUnservedRule: Rule = {
  id: 'compose-service-port-unserved',
  defaultSeverity: 'warning',
  check({ file, workspace, t = formatPlain }: RuleContext): Draft[] {
    const connects = file.mentions.some((m) => m.role === 'connect' && m.host !== undefined);
    if (!connects) {
      return [];
    }
    const map = workspace.endpoints();
    const findings: Draft[] = [];
    for (const link of map.linksIn(file.file)) {
      const { mention, endpoint } = link;
      if (
        link.part !== 'connects' ||
        link.inferred ||
        endpoint.scope.type !== 'compose' ||
        mention.host === undefined ||
        isThisMachine(normalizeHost(mention.host)) ||
        isSuppressed(mention, 'compose-service-port-unserved') ||
        // A service naming itself (`--advertise-rpc-addr redpanda:33145`) configures its own port.
        (file.kind === 'compose' && mention.service === endpoint.scope.service) ||
        map.servers(endpoint).length > 0
      ) {
        continue;
      }
      const service = endpoint.scope.service;
      const declared = portsOfServices(map).get(serviceKey(endpoint.scope));
      if (!declared || declared.size === 0) {
        continue; // nothing says what the service listens on (an image's own default, say)
      }
      const ports = [...declared.keys()].sort((a, b) => a - b);
      // `db:5433` where `"5433:5432"` publishes: the host port, used from inside the network.
      const published = [...declared.values()].find(
        (l) => l.mention.role === 'target' && l.mention.counterpart?.port === mention.port,
      );
      const related: RelatedClaim[] = [...declared.values()].slice(0, 3).map((l) => ({
        file: l.file,
        range: l.mention.range,
        message: t('service {0} serves {1} here', service, l.mention.port),
      }));
      const at = `${mention.host}:${mention.port}`;
      findings.push({
        rule: 'compose-service-port-unserved',
        message: published
          ? t(
              'Connects to {0}, but {1} is the host port Compose service "{2}" is published on; other containers on the Compose network reach its container port: write {2}:{3}.',
              at,
              mention.port,
              service,
              published.mention.port,
            )
          : t(
              'Connects to {0}, but Compose service "{1}" serves {2} and not {3}. Point the connection at the port the service listens on, or make the service listen on {3}.',
              at,
              service,
              ports.join(', '),
              mention.port,
            ),
        file: file.file,
        range: mention.range,
        related,
        mention,
        ...(published ? {} : { demoted: true }),
      });
    }
    return findings;
  },
};

export const composePortEnvMismatchRule: Rule = {
  id: 'compose-port-env-mismatch',
  defaultSeverity: 'warning',
  check({ file, workspace, t = formatPlain }: RuleContext): Draft[] {
    if (file.kind !== 'compose') {
      return [];
    }
    const settings = file.mentions.filter(
      (m) =>
        m.role === 'setting' &&
        (m.syntax?.key ?? m.variable) === 'PORT' &&
        m.service !== undefined &&
        m.build !== undefined &&
        m.portEnd === undefined &&
        !isSuppressed(m, 'compose-port-env-mismatch'),
    );
    if (settings.length === 0) {
      return [];
    }
    // The service's container ports in every compose file of the folder (overrides add to ports:).
    const containerPorts = new Map<string, PortMention[]>();
    const exposed = new Set<string>();
    for (const other of workspace.filesInFolder(folderOf(file.file))) {
      if (other.kind !== 'compose') {
        continue;
      }
      for (const m of other.mentions) {
        if (m.service === undefined) {
          continue;
        }
        if (m.role === 'target') {
          const list = containerPorts.get(m.service) ?? [];
          list.push(m);
          containerPorts.set(m.service, list);
        } else if (m.role === 'expose' || m.role === 'listen') {
          exposed.add(`${m.service}|${m.port}`);
        }
      }
    }
    const findings: Draft[] = [];
    for (const setting of settings) {
      const service = setting.service!;
      const targets = containerPorts.get(service) ?? [];
      const shared = setting.syntax?.portsVariable;
      if (
        targets.length === 0 ||
        // `"${APP_PORT}:${APP_PORT}"` that could not be read: whatever APP_PORT is, both say it.
        (shared !== undefined && !targets.some((m) => m.variable === shared)) ||
        exposed.has(`${service}|${setting.port}`) ||
        targets.some((m) => setting.port >= m.port && setting.port <= (m.portEnd ?? m.port))
      ) {
        continue;
      }
      const mapped = [...new Set(targets.map((m) => m.port))].sort((a, b) => a - b).join(', ');
      const where = whereSet(setting, t);
      findings.push({
        rule: 'compose-port-env-mismatch',
        message: t(
          'Service "{0}": {1}, but its ports: map container port {2}, so a program that listens on $PORT is not reached through the mapping. Make them agree.',
          service,
          where,
          mapped,
        ),
        file: file.file,
        range: setting.range,
        related: targets.slice(0, 3).map((m) => ({
          file: file.file,
          range: m.range,
          message: t('container port {0} mapped here', m.port),
        })),
        mention: setting,
      });
    }
    return findings;
  },
};

/** Where the PORT a service gets is set, in the words of the finding: "PORT is 3000, from APP_PORT in .env line 4". */
function whereSet(setting: PortMention, t: Translate): string {
  const variable = setting.variable ?? 'PORT';
  if (setting.isAlternative) {
    return t('PORT is {0}, the alternative written for when {1} is set', setting.port, variable);
  }
  if (setting.envFile !== undefined) {
    return variable === 'PORT'
      ? t('PORT is {0} in {1} line {2}', setting.port, setting.envFile, setting.envLine ?? '?')
      : t(
          'PORT is {0}, from {1} in {2} line {3}',
          setting.port,
          variable,
          setting.envFile,
          setting.envLine ?? '?',
        );
  }
  if (setting.envProcess) {
    return t('PORT is {0}, from {1} in the environment Compose runs in', setting.port, variable);
  }
  if (setting.isDefault) {
    return t('PORT is {0}, the default written for {1}, which nothing sets', setting.port, variable);
  }
  return t('PORT is {0}', setting.port);
}
