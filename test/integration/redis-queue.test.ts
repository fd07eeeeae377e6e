import { Queue, QueueEvents, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createReceiver, providers, reply, type WebhookError } from '../../src/index.js';
import { createWorker, dedupeKey, jobIdFor, queueReceiver, type DeliveryJob, type QueueReceiverOptions } from '../../src/queue/index.js';
import { signRequest } from '../../src/testing/index.js';
import { startApp, type AppProcess } from '../helpers/app-process.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

const SECRET = 'whsec_' + Buffer.from('queue-mode-secret-queue-mode-sec').toString('base64');
const provider = providers.standardWebhooks({ secret: SECRET });

let redis: RedisServer;
let client: Redis;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.port, '127.0.0.1');
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  client?.disconnect();
  await redis?.stop();
});

let queues = 0;
/** A fresh queue (and its events) per test, so counts are the test's own. */
function newQueue(): { queue: Queue; name: string; events: QueueEvents } {
  const name = `q${++queues}`;
  const connection = { host: '127.0.0.1', port: redis.port };
  const queue = new Queue(name, { connection });
  const events = new QueueEvents(name, { connection });
  closers.push(() => queue.close(), () => events.close());
  return { queue, name, events };
}

/** The job id `queueReceiver` gives a delivery id of this file's provider, under its default namespace. */
function jobOf(id: string): string {
  return jobIdFor(dedupeKey(provider.name, id));
}

function connection() {
  return { host: '127.0.0.1', port: redis.port };
}

const orderSchema = z.object({ type: z.literal('order.created'), data: z.object({ amount: z.coerce.number() }) });

