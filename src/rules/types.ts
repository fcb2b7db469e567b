// The contract between rules and their consumers (diagnostics, code actions, `portolan check`).
// Files are named by an opaque, '/'-separated id: a URI string in the editor, a path in the CLI.
import type { FileContext } from '../context';
import type { Protocol } from '../model/port';
import type { TextRange } from '../model/text';
import type { Translate } from '../model/translate';
import type { KubernetesLinks } from '../scan/kubernetesLinks';
import type { FileKind, PortMention } from '../scan/mention';
import type { ComposeMount } from '../scan/composeMounts';
import type { NginxFacts } from '../scan/nginx';
import type { NginxIncludes } from '../workspace/nginxIncludes';
import type { EndpointMap } from '../workspace/endpoints';
import type { ServedPorts } from './nginxProxyPass';

export type RuleId =
  | 'invalid-port'
  | 'privileged-port'
  | 'port-conflict'
  | 'exposed-database'
  | 'exposed-service'
  | 'ephemeral-port'
  | 'insecure-protocol'
  | 'k8s-port-name'
  | 'k8s-node-port-range'
  | 'k8s-host-port'
  | 'compose-base60-port'
  | 'compose-host-network-ports'
  | 'compose-protocol-case'
  | 'compose-random-host-port'
  | 'dockerfile-expose-ssh'
  | 'dockerfile-expose-mapping'
  | 'dockerfile-expose-protocol-case'
  | 'dockerfile-expose-unlistened'
  | 'k8s-target-port-unmatched'
  | 'k8s-probe-port-unexposed'
  | 'compose-service-port-unserved'
  | 'compose-port-env-mismatch'
  | 'nginx-implicit-default-server'
  | 'nginx-proxy-pass-unserved'
  | 'port-in-use'
  | 'not-listening';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** One file as the rules see it. `text` is needed for fixes, and by the rules that read a manifest's links. */
export interface FileMentions {
  file: string;
  kind: FileKind | undefined;
  mentions: readonly PortMention[];
  text?: string;
  /** An nginx file's includes, upstreams and passes by name, for reading it with the files it includes. */
  nginx?: NginxFacts;
  /** A Compose file's bind mounts of nginx configuration (`./nginx:/etc/nginx/conf.d`). */
  composeMounts?: ComposeMount[];
  /** A manifest's Services and workloads, kept by the index so the other manifests of its folder can link to them. */
  kubernetes?: KubernetesLinks;
}

/** What the rules may know about the rest of the workspace. */
export interface WorkspaceView {
  /** The files directly inside a folder (a folder id ends with '/'), the checked file included. */
  filesInFolder(folder: string): readonly FileMentions[];
  /** Every indexed file. */
  allFiles(): Iterable<FileMentions>;
  /**
   * Every port some file of the workspace listens on, publishes or connects to locally: what a fix
   * must not suggest. Kept between calls until the workspace changes (one walk per change, not per file).
   */
  claimedPorts(): ReadonlySet<number>;
  /** TCP ports the workspace serves (listens on, publishes, exposes, configures), cached like claimedPorts. */
  servedPorts(): ServedPorts;
  /** The files in a folder and in the folders up to `depth` levels below it. */
  filesBelow(folder: string, depth: number): readonly FileMentions[];
  /** Which mentions name the same endpoint and what serves it, cached like claimedPorts. */
  endpoints(): EndpointMap;
  /** The indexed file with this id. */
  get?(file: string): FileMentions | undefined;
  /** How the workspace's nginx files include each other, cached like claimedPorts. */
  nginxIncludes?(): NginxIncludes;
}

/** This machine's sockets, when a live source is attached (the sidebar's poller). */
export interface LiveView {
  /** Who holds a port now; undefined when unknown (no data yet), [] when nobody does. */
  holders(
    port: number,
    protocol: Protocol,
  ): Array<{ pid?: number; process?: string; address: string }> | undefined;
}

export interface PortLimits {
  /** Ports below this need privileges to bind (Linux `ip_unprivileged_port_start`, or the setting). */
  unprivilegedPortStart: number;
  /** The kernel's ephemeral range, inclusive. */
  ephemeralRange: { from: number; to: number };
}

export interface RuleContext {
  file: FileMentions;
  workspace: WorkspaceView;
  limits: PortLimits;
  live?: LiveView;
  /** Translates messages (`vscode.l10n.t` in the extension); English when absent. */
  t?: Translate;
  /** What the file is and where it runs; without it every file is source run on the host. */
  context?: FileContext;
}

/** Another place that makes the same claim, shown as related information. */
export interface RelatedClaim {
  file: string;
  range: TextRange;
  message: string;
}

export interface TextEdit {
  file: string;
  range: TextRange;
  newText: string;
}

/** What a fix does, so an adapter can word (and localize) its title. */
export type FixId =
  | 'change-port'
  | 'bind-loopback'
  | 'quote-mapping'
  | 'lowercase-protocol'
  | 'remove-host-part'
  | 'stop-process'
  | 'ignore-line'
  | 'disable-rule';

export type Fix =
  | {
      kind: 'edit';
      id: FixId;
      /** The new port of a `change-port` fix. */
      port?: number;
      rule: RuleId;
      edits: TextEdit[];
      preferred?: boolean;
    }
  | { kind: 'command'; id: FixId; rule: RuleId; command: string; args: unknown[] };

export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  file: string;
  range: TextRange;
  related: RelatedClaim[];
  /** The mention the finding is about; fixes start from it. */
  mention: PortMention;
  /** For rule-specific fixes: the port a fix should move away from, the alternative to offer, ... */
  data?: { suggestedPort?: number };
  /**
   * The context turned a problem into a fact (nginx's master binds as root, the code runs in a
   * container): reported as information whatever the rule's severity.
   */
  demoted?: boolean;
  /** The context in one line, where it changed the verdict: "built by compose service `api`". */
  because?: string;
}

export interface Rule {
  id: RuleId;
  defaultSeverity: Severity;
  /** Live rules only run when a LiveView is attached. */
  needsLive?: boolean;
  check(context: RuleContext): Omit<Finding, 'severity'>[];
}
