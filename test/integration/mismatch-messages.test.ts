/**
 * Refusals that name their cause (#13 item 11), through a real Express server on 127.0.0.1:0,
 * each signed by the sender's own library: the exact [status, code], what the message must say,
 * and that it never shows the secret.
 */
import { createHmac, randomBytes } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { Webhook } from 'svix';
import twilioSdk from 'twilio';
import { afterEach, describe, expect, it } from 'vitest';
import { expressMiddleware } from '../../src/adapters/express.js';
import { isWebhookError } from '../../src/core/errors.js';
import { providers } from '../../src/providers/index.js';
import type { Provider } from '../../src/providers/types.js';
import { createReceiver } from '../../src/receiver/create-receiver.js';
import { signRequest } from '../../src/testing/index.js';
import { listen, type Listening } from '../helpers/server.js';

let server: Listening | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function post(provider: Provider, path: string, headers: Record<string, string>, body: string) {
  const app = express();
  app.post('/sms', expressMiddleware(createReceiver({ provider }).onAny(() => {})));
  app.post('/webhooks', expressMiddleware(createReceiver({ provider }).onAny(() => {})));
  server = await listen(app);
  const response = await request(server.url).post(path).set(headers).send(body);
  return { status: response.status as number, code: response.body.error?.code as string, message: String(response.body.error?.message) };
}

describe('mismatch messages (#13 item 11)', () => {
  it('twilio behind a proxy (signed for https://public.example.com/sms, Host 127.0.0.1) → 401 signature_mismatch naming the rebuilt URL, `authToken`, `trustProxy` and `url`; never the token', async () => {
    const authToken = randomBytes(16).toString('hex');
    const params = { MessageSid: 'SM1', MessageStatus: 'delivered' };
    const signature = twilioSdk.getExpectedTwilioSignature(authToken, 'https://public.example.com/sms?x=1', params);
    const { status, code, message } = await post(providers.twilio({ authToken }), '/sms?x=1', { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, new URLSearchParams(params).toString());
    expect([status, code]).toEqual([401, 'signature_mismatch']);
    expect(message).toContain(`"https://${new URL(server!.url).host}/sms?x=1"`);
    expect(message).toContain('`authToken`');
    expect(message).toContain('trustProxy: true');
    expect(message).toContain('`url`');
    expect(message).not.toContain('twilio secret');
    expect(message).not.toContain(authToken);
  });

  it('standardWebhooks() given a Svix delivery (svix-* headers, signed by svix) → 400 missing_header naming the svix-signature header present and providers.svix()', async () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const body = JSON.stringify({ type: 'user.created' });
    const id = 'msg_1';
    const now = new Date();
    const headers = { 'content-type': 'application/json', 'svix-id': id, 'svix-timestamp': String(Math.floor(now.getTime() / 1000)), 'svix-signature': new Webhook(secret).sign(id, now, body) };
    const { status, code, message } = await post(providers.standardWebhooks({ secret }), '/webhooks', headers, body);
    expect([status, code]).toEqual([400, 'missing_header']);
    expect(message).toContain('webhook-signature');
    expect(message).toContain('svix-signature header is present');
    expect(message).toContain('providers.svix(');
  });

  it("github() given a SHA-1-only delivery (X-Hub-Signature, as GitHub computes it) → 400 missing_header naming algorithm: 'sha1'; github({ algorithm: 'sha1' }) → 200", async () => {
    const secret = randomBytes(16).toString('hex');
    const body = JSON.stringify({ action: 'opened' });
    const headers = { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': 'd-1', 'x-hub-signature': `sha1=${createHmac('sha1', secret).update(body).digest('hex')}` };
    const refused = await post(providers.github({ secret }), '/webhooks', headers, body);
    expect([refused.status, refused.code]).toEqual([400, 'missing_header']);
    expect(refused.message).toContain("algorithm: 'sha1'");
    await server?.close();
    const accepted = await post(providers.github({ secret, algorithm: 'sha1' }), '/webhooks', headers, body);
    expect(accepted.status).toBe(200);
  });

  it('signRequest(github, payload) with no { type } → throws misconfigured naming { type } (it used to send ping, so a test passed while no handler ran)', () => {
    const github = providers.github({ secret: 'gh-secret' });
    let thrown: unknown;
    try {
      signRequest(github, { action: 'opened' });
    } catch (error) {
      thrown = error;
    }
    expect(isWebhookError(thrown) && [thrown.status, thrown.code]).toEqual([500, 'misconfigured']);
    expect((thrown as Error).message).toContain("{ type: 'issues.opened' }");
    expect(signRequest(github, { zen: 'hi' }, { type: 'ping' }).headers['x-github-event']).toBe('ping');
  });
});
