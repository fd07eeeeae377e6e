/**
 * Wrong answers the senders' own libraries found (#13 item 9), each through a real server on
 * 127.0.0.1:0, with the sender's SDK as the oracle where one exists: svix's unbranded
 * `webhook-*` headers, Slack's unsigned `ssl_check=1` probe, and a Twilio URL whose query holds
 * `'` reaching fetchHandler as `%27`.
 */
import { Buffer } from 'node:buffer';
import { request as httpRequest, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { serve as serveHono } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';
import request from 'supertest';
import { Webhook } from 'svix';
import twilioSdk from 'twilio';
import { afterEach, describe, expect, it } from 'vitest';
import { expressMiddleware } from '../../src/adapters/express.js';
import { fetchHandler } from '../../src/adapters/fetch.js';
import { providers } from '../../src/providers/index.js';
import type { Provider } from '../../src/providers/types.js';
import { createReceiver } from '../../src/receiver/create-receiver.js';
import type { Receiver } from '../../src/receiver/types.js';
import { listen, serverAt, type Listening } from '../helpers/server.js';

const open: Listening[] = [];
afterEach(async () => {
  for (const server of open.splice(0)) await server.close();
});

async function expressServer(receiver: Receiver): Promise<string> {
  const app = express();
  app.post('/webhooks', expressMiddleware(receiver));
  const server = await listen(app);
  open.push(server);
  return server.url;
}

/** Handlers for every type, recording `type/id`. */
function recording(provider: Provider): { receiver: Receiver; seen: string[] } {
  const seen: string[] = [];
  const receiver = createReceiver({ provider }).onAny((delivery) => void seen.push(`${delivery.type}/${delivery.id}`));
  return { receiver, seen };
}

describe('svix, clerk, resend: the unbranded webhook-* headers the svix libraries accept (#13 item 9)', () => {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const body = JSON.stringify({ type: 'user.created', data: { id: 'user_1' } });

  for (const name of ['svix', 'clerk', 'resend'] as const) {
    it(`${name}(): webhook-id / webhook-timestamp / webhook-signature signed by svix → 200, handled once with the webhook-id; again → duplicate`, async () => {
      const id = `msg_${randomBytes(8).toString('hex')}`;
      const timestamp = new Date();
      const headers = { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, timestamp, body) };
      expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
      const { receiver, seen } = recording(providers[name]({ secret }));
      const url = await expressServer(receiver);

      const first = await request(url).post('/webhooks').set(headers).set('content-type', 'application/json').send(body);
      expect([first.status, first.body]).toEqual([200, { ok: true }]);
      const again = await request(url).post('/webhooks').set(headers).set('content-type', 'application/json').send(body);
      expect([again.status, again.body]).toEqual([200, { ok: true, duplicate: true }]);
      expect(seen).toEqual([`user.created/${id}`]);
    });
  }

  it('svix(): branded and unbranded mixed (svix-id, webhook-timestamp, webhook-signature) → 200, as svix reads each header; a forged webhook-signature → 401 signature_mismatch', async () => {
    const id = `msg_${randomBytes(8).toString('hex')}`;
    const timestamp = new Date();
    const headers = { 'svix-id': id, 'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, timestamp, body) };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    const { receiver, seen } = recording(providers.svix({ secret }));
    const url = await expressServer(receiver);

    const ok = await request(url).post('/webhooks').set(headers).set('content-type', 'application/json').send(body);
    expect([ok.status, ok.body]).toEqual([200, { ok: true }]);
    const forged = { ...headers, 'svix-id': `msg_${randomBytes(8).toString('hex')}`, 'webhook-signature': `v1,${randomBytes(32).toString('base64')}` };
    const refused = await request(url).post('/webhooks').set(forged).set('content-type', 'application/json').send(body);
    expect([refused.status, refused.body.error.code]).toEqual([401, 'signature_mismatch']);
    expect(seen).toEqual([`user.created/${id}`]);
  });
});

describe("slack: the unsigned ssl_check=1 POST Slack makes to check the endpoint's certificate (#13 item 9)", () => {
  const signingSecret = randomBytes(16).toString('hex');
  const FORM = 'application/x-www-form-urlencoded';

  async function post(body: string, headers: Record<string, string> = { 'content-type': FORM }) {
    const { receiver, seen } = recording(providers.slack({ signingSecret }));
    const url = await expressServer(receiver);
    const response = await request(url).post('/webhooks').set(headers).send(body);
    return { response, seen };
  }

  it('ssl_check=1&token=… with no X-Slack-Signature → 200, empty body, no handler runs (as Bolt answers it)', async () => {
    const { response, seen } = await post('ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO');
    expect([response.status, response.text]).toEqual([200, '']);
    expect(seen).toEqual([]);
  });

  it('ssl_check=1 carrying type=block_actions&event_id=EvNEW1 → still 200 with nothing routed: no field of an unsigned body reaches a handler', async () => {
    const { response, seen } = await post('ssl_check=1&type=block_actions&event_id=EvNEW1&payload=%7B%7D');
    expect([response.status, response.text]).toEqual([200, '']);
    expect(seen).toEqual([]);
  });

  it('unsigned and not a probe (ssl_check=0; JSON {"ssl_check":"1"}; a 1 KiB form) → 400 missing_header', async () => {
    for (const [body, type] of [['ssl_check=0&token=t', FORM], ['{"ssl_check":"1"}', 'application/json'], [`ssl_check=1&token=${'t'.repeat(1024)}`, FORM]] as const) {
      const { response, seen } = await post(body, { 'content-type': type });
      expect([response.status, response.body.error.code], body.slice(0, 20)).toEqual([400, 'missing_header']);
      expect(seen).toEqual([]);
    }
  });

  it('ssl_check=1 with a forged X-Slack-Signature → 401 signature_mismatch (a signature present is always checked)', async () => {
    const { response } = await post('ssl_check=1&token=t', { 'content-type': FORM, 'x-slack-signature': `v0=${'0'.repeat(64)}`, 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)) });
    expect([response.status, response.body.error.code]).toEqual([401, 'signature_mismatch']);
  });
});

