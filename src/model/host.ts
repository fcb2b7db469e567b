// Host and address classification shared by the rules (hosts as written in files) and the live
// view (addresses as the kernel reports them).

/** Lower case, trimmed, without the brackets of `[::1]`. */
export function normalizeHost(host: string | undefined): string {
  const h = (host ?? '').trim().toLowerCase();
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/** Maps `::ffff:a.b.c.d` to `a.b.c.d`, so IPv4 traffic on a dual-stack socket compares equal. */
export function unmapIpv4(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

const WILDCARDS = new Set(['', '*', '0.0.0.0', '::', '0:0:0:0:0:0:0:0']);

/** Absent, `0.0.0.0`, `::`, `::ffff:0.0.0.0` and `*` bind every interface. */
export function isWildcardHost(host: string | undefined): boolean {
  return WILDCARDS.has(unmapIpv4(normalizeHost(host)));
}

/** `localhost`, `::1` and 127.0.0.0/8 (also IPv4-mapped). */
export function isLoopbackHost(host: string | undefined): boolean {
  const h = unmapIpv4(normalizeHost(host));
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * A host that names this machine: loopback, a wildcard, `*.localhost`, or Docker's
 * `host.docker.internal` (which is this machine as seen from a container).
 */
export function isThisMachine(host: string | undefined): boolean {
  const h = normalizeHost(host);
  return isLoopbackHost(h) || isWildcardHost(h) || h === 'host.docker.internal' || h.endsWith('.localhost');
}

/**
 * The loopback address to connect to for a socket bound to `address`: a wildcard bind is reached
 * on loopback of its family, an IPv4-mapped address as plain IPv4.
 */
export function loopbackFor(address: string | undefined): string {
  const a = normalizeHost(address);
  if (a === '::' || a === '0:0:0:0:0:0:0:0') {
    return '::1';
  }
  return isWildcardHost(a) ? '127.0.0.1' : unmapIpv4(a);
}
