/**
 * hookguard/fetch: fetchHandler() driven with real `Request` objects (as Next.js, Bun, Deno and
 * Workers call it), and through Hono in-process (`app.request()`).
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { FETCH_CONSUMED, fetchHandler } from '../../../src/adapters/fetch.js';
import { providers } from '../../../src/providers/index.js';
import { createReceiver } from '../../../src/receiver/create-receiver.js';
import { generateEd25519KeyPair } from '../../../src/testing/index.js';

const provider = providers.standardWebhooks({ secret: 'whsec_aG9va2d1YXJkLWZldGNoLXRlc3Qtc2VjcmV0LTMyLWJ5dGVzIQ==' });
const paid = Buffer.from(JSON.stringify({ type: 'invoice.paid', data: { id: 'in_1', amount: 4200 } }));
const URL_ = 'https://example.com/api/webhooks';

function receiverWith(options: { maxBodyBytes?: number } = {}) {
  const bodies: Buffer[] = [];
  const receiver = createReceiver({ provider, ...options });
  receiver.on('invoice.paid', (delivery) => void bodies.push(Buffer.from(delivery.rawBody)));
  return { handle: fetchHandler(receiver), bodies };
}

function post(body: RequestInit['body'], headers: Record<string, string> = {}, signedBody: Buffer = paid): Request {
  const init: RequestInit & { duplex?: 'half' } = { method: 'POST', headers: { ...provider.sign({ body: signedBody }).headers, ...headers }, body };
  if (body instanceof ReadableStream) init.duplex = 'half';
  return new Request(URL_, init);
}

/** A body stream that yields `chunk` `times` times (forever when Infinity), counting what was pulled. */
function counting(chunk: Uint8Array, times = Number.POSITIVE_INFINITY) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= times) return controller.close();
      pulled += 1;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

async function outcome(response: Response): Promise<[number, string | undefined]> {
  const body = (await response.json()) as { error?: { code?: string } };
  return [response.status, body.error?.code];
}

