import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createReceiver } from '../../../src/index.js';
import { twitch } from '../../../src/providers/twitch.js';
import { signRequest } from '../../../src/testing/index.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// Twitch publishes no Node signer/verifier, so the oracle is node:crypto exactly as
// https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message says:
// 'sha256=' + hex(HMAC-SHA256(secret, message id + message timestamp + raw body)).
// The sample message id, nanosecond timestamp and challenge body are the ones printed on that page.
const SECRET = 'twitch-eventsub-secret-0123456789';
const OTHER = 'another-eventsub-subscription-secret';
const DOC_ID = 'e76c6bd4-55c9-4987-8304-da1588d8988b';
const DOC_TIMESTAMP = '2019-11-16T10:11:12.634234626Z';
const DOC_SECONDS = Date.UTC(2019, 10, 16, 10, 11, 12, 634) / 1000;
const ID = 'befa7b53-d79d-478f-86b9-120f112b044e';
const TIMESTAMP = new Date(NOW * 1000).toISOString(); // 2025-01-01T02:53:20.000Z
const CHALLENGE = 'pogchamp-kappa-360noscope-vohiyo';
const SUBSCRIPTION = { id: 'f1c2a387-161a-49f9-a165-0f21d7a4e1c4', type: 'channel.follow', version: '2', cost: 1, condition: { broadcaster_user_id: '12826', moderator_user_id: '12826' }, transport: { method: 'webhook', callback: 'https://example.com/webhooks/callback' }, created_at: DOC_TIMESTAMP };
const NOTIFICATION = JSON.stringify({ subscription: { ...SUBSCRIPTION, status: 'enabled' }, event: { user_id: '1337', user_login: 'awesome_user', user_name: 'Awesome_Üser ✨', broadcaster_user_id: '12826', followed_at: DOC_TIMESTAMP } });
const VERIFICATION = JSON.stringify({ challenge: CHALLENGE, subscription: { ...SUBSCRIPTION, status: 'webhook_callback_verification_pending' } });
const REVOCATION = JSON.stringify({ subscription: { ...SUBSCRIPTION, status: 'authorization_revoked' } });

