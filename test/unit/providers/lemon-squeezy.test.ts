import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { lemonSqueezy } from '../../../src/providers/lemon-squeezy.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// Lemon Squeezy ships no verifier, so the oracle is node:crypto as
// https://docs.lemonsqueezy.com/help/webhooks/signing-requests says: X-Signature = hex HMAC-SHA256 of the raw body.
const SECRET = 'lemon-squeezy-signing-secret';
const OTHER = 'another-lemon-secret';
const BODY = JSON.stringify({ meta: { event_name: 'order_created', test_mode: true, custom_data: { user: 'Zoë ✓' } }, data: { type: 'orders', id: '1', attributes: { status: 'paid' } } });

function lemonSign(body: string | Uint8Array, secret = SECRET): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

function verify(signature: string | undefined, body: string | Uint8Array = BODY, provider = lemonSqueezy({ secret: SECRET }), eventName: string | undefined = 'order_created') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['X-Signature'] = signature;
  if (eventName !== undefined) headers['X-Event-Name'] = eventName;
  return provider.verify({ headers, body, now: NOW });
}

describe('lemonSqueezy.verify()', () => {
  for (const { name, body } of sampleBodies({ meta: { event_name: 'order_created' } })) {
    it(`lemonSqueezy.verify(): ${name} → verified, rawBody is the exact bytes`, () => {
      const bytes = Buffer.from(body, 'utf8');
      const verified = verify(lemonSign(body), bytes);
      expect(Buffer.compare(Buffer.from(verified.rawBody), bytes)).toBe(0);
    });
  }

  it('lemonSqueezy.verify(): one byte of the body changed → signature_mismatch', () => {
    for (const { body } of sampleBodies({ meta: { event_name: 'order_created' } })) {
      expectWebhookError(() => verify(lemonSign(body), tamper(body)), 'signature_mismatch');
    }
  });

  it('lemonSqueezy.verify(): another secret → signature_mismatch; no X-Signature → missing_header', () => {
    expectWebhookError(() => verify(lemonSign(BODY, OTHER)), 'signature_mismatch');
    expectWebhookError(() => verify(undefined), 'missing_header');
  });

  it('lemonSqueezy.verify(): secret: [old, new] (rotation) → either verifies', () => {
    const provider = lemonSqueezy({ secret: [OTHER, SECRET] });
    expect(() => verify(lemonSign(BODY), BODY, provider)).not.toThrow();
    expect(() => verify(lemonSign(BODY, OTHER), BODY, provider)).not.toThrow();
  });

  it('lemonSqueezy(): secret "" / missing → misconfigured naming `secret`; no timestamp, no window', () => {
    for (const options of [{ secret: '' }, {}]) {
      expect(expectWebhookError(() => lemonSqueezy(options as never), 'misconfigured').message).toContain('`secret`');
    }
    expect(lemonSqueezy({ secret: SECRET }).toleranceSeconds).toBeUndefined();
  });
});

describe('lemonSqueezy.parse() and sign()', () => {
  const provider = lemonSqueezy({ secret: SECRET });

  it('lemonSqueezy.parse(): type = X-Event-Name; without the header, meta.event_name; no delivery id', () => {
    expect(provider.parse(verify(lemonSign(BODY), BODY, provider))).toMatchObject({ type: 'order_created' });
    const parsed = provider.parse(verify(lemonSign(BODY), BODY, provider, undefined));
    expect([parsed.type, parsed.id]).toEqual(['order_created', undefined]);
  });

  it("lemonSqueezy.sign({ type }): X-Event-Name and the node:crypto reference X-Signature, accepted by verify()", () => {
    for (const { body } of sampleBodies({ meta: { event_name: 'subscription_created' } })) {
      const signed = provider.sign({ body, type: 'subscription_created' });
      expect(signed.headers['x-signature']).toBe(lemonSign(body));
      expect(signed.headers['x-event-name']).toBe('subscription_created');
      expect(provider.parse(provider.verify({ headers: signed.headers, body: signed.body })).type).toBe('subscription_created');
    }
  });
});
