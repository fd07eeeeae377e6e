/**
 * Postgres dedupe store benchmark: deliveries/s through `receiver.receive()` and the latency each
 * delivery gains with `postgresStore` (a local PostgreSQL started here, fsync off) against
 * `memoryStore`, `redisStore` (a local redis-server) and no dedupe, on the same pre-signed
 * deliveries; beside them the floor: a store whose claim and complete are each one bare
 * `INSERT … ON CONFLICT` round trip (prepared) on a two-column table — the least any Postgres
 * dedupe can cost — and postgresStore's ratio to it.
 *
 *   npm run bench:postgres [-- --count 3000] [-- --concurrency 64]
 *
 * Sequential: one delivery at a time (claim + complete round trips each), median and p99.
 * Concurrent: `concurrency` deliveries in flight over a pool of 16 connections.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { createReceiver, memoryStore, providers, type DedupeStore } from '../src/index.js';
import { migrate, postgresStore } from '../src/postgres/index.js';
import { redisStore } from '../src/stores/redis.js';
import { signRequest } from '../src/testing/index.js';
import { startPostgres } from '../test/helpers/postgres-server.js';
import { startRedis } from '../test/helpers/redis-server.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} takes a positive integer`);
  return value;
}

const count = option('count', 3_000);
const concurrency = option('concurrency', 64);
const provider = providers.standardWebhooks({ secret: 'whsec_' + Buffer.from('bench-pg-store-secret-32bytes!!!').toString('base64') });
const payload = { type: 'invoice.paid', data: { id: 'in_1', amount: 500, currency: 'usd' } };

/** Distinct ids, so every delivery is a first claim (the expensive path); a fresh batch per pass. */
function deliveries(pass: string) {
  return Array.from({ length: count }, (_, i) => ({ method: 'POST', ...signRequest(provider, payload, { id: `msg_${pass}_${i}` }) }));
}

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
  // Warm-up: JIT, statements prepared on every pooled connection, connections hot.
  for (const input of deliveries(`${store}-warm`).slice(0, 500)) check((await receiver.receive(input)).status);

  const sequential = deliveries(`${store}-seq`);
  const latencies = new Float64Array(count);
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    check((await receiver.receive(sequential[i] as (typeof sequential)[0])).status);
    latencies[i] = performance.now() - t;
  }
  const sequentialMs = performance.now() - started;
  latencies.sort();

  const concurrent = deliveries(`${store}-con`);
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) check((await receiver.receive(concurrent[next++] as (typeof concurrent)[0])).status);
    }),
  );
  const concurrentMs = performance.now() - t;
  return {
    store,
    sequentialPerSec: (count / sequentialMs) * 1000,
    p50us: (latencies[Math.floor(count * 0.5)] as number) * 1000,
    p99us: (latencies[Math.floor(count * 0.99)] as number) * 1000,
    concurrentPerSec: (count / concurrentMs) * 1000,
  };
}

/** The floor: one prepared `INSERT … ON CONFLICT` per step, no owner, no expiry, no answer beyond "inserted or not". */
function floorStore(pool: pg.Pool): DedupeStore {
  return {
    async claim(key) {
      const { rowCount } = await pool.query({ name: 'floor_claim', text: 'INSERT INTO floor_dedupe (key, done) VALUES ($1, false) ON CONFLICT (key) DO NOTHING', values: [key] });
      return rowCount === 1 ? 'claimed' : 'in_flight';
    },
    async complete(key) {
      await pool.query({ name: 'floor_complete', text: 'INSERT INTO floor_dedupe (key, done) VALUES ($1, true) ON CONFLICT (key) DO UPDATE SET done = true', values: [key] });
    },
    async release() {},
  };
}

const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
const pool = new pg.Pool({ connectionString: postgres.url, max: 16 });
pool.on('error', () => {});
const client = new Redis(redis.port, '127.0.0.1', { enableOfflineQueue: false, lazyConnect: true });
await client.connect();
try {
  await migrate(pool);
  await pool.query('CREATE TABLE floor_dedupe (key text PRIMARY KEY, done boolean NOT NULL)');
  const store = postgresStore({ pool, cleanupIntervalSeconds: 0 });
  const rows = [
    await measure('none (dedupe: false)', false),
    await measure('memoryStore', memoryStore()),
    await measure('redisStore (local)', redisStore({ client })),
    await measure('floor: bare INSERT … ON CONFLICT ×2', floorStore(pool)),
    await measure('postgresStore (local)', store),
  ];
  const [, memory, , floor, ours] = rows as [Row, Row, Row, Row, Row];
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const version = (await pool.query('SHOW server_version')).rows[0].server_version;
  console.log(`\npostgresStore vs memoryStore and redisStore — ${fmt(count)} deliveries per pass, Standard Webhooks, PostgreSQL ${version} (fsync off) and redis-server on 127.0.0.1, Node ${process.version}\n`);
  const header = ['store', 'sequential /s', 'p50 µs', 'p99 µs', 'added p50 µs', `concurrent (${concurrency}) /s`];
  const lines = rows.map((r) => [r.store, fmt(r.sequentialPerSec), fmt(r.p50us), fmt(r.p99us), r === memory ? '—' : fmt(r.p50us - memory.p50us), fmt(r.concurrentPerSec)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  for (const line of [header, widths.map((w) => '-'.repeat(w)), ...lines]) {
    console.log(line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  '));
  }
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  console.log(`\npostgresStore ÷ floor: added p50 ${ratio(ours.p50us - memory.p50us, floor.p50us - memory.p50us)}×, sequential throughput ${ratio(floor.sequentialPerSec, ours.sequentialPerSec)}× slower, concurrent throughput ${ratio(floor.concurrentPerSec, ours.concurrentPerSec)}× slower.`);
  console.log('"added p50" is per delivery against memoryStore: the claim and complete round trips.');
} finally {
  client.disconnect();
  await pool.end();
  await Promise.all([postgres.destroy(), redis.stop()]);
}
