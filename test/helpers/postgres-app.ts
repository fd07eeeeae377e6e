/**
 * A receiver process for the Postgres integration tests, started with `node --import tsx`.
 * ROLE=store   Express + postgresStore: handle-then-ack. GET /handled → { id: runs } of this process.
 * ROLE=ingress Express + queueReceiver (pg-boss): verify, enqueue, 202.
 * ROLE=worker  createWorker (pg-boss): runs the handlers from the queue.
 * Prints `READY <port>` (or `READY worker`) once it can take work.
 *
 * store: a payload with `failFirst` throws on its first attempt (attempts counted in Postgres).
 * worker: one atomic statement per run: the effect row (once per id) and a run count per id.
 */
import express from 'express';
import PgBoss from 'pg-boss';
import pg from 'pg';
import type { AddressInfo } from 'node:net';
import { createReceiver, providers } from '../../src/index.js';
import { expressMiddleware } from '../../src/adapters/express.js';
import { createWorker, postgresStore, queueReceiver } from '../../src/postgres/index.js';

const env = process.env;
const url = env.DATABASE_URL as string;
const role = env.ROLE ?? 'store';
const delayMs = Number(env.DELAY_MS ?? 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// What the README recommends: a dead Postgres fails queries within a bound (503) instead of hanging.
const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000, query_timeout: 5000 });
pool.on('error', () => {}); // an idle connection dropped; the next query reconnects

const provider = providers.standardWebhooks({ secret: env.SECRET as string });
const receiver = createReceiver({ provider, dedupe: postgresStore({ pool }) });
const seen = new Map<string, number>();

if (role === 'worker') {
  const boss = new PgBoss({ connectionString: url, max: 5, supervise: true, maintenanceIntervalSeconds: 1, schedule: false, migrate: false });
  boss.on('error', () => {});
  await boss.start();
  receiver.onAny(async ({ id }) => {
    if (delayMs > 0) await sleep(delayMs);
    // Atomic, as a real side effect must be: a kill never leaves half of it.
    await pool.query(
      `WITH effect AS (INSERT INTO effects (id) VALUES ($1) ON CONFLICT DO NOTHING)
       INSERT INTO runs (id, n) VALUES ($1, 1) ON CONFLICT (id) DO UPDATE SET n = runs.n + 1`,
      [id],
    );
  });
  createWorker(receiver, { boss, queueName: env.QUEUE as string, concurrency: Number(env.CONCURRENCY ?? 10), pollingIntervalSeconds: 0.5 });
  console.log('READY worker');
} else {
  receiver.onAny(async ({ id, payload }) => {
    const key = id as string;
    if ((payload as { failFirst?: boolean }).failFirst) {
      const { rows } = await pool.query('INSERT INTO attempts (id, n) VALUES ($1, 1) ON CONFLICT (id) DO UPDATE SET n = attempts.n + 1 RETURNING n', [key]);
      if (rows[0].n === 1) throw new Error('first attempt fails');
    }
    if (delayMs > 0) await sleep(delayMs);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  });

  const app = express();
  app.get('/handled', (_req, res) => void res.json(Object.fromEntries(seen)));
  if (role === 'ingress') {
    const boss = new PgBoss({ connectionString: url, max: 10, supervise: false, schedule: false, migrate: false });
    boss.on('error', () => {});
    await boss.start();
    app.post('/webhooks', expressMiddleware(queueReceiver(receiver, { boss, queueName: env.QUEUE as string, expireInSeconds: 3 })));
  } else {
    app.post('/webhooks', expressMiddleware(receiver));
  }
  const server = app.listen(0, '127.0.0.1', () => {
    console.log(`READY ${(server.address() as AddressInfo).port}`);
  });
}
