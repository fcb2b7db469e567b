// Why a port deserves care: protocols that send secrets in the clear, and services that hand over a
// machine or its data when reachable from the internet.
import type { Protocol } from '../model/port';
import { formatPlain, type Translate } from '../model/translate';

export type SecurityConcern =
  /** Credentials and data cross the network unencrypted. */
  | 'cleartext'
  /** No or weak authentication by default: keep it off public interfaces. */
  | 'exposure'
  /** Reachable means code execution on the host. */
  | 'remote-code-execution'
  /** Answers small spoofed UDP requests with large replies: a DDoS reflector. */
  | 'amplification';

export interface SecurityNote {
  port: number;
  concern: SecurityConcern;
  text: string;
  /** Only on these transports; any when absent. */
  protocols?: readonly Protocol[];
}

const UDP: readonly Protocol[] = ['udp'];

/** Every note, in the words `t` gives (English by default). */
export function securityNotes(t: Translate = formatPlain): SecurityNote[] {
  return [
    {
      port: 21,
      concern: 'cleartext',
      text: t('FTP sends passwords and files in cleartext; prefer SFTP (22) or FTPS'),
    },
    {
      port: 23,
      concern: 'cleartext',
      text: t('Telnet sends passwords and the whole session in cleartext; use SSH'),
    },
    {
      port: 25,
      concern: 'cleartext',
      text: t('SMTP is cleartext unless both sides negotiate STARTTLS, and a downgrade can strip it'),
    },
    {
      port: 53,
      concern: 'amplification',
      protocols: UDP,
      text: t('an open DNS resolver is a DDoS amplifier: answer only your own networks'),
    },
    { port: 69, concern: 'cleartext', text: t('TFTP has no authentication and no encryption') },
    {
      port: 80,
      concern: 'cleartext',
      text: t(
        'HTTP is cleartext: cookies, tokens and form data can be read and altered in transit; redirect to HTTPS',
      ),
    },
    { port: 110, concern: 'cleartext', text: t('POP3 sends mail passwords in cleartext; use POP3S (995)') },
    {
      port: 111,
      concern: 'exposure',
      text: t('rpcbind lists internal RPC services and reflects UDP traffic; keep it off the internet'),
    },
    {
      port: 123,
      concern: 'amplification',
      protocols: UDP,
      text: t('NTP servers answering monlist-style queries amplify DDoS traffic'),
    },
    { port: 135, concern: 'exposure', text: t('Microsoft RPC must not face the internet') },
    { port: 139, concern: 'exposure', text: t('NetBIOS/SMB must not face the internet') },
    {
      port: 143,
      concern: 'cleartext',
      text: t('IMAP sends mail passwords in cleartext unless STARTTLS is enforced; prefer IMAPS (993)'),
    },
    {
      port: 161,
      concern: 'cleartext',
      text: t(
        'SNMP v1/v2c sends its community string (a password) in cleartext and amplifies spoofed requests; use SNMPv3',
      ),
    },
    {
      port: 389,
      concern: 'cleartext',
      text: t('LDAP binds send passwords in cleartext unless StartTLS is enforced; prefer LDAPS (636)'),
    },
    {
      port: 445,
      concern: 'exposure',
      text: t('SMB must never face the internet (EternalBlue/WannaCry spread this way)'),
    },
    { port: 1433, concern: 'exposure', text: t('database port: keep SQL Server off public interfaces') },
    {
      port: 1521,
      concern: 'exposure',
      text: t('database port: keep the Oracle listener off public interfaces'),
    },
    {
      port: 1883,
      concern: 'cleartext',
      text: t(
        'MQTT without TLS is cleartext and brokers often allow anonymous clients; use 8883 with authentication',
      ),
    },
    {
      port: 1900,
      concern: 'amplification',
      protocols: UDP,
      text: t('SSDP answers spoofed requests with large replies: block it at the edge'),
    },
    {
      port: 2049,
      concern: 'exposure',
      text: t('NFS trusts client-side user ids; never export it to the internet'),
    },
    { port: 2181, concern: 'exposure', text: t('ZooKeeper has no authentication by default') },
    {
      port: 2375,
      concern: 'remote-code-execution',
      text: t('the Docker API without TLS is unauthenticated: whoever reaches it controls the host as root'),
    },
    {
      port: 2376,
      concern: 'exposure',
      text: t('the Docker API is root on the host: require client certificates (--tlsverify)'),
    },
    {
      port: 2379,
      concern: 'exposure',
      text: t(
        'etcd without client-certificate TLS lets anyone read and write all cluster state, Kubernetes secrets included',
      ),
    },
    {
      port: 2380,
      concern: 'exposure',
      text: t('etcd peer traffic must stay on the cluster network, with peer TLS'),
    },
    { port: 3306, concern: 'exposure', text: t('database port: keep MySQL/MariaDB off public interfaces') },
    {
      port: 3389,
      concern: 'exposure',
      text: t('RDP is a top brute-force and exploit target: put it behind a VPN or gateway'),
    },
    {
      port: 4369,
      concern: 'remote-code-execution',
      text: t(
        'epmd exposes Erlang distribution: with a guessed or default cookie, remote code execution follows',
      ),
    },
    {
      port: 4505,
      concern: 'remote-code-execution',
      text: t('Salt master ports have had authentication bypasses (CVE-2020-11651): keep them private'),
    },
    {
      port: 4506,
      concern: 'remote-code-execution',
      text: t('Salt master ports have had authentication bypasses (CVE-2020-11651): keep them private'),
    },
    {
      port: 5005,
      concern: 'remote-code-execution',
      text: t('a reachable JDWP debugger runs arbitrary code in the JVM: bind it to localhost'),
    },
    {
      port: 5432,
      concern: 'exposure',
      text: t('database port: keep PostgreSQL off public interfaces (listen_addresses, pg_hba.conf)'),
    },
    {
      port: 5601,
      concern: 'exposure',
      text: t('Kibana exposes the Elasticsearch data behind it; require authentication'),
    },
    {
      port: 5672,
      concern: 'exposure',
      text: t(
        "AMQP is cleartext without TLS (5671); RabbitMQ's guest user only works from localhost—keep it so",
      ),
    },
    {
      port: 5900,
      concern: 'cleartext',
      text: t('VNC is often cleartext with a weak 8-character password: tunnel it over SSH or a VPN'),
    },
    {
      port: 5984,
      concern: 'exposure',
      text: t('database port: CouchDB must require authentication before facing any network'),
    },
    { port: 5985, concern: 'exposure', text: t('WinRM over HTTP: keep it on trusted networks only') },
    {
      port: 6060,
      concern: 'exposure',
      text: t('pprof endpoints leak memory contents and let anyone load the process: bind to localhost'),
    },
    {
      port: 6379,
      concern: 'exposure',
      text: t(
        'Redis has no password by default and plain RESP is cleartext: set requirepass/ACLs, bind privately, never expose it',
      ),
    },
    {
      port: 6443,
      concern: 'exposure',
      text: t('the Kubernetes API must require authentication; anonymous access should stay disabled'),
    },
    {
      port: 7000,
      concern: 'exposure',
      text: t('Cassandra inter-node traffic is cleartext unless internode encryption is on'),
    },
    { port: 7474, concern: 'exposure', text: t('database port: Neo4j must keep authentication enabled') },
    { port: 7687, concern: 'exposure', text: t('database port: Neo4j must keep authentication enabled') },
    {
      port: 8005,
      concern: 'exposure',
      text: t(
        'the Tomcat shutdown port stops the server for anyone who sends SHUTDOWN: keep it on localhost',
      ),
    },
    {
      port: 8009,
      concern: 'exposure',
      text: t(
        'an exposed AJP connector allowed file reads (Ghostcat, CVE-2020-1938): disable it or bind to localhost',
      ),
    },
    { port: 8086, concern: 'exposure', text: t('database port: InfluxDB must require authentication') },
    {
      port: 8500,
      concern: 'remote-code-execution',
      text: t("Consul's HTTP API without ACLs can register checks that run scripts: enable ACLs"),
    },
    {
      port: 8545,
      concern: 'exposure',
      text: t('an exposed Ethereum JSON-RPC endpoint with unlocked accounts is robbed within minutes'),
    },
    {
      port: 8888,
      concern: 'remote-code-execution',
      text: t(
        'a Jupyter server runs arbitrary code for whoever reaches it: keep the token or password, bind to localhost',
      ),
    },
    {
      port: 9000,
      concern: 'remote-code-execution',
      text: t('PHP-FPM reachable from outside runs arbitrary PHP: keep FastCGI on localhost or a socket'),
    },
    {
      port: 9042,
      concern: 'exposure',
      text: t('database port: Cassandra must require authentication (PasswordAuthenticator)'),
    },
    {
      port: 9090,
      concern: 'exposure',
      text: t('Prometheus has no authentication: its targets and metrics describe your whole infrastructure'),
    },
    {
      port: 9092,
      concern: 'cleartext',
      text: t("Kafka's plaintext listener has no authentication or encryption"),
    },
    {
      port: 9200,
      concern: 'exposure',
      text: t(
        'Elasticsearch exposed without security features has leaked many databases: require authentication',
      ),
    },
    {
      port: 9222,
      concern: 'remote-code-execution',
      text: t(
        'Chrome DevTools Protocol gives full control of the browser, its cookies and files: never expose it',
      ),
    },
    {
      port: 9229,
      concern: 'remote-code-execution',
      text: t('the Node.js inspector runs arbitrary code in the process: keep --inspect on 127.0.0.1'),
    },
    { port: 9300, concern: 'exposure', text: t('Elasticsearch transport must stay on the cluster network') },
    {
      port: 10250,
      concern: 'remote-code-execution',
      text: t('the kubelet API can exec into pods: never allow anonymous access'),
    },
    {
      port: 10255,
      concern: 'exposure',
      text: t('the kubelet read-only port leaks pod specs and is unauthenticated: disable it'),
    },
    {
      port: 11211,
      concern: 'exposure',
      text: t('memcached has no authentication: keep it on private networks'),
    },
    {
      port: 11211,
      concern: 'amplification',
      protocols: UDP,
      text: t(
        'memcached over UDP amplified record DDoS attacks in 2018: keep UDP off (-U 0, the default since 1.5.6)',
      ),
    },
    {
      port: 11434,
      concern: 'exposure',
      text: t('the Ollama API has no authentication: anyone reaching it can use and pull models'),
    },
    {
      port: 15672,
      concern: 'exposure',
      text: t('RabbitMQ management UI: replace the default guest/guest user'),
    },
    {
      port: 26379,
      concern: 'exposure',
      text: t('Redis Sentinel can reconfigure masters: protect it like Redis'),
    },
    {
      port: 27017,
      concern: 'exposure',
      text: t(
        'MongoDB without authorization enabled has been wiped and ransomed en masse: enable auth, bind privately',
      ),
    },
    {
      port: 33060,
      concern: 'exposure',
      text: t("database port: keep MySQL's X Protocol off public interfaces"),
    },
  ];
}

const byTranslate = new WeakMap<Translate, Map<number, SecurityNote[]>>();

/** Notes for a port, filtered by transport when one is given, in the words `t` gives. */
export function securityNotesFor(
  port: number,
  protocol?: Protocol,
  t: Translate = formatPlain,
): SecurityNote[] {
  let byPort = byTranslate.get(t);
  if (!byPort) {
    byPort = new Map();
    for (const note of securityNotes(t)) {
      const list = byPort.get(note.port);
      if (list) {
        list.push(note);
      } else {
        byPort.set(note.port, [note]);
      }
    }
    byTranslate.set(t, byPort);
  }
  const notes = byPort.get(port) ?? [];
  return protocol === undefined
    ? notes
    : notes.filter((note) => !note.protocols || note.protocols.includes(protocol));
}
