import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrate, postgresStore, schemaSql } from '../../src/postgres/index.js';
import { codeOf } from '../helpers/webhook-error.js';
import { startMigratedPostgres, type MigratedPostgres } from '../helpers/postgres-server.js';

let db: MigratedPostgres;
let pool: pg.Pool;

beforeAll(async () => {
  db = await startMigratedPostgres(20);
  ({ pool } = db);
}, 60_000);

afterAll(async () => {
  await db?.close();
});

beforeEach(async () => {
  await pool.query('TRUNCATE hookguard_dedupe');
});

const row = async (key: string) =>
  (await pool.query('SELECT state, owner, expires_at - now() < interval \'61 seconds\' AS short FROM hookguard_dedupe WHERE key = $1', [key])).rows[0];
const expire = (key: string) => pool.query("UPDATE hookguard_dedupe SET expires_at = now() - interval '1 second' WHERE key = $1", [key]);

describe('migrate() and the shipped SQL', () => {
  it('sql/hookguard.sql is exactly schemaSql() with the default names', () => {
    expect(readFileSync(new URL('../../sql/hookguard.sql', import.meta.url), 'utf8')).toBe(schemaSql());
  });

  it('migrate() is idempotent and safe to run concurrently (8 at once → no error, tables intact)', async () => {
    await Promise.all(Array.from({ length: 8 }, () => migrate(pool)));
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('hookguard_dedupe', 'hookguard_deliveries')");
    expect(rows[0].n).toBe(2);
  });

  it('migrate({ table }) creates a table in another schema; postgresStore({ table }) uses it', async () => {
    await pool.query('CREATE SCHEMA IF NOT EXISTS hooks');
    await migrate(pool, { table: 'hooks.dedupe', logTable: 'hooks.deliveries' });
    const store = postgresStore({ pool, table: 'hooks.dedupe', cleanupIntervalSeconds: 0 });
    expect(await store.claim('x', 'o')).toBe('claimed');
    expect((await pool.query('SELECT count(*)::int AS n FROM hooks.dedupe')).rows[0].n).toBe(1);
  });

  it('the store never creates its table: without migrate() a claim rejects (→ 503 store_unavailable in a receiver)', async () => {
    const store = postgresStore({ pool, table: 'not_migrated', cleanupIntervalSeconds: 0 });
    await expect(store.claim('x', 'o')).rejects.toThrow(/not_migrated/);
  });
});

describe('postgresStore(): claim / complete / release', () => {
  it('claim → "claimed" (pending, owner kept, in-flight expiry); again → "in_flight"; after complete → "duplicate"', async () => {
    const store = postgresStore({ pool, cleanupIntervalSeconds: 0 });
    expect(await store.claim('a', 'owner-1')).toBe('claimed');
    expect(await row('a')).toEqual({ state: 'pending', owner: 'owner-1', short: true });
    expect(await store.claim('a', 'owner-2')).toBe('in_flight');
    await store.complete('a', 'owner-1');
    expect(await row('a')).toEqual({ state: 'done', owner: null, short: false });
    expect(await store.claim('a', 'owner-3')).toBe('duplicate');
  });

  it('release by the owner → the retry is claimed again', async () => {
    const store = postgresStore({ pool, cleanupIntervalSeconds: 0 });
    await store.claim('a', 'owner-1');
    await store.release('a', 'owner-1');
    expect(await row('a')).toBeUndefined();
    expect(await store.claim('a', 'owner-2')).toBe('claimed');
  });

  it('release / complete by another owner do nothing (#13 item 7: an expired claim re-claimed is not undone by the first attempt)', async () => {
    const store = postgresStore({ pool, cleanupIntervalSeconds: 0 });
    await store.claim('a', 'first');
    await expire('a');
    expect(await store.claim('a', 'second')).toBe('claimed');
    await store.release('a', 'first');
    expect((await row('a')).owner).toBe('second');
    await store.complete('a', 'first');
    expect((await row('a')).state).toBe('pending');
    expect(await store.claim('a', 'third')).toBe('in_flight');
    await store.complete('a', 'second');
    expect(await store.claim('a', 'third')).toBe('duplicate');
  });

  it('release after complete does not forget a done id', async () => {
    const store = postgresStore({ pool, cleanupIntervalSeconds: 0 });
    await store.claim('a', 'o');
    await store.complete('a', 'o');
    await store.release('a', 'o');
    expect(await store.claim('a', 'p')).toBe('duplicate');
  });

  it('complete after the claim row was cleaned up still records done', async () => {
    const store = postgresStore({ pool, cleanupIntervalSeconds: 0 });
    await store.claim('a', 'o');
    await pool.query('DELETE FROM hookguard_dedupe');
    await store.complete('a', 'o');
    expect(await store.claim('a', 'p')).toBe('duplicate');
  });

  it('in-flight expiry: an expired pending claim (a crashed instance) is claimed by the next attempt', async () => {
    const store = postgresStore({ pool, cleanupIntervalSeconds: 0 });
    await store.claim('a', 'crashed');
    expect(await store.claim('a', 'retry')).toBe('in_flight');
    await expire('a');
    expect(await store.claim('a', 'retry')).toBe('claimed');
  });

  it('TTL: an expired done id is claimed again', async () => {
    const store = postgresStore({ pool, cleanupIntervalSeconds: 0 });
    await store.claim('a', 'o');
    await store.complete('a', 'o');
    await expire('a');
    expect(await store.claim('a', 'p')).toBe('claimed');
  });

  it('without owner tokens (a direct caller): claim / release / complete act on owner-less claims', async () => {
    const store = postgresStore({ pool, cleanupIntervalSeconds: 0 });
    expect(await store.claim('a')).toBe('claimed');
    expect(await store.claim('a')).toBe('in_flight');
    await store.release('a');
    expect(await store.claim('a')).toBe('claimed');
    await store.complete('a');
    expect(await store.claim('a')).toBe('duplicate');
  });

  it('namespaces keep two apps apart in one table', async () => {
    const one = postgresStore({ pool, namespace: 'app-one', cleanupIntervalSeconds: 0 });
    const two = postgresStore({ pool, namespace: 'app-two', cleanupIntervalSeconds: 0 });
    expect(await one.claim('a', 'o')).toBe('claimed');
    expect(await two.claim('a', 'o')).toBe('claimed');
  });

  it('ids of bounded cost: a 1 MB id is stored as a 44-character digest; "#…", NUL and lone-surrogate ids are stored too, each distinct', async () => {
    const store = postgresStore({ pool, cleanupIntervalSeconds: 0 });
    const long = 'x'.repeat(1_000_000);
    expect(await store.claim(long, 'o')).toBe('claimed');
    expect(await store.claim(long, 'p')).toBe('in_flight');
    expect(await store.claim(long + 'y', 'o')).toBe('claimed');
    const odd = ['#abc', 'a\0b', 'a\uD800b', 'a\uDC00b', '\uD800', '\uDC00'];
    for (const id of odd) expect(await store.claim(id, 'o'), JSON.stringify(id)).toBe('claimed');
    const { rows } = await pool.query('SELECT max(length(key))::int AS longest, count(*)::int AS n FROM hookguard_dedupe');
    expect(rows[0]).toEqual({ longest: 44, n: 2 + odd.length });
  });

  it('200 concurrent claims of one id over 20 connections → exactly one "claimed"', async () => {
    const store = postgresStore({ pool, cleanupIntervalSeconds: 0 });
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => Promise.resolve(store.claim(`race-${round}`, `owner-${i}`))));
      expect(answers.filter((answer) => answer === 'claimed')).toHaveLength(1);
      expect(answers.filter((answer) => answer === 'in_flight')).toHaveLength(199);
    }
  });
});

