import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { typeform } from '../../../src/providers/typeform.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// Typeform ships no verifier, so the oracle is node:crypto as
// https://www.typeform.com/developers/webhooks/secure-your-webhooks/ says:
// 'sha256=' + base64(HMAC-SHA256(secret, raw payload)) in the Typeform-Signature header.
const SECRET = 'typeform-webhook-secret-0c3e';
const OTHER = 'another-typeform-secret';
const BODY = JSON.stringify({ event_id: '01HQ2Z8X5JY0Y9Q8W7E6R5T4Y3', event_type: 'form_response', form_response: { form_id: 'lT4Z3j', answers: [{ type: 'text', text: 'Zoë — naïve ☕' }] } });

function typeformSign(body: string | Uint8Array, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;
}

function verify(signature: string | undefined, body: string | Uint8Array = BODY, provider = typeform({ secret: SECRET })) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['Typeform-Signature'] = signature;
  return provider.verify({ headers, body, now: NOW });
}

describe('typeform.verify()', () => {
  for (const { name, body } of sampleBodies({ event_id: 'e1', event_type: 'form_response' })) {
    it(`typeform.verify(): ${name} → verified, rawBody is the exact bytes`, () => {
      const bytes = Buffer.from(body, 'utf8');
      const verified = verify(typeformSign(body), bytes);
      expect(verified.timestamp).toBeUndefined();
      expect(Buffer.compare(Buffer.from(verified.rawBody), bytes)).toBe(0);
    });
  }

  it('typeform.verify(): one byte of the body changed → signature_mismatch', () => {
    for (const { body } of sampleBodies({ event_type: 'form_response' })) {
      expectWebhookError(() => verify(typeformSign(body), tamper(body)), 'signature_mismatch');
    }
  });

  it('typeform.verify(): another secret → signature_mismatch; a hex digest where base64 is expected → signature_mismatch', () => {
    expectWebhookError(() => verify(typeformSign(BODY, OTHER)), 'signature_mismatch');
    expectWebhookError(() => verify(`sha256=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`), 'signature_mismatch');
  });

  it('typeform.verify(): no Typeform-Signature → missing_header; no "sha256=" prefix → malformed_header', () => {
    expectWebhookError(() => verify(undefined), 'missing_header');
    expectWebhookError(() => verify(typeformSign(BODY).slice('sha256='.length)), 'malformed_header');
  });

  it('typeform.verify(): secret: [old, new] (rotation) → either verifies', () => {
    const provider = typeform({ secret: [OTHER, SECRET] });
    expect(() => verify(typeformSign(BODY), BODY, provider)).not.toThrow();
    expect(() => verify(typeformSign(BODY, OTHER), BODY, provider)).not.toThrow();
  });

  it('typeform(): secret "" / missing → misconfigured naming `secret`; no timestamp is signed (no window)', () => {
    for (const options of [{ secret: '' }, {}]) {
      expect(expectWebhookError(() => typeform(options as never), 'misconfigured').message).toContain('`secret`');
    }
    expect(typeform({ secret: SECRET }).toleranceSeconds).toBeUndefined();
  });
});

describe('typeform.parse() and sign()', () => {
  const provider = typeform({ secret: SECRET });

  it('typeform.parse(): id = event_id, type = event_type', () => {
    expect(provider.parse(verify(typeformSign(BODY), BODY, provider))).toMatchObject({ id: '01HQ2Z8X5JY0Y9Q8W7E6R5T4Y3', type: 'form_response' });
  });

  it('typeform.sign(): equals the node:crypto reference and verifies', () => {
    for (const { body } of sampleBodies({ event_type: 'form_response' })) {
      const signed = provider.sign({ body });
      expect(signed.headers['typeform-signature']).toBe(typeformSign(body));
      expect(() => provider.verify({ headers: signed.headers, body: signed.body })).not.toThrow();
    }
  });
});
