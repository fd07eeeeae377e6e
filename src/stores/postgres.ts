import { createHash } from 'node:crypto';
import { WebhookError } from '../core/errors.js';
import { queryableOf, seconds, tableName, type Queryable } from '../postgres/queryable.js';
import { storedKey } from './postgres-key.js';
import type { ClaimResult, DedupeStore } from './types.js';

export interface PostgresStoreOptions {
  /**
   * A `pg` Pool (or any pg-compatible pool), shared with the rest of your app. Its options decide
   * how fast a dead Postgres answers 503 (`connectionTimeoutMillis`, `query_timeout`) — see the README.
   * Give it an `error` listener: pg emits one when an idle connection drops.
   */
  pool: Queryable;
  /** The table `migrate()` created. Default `'hookguard_dedupe'`. */
  table?: string;
  /** Keeps one app's ids apart from another's in a shared table. Default `'hookguard'`. */
  namespace?: string;
  /** How long a handled id is remembered. Default 3 days, like `memoryStore` (Stripe retries for 3 days). */
  ttlSeconds?: number;
  /**
   * How long a claim lasts while its handler runs. Default 60. If the instance holding it
   * crashes, the sender's retry is handled once this has passed (until then it answers 409
   * `in_flight`). Keep it above your slowest handler.
   */
  inFlightSeconds?: number;
  /**
   * How often this process deletes expired rows, in the background (batches of 1,000 that skip
   * rows a claim holds, so deliveries never wait on it). Default 300; 0 turns it off — then call
   * `cleanup()` yourself (a cron job, a scheduled function). Claims overwrite expired rows anyway.
   */
  cleanupIntervalSeconds?: number;
}

export interface PostgresStore extends DedupeStore {
  /** Deletes expired rows now, in batches; resolves with how many were deleted. */
  cleanup(): Promise<number>;
  /** Stops the background clean-up timer. The pool is yours: this does not end it. */
  close(): void;
}

const CALLER = 'postgresStore()';
const CLEANUP_BATCH = 1000;

/**
 * A dedupe store on the Postgres you already run: of concurrent claims for one delivery id,
 * across processes and machines, exactly one is `claimed`. Each step is one statement (an
 * `INSERT … ON CONFLICT` row lock decides the winner). `complete` and `release` act only on the
 * caller's own claim. A Postgres error propagates, and the receiver answers 503
 * `store_unavailable`: fail closed. Run `migrate(pool)` once first; this never creates tables.
 *
 * @example
 * import pg from 'pg';
 * import { postgresStore } from 'hookguard/postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 2000, query_timeout: 2000 });
 * pool.on('error', () => {}); // an idle connection dropped; the next query reconnects
 * const receiver = createReceiver({ provider, dedupe: postgresStore({ pool }) });
 */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  if (typeof options !== 'object' || options === null) {
    throw new WebhookError('misconfigured', `${CALLER}: pass an options object, e.g. postgresStore({ pool: new pg.Pool({ connectionString }) }).`);
  }
  const db = queryableOf(options.pool, CALLER);
  const table = tableName(options.table ?? 'hookguard_dedupe', 'table', CALLER);
  const namespace = options.namespace ?? 'hookguard';
  if (typeof namespace !== 'string' || namespace.length === 0 || namespace.length > 100) {
    throw new WebhookError('misconfigured', `${CALLER}: \`namespace\` must be a string of 1 to 100 characters; got ${JSON.stringify(namespace)}.`);
  }
  const ttl = seconds(options.ttlSeconds ?? 259_200, 'ttlSeconds', CALLER);
  const inFlight = seconds(options.inFlightSeconds ?? 60, 'inFlightSeconds', CALLER);
  const interval = seconds(options.cleanupIntervalSeconds ?? 300, 'cleanupIntervalSeconds', CALLER, true);

  // `now()` is fixed for the statement, so `expires_at = now() + …` is true only of a row this statement wrote.
  const claim = statement(`INSERT INTO ${table} AS d (namespace, key, state, owner, expires_at)
VALUES ($1, $2, 'pending', $3, now() + $4 * interval '1 second')
ON CONFLICT (namespace, key) DO UPDATE SET
  state = CASE WHEN d.expires_at <= now() THEN 'pending' ELSE d.state END,
  owner = CASE WHEN d.expires_at <= now() THEN EXCLUDED.owner ELSE d.owner END,
  expires_at = CASE WHEN d.expires_at <= now() THEN EXCLUDED.expires_at ELSE d.expires_at END
RETURNING state, (owner IS NOT DISTINCT FROM $3 AND expires_at = now() + $4 * interval '1 second') AS mine`);
  // Done only over the caller's own pending claim, or where no row is left (an expired claim cleaned up).
  const complete = statement(`INSERT INTO ${table} AS d (namespace, key, state, owner, expires_at)
VALUES ($1, $2, 'done', NULL, now() + $4 * interval '1 second')
ON CONFLICT (namespace, key) DO UPDATE SET state = 'done', owner = NULL, expires_at = EXCLUDED.expires_at
WHERE d.state = 'pending' AND d.owner IS NOT DISTINCT FROM $3`);
  const release = statement(`DELETE FROM ${table} WHERE namespace = $1 AND key = $2 AND state = 'pending' AND owner IS NOT DISTINCT FROM $3`);
  const sweep = statement(`DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
  SELECT ctid FROM ${table} WHERE expires_at < now() LIMIT ${CLEANUP_BATCH} FOR UPDATE SKIP LOCKED))`);

  async function cleanup(): Promise<number> {
    let deleted = 0;
    for (;;) {
      const { rowCount } = await db.query(sweep([]));
      deleted += rowCount ?? 0;
      if ((rowCount ?? 0) < CLEANUP_BATCH) return deleted;
    }
  }

  let timer: NodeJS.Timeout | undefined;
  if (interval > 0) {
    // Spread over the interval, so many instances started together do not sweep together.
    const every = interval * 1000;
    timer = setTimeout(function tick() {
      cleanup().catch(() => {}); // Postgres down: the next tick tries again, and deliveries answer 503 meanwhile
      timer = setTimeout(tick, every);
      timer.unref();
    }, every * (0.5 + Math.random() / 2));
    timer.unref();
  }

  const owned = (owner: string | undefined) => (owner === undefined ? null : storedKey(owner));

  return {
    async claim(key: string, owner?: string): Promise<ClaimResult> {
      const { rows } = await db.query(claim([namespace, storedKey(key), owned(owner), inFlight]));
      const row = rows[0] as { state?: unknown; mine?: unknown } | undefined;
      if (row?.state === 'done') return 'duplicate';
      if (row?.state === 'pending') return row.mine === true ? 'claimed' : 'in_flight';
      throw new Error(`${CALLER}: unexpected claim reply ${JSON.stringify(row)}.`);
    },
    async complete(key: string, owner?: string): Promise<void> {
      await db.query(complete([namespace, storedKey(key), owned(owner), ttl]));
    },
    async release(key: string, owner?: string): Promise<void> {
      await db.query(release([namespace, storedKey(key), owned(owner)]));
    },
    cleanup,
    close() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** A named (prepared once per connection) statement; the name follows the text, so two tables never share one. */
function statement(text: string): (values: unknown[]) => { name: string; text: string; values: unknown[] } {
  const name = 'hookguard_' + createHash('sha1').update(text).digest('hex').slice(0, 16);
  return (values) => ({ name, text, values });
}
