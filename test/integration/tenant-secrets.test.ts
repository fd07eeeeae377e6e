/**
 * Secrets per tenant (#17 item 4): two tenants on one Express route, `/webhooks/:tenant`, each
 * with its own Standard Webhooks secret looked up in a real redis-server. Each tenant verifies
 * with its own secret only; a lookup during an outage answers 503 secret_unavailable and the
 * retry succeeds; a tenant Redis does not know answers 401 unknown_tenant. Also in-process:
 * rotation, the cache bound, concurrent lookups shared, and verifyWebhookAsync.
 */
import express from 'express';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expressMiddleware } from '../../src/adapters/express.js';
import { createReceiver, perTenant, providers, verifyWebhookAsync, type DeliveryEvent, type Provider } from '../../src/index.js';
import { signRequest } from '../../src/testing/index.js';
import { queueReceiver } from '../../src/queue/index.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { listen, type Listening } from '../helpers/server.js';

const secretOf = (name: string): string => `whsec_${Buffer.from(`tenant-${name}-secret`.padEnd(32, '!')).toString('base64')}`;
const signerOf = (name: string): Provider => providers.standardWebhooks({ secret: secretOf(name) });
const tenantFromPath = (request: { url?: string }): string | undefined => /^\/webhooks\/([^/?]+)/.exec(request.url ?? '')?.[1];

let redis: RedisServer;
let client: Redis;
let server: Listening;
let lookups = 0;
const events: DeliveryEvent[] = [];
const handled: string[] = [];

async function seed(): Promise<void> {
  await client.hset('tenant-secrets', { acme: secretOf('acme'), globex: secretOf('globex') });
}

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis({ port: redis.port, host: '127.0.0.1', lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
  client.on('error', () => {});
  await client.connect();
  await seed();
  const receiver = createReceiver({
    provider: perTenant({
      name: 'standard-webhooks',
      tenant: tenantFromPath,
      secrets: (tenant) => {
        lookups++;
        return client.hget('tenant-secrets', tenant);
      },
      provider: (secret) => providers.standardWebhooks({ secret }),
    }),
    openTelemetry: false,
  });
  receiver.on('invoice.paid', (delivery) => {
    handled.push(`${delivery.tenant}:${delivery.id}`);
  });
  receiver.onDelivery((event) => events.push(event));
  const app = express();
  app.post('/webhooks/:tenant', expressMiddleware(receiver));
  server = await listen(app);
}, 60_000);

afterAll(async () => {
  await server?.close();
  client?.disconnect();
  await redis?.stop();
});

async function post(tenant: string, signer: Provider, id: string): Promise<[number, string | undefined]> {
  const signed = signRequest(signer, { type: 'invoice.paid' }, { id });
  const response = await fetch(`${server.url}/webhooks/${tenant}`, { method: 'POST', headers: signed.headers, body: signed.body });
  const body = (await response.json()) as { error?: { code: string } };
  return [response.status, body.error?.code];
}

describe('perTenant() secrets from Redis, through Express', () => {
  it('each tenant verifies with its own secret only; the same id at two tenants is two deliveries (#17)', async () => {
    expect(await post('acme', signerOf('acme'), 'evt_1')).toEqual([200, undefined]);
    expect(await post('globex', signerOf('globex'), 'evt_1')).toEqual([200, undefined]);
    expect(await post('acme', signerOf('globex'), 'evt_2')).toEqual([401, 'signature_mismatch']);
    expect(await post('globex', signerOf('acme'), 'evt_3')).toEqual([401, 'signature_mismatch']);
    expect(handled).toEqual(['acme:evt_1', 'globex:evt_1']);
    expect(lookups).toBe(2); // cached per tenant
    expect(events.at(-1)).toMatchObject({ tenant: 'globex', outcome: 'signature_mismatch' });
  });

  it('a tenant Redis does not know → [401, unknown_tenant]; a path with no tenant → the same (#17)', async () => {
    expect(await post('initech', signerOf('initech'), 'evt_4')).toEqual([401, 'unknown_tenant']);
    const signed = signRequest(signerOf('acme'), { type: 'invoice.paid' });
    const response = await fetch(`${server.url}/webhooks/`, { method: 'POST', headers: signed.headers, body: signed.body });
    expect(response.status).toBe(404); // Express: the route needs a tenant segment
  });

  it('Redis down → [503, secret_unavailable] for an uncached tenant (cached ones still verify); back up → the retry succeeds (#17)', async () => {
    await client.hset('tenant-secrets', { hooli: secretOf('hooli') });
    await redis.kill();
    expect(await post('hooli', signerOf('hooli'), 'evt_5')).toEqual([503, 'secret_unavailable']);
    expect(await post('acme', signerOf('acme'), 'evt_6')).toEqual([200, undefined]); // cached: unaffected
    await redis.restart();
    await new Promise((resolve) => setTimeout(resolve, 300)); // ioredis reconnects every 50 ms
    await seed();
    await client.hset('tenant-secrets', { hooli: secretOf('hooli') });
    expect(await post('hooli', signerOf('hooli'), 'evt_5')).toEqual([200, undefined]);
    expect(handled).toContain('hooli:evt_5');
  });
});

