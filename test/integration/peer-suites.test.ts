/**
 * Wrong answers the senders' own libraries found (#13 item 9), each through a real server on
 * 127.0.0.1:0, with the sender's SDK as the oracle where one exists: svix's unbranded
 * `webhook-*` headers, Slack's unsigned `ssl_check=1` probe, and a Twilio URL whose query holds
 * `'` reaching fetchHandler as `%27`.
 */
import { request as httpRequest } from 'node:http';
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