describe("twilio through fetchHandler: a URL whose query holds ' arrives as %27 (#13 item 9)", () => {
  const authToken = randomBytes(16).toString('hex');
  const base = 'https://hooks.example.com/twilio';

  /** A Hono app on @hono/node-server with fetchHandler at /twilio; `post` sends the raw path (with its ') as Twilio does. */
  async function honoTwilio(): Promise<{ seen: string[]; post(path: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> }> {
    const { receiver, seen } = recording(providers.twilio({ authToken, url: base }));
    const handle = fetchHandler(receiver);
    const app = new Hono();
    app.post('/twilio', (c) => handle(c.req.raw));
    const server = serveHono({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
    const listening = serverAt(server);
    open.push(listening);
    const port = new URL(listening.url).port;
    const post = (path: string, headers: Record<string, string>, body: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject).end(body);
      });
    return { seen, post };
  }

  const params = { MessageSid: 'SM1', MessageStatus: 'delivered', Body: "it's here" };
  const form = new URLSearchParams(params).toString();

  // Hono's Node server passes a plain query through untouched, but any %-escape beside the '
  // sends the URL through WHATWG parsing, as Bun, Deno, Workers and Next.js always do: ' → %27.
  it("form body, query ?name=O'Brien&city=San%20Jose signed by twilio (unescaped, as Twilio signs it) → 200, handled; twilio.validateRequest agrees", async () => {
    const path = "/twilio?name=O'Brien&city=San%20Jose";
    const signature = twilioSdk.getExpectedTwilioSignature(authToken, `${base}${path.slice('/twilio'.length)}`, params);
    expect(twilioSdk.validateRequest(authToken, signature, `${base}?name=O'Brien&city=San%20Jose`, params)).toBe(true);
    const { seen, post } = await honoTwilio();
    const response = await post(path, { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, 'i-twilio-idempotency-token': 'idem-q1' }, form);
    expect([response.status, JSON.parse(response.body)]).toEqual([200, { ok: true }]);
    expect(seen).toEqual(['message.delivered/idem-q1']);
  });

  it("JSON body through bodySHA256, query ?who=' → 200, handled", async () => {
    const body = JSON.stringify({ type: 'com.twilio.messaging.inbound-message.received' });
    const query = `who='&city=San%20Jose&bodySHA256=${twilioSdk.getExpectedBodyHash(body)}`;
    const signature = twilioSdk.getExpectedTwilioSignature(authToken, `${base}?${query}`, {});
    const { seen, post } = await honoTwilio();
    const response = await post(`/twilio?${query}`, { 'content-type': 'application/json', 'x-twilio-signature': signature, 'i-twilio-idempotency-token': 'idem-q2' }, body);
    expect([response.status, JSON.parse(response.body)]).toEqual([200, { ok: true }]);
    expect(seen).toEqual(['com.twilio.messaging.inbound-message.received/idem-q2']);
  });

  it("signed for ?name=O'Brien, sent as ?name=O'Neil → 401 signature_mismatch (only fetch's own escaping is undone)", async () => {
    const signature = twilioSdk.getExpectedTwilioSignature(authToken, `${base}?name=O'Brien&city=San%20Jose`, params);
    const { seen, post } = await honoTwilio();
    const response = await post("/twilio?name=O'Neil&city=San%20Jose", { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, form);
    expect([response.status, JSON.parse(response.body).error.code]).toEqual([401, 'signature_mismatch']);
    expect(seen).toEqual([]);
  });
});
