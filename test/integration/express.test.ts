/**
 * hookguard/express through real Express servers (5 and 4, the same suite over both) on
 * 127.0.0.1:0: every error code of DESIGN.md's table as [status, body.error.code], none of
 * whose answers shows the secret or the signature the receiver expected; the success answers;
 * every way of mounting the middleware; and every valid fixture vector of the first provider set.
 */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import express, { type RequestHandler } from 'express';
import express4 from 'express4';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { expressMiddleware } from '../../src/adapters/express.js';
import { providers } from '../../src/providers/index.js';
import type { Provider } from '../../src/providers/types.js';
import { createReceiver } from '../../src/receiver/create-receiver.js';
import { reply } from '../../src/receiver/reply.js';
import type { Delivery, EventSchemas, Receiver, ReceiverOptions } from '../../src/receiver/types.js';
import type { DedupeStore } from '../../src/stores/types.js';
import { listen, type Listening } from '../helpers/server.js';
import { loadVectors, type Vector, type VectorProvider } from '../helpers/vectors.js';

type ExpressModule = typeof express;

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const provider = providers.standardWebhooks({ secret: SECRET });
const stranger = providers.standardWebhooks({ secret: `whsec_${randomBytes(32).toString('base64')}` });
const PATH = '/webhooks';

interface SignedDelivery {
  headers: Record<string, string>;
  body: Buffer;
  /** The base64 signature the receiver computes for this body: it must never be echoed. */
  expected: string;
}

/** Signs `payload` (an object is JSON) with `signer`, and works out what the real secret would sign. */
function sign(payload: unknown, options: { timestamp?: number; id?: string; signer?: Provider } = {}): SignedDelivery {
  const body = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const id = options.id ?? `msg_${randomBytes(8).toString('hex')}`;
  const signer = options.signer ?? provider;
  const { headers } = signer.sign({ body, id, ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}) });
  const timestamp = Number(headers['webhook-timestamp']);
  const expected = String(provider.sign({ body, id, timestamp }).headers['webhook-signature']).replace(/^v1,/, '');
  return { headers, body, expected };
}

const paid = (amount: unknown = 4200) => ({ type: 'invoice.paid', data: { id: 'in_1', amount } });
const now = () => Math.floor(Date.now() / 1000);

/**
 * POSTs exactly `body`: superagent would otherwise re-serialise a Buffer by its content type
 * (a JSON content type turns it into `{"type":"Buffer","data":[…]}`), and signatures cover bytes.
 */
function postBytes(url: string, path: string, headers: Record<string, string>, body: Buffer) {
  return withBytes(request(url).post(path).set(headers), body);
}

function withBytes(test: request.Test, body: Buffer): request.Test {
  return test.serialize((bytes: unknown) => bytes as string).send(body);
}