function twitchSign(body: string | Uint8Array, id = ID, timestamp = TIMESTAMP, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(id + timestamp).update(body).digest('hex')}`;
}

interface Message { signature?: string | null; id?: string | null; timestamp?: string | null; type?: string; body?: string | Uint8Array }

function headersFor({ signature, id = ID, timestamp = TIMESTAMP, type = 'notification', body = NOTIFICATION }: Message): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Twitch-Eventsub-Message-Type': type, 'Twitch-Eventsub-Message-Retry': '0', 'Twitch-Eventsub-Subscription-Type': 'channel.follow', 'Twitch-Eventsub-Subscription-Version': '2' };
  const sig = signature === undefined ? twitchSign(body, id ?? '', timestamp ?? '') : signature;
  if (sig !== null) headers['Twitch-Eventsub-Message-Signature'] = sig;
  if (id !== null) headers['Twitch-Eventsub-Message-Id'] = id;
  if (timestamp !== null) headers['Twitch-Eventsub-Message-Timestamp'] = timestamp;
  return headers;
}

function verify(message: Message = {}, now = NOW, provider = twitch({ secret: SECRET })) {
  return provider.verify({ headers: headersFor(message), body: message.body ?? NOTIFICATION, now });
}

describe('twitch.verify(): accepts what Twitch signs', () => {
  for (const { name, body } of sampleBodies({ subscription: { type: 'stream.online' }, event: { broadcaster_user_id: '1' } })) {
    it(`twitch.verify(): ${name} → verified, rawBody is the exact bytes`, () => {
      const bytes = Buffer.from(body, 'utf8');
      const verified = verify({ body: bytes, signature: twitchSign(body) });
      expect(verified.timestamp).toBe(NOW);
      expect(Buffer.compare(Buffer.from(verified.rawBody), bytes)).toBe(0);
    });
  }

  it("twitch.verify(): the docs' message id and nanosecond RFC 3339 timestamp → verified, timestamp read to the millisecond", () => {
    const verified = verify({ id: DOC_ID, timestamp: DOC_TIMESTAMP }, Math.floor(DOC_SECONDS));
    expect(verified.timestamp).toBe(DOC_SECONDS);
  });
});

describe('twitch.verify(): rejections', () => {
  it('twitch.verify(): one byte of the body changed → signature_mismatch', () => {
    for (const { body } of sampleBodies({ subscription: { type: 'stream.online' } })) {
      expectWebhookError(() => verify({ body: tamper(body), signature: twitchSign(body) }), 'signature_mismatch');
    }
  });

  it('twitch.verify(): another secret, or the message id / timestamp changed (both signed) → signature_mismatch', () => {
    expectWebhookError(() => verify({ signature: twitchSign(NOTIFICATION, ID, TIMESTAMP, OTHER) }), 'signature_mismatch');
    expectWebhookError(() => verify({ signature: twitchSign(NOTIFICATION), id: DOC_ID }), 'signature_mismatch');
    expectWebhookError(() => verify({ signature: twitchSign(NOTIFICATION), timestamp: TIMESTAMP.replace('.000Z', '.001Z') }), 'signature_mismatch');
  });

  it('twitch.verify(): no signature, no message id or no timestamp header → missing_header', () => {
    expectWebhookError(() => verify({ signature: null }), 'missing_header');
    expectWebhookError(() => verify({ id: null, signature: twitchSign(NOTIFICATION, '') }), 'missing_header');
    expectWebhookError(() => verify({ timestamp: null, signature: twitchSign(NOTIFICATION, ID, '') }), 'missing_header');
  });

  it('twitch.verify(): a signature without "sha256=" → malformed_header', () => {
    expectWebhookError(() => verify({ signature: twitchSign(NOTIFICATION).replace('sha256=', 'sha1=') }), 'malformed_header');
  });

  it('twitch.verify(): a timestamp that is not RFC 3339 (unix seconds, no zone, Feb 30, a space) → malformed_header', () => {
    for (const timestamp of [String(NOW), '2024-12-31T23:33:20', '2023-02-30T00:00:00Z', '2024-12-31 23:33:20Z', '2024-12-31T23:33:20.0000000001Z']) {
      expectWebhookError(() => verify({ timestamp }), 'malformed_header');
    }
  });
});

describe('twitch.verify(): replay window (10 min, both ways) and rotation', () => {
  it('twitch(): the default window is 600 s', () => {
    expect(twitch({ secret: SECRET }).toleranceSeconds).toBe(600);
  });

  it('twitch.verify(): exactly 600 s old → verified; 601 s old → timestamp_too_old; 601 s ahead → timestamp_in_future', () => {
    expect(verify({}, NOW + 600).timestamp).toBe(NOW);
    expectWebhookError(() => verify({}, NOW + 601), 'timestamp_too_old');
    expectWebhookError(() => verify({}, NOW - 601), 'timestamp_in_future');
  });

  it('twitch.verify(): a +02:00 offset is honoured (same instant as Z)', () => {
    const offset = '2025-01-01T04:53:20+02:00'; // = NOW (2025-01-01T02:53:20Z)
    expect(verify({ timestamp: offset }).timestamp).toBe(NOW);
  });

  it('twitch.verify(): secret: [old, new] (rotation) → either verifies', () => {
    const provider = twitch({ secret: [OTHER, SECRET] });
    expect(() => verify({}, NOW, provider)).not.toThrow();
    expect(() => verify({ signature: twitchSign(NOTIFICATION, ID, TIMESTAMP, OTHER) }, NOW, provider)).not.toThrow();
  });

  it('twitch(): secret "" / missing → throws misconfigured naming `secret`', () => {
    for (const options of [{ secret: '' }, {}]) {
      expect(expectWebhookError(() => twitch(options as never), 'misconfigured').message).toContain('`secret`');
    }
  });
});

describe('twitch.parse()', () => {
  const provider = twitch({ secret: SECRET });
  const parse = (message: Message) => provider.parse(verify(message, NOW, provider));

  it('twitch.parse(): notification → type = subscription.type, id = Twitch-Eventsub-Message-Id', () => {
    expect(parse({})).toMatchObject({ id: ID, type: 'channel.follow' });
  });

  it("twitch.parse(): revocation → type 'revocation'; webhook_callback_verification → that type", () => {
    expect(parse({ type: 'revocation', body: REVOCATION }).type).toBe('revocation');
    expect(parse({ type: 'webhook_callback_verification', body: VERIFICATION }).type).toBe('webhook_callback_verification');
  });
});

describe('twitch handshake through createReceiver().receive() (answered only after verification)', () => {
  function receiverWithHandlers() {
    const receiver = createReceiver({ provider: twitch({ secret: SECRET }) });
    const seen: string[] = [];
    receiver.on('revocation', (delivery) => {
      seen.push(`revocation:${delivery.id}`);
    });
    receiver.onAny((delivery) => {
      seen.push(`any:${delivery.type}`);
    });
    return { receiver, seen };
  }
  const deliver = (receiver: ReturnType<typeof receiverWithHandlers>['receiver'], message: Message, now = NOW) =>
    receiver.receive({ method: 'POST', url: '/webhooks/twitch', headers: headersFor(message), body: message.body ?? NOTIFICATION, now });
  const outcome = (result: { status: number; body: string }) => [result.status, (JSON.parse(result.body) as { error?: { code: string } }).error?.code];

  it('a verified webhook_callback_verification → 200 text/plain with exactly the challenge; no handler runs', async () => {
    const { receiver, seen } = receiverWithHandlers();
    const result = await deliver(receiver, { type: 'webhook_callback_verification', body: VERIFICATION });
    expect([result.status, result.body]).toEqual([200, CHALLENGE]);
    expect(result.headers['content-type']).toMatch(/^text\/plain/);
    expect(seen).toEqual([]);
  });

  it('an unsigned webhook_callback_verification → 400 missing_header; the challenge is not echoed', async () => {
    const { receiver } = receiverWithHandlers();
    const result = await deliver(receiver, { type: 'webhook_callback_verification', body: VERIFICATION, signature: null });
    expect(outcome(result)).toEqual([400, 'missing_header']);
    expect(result.body).not.toContain(CHALLENGE);
  });

  it('a webhook_callback_verification signed with another secret → 401 signature_mismatch; the challenge is not echoed', async () => {
    const { receiver } = receiverWithHandlers();
    const result = await deliver(receiver, { type: 'webhook_callback_verification', body: VERIFICATION, signature: twitchSign(VERIFICATION, ID, TIMESTAMP, OTHER) });
    expect(outcome(result)).toEqual([401, 'signature_mismatch']);
    expect(result.body).not.toContain(CHALLENGE);
  });

  it('a stale (11 min old) webhook_callback_verification → 401 timestamp_too_old; the challenge is not echoed', async () => {
    const { receiver } = receiverWithHandlers();
    const result = await deliver(receiver, { type: 'webhook_callback_verification', body: VERIFICATION }, NOW + 660);
    expect(outcome(result)).toEqual([401, 'timestamp_too_old']);
    expect(result.body).not.toContain(CHALLENGE);
  });

  it('a verified webhook_callback_verification without a string challenge → 400 invalid_body', async () => {
    const { receiver } = receiverWithHandlers();
    const body = JSON.stringify({ challenge: 42, subscription: SUBSCRIPTION });
    expect(outcome(await deliver(receiver, { type: 'webhook_callback_verification', body }))).toEqual([400, 'invalid_body']);
  });

  it('a revocation is routed as an event to on("revocation") (and onAny); a notification to its subscription type', async () => {
    const { receiver, seen } = receiverWithHandlers();
    expect((await deliver(receiver, { type: 'revocation', body: REVOCATION })).status).toBe(200);
    expect((await deliver(receiver, { id: DOC_ID })).status).toBe(200);
    expect(seen.sort()).toEqual(['any:channel.follow', 'any:revocation', `revocation:${ID}`]);
  });
});

describe('twitch.sign()', () => {
  const provider = twitch({ secret: SECRET });

  it('twitch.sign(): id + RFC 3339 timestamp + signature headers equal the node:crypto reference, and verify', () => {
    for (const { body } of sampleBodies({ subscription: { type: 'channel.follow' } })) {
      const signed = provider.sign({ body, timestamp: NOW, id: ID, type: 'channel.follow' });
      expect(signed.headers).toMatchObject({ 'twitch-eventsub-message-id': ID, 'twitch-eventsub-message-timestamp': '2025-01-01T02:53:20Z', 'twitch-eventsub-message-type': 'notification', 'twitch-eventsub-subscription-type': 'channel.follow' });
      expect(signed.headers['twitch-eventsub-message-signature']).toBe(twitchSign(body, ID, '2025-01-01T02:53:20Z'));
      expect(provider.verify({ headers: signed.headers, body: signed.body, now: NOW }).timestamp).toBe(NOW);
    }
  });

  it("signRequest(twitch, verification, { type: 'webhook_callback_verification' }) → answered with the challenge by a receiver", async () => {
    const receiver = createReceiver({ provider });
    const signed = signRequest(provider, JSON.parse(VERIFICATION), { type: 'webhook_callback_verification' });
    expect(signed.headers['twitch-eventsub-message-type']).toBe('webhook_callback_verification');
    const result = await receiver.receive({ method: 'POST', headers: signed.headers, body: signed.body });
    expect([result.status, result.body]).toEqual([200, CHALLENGE]);
  });
});
