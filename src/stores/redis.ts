import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { WebhookError } from '../core/errors.js';
import type { ClaimResult, DedupeStore } from './types.js';

export interface RedisStoreOptions {
  /**
   * An ioredis client (`new Redis(…)` or `new Cluster(…)`), shared with the rest of your app.
   * Nothing is configured on it; its options decide how fast a dead Redis answers 503 — see the README.
   */
  client: Redis | Cluster;
  /**
   * Prepended to every key the receiver gives (`<namespace>:<id>`, see the receiver's `namespace`).
   * Default `'hookguard:dedupe:'`.
   */
  prefix?: string;
  /** How long a handled id is remembered. Default 3 days, like `memoryStore` (Stripe retries for 3 days). */
  ttlSeconds?: number;
  /**
   * How long a claim lasts while its handler runs. Default 60. If the instance holding it
   * crashes, the sender's retry is handled once this has passed (until then it answers 409
   * `in_flight`, which senders retry). Keep it above your slowest handler: a claim that expires
   * mid-handler lets a retry run the same delivery concurrently.
   */
  inFlightSeconds?: number;
}

// A pending claim holds `pending:<owner>`. SET NX then GET inside one script: nothing can expire
// or change the key between the two.
const CLAIM = `if redis.call('SET', KEYS[1], 'pending:' .. ARGV[2], 'NX', 'PX', ARGV[1]) then return 'claimed' end
if redis.call('GET', KEYS[1]) == 'done' then return 'duplicate' end
return 'in_flight'`;
// Only this owner's own pending claim is forgotten: not one a retry made after it expired, nor an id already done.
const RELEASE = `if redis.call('GET', KEYS[1]) == 'pending:' .. ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * A dedupe store shared by every instance that talks to the same Redis: of concurrent claims
 * for one delivery id, across processes and machines, exactly one is `claimed`. Each call is a
 * single atomic command or Lua script on one key (works on Redis Cluster too). A Redis error
 * propagates, and the receiver answers 503 `store_unavailable`: fail closed.
 *
 * @example
 * import Redis from 'ioredis';
 * import { redisStore } from 'hookguard/redis';
 *
 * const client = new Redis(process.env.REDIS_URL!, { enableOfflineQueue: false, commandTimeout: 1000 });
 * const receiver = createReceiver({ provider, dedupe: redisStore({ client }) });
 */
export function redisStore(options: RedisStoreOptions): DedupeStore {
  if (typeof options !== 'object' || options === null) {
    throw new WebhookError('misconfigured', 'redisStore(): pass an options object, e.g. redisStore({ client: new Redis(url) }).');
  }
  const { client } = options;
  if (typeof client !== 'object' || client === null || typeof client.evalsha !== 'function' || typeof client.eval !== 'function') {
    throw new WebhookError('misconfigured', 'redisStore(): `client` must be an ioredis client, e.g. new Redis(process.env.REDIS_URL).');
  }
  const prefix = options.prefix ?? 'hookguard:dedupe:';
  if (typeof prefix !== 'string') {
    throw new WebhookError('misconfigured', `redisStore(): \`prefix\` must be a string; got ${typeof prefix}.`);
  }
  const ttlMs = milliseconds(options.ttlSeconds ?? 259_200, 'ttlSeconds');
  const inFlightMs = milliseconds(options.inFlightSeconds ?? 60, 'inFlightSeconds');
  const claim = script(client, CLAIM);
  const release = script(client, RELEASE);

  return {
    async claim(key: string, owner = ''): Promise<ClaimResult> {
      const answer = await claim(prefix + key, inFlightMs, owner);
      if (answer === 'claimed' || answer === 'in_flight' || answer === 'duplicate') return answer;
      throw new Error(`redisStore(): unexpected claim reply ${JSON.stringify(answer)}.`);
    },
    async complete(key: string): Promise<void> {
      // Done whoever holds the key: the work has happened, even if this claim outlived inFlightSeconds.
      await client.set(prefix + key, 'done', 'PX', ttlMs);
    },
    async release(key: string, owner = ''): Promise<void> {
      await release(prefix + key, owner);
    },
  };
}

/** Runs a one-key script by its SHA1, loading it with EVAL when Redis does not know it (NOSCRIPT). */
function script(client: Redis | Cluster, source: string): (key: string, ...args: (number | string)[]) => Promise<unknown> {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (key, ...args) => {
    try {
      return await client.evalsha(sha, 1, key, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(source, 1, key, ...args);
    }
  };
}

function milliseconds(seconds: number, option: string): number {
  const ms = Math.round(seconds * 1000);
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || ms < 1) {
    throw new WebhookError('misconfigured', `redisStore(): \`${option}\` must be a finite number of seconds ≥ 0.001; got ${String(seconds)}.`);
  }
  return ms;
}
