/**
 * What a handled delivery answers, through a real Express server on 127.0.0.1 (#13 items 8, 9, 10):
 * a handler's return value never reaches a sender that expects no reply; a reply that cannot be
 * serialised is answered 200 and never re-runs the handler; a payload too deep for a recursive
 * schema is 422; a body that is not the raw bytes is `misconfigured` with the fix in the message.
 */
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { expressMiddleware } from '../../src/adapters/express.js';
import { isWebhookError, WebhookError } from '../../src/core/errors.js';
import { providers } from '../../src/providers/index.js';
import { verifyWebhook } from '../../src/providers/verify-webhook.js';
import { createReceiver } from '../../src/receiver/create-receiver.js';
import { reply } from '../../src/receiver/reply.js';
import type { Receiver } from '../../src/receiver/types.js';
import { generateEd25519KeyPair, signRequest } from '../../src/testing/index.js';
import { listen, type Listening } from '../helpers/server.js';

const SECRET = `whsec_${Buffer.from('handler-answers-secret-32-bytes!').toString('base64')}`;
const swh = providers.standardWebhooks({ secret: SECRET });
const discord = providers.discord({ ...generateEd25519KeyPair(new Uint8Array(32).fill(7)) });

const servers: Listening[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(receiver: Receiver<any>): Promise<string> {
  const app = express();
  app.post('/webhooks', expressMiddleware(receiver));
  const server = await listen(app);
  servers.push(server);
  return `${server.url}/webhooks`;
}

interface Sent {
  headers: Record<string, string>;
  body: string | Uint8Array;
}

async function post(url: string, sent: Sent): Promise<{ status: number; text: string; json: unknown }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...sent.headers }, body: sent.body });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

const codeOf = (json: unknown): string | undefined => (json as { error?: { code?: string } } | undefined)?.error?.code;

describe('handler return values and replies over HTTP (#13 item 8)', () => {
  it('reply() of a BigInt after the handler ran → 200 {"ok":true}, onError misconfigured; the retry is a duplicate and the handler ran once', async () => {
    const receiver = createReceiver({ provider: swh });
    const reported: WebhookError[] = [];
    receiver.onError((error) => reported.push(error));
    let sideEffects = 0;
    receiver.on('invoice.paid', () => {
      sideEffects++; // e.g. the row was written
      return reply({ amount: 4200n });
    });
    const url = await serve(receiver);
    const delivery = signRequest(swh, { type: 'invoice.paid', data: { id: 'in_1' } });

    const first = await post(url, delivery);
    expect([first.status, first.text]).toEqual([200, '{"ok":true}']);
    expect(reported.map((error) => [error.code, error.status])).toEqual([['misconfigured', 500]]);
    expect(reported[0]?.message).toMatch(/could not be serialised.*handled and answered 200/);

    const retry = await post(url, delivery);
    expect([retry.status, retry.text]).toEqual([200, '{"ok":true,"duplicate":true}']);
    expect(sideEffects).toBe(1);
  });

  it('a handler returning a database row (Stripe-like sender) → 200 {"ok":true}; the row never reaches the sender', async () => {
    const receiver = createReceiver({ provider: swh });
    receiver.on('invoice.paid', async () => ({ id: 7, email: 'customer@example.com', password_hash: '$2b$10$abc' }));
    const url = await serve(receiver);
    const answer = await post(url, signRequest(swh, { type: 'invoice.paid', data: { id: 'in_2' } }));
    expect([answer.status, answer.text]).toEqual([200, '{"ok":true}']);
  });

  it('a handler returning a BigInt to a sender that expects no reply → 200 {"ok":true}, nothing reported', async () => {
    const receiver = createReceiver({ provider: swh });
    const reported: string[] = [];
    receiver.onError((error) => reported.push(error.code));
    receiver.on('invoice.paid', () => 10n);
    const url = await serve(receiver);
    const answer = await post(url, signRequest(swh, { type: 'invoice.paid', data: { id: 'in_3' } }));
    expect([answer.status, answer.text, reported]).toEqual([200, '{"ok":true}', []]);
  });

  it('discord interaction: the returned value is the response; one that cannot be serialised → 200 {"ok":true} + onError, the handler ran once', async () => {
    const receiver = createReceiver({ provider: discord });
    const reported: string[] = [];
    receiver.onError((error) => reported.push(error.code));
    let calls = 0;
    receiver.on('APPLICATION_COMMAND', ({ payload }) => {
      calls++;
      const name = (payload as { data: { name: string } }).data.name;
      return name === 'big' ? { type: 4, data: { content: 1n } } : { type: 4, data: { content: 'pong' } };
    });
    const url = await serve(receiver);
    const ok = await post(url, signRequest(discord, { id: '10', type: 2, data: { name: 'ping' } }));
    expect([ok.status, ok.json]).toEqual([200, { type: 4, data: { content: 'pong' } }]);

    const big = signRequest(discord, { id: '11', type: 2, data: { name: 'big' } });
    const first = await post(url, big);
    const again = await post(url, big);
    expect([first.status, first.text, again.status, again.text]).toEqual([200, '{"ok":true}', 200, '{"ok":true,"duplicate":true}']);
    expect([calls, reported]).toEqual([2, ['misconfigured']]);
  });
});

