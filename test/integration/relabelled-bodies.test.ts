/**
 * A signed JSON body relabelled `application/x-www-form-urlencoded` (#13 item 5), through a real
 * Express server on 127.0.0.1:0. Content-Type is unsigned; text inside the JSON
 * (`a&type=block_actions&event_id=EvNEW1`) must never become top-level fields: the delivery
 * routes by its signed type and id, and the genuine copy that follows is a duplicate.
 * Signed by the senders' own libraries where they exist (octokit, twilio), else by node:crypto
 * as each sender documents it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { sign as octokitSign } from '@octokit/webhooks-methods';
import express from 'express';
import request from 'supertest';
import twilioSdk from 'twilio';
import { afterEach, describe, expect, it } from 'vitest';
import { expressMiddleware } from '../../src/adapters/express.js';
import { providers } from '../../src/providers/index.js';
import type { Provider } from '../../src/providers/types.js';
import { createReceiver } from '../../src/receiver/create-receiver.js';
import { listen, type Listening } from '../helpers/server.js';

const FORM = 'application/x-www-form-urlencoded';
const now = (): number => Math.floor(Date.now() / 1000);

interface Case {
  name: string;
  provider: Provider;
  /** The signed type and id, and the type the injected text names. */
  type: string;
  id: string;
  injectedType: string;
  body: string;
  headers(body: string): Promise<Record<string, string>> | Record<string, string>;
  path?: string;
}

const slackSecret = randomBytes(16).toString('hex');
const githubSecret = randomBytes(16).toString('hex');
const twilioToken = randomBytes(16).toString('hex');
const zendeskSecret = randomBytes(16).toString('hex');
const twilioBase = 'https://hooks.example.com/twilio';

const cases: Case[] = [
  {
    name: 'slack (Events API JSON; type and id in the body)',
    provider: providers.slack({ signingSecret: slackSecret }),
    type: 'message',
    id: 'Ev1',
    injectedType: 'block_actions',
    body: JSON.stringify({ type: 'event_callback', event_id: 'Ev1', event: { type: 'message', text: 'a&type=block_actions&event_id=EvNEW1' } }),
    headers: (body) => {
      const ts = String(now());
      const signature = createHmac('sha256', slackSecret).update(`v0:${ts}:${body}`).digest('hex');
      return { 'x-slack-request-timestamp': ts, 'x-slack-signature': `v0=${signature}` };
    },
  },
  {
    name: 'github (issue title → action=closed)',
    provider: providers.github({ secret: githubSecret }),
    type: 'issues.opened',
    id: 'a1b2c3d4-0000-4000-8000-000000000001',
    injectedType: 'issues.closed',
    body: JSON.stringify({ action: 'opened', issue: { number: 1, title: 'x&action=closed&y' } }),
    headers: async (body) => ({ 'x-github-event': 'issues', 'x-github-delivery': 'a1b2c3d4-0000-4000-8000-000000000001', 'x-hub-signature-256': await octokitSign(githubSecret, body) }),
  },
  {
    name: 'twilio (JSON through bodySHA256; type in the body)',
    provider: providers.twilio({ authToken: twilioToken, url: twilioBase }),
    type: 'com.twilio.messaging.inbound-message.received',
    id: 'idem-1',
    injectedType: 'call.completed',
    body: JSON.stringify({ type: 'com.twilio.messaging.inbound-message.received', data: { body: 'a&type=call.completed&b' } }),
    headers: (body) => ({
      'i-twilio-idempotency-token': 'idem-1',
      'x-twilio-signature': twilioSdk.getExpectedTwilioSignature(twilioToken, `${twilioBase}?bodySHA256=${twilioSdk.getExpectedBodyHash(body)}`, {}),
    }),
    path: '/webhooks?bodySHA256=',
  },
  {
    name: 'zendesk (event webhook; type in the body)',
    provider: providers.zendesk({ secret: zendeskSecret }),
    type: 'zen:event-type:ticket.created',
    id: '4200000001',
    injectedType: 'zen:event-type:ticket.deleted',
    body: JSON.stringify({ type: 'zen:event-type:ticket.created', detail: { subject: 'a&type=zen:event-type:ticket.deleted&b' } }),
    headers: (body) => {
      const ts = new Date(now() * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const signature = createHmac('sha256', zendeskSecret).update(`${ts}${body}`).digest('base64');
      return { 'x-zendesk-webhook-signature-timestamp': ts, 'x-zendesk-webhook-signature': signature, 'x-zendesk-webhook-invocation-id': '4200000001' };
    },
  },
];

let server: Listening | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a signed JSON body relabelled as a form (#13 item 5)', () => {
  for (const c of cases) {
    it(`${c.name}: relabelled → 200, routed as ${c.type} with id ${c.id}; ${c.injectedType}'s handler never runs; the genuine copy → duplicate`, async () => {
      const seen: string[] = [];
      const receiver = createReceiver({ provider: c.provider })
        .on(c.type, (delivery) => void seen.push(`${delivery.type}/${delivery.id}`))
        .on(c.injectedType, (delivery) => void seen.push(`INJECTED ${delivery.type}/${delivery.id}`));
      const app = express();
      app.post('/webhooks', expressMiddleware(receiver));
      server = await listen(app);
      const headers = await c.headers(c.body);
      const path = c.path === undefined ? '/webhooks' : `${c.path}${twilioSdk.getExpectedBodyHash(c.body)}`;

      const relabelled = await request(server.url).post(path).set(headers).set('content-type', FORM).send(c.body);
      expect([relabelled.status, relabelled.body]).toEqual([200, { ok: true }]);
      expect(seen).toEqual([`${c.type}/${c.id}`]);

      const genuine = await request(server.url).post(path).set(headers).set('content-type', 'application/json').send(c.body);
      expect([genuine.status, genuine.body]).toEqual([200, { ok: true, duplicate: true }]);
      expect(seen).toEqual([`${c.type}/${c.id}`]);
    });
  }

  it('slack: a relabelled Content-Type on a genuine form body (slash command) changes nothing either → routed by its command', async () => {
    const seen: string[] = [];
    const receiver = createReceiver({ provider: providers.slack({ signingSecret: slackSecret }) }).onAny((delivery) => void seen.push(String(delivery.type)));
    const app = express();
    app.post('/webhooks', expressMiddleware(receiver));
    server = await listen(app);
    const body = 'token=t&team_id=T1&command=%2Fweather&text=a%26type%3Dblock_actions';
    const headers = await cases[0]!.headers(body);
    const response = await request(server.url).post('/webhooks').set(headers).set('content-type', 'application/json').send(body);
    expect([response.status, response.body]).toEqual([200, { ok: true }]);
    expect(seen).toEqual(['/weather']);
  });
});
