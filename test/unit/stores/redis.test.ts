import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createReceiver, isWebhookError, providers, type WebhookError } from '../../../src/index.js';
import { redisStore, type RedisStoreOptions } from '../../../src/stores/redis.js';
import { signRequest } from '../../../src/testing/index.js';
import { startRedis, type RedisServer } from '../../helpers/redis-server.js';

let server: RedisServer;
let client: Redis;

beforeAll(async () => {
  server = await startRedis();
  client = new Redis(server.port, '127.0.0.1', { enableOfflineQueue: false, lazyConnect: true });
  await client.connect();
});

afterAll(async () => {
  await client?.quit();
  await server?.stop();
});

beforeEach(async () => {
  await client.flushall();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('redisStore(): claim / complete / release (the memoryStore contract)', () => {
  it('claim(new id) → "claimed", stored as "pending" under hookguard:dedupe:<id> with the in-flight expiry', async () => {
    const store = redisStore({ client });
    expect(await store.claim('a')).toBe('claimed');
    expect(await client.get('hookguard:dedupe:a')).toBe('pending');
    const pttl = await client.pttl('hookguard:dedupe:a');
    expect(pttl).toBeGreaterThan(55_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
  });

  it('claim(id) again while not completed → "in_flight"', async () => {
    const store = redisStore({ client });
    await store.claim('a');
    expect(await store.claim('a')).toBe('in_flight');
    expect(await store.claim('a')).toBe('in_flight');
  });

  it('complete(id) then claim(id) → "duplicate"; the key holds "done" for ttlSeconds (default 3 days)', async () => {
    const store = redisStore({ client });
    await store.claim('a');
    await store.complete('a');
    expect(await store.claim('a')).toBe('duplicate');
    expect(await store.claim('a')).toBe('duplicate');
    expect(await client.get('hookguard:dedupe:a')).toBe('done');
    const pttl = await client.pttl('hookguard:dedupe:a');
    expect(pttl).toBeGreaterThan(259_200_000 - 10_000);
    expect(pttl).toBeLessThanOrEqual(259_200_000);
  });

  it('release(id) then claim(id) → "claimed" again (the retry of a failed delivery is handled)', async () => {
    const store = redisStore({ client });
    await store.claim('a');
    await store.release('a');
    expect(await client.exists('hookguard:dedupe:a')).toBe(0);
    expect(await store.claim('a')).toBe('claimed');
  });

  it('release(id) of an id already done leaves it done (it only deletes a pending claim)', async () => {
    const store = redisStore({ client });
    await store.claim('a');
    await store.complete('a');
    await store.release('a');
    expect(await store.claim('a')).toBe('duplicate');
  });

  it('ids are independent; release/complete of unknown ids do not throw; complete(unknown) makes it a duplicate', async () => {
    const store = redisStore({ client });
    await store.claim('a');
    await store.complete('a');
    expect(await store.claim('b')).toBe('claimed');
    expect(await store.claim('a')).toBe('duplicate');
    await expect(store.release('never')).resolves.toBeUndefined();
    await store.complete('direct');
    expect(await store.claim('direct')).toBe('duplicate');
  });

  it('prefix: keys are `${prefix}${id}`, so two prefixes do not see each other', async () => {
    const one = redisStore({ client, prefix: 'app1:' });
    const two = redisStore({ client, prefix: 'app2:' });
    await one.claim('evt_1');
    await one.complete('evt_1');
    expect(await client.get('app1:evt_1')).toBe('done');
    expect(await two.claim('evt_1')).toBe('claimed');
    expect(await client.get('app2:evt_1')).toBe('pending');
  });

  it('ids with odd characters (colons, spaces, unicode, 1 KiB) are keys like any other', async () => {
    const store = redisStore({ client });
    for (const id of ['a:b:c', 'with space', 'ünï✓', 'x'.repeat(1024)]) {
      expect(await store.claim(id)).toBe('claimed');
      await store.complete(id);
      expect(await store.claim(id)).toBe('duplicate');
    }
  });
});

describe('redisStore(): expiry (real PX on a real server)', () => {
  it('a completed id is a duplicate until ttlSeconds have passed, then claimable again', async () => {
    const store = redisStore({ client, ttlSeconds: 0.3 });
    await store.claim('a');
    await store.complete('a');
    expect(await store.claim('a')).toBe('duplicate');
    await sleep(400);
    expect(await store.claim('a')).toBe('claimed');
  });

  it('a claim never completed (its instance crashed) answers in_flight until inFlightSeconds, then the retry claims it', async () => {
    const crashed = redisStore({ client, inFlightSeconds: 0.3 });
    const other = redisStore({ client, inFlightSeconds: 0.3 });
    expect(await crashed.claim('a')).toBe('claimed');
    expect(await other.claim('a')).toBe('in_flight');
    await sleep(400);
    expect(await other.claim('a')).toBe('claimed');
  });

  it('complete() after the claim expired still marks the id done (the work happened: no second run)', async () => {
    const store = redisStore({ client, inFlightSeconds: 0.1 });
    await store.claim('a');
    await sleep(200);
    await store.complete('a');
    expect(await store.claim('a')).toBe('duplicate');
  });
});

describe('redisStore(): atomic across clients', () => {
  it('200 concurrent claims of one id over 4 connections → exactly one "claimed", the rest "in_flight"', async () => {
    const clients = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const c = new Redis(server.port, '127.0.0.1', { lazyConnect: true });
        await c.connect();
        return c;
      }),
    );
    try {
      const stores = clients.map((c) => redisStore({ client: c }));
      const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => (stores[i % 4] as (typeof stores)[0]).claim('race')));
      expect(answers.filter((a) => a === 'claimed')).toHaveLength(1);
      expect(answers.filter((a) => a === 'in_flight')).toHaveLength(199);
    } finally {
      await Promise.all(clients.map((c) => c.quit()));
    }
  });

  it('works after SCRIPT FLUSH (EVALSHA → NOSCRIPT → EVAL)', async () => {
    const store = redisStore({ client });
    await store.claim('a');
    await client.script('FLUSH');
    expect(await store.claim('a')).toBe('in_flight');
    await client.script('FLUSH');
    await store.release('a');
    expect(await store.claim('a')).toBe('claimed');
  });
});

