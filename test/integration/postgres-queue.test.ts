import { fileURLToPath } from 'node:url';
import PgBoss from 'pg-boss';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createReceiver, providers, type WebhookError } from '../../src/index.js';
import { bossJobIdFor, createWorker, queueReceiver, type BossDeliveryJob, type QueueReceiverOptions } from '../../src/postgres/index.js';
import { signRequest } from '../../src/testing/index.js';
import { startApp, type AppProcess } from '../helpers/app-process.js';

const POSTGRES_APP = fileURLToPath(new URL('../helpers/postgres-app.ts', import.meta.url));
const startPostgresApp = (env: Record<string, string>): Promise<AppProcess> => startApp(env, POSTGRES_APP);
import { startPostgres, type PostgresServer } from '../helpers/postgres-server.js';

const SECRET = 'whsec_' + Buffer.from('pg-boss-mode-secret-pg-boss-mode').toString('base64');
const provider = providers.standardWebhooks({ secret: SECRET });

let server: PostgresServer;
let pool: pg.Pool;
let boss: PgBoss;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  server = await startPostgres();
  pool = new pg.Pool({ connectionString: server.url, max: 4 });
  pool.on('error', () => {});
  boss = new PgBoss({ connectionString: server.url, max: 5, schedule: false, supervise: true, maintenanceIntervalSeconds: 1 });
  boss.on('error', () => {});
  await boss.start(); // installs pg-boss's schema
}, 60_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await boss?.stop({ graceful: false, wait: true });
  await pool?.end();
  await server?.destroy();
});

let queues = 0;
async function newQueue(): Promise<string> {
  const name = `q${++queues}`;
  await boss.createQueue(name);
  return name;
}

