/**
 * Event names a receiver knows at run time (`createReceiver({ knownEvents })`): `on()` with any
 * other name warns once. A `Set<string>` is one; the catalogs' lists come from `hookguard/catalogs`
 * and also suggest the nearest name.
 */
export interface KnownEvents {
  has(name: string): boolean;
  /** The known name `name` is most likely a typo of, if any (`issues.opend` → `issues.opened`). */
  nearest?(name: string): string | undefined;
}

/** A catalog's names (space-separated), and prefixes that name a family (Slack's `/` commands). */
export function eventNames(names: string, prefixes: readonly string[] = []): KnownEvents {
  const set = new Set(names.split(' '));
  return {
    has: (name) => set.has(name) || prefixes.some((prefix) => name.startsWith(prefix) && name.length > prefix.length),
    nearest: (name) => nearest(name, set),
  };
}

/** The name closest to `name` by edit distance, if close enough to be a typo (about a third of its length). */
function nearest(name: string, names: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of names) {
    if (Math.abs(candidate.length - name.length) >= bestDistance) continue;
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length] as number;
}
