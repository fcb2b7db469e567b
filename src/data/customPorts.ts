// `portolan.customPorts` as users write it: `{ "4000": "billing-api", "5353/udp": "team-dns" }`.

const KEY = /^\s*(\d{1,5})\s*(?:\/\s*(tcp|udp|sctp)\s*)?$/i;

/**
 * The usable entries, with keys normalized to `"4000"` or `"5353/udp"` (the forms the registry looks
 * up first); anything else (not a port, not a name) is dropped.
 */
export function customPortNames(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return out;
  }
  for (const [key, name] of Object.entries(value as Record<string, unknown>)) {
    const match = KEY.exec(key);
    const port = Number(match?.[1]);
    if (!match || typeof name !== 'string' || name.trim() === '' || port < 1 || port > 65535) {
      continue;
    }
    out[match[2] ? `${port}/${match[2].toLowerCase()}` : String(port)] = name;
  }
  return out;
}