describe.each([
  ['Express 5', express],
  ['Express 4', express4],
] as [string, ExpressModule][])('expressMiddleware() on %s', (_name, expressModule) => {
  const open: Listening[] = [];
  afterEach(async () => {
    for (const server of open.splice(0)) await server.close();
  });

  type Mount = 'post' | 'all' | 'use' | 'router';

  /**
   * An app with the middleware at PATH (or /webhooks/stripe inside a Router at /webhooks),
   * `front` middleware before it, and a 418 catch-all after it that must never answer.
   */
  async function serve<E extends EventSchemas | undefined>(receiver: Receiver<E>, options: { mount?: Mount; front?: RequestHandler[] } = {}): Promise<string> {
    const app = expressModule();
    const middleware = expressMiddleware(receiver);
    for (const front of options.front ?? []) app.use(front);
    const mount = options.mount ?? 'post';
    if (mount === 'post') app.post(PATH, middleware);
    if (mount === 'all') app.all(PATH, middleware);
    if (mount === 'use') app.use(PATH, middleware);
    if (mount === 'router') {
      const router = expressModule.Router();
      router.post('/stripe', middleware);
      app.use(PATH, router);
    }
    app.use((_req, res) => {
      res.status(418).end('fell through to next()');
    });
    const server = await listen(app);
    open.push(server);
    return server.url;
  }

  function receiverWith(options: Partial<ReceiverOptions> = {}): { receiver: Receiver; handled: Delivery[] } {
    const handled: Delivery[] = [];
    const receiver = createReceiver({ provider, ...options });
    receiver.on('invoice.paid', (delivery) => {
      handled.push(delivery);
    });
    return { receiver, handled };
  }

  function post(url: string, delivery: SignedDelivery, path = PATH) {
    return postBytes(url, path, delivery.headers, delivery.body);
  }

  /** [status, code] together, JSON, and no secret or expected signature anywhere in the answer. */
  function expectRefused(res: request.Response, status: number, code: string, delivery?: SignedDelivery): void {
    expect([res.status, (res.body as { error?: { code?: string } }).error?.code]).toEqual([status, code]);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    for (const secret of [SECRET, SECRET.slice('whsec_'.length), delivery?.expected]) {
      if (secret !== undefined) expect(res.text).not.toContain(secret);
    }
  }

  describe('error codes', () => {
    it('missing webhook-signature → [400, missing_header]', async () => {
      const url = await serve(receiverWith().receiver);
      const delivery = sign(paid());
      delete delivery.headers['webhook-signature'];
      expectRefused(await post(url, delivery), 400, 'missing_header', delivery);
    });

    it('non-numeric webhook-timestamp → [400, malformed_header]', async () => {
      const url = await serve(receiverWith().receiver);
      const delivery = sign(paid());
      delivery.headers['webhook-timestamp'] = 'yesterday';
      expectRefused(await post(url, delivery), 400, 'malformed_header', delivery);
    });

    it('a correctly signed body that is not JSON → [400, invalid_body]', async () => {
      const url = await serve(receiverWith().receiver);
      const delivery = sign('this is not json');
      expectRefused(await post(url, delivery), 400, 'invalid_body', delivery);
    });

    it('an unknown Content-Encoding → [400, invalid_body]', async () => {
      const url = await serve(receiverWith().receiver);
      const delivery = sign(paid());
      const res = await postBytes(url, PATH, { ...delivery.headers, 'content-encoding': 'zstd' }, delivery.body);
      expectRefused(res, 400, 'invalid_body', delivery);
    });

    it('signed with another secret → [401, signature_mismatch], without the expected signature', async () => {
      const url = await serve(receiverWith().receiver);
      const delivery = sign(paid(), { signer: stranger });
      expectRefused(await post(url, delivery), 401, 'signature_mismatch', delivery);
    });

    it('a body changed after signing → [401, signature_mismatch]', async () => {
      const url = await serve(receiverWith().receiver);
      const delivery = sign(paid());
      const res = await postBytes(url, PATH, delivery.headers, Buffer.from(JSON.stringify(paid(9999))));
      expectRefused(res, 401, 'signature_mismatch', delivery);
    });

    it('signed an hour ago → [401, timestamp_too_old]', async () => {
      const url = await serve(receiverWith().receiver);
      const delivery = sign(paid(), { timestamp: now() - 3600 });
      expectRefused(await post(url, delivery), 401, 'timestamp_too_old', delivery);
    });

    it('signed an hour ahead → [401, timestamp_in_future]', async () => {
      const url = await serve(receiverWith().receiver);
      const delivery = sign(paid(), { timestamp: now() + 3600 });
      expectRefused(await post(url, delivery), 401, 'timestamp_in_future', delivery);
    });

    it.each(['all', 'use'] as const)('GET with app.%s → [405, method_not_allowed] with Allow: POST, never next()', async (mount) => {
      const url = await serve(receiverWith().receiver, { mount });
      const res = await request(url).get(PATH);
      expectRefused(res, 405, 'method_not_allowed');
      expect(res.headers.allow).toBe('POST');
    });

    it('PUT with a body → [405, method_not_allowed], the body left unread', async () => {
      const { receiver, handled } = receiverWith();
      const url = await serve(receiver, { mount: 'all' });
      const delivery = sign(paid());
      const res = await withBytes(request(url).put(PATH).set(delivery.headers), delivery.body);
      expectRefused(res, 405, 'method_not_allowed', delivery);
      expect(handled).toHaveLength(0);
    });

    it('the same id while the first delivery is still being handled → [409, in_flight]; the first then answers 200', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const inHandler = new Promise<void>((resolve) => (entered = resolve));
      const receiver = createReceiver({ provider });
      let calls = 0;
      receiver.on('invoice.paid', async () => {
        calls += 1;
        entered();
        await gate;
      });
      const url = await serve(receiver);
      const delivery = sign(paid());

      const first = post(url, delivery).then((res) => res);
      await inHandler;
      expectRefused(await post(url, delivery), 409, 'in_flight', delivery);
      release();
      const firstRes = await first;
      expect([firstRes.status, firstRes.body]).toEqual([200, { ok: true }]);
      expect(calls).toBe(1);
    });

    it('a body over maxBodyBytes → [413, body_too_large]', async () => {
      const { receiver, handled } = receiverWith({ maxBodyBytes: 1024 });
      const url = await serve(receiver);
      const delivery = sign(paid('x'.repeat(2048)));
      expectRefused(await post(url, delivery), 413, 'body_too_large', delivery);
      expect(handled).toHaveLength(0);
    });

    it('a gzip bomb whose decoded size passes maxBodyBytes → [413, body_too_large]', async () => {
      const url = await serve(receiverWith({ maxBodyBytes: 64 * 1024 }).receiver);
      const delivery = sign(paid());
      const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024)); // ~10 KiB on the wire: only the decoded size is too large
      expect(bomb.byteLength).toBeLessThan(64 * 1024);
      const res = await postBytes(url, PATH, { ...delivery.headers, 'content-encoding': 'gzip' }, bomb);
      expectRefused(res, 413, 'body_too_large', delivery);
    });

    it('a payload that fails its event schema → [422, schema_mismatch] with the issues', async () => {
      const events = { 'invoice.paid': z.object({ type: z.literal('invoice.paid'), data: z.object({ id: z.string(), amount: z.number() }) }) };
      const receiver = createReceiver({ provider, events });
      receiver.on('invoice.paid', () => undefined);
      const url = await serve(receiver);
      const delivery = sign(paid('lots'));
      const res = await post(url, delivery);
      expectRefused(res, 422, 'schema_mismatch', delivery);
      expect(JSON.stringify((res.body as { error: { issues?: unknown } }).error.issues)).toContain('data.amount');
    });

    it('a handler that throws → [500, handler_failed], without the error text', async () => {
      const receiver = createReceiver({ provider });
      receiver.on('invoice.paid', () => {
        throw new Error(`connect postgres://app:${SECRET}@db failed`);
      });
      const url = await serve(receiver);
      const delivery = sign(paid());
      const res = await post(url, delivery);
      expectRefused(res, 500, 'handler_failed', delivery);
      expect(res.text).not.toContain('postgres');
    });

    it('a dedupe store that cannot be reached → [503, store_unavailable]', async () => {
      const broken: DedupeStore = {
        claim() {
          throw new Error(`ECONNREFUSED redis://:${SECRET}@cache:6379`);
        },
        complete() {},
        release() {},
      };
      const { receiver, handled } = receiverWith({ dedupe: broken });
      const url = await serve(receiver);
      const delivery = sign(paid());
      const res = await post(url, delivery);
      expectRefused(res, 503, 'store_unavailable', delivery);
      expect(res.text).not.toContain('redis');
      expect(handled).toHaveLength(0);
    });

    it('express.json() mounted in front → [500, misconfigured] saying how to fix it', async () => {
      const { receiver, handled } = receiverWith();
      const url = await serve(receiver, { front: [expressModule.json()] });
      const delivery = sign(paid());
      const res = await post(url, delivery);
      expectRefused(res, 500, 'misconfigured', delivery);
      const message = (res.body as { error: { message: string } }).error.message;
      expect(message).toContain('express.json()');
      expect(message).toContain("express.raw({ type: '*/*' })");
      expect(handled).toHaveLength(0);
    });
  });

  describe('answers', () => {
    it('a valid delivery → 200 {"ok":true}, handled once with the exact bytes', async () => {
      const { receiver, handled } = receiverWith();
      const url = await serve(receiver);
      const delivery = sign(paid());
      const res = await post(url, delivery);
      expect([res.status, res.body]).toEqual([200, { ok: true }]);
      expect(handled).toHaveLength(1);
      expect(Buffer.from(handled[0]!.rawBody).equals(delivery.body)).toBe(true);
      expect(handled[0]!.payload).toEqual(paid());
    });

    it("a handler's reply() is the JSON body; a plain returned value is not (#13)", async () => {
      const receiver = createReceiver({ provider });
      receiver.on('invoice.paid', () => reply({ received: 'in_1', queued: true }));
      receiver.onAny(() => ({ row: 'internal' }));
      const url = await serve(receiver);
      const res = await post(url, sign(paid()));
      expect([res.status, res.body]).toEqual([200, { received: 'in_1', queued: true }]);
    });

    it('the same delivery again → 200 {"ok":true,"duplicate":true}, the handler ran once', async () => {
      const { receiver, handled } = receiverWith();
      const url = await serve(receiver);
      const delivery = sign(paid());
      const first = await post(url, delivery);
      const second = await post(url, delivery);
      expect([first.status, first.body]).toEqual([200, { ok: true }]);
      expect([second.status, second.body]).toEqual([200, { ok: true, duplicate: true }]);
      expect(handled).toHaveLength(1);
    });

    it('a failed handler → 500, and the sender\'s retry of the same id is handled', async () => {
      const receiver = createReceiver({ provider });
      let calls = 0;
      receiver.on('invoice.paid', () => {
        calls += 1;
        if (calls === 1) throw new Error('transient');
      });
      const url = await serve(receiver);
      const delivery = sign(paid());
      expectRefused(await post(url, delivery), 500, 'handler_failed', delivery);
      const retry = await post(url, delivery);
      expect([retry.status, retry.body]).toEqual([200, { ok: true }]);
      expect(calls).toBe(2);
    });

    it('an event type with no handler → 200 {"ok":true,"ignored":true}', async () => {
      const { receiver, handled } = receiverWith();
      const url = await serve(receiver);
      const res = await post(url, sign({ type: 'customer.created', data: {} }));
      expect([res.status, res.body]).toEqual([200, { ok: true, ignored: true }]);
      expect(handled).toHaveLength(0);
    });

    it('a gzip-encoded body is verified as the uncompressed bytes the sender signed', async () => {
      const { receiver, handled } = receiverWith();
      const url = await serve(receiver);
      const delivery = sign(paid());
      const res = await postBytes(url, PATH, { ...delivery.headers, 'content-encoding': 'gzip' }, gzipSync(delivery.body));
      expect([res.status, res.body]).toEqual([200, { ok: true }]);
      expect(Buffer.from(handled[0]!.rawBody).equals(delivery.body)).toBe(true);
    });
  });

  describe('mounting', () => {
    it('passes an error writing the answer to next(err), and only then', async () => {
      const app = expressModule();
      app.use((_req, res, next) => {
        res.flushHeaders(); // something before it already started the response
        next();
      });
      app.post(PATH, expressMiddleware(receiverWith().receiver));
      const errors: unknown[] = [];
      app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
        errors.push(error);
        res.end();
      });
      const server = await listen(app);
      open.push(server);
      await post(server.url, sign(paid()));
      expect(errors).toHaveLength(1);
      expect((errors[0] as { code?: string }).code).toBe('ERR_HTTP_HEADERS_SENT');
    });

    it("works behind express.raw({ type: '*/*' })", async () => {
      const { receiver, handled } = receiverWith();
      const url = await serve(receiver, { front: [expressModule.raw({ type: '*/*' })] });
      const res = await post(url, sign(paid()));
      expect([res.status, res.body]).toEqual([200, { ok: true }]);
      expect(handled).toHaveLength(1);
    });

    it("behind express.raw(), still holds the body to maxBodyBytes → [413, body_too_large]", async () => {
      const url = await serve(receiverWith({ maxBodyBytes: 1024 }).receiver, { front: [expressModule.raw({ type: '*/*' })] });
      const delivery = sign(paid('x'.repeat(2048)));
      expectRefused(await post(url, delivery), 413, 'body_too_large', delivery);
    });

    it('works behind express.json() for a content type it does not parse (Express 4 sets req.body = {} anyway)', async () => {
      const { receiver, handled } = receiverWith();
      const url = await serve(receiver, { front: [expressModule.json()] });
      const delivery = sign(paid());
      const res = await postBytes(url, PATH, { ...delivery.headers, 'content-type': 'text/plain' }, delivery.body);
      expect([res.status, res.body]).toEqual([200, { ok: true }]);
      expect(handled).toHaveLength(1);
    });

    it.each(['all', 'use'] as const)('works mounted with app.%s', async (mount) => {
      const { receiver, handled } = receiverWith();
      const url = await serve(receiver, { mount });
      const res = await post(url, sign(paid()));
      expect([res.status, res.body]).toEqual([200, { ok: true }]);
      expect(handled).toHaveLength(1);
    });

    it('works inside a Router at a sub-path, and hands the receiver the original URL', async () => {
      const seen: (string | undefined)[] = [];
      const { receiver } = receiverWith();
      const receive = receiver.receive.bind(receiver);
      const spy = Object.assign(Object.create(receiver) as Receiver, {
        receive: (input: Parameters<Receiver['receive']>[0]) => {
          seen.push(input.url);
          return receive(input);
        },
      });
      const url = await serve(spy, { mount: 'router' });
      const res = await post(url, sign(paid()), `${PATH}/stripe?attempt=1`);
      expect([res.status, res.body]).toEqual([200, { ok: true }]);
      expect(seen).toEqual([`${PATH}/stripe?attempt=1`]);
    });
  });
});

