// What a mention does with its port, and which of those uses claim the port on this machine.

/** What the text does with the port. */
export type PortRole =
  /** This process binds the port on the host: `app.listen(8080)`, nginx `listen 80`. */
  | 'listen'
  /** Host side of a port mapping: the `8080` in compose `"8080:80"`, `docker run -p 8080:80`. */
  | 'publish'
  /** Container/backend side of a mapping: the `80` in `"8080:80"`, k8s `targetPort`. */
  | 'target'
  /** Declared open without publishing: Dockerfile `EXPOSE`, compose `expose:`, k8s `containerPort`. */
  | 'expose'
  /** A client connects there: URLs, `host:port`, nginx `proxy_pass`. */
  | 'connect'
  /** A configuration value that names a port without saying how it is used: `PORT=3000`, `port: 5000`. */
  | 'setting';

/** The role binds the port on the host itself (a server listening, a compose publish). */
export function bindsPort(role: PortRole): boolean {
  return role === 'listen' || role === 'publish';
}

/**
 * The role claims the port on this machine as far as the Ports view is concerned: a bind, or a
 * setting that most likely ends up as one (`PORT=3000`).
 */
export function claimsPort(role: PortRole): boolean {
  return bindsPort(role) || role === 'setting';
}

/** A range mention (`3000-3015`) is listed port by port in the Ports view up to this many ports. */
export const MAX_RANGE_LISTED = 16;

/** A range mention is checked against live sockets port by port up to this many ports. */
export const MAX_RANGE_PROBED = 64;
