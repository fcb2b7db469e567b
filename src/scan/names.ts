// Variable and key names that say a value is a port (`DB_PORT`, `server.port`), where a program
// binds (`LISTEN_ADDR`) or an address (`REDIS_URL`), read from the words of the name.

/** Words of an identifier: `DB_PORT` → [db, port], `httpPort` → [http, port], `server.port` → [server, port]. */
export function nameWords(name: string): readonly string[] {
  if (name.length > 128) {
    return splitName(name);
  }
  let words = wordsByName.get(name);
  if (words === undefined) {
    if (wordsByName.size >= WORDS_CACHE_LIMIT) {
      wordsByName.clear();
    }
    words = splitName(name);
    wordsByName.set(name, words);
  }
  return words;
}

// Names repeat across lines and files (`PORT`, `server.port`), and each is asked about up to three
// times per line; a bounded cache keeps the split to once per name without growing with a workspace.
const WORDS_CACHE_LIMIT = 4096;
const wordsByName = new Map<string, readonly string[]>();

function splitName(name: string): readonly string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

// A variable about a port but whose value is not one: `PORT_TIMEOUT=3000`, `PORT_COUNT=4`.
const NOT_A_PORT_WORDS = new Set([
  'timeout',
  'timeouts',
  'ttl',
  'retry',
  'retries',
  'count',
  'interval',
  'delay',
  'wait',
  'ms',
  'secs',
  'seconds',
  'enabled',
  'enable',
  'disable',
  'disabled',
  'name',
  'file',
  'path',
  'protocol',
  'proto',
  'type',
  'mode',
  'attempts',
  'size',
  'limit',
  'backlog',
  'policy',
  'label',
  'id',
  'index',
  'idx',
  // Ports that are not network ports: view ports, serial and I/O ports.
  'view',
  'viewport',
  'serial',
  'com',
  'usb',
  'gpio',
  'uart',
  'midi',
  'audio',
  'io',
]);

/**
 * True when a variable or key names a port: `PORT`, `DB_PORT`, `httpPort`, `server.port`, `ports`,
 * `PORT_HTTP`, `portNumber`. Words are split on case and punctuation, so `REPORT`, `SUPPORT`,
 * `TRANSPORT` and `export` are not ports, and a port word next to `timeout`/`count`/… is not either.
 */
export function isPortLikeName(name: string): boolean {
  let answer = portLikeByName.get(name);
  if (answer === undefined) {
    if (portLikeByName.size >= WORDS_CACHE_LIMIT) {
      portLikeByName.clear();
    }
    answer = judgePortLikeName(name);
    if (name.length <= 128) {
      portLikeByName.set(name, answer);
    }
  }
  return answer;
}

const portLikeByName = new Map<string, boolean>();

function judgePortLikeName(name: string): boolean {
  // A dotted key is a path: `dubbo.protocol.port` is the port of the protocol section, so only its
  // last segment is judged (`server.port` yes; `port.protocol`, `ports.length` no).
  const dot = name.lastIndexOf('.');
  if (dot > 0 && dot < name.length - 1 && judgePortLikeName(name.slice(dot + 1))) {
    return true;
  }
  const words = nameWords(name);
  const at = words.findIndex((w) => w === 'port' || w === 'ports');
  if (at < 0 || words.some((w) => NOT_A_PORT_WORDS.has(w))) {
    return false;
  }
  // `PORT_HTTP`, `portNumber`, `debugPortStart` name ports; `hasDebugPortAllocator`, `ports.length` do not.
  return words.slice(at + 1).every((w) => PORT_QUALIFIER_WORDS.has(w) || /^\d+$/.test(w));
}

// Words that may follow `port` in a name that is still a port: `PORT_HTTP`, `portRangeStart`.
const PORT_QUALIFIER_WORDS = new Set([
  'port',
  'ports',
  'number',
  'num',
  'no',
  'nr',
  'start',
  'end',
  'min',
  'max',
  'from',
  'to',
  'base',
  'range',
  'first',
  'last',
  'http',
  'https',
  'http2',
  'grpc',
  'tcp',
  'udp',
  'ssl',
  'tls',
  'admin',
  'debug',
  'internal',
  'external',
  'public',
  'private',
  'local',
  'remote',
  'host',
  'container',
  'target',
  'published',
  'publish',
  'mapping',
  'forward',
  'forwarded',
  'default',
  'value',
  'override',
  'main',
  'alt',
  'secure',
  'insecure',
  'plain',
  'web',
  'api',
  'metrics',
  'dev',
  'prod',
  'test',
  'listen',
  'bind',
  'server',
  'client',
  'proxy',
  'ui',
  'app',
  'management',
  'mgmt',
  'health',
  'status',
  'ws',
  'wss',
  'rpc',
  'raft',
  'gossip',
  'cluster',
  'peer',
  'data',
  'control',
  'dashboard',
  'console',
  'inspector',
  'node',
  'service',
  'svc',
  'offset',
  'env',
  'str',
  'string',
  'int',
]);

/** Variables whose `host:port` value is where the program binds, not where it connects. */
export function isListenLikeName(name: string): boolean {
  const words = nameWords(name).map((w) => w.toLowerCase());
  // Kafka's `listeners` bind; its `advertised.listeners` are what clients are told to connect to.
  return (
    words.some(
      (w) => w === 'listen' || w === 'bind' || w === 'listener' || w === 'listening' || w === 'listeners',
    ) && !words.some((w) => w === 'advertised' || w === 'advertise')
  );
}

// Values of these variables are addresses even when the host is a bare service name (`db:80`).
export function isAddressLikeName(name: string): boolean {
  return nameWords(name).some((w) =>
    [
      'addr',
      'address',
      'addresses',
      'host',
      'hosts',
      'url',
      'uri',
      'urls',
      'server',
      'servers',
      'brokers',
      'broker',
      'endpoint',
      'endpoints',
      'dsn',
      'upstream',
      'target',
      'bind',
      'listen',
      'nodes',
      'peers',
      'seeds',
    ].includes(w),
  );
}
