/**
 * hookguard/fastify: the plugin in a real Fastify 5 app on 127.0.0.1:0 — encapsulated (the
 * rest of the app keeps its parsers), every method on its path, any Content-Type, and our
 * maxBodyBytes (not Fastify's bodyLimit) deciding the limit.
 */
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import fastifyPluginDefault, { FASTIFY_CONSUMED, fastifyPlugin } from '../../../src/adapters/fastify.js';
import { providers } from '../../../src/providers/index.js';
import { createReceiver } from '../../../src/receiver/create-receiver.js';
import type { Delivery } from '../../../src/receiver/types.js';
import type { WireRequest, WireResponse } from '../../helpers/conformance/types.js';
import { sendOverHttp } from '../../helpers/conformance/wire.js';
import { serverAt } from '../../helpers/server.js';

const provider = providers.standardWebhooks({ secret: 'whsec_aG9va2d1YXJkLWZhc3RpZnktdGVzdC1zZWNyZXQtMzItYnl0ZSE=' });
const slack = providers.slack({ signingSecret: 'fastify-slack-signing-secret' });
const paid = Buffer.from(JSON.stringify({ type: 'invoice.paid', data: { id: 'in_1', amount: 4200 } }));

function signed(body: Buffer = paid, headers: Record<string, string | undefined> = {}, path = '/webhooks'): WireRequest {
  const merged: Record<string, string> = { ...provider.sign({ body }).headers };
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  return { method: 'POST', path, headers: merged, body };
}

