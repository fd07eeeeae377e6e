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
  it('claim(key, owner) → "claimed", stored as "pending:<owner>" under hookguard:dedupe:<key> with the in-flight expiry', async () => {
    const store = redisStore({ client });
    expect(await store.claim('a', 'owner-1')).toBe('claimed');
    expect(await client.get('hookguard:dedupe:a')).toBe('pending:owner-1');
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
    expect(await client.get('app2:evt_1')).toBe('pending:');
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
    await store.claim('bare', 'o');
    expect(await client.get('bare')).toBe('pending:o');
  });
});

describe('redisStore(): claims carry an owner; release compares it in Lua (#13 item 7)', () => {
  it('claim expires, a retry re-claims, the first attempt’s release → the retry’s claim stays; a third attempt answers in_flight', async () => {
    const store = redisStore({ client, inFlightSeconds: 0.2 });
    expect(await store.claim('k', 'first')).toBe('claimed');
    await sleep(300);
    expect(await store.claim('k', 'second')).toBe('claimed');
    await store.release('k', 'first');
    expect(await client.get('hookguard:dedupe:k')).toBe('pending:second');
    expect(await store.claim('k', 'third')).toBe('in_flight');
    await store.release('k', 'second');
    expect(await store.claim('k', 'third')).toBe('claimed');
  });

  it('release by another owner, or with no owner, while the claim is live → kept', async () => {
    const store = redisStore({ client });
    await store.claim('k', 'owner-a');
    await store.release('k', 'owner-b');
    await store.release('k');
    await store.release('k', 'owner-a-but-longer');
    expect(await store.claim('k', 'owner-c')).toBe('in_flight');
  });

  it('complete by a stale owner still marks the key done (the work happened); a later release cannot undo it', async () => {
    const store = redisStore({ client, inFlightSeconds: 0.1 });
    await store.claim('k', 'first');
    await sleep(200);
    await store.claim('k', 'second');
    await store.complete('k', 'first');
    expect(await store.claim('k', 'third')).toBe('duplicate');
    await store.release('k', 'second');
    expect(await client.get('hookguard:dedupe:k')).toBe('done');
  });

  it('through two receivers: a handler that outlives inFlightSeconds and then fails does not free the retry’s claim', async () => {
    const provider = providers.standardWebhooks({ secret: 'whsec_' + Buffer.from('owner-test-secret-owner-test-sec').toString('base64') });
    const store = redisStore({ client, inFlightSeconds: 0.2 });
    let running = 0;
    let most = 0;
    let releaseFirst!: () => void;
    const firstGate = new Promise<void>((resolve) => (releaseFirst = resolve));
    let runs = 0;
    const receiver = createReceiver({ provider, dedupe: store }).onAny(async () => {
      const run = ++runs;
      most = Math.max(most, ++running);
      try {
        if (run === 1) {
          await firstGate;
          throw new Error('first attempt fails late');
        }
        if (run === 2) await sleep(400);
      } finally {
        running--;
      }
    });
    const signed = signRequest(provider, { type: 'a.b' }, { id: 'msg_owned' });
    const first = receiver.receive({ method: 'POST', ...signed });
    await sleep(300); // the first claim has expired
    const second = receiver.receive({ method: 'POST', ...signed });
    await sleep(50);
    releaseFirst();
    expect((await first).status).toBe(500);
    const third = await receiver.receive({ method: 'POST', ...signed });
    expect([third.status, JSON.parse(third.body).error?.code]).toEqual([409, 'in_flight']);
    expect((await second).status).toBe(200);
    expect(runs).toBe(2);
    expect(most).toBe(2); // the expired claim let the second run overlap the first (documented); never a third
  });
});

