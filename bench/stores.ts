/**
 * Dedupe store benchmark: deliveries/s through `receiver.receive()` and the latency each delivery
 * gains with `redisStore` (a local redis-server) and `postgresStore` (a local PostgreSQL, fsync
 * off), against `memoryStore` and no dedupe, on pre-signed deliveries with distinct ids (every
 * delivery a first claim). Beside postgresStore its floor: a store whose claim and complete are
 * each one prepared `INSERT … ON CONFLICT` on a two-column table, the least any Postgres dedupe costs.
 *
 *   npm run bench:redis      [-- --count 10000] [-- --concurrency 64]   # no PostgreSQL
 *   npm run bench:postgres   [-- --count 3000]
 *
 * Sequential: one delivery at a time (claim + complete round trips each), median and p99.
 * Concurrent: `concurrency` deliveries in flight (ioredis pipelines; pg pools 16 connections).
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { createReceiver, memoryStore, providers, type DedupeStore } from '../src/index.js';
import { migrate, postgresStore } from '../src/postgres/index.js';
import { redisStore } from '../src/stores/redis.js';
import { signRequest } from '../src/testing/index.js';
import { startPostgres } from '../test/helpers/postgres-server.js';
import { startRedis } from '../test/helpers/redis-server.js';
import { flag, option, table } from './lib/harness.js';

const withPostgres = !flag('redis-only');
const count = Number(option('count', withPostgres ? '3000' : '10000'));
const concurrency = Number(option('concurrency', '64'));
const provider = providers.standardWebhooks({ secret: 'whsec_' + Buffer.from('bench-dedupe-store-secret-32byte').toString('base64') });
const payload = { type: 'invoice.paid', data: { id: 'in_1', amount: 500, currency: 'usd' } };
const deliveries = (pass: string) => Array.from({ length: count }, (_, i) => ({ method: 'POST', ...signRequest(provider, payload, { id: `msg_${pass}_${i}` }) }));

interface Row {
  store: string;
  sequentialPerSec: number;
  p50us: number;
  p99us: number;
  concurrentPerSec: number;
}

async function measure(store: string, dedupe: DedupeStore | false): Promise<Row> {
  const receiver = createReceiver({ provider, dedupe });
  receiver.on('invoice.paid', () => {});
  const check = (status: number) => {
    if (status !== 200) throw new Error(`${store}: a delivery answered ${status}`);
  };
  // Warm-up: JIT, scripts loaded and statements prepared, connections hot.
  for (const input of deliveries(`${store}-warm`).slice(0, 500)) check((await receiver.receive(input)).status);
  const sequential = deliveries(`${store}-seq`);
  const latencies = new Float64Array(count);
  const started = performance.now();
  for (const [i, input] of sequential.entries()) {
    const t = performance.now();
    check((await receiver.receive(input)).status);
    latencies[i] = performance.now() - t;
  }
  const sequentialMs = performance.now() - started;
  latencies.sort();
  const concurrent = deliveries(`${store}-con`);
  let next = 0;
  const t = performance.now();
  const worker = async () => {
    while (next < count) check((await receiver.receive(concurrent[next++] as (typeof concurrent)[0])).status);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const at = (q: number) => (latencies[Math.floor(count * q)] as number) * 1000;
  return { store, sequentialPerSec: (count / sequentialMs) * 1000, p50us: at(0.5), p99us: at(0.99), concurrentPerSec: (count / (performance.now() - t)) * 1000 };
}

/** The floor: one prepared `INSERT … ON CONFLICT` per step, no owner, no expiry. */
function floorStore(pool: pg.Pool): DedupeStore {
  const insert = async (name: string, text: string, key: string) => (await pool.query({ name, text, values: [key] })).rowCount;
  return {
    claim: async (key) => ((await insert('floor_claim', 'INSERT INTO floor_dedupe (key, done) VALUES ($1, false) ON CONFLICT (key) DO NOTHING', key)) === 1 ? 'claimed' : 'in_flight'),
    complete: async (key) => void (await insert('floor_complete', 'INSERT INTO floor_dedupe (key, done) VALUES ($1, true) ON CONFLICT (key) DO UPDATE SET done = true', key)),
    release: async () => {},
  };
}

const [redis, postgres] = await Promise.all([startRedis(), withPostgres ? startPostgres() : undefined]);
const client = new Redis(redis.port, '127.0.0.1', { enableOfflineQueue: false, lazyConnect: true });
const pool = postgres && new pg.Pool({ connectionString: postgres.url, max: 16 });
pool?.on('error', () => {});
await client.connect();
try {
  const rows = [await measure('none (dedupe: false)', false), await measure('memoryStore', memoryStore()), await measure('redisStore (local)', redisStore({ client }))];
  if (pool) {
    await migrate(pool);
    await pool.query('CREATE TABLE floor_dedupe (key text PRIMARY KEY, done boolean NOT NULL)');
    rows.push(await measure('floor: bare INSERT … ON CONFLICT ×2', floorStore(pool)), await measure('postgresStore (local)', postgresStore({ pool, cleanupIntervalSeconds: 0 })));
  }
  const memory = rows[1] as Row;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const servers = `redis-server ${(await client.info('server')).match(/redis_version:(\S+)/)?.[1]}${pool ? `, PostgreSQL ${(await pool.query('SHOW server_version')).rows[0].server_version} (fsync off)` : ''}`;
  console.log(`\n${fmt(count)} deliveries per pass, Standard Webhooks, ${servers} on 127.0.0.1, Node ${process.version}\n`);
  const header = ['store', 'sequential /s', 'p50 µs', 'p99 µs', 'added p50 µs (vs memoryStore)', `concurrent (${concurrency}) /s`];
  console.log(table(header, rows.map((r) => [r.store, fmt(r.sequentialPerSec), fmt(r.p50us), fmt(r.p99us), r === memory ? '—' : fmt(r.p50us - memory.p50us), fmt(r.concurrentPerSec)])));
  if (pool) {
    const [floor, ours] = rows.slice(3) as [Row, Row];
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.log(`\npostgresStore ÷ floor: added p50 ${ratio(ours.p50us - memory.p50us, floor.p50us - memory.p50us)}×, throughput ${ratio(floor.sequentialPerSec, ours.sequentialPerSec)}× slower sequential, ${ratio(floor.concurrentPerSec, ours.concurrentPerSec)}× concurrent.`);
  }
} finally {
  client.disconnect();
  await pool?.end();
  await Promise.all([redis.stop(), postgres?.destroy()]);
}
