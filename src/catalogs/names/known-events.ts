/**
 * Event names a receiver knows at run time (`createReceiver({ knownEvents })`): `on()` with any
 * other name warns once. A `Set<string>` is one; the catalogs' lists come from `hookguard/catalogs`.
 */
export interface KnownEvents {
  has(name: string): boolean;
}

/** A catalog's names (space-separated), and prefixes that name a family (Slack's `/` commands). */
export function eventNames(names: string, prefixes: readonly string[] = []): KnownEvents {
  const set = new Set(names.split(' '));
  return { has: (name) => set.has(name) || prefixes.some((prefix) => name.startsWith(prefix) && name.length > prefix.length) };
}