describe('queueReceiver(): verify → parse → validate → enqueue → 202', () => {
  it('a valid delivery → 202 {"ok":true,"queued":true}; the job holds everything handlers need, jobId = jobIdFor(dedupeKey(namespace, id))', async () => {
    const { queue } = newQueue();
    const receiver = createReceiver({ provider, events: { 'order.created': orderSchema } });
    receiver.on('order.created', () => {});
    const queued = queueReceiver(receiver, { queue });
    const signed = signRequest(provider, { type: 'order.created', data: { amount: '12' } }, { id: 'msg_job_1', timestamp: Math.floor(Date.now() / 1000) });

    const result = await queued.receive({ method: 'POST', headers: { ...signed.headers, 'X-Extra': 'Yes' }, body: signed.body });
    expect(result.status).toBe(202);
    expect(JSON.parse(result.body)).toEqual({ ok: true, queued: true });

    const job = (await queue.getJob(jobOf('msg_job_1'))) as Job<DeliveryJob>;
    expect(job.name).toBe('order.created');
    expect(job.opts).toMatchObject({ attempts: 10, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: 86_400 }, removeOnFail: false });
    const data = job.data;
    expect(data).toMatchObject({ v: 1, provider: provider.name, id: 'msg_job_1', type: 'order.created', payload: { type: 'order.created', data: { amount: '12' } } });
    expect(data.timestamp).toBe(Number(signed.headers['webhook-timestamp']));
    expect(data.headers['x-extra']).toBe('Yes');
    expect(data.headers['webhook-id']).toBe('msg_job_1');
    expect(Buffer.from(data.rawBody, 'base64').toString()).toBe(signed.body);
  });

  it('refusals answer as without a queue and enqueue nothing: 401 forged, 422 schema, 405 GET; ignored types are not queued', async () => {
    const { queue } = newQueue();
    const receiver = createReceiver({ provider, events: { 'order.created': orderSchema } });
    receiver.on('order.created', () => {});
    const queued = queueReceiver(receiver, { queue });
    const codes: string[] = [];
    receiver.onError((error) => void codes.push(error.code));

    const forged = signRequest(providers.standardWebhooks({ secret: 'whsec_' + Buffer.from('not-the-secret-not-the-secret!!!').toString('base64') }), { type: 'order.created', data: { amount: 1 } });
    const bad = signRequest(provider, { type: 'order.created', data: { amount: 'lots' } });
    const other = signRequest(provider, { type: 'order.deleted' });
    const answers = await Promise.all([
      queued.receive({ method: 'POST', ...forged }),
      queued.receive({ method: 'POST', ...bad }),
      queued.receive({ method: 'GET', headers: {}, body: '' }),
      queued.receive({ method: 'POST', ...other }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([401, 422, 405, 200]);
    expect(JSON.parse((answers[3] as { body: string }).body)).toEqual({ ok: true, ignored: true });
    expect(codes.sort()).toEqual(['method_not_allowed', 'schema_mismatch', 'signature_mismatch']);
    expect(await queue.getJobCountByTypes('waiting', 'delayed', 'active', 'completed', 'failed')).toBe(0);
  });

  it('the same delivery sent 5 times (and concurrently) → 202 each, one job', async () => {
    const { queue } = newQueue();
    const receiver = createReceiver({ provider }).onAny(() => {});
    const queued = queueReceiver(receiver, { queue });
    const signed = signRequest(provider, { type: 'a.b' }, { id: 'msg_same' });
    const answers = await Promise.all(Array.from({ length: 5 }, () => queued.receive({ method: 'POST', ...signed })));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    expect(await queue.getJobCountByTypes('waiting')).toBe(1);
  });

  it('ids BullMQ refuses as job ids (integers, colons) are encoded, still one job per id (#13)', async () => {
    const { queue } = newQueue();
    const queued = queueReceiver(createReceiver({ provider }).onAny(() => {}), { queue });
    for (const id of ['12345', 'a:b', '12345', 'a:b', 'b64.x']) {
      expect((await queued.receive({ method: 'POST', ...signRequest(provider, { type: 't' }, { id }) })).status).toBe(202);
    }
    const ids = (await queue.getJobs(['waiting'])).map((job) => job.data.id).sort();
    expect(ids).toEqual(['12345', 'a:b', 'b64.x']);
  });

  it('jobIdFor(key): always hg.<43 base64url>, the same for one key, different for two, never an integer or with ":" (#13)', () => {
    for (const key of ['evt_1', '12345', 'github:delayed', 'x'.repeat(15_000), '']) {
      const jobId = jobIdFor(key);
      expect(jobId).toMatch(/^hg\.[A-Za-z0-9_-]{43}$/);
      expect(jobIdFor(key)).toBe(jobId);
    }
    expect(jobIdFor('a')).not.toBe(jobIdFor('b'));
    expect(jobIdFor(dedupeKey('github', 'x'))).not.toBe(jobIdFor(dedupeKey('stripe', 'x')));
  });

  it('a queue that cannot be reached → 503 store_unavailable within enqueueTimeoutMs', async () => {
    const dead = new Queue('never', { connection: { host: '127.0.0.1', port: 1, enableOfflineQueue: false, retryStrategy: () => 200 } });
    dead.on('error', () => {});
    const receiver = createReceiver({ provider }).onAny(() => {});
    const codes: string[] = [];
    receiver.onError((error) => void codes.push(error.code));
    const started = Date.now();
    const result = await queueReceiver(receiver, { queue: dead, enqueueTimeoutMs: 300 }).receive({ method: 'POST', ...signRequest(provider, { type: 't' }) });
    expect(result.status).toBe(503);
    expect(JSON.parse(result.body).error.code).toBe('store_unavailable');
    expect(Date.now() - started).toBeLessThan(4_000); // the 300 ms timeout, not ioredis reconnecting forever
    expect(codes).toEqual(['store_unavailable']);
    await dead.close();
  });

  it.each<[string, Partial<QueueReceiverOptions>]>([
    ['attempts', { attempts: 0 }],
    ['attempts', { attempts: 1.5 }],
    ['keepCompletedSeconds', { keepCompletedSeconds: -1 }],
    ['enqueueTimeoutMs', { enqueueTimeoutMs: 0 }],
    ['backoff', { backoff: -5 }],
    ['backoff', { backoff: { delay: 5 } as never }],
  ])('bad option %s → misconfigured', (option, options) => {
    const { queue } = newQueue();
    const receiver = createReceiver({ provider });
    expect(() => queueReceiver(receiver, { queue, ...options })).toThrow(expect.objectContaining({ code: 'misconfigured', message: expect.stringContaining(`\`${option}\``) }));
  });

  it('no queue, or a receiver not made by createReceiver → misconfigured', () => {
    const receiver = createReceiver({ provider });
    expect(() => queueReceiver(receiver, {} as QueueReceiverOptions)).toThrow(expect.objectContaining({ code: 'misconfigured' }));
    const { queue } = newQueue();
    expect(() => queueReceiver({ ...receiver }, { queue })).toThrow(expect.objectContaining({ code: 'misconfigured' }));
    expect(() => createWorker(receiver, { connection: connection() } as never)).toThrow(expect.objectContaining({ code: 'misconfigured' }));
  });
});

describe('createWorker(): the receiver’s own handlers, from the queue, with retries', () => {
  it('runs the typed handler with the schema output (validated again), the stored id, type, headers and raw bytes', async () => {
    const { queue, name, events } = newQueue();
    const receiver = createReceiver({ provider, events: { 'order.created': orderSchema } });
    const seen: unknown[] = [];
    receiver.on('order.created', (delivery) => {
      seen.push({ ...delivery, rawBody: Buffer.from(delivery.rawBody).toString() });
      return reply({ stored: delivery.payload.data.amount + 1 });
    });
    const queued = queueReceiver(receiver, { queue });
    const signed = signRequest(provider, { type: 'order.created', data: { amount: '41' } }, { id: 'msg_typed' });
    expect((await queued.receive({ method: 'POST', ...signed })).status).toBe(202);

    const worker = createWorker(queued, { queueName: name, connection: connection() });
    closers.push(() => worker.close());
    const job = (await queue.getJob(jobOf('msg_typed'))) as Job;
    const returned = await job.waitUntilFinished(events, 10_000);
    expect(returned).toEqual({ status: 200, body: '{"stored":42}' });
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

  it('a handler that fails twice then succeeds → retried with backoff, completed; onError saw 2 handler_failed', async () => {
    const { queue, name, events } = newQueue();
    const receiver = createReceiver({ provider });
    let runs = 0;
    const errors: WebhookError[] = [];
    receiver.onError((error) => void errors.push(error));
    receiver.onAny(() => {
      if (++runs < 3) throw new Error(`flaky ${runs}`);
    });
    const queued = queueReceiver(receiver, { queue, attempts: 3, backoff: 20 });
    await queued.receive({ method: 'POST', ...signRequest(provider, { type: 't' }, { id: 'msg_flaky' }) });
    const worker = createWorker(receiver, { queueName: name, connection: connection() });
    closers.push(() => worker.close());
    await ((await queue.getJob(jobOf('msg_flaky'))) as Job).waitUntilFinished(events, 10_000);
    const job = (await queue.getJob(jobOf('msg_flaky'))) as Job;
    expect(runs).toBe(3);
    expect(job.attemptsMade).toBe(3);
    expect(await job.getState()).toBe('completed');
    expect(errors.map((e) => e.code)).toEqual(['handler_failed', 'handler_failed']);
  });

  it('a handler that hangs past handlerTimeoutMs → that attempt fails with handler_timeout and the job is retried; the retry completes', async () => {
    const { queue, name, events } = newQueue();
    const receiver = createReceiver({ provider, handlerTimeoutMs: 200 });
    let runs = 0;
    const errors: string[] = [];
    receiver.onError((error) => void errors.push(error.code));
    receiver.onAny(async () => {
      if (++runs === 1) await new Promise(() => undefined); // never settles
    });
    const queued = queueReceiver(receiver, { queue, attempts: 3, backoff: 20 });
    await queued.receive({ method: 'POST', ...signRequest(provider, { type: 't' }, { id: 'msg_hung' }) });
    const worker = createWorker(receiver, { queueName: name, connection: connection() });
    closers.push(() => worker.close());
    await ((await queue.getJob(jobOf('msg_hung'))) as Job).waitUntilFinished(events, 10_000);
    const job = (await queue.getJob(jobOf('msg_hung'))) as Job;
    expect(runs).toBe(2);
    expect(job.attemptsMade).toBe(2);
    expect(await job.getState()).toBe('completed');
    expect(errors).toEqual(['handler_timeout']);
  });

  it('a handler that always fails → after `attempts` the job stays in the failed set with the handler’s error, never dropped', async () => {
    const { queue, name, events } = newQueue();
    const receiver = createReceiver({ provider }).onAny(() => {
      throw new Error('database is down');
    });
    const queued = queueReceiver(receiver, { queue, attempts: 2, backoff: 10 });
    await queued.receive({ method: 'POST', ...signRequest(provider, { type: 't' }, { id: 'msg_doomed' }) });
    const worker = createWorker(receiver, { queueName: name, connection: connection() });
    closers.push(() => worker.close());
    await expect(((await queue.getJob(jobOf('msg_doomed'))) as Job).waitUntilFinished(events, 10_000)).rejects.toThrow('database is down');
    const job = (await queue.getJob(jobOf('msg_doomed'))) as Job;
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(2);
    expect(job.failedReason).toBe('database is down');
    expect(await queue.getJobCountByTypes('failed')).toBe(1);
    // The same delivery sent again while its job is in the failed set is not queued twice.
    expect((await queued.receive({ method: 'POST', ...signRequest(provider, { type: 't' }, { id: 'msg_doomed' }) })).status).toBe(202);
    expect(await queue.getJobCountByTypes('failed', 'waiting', 'delayed')).toBe(1);
  });

  it('a stored payload the worker’s schema refuses → failed at once (no retry can fix it), schema_mismatch reported', async () => {
    const { queue, name, events } = newQueue();
    const ingress = createReceiver({ provider }).onAny(() => {});
    await queueReceiver(ingress, { queue, attempts: 5, backoff: 10 }).receive({ method: 'POST', ...signRequest(provider, { type: 'order.created', data: { amount: 'x' } }, { id: 'msg_schema' }) });
    const receiver = createReceiver({ provider, events: { 'order.created': orderSchema } });
    const codes: string[] = [];
    receiver.onError((error) => void codes.push(error.code));
    receiver.on('order.created', () => {});
    const worker = createWorker(receiver, { queueName: name, connection: connection() });
    closers.push(() => worker.close());
    await expect(((await queue.getJob(jobOf('msg_schema'))) as Job).waitUntilFinished(events, 10_000)).rejects.toThrow('does not match its schema');
    const job = (await queue.getJob(jobOf('msg_schema'))) as Job;
    expect(job.attemptsMade).toBe(1);
    expect(await job.getState()).toBe('failed');
    expect(codes).toEqual(['schema_mismatch']);
  });

  it('a job verified by another provider’s receiver → failed, handler not run', async () => {
    const { queue, name, events } = newQueue();
    const github = providers.github({ secret: 'github-secret' });
    await queueReceiver(createReceiver({ provider: github }).onAny(() => {}), { queue }).receive({ method: 'POST', ...signRequest(github, { action: 'opened' }, { type: 'issues', id: 'gh-1' }) });
    let ran = false;
    const worker = createWorker(createReceiver({ provider }).onAny(() => void (ran = true)), { queueName: name, connection: connection() });
    closers.push(() => worker.close());
    await expect(((await queue.getJob(jobIdFor(dedupeKey('github', 'gh-1')))) as Job).waitUntilFinished(events, 10_000)).rejects.toThrow('github');
    expect(ran).toBe(false);
  });
});

describe('queue mode across processes: 1,000 deliveries through Express, a worker killed halfway', () => {
  it('202 for each; after a SIGKILL and a new worker, every delivery handled (its effect applied) exactly once, none failed', async () => {
    const name = 'bulk';
    const env = { REDIS_PORT: String(redis.port), SECRET, QUEUE: name };
    const ingress = await startApp({ ...env, ROLE: 'ingress' });
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
    await Promise.all(Array.from({ length: 25 }, async () => {
      while (next < ids.length) statuses.push(await send(ids[next++] as string));
    }));
    expect(statuses.filter((s) => s !== 202)).toEqual([]);
    expect(statuses).toHaveLength(1000);
    // Resent deliveries are accepted and not queued again.
    expect(await Promise.all(ids.slice(0, 20).map(send))).toEqual(Array(20).fill(202));
    const queue = new Queue(name, { connection: connection() });
    closers.push(() => queue.close());
    expect(await queue.getJobCountByTypes('waiting')).toBe(1000);

    const CONCURRENCY = 10;
    const first: AppProcess = await startApp({ ...env, ROLE: 'worker', CONCURRENCY: String(CONCURRENCY), DELAY_MS: '3' });
    let handledAtKill = 0;
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 10))) {
      handledAtKill = await client.scard('handled');
      if (handledAtKill >= 500) break;
    }
    await first.kill();
    expect(handledAtKill).toBeGreaterThanOrEqual(500);
    expect(handledAtKill).toBeLessThan(1000);

    const second = await startApp({ ...env, ROLE: 'worker', CONCURRENCY: String(CONCURRENCY), DELAY_MS: '3' });
    closers.push(() => second.kill());
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      if ((await queue.getJobCountByTypes('completed')) === 1000) break;
    }
    const counts = await queue.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed');
    expect(counts).toEqual({ completed: 1000, failed: 0, waiting: 0, active: 0, delayed: 0 });

    expect(await client.scard('handled')).toBe(1000);
    expect(await client.get('effects')).toBe('1000'); // each delivery's effect applied once
    const runs = await client.hgetall('runs');
    expect(Object.keys(runs).sort()).toEqual([...ids].sort());
    // BullMQ is at-least-once: only jobs the killed worker held (≤ its concurrency) may have run twice.
    const doubles = Object.values(runs).filter((n) => n !== '1');
    expect(doubles.every((n) => n === '2')).toBe(true);
    expect(doubles.length).toBeLessThanOrEqual(CONCURRENCY);
    console.log(`queue mode: worker killed at ${handledAtKill}/1000 handled; ${doubles.length} deliveries ran twice, each effect applied once`);
    expect(Number(await client.get('runs:total'))).toBe(1000 + doubles.length);
  }, 150_000);
});