/**
 * Every valid vector of the first provider set whose body parses (json, form), sent through
 * Express, answers 200 (204 for Discord webhook events). The vectors were signed at fixed historic times and HTTP carries no
 * `now`, so these receivers set `toleranceSeconds: Infinity` (the explicit "no replay window");
 * the window itself is covered by the providers' unit tests and the vector tests with `now`.
 * Left out: `text`, `binary` and `empty` bodies, which verify but then (rightly) answer
 * `invalid_body` because they are not JSON.
 */
const VECTOR_PROVIDERS: VectorProvider[] = ['standard-webhooks', 'svix', 'stripe', 'github', 'slack', 'shopify', 'discord'];
const vectors = VECTOR_PROVIDERS.flatMap((name) => loadVectors(name)).filter(
  (vector) => vector.expect === 'valid' && (vector.payloadKind === 'json' || vector.payloadKind === 'form'),
);

function vectorProvider(vector: Vector): Provider {
  const secret = vector.secrets ?? vector.secret;
  const publicKey = vector.publicKeys ?? vector.publicKey;
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error(`${vector.id}: no key in the vector`);
    return value;
  };
  switch (vector.provider) {
    case 'standard-webhooks':
    case 'svix':
      return providers.standardWebhooks({
        ...(secret !== undefined ? { secret } : {}),
        ...(publicKey !== undefined ? { publicKey } : {}),
        headerPrefix: vector.provider === 'svix' ? 'svix' : 'webhook',
      });
    case 'stripe':
      return providers.stripe({ secret: need(secret) });
    case 'github':
      return providers.github({ secret: need(secret) });
    case 'slack':
      return providers.slack({ signingSecret: need(secret) });
    case 'shopify':
      return providers.shopify({ secret: need(secret) });
    case 'discord':
      return providers.discord({ publicKey: need(publicKey) });
    default:
      throw new Error(`${vector.id}: no preset for ${vector.provider}`);
  }
}

