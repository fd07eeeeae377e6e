import { Buffer } from 'node:buffer';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { stripe } from '../../../src/providers/stripe.js';
import { MAX_SIGNATURES } from '../../../src/providers/signature-header.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// The oracle: Stripe's own SDK signs (generateTestHeaderString) and verifies (constructEvent).
const sdk = new Stripe('sk_test_x');
const SECRET = 'whsec_hookguard_stripe_test_secret';
const OTHER = 'whsec_some_other_endpoint_secret';
const BODY = JSON.stringify({ id: 'evt_1', object: 'event', type: 'invoice.paid', data: { object: { amount: 2000 } } });

function stripeHeader(payload: string, secret = SECRET, timestamp = NOW): string {
  return sdk.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

/** The `v1=` value of a header the SDK signed. */
function v1(payload: string, secret = SECRET, timestamp = NOW): string {
  return stripeHeader(payload, secret, timestamp).split(',v1=')[1] as string;
}

function verify(signature: string | undefined, body: string | Uint8Array = BODY, now = NOW, provider = stripe({ secret: SECRET })) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['Stripe-Signature'] = signature;
  return provider.verify({ headers, body, now });
}

describe('stripe.verify(): accepts what stripe-node signs', () => {
  for (const { name, body } of sampleBodies({ id: 'evt_1', type: 'invoice.paid' })) {
    it(`stripe.verify(): ${name} signed by generateTestHeaderString → verified, rawBody is the exact bytes`, () => {
      const bytes = Buffer.from(body, 'utf8');
      const verified = verify(stripeHeader(body), bytes);
      expect(verified.timestamp).toBe(NOW);
      expect(Buffer.compare(Buffer.from(verified.rawBody), bytes)).toBe(0);
    });
  }

  it('stripe.verify(): a string body is taken as its UTF-8 bytes → verified', () => {
    expect(verify(stripeHeader(BODY), BODY).timestamp).toBe(NOW);
  });

  it('stripe.verify(): a whsec_ secret is used whole as UTF-8, not base64-decoded → verified', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(() => verify(stripeHeader(BODY, secret), BODY, NOW, stripe({ secret }))).not.toThrow();
  });
});

describe('stripe.verify(): rejections', () => {
  it('stripe.verify(): one byte of the body changed → signature_mismatch', () => {
    for (const { body } of sampleBodies({ id: 'evt_1' })) {
      expectWebhookError(() => verify(stripeHeader(body), tamper(body)), 'signature_mismatch');
    }
  });

  it('stripe.verify(): signed with another endpoint secret → signature_mismatch', () => {
    expectWebhookError(() => verify(stripeHeader(BODY, OTHER)), 'signature_mismatch');
  });

  it('stripe.verify(): only a v0 entry (no v1) → signature_mismatch', () => {
    expectWebhookError(() => verify(`t=${NOW},v0=${v1(BODY)}`), 'signature_mismatch');
  });

  it('stripe.verify(): no Stripe-Signature header → missing_header', () => {
    expectWebhookError(() => verify(undefined), 'missing_header');
  });

  it('stripe.verify(): header without t= → malformed_header', () => {
    expectWebhookError(() => verify(`v1=${v1(BODY)}`), 'malformed_header');
  });

  it('stripe.verify(): t=soon (not digits) → malformed_header', () => {
    expectWebhookError(() => verify(`t=soon,v1=${v1(BODY)}`), 'malformed_header');
  });
});

describe('stripe.verify(): several signatures and rotation', () => {
  it('stripe.verify(): two v1 entries, the valid one second → verified', () => {
    expect(() => verify(`t=${NOW},v1=${v1(BODY, OTHER)},v1=${v1(BODY)}`)).not.toThrow();
  });

  it('stripe.verify(): v1 and a v0 entry → verified (v0 ignored)', () => {
    expect(() => verify(`${stripeHeader(BODY)},v0=${'ab'.repeat(32)}`)).not.toThrow();
  });

  it('stripe.verify(): secret: [old, signing] (rotation) → verified', () => {
    const provider = stripe({ secret: [OTHER, SECRET] });
    expect(() => verify(stripeHeader(BODY), BODY, NOW, provider)).not.toThrow();
    expect(() => verify(stripeHeader(BODY, OTHER), BODY, NOW, provider)).not.toThrow();
  });

  it(`stripe.verify(): the valid v1 at position ${MAX_SIGNATURES} of the list → verified (the cap is ${MAX_SIGNATURES})`, () => {
    const bad = Array.from({ length: MAX_SIGNATURES - 1 }, (_, i) => `v1=${v1(`${BODY}${i}`)}`);
    expect(() => verify([`t=${NOW}`, ...bad, `v1=${v1(BODY)}`].join(','))).not.toThrow();
  });

  it(`stripe.verify(): the valid v1 at position ${MAX_SIGNATURES + 1}+ → signature_mismatch (bounded work: not all are tried)`, () => {
    for (const count of [MAX_SIGNATURES, MAX_SIGNATURES + 5, 1000]) {
      const bad = Array.from({ length: count }, () => `v1=${'00'.repeat(32)}`);
      expectWebhookError(() => verify([`t=${NOW}`, ...bad, `v1=${v1(BODY)}`].join(',')), 'signature_mismatch');
    }
  });
});

