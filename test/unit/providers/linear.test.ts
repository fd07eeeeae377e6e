import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { LinearWebhookClient } from '@linear/sdk/webhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { linear } from '../../../src/providers/linear.js';
import { expectWebhookError, MIB, NOW, sampleBodies, tamper } from './support.js';

// The oracle: @linear/sdk's LinearWebhookClient.verify() (hex HMAC-SHA256 of the raw body, then the
// body's webhookTimestamp within 60 s of Date.now()). It has no signer, so the SDK-side signature is
// node:crypto exactly as its verify() recomputes it.
const SECRET = 'lin_wh_hookguard_test_secret_0f3c';
const OTHER = 'lin_wh_another_webhook_secret';
const NOW_MS = NOW * 1000;
const DELIVERY = '234d1a4e-b617-4388-90fe-adc3633d6b72';

function event(fields: Record<string, unknown> = {}, timestamp: number = NOW_MS): string {
  return JSON.stringify({ action: 'create', type: 'Issue', data: { id: 'issue-1', title: 'Café ☕ 🎉' }, webhookTimestamp: timestamp, ...fields });
}

const BODY = event();

function linearSign(body: string | Uint8Array, secret = SECRET): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

function headersFor(signature: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8', 'Linear-Delivery': DELIVERY, 'Linear-Event': 'Issue', ...extra };
  if (signature !== undefined) headers['Linear-Signature'] = signature;
  return headers;
}

function verify(signature: string | undefined, body: string | Uint8Array = BODY, now = NOW, provider = linear({ secret: SECRET })) {
  return provider.verify({ headers: headersFor(signature), body, now });
}

/** sampleBodies() with a webhookTimestamp, so each is a body Linear could send. */
function linearBodies() {
  return sampleBodies({ type: 'Issue', action: 'update', webhookTimestamp: NOW_MS });
}

describe('linear.verify(): accepts what Linear signs', () => {
  for (const { name, body } of linearBodies()) {
    it(`linear.verify(): ${name} → verified, timestamp from webhookTimestamp, rawBody is the exact bytes`, () => {
      const bytes = Buffer.from(body, 'utf8');
      const verified = verify(linearSign(body), bytes);
      expect(verified.timestamp).toBe(NOW);
      expect(Buffer.compare(Buffer.from(verified.rawBody), bytes)).toBe(0);
    });
  }

  it('linear.verify(): the 1 MiB body is exactly 1 MiB (the receiver default) and still verifies', () => {
    const large = linearBodies()[2]?.body as string;
    expect(Buffer.byteLength(large)).toBe(MIB);
    expect(() => verify(linearSign(large), large)).not.toThrow();
  });
});

describe('linear.verify(): rejections', () => {
  it('linear.verify(): one byte of the body changed → signature_mismatch', () => {
    for (const { body } of linearBodies()) {
      expectWebhookError(() => verify(linearSign(body), tamper(body)), 'signature_mismatch');
    }
  });

  it('linear.verify(): signed with another secret → signature_mismatch', () => {
    expectWebhookError(() => verify(linearSign(BODY, OTHER)), 'signature_mismatch');
  });

  it('linear.verify(): webhookTimestamp moved by 1 ms (it is signed, in the body) → signature_mismatch', () => {
    expectWebhookError(() => verify(linearSign(BODY), event({}, NOW_MS + 1)), 'signature_mismatch');
  });

  it('linear.verify(): no Linear-Signature → missing_header', () => {
    expectWebhookError(() => verify(undefined), 'missing_header');
  });

  it('linear.verify(): an upper-case or non-hex signature → signature_mismatch (never a crash)', () => {
    expectWebhookError(() => verify('zz'.repeat(32)), 'signature_mismatch');
    expectWebhookError(() => verify(linearSign(BODY).slice(0, 40)), 'signature_mismatch');
  });

  it('linear.verify(): correctly signed body without webhookTimestamp → invalid_body (after the signature check)', () => {
    const body = JSON.stringify({ action: 'create', type: 'Issue', data: {} });
    expectWebhookError(() => verify(linearSign(body), body), 'invalid_body');
    expectWebhookError(() => verify(linearSign(body, OTHER), body), 'signature_mismatch');
  });

  it('linear.verify(): webhookTimestamp a string, null or not JSON at all → invalid_body', () => {
    for (const body of [event({ webhookTimestamp: String(NOW_MS) }), event({ webhookTimestamp: null }), 'not json', '[1,2]']) {
      expectWebhookError(() => verify(linearSign(body), body), 'invalid_body');
    }
  });
});

describe('linear.verify(): replay window (60 s, both ways)', () => {
  const signature = linearSign(BODY);

  it('linear(): the default window is 60 s', () => {
    expect(linear({ secret: SECRET }).toleranceSeconds).toBe(60);
  });

  it('linear.verify(): webhookTimestamp exactly 60 s old → verified; 60.001 s old → timestamp_too_old', () => {
    expect(verify(signature, BODY, NOW + 60).timestamp).toBe(NOW);
    const justOld = event({}, NOW_MS - 60_001);
    expectWebhookError(() => verify(linearSign(justOld), justOld, NOW), 'timestamp_too_old');
  });

  it('linear.verify(): webhookTimestamp 61 s in the future → timestamp_in_future', () => {
    expectWebhookError(() => verify(signature, BODY, NOW - 61), 'timestamp_in_future');
  });

  it('linear.verify(): toleranceSeconds: 300 widens it; 0 → throws misconfigured naming the option', () => {
    const wide = linear({ secret: SECRET, toleranceSeconds: 300 });
    expect(() => verify(signature, BODY, NOW + 300, wide)).not.toThrow();
    expectWebhookError(() => verify(signature, BODY, NOW + 301, wide), 'timestamp_too_old');
    expect(expectWebhookError(() => linear({ secret: SECRET, toleranceSeconds: 0 }), 'misconfigured').message).toContain('toleranceSeconds');
  });
});

