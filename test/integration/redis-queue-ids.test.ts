import { createServer } from 'node:http';
import { Queue, QueueEvents, QueueKeys } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHandler } from '../../src/adapters/node.js';
import { createReceiver, providers } from '../../src/index.js';
import { createWorker, dedupeKey, jobIdFor, queueReceiver } from '../../src/queue/index.js';
import { signRequest } from '../../src/testing/index.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { listen, type Listening } from '../helpers/server.js';

const github = providers.github({ secret: 'queue-ids-github-secret' });

// Every key BullMQ keeps beside job keys: its own list (QueueKeys.getKeys) plus the suffixes its
// Lua scripts write (read from node_modules/bullmq/dist/esm/commands/*.lua).
const BULLMQ_KEY_NAMES = [...new Set([
  ...Object.keys(new QueueKeys().getKeys('q')).filter((name) => name !== ''),
  'wait', 'waiting', 'metrics', 'lock', 'logs', 'dependencies', 'processed', 'unsuccessful', 'failed', 'events',
  'delay', 'node', 'subs', 'inbox', 'retained', 'cleanup', 'started', 'ret', 'layout', 'mid', 'data',
  'metrics:completed', 'metrics:failed', 'repeat:x', 'de:x', 'delayed:1', '1', '12345', 'hg.x', 'b64.x',
])];

let redis: RedisServer;
let client: Redis;
let server: Listening;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.port, '127.0.0.1');
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await server?.close();
  client?.disconnect();
  await redis?.stop();
});

async function post(id: string, action: string): Promise<number> {
  const signed = signRequest(github, { action, n: id.length }, { type: 'issues', id });
  const response = await fetch(`${server.url}/webhooks`, { method: 'POST', headers: signed.headers, body: signed.body as string });
  await response.arrayBuffer();
  return response.status;
}

describe('queueReceiver(): no delivery id can name a BullMQ key (#13 item 2)', () => {
  it(`GitHub deliveries whose X-GitHub-Delivery is each of BullMQ's ${BULLMQ_KEY_NAMES.length} key names → 202, every one handled; later deliveries still complete`, async () => {
    const name = 'ids';
    const connection = { host: '127.0.0.1', port: redis.port };
    const queue = new Queue(name, { connection });
    const events = new QueueEvents(name, { connection });
    closers.push(() => queue.close(), () => events.close());
    const handled: string[] = [];
    const receiver = createReceiver({ provider: github }).onAny((delivery) => void handled.push(delivery.id as string));
    server = await listen(createServer(nodeHandler(queueReceiver(receiver, { queue, attempts: 2, backoff: 10 }))));

    const ids = BULLMQ_KEY_NAMES;
    for (const id of ids) expect([id, await post(id, 'opened')]).toEqual([id, 202]);
    // Every hash in the queue's keyspace is BullMQ's meta or a job under an encoded id: no id became a key of its own.
    const hashes: string[] = [];
    for (const key of await client.keys(`bull:${name}:*`)) if ((await client.type(key)) === 'hash') hashes.push(key);
    expect(hashes.filter((key) => key !== `bull:${name}:meta` && !/^bull:ids:hg\.[A-Za-z0-9_-]{43}$/.test(key))).toEqual([]);
    expect(hashes).toHaveLength(ids.length + 1);

    const worker = createWorker(receiver, { queueName: name, connection, concurrency: 4 });
    const errors: string[] = [];
    worker.on('error', (error) => void errors.push(error.message));
    closers.push(() => worker.close());
    await waitFor(async () => (await queue.getJobCountByTypes('completed')) === ids.length);
    expect(errors).toEqual([]); // no WRONGTYPE
    expect([...handled].sort()).toEqual([...ids].sort());

    // The queue still works: later deliveries are handled, and resent ones are not queued again.
    for (const id of ['after-1', 'after-2', 'delayed', 'marker']) expect(await post(id, 'closed')).toBe(202);
    await waitFor(async () => (await queue.getJobCountByTypes('completed')) === ids.length + 2);
    expect(handled.filter((id) => id.startsWith('after-')).sort()).toEqual(['after-1', 'after-2']);
    expect(await queue.getJobCounts('failed', 'waiting', 'delayed', 'active')).toEqual({ failed: 0, waiting: 0, delayed: 0, active: 0 });
    expect(await queue.getJob(jobIdFor(dedupeKey('github', 'delayed')))).toBeDefined();
  }, 60_000);
});

async function waitFor(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 25))) {
    if (await check()) return;
  }
  throw new Error('timed out waiting for the queue');
}
