// The one model every finder produces and every consumer (hover, rules, index, CLI) reads.
// No vscode import: ranges are UTF-16 offsets into the scanned text, like JavaScript strings.
import { isThisMachine } from '../model/host';
import type { Protocol } from '../model/port';
import type { PortRole } from '../model/roles';
import type { TextRange } from '../model/text';

// The finders import these beside PortMention.
export type { PortRole, Protocol, TextRange };

/** Which finder understood the text. */
export type FileKind =
  | 'code'
  | 'compose'
  | 'nginx'
  | 'dotenv'
  | 'dockerfile'
  | 'kubernetes'
  | 'properties'
  | 'packagejson'
  | 'launchjson'
  | 'devcontainer';

/** Extra facts a finder knows about an nginx `listen`. */
export interface NginxListenContext {
  /** Offset of the `server` keyword of the enclosing block; identifies the block. */
  serverBlock: number;
  serverNames: string[];
  defaultServer: boolean;
  ssl: boolean;
  /** `ipv6only=on|off` when written. */
  ipv6only?: boolean;
}

/** How a mention was written, for the rules that judge the syntax rather than the number. */
export interface MentionSyntax {
  /**
   * The key the number was written under: `hostPort`, `nodePort`, `containerPort`, `port`; the
   * variable a Compose `environment:` entry sets when its value interpolates another (`PORT` in
   * `PORT: ${APP_PORT}`).
   */
  key?: string;
  /**
   * A Compose `environment:` value that reads a variable the container side of the service's
   * `ports:` reads too (`PORT: ${APP_PORT}` with `"${APP_PORT}:${APP_PORT}"`): the variable; the two
   * agree by construction.
   */
  portsVariable?: string;
  /** The port entry's `name:` (Kubernetes container and Service ports), as written. */
  name?: { value: string; range: TextRange };
  /** The whole entry, when it is an unquoted (plain) YAML scalar: `22:22`. */
  plain?: { value: string; range: TextRange };
  /** The protocol suffix as written: `TCP` in `8080:80/TCP`. */
  protocol?: { value: string; range: TextRange };
  /** The workload uses the host's network (`network_mode: host`, `hostNetwork: true`). */
  hostNetwork?: boolean;
  /**
   * A Compose `ports:` entry with no host port (`"80"`, `"127.0.0.1::80"`, long syntax without
   * `published`): Docker picks a random host port, on `host` (every interface when absent).
   */
  randomHostPort?: { host?: string };
  /** The `IP:HOST:` part of a Dockerfile `EXPOSE 127.0.0.1:8080:80`, which Docker ignores. */
  mapping?: { value: string; range: TextRange };
}

export interface PortMention {
  /** The number as written; may be invalid (99999, -1, 0) so rules can report it. */
  port: number;
  /** Last port of a range like `3000-3005` (as written, may be below `port` when reversed). */
  portEnd?: number;
  protocol?: Protocol;
  /** Address or host name as written, without IPv6 brackets: `127.0.0.1`, `::1`, `db`, `0.0.0.0`. */
  host?: string;
  role: PortRole;
  kind: FileKind;
  /** Exactly the characters of the port (or of the whole range `3000-3005`). */
  range: TextRange;
  /** For a mapping: the other side (the container port of a publish, the host port of a target). */
  counterpart?: { port: number; portEnd?: number };
  /** Compose service or Kubernetes container/service the port belongs to. */
  service?: string;
  /** Container image of the Compose service the port belongs to: `portainer/portainer-ce:latest`. */
  image?: string;
  /**
   * Build context of the Compose service, as written (`statistics-service`, `.`), when the service is
   * built from the project's source: its program is the project's own, whatever the port number says.
   */
  build?: string;
  /** Variable the value belongs to: `PORT` in `PORT=3000`, `WEB_PORT` in `${WEB_PORT:-8080}`. */
  variable?: string;
  /** The number was read from this file (`.env`) for `variable`: `"$SENTRY_BIND:80"` with `SENTRY_BIND=9000`. */
  envFile?: string;
  /** The 1-based line of `variable` in `envFile`. */
  envLine?: number;
  /** The number was read for `variable` from the environment of the process running Compose. */
  envProcess?: boolean;
  /** The number is the alternative written in `${VAR:+n}`, used because `variable` is set (in `envFile`, or the environment). */
  isAlternative?: boolean;
  /** A named port resolved to its number: `targetPort: http` → the `containerPort` named `http`. */
  portName?: string;
  /** Where a named port was resolved: `Deployment web, container api`. */
  resolvedIn?: string;
  /**
   * The manifest of the same folder `resolvedIn` is written in (`deployment.yaml`), when it is not
   * this file: such a mention depends on that file and is added by the workspace index, not the finder.
   */
  resolvedFile?: string;
  /** True when the number is only a fallback: `${WEB_PORT:-8080}`, `process.env.PORT || 3000`. */
  isDefault?: boolean;
  /** URL scheme when the port came from a URL: `postgres`, `http`. */
  scheme?: string;
  nginx?: NginxListenContext;
  /**
   * The port is not written: nginx listens on 80 for a `listen` that gives only an address
   * (`listen 127.0.0.1;`, range: the address) and for a `server` block with no `listen` at all
   * (range: the `server` keyword). A fix never replaces the range with a number.
   */
  implied?: 'address' | 'server';
  /** The port is a server of this nginx `upstream`, reached by name: `proxy_pass http://backend`. */
  upstream?: string;
  /** Set on one mention per written entry, where a syntax rule may need it. */
  syntax?: MentionSyntax;
  /**
   * Rules silenced for this mention by a `portolan-ignore` comment on its line (or
   * `portolan-ignore-next-line` on the line before): rule ids, or `['*']` for all of them.
   */
  suppressed?: string[];
}

/** Sorts by position, for binary search in hovers and stable output. */
export function compareMentions(a: PortMention, b: PortMention): number {
  return a.range.start - b.range.start || a.range.end - b.range.end;
}

/** Whether a mention names a port on this machine (a URL to `db:5432` does not). */
export function isLocalMention(mention: PortMention): boolean {
  if (mention.role === 'target' || mention.role === 'expose') {
    return false;
  }
  if (mention.host === undefined) {
    return mention.role !== 'connect';
  }
  return isThisMachine(mention.host);
}

/** Appends without spreading: `push(...items)` overflows the call stack on huge inputs. */
export function pushAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) {
    target.push(item);
  }
}

/** Drops mentions whose range repeats an earlier one's and sorts the rest by position. */
export function dedupeMentions(mentions: PortMention[]): PortMention[] {
  // The sort is stable, so of mentions at the same characters the first found leads its run of
  // neighbours and is the one kept; line-by-line finders hand it arrays already in order.
  const sorted = mentions.slice().sort(compareMentions);
  const kept: PortMention[] = [];
  for (const m of sorted) {
    const last = kept[kept.length - 1];
    if (last === undefined || last.range.start !== m.range.start || last.range.end !== m.range.end) {
      kept.push(m);
    }
  }
  return kept;
}
