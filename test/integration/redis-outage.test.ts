import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../src/index.js';
import { signRequest } from '../../src/testing/index.js';
import { startApp, type AppProcess } from '../helpers/app-process.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

const SECRET = 'whsec_' + Buffer.from('redis-goes-away-and-comes-back!!').toString('base64');
const provider = providers.standardWebhooks({ secret: SECRET });

let redis: RedisServer;
let app: AppProcess;

beforeAll(async () => {
  redis = await startRedis();
  // Side effects in the receiver's memory: they must be countable while Redis is down.
  app = await startApp({ ROLE: 'store', REDIS_PORT: String(redis.port), SECRET, EFFECTS: 'memory' });
}, 60_000);

afterAll(async () => {
  await app?.kill();
  await redis?.stop();
});

type Signed = ReturnType<typeof signRequest>;

async function post(signed: Signed): Promise<{ status: number; code?: string; duplicate?: boolean }> {
  const response = await fetch(`${app.url}/webhooks`, { method: 'POST', headers: signed.headers, body: signed.body });
  const body = (await response.json()) as { duplicate?: boolean; error?: { code: string } };
  return { status: response.status, ...(body.error ? { code: body.error.code } : {}), ...(body.duplicate ? { duplicate: true } : {}) };
}

const handled = async (): Promise<Record<string, number>> => (await (await fetch(`${app.url}/handled`)).json()) as Record<string, number>;
const delivery = (id: string): Signed => signRequest(provider, { type: 'order.created', data: { id } }, { id });

describe('redis-server killed mid-run, then restarted on the same port', () => {
  it('answers 503 store_unavailable while Redis is gone (never 200 for work not done), and recovers without a restart', async () => {
    const answers = new Map<string, { status: number; code?: string }>();
    let killed = false;
    let sent = 0;
    // A steady stream of distinct deliveries, 4 at a time; Redis is SIGKILLed after the 40th is sent.
    const stream = async () => {
      while (sent < 160) {
        const id = `msg_outage_${sent++}`;
        if (sent === 40) void redis.kill().then(() => void (killed = true));
        answers.set(id, await post(delivery(id)));
      }
    };
    await Promise.all([stream(), stream(), stream(), stream()]);
    expect(killed).toBe(true);

    const seen = await handled();
    const byStatus = (status: number) => [...answers].filter(([, a]) => a.status === status).map(([id]) => id);
    // Nothing but "handled" and "store unavailable": no 200 was given for a delivery whose handler did not run.
    expect([...answers.values()].filter((a) => a.status !== 200 && !(a.status === 503 && a.code === 'store_unavailable'))).toEqual([]);
    for (const id of byStatus(200)) expect(seen[id], id).toBe(1);
    for (const id of byStatus(503)) expect(seen[id], id).toBeUndefined();
    expect(byStatus(200).length).toBeGreaterThanOrEqual(36);
    expect(byStatus(503).length).toBeGreaterThanOrEqual(100);

    await redis.restart();
    // The receiver's own client reconnects (ioredis backs off up to 2 s): no restart of the receiver.
    const deadline = Date.now() + 15_000;
    let probe = await post(delivery('msg_probe_0'));
    for (let i = 1; probe.status !== 200 && Date.now() < deadline; i++) {
      expect(probe).toEqual({ status: 503, code: 'store_unavailable' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      probe = await post(delivery(`msg_probe_${i}`));
    }
    expect(probe).toEqual({ status: 200 });

    // The sender retries what was refused: each is handled now, exactly once.
    const refused = byStatus(503);
    const retried = await Promise.all(refused.map((id) => post(delivery(id))));
    expect(retried.every((a) => a.status === 200 && a.duplicate !== true)).toBe(true);
    const after = await handled();
    for (const id of refused) expect(after[id], id).toBe(1);
    // And a second retry of the same ids is a duplicate again: dedupe works on the new server.
    const again = await post(delivery(refused[0] as string));
    expect(again).toEqual({ status: 200, duplicate: true });
  }, 90_000);
});