describe('postgresStore(): clean-up', () => {
  it('cleanup() deletes expired rows in batches and keeps live ones', async () => {
    await pool.query(`INSERT INTO hookguard_dedupe SELECT 'hookguard', 'old-' || i, 'done', NULL, now() - interval '1 hour' FROM generate_series(1, 2500) i`);
    const store = postgresStore({ pool, cleanupIntervalSeconds: 0 });
    await store.claim('live', 'o');
    expect(await store.cleanup()).toBe(2500);
    expect((await pool.query('SELECT key FROM hookguard_dedupe')).rows).toEqual([{ key: 'live' }]);
  });

  it('cleanup() skips a row another transaction holds instead of waiting on it; claims of other ids go on meanwhile', async () => {
    await pool.query(`INSERT INTO hookguard_dedupe VALUES ('hookguard', 'held', 'done', NULL, now() - interval '1 hour'), ('hookguard', 'free', 'done', NULL, now() - interval '1 hour')`);
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query("SELECT 1 FROM hookguard_dedupe WHERE key = 'held' FOR UPDATE");
      const store = postgresStore({ pool, cleanupIntervalSeconds: 0 });
      const started = Date.now();
      expect(await store.cleanup()).toBe(1);
      expect(await store.claim('other', 'o')).toBe('claimed');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
  });

  it('the background clean-up runs on its interval, and close() stops it', async () => {
    await pool.query(`INSERT INTO hookguard_dedupe VALUES ('hookguard', 'stale', 'done', NULL, now() - interval '1 hour')`);
    const store = postgresStore({ pool, cleanupIntervalSeconds: 0.05 });
    const deadline = Date.now() + 5000;
    while ((await pool.query('SELECT 1 FROM hookguard_dedupe')).rowCount !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    store.close();
    expect((await pool.query('SELECT 1 FROM hookguard_dedupe')).rowCount).toBe(0);
    await pool.query(`INSERT INTO hookguard_dedupe VALUES ('hookguard', 'stale', 'done', NULL, now() - interval '1 hour')`);
    await new Promise((r) => setTimeout(r, 200));
    expect((await pool.query('SELECT 1 FROM hookguard_dedupe')).rowCount).toBe(1);
  });
});

describe('postgresStore(): bad options → misconfigured (500)', () => {
  const pool = { query: async () => ({ rows: [], rowCount: 0 }) };
  it.each([
    ['no options', undefined],
    ['no pool', {}],
    ['a pool without query()', { pool: {} }],
    ['a table name with a quote', { pool, table: 'x"; DROP TABLE y; --' }],
    ['an empty namespace', { pool, namespace: '' }],
    ['ttlSeconds 0', { pool, ttlSeconds: 0 }],
    ['inFlightSeconds NaN', { pool, inFlightSeconds: Number.NaN }],
    ['cleanupIntervalSeconds -1', { pool, cleanupIntervalSeconds: -1 }],
  ])('%s', (_label, options) => {
    expect(codeOf(() => postgresStore(options as never))).toEqual([500, 'misconfigured']);
  });

  it('migrate() without a pool → misconfigured (500)', async () => {
    await expect(migrate(undefined)).rejects.toMatchObject({ code: 'misconfigured', status: 500 });
  });
});