describe('redisStore(): errors propagate, and the receiver answers 503', () => {
  it('a client whose server is gone → claim rejects; receive() answers 503 store_unavailable without running the handler', async () => {
    // Never connected and the offline queue off: every command fails at once, as with a Redis that went away.
    const dead = new Redis(1, '127.0.0.1', { lazyConnect: true, enableOfflineQueue: false });
    const store = redisStore({ client: dead });
    await expect(store.claim('a')).rejects.toThrow();

    const provider = providers.standardWebhooks({ secret: 'whsec_' + Buffer.from('redis-store-test-secret').toString('base64') });
    const receiver = createReceiver({ provider, dedupe: store });
    let ran = 0;
    receiver.onAny(() => void ran++);
    const result = await receiver.receive({ method: 'POST', ...signRequest(provider, { type: 'x.y', data: {} }) });
    expect(result.status).toBe(503);
    expect(JSON.parse(result.body).error.code).toBe('store_unavailable');
    expect(ran).toBe(0);
    dead.disconnect();
  });
});

describe('redisStore(): options', () => {
  function misconfigured(options: unknown): WebhookError {
    try {
      redisStore(options as RedisStoreOptions);
    } catch (error) {
      expect(isWebhookError(error)).toBe(true);
      expect((error as WebhookError).code).toBe('misconfigured');
      return error as WebhookError;
    }
    throw new Error('redisStore() accepted bad options');
  }

  it.each([
    ['ttlSeconds', 0],
    ['ttlSeconds', -1],
    ['ttlSeconds', Infinity],
    ['ttlSeconds', Number.NaN],
    ['ttlSeconds', '60'],
    ['inFlightSeconds', 0],
    ['inFlightSeconds', 0.0001],
    ['inFlightSeconds', Infinity],
    ['prefix', 42],
  ])('{ %s: %o } → misconfigured naming the option', (option, value) => {
    expect(misconfigured({ client, [option]: value }).message).toContain(`\`${option}\``);
  });

  it.each([[undefined], [null], [{}], [{ client: {} }], [{ client: 'redis://127.0.0.1' }]])('%o → misconfigured asking for an ioredis client', (options) => {
    expect(misconfigured(options).message).toMatch(/ioredis|options object/);
  });

  it('an empty prefix is allowed (keys are the bare ids)', async () => {
    const store = redisStore({ client, prefix: '' });
    await store.claim('bare');
    expect(await client.get('bare')).toBe('pending');
  });
});
