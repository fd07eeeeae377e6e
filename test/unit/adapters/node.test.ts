/**
 * hookguard/node: nodeHandler() on a real node:http server on 127.0.0.1:0, with and without `path`.
 */
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type RequestListener } from 'node:http';
import { brotliCompressSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { NODE_CONSUMED, nodeHandler } from '../../../src/adapters/node.js';
import type { WebhookError } from '../../../src/core/errors.js';
import { providers } from '../../../src/providers/index.js';
import { createReceiver } from '../../../src/receiver/create-receiver.js';
import type { Receiver } from '../../../src/receiver/types.js';
import { sendOverHttp } from '../../helpers/conformance/wire.js';
import type { WireRequest, WireResponse } from '../../helpers/conformance/types.js';
import { listen, type Listening } from '../../helpers/server.js';

const provider = providers.standardWebhooks({ secret: 'whsec_aG9va2d1YXJkLW5vZGUtdGVzdC1zZWNyZXQtMzItYnl0ZXMh' });
const paid = { type: 'invoice.paid', data: { id: 'in_1', amount: 4200 } };

function signedPost(path: string, body: Buffer | string = JSON.stringify(paid), headers: Record<string, string> = {}): WireRequest {
  const bytes = Buffer.from(body);
  return { method: 'POST', path, headers: { ...provider.sign({ body: bytes }).headers, ...headers }, body: bytes };
}

const open: Listening[] = [];
afterEach(async () => {
  for (const server of open.splice(0)) await server.close();
});

async function serve(listener: RequestListener): Promise<string> {
  const server = await listen(createServer(listener));
  open.push(server);
  return server.url;
}

/** A receiver recording the URL each delivery was received at, and what its handler saw. */
function recording(options: { maxBodyBytes?: number } = {}) {
  const urls: (string | undefined)[] = [];
  const bodies: Buffer[] = [];
  const errors: WebhookError[] = [];
  const receiver = createReceiver({ provider, ...options });
  receiver.on('invoice.paid', (delivery) => void bodies.push(Buffer.from(delivery.rawBody)));
  receiver.onError((error) => void errors.push(error));
  const receive = receiver.receive.bind(receiver);
  const spy: Receiver = Object.assign(Object.create(receiver) as Receiver, {
    receive: (input: Parameters<Receiver['receive']>[0]) => {
      urls.push(input.url);
      return receive(input);
    },
  });
  return { receiver: spy, urls, bodies, errors };
}

const outcome = (res: WireResponse) => [res.status, (JSON.parse(res.body) as { error?: { code?: string } }).error?.code];

describe('nodeHandler(receiver) without `path`', () => {
  it('answers a delivery on any path, handing the receiver req.url with its query', async () => {
    const { receiver, urls, bodies } = recording();
    const url = await serve(nodeHandler(receiver));
    const req = signedPost('/hooks/anything?attempt=3');
    const res = await sendOverHttp(url, req);
    expect([res.status, JSON.parse(res.body)]).toEqual([200, { ok: true }]);
    expect(urls).toEqual(['/hooks/anything?attempt=3']);
    expect(bodies).toEqual([req.body]);
  });

  it('GET → [405, method_not_allowed] with Allow: POST', async () => {
    const url = await serve(nodeHandler(recording().receiver));
    const res = await sendOverHttp(url, { method: 'GET', path: '/', headers: {}, body: Buffer.alloc(0) });
    expect(outcome(res)).toEqual([405, 'method_not_allowed']);
    expect(res.headers.allow).toBe('POST');
  });

  it('PUT with a large body → 405 without reading it, and the answer still arrives', async () => {
    const { receiver, bodies } = recording();
    const url = await serve(nodeHandler(receiver));
    const res = await sendOverHttp(url, { ...signedPost('/'), method: 'PUT', body: Buffer.alloc(4 * 1024 * 1024, 0x61), chunked: true });
    expect(outcome(res)).toEqual([405, 'method_not_allowed']);
    expect(bodies).toHaveLength(0);
  });

  it('decodes Content-Encoding: br (node:zlib; the fetch adapter has only gzip and deflate)', async () => {
    const { receiver, bodies } = recording();
    const url = await serve(nodeHandler(receiver));
    const req = signedPost('/');
    const res = await sendOverHttp(url, { ...req, headers: { ...req.headers, 'content-encoding': 'br' }, body: brotliCompressSync(req.body) });
    expect([res.status, JSON.parse(res.body)]).toEqual([200, { ok: true }]);
    expect(bodies).toEqual([req.body]);
  });

  it('answers 413 while the sender is still uploading (limit decided while streaming)', async () => {
    const { receiver, bodies } = recording({ maxBodyBytes: 1024 });
    const url = new URL(await serve(nodeHandler(receiver)));
    const outgoing = request({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers: signedPost('/').headers, agent: false });
    outgoing.on('error', () => {});
    outgoing.write(Buffer.alloc(4096, 0x61)); // and never end(): only a streaming decision can answer
    const [res] = (await once(outgoing, 'response')) as [IncomingMessage];
    let text = '';
    for await (const chunk of res) text += String(chunk);
    outgoing.destroy();
    expect([res.statusCode, (JSON.parse(text) as { error: { code: string } }).error.code]).toEqual([413, 'body_too_large']);
    expect(bodies).toHaveLength(0);
  });

  it('uses req.rawBody when the host kept one (Google Cloud Functions, Firebase)', async () => {
    const { receiver, bodies } = recording();
    const handler = nodeHandler(receiver);
    const req = signedPost('/');
    const url = await serve((incoming, res) => {
      incoming.on('data', () => {});
      incoming.on('end', () => {
        Object.assign(incoming, { rawBody: req.body }); // what GCF's framework does before calling you
        handler(incoming, res);
      });
    });
    const res = await sendOverHttp(url, req);
    expect([res.status, JSON.parse(res.body)]).toEqual([200, { ok: true }]);
    expect(bodies).toEqual([req.body]);
  });

  it('a stream another listener already read → [500, misconfigured], the message naming the fix for node:http and Next.js pages/api', async () => {
    const { receiver, errors } = recording();
    const handler = nodeHandler(receiver);
    const url = await serve((incoming, res) => {
      incoming.resume(); // a body parser that kept no copy
      incoming.once('end', () => handler(incoming, res));
    });
    const res = await sendOverHttp(url, signedPost('/'));
    expect(outcome(res)).toEqual([500, 'misconfigured']);
    const message = (JSON.parse(res.body) as { error: { message: string } }).error.message;
    expect(message).toBe(NODE_CONSUMED);
    expect(message).toContain('nodeHandler()');
    expect(message).toContain('bodyParser: false');
    expect(errors.map((error) => error.code)).toEqual(['misconfigured']);
  });

  it('a receiver whose receive() rejects (a broken contract) still gets an answer: [500, handler_failed]', async () => {
    const receiver = Object.assign(Object.create(createReceiver({ provider })) as Receiver, {
      receive: () => Promise.reject(new Error('broken')),
    });
    const url = await serve(nodeHandler(receiver));
    expect(outcome(await sendOverHttp(url, signedPost('/')))).toEqual([500, 'handler_failed']);
  });
});

describe("nodeHandler(receiver, { path: '/webhooks' })", () => {
  it('answers its path, ignoring the query string', async () => {
    const { receiver, urls } = recording();
    const url = await serve(nodeHandler(receiver, { path: '/webhooks' }));
    const res = await sendOverHttp(url, signedPost('/webhooks?attempt=1'));
    expect([res.status, JSON.parse(res.body)]).toEqual([200, { ok: true }]);
    expect(urls).toEqual(['/webhooks?attempt=1']);
  });

  it.each(['/', '/webhooks/', '/webhooks/extra', '/WEBHOOKS'])('any other path (%s) → 404 not_found, without reaching the receiver or onError', async (path) => {
    const { receiver, urls, errors } = recording();
    const url = await serve(nodeHandler(receiver, { path: '/webhooks' }));
    const res = await sendOverHttp(url, signedPost(path));
    expect(outcome(res)).toEqual([404, 'not_found']);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(urls).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('a GET on its path → 405, on another path → 404', async () => {
    const url = await serve(nodeHandler(recording().receiver, { path: '/webhooks' }));
    const get = (path: string) => sendOverHttp(url, { method: 'GET', path, headers: {}, body: Buffer.alloc(0) });
    expect(outcome(await get('/webhooks'))).toEqual([405, 'method_not_allowed']);
    expect(outcome(await get('/elsewhere'))).toEqual([404, 'not_found']);
  });

  it('composes with other routes: call it for the webhook path, answer the rest yourself', async () => {
    const handler = nodeHandler(recording().receiver, { path: '/webhooks' });
    const url = await serve((req, res) => {
      if (req.url?.startsWith('/webhooks')) return handler(req, res);
      res.end('home');
    });
    expect((await sendOverHttp(url, { method: 'GET', path: '/', headers: {}, body: Buffer.alloc(0) })).body).toBe('home');
    expect((await sendOverHttp(url, signedPost('/webhooks'))).status).toBe(200);
  });
});
