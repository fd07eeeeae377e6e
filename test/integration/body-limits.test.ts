/**
 * The limits that come before and around reading a body (#13 items 1 and 3), through real
 * servers on 127.0.0.1 driven by a raw client: header checks answered without reading the body,
 * the process-wide budget (503 overloaded + Retry-After), the idle timeout, the inflation cap,
 * and the cap on public-key verifications. Each case asserts the exact [status, code].
 */
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express from 'express';
import { serve as serveHono } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { expressMiddleware } from '../../src/adapters/express.js';
import { fetchHandler } from '../../src/adapters/fetch.js';
import { nodeHandler } from '../../src/adapters/node.js';
import { createBodyBudget } from '../../src/core/body-budget.js';
import { providers } from '../../src/providers/index.js';
import { createReceiver } from '../../src/receiver/create-receiver.js';
import type { Receiver, ReceiverOptions } from '../../src/receiver/types.js';
import { generateEd25519KeyPair } from '../../src/testing/index.js';
import { pieces, rawRequest, type RawResponse } from '../helpers/raw-http.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const provider = providers.standardWebhooks({ secret: SECRET });
const paid = Buffer.from(JSON.stringify({ type: 'invoice.paid', data: { id: 'in_1' } }));

const open: Server[] = [];
afterEach(async () => {
  for (const server of open.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

interface Served {
  port: number;
  handled: number;
  errors: string[];
}

type Adapter = 'express' | 'node' | 'fetch';

async function serve(options: Partial<ReceiverOptions> = {}, adapter: Adapter = 'express'): Promise<Served> {
  const receiver: Receiver = createReceiver({ provider, ...options });
  const served: Served = { port: 0, handled: 0, errors: [] };
  receiver.onAny(() => void served.handled++);
  receiver.onError((error) => void served.errors.push(error.code));
  let server: Server;
  if (adapter === 'fetch') {
    server = serveHono({ fetch: fetchHandler(receiver), port: 0, hostname: '127.0.0.1' }) as Server;
    if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  } else {
    const app = express();
    app.post('/webhooks', expressMiddleware(receiver));
    server = createServer(adapter === 'node' ? nodeHandler(receiver) : app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  }
  open.push(server);
  served.port = (server.address() as AddressInfo).port;
  return served;
}

function sign(body: Buffer, signer = provider): Record<string, string> {
  return signer.sign({ body, id: `msg_${randomBytes(6).toString('hex')}` }).headers;
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

describe('header checks before the body is read (#13)', () => {
  for (const adapter of ['express', 'node', 'fetch'] as const) {
    it(`${adapter}: a 1 MiB body with no signature header → [400, missing_header] before a body byte is sent`, async () => {
      const served = await serve({}, adapter);
      const headers = sign(paid);
      delete headers['webhook-signature'];
      const response = await rawRequest({ port: served.port, headers: { ...headers, 'Content-Length': String(1024 * 1024) }, chunks: [Buffer.alloc(0)], timeoutMs: 5_000 });
      expect(codeOf(response)).toEqual([400, 'missing_header']);
      expect(response.bytesWrittenBefore).toBe(0);
    });

    it(`${adapter}: a stale timestamp → [401, timestamp_too_old] before a body byte is sent`, async () => {
      const served = await serve({}, adapter);
      const headers = provider.sign({ body: paid, id: 'msg_stale', timestamp: Math.floor(Date.now() / 1000) - 3600 }).headers;
      const response = await rawRequest({ port: served.port, headers: { ...headers, 'Content-Length': String(1024 * 1024) }, chunks: [Buffer.alloc(0)], timeoutMs: 5_000 });
      expect(codeOf(response)).toEqual([401, 'timestamp_too_old']);
      expect(response.bytesWrittenBefore).toBe(0);
    });
  }

  it('a malformed signature header → [400, malformed_header] before a body byte is sent', async () => {
    const github = providers.github({ secret: 'gh-secret' });
    const app = await serveProvider(github);
    const headers = { ...github.sign({ body: paid, type: 'push' }).headers, 'x-hub-signature-256': 'md5=abc' };
    const response = await rawRequest({ port: app.port, headers: { ...headers, 'Content-Length': String(1024 * 1024) }, chunks: [Buffer.alloc(0)], timeoutMs: 5_000 });
    expect(codeOf(response)).toEqual([400, 'malformed_header']);
    expect(response.bytesWrittenBefore).toBe(0);
    expect(app.handled).toBe(0);
  });
});

async function serveProvider(chosen: ReceiverOptions['provider'], options: Partial<ReceiverOptions> = {}): Promise<Served> {
  const receiver = createReceiver({ provider: chosen, ...options });
  const served: Served = { port: 0, handled: 0, errors: [] };
  receiver.onAny(() => void served.handled++);
  receiver.onError((error) => void served.errors.push(error.code));
  const app = express();
  app.post('/webhooks', expressMiddleware(receiver));
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push(server);
  served.port = (server.address() as AddressInfo).port;
  return served;
}

describe('the body budget across requests in flight → 503 overloaded (#13)', () => {
  for (const adapter of ['express', 'node', 'fetch'] as const) {
    it(`${adapter}: a 64 KiB budget held by one slow 60 KiB body; the next delivery → [503, overloaded] with Retry-After, and after it finishes a delivery → 200`, async () => {
      const bodyBudget = createBodyBudget({ maxBytes: 64 * 1024 });
      const served = await serve({ bodyBudget, maxBodyBytes: 64 * 1024 }, adapter);
      const slowBody = Buffer.from(JSON.stringify({ type: 'invoice.paid', pad: 'x'.repeat(60 * 1024) }));
      const frame = (bytes: Buffer, last = false) => Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from(last ? '\r\n0\r\n\r\n' : '\r\n')]);
      // The slow one: chunked, so every adapter streams it (taking each chunk from the budget), and holds 60 KiB for 600 ms.
      const slow = rawRequest({
        port: served.port,
        headers: { ...sign(slowBody), 'Transfer-Encoding': 'chunked' },
        chunks: [frame(slowBody.subarray(0, 60 * 1024)), frame(slowBody.subarray(60 * 1024), true)],
        intervalMs: 600,
        timeoutMs: 5_000,
      });
      await new Promise((resolve) => setTimeout(resolve, 250));
      // 8 KiB does not fit in the 4 KiB left.
      const second = Buffer.from(JSON.stringify({ type: 'invoice.paid', pad: 'y'.repeat(8 * 1024) }));
      const refused = await rawRequest({ port: served.port, headers: { ...sign(second), 'Content-Length': String(second.length) }, chunks: [second] });
      expect(codeOf(refused)).toEqual([503, 'overloaded']);
      expect(refused.headers['retry-after']).toBe('5');
      expect(codeOf(await slow)).toEqual([200, undefined]);
      const later = await rawRequest({ port: served.port, headers: { ...sign(paid), 'Content-Length': String(paid.length) }, chunks: [paid] });
      expect(codeOf(later)).toEqual([200, undefined]);
      expect(served.handled).toBe(2);
      expect(bodyBudget.inUse).toBe(0);
      expect(served.errors).toEqual(['overloaded']);
    });
  }

  it('maxBodyBytes larger than the budget → createReceiver throws misconfigured, naming both options', () => {
    let thrown: unknown;
    try {
      createReceiver({ provider, maxBodyBytes: 2048, bodyBudget: createBodyBudget({ maxBytes: 1024 }) });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'misconfigured', status: 500 });
    expect((thrown as Error).message).toContain('bodyBudget');
    expect((thrown as Error).message).toContain('maxBodyBytes');
  });
});

describe('a body that stops sending → 408 body_timeout after bodyIdleTimeoutMs (#13)', () => {
  for (const adapter of ['express', 'node', 'fetch'] as const) {
    it(`${adapter}: half a 200 KiB body, then silence, against bodyIdleTimeoutMs 300 and bodyTimeoutMs 20 s → [408, body_timeout] within 3 s`, async () => {
      const served = await serve({ bodyIdleTimeoutMs: 300, bodyTimeoutMs: 20_000 }, adapter);
      const body = Buffer.from(JSON.stringify({ type: 'invoice.paid', pad: 'x'.repeat(200 * 1024) }));
      const response = await rawRequest({
        port: served.port,
        headers: { ...sign(body), 'Content-Length': String(body.length) },
        chunks: [body.subarray(0, 100 * 1024)],
        timeoutMs: 5_000,
      });
      expect(codeOf(response)).toEqual([408, 'body_timeout']);
      expect(response.body).toContain('bodyIdleTimeoutMs');
      expect(response.at).toBeGreaterThanOrEqual(250);
      expect(response.at).toBeLessThan(3_000);
      expect(served.handled).toBe(0);
    });
  }

  it('a body arriving in pieces 100 ms apart (never idle for 300 ms) → 200', async () => {
    const served = await serve({ bodyIdleTimeoutMs: 300 });
    const headers = sign(paid);
    const response = await rawRequest({ port: served.port, headers: { ...headers, 'Content-Length': String(paid.length) }, chunks: pieces(paid, 8), intervalMs: 100 });
    expect(codeOf(response)).toEqual([200, undefined]);
  });
});

describe('the inflation cap (#13)', () => {
  for (const adapter of ['express', 'node', 'fetch'] as const) {
    it(`${adapter}: 512 KiB of zeros gzipped (~520 B, under maxBodyBytes decoded) → [413, body_too_large] naming the ratio`, async () => {
      const served = await serve({}, adapter);
      const zeros = Buffer.alloc(512 * 1024);
      const bomb = gzipSync(zeros);
      const response = await rawRequest({ port: served.port, headers: { ...sign(zeros), 'Content-Encoding': 'gzip', 'Content-Length': String(bomb.length) }, chunks: [bomb] });
      expect(codeOf(response)).toEqual([413, 'body_too_large']);
      expect(response.body).toContain('inflates more than 100');
    });
  }

  it('a real JSON body gzipped (ratio well under 100) → 200: the decoded bytes are verified', async () => {
    const served = await serve();
    const body = Buffer.from(JSON.stringify({ type: 'invoice.paid', items: Array.from({ length: 500 }, (_, i) => ({ id: `in_${i}`, amount: i * 7, currency: 'eur' })) }));
    const gzipped = gzipSync(body);
    expect(body.length / gzipped.length).toBeLessThan(100);
    const response = await rawRequest({ port: served.port, headers: { ...sign(body), 'Content-Encoding': 'gzip', 'Content-Length': String(gzipped.length) }, chunks: [gzipped] });
    expect(codeOf(response)).toEqual([200, undefined]);
  });
});

describe('public-key verifications per request are capped (#13 item 3)', () => {
  const keys = [generateEd25519KeyPair(), generateEd25519KeyPair(), generateEd25519KeyPair()];
  const verifier = providers.standardWebhooks({ publicKey: keys.map((k) => k.publicKey) });

  it('3 keys, 10 forged v1a signatures → [400, malformed_header] before a body byte is sent', async () => {
    const served = await serveProvider(verifier);
    const forged = Array.from({ length: 10 }, () => `v1a,${randomBytes(64).toString('base64')}`).join(' ');
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': forged };
    const response = await rawRequest({ port: served.port, headers: { ...headers, 'Content-Length': String(1024 * 1024) }, chunks: [Buffer.alloc(0)], timeoutMs: 5_000 });
    expect(codeOf(response)).toEqual([400, 'malformed_header']);
    expect(response.body).toContain('at most 2');
    expect(response.bytesWrittenBefore).toBe(0);
  });

  it('3 keys, a genuine signature among 2 → 200 (the cap leaves room for rotation)', async () => {
    const served = await serveProvider(verifier);
    const signer = providers.standardWebhooks({ publicKey: keys[2]!.publicKey, privateKey: keys[2]!.privateKey });
    const headers = signer.sign({ body: paid, id: 'msg_ok' }).headers;
    headers['webhook-signature'] = `v1a,${randomBytes(64).toString('base64')} ${headers['webhook-signature']}`;
    const response = await rawRequest({ port: served.port, headers: { ...headers, 'Content-Length': String(paid.length) }, chunks: [paid] });
    expect(codeOf(response)).toEqual([200, undefined]);
    expect(served.handled).toBe(1);
  });
});
