import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { zendesk } from '../../../src/providers/zendesk.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// Zendesk ships no verifier, so the oracle is node:crypto as
// https://developer.zendesk.com/documentation/webhooks/verifying/ says: base64(HMACSHA256(TIMESTAMP + BODY)),
// keyed with the secret text itself. SECRET is the test signing secret printed in that page's
// Node example; the timestamp shape and ids are those of
// https://developer.zendesk.com/documentation/webhooks/anatomy-of-a-webhook-request/.
const SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
const OTHER = 'another-zendesk-webhook-secret';
const DOC_TIMESTAMP = '2021-03-25T05:09:27Z';
const TIMESTAMP = '2025-01-01T02:53:20Z'; // NOW
const INVOCATION = '8350205582';
const BODY = JSON.stringify({ type: 'zen:event-type:ticket.created', account_id: 123456, id: 'cbe4028c-7239-495d-b020-f22348516046', detail: { subject: 'Café order ✓' } });

function zendeskSign(body: string | Uint8Array, timestamp = TIMESTAMP, secret = SECRET): string {
  return createHmac('sha256', secret).update(timestamp).update(body).digest('base64');
}

function headersFor(signature: string | null, timestamp: string | null = TIMESTAMP, contentType = 'application/json'): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': contentType, 'x-zendesk-account-id': '123456', 'x-zendesk-webhook-id': '01F1KRFQ6BG29CNWFR60NK5FNY', 'x-zendesk-webhook-invocation-id': INVOCATION };
  if (signature !== null) headers['x-zendesk-webhook-signature'] = signature;
  if (timestamp !== null) headers['x-zendesk-webhook-signature-timestamp'] = timestamp;
  return headers;
}

function verify(signature: string | null, body: string | Uint8Array = BODY, now = NOW, provider = zendesk({ secret: SECRET }), timestamp: string | null = TIMESTAMP) {
  return provider.verify({ headers: headersFor(signature, timestamp), body, now });
}

describe('zendesk.verify(): accepts what Zendesk signs', () => {
  for (const { name, body } of sampleBodies({ type: 'zen:event-type:ticket.created', id: 'e1' })) {
    it(`zendesk.verify(): ${name} → verified, rawBody is the exact bytes`, () => {
      const bytes = Buffer.from(body, 'utf8');
      const verified = verify(zendeskSign(body), bytes);
      expect(verified.timestamp).toBe(NOW);
      expect(Buffer.compare(Buffer.from(verified.rawBody), bytes)).toBe(0);
    });
  }

  it("zendesk.verify(): the docs' timestamp shape (2021-03-25T05:09:27Z) → verified at that time", () => {
    const at = Date.UTC(2021, 2, 25, 5, 9, 27) / 1000;
    expect(verify(zendeskSign(BODY, DOC_TIMESTAMP), BODY, at, undefined, DOC_TIMESTAMP).timestamp).toBe(at);
  });

  it('zendesk.verify(): a trigger webhook with a form body → verified over the raw form bytes and parsed as a form', () => {
    const form = 'ticket_id=42&status=open&note=caf%C3%A9';
    const provider = zendesk({ secret: SECRET });
    const verified = provider.verify({ headers: headersFor(zendeskSign(form), TIMESTAMP, 'application/x-www-form-urlencoded'), body: form, now: NOW });
    expect(provider.parse(verified).payload).toEqual({ ticket_id: '42', status: 'open', note: 'café' });
  });
});

describe('zendesk.verify(): rejections', () => {
  it('zendesk.verify(): one byte of the body changed → signature_mismatch', () => {
    for (const { body } of sampleBodies({ type: 'zen:event-type:ticket.created' })) {
      expectWebhookError(() => verify(zendeskSign(body), tamper(body)), 'signature_mismatch');
    }
  });

  it('zendesk.verify(): another secret, or the timestamp text changed (it is signed as text) → signature_mismatch', () => {
    expectWebhookError(() => verify(zendeskSign(BODY, TIMESTAMP, OTHER)), 'signature_mismatch');
    expectWebhookError(() => verify(zendeskSign(BODY), BODY, NOW, undefined, '2025-01-01T02:53:21Z'), 'signature_mismatch');
    expectWebhookError(() => verify(zendeskSign(BODY), BODY, NOW, undefined, '2025-01-01T02:53:20.000Z'), 'signature_mismatch');
  });

  it('zendesk.verify(): no signature or no timestamp header → missing_header', () => {
    expectWebhookError(() => verify(null), 'missing_header');
    expectWebhookError(() => verify(zendeskSign(BODY), BODY, NOW, undefined, null), 'missing_header');
  });

  it('zendesk.verify(): a timestamp that is not ISO 8601 / RFC 3339 → malformed_header', () => {
    for (const timestamp of [String(NOW), 'Wed, 01 Jan 2025 02:53:20 GMT', '2025-13-01T00:00:00Z', '2025-01-01']) {
      expectWebhookError(() => verify(zendeskSign(BODY, timestamp), BODY, NOW, undefined, timestamp), 'malformed_header');
    }
  });
});

describe('zendesk.verify(): replay window (300 s, both ways) and rotation', () => {
  it('zendesk.verify(): exactly 300 s old → verified; 301 s old → timestamp_too_old; 301 s ahead → timestamp_in_future', () => {
    expect(verify(zendeskSign(BODY), BODY, NOW + 300).timestamp).toBe(NOW);
    expectWebhookError(() => verify(zendeskSign(BODY), BODY, NOW + 301), 'timestamp_too_old');
    expectWebhookError(() => verify(zendeskSign(BODY), BODY, NOW - 301), 'timestamp_in_future');
  });

  it('zendesk.verify(): secret: [old, new] (rotation) → either verifies', () => {
    const provider = zendesk({ secret: [OTHER, SECRET] });
    expect(() => verify(zendeskSign(BODY), BODY, NOW, provider)).not.toThrow();
    expect(() => verify(zendeskSign(BODY, TIMESTAMP, OTHER), BODY, NOW, provider)).not.toThrow();
  });

  it('zendesk(): secret "" / missing → throws misconfigured naming `secret`', () => {
    for (const options of [{ secret: '' }, {}]) {
      expect(expectWebhookError(() => zendesk(options as never), 'misconfigured').message).toContain('`secret`');
    }
  });
});

describe('zendesk.parse() and sign()', () => {
  const provider = zendesk({ secret: SECRET });

  it('zendesk.parse(): id = X-Zendesk-Webhook-Invocation-Id, type = payload.type', () => {
    expect(provider.parse(verify(zendeskSign(BODY), BODY, NOW, provider))).toMatchObject({ id: INVOCATION, type: 'zen:event-type:ticket.created' });
  });

  it('zendesk.sign(): an RFC 3339 timestamp header and the node:crypto reference signature, accepted by verify()', () => {
    for (const { body } of sampleBodies({ type: 'zen:event-type:user.created' })) {
      const signed = provider.sign({ body, timestamp: NOW });
      expect(signed.headers['x-zendesk-webhook-signature-timestamp']).toBe(TIMESTAMP);
      expect(signed.headers['x-zendesk-webhook-signature']).toBe(zendeskSign(body));
      expect(signed.headers['x-zendesk-webhook-invocation-id']).toMatch(/^[0-9]{10}$/);
      expect(provider.verify({ headers: signed.headers, body: signed.body, now: NOW }).timestamp).toBe(NOW);
    }
  });
});