describe('a payload too deep for a recursive schema (#13 item 9)', () => {
  type Tree = { children: Tree[] };
  const tree: z.ZodType<Tree> = z.lazy(() => z.object({ children: z.array(tree) }));
  const nested = (depth: number) => `${'{"children":['.repeat(depth)}{"children":[]}${']}'.repeat(depth)}`;

  it('100,000 levels (1.5 MB under a 2 MiB limit) → 422 schema_mismatch, not a retried 500; a shallow tree still passes', async () => {
    const receiver = createReceiver({ provider: swh, events: { tree }, maxBodyBytes: 2 * 1024 * 1024 });
    let calls = 0;
    receiver.on('tree', () => {
      calls++;
    });
    const url = await serve(receiver);
    const deep = `{"type":"tree",${nested(100_000).slice(1)}`;
    const refused = await post(url, signRequest(swh, deep));
    expect([refused.status, codeOf(refused.json)]).toEqual([422, 'schema_mismatch']);
    const shallow = await post(url, signRequest(swh, `{"type":"tree",${nested(20).slice(1)}`));
    expect([shallow.status, shallow.text, calls]).toEqual([200, '{"ok":true}', 1]);
  });
});

describe('a body that is not the raw bytes (#13 item 10)', () => {
  const delivery = () => signRequest(swh, { type: 'invoice.paid', data: { id: 'in_4' } });

  it('receiver.receive() after express.json() (a parsed object) or with no parser (undefined) → 500 misconfigured naming express.raw()', async () => {
    const receiver = createReceiver({ provider: swh });
    receiver.on('invoice.paid', () => undefined);
    const reported: string[] = [];
    receiver.onError((error) => reported.push(error.code));
    const app = express();
    const answer = (req: express.Request, res: express.Response) =>
      void receiver.receive({ method: req.method, url: req.originalUrl, headers: req.headers, body: req.body }).then((result) => res.status(result.status).set(result.headers).send(result.body));
    app.post('/parsed', express.json(), answer);
    app.post('/unparsed', answer);
    const server = await listen(app);
    servers.push(server);
    for (const path of ['/parsed', '/unparsed']) {
      const result = await post(`${server.url}${path}`, delivery());
      expect([path, result.status, codeOf(result.json)]).toEqual([path, 500, 'misconfigured']);
      const message = (result.json as { error: { message: string } }).error.message;
      expect(message).toMatch(/express\.raw\(\{ type: '\*\/\*' \}\)/);
      expect(message).toContain(path === '/parsed' ? 'an object' : 'undefined');
      expect(message).not.toContain('in_4');
    }
    expect(reported).toEqual(['misconfigured', 'misconfigured']);
  });

  it('verifyWebhook() given a parsed object or undefined throws WebhookError misconfigured (never a raw TypeError)', async () => {
    const app = express();
    app.post('/parsed', express.json(), (req, res) => {
      try {
        verifyWebhook(swh, { headers: req.headers as Record<string, string>, body: req.body });
        res.status(200).json({ ok: true });
      } catch (error) {
        if (!isWebhookError(error)) throw error;
        res.status(error.status).json({ error: { code: error.code, message: error.message, typeError: error instanceof TypeError } });
      }
    });
    const server = await listen(app);
    servers.push(server);
    const result = await post(`${server.url}/parsed`, delivery());
    expect([result.status, codeOf(result.json)]).toEqual([500, 'misconfigured']);
    expect((result.json as { error: { message: string } }).error.message).toMatch(/verifyWebhook\(\).*body parser/);

    let thrown: unknown;
    try {
      verifyWebhook(swh, { headers: delivery().headers, body: undefined as never });
    } catch (error) {
      thrown = error;
    }
    expect(isWebhookError(thrown) && [thrown.code, thrown.status]).toEqual(['misconfigured', 500]);
  });
});