describe('stripe.verify(): replay window', () => {
  const header = stripeHeader(BODY);

  it('stripe.verify(): t= exactly 300 s old (default tolerance) → verified', () => {
    expect(verify(header, BODY, NOW + 300).timestamp).toBe(NOW);
  });

  it('stripe.verify(): t= 301 s old → timestamp_too_old', () => {
    expectWebhookError(() => verify(header, BODY, NOW + 301), 'timestamp_too_old');
  });

  it('stripe.verify(): t= 301 s in the future → timestamp_in_future (stripe-node would accept it)', () => {
    expectWebhookError(() => verify(header, BODY, NOW - 301), 'timestamp_in_future');
  });

  it('stripe.verify(): toleranceSeconds: 60 → 60 s old verified, 61 s old timestamp_too_old', () => {
    const provider = stripe({ secret: SECRET, toleranceSeconds: 60 });
    expect(provider.toleranceSeconds).toBe(60);
    expect(() => verify(header, BODY, NOW + 60, provider)).not.toThrow();
    expectWebhookError(() => verify(header, BODY, NOW + 61, provider), 'timestamp_too_old');
  });

  it('stripe(): toleranceSeconds 0, negative or NaN → throws misconfigured naming the option', () => {
    for (const toleranceSeconds of [0, -1, Number.NaN]) {
      const error = expectWebhookError(() => stripe({ secret: SECRET, toleranceSeconds }), 'misconfigured');
      expect(error.message).toContain('toleranceSeconds');
    }
  });
});

describe('stripe(): options', () => {
  it('stripe(): secret "" / missing / [] → throws misconfigured naming `secret`', () => {
    for (const options of [{ secret: '' }, {}, { secret: [] }, { secret: [SECRET, ''] }]) {
      const error = expectWebhookError(() => stripe(options as never), 'misconfigured');
      expect(error.message).toContain('`secret`');
    }
  });
});

describe('stripe.sign()', () => {
  const provider = stripe({ secret: SECRET });

  it('stripe.sign(): t=…,v1=<hex> + content-type application/json → accepted by stripe.verify()', () => {
    const signed = provider.sign({ body: BODY, timestamp: NOW });
    expect(signed.headers['content-type']).toBe('application/json');
    expect(signed.headers['stripe-signature']).toMatch(/^t=1735700000,v1=[0-9a-f]{64}$/);
    expect(signed.headers['stripe-signature']).toBe(stripeHeader(BODY));
    expect(provider.verify({ headers: signed.headers, body: signed.body, now: NOW }).timestamp).toBe(NOW);
  });

  it('stripe.sign(): accepted by stripe-node constructEvent (the official verifier)', () => {
    for (const { body } of sampleBodies({ id: 'evt_9', type: 'charge.refunded' })) {
      const signed = provider.sign({ body, timestamp: NOW });
      const event = sdk.webhooks.constructEvent(body, signed.headers['stripe-signature'] as string, SECRET, 300, undefined, NOW * 1000);
      expect(event.id).toBe('evt_9');
    }
  });
});

describe('stripe.parse()', () => {
  const provider = stripe({ secret: SECRET });

  it('stripe.parse(): id = payload.id, type = payload.type', () => {
    const parsed = provider.parse(verify(stripeHeader(BODY)));
    expect(parsed).toMatchObject({ id: 'evt_1', type: 'invoice.paid' });
    expect(parsed.payload).toEqual(JSON.parse(BODY));
    expect(provider.handshake).toBeUndefined();
  });

  it('stripe.parse(): a verified body that is not JSON → invalid_body', () => {
    expectWebhookError(() => provider.parse(verify(stripeHeader('not json'), 'not json')), 'invalid_body');
  });
});