const job = (name: string, id: string) => boss.getJobById<BossDeliveryJob>(name, bossJobIdFor(provider.name, id));
const orderSchema = z.object({ type: z.literal('order.created'), data: z.object({ amount: z.coerce.number() }) });

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('queueReceiver() on pg-boss: verify → parse → validate → send → 202', () => {
  it('a valid delivery → 202 {"ok":true,"queued":true}; the job holds the verified bytes and headers, its id derived from the delivery id', async () => {
    const name = await newQueue();
    const receiver = createReceiver({ provider, events: { 'order.created': orderSchema } });
    receiver.on('order.created', () => {});
    const signed = signRequest(provider, { type: 'order.created', data: { amount: '12' } }, { id: 'msg_job_1' });
    const result = await queueReceiver(receiver, { boss, queueName: name }).receive({ method: 'POST', headers: { ...signed.headers, 'X-Extra': 'Yes' }, body: signed.body });
    expect(result.status).toBe(202);
    expect(JSON.parse(result.body)).toEqual({ ok: true, queued: true });

    const stored = await job(name, 'msg_job_1');
    expect(stored).toMatchObject({ state: 'created', retryLimit: 9, retryDelay: 1, retryBackoff: true });
    expect(stored?.data).toMatchObject({ v: 1, provider: provider.name, id: 'msg_job_1', type: 'order.created', timestamp: Number(signed.headers['webhook-timestamp']) });
    expect(stored?.data.headers['x-extra']).toBe('Yes');
    expect(Buffer.from(stored!.data.rawBody, 'base64').toString()).toBe(signed.body);
  });

  it('refusals answer as without a queue and send nothing: 401 forged, 422 schema, 405 GET', async () => {
    const name = await newQueue();
    const receiver = createReceiver({ provider, events: { 'order.created': orderSchema } });
    receiver.on('order.created', () => {});
    const queued = queueReceiver(receiver, { boss, queueName: name });
    const forged = signRequest(providers.standardWebhooks({ secret: 'whsec_' + Buffer.from('not-the-secret-not-the-secret!!!').toString('base64') }), { type: 'order.created', data: { amount: 1 } });
    const bad = signRequest(provider, { type: 'order.created', data: { amount: 'lots' } });
    const answers = await Promise.all([
      queued.receive({ method: 'POST', ...forged }),
      queued.receive({ method: 'POST', ...bad }),
      queued.receive({ method: 'GET', headers: {}, body: '' }),
    ]);
    expect(answers.map((a) => [a.status, JSON.parse(a.body).error.code])).toEqual([[401, 'signature_mismatch'], [422, 'schema_mismatch'], [405, 'method_not_allowed']]);
    expect(await boss.getQueueSize(name)).toBe(0);
  });

  it('the same delivery sent 5 times at once, then again → 202 each, one job; ids that look like pg-boss keys or UUIDs are still one job each', async () => {
    const name = await newQueue();
    const queued = queueReceiver(createReceiver({ provider }).onAny(() => {}), { boss, queueName: name });
    const signed = signRequest(provider, { type: 'a.b' }, { id: 'msg_same' });
    const answers = await Promise.all(Array.from({ length: 5 }, () => queued.receive({ method: 'POST', ...signed })));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    expect((await queued.receive({ method: 'POST', ...signed })).status).toBe(202);
    const odd = ['12345', 'a:b', bossJobIdFor(provider.name, 'msg_same'), '00000000-0000-0000-0000-000000000000', '__pgboss__send-it'];
    for (const id of [...odd, ...odd]) expect((await queued.receive({ method: 'POST', ...signRequest(provider, { type: 't' }, { id }) })).status).toBe(202);
    expect(await boss.getQueueSize(name)).toBe(1 + odd.length);
  });

  it('Postgres that cannot be reached → 503 store_unavailable within enqueueTimeoutMs', async () => {
    const dead = new PgBoss({ connectionString: 'postgres://postgres@127.0.0.1:1/postgres', connectionTimeoutMillis: 200 } as never);
    dead.on('error', () => {});
    const receiver = createReceiver({ provider }).onAny(() => {});
    const codes: string[] = [];
    receiver.onError((error) => void codes.push(error.code));
    const started = Date.now();
    const result = await queueReceiver(receiver, { boss: dead, queueName: 'never', enqueueTimeoutMs: 300 }).receive({ method: 'POST', ...signRequest(provider, { type: 't' }) });
    expect(result.status).toBe(503);
    expect(JSON.parse(result.body).error.code).toBe('store_unavailable');
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(codes).toEqual(['store_unavailable']);
  });

  it.each<[string, Partial<QueueReceiverOptions>]>([
    ['attempts', { attempts: 0 }],
    ['attempts', { attempts: 1.5 }],
    ['expireInSeconds', { expireInSeconds: 0.5 }],
    ['enqueueTimeoutMs', { enqueueTimeoutMs: 0 }],
    ['backoff', { backoff: -5 }],
    ['backoff', { backoff: { delay: 5 } as never }],
    ['queueName', { queueName: 'has space' }],
  ])('bad option %s → misconfigured (500)', (option, options) => {
    const receiver = createReceiver({ provider });
    expect(() => queueReceiver(receiver, { boss, queueName: 'q', ...options })).toThrow(expect.objectContaining({ code: 'misconfigured', status: 500, message: expect.stringContaining(`\`${option}\``) }));
  });

  it('a secret put where a queue name or a number belongs is never echoed in the misconfigured message', () => {
    const receiver = createReceiver({ provider });
    const secret = 'whsec_c2VjcmV0LXRoYXQtbXVzdC1ub3QtbGVhaw==';
    for (const options of [{ queueName: secret }, { queueName: 'q', attempts: secret as never }]) {
      let message = '';
      try {
        queueReceiver(receiver, { boss, ...options });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^queueReceiver\(\): `(queueName|attempts)` must/);
      expect(message).not.toContain('c2VjcmV0');
    }
  });

  it('no boss, or a receiver not made by createReceiver → misconfigured (500); createWorker likewise', () => {
    const receiver = createReceiver({ provider });
    expect(() => queueReceiver(receiver, { queueName: 'q' } as QueueReceiverOptions)).toThrow(expect.objectContaining({ code: 'misconfigured', status: 500 }));
    expect(() => queueReceiver({ ...receiver }, { boss, queueName: 'q' })).toThrow(expect.objectContaining({ code: 'misconfigured', status: 500 }));
    expect(() => createWorker(receiver, { queueName: 'q' } as never)).toThrow(expect.objectContaining({ code: 'misconfigured', status: 500 }));
    expect(() => createWorker(receiver, { boss, queueName: 'q', concurrency: 0 })).toThrow(expect.objectContaining({ code: 'misconfigured', status: 500 }));
    expect(() => createWorker(receiver, { boss, queueName: 'q', pollingIntervalSeconds: 0.1 })).toThrow(expect.objectContaining({ code: 'misconfigured', status: 500 }));
  });
});