describe('fetchHandler(receiver)', () => {
  it('a valid delivery → 200 {"ok":true}, the handler seeing exactly the bytes sent', async () => {
    const { handle, bodies } = receiverWith();
    const res = await handle(post(paid));
    expect([res.status, await res.json()]).toEqual([200, { ok: true }]);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(bodies).toEqual([paid]);
  });

  it('reads a streamed body (no Content-Length) across many chunks', async () => {
    const { handle, bodies } = receiverWith();
    const chunks = [paid.subarray(0, 5), paid.subarray(5, 20), paid.subarray(20)];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new Uint8Array(chunk));
        controller.close();
      },
    });
    expect((await handle(post(stream))).status).toBe(200);
    expect(bodies).toEqual([paid]);
  });

  it('an endless stream → [413, body_too_large] after reading just past maxBodyBytes', async () => {
    const { handle } = receiverWith({ maxBodyBytes: 64 * 1024 });
    const body = counting(new Uint8Array(16 * 1024));
    expect(await outcome(await handle(post(body.stream)))).toEqual([413, 'body_too_large']);
    expect(body.pulled()).toBeLessThanOrEqual(6); // 5 chunks pass the limit; one more may be buffered
  });

  it('a Content-Length over maxBodyBytes → [413, body_too_large] before a byte is read', async () => {
    const { handle } = receiverWith({ maxBodyBytes: 1024 });
    const body = counting(new Uint8Array(1024), 4);
    const res = await handle(post(body.stream, { 'content-length': '4096' }));
    expect(await outcome(res)).toEqual([413, 'body_too_large']);
    expect(body.pulled()).toBeLessThanOrEqual(1); // at most the stream's own first pull, never read by us
  });

  it.each([
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    ['deflate', deflateSync],
  ] as const)('Content-Encoding: %s is inflated with DecompressionStream and verified as the signed bytes', async (encoding, compress) => {
    const { handle, bodies } = receiverWith();
    const res = await handle(post(new Uint8Array(compress(paid)), { 'content-encoding': encoding }));
    expect([res.status, await res.json()]).toEqual([200, { ok: true }]);
    expect(bodies).toEqual([paid]);
  });

  it('a gzip bomb → [413, body_too_large]: the decoded size is held to maxBodyBytes', async () => {
    const { handle } = receiverWith({ maxBodyBytes: 64 * 1024 });
    const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024));
    expect(bomb.byteLength).toBeLessThan(64 * 1024);
    expect(await outcome(await handle(post(new Uint8Array(bomb), { 'content-encoding': 'gzip' })))).toEqual([413, 'body_too_large']);
  });

  it('compressed wire bytes are held to the limit too (junk after a small gzip member) → [413, body_too_large]', async () => {
    const { handle } = receiverWith({ maxBodyBytes: 4096 });
    const wire = Buffer.concat([gzipSync(paid), Buffer.alloc(8192)]);
    expect(await outcome(await handle(post(counting(new Uint8Array(wire), 1).stream, { 'content-encoding': 'gzip' })))).toEqual([413, 'body_too_large']);
  });

  it('a corrupt gzip body → [400, invalid_body]', async () => {
    const { handle } = receiverWith();
    expect(await outcome(await handle(post('not gzip', { 'content-encoding': 'gzip' })))).toEqual([400, 'invalid_body']);
  });

  it('Content-Encoding: br → [400, invalid_body] naming what works (DecompressionStream has no brotli)', async () => {
    const { handle } = receiverWith();
    const res = await handle(post(new Uint8Array(brotliCompressSync(paid)), { 'content-encoding': 'br' }));
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect([res.status, body.error.code]).toEqual([400, 'invalid_body']);
    expect(body.error.message).toContain('gzip or deflate');
  });

  it('a stream that errors mid-body → [400, invalid_body] (aborted), not a corrupt encoding', async () => {
    const { handle } = receiverWith();
    let sent = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(new Error('socket hang up'));
        sent = true;
        controller.enqueue(new Uint8Array(paid.subarray(0, 10)));
      },
    });
    const res = await handle(post(stream));
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect([res.status, body.error.code]).toEqual([400, 'invalid_body']);
    expect(body.error.message).toContain('aborted');
  });

  it('a POST with no body reaches the receiver as zero bytes → [400, invalid_body]', async () => {
    const { handle } = receiverWith();
    expect(await outcome(await handle(post(null, {}, Buffer.alloc(0))))).toEqual([400, 'invalid_body']);
  });

  it.each(['json', 'text', 'arrayBuffer'] as const)('a body already read with request.%s() → [500, misconfigured] naming the fix for Next.js and Hono', async (method) => {
    const { handle, bodies } = receiverWith();
    const request = post(paid);
    await request[method]();
    const res = await handle(request);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect([res.status, body.error.code]).toEqual([500, 'misconfigured']);
    expect(body.error.message).toBe(FETCH_CONSUMED);
    expect(body.error.message).toContain('export const POST = fetchHandler(receiver)');
    expect(body.error.message).toContain('c.req.raw');
    expect(bodies).toHaveLength(0);
  });

  it('a body locked by a reader someone else took → [500, misconfigured]', async () => {
    const { handle } = receiverWith();
    const request = post(paid);
    request.body?.getReader();
    expect(await outcome(await handle(request))).toEqual([500, 'misconfigured']);
  });

  it('a locked body with a Content-Length (read with arrayBuffer()) → [500, misconfigured] too', async () => {
    const { handle } = receiverWith();
    const request = post(paid, { 'content-length': String(paid.byteLength) });
    request.body?.getReader();
    expect(await outcome(await handle(request))).toEqual([500, 'misconfigured']);
  });

  it('a Content-Length that understates the body (a Request built in-process) → still [413, body_too_large]', async () => {
    const { handle } = receiverWith({ maxBodyBytes: 1024 });
    expect(await outcome(await handle(post(new Uint8Array(64 * 1024), { 'content-length': '10' })))).toEqual([413, 'body_too_large']);
  });

  it('GET → [405, method_not_allowed] with Allow: POST', async () => {
    const { handle } = receiverWith();
    const res = await handle(new Request(URL_));
    expect(await outcome(res)).toEqual([405, 'method_not_allowed']);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('PUT → 405 without reading its body', async () => {
    const { handle } = receiverWith();
    const request = new Request(URL_, { method: 'PUT', body: paid });
    expect(await outcome(await handle(request))).toEqual([405, 'method_not_allowed']);
    expect(request.bodyUsed).toBe(false);
  });

  it('a 204 answer (Discord webhook-event PING) is a Response with a null body', async () => {
    const keys = generateEd25519KeyPair();
    const discord = providers.discord({ ...keys });
    const body = Buffer.from(JSON.stringify({ version: 1, application_id: '1', type: 0 }));
    const res = await fetchHandler(createReceiver({ provider: discord }))(
      new Request(URL_, { method: 'POST', headers: discord.sign({ body }).headers, body }),
    );
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
  });
});

describe('fetchHandler(receiver) in Hono (app.request, no server)', () => {
  it('mounted with app.post(path, (c) => handle(c.req.raw)) → 200', async () => {
    const { handle, bodies } = receiverWith();
    const app = new Hono();
    app.post('/webhooks', (c) => handle(c.req.raw));
    const res = await app.request('/webhooks', { method: 'POST', headers: provider.sign({ body: paid }).headers, body: paid });
    expect([res.status, await res.json()]).toEqual([200, { ok: true }]);
    expect(bodies).toEqual([paid]);
  });

  it('after c.req.json() on the same route → [500, misconfigured], never a re-serialised body', async () => {
    const { handle, bodies } = receiverWith();
    const app = new Hono();
    app.post('/webhooks', async (c) => {
      await c.req.json();
      return handle(c.req.raw);
    });
    const res = await app.request('/webhooks', { method: 'POST', headers: provider.sign({ body: paid }).headers, body: paid });
    expect(await outcome(res)).toEqual([500, 'misconfigured']);
    expect(bodies).toHaveLength(0);
  });
});