describe('linear(): rotation and options', () => {
  it('linear.verify(): secret: [old, new] (rotation) → either verifies', () => {
    const provider = linear({ secret: [OTHER, SECRET] });
    expect(() => verify(linearSign(BODY), BODY, NOW, provider)).not.toThrow();
    expect(() => verify(linearSign(BODY, OTHER), BODY, NOW, provider)).not.toThrow();
  });

  it('linear(): secret "" / missing → throws misconfigured naming `secret`', () => {
    for (const options of [{ secret: '' }, {}]) {
      expect(expectWebhookError(() => linear(options as never), 'misconfigured').message).toContain('`secret`');
    }
  });
});

describe('linear.parse()', () => {
  const provider = linear({ secret: SECRET });

  it("linear.parse(): Issue + action 'create' → type 'Issue.create', parentTypes ['Issue'], id from Linear-Delivery", () => {
    const parsed = provider.parse(verify(linearSign(BODY)));
    expect(parsed).toMatchObject({ id: DELIVERY, type: 'Issue.create', parentTypes: ['Issue'] });
  });

  it('linear.parse(): no action → the type alone; no payload type → the Linear-Event header', () => {
    expect(provider.parse({ rawBody: Buffer.from('{"type":"Comment"}'), headers: headersFor('x') }).type).toBe('Comment');
    expect(provider.parse({ rawBody: Buffer.from('{}'), headers: headersFor('x', { 'Linear-Event': 'Reaction' }) }).type).toBe('Reaction');
  });

  it('linear.parse(): the body decoded to read webhookTimestamp is reused, not decoded again', () => {
    const verified = verify(linearSign(BODY), BODY, NOW, provider);
    const parsed = provider.parse(verified);
    expect(parsed.payload).toEqual(JSON.parse(BODY));
    expect(provider.parse(verified).payload).toBe(parsed.payload);
  });
});

describe('linear against @linear/sdk LinearWebhookClient', () => {
  const client = new LinearWebhookClient(SECRET);
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW_MS);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('linear.sign() → LinearWebhookClient.verify() accepts every sample body (unicode, CRLF, 1 MiB)', () => {
    const provider = linear({ secret: SECRET });
    for (const { body } of linearBodies()) {
      const signed = provider.sign({ body, timestamp: NOW });
      expect(client.verify(Buffer.from(signed.body as string), signed.headers['linear-signature'] as string)).toBe(true);
      expect(client.parseData(Buffer.from(signed.body as string), signed.headers['linear-signature'] as string)).toEqual(JSON.parse(body));
    }
  });

  it('what LinearWebhookClient accepts, linear.verify() accepts; what it refuses (tampered, 61 s old), hookguard refuses', () => {
    const provider = linear({ secret: SECRET });
    for (const { body } of linearBodies()) {
      const signature = linearSign(body);
      expect(client.verify(Buffer.from(body), signature)).toBe(true);
      expect(verify(signature, body, NOW, provider).timestamp).toBe(NOW);
      expect(() => client.verify(tamper(body), signature)).toThrow();
      expectWebhookError(() => verify(signature, tamper(body), NOW, provider), 'signature_mismatch');
    }
    const stale = event({}, NOW_MS - 61_000);
    expect(() => client.verify(Buffer.from(stale), linearSign(stale))).toThrow(/timestamp/);
    expectWebhookError(() => verify(linearSign(stale), stale, NOW, provider), 'timestamp_too_old');
  });

  it('linear.sign(): a JSON object without webhookTimestamp is stamped with the signing time (as Linear does) and the SDK accepts it', () => {
    const provider = linear({ secret: SECRET });
    const signed = provider.sign({ body: JSON.stringify({ type: 'Issue', action: 'remove', data: { id: 'i' } }), timestamp: NOW, type: 'Issue.remove' });
    expect(JSON.parse(signed.body as string).webhookTimestamp).toBe(NOW_MS);
    expect(signed.headers['linear-event']).toBe('Issue');
    expect(client.verify(Buffer.from(signed.body as string), signed.headers['linear-signature'] as string)).toBe(true);
    const parsed = provider.parse(provider.verify({ headers: signed.headers, body: signed.body, now: NOW }));
    expect(parsed.type).toBe('Issue.remove');
  });

  it('linear.sign(): a body that already has webhookTimestamp, or is not a JSON object, is signed byte for byte as given', () => {
    const provider = linear({ secret: SECRET });
    expect(provider.sign({ body: BODY, timestamp: NOW + 5 }).body).toBe(BODY);
    expect(provider.sign({ body: 'plain text', timestamp: NOW }).body).toBe('plain text');
  });
});