describe('createWorker() on pg-boss: the receiver’s own handlers, from the queue, with retries', () => {
  it('runs the typed handler with the schema output, the id, type, headers and raw bytes; the job keeps the answer as output', async () => {
    const name = await newQueue();
    const receiver = createReceiver({ provider, events: { 'order.created': orderSchema } });
    const seen: unknown[] = [];
    receiver.on('order.created', (delivery) => {
      seen.push({ ...delivery, rawBody: Buffer.from(delivery.rawBody).toString() });
    });
    const queued = queueReceiver(receiver, { boss, queueName: name });
    const signed = signRequest(provider, { type: 'order.created', data: { amount: '41' } }, { id: 'msg_typed' });
    expect((await queued.receive({ method: 'POST', ...signed })).status).toBe(202);

    const worker = createWorker(queued, { boss, queueName: name, pollingIntervalSeconds: 0.5 });
    closers.push(() => worker.close());
    const done = await until(() => job(name, 'msg_typed'), (j) => j?.state === 'completed');
    expect(done?.output).toEqual({ status: 200, body: '{"ok":true}' });
    expect(seen).toEqual([
      expect.objectContaining({
        id: 'msg_typed',
        type: 'order.created',
        payload: { type: 'order.created', data: { amount: 41 } }, // z.coerce ran in the worker
        timestamp: Number(signed.headers['webhook-timestamp']),
        provider: provider.name,
        rawBody: signed.body,
        headers: expect.objectContaining({ 'webhook-id': 'msg_typed' }),
      }),
    ]);
  });

  it('a handler that fails twice then succeeds → retried, completed; onError saw 2 handler_failed. One that always fails → failed after `attempts`, then boss.retry() runs it again', async () => {
    const name = await newQueue();
    const receiver = createReceiver({ provider });
    const runs = new Map<string, number>();
    let healed = false;
    const errors: WebhookError[] = [];
    receiver.onError((error) => void errors.push(error));
    receiver.onAny(({ id }) => {
      const n = (runs.get(id as string) ?? 0) + 1;
      runs.set(id as string, n);
      if (id === 'msg_flaky' && n < 3) throw new Error(`flaky ${n}`);
      if (id === 'msg_broken' && !healed) throw new Error('broken');
    });
    const queued = queueReceiver(receiver, { boss, queueName: name, attempts: 3, backoff: 0 });
    await queued.receive({ method: 'POST', ...signRequest(provider, { type: 't' }, { id: 'msg_flaky' }) });
    await queued.receive({ method: 'POST', ...signRequest(provider, { type: 't' }, { id: 'msg_broken' }) });
    const worker = createWorker(receiver, { boss, queueName: name, pollingIntervalSeconds: 0.5 });
    closers.push(() => worker.close());

    expect((await until(() => job(name, 'msg_flaky'), (j) => j?.state === 'completed'))?.retryCount).toBe(2);
    const broken = await until(() => job(name, 'msg_broken'), (j) => j?.state === 'failed');
    expect(broken).toMatchObject({ state: 'failed', retryCount: 2 });
    expect(JSON.stringify(broken?.output)).toContain('broken');
    expect(runs.get('msg_flaky')).toBe(3);
    expect(runs.get('msg_broken')).toBe(3);
    expect(errors.filter((e) => e.code === 'handler_failed')).toHaveLength(5);

    healed = true;
    await boss.retry(name, bossJobIdFor(provider.name, 'msg_broken'));
    expect((await until(() => job(name, 'msg_broken'), (j) => j?.state === 'completed'))?.state).toBe('completed');
    expect(runs.get('msg_broken')).toBe(4);
  });
});

