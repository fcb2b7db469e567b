// `portolan check --format sarif`: a SARIF 2.1.0 log that GitHub code scanning ingests.
// GitHub's rules on top of the schema: each rule has a short and full description, help text and
// markdown, and a help link; each result has partialFingerprints so an alert survives lines moving
// above it; artifact URIs are percent-encoded and relative to a declared uriBaseId.
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { ruleDocUrl, STATIC_RULES } from '../rules';
import type { RuleId, Severity } from '../rules/types';

/** What the SARIF writer needs of one finding (the shape `portolan check --json` prints). */
export interface SarifRecord {
  /** Path relative to `root`, `/`-separated, as printed (not encoded). */
  file: string;
  line: number;
  column: number;
  length: number;
  severity: Severity;
  code: RuleId;
  message: string;
  related: { file: string; line: number; column: number; length?: number; message: string }[];
}

export interface SarifOptions {
  /** Absolute folder the record paths are relative to (the working folder). */
  root: string;
  /** Portolan's version; `semanticVersion` is only written when it is semver. */
  version?: string;
}

/** The uriBaseId every location is relative to; GitHub maps it to the checkout. */
export const SARIF_ROOT_ID = '%SRCROOT%';

const FINGERPRINT_KEY = 'portolanFinding/v1';

/** Words for each rule; the README's rule sections say the same at more length. */
const RULE_TEXT: Record<RuleId, { short: string; full: string }> = {
  'invalid-port': {
    short: 'Not a valid port',
    full:
      'A port above 65535, negative or fractional, 0 where a concrete port is required, a reversed ' +
      'range, or host and container ranges of different lengths.',
  },
  'privileged-port': {
    short: 'Host port below the privileged threshold',
    full:
      'The file makes the host bind a port below the privileged threshold (1024 on Linux): that needs ' +
      'root or CAP_NET_BIND_SERVICE, and rootless Docker and Podman cannot publish it.',
  },
  'port-conflict': {
    short: 'Two claims of one host port',
    full:
      'Two services of one Compose project, overlapping ranges, or two nginx servers claim the same ' +
      'host port, protocol and address; only one of them can bind it.',
  },
  'exposed-database': {
    short: 'Database port published on every interface',
    full:
      'Compose publishes a database, cache or search engine on every interface; Docker’s ' +
      'published ports bypass host firewalls such as ufw. Bind it to 127.0.0.1 instead.',
  },
  'exposed-service': {
    short: 'Debugger or admin API published on every interface',
    full:
      'Compose publishes a debugger (the Node inspector, JDWP) or an admin API (Docker, kubelet, etcd) on ' +
      'every interface, where anyone who reaches the machine can control the program or the host. Bind ' +
      'it to 127.0.0.1 instead.',
  },
  'ephemeral-port': {
    short: 'Listening inside the ephemeral range',
    full:
      'A listen or publish inside the kernel’s ephemeral port range, where an outgoing connection may ' +
      'already hold the port.',
  },
  'insecure-protocol': {
    short: 'Cleartext service',
    full: 'The file serves a cleartext protocol such as FTP, Telnet, TFTP or rsh.',
  },
  'k8s-port-name': {
    short: 'Kubernetes port name the API server rejects',
    full: 'A container port name that is not an RFC 6335 service name (at most 15 lower-case letters, digits and single hyphens, with a letter), or a Service port name that is not a DNS label; the API server rejects the manifest.',
  },
  'k8s-node-port-range': {
    short: 'NodePort outside the node port range',
    full: 'A Service nodePort outside 30000-32767, the default node port range; the API server rejects it unless the cluster was configured with a wider range.',
  },
  'k8s-host-port': {
    short: 'Container hostPort set',
    full: 'A container sets hostPort: the pod binds that port on its node, so one such pod fits per node and it is reachable on the node address around Services and network policies.',
  },
  'compose-base60-port': {
    short: 'Unquoted port mapping read as a base-60 number',
    full: 'A short-syntax port mapping such as 22:22 written without quotes: YAML 1.1 parsers, docker-compose v1 among them, read it as a base-60 integer (1342). Quote it.',
  },
  'compose-host-network-ports': {
    short: 'Port mappings ignored under network_mode: host',
    full: 'A service with network_mode: host lists ports; Compose discards the mappings and the container binds the host ports directly.',
  },
  'compose-protocol-case': {
    short: 'Upper-case protocol in a port mapping',
    full: 'A port mapping such as 8080:80/TCP: Compose rejects protocols that are not lower case.',
  },
  'dockerfile-expose-ssh': {
    short: 'Dockerfile exposes SSH',
    full: 'EXPOSE 22 in a Dockerfile ships an SSH server in the image; containers are entered with docker exec or kubectl exec instead.',
  },
  'compose-random-host-port': {
    short: 'Compose port published on a random host port',
    full: 'A Compose ports: entry with no host side ("80", or long syntax without published): Docker publishes the container port on a random host port on every interface, different after each up.',
  },
  'dockerfile-expose-mapping': {
    short: 'EXPOSE with an address or host port',
    full: 'EXPOSE 127.0.0.1:8080:80 or EXPOSE 8080:80: Docker ignores the address and host port (BuildKit ExposeInvalidFormat, to become an error); EXPOSE takes only the container port.',
  },
  'dockerfile-expose-protocol-case': {
    short: 'Upper-case protocol in EXPOSE',
    full: 'EXPOSE 80/TCP: Docker lowercases the protocol; BuildKit flags it (ExposeProtoCasing).',
  },
  'dockerfile-expose-unlistened': {
    short: 'EXPOSE of a port the build context never listens on',
    full: 'A Dockerfile exposes a port while the code of its build context listens on literal ports, none read from configuration, and nothing else in the context names the exposed one.',
  },
  'k8s-target-port-unmatched': {
    short: 'Service targetPort no selected container declares',
    full: 'A Service targetPort that no container of the workloads its selector picks (in the same manifest) declares: a name that matches nothing leaves the Service without endpoints on that port; a number is reported as information when the containers declare other ports.',
  },
  'k8s-probe-port-unexposed': {
    short: 'Probe on a port the container does not declare',
    full: 'A liveness, readiness or startup probe on a port its container does not declare: a name fails to resolve and the probe fails; a number is reported as information when the container declares other ports.',
  },
  'compose-service-port-unserved': {
    short: 'Connection to a Compose service port it does not serve',
    full: 'A URL, host:port or nginx proxy_pass to a Compose service on a port the service does not declare (ports, expose, EXPOSE, its code) while it declares others; the host port of a mapping used from inside the network is named as such.',
  },
  'compose-port-env-mismatch': {
    short: 'PORT disagrees with the service port mapping',
    full: "A Compose service built from the project's source sets PORT (directly or from .env) to a port its ports: entries do not map as container port.",
  },
  'nginx-implicit-default-server': {
    short: 'Implicit nginx default server',
    full: 'Several nginx server blocks listen on one address and port and none is marked default_server, so the first one silently answers requests for unknown hosts.',
  },
  'nginx-proxy-pass-unserved': {
    short: 'nginx proxies to a port nothing serves',
    full: 'An nginx proxy_pass or upstream server on a loopback port that nothing in the workspace listens on, publishes or configures, while the workspace does serve other ports: the proxy and the application disagree.',
  },
  'port-in-use': {
    short: 'Port already held on this machine',
    full: 'A port the file claims is already held by another process on this machine.',
  },
  'not-listening': {
    short: 'Nothing listens at a local address',
    full: 'A connection to localhost, 127.0.0.1 or ::1 where nothing listens right now.',
  },
};

