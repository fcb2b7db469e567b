// IPv6 scope (zone) ids on local socket addresses. A link-local address means nothing without the
// interface it lives on, so readers keep the zone as `fe80::1%6` (Windows interface index) or
// `fe80::1%en0` (an interface name), never dropping it.

/** fe80::/10 (link-local unicast), ignoring any `%zone`. */
export function isLinkLocal(address: string): boolean {
  const bare = address.split('%')[0]!.toLowerCase();
  return /^fe[89ab][0-9a-f]:/.test(bare);
}

/** True when the address carries a `%zone`. */
export function hasZone(address: string): boolean {
  return /%[^%]+$/.test(address);
}

/**
 * Puts the scope of a link-local or link-scoped multicast address in `%zone` form.
 * BSD kernels (macOS included) store the interface index inside the address, in its second
 * 16-bit group, and lsof prints that KAME form as is: `fe80:5::aede:48ff:fe00:1122` is
 * `fe80::aede:48ff:fe00:1122` on interface 5. Without an interface name the numeric scope is kept
 * (`%5`). An address that already has a zone, or is not scoped, is returned unchanged.
 */
export function withZone(address: string): string {
  if (hasZone(address) || !address.includes(':')) {
    return address;
  }
  const groups = expandIpv6(address);
  if (!groups) {
    return address;
  }
  const first = groups[0] ?? 0;
  const linkScoped =
    (first & 0xffc0) === 0xfe80 || (first & 0xff0f) === 0xff02 || (first & 0xff0f) === 0xff01;
  if (!linkScoped || groups[1] === 0) {
    return address;
  }
  const scope = groups[1];
  groups[1] = 0;
  return `${compressIpv6(groups)}%${scope}`;
}

/** Eight 16-bit groups, or undefined when the text is not a plain IPv6 address. */
export function expandIpv6(address: string): number[] | undefined {
  const text = address.toLowerCase();
  if (!/^[0-9a-f:]+$/.test(text) || text.split('::').length > 2) {
    return undefined;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string): number[] | undefined => {
    if (part === '') {
      return [];
    }
    const out: number[] = [];
    for (const group of part.split(':')) {
      if (!/^[0-9a-f]{1,4}$/.test(group)) {
        return undefined;
      }
      out.push(parseInt(group, 16));
    }
    return out;
  };
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  if (!left || !right) {
    return undefined;
  }
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) {
    return undefined;
  }
  return [...left, ...new Array<number>(missing).fill(0), ...right];
}

/** RFC 5952 text: lowercase, the longest run of two or more zero groups as `::`. */
export function compressIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) {
      j++;
    }
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) {
    return hex.join(':');
  }
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