describe('redisStore(): keys are namespaced per receiver (#13 item 6)', () => {
  const secret = (label: string) => 'whsec_' + Buffer.from(label.padEnd(32, '.')).toString('base64');

  it('two receivers of different senders on one store → the same id is handled by each (keys github:… and standard-webhooks:…)', async () => {
    const store = redisStore({ client });
    const github = providers.github({ secret: 'ns-github' });
    const svix = providers.standardWebhooks({ secret: secret('ns-standard') });
    const ran: string[] = [];
    const a = createReceiver({ provider: github, dedupe: store }).onAny(() => void ran.push('github'));
    const b = createReceiver({ provider: svix, dedupe: store }).onAny(() => void ran.push('standard'));
    expect((await a.receive({ method: 'POST', ...signRequest(github, { action: 'x' }, { type: 'issues', id: 'order-1001' }) })).status).toBe(200);
    expect((await b.receive({ method: 'POST', ...signRequest(svix, { type: 't' }, { id: 'order-1001' }) })).body).toBe('{"ok":true}');
    expect(ran).toEqual(['github', 'standard']);
    expect((await client.keys('hookguard:dedupe:*')).sort()).toEqual(['hookguard:dedupe:github:order-1001', 'hookguard:dedupe:standard-webhooks:order-1001']);
  });

  it('two tenants of the same sender with their own `namespace` on one store → tenant B’s order-1001 is handled, not a duplicate', async () => {
    const store = redisStore({ client });
    const providerA = providers.standardWebhooks({ secret: secret('tenant-a') });
    const providerB = providers.standardWebhooks({ secret: secret('tenant-b') });
    const ran: string[] = [];
    const a = createReceiver({ provider: providerA, dedupe: store, namespace: 'tenant-a' }).onAny(() => void ran.push('a'));
    const b = createReceiver({ provider: providerB, dedupe: store, namespace: 'tenant-b' }).onAny(() => void ran.push('b'));
    expect(JSON.parse((await a.receive({ method: 'POST', ...signRequest(providerA, { type: 't' }, { id: 'order-1001' }) })).body)).toEqual({ ok: true });
    expect(JSON.parse((await b.receive({ method: 'POST', ...signRequest(providerB, { type: 't' }, { id: 'order-1001' }) })).body)).toEqual({ ok: true });
    expect(ran).toEqual(['a', 'b']);
    expect((await client.keys('hookguard:dedupe:*')).sort()).toEqual(['hookguard:dedupe:tenant-a:order-1001', 'hookguard:dedupe:tenant-b:order-1001']);
  });

  it('two tenants of the same sender WITHOUT `namespace` share keys (documented: give each its own namespace)', async () => {
    const store = redisStore({ client });
    const providerA = providers.standardWebhooks({ secret: secret('tenant-a') });
    const providerB = providers.standardWebhooks({ secret: secret('tenant-b') });
    const a = createReceiver({ provider: providerA, dedupe: store }).onAny(() => {});
    const b = createReceiver({ provider: providerB, dedupe: store }).onAny(() => {});
    await a.receive({ method: 'POST', ...signRequest(providerA, { type: 't' }, { id: 'order-1001' }) });
    const answer = await b.receive({ method: 'POST', ...signRequest(providerB, { type: 't' }, { id: 'order-1001' }) });
    expect(JSON.parse(answer.body)).toEqual({ ok: true, duplicate: true });
  });
});

describe('redisStore(): what one delivery id costs Redis (#13 item 4)', () => {
  it('a GitHub delivery with a 15 KB X-GitHub-Delivery → a key of fixed size: MEMORY USAGE under 200 bytes (a plain 15 KB key: over 15,000)', async () => {
    const github = providers.github({ secret: 'id-cost-redis' });
    const receiver = createReceiver({ provider: github, dedupe: redisStore({ client }) }).onAny(() => {});
    const long = 'x'.repeat(15_000);
    const signed = signRequest(github, { action: 'opened' }, { type: 'issues', id: long });
    expect((await receiver.receive({ method: 'POST', ...signed })).status).toBe(200);
    const keys = await client.keys('hookguard:dedupe:*');
    expect(keys).toHaveLength(1);
    const bytes = (await client.memory('USAGE', keys[0] as string)) as number;
    console.log(`redis store: MEMORY USAGE ${bytes} bytes for the key of a 15 KB id (key ${(keys[0] as string).length} characters)`);
    expect(bytes).toBeLessThan(200);
    // What the same id cost before keys were bounded, measured the same way.
    await client.set(`hookguard:dedupe:github:${long}`, 'done');
    expect((await client.memory('USAGE', `hookguard:dedupe:github:${long}`)) as number).toBeGreaterThan(15_000);
    expect(JSON.parse((await receiver.receive({ method: 'POST', ...signed })).body)).toEqual({ ok: true, duplicate: true });
  });
});