const SECURITY_RULES: ReadonlySet<RuleId> = new Set([
  'exposed-database',
  'exposed-service',
  'insecure-protocol',
]);

function sarifLevel(severity: Severity): Sarif.ReportingConfiguration.level {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** `my app/ä#1.yaml` -> `my%20app/%C3%A4%231.yaml`: each segment percent-encoded, `/` kept. */
export function encodeRelativeUri(file: string): string {
  return file
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function ruleDescriptor(id: RuleId, defaultSeverity: Severity): Sarif.ReportingDescriptor {
  const text = RULE_TEXT[id];
  const helpUri = ruleDocUrl(id);
  const level = sarifLevel(defaultSeverity);
  return {
    id,
    name: id
      .split('-')
      .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
      .join(''),
    shortDescription: { text: text.short },
    fullDescription: { text: text.full },
    help: {
      text: `${text.full} See ${helpUri}`,
      markdown: `${text.full}\n\n[Rule documentation](${helpUri})`,
    },
    helpUri,
    defaultConfiguration: { level },
    properties: {
      tags: SECURITY_RULES.has(id) ? ['ports', 'security'] : ['ports'],
      precision: 'high',
      'problem.severity': level === 'note' ? 'recommendation' : level,
    },
  };
}

function region(line: number, column: number, length: number): Sarif.Region {
  return { startLine: line, startColumn: column, endLine: line, endColumn: column + Math.max(length, 0) };
}

/**
 * A fingerprint that does not change when lines are added above the finding: the rule, the file,
 * the message and how many identical findings precede it in the file.
 */
function fingerprints(records: readonly SarifRecord[]): string[] {
  const seen = new Map<string, number>();
  return records.map((r) => {
    const key = `${r.code}\0${r.file}\0${r.message}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return createHash('sha256').update(`${key}\0${occurrence}`).digest('hex').slice(0, 32);
  });
}

export function buildSarifLog(records: readonly SarifRecord[], options: SarifOptions): Sarif.Log {
  const rules = STATIC_RULES.map((rule) => ruleDescriptor(rule.id, rule.defaultSeverity));
  const version = options.version ?? process.env.PORTOLAN_VERSION ?? 'dev';
  const semver = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(version);
  const root = pathToFileURL(options.root).href.replace(/\/?$/, '/');
  const prints = fingerprints(records);
  const location = (file: string, at: Sarif.Region): Sarif.PhysicalLocation => ({
    artifactLocation: { uri: encodeRelativeUri(file), uriBaseId: SARIF_ROOT_ID },
    region: at,
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Portolan',
            version,
            ...(semver ? { semanticVersion: version } : {}),
            informationUri: ruleDocUrl('invalid-port').replace(/#.*$/, ''),
            rules,
          },
        },
        originalUriBaseIds: { [SARIF_ROOT_ID]: { uri: root } },
        columnKind: 'utf16CodeUnits',
        results: records.map((r, index) => {
          const ruleIndex = rules.findIndex((rule) => rule.id === r.code);
          const result: Sarif.Result = {
            ruleId: r.code,
            ...(ruleIndex >= 0 ? { ruleIndex } : {}),
            level: sarifLevel(r.severity),
            message: { text: r.message },
            locations: [{ physicalLocation: location(r.file, region(r.line, r.column, r.length)) }],
            partialFingerprints: { [FINGERPRINT_KEY]: prints[index] ?? '' },
          };
          if (r.related.length > 0) {
            result.relatedLocations = r.related.map((o, id) => ({
              id,
              message: { text: o.message },
              physicalLocation: location(o.file, region(o.line, o.column, o.length ?? 0)),
            }));
          }
          return result;
        }),
      },
    ],
  };
}