describe.each([
  ['Express 5', express],
  ['Express 4', express4],
] as [string, ExpressModule][])('valid fixture vectors through %s', (_name, expressModule) => {
  let server: Listening;
  const handled = new Map<string, number>();

  beforeAll(async () => {
    const app = expressModule();
    for (const vector of vectors) {
      const receiver = createReceiver({ provider: vectorProvider(vector), toleranceSeconds: Infinity });
      receiver.onAny(() => {
        handled.set(vector.id, (handled.get(vector.id) ?? 0) + 1);
      });
      app.post(`/vectors/${vector.id}`, expressMiddleware(receiver));
    }
    server = await listen(app);
  });
  afterAll(async () => {
    await server.close();
  });

  it('has vectors of every provider in the set', () => {
    expect(new Set(vectors.map((vector) => vector.provider))).toEqual(new Set(VECTOR_PROVIDERS));
  });

  // Discord webhook events (a body with an `event` object) are acknowledged 204 with no body, as Discord asks.
  const expectedStatus = (vector: Vector): number => (vector.provider === 'discord' && /"event":\{/.test(vector.rawBody.toString('utf8')) ? 204 : 200);

  it.each(vectors.map((vector) => [vector.id, vector] as const))('%s → 2xx', async (_id, vector) => {
    const res = await postBytes(server.url, `/vectors/${vector.id}`, vector.headers, vector.rawBody);
    expect([res.status, res.text]).toEqual([expectedStatus(vector), expect.not.stringContaining('"error"')]);
    // A handshake (Slack url_verification, Discord PING) is answered by the provider, not a handler.
    const handshake = res.headers['content-type']?.startsWith('text/plain') || (res.body as { type?: number }).type === 1;
    expect(handled.get(vector.id) ?? 0).toBe(handshake ? 0 : 1);
  });
});
