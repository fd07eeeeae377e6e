/**
 * A receiver process for the Redis integration tests, started with `node --import tsx`.
 * ROLE=store   Express + redisStore: handle-then-ack. GET /handled → { id: runs } of this process.
 * ROLE=ingress Express + queueReceiver: verify, enqueue, 202.
 * ROLE=worker  createWorker: runs the handlers from the queue.
 * Prints `READY <port>` (or `READY worker`) once it can take work.
 *
 * Handlers count side effects in Redis (shared by every process) unless EFFECTS=memory:
 * store: INCR effects:<id>; a payload with `failFirst` throws on its first attempt.
 * worker: one atomic script: SADD handled <id> (first time → INCR effects), HINCRBY runs <id> 1, INCR runs:total.
 */
import { Queue } from 'bullmq';
import express from 'express';
import { Redis } from 'ioredis';
import type { AddressInfo } from 'node:net';
import { createReceiver, providers } from '../../src/index.js';
import { expressMiddleware } from '../../src/adapters/express.js';
import { createWorker, queueReceiver } from '../../src/queue/index.js';
import { redisStore } from '../../src/stores/redis.js';

const env = process.env;
const port = Number(env.REDIS_PORT);
const role = env.ROLE ?? 'store';
const delayMs = Number(env.DELAY_MS ?? 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// What the README recommends: a dead Redis fails commands at once (503) instead of queueing them.
// commandTimeout (for a hung Redis) is generous here: on a loaded CI machine 400 concurrent requests
// must not time out against a live one.
const client = new Redis(port, '127.0.0.1', { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 5000, lazyConnect: true });
client.on('error', () => {}); // reconnects by itself; the receiver answers 503 meanwhile
await client.connect();

const provider = providers.standardWebhooks({ secret: env.SECRET as string });
const receiver = createReceiver({
  provider,
  dedupe: redisStore({ client, ...(env.IN_FLIGHT_SECONDS ? { inFlightSeconds: Number(env.IN_FLIGHT_SECONDS) } : {}) }),
});
const seen = new Map<string, number>();
const EFFECT = `if redis.call('SADD', 'handled', ARGV[1]) == 1 then redis.call('INCR', 'effects') end
redis.call('HINCRBY', 'runs', ARGV[1], 1)
redis.call('INCR', 'runs:total')`;

if (role === 'worker') {
  receiver.onAny(async ({ id }) => {
    if (delayMs > 0) await sleep(delayMs);
    // Atomic, as a real side effect must be (a row insert, a transaction): a kill never leaves half of it.
    await client.eval(EFFECT, 0, id as string);
  });
  const worker = createWorker(receiver, {
    queueName: env.QUEUE as string,
    connection: { host: '127.0.0.1', port },
    concurrency: Number(env.CONCURRENCY ?? 10),
    // Short, so the test sees a killed worker's jobs taken over within seconds (BullMQ's default is 30 s).
    lockDuration: 3000,
    stalledInterval: 1000,
  });
  await worker.waitUntilReady();
  console.log('READY worker');
} else {
  receiver.onAny(async ({ id, payload }) => {
    const key = id as string;
    if ((payload as { failFirst?: boolean }).failFirst && (await client.incr(`attempts:${key}`)) === 1) {
      throw new Error('first attempt fails');
    }
    if (delayMs > 0) await sleep(delayMs);
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (env.EFFECTS !== 'memory') await client.incr(`effects:${key}`);
  });

  const app = express();
  app.get('/handled', (_req, res) => void res.json(Object.fromEntries(seen)));
  if (role === 'ingress') {
    const queue = new Queue(env.QUEUE as string, { connection: { host: '127.0.0.1', port, enableOfflineQueue: false } });
    await queue.waitUntilReady();
    app.post('/webhooks', expressMiddleware(queueReceiver(receiver, { queue })));
  } else {
    app.post('/webhooks', expressMiddleware(receiver));
  }
  const server = app.listen(0, '127.0.0.1', () => {
    console.log(`READY ${(server.address() as AddressInfo).port}`);
  });
}