describe('ack-first on Postgres across processes: 1,000 deliveries through Express, the worker SIGKILLed halfway', () => {
  it('202 for each; a resend is not queued twice; after the kill and a new worker, all 1,000 handled, each effect once, none failed', async () => {
    const name = await newQueue();
    await pool.query('CREATE TABLE effects (id text PRIMARY KEY); CREATE TABLE runs (id text PRIMARY KEY, n int NOT NULL)');
    const env = { DATABASE_URL: server.url, SECRET, QUEUE: name };
    const ingress = await startPostgresApp({ ...env, ROLE: 'ingress' });
    closers.push(() => ingress.kill());
    const ids = Array.from({ length: 1000 }, (_, i) => `msg_bulk_${i}`);

    const statuses: number[] = [];
    let next = 0;
    const send = async (id: string) => {
      const signed = signRequest(provider, { type: 'order.created', data: { id } }, { id });
      const response = await fetch(`${ingress.url}/webhooks`, { method: 'POST', headers: signed.headers, body: signed.body });
      await response.arrayBuffer();
      return response.status;
    };
    await Promise.all(Array.from({ length: 20 }, async () => {
      while (next < ids.length) statuses.push(await send(ids[next++] as string));
    }));
    expect(statuses.filter((s) => s !== 202)).toEqual([]);
    expect(statuses).toHaveLength(1000);
    // Resent while their jobs exist: accepted, not queued again.
    expect(await Promise.all(ids.slice(0, 20).map(send))).toEqual(Array(20).fill(202));
    expect(await boss.getQueueSize(name)).toBe(1000);

    const CONCURRENCY = 10;
    const handledCount = async () => (await pool.query('SELECT count(*)::int AS n FROM effects')).rows[0].n as number;
    const first: AppProcess = await startPostgresApp({ ...env, ROLE: 'worker', CONCURRENCY: String(CONCURRENCY), DELAY_MS: '5' });
    const handledAtKill = await until(handledCount, (n) => n >= 500, 30_000);
    await first.kill();
    expect(handledAtKill).toBeGreaterThanOrEqual(500);
    expect(handledAtKill).toBeLessThan(1000);

    // The killed worker's active jobs expire after expireInSeconds (3 s here) and are retried by the next worker.
    const second = await startPostgresApp({ ...env, ROLE: 'worker', CONCURRENCY: String(CONCURRENCY), DELAY_MS: '5' });
    closers.push(() => second.kill());
    const states = async () => (await pool.query('SELECT state, count(*)::int AS n FROM pgboss.job WHERE name = $1 GROUP BY state', [name])).rows;
    const final = await until(states, (rows) => rows.length === 1 && rows[0].state === 'completed' && rows[0].n === 1000, 60_000);
    expect(final).toEqual([{ state: 'completed', n: 1000 }]);

    expect(await handledCount()).toBe(1000); // each delivery's effect applied once
    const { rows } = await pool.query('SELECT id, n FROM runs');
    expect(rows.map((row) => row.id).sort()).toEqual([...ids].sort());
    // pg-boss is at-least-once: only jobs the killed worker held (≤ its concurrency) may have run twice.
    const doubles = rows.filter((row) => row.n !== 1);
    expect(doubles.every((row) => row.n === 2)).toBe(true);
    expect(doubles.length).toBeLessThanOrEqual(CONCURRENCY);
    console.log(`pg-boss mode: worker killed at ${handledAtKill}/1000 handled; ${doubles.length} deliveries ran twice, each effect applied once`);
  }, 120_000);
});
