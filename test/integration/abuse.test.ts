/**
 * HTTP abuse (#6) against a real Express server on 127.0.0.1:0, driven by a raw `net` client so
 * the test controls timing: each case asserts the exact [status, code].
 */
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { gzipSync } from 'node:zlib';
import express, { type RequestHandler } from 'express';
import { serve as serveHono } from '@hono/node-server';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { expressMiddleware } from '../../src/adapters/express.js';
import { fastifyPlugin } from '../../src/adapters/fastify.js';
import { fetchHandler } from '../../src/adapters/fetch.js';
import { nodeHandler } from '../../src/adapters/node.js';
import { defineProvider } from '../../src/providers/define-provider.js';
import { providers } from '../../src/providers/index.js';
import { hmacCheck, type SignatureCheck } from '../../src/providers/signature-check.js';
import { MAX_SIGNATURES, versionedSignatureList } from '../../src/providers/signature-header.js';
import type { Provider } from '../../src/providers/types.js';
import { importSecrets } from '../../src/crypto/keys.js';
import { createReceiver } from '../../src/receiver/create-receiver.js';
import type { Receiver, ReceiverOptions } from '../../src/receiver/types.js';
import { chunked, pieces, rawRequest, type RawResponse } from '../helpers/raw-http.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const provider = providers.standardWebhooks({ secret: SECRET });
const now = () => Math.floor(Date.now() / 1000);

function sign(body: Buffer | string, signer: Provider = provider): { headers: Record<string, string>; body: Buffer } {
  const bytes = Buffer.from(body);
  const { headers } = signer.sign({ body: bytes, id: `msg_${randomBytes(6).toString('hex')}` });
  return { headers, body: bytes };
}

const paid = Buffer.from(JSON.stringify({ type: 'invoice.paid', data: { id: 'in_1', amount: 4200 } }));

interface Served {
  port: number;
  handled: number;
  errors: string[];
}

