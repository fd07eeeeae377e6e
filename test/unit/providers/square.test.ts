import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { WebhooksHelper } from 'square';
import { describe, expect, it } from 'vitest';
import { square } from '../../../src/providers/square.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// Oracles: the `square` SDK's WebhooksHelper.verifySignature() (base64 HMAC-SHA256 over
// notificationUrl + body; it has no signer), and the test vectors Square's SDKs share
// (square/square-nodejs-sdk, square-python-sdk, square-go-sdk: WebhooksHelper tests).
const KEY = 'hookguard-square-signature-key';
const OTHER = 'another-subscription-key';
const URL = 'https://example.com/webhooks/square';
const BODY = JSON.stringify({ merchant_id: 'M1', type: 'payment.updated', event_id: 'f5f36c4b-1a9e-4c0e-9d7f-0a1b2c3d4e5f', data: { type: 'payment', id: 'p1', note: 'Café ✓' } });

const VECTOR = {
  requestBody: '{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}',
  signatureHeader: 'GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=',
  signatureKey: 'Ibxx_5AKakO-3qeNVR61Dw',
  notificationUrl: 'https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9',
};
const ESCAPED = { requestBody: '{"data":{"type":"webhooks","id":">id<"}}', signatureHeader: 'Cxt7+aTi4rKgcA0bC4g9EHdVtLSDWdqccmL5MvihU4U=', signatureKey: 'signature-key', notificationUrl: 'https://webhook.site/webhooks' };

function squareSign(body: string | Uint8Array, key = KEY, url = URL): string {
  return createHmac('sha256', key).update(url).update(body).digest('base64');
}

function verify(signature: string | undefined, body: string | Uint8Array = BODY, provider = square({ signatureKey: KEY, notificationUrl: URL })) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['x-square-hmacsha256-signature'] = signature;
  return provider.verify({ headers, body, now: NOW });
}

describe('square.verify(): accepts what Square signs', () => {
  it("square.verify(): the Square SDKs' shared test vector → verified (and the SDK agrees)", async () => {
    const provider = square({ signatureKey: VECTOR.signatureKey, notificationUrl: VECTOR.notificationUrl });
    expect(() => verify(VECTOR.signatureHeader, VECTOR.requestBody, provider)).not.toThrow();
    await expect(WebhooksHelper.verifySignature(VECTOR)).resolves.toBe(true);
  });

  it("square.verify(): the SDKs' escaped-characters vector (`>id<`) → verified over the raw bytes", () => {
    const provider = square({ signatureKey: ESCAPED.signatureKey, notificationUrl: ESCAPED.notificationUrl });
    expect(() => verify(ESCAPED.signatureHeader, ESCAPED.requestBody, provider)).not.toThrow();
  });

  for (const { name, body } of sampleBodies({ type: 'payment.updated', event_id: 'e1' })) {
    it(`square.verify(): ${name} → verified, rawBody is the exact bytes`, () => {
      const bytes = Buffer.from(body, 'utf8');
      const verified = verify(squareSign(body), bytes);
      expect(verified.timestamp).toBeUndefined();
      expect(Buffer.compare(Buffer.from(verified.rawBody), bytes)).toBe(0);
    });
  }
});

describe('square.verify(): rejections', () => {
  it('square.verify(): one byte of the body changed → signature_mismatch', () => {
    for (const { body } of sampleBodies({ type: 'payment.updated' })) {
      expectWebhookError(() => verify(squareSign(body), tamper(body)), 'signature_mismatch');
    }
    expectWebhookError(() => verify(VECTOR.signatureHeader, tamper(VECTOR.requestBody), square({ signatureKey: VECTOR.signatureKey, notificationUrl: VECTOR.notificationUrl })), 'signature_mismatch');
  });

  it('square.verify(): signed for another notification URL (the URL is signed) → signature_mismatch', () => {
    expectWebhookError(() => verify(squareSign(BODY, KEY, 'https://example.com/webhooks/other')), 'signature_mismatch');
  });

  it('square.verify(): another signature key → signature_mismatch', () => {
    expectWebhookError(() => verify(squareSign(BODY, OTHER)), 'signature_mismatch');
  });

  it('square.verify(): no x-square-hmacsha256-signature → missing_header; not base64 → signature_mismatch', () => {
    expectWebhookError(() => verify(undefined), 'missing_header');
    expectWebhookError(() => verify('not base64!'), 'signature_mismatch');
  });
});

describe('square(): rotation and options', () => {
  it('square.verify(): signatureKey: [old, new] → either verifies', () => {
    const provider = square({ signatureKey: [OTHER, KEY], notificationUrl: URL });
    expect(() => verify(squareSign(BODY), BODY, provider)).not.toThrow();
    expect(() => verify(squareSign(BODY, OTHER), BODY, provider)).not.toThrow();
  });

  it('square(): signatureKey "" / missing → throws misconfigured naming `signatureKey`', () => {
    for (const options of [{ signatureKey: '', notificationUrl: URL }, { notificationUrl: URL }]) {
      expect(expectWebhookError(() => square(options as never), 'misconfigured').message).toContain('`signatureKey`');
    }
  });

  it('square(): notificationUrl missing or not an absolute URL → throws misconfigured naming `notificationUrl`', () => {
    for (const notificationUrl of [undefined, '', '/webhooks/square', 'example.com/x']) {
      expect(expectWebhookError(() => square({ signatureKey: KEY, notificationUrl } as never), 'misconfigured').message).toContain('`notificationUrl`');
    }
  });

  it('square(): signs no timestamp (no window); replays are stopped by dedupe on event_id', () => {
    expect(square({ signatureKey: KEY, notificationUrl: URL }).toleranceSeconds).toBeUndefined();
  });
});

describe('square.parse() and square.sign()', () => {
  const provider = square({ signatureKey: KEY, notificationUrl: URL });

  it('square.parse(): id = event_id, type = type', () => {
    expect(provider.parse(verify(squareSign(BODY), BODY, provider))).toMatchObject({ id: 'f5f36c4b-1a9e-4c0e-9d7f-0a1b2c3d4e5f', type: 'payment.updated' });
  });

  it('square.sign() → WebhooksHelper.verifySignature() accepts every sample body (unicode, CRLF, 1 MiB); a tampered one it refuses', async () => {
    for (const { body } of sampleBodies({ type: 'payment.updated', event_id: 'e2' })) {
      const signed = provider.sign({ body });
      const signatureHeader = signed.headers['x-square-hmacsha256-signature'] as string;
      expect(signatureHeader).toBe(squareSign(body));
      await expect(WebhooksHelper.verifySignature({ requestBody: body, signatureHeader, signatureKey: KEY, notificationUrl: URL })).resolves.toBe(true);
      await expect(WebhooksHelper.verifySignature({ requestBody: tamper(body).toString('utf8'), signatureHeader, signatureKey: KEY, notificationUrl: URL })).resolves.toBe(false);
      expect(() => provider.verify({ headers: signed.headers, body: signed.body, now: NOW })).not.toThrow();
    }
  });
});
