import { WebhookError } from '../core/errors.js';
import type { ClaimResult, DedupeStore } from './types.js';

export interface MemoryStoreOptions {
  /** Most ids remembered; the least recently seen is forgotten first. Default 100,000. */
  maxEntries?: number;
  /** How long a handled id is remembered. Default 3 days, the longest common retry schedule (Stripe). */
  ttlSeconds?: number;
  /** Milliseconds clock, for tests. */
  clock?: () => number;
}

const PENDING = 0;
const DONE = 1;
/** No owner given (a direct caller): such claims match each other, as before owners existed. */
const NO_OWNER = '';

/**
 * The default dedupe store: one process's memory, bounded by count (LRU) and age (TTL).
 * Use `redisStore` when several processes receive the same sender's deliveries.
 *
 * @example
 * createReceiver({ provider, dedupe: memoryStore({ maxEntries: 50_000, ttlSeconds: 86_400 }) });
 */
export function memoryStore(options: MemoryStoreOptions = {}): DedupeStore & { readonly size: number } {
  const maxEntries = positiveInteger(options.maxEntries ?? 100_000, 'maxEntries');
  const ttlMs = positiveInteger(options.ttlSeconds ?? 259_200, 'ttlSeconds') * 1000;
  const clock = options.clock ?? Date.now;
  if (typeof clock !== 'function') {
    throw new WebhookError('misconfigured', `memoryStore(): \`clock\` must be a function returning milliseconds, like Date.now; got ${typeof clock}.`);
  }
  // A Map iterates in insertion order, so re-inserting on use makes its first key the least recently used.
  // Values pack state and expiry into one number (expiry * 2 + state) to keep an entry small;
  // a pending claim's owner sits in `owners` only while it is pending.
  const entries = new Map<string, number>();
  const owners = new Map<string, string>();
  // The oldest key is found with one iterator kept across evictions, not a new `keys()` each
  // time: a new iterator starts at the front of the table, where V8 leaves a hole for every key
  // deleted since the last rehash, so on a full store each eviction scanned a growing run of
  // holes (~10 µs per delivery at 100,000 ids). Everything the kept iterator has passed was
  // evicted by it, and a re-inserted key goes to the back, so its next key is always the oldest.
  let oldestFirst: Iterator<string> | undefined;

  function remember(id: string, state: number): void {
    entries.delete(id);
    // Whole milliseconds: a fractional clock (performance.now()) would make `packed % 2` neither state.
    entries.set(id, (Math.floor(clock()) + ttlMs) * 2 + state);
    if (entries.size > maxEntries) evictOldest();
  }

  /** Called with more than `maxEntries` (≥ 1) keys, all of them behind the kept iterator: it is never done here. */
  function evictOldest(): void {
    const key = (oldestFirst ??= entries.keys()).next().value as string;
    entries.delete(key);
    owners.delete(key);
  }

  /** The owner of `key`'s live pending claim, or undefined when there is none (absent, done or expired). */
  function pendingOwner(key: string): string | undefined {
    const packed = entries.get(key);
    if (packed === undefined || packed % 2 !== PENDING || Math.floor(packed / 2) <= clock()) return undefined;
    return owners.get(key);
  }

  return {
    get size() {
      return entries.size;
    },
    claim(key: string, owner: string = NO_OWNER): ClaimResult {
      const packed = entries.get(key);
      if (packed !== undefined) {
        if (Math.floor(packed / 2) > clock()) {
          if (packed % 2 === PENDING) return 'in_flight';
          remember(key, DONE);
          return 'duplicate';
        }
        entries.delete(key);
      }
      remember(key, PENDING);
      owners.set(key, owner);
      return 'claimed';
    },
    // Done whoever holds the key: the work happened, even if this claim expired and another took it.
    complete(key: string): void {
      owners.delete(key);
      remember(key, DONE);
    },
    // Only the claim's own owner forgets it: a stale attempt never frees a retry's claim.
    release(key: string, owner: string = NO_OWNER): void {
      if (pendingOwner(key) !== owner) return;
      entries.delete(key);
      owners.delete(key);
    },
  };
}

function positiveInteger(value: number, option: string): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new WebhookError('misconfigured', `memoryStore(): \`${option}\` must be a positive integer; got ${String(value)}.`);
  }
  return value;
}