function receiverWith(options: { maxBodyBytes?: number } = {}) {
  const seen: Delivery[] = [];
  const receiver = createReceiver({ provider, ...options });
  receiver.on('invoice.paid', (delivery) => void seen.push(delivery));
  return { receiver, seen };
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function start(app: FastifyInstance): Promise<string> {
  apps.push(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return serverAt(app.server).url;
}

const outcome = (res: WireResponse) => [res.status, (JSON.parse(res.body) as { error?: { code?: string } }).error?.code];
const json = (path: string, body: unknown, contentType = 'application/json'): WireRequest => ({
  method: 'POST',
  path,
  headers: { 'content-type': contentType },
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});

describe('fastifyPlugin', () => {
  it('is also the default export of hookguard/fastify', () => {
    expect(fastifyPluginDefault).toBe(fastifyPlugin);
  });

  it('verifies a delivery → 200 {"ok":true}, over exactly the bytes sent', async () => {
    const { receiver, seen } = receiverWith();
    const app = Fastify();
    app.register(fastifyPlugin, { receiver, path: '/webhooks' });
    const url = await start(app);
    const res = await sendOverHttp(url, signed());
    expect([res.status, JSON.parse(res.body)]).toEqual([200, { ok: true }]);
    expect(Buffer.from(seen[0]?.rawBody ?? []).equals(paid)).toBe(true);
  });

  it('is encapsulated: JSON routes registered before and after it keep Fastify’s JSON and text parsers', async () => {
    const { receiver } = receiverWith();
    const app = Fastify();
    app.post('/before', async (request) => ({ parsed: request.body }));
    app.register(fastifyPlugin, { receiver, path: '/webhooks' });
    app.post('/after', async (request) => ({ parsed: request.body }));
    const url = await start(app);
    for (const path of ['/before', '/after']) {
      const res = await sendOverHttp(url, json(path, { a: 1 }));
      expect([res.status, JSON.parse(res.body)]).toEqual([200, { parsed: { a: 1 } }]);
      const text = await sendOverHttp(url, json(path, 'plain words', 'text/plain'));
      expect([text.status, JSON.parse(text.body)]).toEqual([200, { parsed: 'plain words' }]);
      // and the app's own refusals are still the app's: no catch-all parser leaked out of the plugin
      const other = await sendOverHttp(url, json(path, 'x', 'application/octet-stream'));
      expect(other.status).toBe(415);
    }
    expect(app.hasContentTypeParser('application/json')).toBe(true);
    expect(app.hasContentTypeParser('*')).toBe(false);
    expect((await sendOverHttp(url, signed())).status).toBe(200);
  });

  it.each(['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('%s on its path → [405, method_not_allowed] with Allow: POST', async (method) => {
    const { receiver, seen } = receiverWith();
    const app = Fastify();
    app.register(fastifyPlugin, { receiver, path: '/webhooks' });
    const url = await start(app);
    const withBody = method !== 'GET';
    const res = await sendOverHttp(url, { ...signed(), method, body: withBody ? paid : Buffer.alloc(0) });
    expect(outcome(res)).toEqual([405, 'method_not_allowed']);
    expect(res.headers.allow).toBe('POST');
    expect(seen).toHaveLength(0);
  });

  it('HEAD on its path → 405 with Allow: POST and no body', async () => {
    const app = Fastify();
    app.register(fastifyPlugin, { receiver: receiverWith().receiver, path: '/webhooks' });
    const url = await start(app);
    const res = await sendOverHttp(url, { method: 'HEAD', path: '/webhooks', headers: {}, body: Buffer.alloc(0) });
    expect([res.status, res.headers.allow, res.body]).toEqual([405, 'POST', '']);
  });

  it.each([
    ['no Content-Type', undefined],
    ['text/plain', 'text/plain'],
    ['application/octet-stream', 'application/octet-stream'],
    ['multipart/form-data', 'multipart/form-data; boundary=xyz'],
    ['a malformed one Fastify itself answers 415 to', 'nonsense'],
  ])('accepts a delivery with %s → 200', async (_label, contentType) => {
    const { receiver, seen } = receiverWith();
    const app = Fastify();
    app.register(fastifyPlugin, { receiver, path: '/webhooks' });
    const url = await start(app);
    const res = await sendOverHttp(url, signed(paid, { 'content-type': contentType }));
    expect([res.status, JSON.parse(res.body)]).toEqual([200, { ok: true }]);
    expect(seen[0]?.headers['content-type']).toBe(contentType); // handed on as sent
  });

  it('hands the receiver the Content-Type, which Slack form bodies need (slash command → form-decoded payload)', async () => {
    const receiver = createReceiver({ provider: slack });
    const payloads: unknown[] = [];
    receiver.on('/deploy', ({ payload }) => void payloads.push(payload));
    const app = Fastify();
    app.register(fastifyPlugin, { receiver, path: '/slack' });
    const url = await start(app);
    const body = Buffer.from('command=%2Fdeploy&text=prod');
    const res = await sendOverHttp(url, { method: 'POST', path: '/slack', headers: slack.sign({ body }).headers, body });
    expect(res.status).toBe(200);
    expect(payloads).toEqual([{ command: '/deploy', text: 'prod' }]);
  });

  it('Fastify’s bodyLimit does not pre-empt maxBodyBytes: a body over bodyLimit but under maxBodyBytes → 200', async () => {
    const { receiver } = receiverWith({ maxBodyBytes: 1024 * 1024 });
    const app = Fastify({ bodyLimit: 100 });
    app.register(fastifyPlugin, { receiver, path: '/webhooks' });
    const url = await start(app);
    const big = Buffer.from(JSON.stringify({ type: 'invoice.paid', data: { id: 'in_1', amount: 1, note: 'x'.repeat(100_000) } }));
    const res = await sendOverHttp(url, signed(big));
    expect([res.status, JSON.parse(res.body)]).toEqual([200, { ok: true }]);
  });

  it.each([false, true])('maxBodyBytes decides, not a larger bodyLimit → 413 with hookguard’s JSON (chunked: %s)', async (chunked) => {
    const { receiver, seen } = receiverWith({ maxBodyBytes: 1024 });
    const app = Fastify({ bodyLimit: 10 * 1024 * 1024 });
    app.register(fastifyPlugin, { receiver, path: '/webhooks' });
    const url = await start(app);
    const res = await sendOverHttp(url, { ...signed(Buffer.alloc(64 * 1024, 0x61)), chunked });
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'body_too_large', message: 'The body is larger than maxBodyBytes (1024 bytes).' } });
    expect(res.status).toBe(413);
    expect(seen).toHaveLength(0);
  });

  it('works under a prefix, and two instances side by side keep their own receivers', async () => {
    const a = receiverWith();
    const b = receiverWith();
    const app = Fastify();
    app.register(fastifyPlugin, { receiver: a.receiver, path: '/a', prefix: '/webhooks' });
    app.register(fastifyPlugin, { receiver: b.receiver, path: '/b', prefix: '/webhooks' });
    const url = await start(app);
    expect((await sendOverHttp(url, signed(paid, {}, '/webhooks/a'))).status).toBe(200);
    expect((await sendOverHttp(url, signed(paid, {}, '/webhooks/b'))).status).toBe(200);
    expect((await sendOverHttp(url, signed(paid, {}, '/webhooks/b?retry=1'))).status).toBe(200);
    expect([a.seen.length, b.seen.length]).toEqual([1, 2]);
  });

  it('a parent preParsing hook that consumed the stream (what fastify-raw-body does) → [500, misconfigured] naming the fix', async () => {
    const { receiver, seen } = receiverWith();
    const app = Fastify();
    app.addHook('preParsing', async (request, _reply, payload) => {
      const chunks: Buffer[] = [];
      for await (const chunk of payload) chunks.push(chunk as Buffer);
      Object.assign(request, { rawBody: Buffer.concat(chunks) });
      return Readable.from(chunks);
    });
    app.register(fastifyPlugin, { receiver, path: '/webhooks' });
    const url = await start(app);
    const res = await sendOverHttp(url, signed());
    expect(outcome(res)).toEqual([500, 'misconfigured']);
    const message = (JSON.parse(res.body) as { error: { message: string } }).error.message;
    expect(message).toBe(FASTIFY_CONSUMED);
    expect(message).toContain('in its own encapsulated context (app.register');
    expect(message).toContain('fastify-raw-body');
    expect(seen).toHaveLength(0);
  });
});
