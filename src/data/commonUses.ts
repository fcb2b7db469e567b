// What developers actually meet on a port, where IANA's name is useless ("remoteware-cl" on 3000)
// or missing (9229). Curated facts: defaults of well-known software, not guesses.
import type { Protocol } from '../model/port';

export type PortCategory =
  | 'database'
  | 'cache'
  | 'queue'
  | 'messaging'
  | 'search'
  | 'admin'
  | 'web'
  | 'dev'
  | 'debug'
  | 'monitoring'
  | 'infra'
  | 'mail'
  | 'remote-access'
  | 'file-sharing'
  | 'directory'
  | 'name-service'
  | 'media'
  | 'vpn'
  | 'game';

/** The language a program is written in, where a use is one language's (a framework, a dev server). */
export type Runtime = 'node' | 'python' | 'ruby' | 'php' | 'elixir' | 'dotnet' | 'java' | 'go';

export interface CommonUse {
  label: string;
  detail?: string;
  /** The use is a program in this language: a code file of another language is not it. */
  runtime?: Runtime;
  /** A command people run (`manage.py runserver`), not code that binds the port itself. */
  launcher?: boolean;
}

export interface CommonPort {
  port: number;
  uses: readonly CommonUse[];
  category?: PortCategory;
  /** Transport the uses run on; TCP when absent. */
  protocols?: readonly Protocol[];
  /**
   * Must not face the internet. Absent: decided by category (databases, caches, queues, search engines
   * and debuggers are); admin APIs say so explicitly.
   */
  sensitive?: boolean;
  /** Speaks TLS from the first byte by convention (implicit TLS, not STARTTLS). */
  tls?: boolean;
  /** Serves pages or an HTTP API a browser can open. */
  web?: boolean;
}

const TCP_UDP: readonly Protocol[] = ['tcp', 'udp'];
const UDP: readonly Protocol[] = ['udp'];

