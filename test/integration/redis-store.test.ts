import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../src/index.js';
import { signRequest } from '../../src/testing/index.js';
import { startApp, type AppProcess } from '../helpers/app-process.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

const SECRET = 'whsec_' + Buffer.from('two-instances-one-redis-secret!!').toString('base64');
const provider = providers.standardWebhooks({ secret: SECRET });

let redis: RedisServer;
let client: Redis;
let apps: AppProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.port, '127.0.0.1');
  // Two receivers, as behind a load balancer: separate processes, one Redis.
  apps = await Promise.all([1, 2].map(() => startApp({ ROLE: 'store', REDIS_PORT: String(redis.port), SECRET, DELAY_MS: '40' })));
}, 60_000);

afterAll(async () => {
  await Promise.all(apps.map((app) => app.kill()));
  client?.disconnect();
  await redis?.stop();
});

interface Answer {
  status: number;
  body: { ok?: boolean; duplicate?: boolean; error?: { code: string } };
}

async function post(url: string, signed: { headers: Record<string, string>; body: string | Uint8Array }): Promise<Answer> {
  const response = await fetch(`${url}/webhooks`, { method: 'POST', headers: signed.headers, body: signed.body });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

async function handledBy(app: AppProcess): Promise<Record<string, number>> {
  return (await (await fetch(`${app.url}/handled`)).json()) as Record<string, number>;
}

describe('two receiver processes sharing one Redis', () => {
  it('25 deliveries × 8 copies × 2 instances, all at once → each handled exactly once; the rest duplicate or in_flight; no 5xx', async () => {
    const ids = Array.from({ length: 25 }, (_, i) => `msg_concurrent_${i}`);
    const signed = ids.map((id) => signRequest(provider, { type: 'order.created', data: { n: id } }, { id }));
    const shots = signed.flatMap((delivery, i) =>
      Array.from({ length: 16 }, (_, copy) => ({ id: ids[i] as string, app: apps[copy % 2] as AppProcess, delivery })),
    );
    const answers = await Promise.all(shots.map(async (shot) => ({ id: shot.id, ...(await post(shot.app.url, shot.delivery)) })));

    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    for (const id of ids) {
      const mine = answers.filter((a) => a.id === id);
      const handled = mine.filter((a) => a.status === 200 && a.body.ok === true && a.body.duplicate !== true);
      const duplicate = mine.filter((a) => a.status === 200 && a.body.duplicate === true);
      const inFlight = mine.filter((a) => a.status === 409 && a.body.error?.code === 'in_flight');
      expect(handled, id).toHaveLength(1);
      expect(handled.length + duplicate.length + inFlight.length, id).toBe(16);
    }
    // Concurrency really happened: the 40 ms handler overlapped its copies.
    expect(answers.filter((a) => a.status === 409).length).toBeGreaterThan(0);

    const effects = await client.mget(ids.map((id) => `effects:${id}`));
    expect(effects).toEqual(ids.map(() => '1'));
    const [one, two] = await Promise.all(apps.map(handledBy));
    for (const id of ids) expect((one?.[id] ?? 0) + (two?.[id] ?? 0), id).toBe(1);
  });

  it('a handler that throws on its first attempt → 500 handler_failed, the id is released, the retry (at the other instance) is handled once', async () => {
    const id = 'msg_fail_first';
    const delivery = signRequest(provider, { type: 'order.created', failFirst: true }, { id });
    const first = await post((apps[0] as AppProcess).url, delivery);
    expect(first).toEqual({ status: 500, body: { error: expect.objectContaining({ code: 'handler_failed' }) } });
    expect(await client.exists(`hookguard:dedupe:standard-webhooks:${id}`)).toBe(0);

    const retry = await post((apps[1] as AppProcess).url, delivery);
    expect(retry).toEqual({ status: 200, body: { ok: true } });
    const again = await post((apps[0] as AppProcess).url, delivery);
    expect(again).toEqual({ status: 200, body: { ok: true, duplicate: true } });

    expect(await client.get(`attempts:${id}`)).toBe('2');
    expect(await client.get(`effects:${id}`)).toBe('1');
    expect(await client.get(`hookguard:dedupe:standard-webhooks:${id}`)).toBe('done');
  });

  it('a bad signature is refused (401) at either instance without touching Redis', async () => {
    const id = 'msg_forged';
    const forged = signRequest(providers.standardWebhooks({ secret: 'whsec_' + Buffer.from('another-secret-another-secret!!!').toString('base64') }), { type: 'x' }, { id });
    for (const app of apps) {
      const answer = await post(app.url, forged);
      expect(answer.status).toBe(401);
      expect(answer.body.error?.code).toBe('signature_mismatch');
    }
    expect(await client.exists(`hookguard:dedupe:standard-webhooks:${id}`, `effects:${id}`)).toBe(0);
  });
});