describe('perTenant() in-process', () => {
  const input = (tenant: string, signer: Provider, id = `evt_${tenant}`) => ({ method: 'POST', url: `/webhooks/${tenant}`, ...signRequest(signer, { type: 'invoice.paid' }, { id }) });

  it('rotation: a tenant returning two secrets accepts deliveries signed with either (#17)', async () => {
    const receiver = createReceiver({ provider: perTenant({ name: 'standard-webhooks', tenant: tenantFromPath, secrets: () => [secretOf('old'), secretOf('new')], provider: (secret) => providers.standardWebhooks({ secret }) }), openTelemetry: false });
    receiver.on('invoice.paid', () => {});
    expect((await receiver.receive(input('acme', signerOf('old'), 'a'))).status).toBe(200);
    expect((await receiver.receive(input('acme', signerOf('new'), 'b'))).status).toBe(200);
    expect((await receiver.receive(input('acme', signerOf('other'), 'c'))).status).toBe(401);
  });

  it('the cache holds at most maxEntries tenants, and concurrent deliveries of one tenant share one lookup (#17)', async () => {
    const asked: string[] = [];
    const receiver = createReceiver({
      provider: perTenant({
        name: 'standard-webhooks',
        tenant: tenantFromPath,
        secrets: async (tenant) => {
          asked.push(tenant);
          await new Promise((resolve) => setTimeout(resolve, 10));
          return secretOf(tenant);
        },
        provider: (secret) => providers.standardWebhooks({ secret }),
        cache: { maxEntries: 2, ttlSeconds: 60 },
      }),
      openTelemetry: false,
    });
    receiver.on('invoice.paid', () => {});
    const answers = await Promise.all(['a1', 'a2', 'a3'].map((id) => receiver.receive(input('t1', signerOf('t1'), id))));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    await receiver.receive(input('t2', signerOf('t2')));
    await receiver.receive(input('t3', signerOf('t3'))); // evicts t1
    await receiver.receive(input('t1', signerOf('t1'), 'a4'));
    expect(asked).toEqual(['t1', 't2', 't3', 't1']);
  });

  it('verifyWebhookAsync: verifies with the tenant\'s secret; unknown_tenant and secret_unavailable are thrown with their codes (#17)', async () => {
    const provider = perTenant({
      name: 'standard-webhooks',
      tenant: (request) => request.tenant,
      secrets: (tenant) => {
        if (tenant === 'down') throw new Error('ECONNREFUSED');
        return tenant === 'acme' ? secretOf('acme') : undefined;
      },
      provider: (secret) => providers.standardWebhooks({ secret }),
    });
    const signed = signRequest(signerOf('acme'), { type: 'invoice.paid' }, { id: 'evt_v' });
    await expect(verifyWebhookAsync(provider, { ...signed, tenant: 'acme' })).resolves.toMatchObject({ id: 'evt_v', type: 'invoice.paid' });
    await expect(verifyWebhookAsync(provider, { ...signed, tenant: 'nobody' })).rejects.toMatchObject({ code: 'unknown_tenant', status: 401 });
    await expect(verifyWebhookAsync(provider, { ...signed, tenant: 'down' })).rejects.toMatchObject({ code: 'secret_unavailable', status: 503 });
  });

  it('queueReceiver() refuses a perTenant receiver at start-up with misconfigured, saying why (#17)', () => {
    const receiver = createReceiver({ provider: perTenant({ name: 'x', tenant: () => 'a', secrets: () => 's', provider: (secret) => providers.standardWebhooks({ secret: String(secret) }) }), openTelemetry: false });
    expect(() => queueReceiver(receiver, { queue: { add: async () => ({}) } as never })).toThrow(/perTenant\(\) secrets cannot hand deliveries to a queue/);
  });
});