export const COMMON_PORTS: readonly CommonPort[] = [
  {
    port: 20,
    category: 'file-sharing',
    uses: [{ label: 'FTP data', detail: 'active-mode data connection' }],
  },
  { port: 21, category: 'file-sharing', uses: [{ label: 'FTP', detail: 'control connection' }] },
  { port: 22, category: 'remote-access', uses: [{ label: 'SSH', detail: 'also SFTP and git over SSH' }] },
  { port: 23, category: 'remote-access', uses: [{ label: 'Telnet' }] },
  { port: 25, category: 'mail', uses: [{ label: 'SMTP', detail: 'server-to-server mail relay' }] },
  { port: 53, category: 'name-service', protocols: TCP_UDP, uses: [{ label: 'DNS' }] },
  { port: 67, category: 'infra', protocols: UDP, uses: [{ label: 'DHCP server' }] },
  { port: 68, category: 'infra', protocols: UDP, uses: [{ label: 'DHCP client' }] },
  {
    port: 69,
    category: 'file-sharing',
    protocols: UDP,
    uses: [{ label: 'TFTP', detail: 'network boot (PXE) images' }],
  },
  { port: 80, category: 'web', web: true, uses: [{ label: 'HTTP' }] },
  { port: 88, category: 'directory', protocols: TCP_UDP, uses: [{ label: 'Kerberos' }] },
  { port: 110, category: 'mail', uses: [{ label: 'POP3' }] },
  {
    port: 111,
    category: 'infra',
    protocols: TCP_UDP,
    sensitive: true,
    uses: [{ label: 'rpcbind / portmapper', detail: 'Sun RPC; NFS v3 needs it' }],
  },
  { port: 123, category: 'infra', protocols: UDP, uses: [{ label: 'NTP' }] },
  { port: 135, category: 'infra', sensitive: true, uses: [{ label: 'Microsoft RPC endpoint mapper' }] },
  {
    port: 137,
    category: 'file-sharing',
    protocols: UDP,
    sensitive: true,
    uses: [{ label: 'NetBIOS name service' }],
  },
  {
    port: 138,
    category: 'file-sharing',
    protocols: UDP,
    sensitive: true,
    uses: [{ label: 'NetBIOS datagram service' }],
  },
  {
    port: 139,
    category: 'file-sharing',
    sensitive: true,
    uses: [{ label: 'NetBIOS session service (old SMB)' }],
  },
  { port: 143, category: 'mail', uses: [{ label: 'IMAP' }] },
  { port: 161, category: 'monitoring', protocols: UDP, sensitive: true, uses: [{ label: 'SNMP' }] },
  { port: 162, category: 'monitoring', protocols: UDP, uses: [{ label: 'SNMP traps' }] },
  { port: 179, category: 'infra', uses: [{ label: 'BGP' }] },
  {
    port: 389,
    category: 'directory',
    sensitive: true,
    uses: [{ label: 'LDAP', detail: 'also Active Directory' }],
  },
  { port: 443, category: 'web', web: true, tls: true, uses: [{ label: 'HTTPS' }] },
  {
    port: 445,
    category: 'file-sharing',
    sensitive: true,
    uses: [{ label: 'SMB / CIFS', detail: 'Windows file sharing, Samba' }],
  },
  { port: 465, category: 'mail', tls: true, uses: [{ label: 'SMTP submission over TLS (SMTPS)' }] },
  { port: 500, category: 'vpn', protocols: UDP, uses: [{ label: 'IPsec IKE' }] },
  { port: 514, category: 'monitoring', protocols: UDP, uses: [{ label: 'syslog' }] },
  { port: 548, category: 'file-sharing', uses: [{ label: 'AFP', detail: 'Apple Filing Protocol' }] },
  { port: 554, category: 'media', uses: [{ label: 'RTSP', detail: 'IP cameras, streaming' }] },
  { port: 587, category: 'mail', uses: [{ label: 'SMTP submission', detail: 'mail clients; STARTTLS' }] },
  {
    port: 631,
    category: 'infra',
    web: true,
    uses: [{ label: 'IPP / CUPS', detail: 'printing; CUPS web UI' }],
  },
  {
    port: 636,
    category: 'directory',
    tls: true,
    sensitive: true,
    uses: [{ label: 'LDAPS', detail: 'LDAP over TLS' }],
  },
  { port: 853, category: 'name-service', tls: true, uses: [{ label: 'DNS over TLS' }] },
  { port: 873, category: 'file-sharing', uses: [{ label: 'rsync daemon' }] },
  { port: 989, category: 'file-sharing', tls: true, uses: [{ label: 'FTPS data' }] },
  {
    port: 990,
    category: 'file-sharing',
    tls: true,
    uses: [{ label: 'FTPS', detail: 'FTP over implicit TLS' }],
  },
  { port: 992, category: 'remote-access', tls: true, uses: [{ label: 'Telnet over TLS' }] },
  { port: 993, category: 'mail', tls: true, uses: [{ label: 'IMAPS', detail: 'IMAP over TLS' }] },
  { port: 995, category: 'mail', tls: true, uses: [{ label: 'POP3S', detail: 'POP3 over TLS' }] },
  {
    port: 1025,
    category: 'dev',
    uses: [{ label: 'MailHog / Mailpit SMTP', detail: 'local mail catcher; the web UI is on 8025' }],
  },
  { port: 1080, category: 'infra', uses: [{ label: 'SOCKS proxy' }] },
  { port: 1194, category: 'vpn', protocols: TCP_UDP, uses: [{ label: 'OpenVPN' }] },
  { port: 1313, category: 'dev', web: true, uses: [{ label: 'Hugo dev server', detail: 'hugo server' }] },
  { port: 1433, category: 'database', uses: [{ label: 'Microsoft SQL Server' }] },
  { port: 1434, category: 'database', protocols: UDP, uses: [{ label: 'SQL Server Browser' }] },
  { port: 1521, category: 'database', uses: [{ label: 'Oracle Database listener' }] },
  { port: 1701, category: 'vpn', protocols: UDP, uses: [{ label: 'L2TP' }] },
  { port: 1723, category: 'vpn', uses: [{ label: 'PPTP' }] },
  { port: 1812, category: 'directory', protocols: UDP, uses: [{ label: 'RADIUS authentication' }] },
  { port: 1813, category: 'directory', protocols: UDP, uses: [{ label: 'RADIUS accounting' }] },
  { port: 1883, category: 'queue', uses: [{ label: 'MQTT', detail: 'Mosquitto, EMQX, HiveMQ' }] },
  { port: 1900, category: 'infra', protocols: UDP, uses: [{ label: 'SSDP / UPnP discovery' }] },
  {
    port: 1935,
    category: 'media',
    uses: [{ label: 'RTMP', detail: 'live-stream ingest (OBS, nginx-rtmp)' }],
  },
  { port: 2049, category: 'file-sharing', protocols: TCP_UDP, sensitive: true, uses: [{ label: 'NFS' }] },
  {
    port: 2121,
    category: 'file-sharing',
    uses: [{ label: 'FTP on an unprivileged port', detail: 'pyftpdlib default' }],
  },
  {
    port: 2181,
    category: 'infra',
    sensitive: true,
    uses: [{ label: 'ZooKeeper client port', detail: 'Kafka (pre-KRaft), HBase, Solr' }],
  },
  {
    port: 2222,
    category: 'remote-access',
    uses: [
      {
        label: 'SSH on an unprivileged port',
        detail: 'containers, e.g. linuxserver/openssh-server, Gitea/Forgejo',
      },
    ],
  },
  {
    port: 2375,
    category: 'admin',
    sensitive: true,
    web: true,
    uses: [{ label: 'Docker Engine API (no TLS)', detail: 'dockerd -H tcp://0.0.0.0:2375' }],
  },
  { port: 2376, category: 'admin', sensitive: true, tls: true, uses: [{ label: 'Docker Engine API (TLS)' }] },
  { port: 2377, category: 'infra', sensitive: true, uses: [{ label: 'Docker Swarm cluster management' }] },
  {
    port: 2379,
    category: 'admin',
    sensitive: true,
    uses: [{ label: 'etcd client API', detail: 'Kubernetes keeps all cluster state here' }],
  },
  { port: 2380, category: 'infra', sensitive: true, uses: [{ label: 'etcd peer traffic' }] },
  {
    port: 2525,
    category: 'mail',
    uses: [{ label: 'SMTP alternate', detail: 'offered by mail relays where 25/587 are blocked' }],
  },
  {
    port: 3000,
    category: 'dev',
    web: true,
    uses: [
      { label: 'Node.js / Express dev server', runtime: 'node' },
      { label: 'Create React App / Next.js dev server', runtime: 'node', launcher: true },
      { label: 'Ruby on Rails (Puma)', runtime: 'ruby' },
      { label: 'Grafana' },
      { label: 'Gitea / Forgejo web' },
    ],
  },
  {
    port: 3001,
    category: 'dev',
    web: true,
    uses: [
      {
        label: 'second Node.js dev server',
        detail: 'CRA and Next.js move here when 3000 is taken',
        runtime: 'node',
      },
      { label: 'Uptime Kuma' },
    ],
  },
  { port: 3100, category: 'monitoring', web: true, uses: [{ label: 'Grafana Loki HTTP API' }] },
  { port: 3128, category: 'infra', uses: [{ label: 'Squid HTTP proxy' }] },
  { port: 3200, category: 'monitoring', web: true, uses: [{ label: 'Grafana Tempo HTTP API' }] },
  { port: 3260, category: 'file-sharing', sensitive: true, uses: [{ label: 'iSCSI target' }] },
  {
    port: 3268,
    category: 'directory',
    sensitive: true,
    uses: [{ label: 'Active Directory Global Catalog' }],
  },
  {
    port: 3269,
    category: 'directory',
    tls: true,
    sensitive: true,
    uses: [{ label: 'Active Directory Global Catalog over TLS' }],
  },
  { port: 3306, category: 'database', uses: [{ label: 'MySQL / MariaDB' }] },
  {
    port: 3389,
    category: 'remote-access',
    protocols: TCP_UDP,
    sensitive: true,
    uses: [{ label: 'RDP', detail: 'Windows Remote Desktop' }],
  },
  {
    port: 3478,
    category: 'media',
    protocols: TCP_UDP,
    uses: [{ label: 'STUN / TURN', detail: 'WebRTC NAT traversal (coturn)' }],
  },
  { port: 3690, category: 'dev', uses: [{ label: 'Subversion (svnserve)' }] },
  {
    port: 4000,
    category: 'dev',
    web: true,
    uses: [
      { label: 'Phoenix (Elixir) dev server', runtime: 'elixir' },
      { label: 'Jekyll (jekyll serve)', runtime: 'ruby', launcher: true },
      { label: 'TiDB (MySQL protocol)' },
    ],
  },
  {
    port: 4040,
    category: 'dev',
    web: true,
    uses: [{ label: 'ngrok agent inspector' }, { label: 'Apache Spark application UI' }],
  },
  {
    port: 4173,
    category: 'dev',
    web: true,
    uses: [{ label: 'Vite preview', detail: 'vite preview of a production build' }],
  },
  {
    port: 4200,
    category: 'dev',
    web: true,
    uses: [{ label: 'Angular CLI dev server', detail: 'ng serve' }],
  },
  { port: 4222, category: 'queue', uses: [{ label: 'NATS client port' }] },
  { port: 4317, category: 'monitoring', uses: [{ label: 'OpenTelemetry OTLP/gRPC' }] },
  { port: 4318, category: 'monitoring', web: true, uses: [{ label: 'OpenTelemetry OTLP/HTTP' }] },
  { port: 4321, category: 'dev', web: true, uses: [{ label: 'Astro dev server' }] },
  {
    port: 4369,
    category: 'infra',
    sensitive: true,
    uses: [{ label: 'epmd (Erlang port mapper)', detail: 'RabbitMQ, CouchDB, Elixir clustering' }],
  },
  { port: 4444, category: 'dev', web: true, uses: [{ label: 'Selenium Grid' }] },
  {
    port: 4505,
    category: 'admin',
    sensitive: true,
    uses: [{ label: 'Salt master publish port' }],
  },
  { port: 4506, category: 'admin', sensitive: true, uses: [{ label: 'Salt master request port' }] },
  {
    port: 4566,
    category: 'dev',
    web: true,
    uses: [{ label: 'LocalStack edge port', detail: 'all emulated AWS services' }],
  },
  {
    port: 4789,
    category: 'infra',
    protocols: UDP,
    uses: [{ label: 'VXLAN', detail: 'Docker overlay, Kubernetes CNIs' }],
  },
  {
    port: 4848,
    category: 'admin',
    sensitive: true,
    web: true,
    uses: [{ label: 'GlassFish / Payara admin console' }],
  },
  {
    port: 5000,
    category: 'dev',
    web: true,
    uses: [
      { label: 'Flask dev server', detail: 'flask run', runtime: 'python' },
      {
        label: 'macOS AirPlay Receiver',
        detail:
          'macOS 12+ listens here and on 7000 while AirPlay Receiver is on (System Settings → General → AirDrop & Handoff)',
      },
      { label: 'Docker Registry', detail: 'registry:2 image' },
      { label: 'ASP.NET Core (HTTP)', detail: 'Kestrel default before .NET 6', runtime: 'dotnet' },
    ],
  },
  {
    port: 5001,
    category: 'dev',
    uses: [
      { label: 'ASP.NET Core (HTTPS)', detail: 'Kestrel default before .NET 6', runtime: 'dotnet' },
      { label: 'Docker Registry moved off 5000', detail: 'where AirPlay holds 5000 on macOS' },
    ],
  },
  {
    port: 5005,
    category: 'debug',
    uses: [{ label: 'Java debugger (JDWP)', detail: 'conventional -agentlib:jdwp=…,address=5005' }],
  },
  { port: 5037, category: 'dev', uses: [{ label: 'Android adb server' }] },
  { port: 5044, category: 'monitoring', uses: [{ label: 'Logstash Beats input' }] },
  { port: 5060, category: 'media', protocols: TCP_UDP, uses: [{ label: 'SIP' }] },
  { port: 5061, category: 'media', tls: true, uses: [{ label: 'SIP over TLS' }] },
  { port: 5173, category: 'dev', web: true, uses: [{ label: 'Vite dev server' }] },
  {
    port: 5174,
    category: 'dev',
    web: true,
    uses: [{ label: 'second Vite dev server', detail: 'Vite moves here when 5173 is taken' }],
  },
  { port: 5222, category: 'messaging', uses: [{ label: 'XMPP client connections' }] },
  { port: 5269, category: 'messaging', uses: [{ label: 'XMPP server-to-server' }] },
  { port: 5349, category: 'media', tls: true, uses: [{ label: 'TURN over TLS' }] },
  { port: 5353, category: 'name-service', protocols: UDP, uses: [{ label: 'mDNS / Bonjour / Avahi' }] },
  {
    port: 5355,
    category: 'name-service',
    protocols: UDP,
    uses: [{ label: 'LLMNR', detail: 'Windows and systemd-resolved local name resolution' }],
  },
  { port: 5432, category: 'database', uses: [{ label: 'PostgreSQL' }] },
  {
    port: 5433,
    category: 'database',
    uses: [{ label: 'second PostgreSQL instance' }, { label: 'YugabyteDB YSQL' }],
  },
  { port: 5500, category: 'dev', web: true, uses: [{ label: 'VS Code Live Server' }] },
  {
    port: 5555,
    category: 'dev',
    uses: [{ label: 'Android adb over TCP', detail: 'adb tcpip 5555' }, { label: 'Flower (Celery monitor)' }],
  },
  {
    port: 5601,
    category: 'monitoring',
    web: true,
    sensitive: true,
    uses: [{ label: 'Kibana / OpenSearch Dashboards' }],
  },
  { port: 5671, category: 'queue', tls: true, uses: [{ label: 'AMQP over TLS (RabbitMQ)' }] },
  { port: 5672, category: 'queue', uses: [{ label: 'AMQP (RabbitMQ)' }] },
  {
    port: 5900,
    category: 'remote-access',
    sensitive: true,
    uses: [{ label: 'VNC', detail: 'display :0; :N is 5900+N' }],
  },
  { port: 5938, category: 'remote-access', uses: [{ label: 'TeamViewer' }] },
  { port: 5984, category: 'database', web: true, uses: [{ label: 'CouchDB' }] },
  {
    port: 5985,
    category: 'admin',
    sensitive: true,
    uses: [{ label: 'WinRM (HTTP)', detail: 'PowerShell remoting' }],
  },
  {
    port: 5986,
    category: 'admin',
    sensitive: true,
    tls: true,
    uses: [{ label: 'WinRM (HTTPS)', detail: 'PowerShell remoting' }],
  },
  { port: 6006, category: 'dev', web: true, uses: [{ label: 'Storybook' }, { label: 'TensorBoard' }] },
  {
    port: 6060,
    category: 'debug',
    web: true,
    uses: [{ label: 'Go pprof / godoc', detail: 'conventional net/http/pprof debug listener' }],
  },
  { port: 6222, category: 'queue', uses: [{ label: 'NATS cluster routes' }] },
  { port: 6333, category: 'database', web: true, uses: [{ label: 'Qdrant HTTP API' }] },
  { port: 6334, category: 'database', uses: [{ label: 'Qdrant gRPC API' }] },
  { port: 6379, category: 'cache', uses: [{ label: 'Redis', detail: 'also Valkey, KeyDB, Dragonfly' }] },
  {
    port: 6380,
    category: 'cache',
    uses: [{ label: 'second Redis instance' }, { label: 'Azure Cache for Redis (TLS)' }],
  },
  { port: 6432, category: 'database', uses: [{ label: 'PgBouncer' }] },
  {
    port: 6443,
    category: 'admin',
    sensitive: true,
    tls: true,
    web: true,
    uses: [{ label: 'Kubernetes API server' }],
  },
  { port: 6514, category: 'monitoring', tls: true, uses: [{ label: 'syslog over TLS' }] },
  { port: 6650, category: 'queue', uses: [{ label: 'Apache Pulsar binary protocol' }] },
  { port: 6667, category: 'messaging', uses: [{ label: 'IRC' }] },
  { port: 6697, category: 'messaging', tls: true, uses: [{ label: 'IRC over TLS' }] },
  { port: 6831, category: 'monitoring', protocols: UDP, uses: [{ label: 'Jaeger agent (compact Thrift)' }] },
  {
    port: 7000,
    category: 'database',
    uses: [
      { label: 'Cassandra intra-node (gossip)' },
      { label: 'macOS AirPlay Receiver', detail: 'macOS 12+ listens here and on 5000' },
    ],
  },
  { port: 7001, category: 'database', tls: true, uses: [{ label: 'Cassandra intra-node over TLS' }] },
  { port: 7077, category: 'infra', uses: [{ label: 'Apache Spark standalone master' }] },
  { port: 7199, category: 'database', uses: [{ label: 'Cassandra JMX', detail: 'nodetool talks to it' }] },
  { port: 7233, category: 'infra', uses: [{ label: 'Temporal frontend (gRPC)' }] },
  { port: 7473, category: 'database', tls: true, web: true, uses: [{ label: 'Neo4j Browser (HTTPS)' }] },
  { port: 7474, category: 'database', web: true, uses: [{ label: 'Neo4j Browser / HTTP API' }] },
  { port: 7687, category: 'database', uses: [{ label: 'Neo4j Bolt protocol' }] },
  { port: 7700, category: 'search', web: true, uses: [{ label: 'Meilisearch' }] },
  { port: 7946, category: 'infra', protocols: TCP_UDP, uses: [{ label: 'Docker Swarm / Serf gossip' }] },
  {
    port: 8000,
    category: 'dev',
    web: true,
    uses: [
      { label: 'Django runserver', runtime: 'python', launcher: true },
      { label: 'uvicorn / FastAPI', runtime: 'python' },
      { label: 'Python http.server', runtime: 'python', launcher: true },
      { label: 'Laravel (artisan serve)', runtime: 'php', launcher: true },
      { label: 'Gatsby dev server', runtime: 'node', launcher: true },
      { label: 'DynamoDB Local' },
    ],
  },
  {
    port: 8001,
    category: 'admin',
    web: true,
    uses: [
      { label: 'kubectl proxy', detail: 'authenticated tunnel to the Kubernetes API' },
      { label: 'Kong Admin API' },
    ],
    sensitive: true,
  },
  {
    port: 8005,
    category: 'admin',
    sensitive: true,
    uses: [{ label: 'Tomcat shutdown port', detail: 'accepts the word SHUTDOWN' }],
  },
  {
    port: 8006,
    category: 'admin',
    sensitive: true,
    tls: true,
    web: true,
    uses: [{ label: 'Proxmox VE web UI' }],
  },
  { port: 8009, category: 'admin', sensitive: true, uses: [{ label: 'Tomcat AJP connector' }] },
  {
    port: 8025,
    category: 'dev',
    web: true,
    uses: [{ label: 'MailHog / Mailpit web UI', detail: 'SMTP is on 1025' }],
  },
  {
    port: 8080,
    category: 'web',
    web: true,
    uses: [
      { label: 'HTTP alternate' },
      { label: 'Apache Tomcat', runtime: 'java' },
      { label: 'Jenkins' },
      { label: 'Spring Boot', runtime: 'java' },
      { label: 'Keycloak' },
      { label: 'code-server' },
      { label: 'Traefik dashboard (insecure API)' },
    ],
  },
  {
    port: 8081,
    category: 'web',
    web: true,
    uses: [
      { label: 'HTTP alternate' },
      { label: 'React Native Metro bundler' },
      { label: 'Sonatype Nexus Repository' },
    ],
  },
  { port: 8086, category: 'database', web: true, uses: [{ label: 'InfluxDB HTTP API' }] },
  { port: 8091, category: 'database', web: true, uses: [{ label: 'Couchbase web console' }] },
  { port: 8096, category: 'media', web: true, uses: [{ label: 'Jellyfin' }] },
  {
    port: 8123,
    category: 'web',
    web: true,
    uses: [{ label: 'Home Assistant' }, { label: 'ClickHouse HTTP interface' }],
  },
  { port: 8125, category: 'monitoring', protocols: UDP, uses: [{ label: 'StatsD' }] },
  { port: 8161, category: 'queue', web: true, uses: [{ label: 'ActiveMQ web console' }] },
  { port: 8200, category: 'admin', web: true, uses: [{ label: 'HashiCorp Vault API / UI' }] },
  { port: 8222, category: 'monitoring', web: true, uses: [{ label: 'NATS monitoring' }] },
  { port: 8300, category: 'infra', sensitive: true, uses: [{ label: 'Consul server RPC' }] },
  { port: 8301, category: 'infra', protocols: TCP_UDP, uses: [{ label: 'Consul Serf LAN gossip' }] },
  { port: 8384, category: 'file-sharing', web: true, uses: [{ label: 'Syncthing web GUI' }] },
  { port: 8428, category: 'monitoring', web: true, uses: [{ label: 'VictoriaMetrics' }] },
  {
    port: 8443,
    category: 'web',
    web: true,
    tls: true,
    uses: [{ label: 'HTTPS alternate', detail: 'Tomcat TLS connector, UniFi controller' }],
  },
  { port: 8472, category: 'infra', protocols: UDP, uses: [{ label: 'Flannel VXLAN' }] },
  { port: 8500, category: 'admin', sensitive: true, web: true, uses: [{ label: 'Consul HTTP API / UI' }] },
  {
    port: 8501,
    category: 'admin',
    sensitive: true,
    tls: true,
    web: true,
    uses: [{ label: 'Consul HTTPS API' }],
  },
  { port: 8529, category: 'database', web: true, uses: [{ label: 'ArangoDB' }] },
  {
    port: 8545,
    category: 'dev',
    sensitive: true,
    web: true,
    uses: [{ label: 'Ethereum JSON-RPC', detail: 'geth, Hardhat, Anvil' }],
  },
  { port: 8554, category: 'media', uses: [{ label: 'RTSP alternate', detail: 'MediaMTX default' }] },
  { port: 8600, category: 'name-service', protocols: TCP_UDP, uses: [{ label: 'Consul DNS' }] },
  { port: 8761, category: 'infra', web: true, uses: [{ label: 'Eureka service registry (Spring Cloud)' }] },
  { port: 8787, category: 'dev', web: true, uses: [{ label: 'RStudio Server' }] },
  { port: 8883, category: 'queue', tls: true, sensitive: false, uses: [{ label: 'MQTT over TLS' }] },
  {
    port: 8888,
    category: 'dev',
    web: true,
    sensitive: true,
    uses: [{ label: 'Jupyter Notebook / JupyterLab' }],
  },
  { port: 8983, category: 'search', web: true, uses: [{ label: 'Apache Solr' }] },
  {
    port: 9000,
    category: 'infra',
    sensitive: true,
    uses: [
      { label: 'PHP-FPM (FastCGI)' },
      { label: 'MinIO S3 API' },
      { label: 'SonarQube' },
      { label: 'Portainer (HTTP)' },
      { label: 'ClickHouse native protocol' },
    ],
  },
  {
    port: 9001,
    category: 'admin',
    sensitive: true,
    web: true,
    uses: [{ label: 'MinIO console' }, { label: 'Supervisor web UI' }],
  },
  {
    port: 9042,
    category: 'database',
    uses: [{ label: 'Cassandra CQL native protocol', detail: 'also ScyllaDB, YugabyteDB YCQL' }],
  },
  { port: 9050, category: 'infra', uses: [{ label: 'Tor SOCKS proxy' }] },
  {
    port: 9090,
    category: 'monitoring',
    web: true,
    sensitive: true,
    uses: [{ label: 'Prometheus' }, { label: 'Cockpit web console', detail: 'HTTPS' }],
  },
  {
    port: 9091,
    category: 'monitoring',
    web: true,
    uses: [{ label: 'Prometheus Pushgateway' }, { label: 'Transmission web UI' }],
  },
  { port: 9092, category: 'queue', uses: [{ label: 'Apache Kafka broker' }] },
  {
    port: 9093,
    category: 'monitoring',
    web: true,
    uses: [{ label: 'Prometheus Alertmanager' }, { label: 'Kafka TLS listener (common choice)' }],
  },
  {
    port: 9100,
    category: 'monitoring',
    web: true,
    uses: [{ label: 'Prometheus node_exporter' }, { label: 'raw printing (HP JetDirect)' }],
  },
  { port: 9104, category: 'monitoring', web: true, uses: [{ label: 'Prometheus mysqld_exporter' }] },
  { port: 9121, category: 'monitoring', web: true, uses: [{ label: 'Prometheus redis_exporter' }] },
  { port: 9187, category: 'monitoring', web: true, uses: [{ label: 'Prometheus postgres_exporter' }] },
  { port: 9200, category: 'search', web: true, uses: [{ label: 'Elasticsearch / OpenSearch REST API' }] },
  {
    port: 9222,
    category: 'debug',
    web: true,
    uses: [{ label: 'Chrome DevTools Protocol', detail: '--remote-debugging-port=9222' }],
  },
  {
    port: 9229,
    category: 'debug',
    uses: [{ label: 'Node.js inspector', detail: 'node --inspect' }],
  },
  { port: 9300, category: 'search', uses: [{ label: 'Elasticsearch transport (node-to-node)' }] },
  { port: 9411, category: 'monitoring', web: true, uses: [{ label: 'Zipkin' }] },
  { port: 9418, category: 'dev', uses: [{ label: 'git daemon (git://)' }] },
  {
    port: 9443,
    category: 'web',
    tls: true,
    web: true,
    uses: [{ label: 'HTTPS alternate', detail: 'Portainer, Kubernetes admission webhooks' }],
  },
  { port: 9600, category: 'monitoring', web: true, uses: [{ label: 'Logstash monitoring API' }] },
  { port: 9870, category: 'infra', web: true, uses: [{ label: 'HDFS NameNode web UI' }] },
  { port: 9901, category: 'admin', sensitive: true, web: true, uses: [{ label: 'Envoy admin interface' }] },
  { port: 10250, category: 'admin', sensitive: true, tls: true, uses: [{ label: 'kubelet API' }] },
  {
    port: 10255,
    category: 'admin',
    sensitive: true,
    web: true,
    uses: [{ label: 'kubelet read-only API (deprecated)' }],
  },
  { port: 10257, category: 'admin', tls: true, uses: [{ label: 'kube-controller-manager' }] },
  { port: 10259, category: 'admin', tls: true, uses: [{ label: 'kube-scheduler' }] },
  { port: 11211, category: 'cache', protocols: TCP_UDP, uses: [{ label: 'memcached' }] },
  { port: 11434, category: 'dev', sensitive: true, web: true, uses: [{ label: 'Ollama API' }] },
  {
    port: 15000,
    category: 'admin',
    sensitive: true,
    web: true,
    uses: [{ label: 'Istio sidecar Envoy admin' }],
  },
  { port: 15672, category: 'queue', web: true, uses: [{ label: 'RabbitMQ management UI' }] },
  {
    port: 16443,
    category: 'admin',
    sensitive: true,
    tls: true,
    uses: [{ label: 'MicroK8s Kubernetes API server' }],
  },
  { port: 16686, category: 'monitoring', web: true, uses: [{ label: 'Jaeger UI' }] },
  {
    port: 19000,
    category: 'dev',
    uses: [{ label: 'Expo dev server', detail: 'Metro for Expo apps (classic CLI)' }],
  },
  { port: 22000, category: 'file-sharing', protocols: TCP_UDP, uses: [{ label: 'Syncthing sync protocol' }] },
  {
    port: 24678,
    category: 'dev',
    uses: [{ label: 'Vite HMR websocket', detail: 'separate HMR port in middleware mode and older setups' }],
  },
  { port: 25565, category: 'game', uses: [{ label: 'Minecraft (Java Edition) server' }] },
  { port: 26257, category: 'database', uses: [{ label: 'CockroachDB SQL' }] },
  { port: 26379, category: 'cache', uses: [{ label: 'Redis Sentinel' }] },
  {
    port: 27015,
    category: 'game',
    protocols: TCP_UDP,
    uses: [{ label: 'Source engine / Steam game server' }],
  },
  { port: 27017, category: 'database', uses: [{ label: 'MongoDB' }] },
  { port: 27018, category: 'database', uses: [{ label: 'MongoDB shard server (mongod --shardsvr)' }] },
  { port: 27019, category: 'database', uses: [{ label: 'MongoDB config server' }] },
  { port: 32400, category: 'media', web: true, uses: [{ label: 'Plex Media Server' }] },
  {
    port: 33060,
    category: 'database',
    uses: [{ label: 'MySQL X Protocol', detail: 'MySQL Shell, document store' }],
  },
  { port: 35729, category: 'dev', uses: [{ label: 'LiveReload', detail: 'browser auto-refresh websocket' }] },
  { port: 50000, category: 'dev', uses: [{ label: 'Jenkins inbound agents (TCP)' }] },
  { port: 50051, category: 'dev', uses: [{ label: 'gRPC server', detail: 'the port in gRPC examples' }] },
  { port: 51820, category: 'vpn', protocols: UDP, uses: [{ label: 'WireGuard' }] },
  { port: 61616, category: 'queue', uses: [{ label: 'ActiveMQ OpenWire' }] },
];

let byPort: Map<number, CommonPort> | undefined;

/** The curated entry for a port, whatever the protocol; built on first call. */
export function commonPort(port: number): CommonPort | undefined {
  if (!byPort) {
    byPort = new Map(COMMON_PORTS.map((entry) => [entry.port, entry]));
  }
  return byPort.get(port);
}

/** True when the curated entry's uses run over `protocol` (TCP when the entry names none). */
export function commonPortSpeaks(entry: CommonPort, protocol: Protocol): boolean {
  return (entry.protocols ?? ['tcp']).includes(protocol);
}
