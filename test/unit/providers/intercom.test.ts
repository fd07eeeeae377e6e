import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { intercom } from '../../../src/providers/intercom.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// Intercom ships no verifier, so the oracle is node:crypto as Intercom's signed-notifications docs
// (https://developers.intercom.com/docs/webhooks/setting-up-webhooks) say:
// X-Hub-Signature = 'sha1=' + hex HMAC-SHA1(client secret, raw body).
const SECRET = 'intercom-client-secret-5b8e';
const OTHER = 'another-intercom-client-secret';
const BODY = JSON.stringify({ type: 'notification_event', app_id: 'abc123', id: 'notif_4e3504a3-ba3f-46dc-ab48-8e4d5bdfdf4e', topic: 'conversation.user.created', created_at: NOW, data: { item: { body: 'Hallo Zoë 👋' } } });

function intercomSign(body: string | Uint8Array, secret = SECRET): string {
  return `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;
}

function verify(signature: string | undefined, body: string | Uint8Array = BODY, provider = intercom({ clientSecret: SECRET })) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['X-Hub-Signature'] = signature;
  return provider.verify({ headers, body, now: NOW });
}

describe('intercom.verify()', () => {
  for (const { name, body } of sampleBodies({ type: 'notification_event', topic: 'ping' })) {
    it(`intercom.verify(): ${name} → verified, rawBody is the exact bytes`, () => {
      const bytes = Buffer.from(body, 'utf8');
      const verified = verify(intercomSign(body), bytes);
      expect(Buffer.compare(Buffer.from(verified.rawBody), bytes)).toBe(0);
    });
  }

  it('intercom.verify(): one byte of the body changed → signature_mismatch', () => {
    for (const { body } of sampleBodies({ topic: 'ping' })) {
      expectWebhookError(() => verify(intercomSign(body), tamper(body)), 'signature_mismatch');
    }
  });

  it('intercom.verify(): another client secret → signature_mismatch; a sha256 digest under sha1= → signature_mismatch', () => {
    expectWebhookError(() => verify(intercomSign(BODY, OTHER)), 'signature_mismatch');
    expectWebhookError(() => verify(`sha1=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`), 'signature_mismatch');
  });

  it('intercom.verify(): no X-Hub-Signature → missing_header; "sha256=…" → malformed_header', () => {
    expectWebhookError(() => verify(undefined), 'missing_header');
    expectWebhookError(() => verify(intercomSign(BODY).replace('sha1=', 'sha256=')), 'malformed_header');
  });

  it('intercom.verify(): clientSecret: [old, new] (rotation) → either verifies', () => {
    const provider = intercom({ clientSecret: [OTHER, SECRET] });
    expect(() => verify(intercomSign(BODY), BODY, provider)).not.toThrow();
    expect(() => verify(intercomSign(BODY, OTHER), BODY, provider)).not.toThrow();
  });

  it('intercom(): clientSecret "" / missing (even with `secret`) → misconfigured naming `clientSecret`', () => {
    for (const options of [{ clientSecret: '' }, {}, { secret: SECRET }]) {
      expect(expectWebhookError(() => intercom(options as never), 'misconfigured').message).toContain('`clientSecret`');
    }
  });
});

describe('intercom.parse() and sign()', () => {
  const provider = intercom({ clientSecret: SECRET });

  it('intercom.parse(): id = the notification id, type = topic', () => {
    expect(provider.parse(verify(intercomSign(BODY), BODY, provider))).toMatchObject({ id: 'notif_4e3504a3-ba3f-46dc-ab48-8e4d5bdfdf4e', type: 'conversation.user.created' });
  });

  it('intercom.sign(): equals the node:crypto reference and verifies', () => {
    for (const { body } of sampleBodies({ topic: 'contact.created' })) {
      const signed = provider.sign({ body });
      expect(signed.headers['x-hub-signature']).toBe(intercomSign(body));
      expect(() => provider.verify({ headers: signed.headers, body: signed.body })).not.toThrow();
    }
  });
});