const open: Server[] = [];
afterEach(async () => {
  for (const server of open.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** An Express app with the middleware at /webhooks (after `front`), on a server with `serverOptions`. */
async function serve(options: Partial<ReceiverOptions> & { front?: RequestHandler[]; maxHeaderSize?: number; receiver?: Receiver } = {}): Promise<Served> {
  const { front = [], maxHeaderSize, receiver: given, ...receiverOptions } = options;
  const receiver = given ?? createReceiver({ provider, ...receiverOptions });
  const served: Served = { port: 0, handled: 0, errors: [] };
  receiver.onAny(() => {
    served.handled++;
  });
  receiver.onError((error) => served.errors.push(error.code));
  const app = express();
  for (const middleware of front) app.use(middleware);
  app.all('/webhooks', expressMiddleware(receiver));
  const server = createServer(maxHeaderSize === undefined ? {} : { maxHeaderSize }, app);
  return listenOn(server, served);
}

async function listenOn(server: Server, served: Served): Promise<Served> {
  open.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  served.port = (server.address() as AddressInfo).port;
  return served;
}

function codeOf(response: RawResponse): [number, string | undefined] {
  let code: string | undefined;
  try {
    code = (JSON.parse(response.body) as { error?: { code?: string } }).error?.code;
  } catch {
    code = undefined;
  }
  return [response.status, code];
}

describe('a body over the limit, sent slowly → 413 before the body ends', () => {
  it('chunked, no Content-Length: 64 KiB at 1 KiB per 20 ms against maxBodyBytes 4 KiB → [413, body_too_large] while the client is still writing (#6)', async () => {
    const { port } = await serve({ maxBodyBytes: 4096 });
    const signed = sign(paid);
    const response = await rawRequest({
      port,
      headers: { ...signed.headers, 'Transfer-Encoding': 'chunked' },
      chunks: chunked(64, 1024),
      intervalMs: 20,
    });
    expect(codeOf(response)).toEqual([413, 'body_too_large']);
    expect(response.answeredWhileWriting).toBe(true);
    expect(response.bytesWrittenBefore).toBeLessThan(64 * 1024);
    expect(response.bytesWrittenBefore).toBeGreaterThan(4096);
  });

  it('Content-Length: 10 MiB declared against 1 MiB → [413, body_too_large] before a single body byte is sent (#6)', async () => {
    const { port, handled } = await serve();
    const signed = sign(paid);
    const response = await rawRequest({ port, headers: { ...signed.headers, 'Content-Length': String(10 * 1024 * 1024) }, chunks: [Buffer.alloc(0)] });
    expect(codeOf(response)).toEqual([413, 'body_too_large']);
    expect(response.bytesWrittenBefore).toBe(0);
    expect(handled).toBe(0);
  });
});

/** A signed delivery sent one byte every 50 ms, waiting for the server to close the connection. */
function drip(port: number): Promise<RawResponse> {
  const signed = sign(paid);
  return rawRequest({
    port,
    headers: { ...signed.headers, 'Content-Length': String(signed.body.length) },
    chunks: pieces(signed.body, signed.body.length),
    intervalMs: 50,
    timeoutMs: 10_000,
    awaitClose: true,
  });
}

describe('a slow-drip body → 408 body_timeout', () => {
  it('one byte every 50 ms against bodyTimeoutMs 400 → [408, body_timeout] with Connection: close, and the server closes the connection (#6)', async () => {
    const served = await serve({ bodyTimeoutMs: 400 });
    const response = await drip(served.port);
    expect(codeOf(response)).toEqual([408, 'body_timeout']);
    expect(response.headers.connection).toBe('close');
    expect(response.serverClosed).toBe(true);
    expect(response.answeredWhileWriting).toBe(true);
    expect(response.at).toBeGreaterThanOrEqual(390);
    expect(response.at).toBeLessThan(5_000);
    expect(served.handled).toBe(0);
    expect(served.errors).toEqual(['body_timeout']);
  });

  it('a body that arrives in time is not affected: 10 pieces 20 ms apart with bodyTimeoutMs 2000 → 200 (#6)', async () => {
    const served = await serve({ bodyTimeoutMs: 2_000 });
    const signed = sign(paid);
    const response = await rawRequest({ port: served.port, headers: { ...signed.headers, 'Content-Length': String(signed.body.length) }, chunks: pieces(signed.body, 10), intervalMs: 20 });
    expect(codeOf(response)).toEqual([200, undefined]);
    expect(served.handled).toBe(1);
  });

  it('the default bodyTimeoutMs is 30 s; false turns it off (#6)', () => {
    expect(createReceiver({ provider }).bodyTimeoutMs).toBe(30_000);
    expect(createReceiver({ provider, bodyTimeoutMs: false }).bodyTimeoutMs).toBe(false);
  });

  it('nodeHandler and the Fastify plugin time out a drip the same way → [408, body_timeout] (#6)', async () => {
    const receiver = createReceiver({ provider, bodyTimeoutMs: 300 });
    const nodeServer = createServer(nodeHandler(receiver, { path: '/webhooks' }));
    const nodeServed = await listenOn(nodeServer, { port: 0, handled: 0, errors: [] });
    const fastify = Fastify();
    await fastify.register(fastifyPlugin, { receiver, path: '/webhooks' });
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    try {
      for (const port of [nodeServed.port, (fastify.server.address() as AddressInfo).port]) {
        const response = await drip(port);
        expect(codeOf(response)).toEqual([408, 'body_timeout']);
      }
    } finally {
      await fastify.close();
    }
  });

  it('fetchHandler on Hono (@hono/node-server) times out a drip the same way, and closes the connection → [408, body_timeout]', async () => {
    const receiver = createReceiver({ provider, bodyTimeoutMs: 300 });
    const errors: string[] = [];
    receiver.onError((error) => errors.push(error.code));
    const app = new Hono();
    const handle = fetchHandler(receiver);
    app.post('/webhooks', (c) => handle(c.req.raw));
    const server = serveHono({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    open.push(server);
    if (!server.listening) await once(server, 'listening');
    const response = await drip((server.address() as AddressInfo).port);
    expect(codeOf(response)).toEqual([408, 'body_timeout']);
    expect(response.headers.connection).toBe('close');
    expect(response.answeredWhileWriting).toBe(true);
    expect(response.at).toBeGreaterThanOrEqual(290);
    expect(response.at).toBeLessThan(5_000);
    expect(errors).toEqual(['body_timeout']);
  });
});

describe('a gzip bomb → 413 on the decoded size', () => {
  it('64 MiB of zeros gzipped to ~64 KiB (under the wire limit) → [413, body_too_large], no handler (#6)', async () => {
    const served = await serve();
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const signed = sign(paid);
    const response = await rawRequest({
      port: served.port,
      headers: { ...signed.headers, 'Content-Encoding': 'gzip', 'Content-Length': String(bomb.length) },
      chunks: pieces(bomb, 8),
    });
    expect(codeOf(response)).toEqual([413, 'body_too_large']);
    expect(served.handled).toBe(0);
  });

  it('a signed body that really is gzipped and fits → 200: the decoded bytes are what was signed (#6)', async () => {
    const served = await serve();
    const signed = sign(paid);
    const gzipped = gzipSync(signed.body);
    const response = await rawRequest({ port: served.port, headers: { ...signed.headers, 'Content-Encoding': 'gzip', 'Content-Length': String(gzipped.length) }, chunks: [gzipped] });
    expect(codeOf(response)).toEqual([200, undefined]);
    expect(served.handled).toBe(1);
  });
});

describe('invalid UTF-8 in a JSON body', () => {
  it('correctly signed bytes {"a":"\\xff\\xfe"} → [400, invalid_body], never decoded with replacement characters (#6)', async () => {
    const served = await serve();
    const body = Buffer.concat([Buffer.from('{"type":"invoice.paid","note":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
    const signed = sign(body);
    const response = await rawRequest({ port: served.port, headers: { ...signed.headers, 'Content-Length': String(body.length) }, chunks: [body] });
    expect(codeOf(response)).toEqual([400, 'invalid_body']);
    expect(served.handled).toBe(0);
  });
});

describe('an oversized header', () => {
  it("a 20 KiB header (over Node's 16 KiB default) → Node answers 431 itself; hookguard never runs (#6)", async () => {
    const served = await serve();
    const signed = sign(paid);
    const response = await rawRequest({ port: served.port, headers: { ...signed.headers, 'X-Padding': 'a'.repeat(20 * 1024), 'Content-Length': String(paid.length) }, chunks: [paid] });
    expect(response.status).toBe(431);
    expect(served.handled).toBe(0);
    expect(served.errors).toEqual([]);
  });
});

describe('a signature header with 10,000 entries → bounded work', () => {
  /** The Standard Webhooks scheme over a check that records what it is asked to compare. */
  function countingProvider(): { provider: Provider; calls: number[] } {
    const calls: number[] = [];
    const real = hmacCheck({ keys: importSecrets(SECRET, 'whsec'), algorithm: 'sha256', encoding: 'base64', version: 'v1' });
    const counting: SignatureCheck = { ...real, matches: (parts, candidates) => (calls.push(candidates.length), real.matches(parts, candidates)) };
    return {
      calls,
      provider: defineProvider({
        name: 'counting',
        signatureHeader: 'webhook-signature',
        signatureFormat: versionedSignatureList(' ', ','),
        checks: [counting],
        timestampHeader: 'webhook-timestamp',
        idHeader: 'webhook-id',
        idSigned: true,
        signedContent: ({ id, timestamp, body }) => [`${id}.${timestamp}.`, body],
      }),
    };
  }

  const junkEntries = (count: number) => Array.from({ length: count }, () => `v1,${randomBytes(32).toString('base64')}`).join(' ');

  it('10,000 wrong v1 signatures (a 490 KB header, on a server that allows 1 MiB headers) → [401, signature_mismatch]; one HMAC, at most MAX_SIGNATURES + 2 candidates looked at (#6)', async () => {
    const counted = countingProvider();
    const served = await serve({ receiver: createReceiver({ provider: counted.provider }), maxHeaderSize: 1024 * 1024 });
    const signed = sign(paid);
    const started = performance.now();
    const response = await rawRequest({
      port: served.port,
      headers: { ...signed.headers, 'webhook-signature': junkEntries(10_000), 'Content-Length': String(paid.length) },
      chunks: [paid],
    });
    const elapsed = performance.now() - started;
    expect(codeOf(response)).toEqual([401, 'signature_mismatch']);
    expect(counted.calls).toHaveLength(1); // one check.matches → one HMAC per key (one key)
    expect(counted.calls[0]).toBeLessThanOrEqual(MAX_SIGNATURES + 2);
    expect(elapsed).toBeLessThan(2_000); // generous: the bound is the counts above; this only catches a pathology
  });

  it('the valid signature placed after 10,000 junk entries is never reached → [401, signature_mismatch] (a sender sends a handful) (#6)', async () => {
    const served = await serve({ maxHeaderSize: 1024 * 1024 });
    const signed = sign(paid);
    const response = await rawRequest({
      port: served.port,
      headers: { ...signed.headers, 'webhook-signature': `${junkEntries(10_000)} ${signed.headers['webhook-signature']}`, 'Content-Length': String(paid.length) },
      chunks: [paid],
    });
    expect(codeOf(response)).toEqual([401, 'signature_mismatch']);
    expect(served.handled).toBe(0);
  });

  it('Stripe: t=…,v1=… with 10,000 v1 entries → [401, signature_mismatch] (#6)', async () => {
    const stripe = providers.stripe({ secret: 'whsec_abuse' });
    const served = await serve({ receiver: createReceiver({ provider: stripe }), maxHeaderSize: 1024 * 1024 });
    const entries = Array.from({ length: 10_000 }, () => `v1=${randomBytes(32).toString('hex')}`).join(',');
    const response = await rawRequest({ port: served.port, headers: { 'Stripe-Signature': `t=${now()},${entries}`, 'Content-Length': String(paid.length) }, chunks: [paid] });
    expect(codeOf(response)).toEqual([401, 'signature_mismatch']);
  });
});

describe('methods other than POST', () => {
  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    it(`${method} → [405, method_not_allowed] with Allow: POST, the body never read (#6)`, async () => {
      const served = await serve({ maxBodyBytes: 16 });
      const response = await rawRequest({ port: served.port, method, headers: { 'Content-Length': String(paid.length) }, chunks: [paid] });
      expect(codeOf(response)).toEqual([405, 'method_not_allowed']);
      expect(response.headers.allow).toBe('POST');
      expect(served.handled).toBe(0);
    });
  }

  it('HEAD → 405 with Allow: POST (#6)', async () => {
    const served = await serve();
    const response = await rawRequest({ port: served.port, method: 'HEAD', headers: {} });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('POST');
    expect(served.handled).toBe(0);
  });
});

describe('the content type does not gate verification', () => {
  for (const contentType of ['text/plain', 'application/octet-stream', 'application/x-www-form-urlencoded; charset=utf-8', 'image/png', undefined]) {
    it(`a signed JSON delivery sent as ${contentType ?? 'no Content-Type'} → 200: the signature decides, not the label (#6)`, async () => {
      const served = await serve();
      const signed = sign(paid);
      const headers: Record<string, string> = { ...signed.headers, 'Content-Length': String(paid.length) };
      delete headers['content-type'];
      if (contentType !== undefined) headers['Content-Type'] = contentType;
      const response = await rawRequest({ port: served.port, headers, chunks: [paid] });
      expect(codeOf(response)).toEqual([200, undefined]);
      expect(served.handled).toBe(1);
    });
  }

  it('an unsigned body under a trusted-looking Content-Type is still refused → [401, signature_mismatch] (#6)', async () => {
    const served = await serve();
    const signed = sign(paid);
    const forged = Buffer.from(JSON.stringify({ type: 'invoice.paid', data: { id: 'in_1', amount: 1 } }));
    const response = await rawRequest({ port: served.port, headers: { ...signed.headers, 'Content-Length': String(forged.length) }, chunks: [forged] });
    expect(codeOf(response)).toEqual([401, 'signature_mismatch']);
  });
});

describe('a body parser mounted in front', () => {
  const parsers: [string, RequestHandler, string][] = [
    ['express.json()', express.json(), 'application/json'],
    ['express.text()', express.text(), 'text/plain'],
    ["express.urlencoded({ extended: false })", express.urlencoded({ extended: false }), 'application/x-www-form-urlencoded'],
  ];
  for (const [name, parser, contentType] of parsers) {
    it(`${name} in front → [500, misconfigured] naming the fix, never a verification over re-serialised JSON (#6)`, async () => {
      const served = await serve({ front: [parser] });
      const { 'content-type': _json, ...headers } = sign(paid).headers;
      const response = await rawRequest({ port: served.port, headers: { ...headers, 'Content-Type': contentType, 'Content-Length': String(paid.length) }, chunks: [paid] });
      expect(codeOf(response)).toEqual([500, 'misconfigured']);
      expect(response.body).toContain('express.json()');
      expect(served.handled).toBe(0);
    });
  }

  it("express.raw({ type: '*/*' }) in front is fine → 200 (it keeps the bytes) (#6)", async () => {
    const served = await serve({ front: [express.raw({ type: '*/*' })] });
    const signed = sign(paid);
    const response = await rawRequest({ port: served.port, headers: { ...signed.headers, 'Content-Length': String(paid.length) }, chunks: [paid] });
    expect(codeOf(response)).toEqual([200, undefined]);
  });
});

describe('duplicate JSON keys', () => {
  it('a signed body with "amount" twice → 200; delivery.payload is JSON.parse of the signed bytes (the last key wins) and rawBody is those bytes (#6)', async () => {
    const receiver = createReceiver({ provider });
    const seen: { amount: unknown; raw: string }[] = [];
    receiver.on('invoice.paid', ({ payload, rawBody }) => {
      seen.push({ amount: (payload as { data: { amount: unknown } }).data.amount, raw: Buffer.from(rawBody).toString('utf8') });
    });
    const served = await serve({ receiver });
    const body = Buffer.from('{"type":"invoice.paid","data":{"id":"in_1","amount":1,"amount":9999}}');
    const signed = sign(body);
    const response = await rawRequest({ port: served.port, headers: { ...signed.headers, 'Content-Length': String(body.length) }, chunks: [body] });
    expect(codeOf(response)).toEqual([200, undefined]);
    expect(seen).toEqual([{ amount: 9999, raw: body.toString('utf8') }]);
  });
});
