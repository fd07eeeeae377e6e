import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { shopify } from '../../../src/providers/shopify.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// The oracle: Shopify's libraries expose no signer, so node:crypto by hand, as Shopify documents
// it: base64(HMAC-SHA256(client secret, raw body)).
const SECRET = 'shopify-app-client-secret-for-tests';
const OTHER = 'shopify-app-client-secret-previous';
const BODY = JSON.stringify({ id: 820982911946154508, email: 'jon@example.com', total_price: '199.65', customer: { first_name: 'Zoë' } });
const WEBHOOK_ID = 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043';

function shopifySign(body: string | Uint8Array, secret = SECRET): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

function headersFor(signature: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-Shopify-Topic': 'orders/create',
    'X-Shopify-Webhook-Id': WEBHOOK_ID,
    'X-Shopify-Shop-Domain': 'hookguard-test.myshopify.com',
  };
  if (signature !== undefined) headers['X-Shopify-Hmac-Sha256'] = signature;
  return headers;
}

function verify(signature: string | undefined, body: string | Uint8Array = BODY, provider = shopify({ secret: SECRET })) {
  return provider.verify({ headers: headersFor(signature), body, now: NOW });
}

describe('shopify.verify(): accepts what Shopify signs', () => {
  for (const { name, body } of sampleBodies({ id: 1, note: 'x' })) {
    it(`shopify.verify(): ${name} → verified, rawBody is the exact bytes`, () => {
      const bytes = Buffer.from(body, 'utf8');
      const verified = verify(shopifySign(body), bytes);
      expect(verified.timestamp).toBeUndefined();
      expect(Buffer.compare(Buffer.from(verified.rawBody), bytes)).toBe(0);
    });
  }

  it('shopify.verify(): no timestamp is signed, so `now` does not matter → verified at any time', () => {
    const provider = shopify({ secret: SECRET });
    expect(provider.toleranceSeconds).toBeUndefined();
    expect(() => provider.verify({ headers: headersFor(shopifySign(BODY)), body: BODY, now: 0 })).not.toThrow();
  });

  it('shopify.verify(): lower-case header names → verified', () => {
    const headers = Object.fromEntries(Object.entries(headersFor(shopifySign(BODY))).map(([k, v]) => [k.toLowerCase(), v]));
    expect(() => shopify({ secret: SECRET }).verify({ headers, body: BODY })).not.toThrow();
  });
});

describe('shopify.verify(): rejections', () => {
  it('shopify.verify(): one byte of the body changed → signature_mismatch', () => {
    for (const { body } of sampleBodies({ id: 1 })) {
      expectWebhookError(() => verify(shopifySign(body), tamper(body)), 'signature_mismatch');
    }
  });

  it('shopify.verify(): signed with another secret → signature_mismatch', () => {
    expectWebhookError(() => verify(shopifySign(BODY, OTHER)), 'signature_mismatch');
  });

  it('shopify.verify(): no X-Shopify-Hmac-Sha256 → missing_header', () => {
    expectWebhookError(() => verify(undefined), 'missing_header');
  });

  // The header is one bare value: there is no structure to be malformed. An undecodable value
  // simply never matches (the vectors' primary reason; malformed_header is also acceptable there).
  it('shopify.verify(): the HMAC hex-encoded, or not base64 at all → signature_mismatch', () => {
    const hex = createHmac('sha256', SECRET).update(BODY).digest('hex');
    for (const signature of [hex, 'not base64!', `${shopifySign(BODY)}junk`]) {
      expectWebhookError(() => verify(signature), 'signature_mismatch');
    }
  });
});

describe('shopify(): rotation and options', () => {
  it('shopify.verify(): secret: [new, old-that-signed] (rotation) → verified', () => {
    const provider = shopify({ secret: [OTHER, SECRET] });
    expect(() => verify(shopifySign(BODY), BODY, provider)).not.toThrow();
    expect(() => verify(shopifySign(BODY, OTHER), BODY, provider)).not.toThrow();
  });

  it('shopify(): secret "" / missing → throws misconfigured naming `secret`', () => {
    for (const options of [{ secret: '' }, {}, { secret: [''] }]) {
      const error = expectWebhookError(() => shopify(options as never), 'misconfigured');
      expect(error.message).toContain('`secret`');
    }
  });
});

describe('shopify.parse()', () => {
  it('shopify.parse(): id = X-Shopify-Webhook-Id, type = X-Shopify-Topic', () => {
    const provider = shopify({ secret: SECRET });
    const parsed = provider.parse(verify(shopifySign(BODY)));
    expect(parsed).toMatchObject({ id: WEBHOOK_ID, type: 'orders/create' });
    expect(parsed.parentTypes).toBeUndefined();
    expect(provider.handshake).toBeUndefined();
  });
});

describe('shopify.sign()', () => {
  const provider = shopify({ secret: SECRET });

  it("shopify.sign({ type: 'products/update', id }): base64 HMAC, topic and webhook id headers → accepted by shopify.verify()", () => {
    const signed = provider.sign({ body: BODY, type: 'products/update', id: WEBHOOK_ID });
    expect(signed.headers).toEqual({
      'content-type': 'application/json',
      'x-shopify-topic': 'products/update',
      'x-shopify-webhook-id': WEBHOOK_ID,
      'x-shopify-hmac-sha256': shopifySign(BODY),
    });
    const parsed = provider.parse(provider.verify({ headers: signed.headers, body: signed.body }));
    expect(parsed).toMatchObject({ id: WEBHOOK_ID, type: 'products/update' });
  });

  it("shopify.sign(): no type → topic 'orders/create'; no id → a random UUID", () => {
    const signed = provider.sign({ body: BODY });
    expect(signed.headers['x-shopify-topic']).toBe('orders/create');
    expect(signed.headers['x-shopify-webhook-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('shopify.sign(): every sample body → equal to the hand-computed oracle', () => {
    for (const { body } of sampleBodies({ id: 2 })) {
      expect(provider.sign({ body }).headers['x-shopify-hmac-sha256']).toBe(shopifySign(body));
    }
  });
});
