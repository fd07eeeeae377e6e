import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createReceiver } from '../../../src/index.js';
import { zoom } from '../../../src/providers/zoom.js';
import { signRequest } from '../../../src/testing/index.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// Zoom publishes no Node verifier, so the oracle is node:crypto exactly as
// https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events says:
// 'v0=' + hex(HMAC-SHA256(secret token, `v0:${x-zm-request-timestamp}:${body}`)), and for
// endpoint.url_validation, encryptedToken = hex(HMAC-SHA256(secret token, plainToken)).
// The url_validation body is the one printed on that page.
const TOKEN = 'zoom-secret-token-hookguard-4f1a';
const OTHER = 'zoom-secret-token-previous-9c2b';
const PLAIN = 'qgg8vlvZRS6UYooatFL8Aw';
const VALIDATION = JSON.stringify({ payload: { plainToken: PLAIN }, event_ts: 1654503849680, event: 'endpoint.url_validation' });
const EVENT = JSON.stringify({ event: 'meeting.started', event_ts: NOW * 1000, payload: { account_id: 'a1', object: { id: '85462', topic: 'Zoë’s stand-up ☕' } } });

function zoomSign(body: string | Uint8Array, token = TOKEN, timestamp: number | string = NOW): string {
  return `v0=${createHmac('sha256', token).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
}

function encrypted(plainToken: string, token = TOKEN): string {
  return createHmac('sha256', token).update(plainToken).digest('hex');
}

function headersFor(signature: string | null, timestamp: string | null = String(NOW)): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (signature !== null) headers['x-zm-signature'] = signature;
  if (timestamp !== null) headers['x-zm-request-timestamp'] = timestamp;
  return headers;
}

function verify(signature: string | null, body: string | Uint8Array = EVENT, now = NOW, provider = zoom({ secretToken: TOKEN }), timestamp: string | null = String(NOW)) {
  return provider.verify({ headers: headersFor(signature, timestamp), body, now });
}

describe('zoom.verify(): accepts what Zoom signs', () => {
  for (const { name, body } of sampleBodies({ event: 'recording.completed', payload: {} })) {
    it(`zoom.verify(): ${name} → verified, rawBody is the exact bytes`, () => {
      const bytes = Buffer.from(body, 'utf8');
      const verified = verify(zoomSign(body), bytes);
      expect(verified.timestamp).toBe(NOW);
      expect(Buffer.compare(Buffer.from(verified.rawBody), bytes)).toBe(0);
    });
  }
});

describe('zoom.verify(): rejections', () => {
  it('zoom.verify(): one byte of the body changed → signature_mismatch', () => {
    for (const { body } of sampleBodies({ event: 'meeting.ended' })) {
      expectWebhookError(() => verify(zoomSign(body), tamper(body)), 'signature_mismatch');
    }
  });

  it('zoom.verify(): another secret token, or the timestamp moved by 1 s (it is signed) → signature_mismatch', () => {
    expectWebhookError(() => verify(zoomSign(EVENT, OTHER)), 'signature_mismatch');
    expectWebhookError(() => verify(zoomSign(EVENT), EVENT, NOW, undefined, String(NOW + 1)), 'signature_mismatch');
  });

  it('zoom.verify(): no x-zm-signature or no x-zm-request-timestamp → missing_header', () => {
    expectWebhookError(() => verify(null), 'missing_header');
    expectWebhookError(() => verify(zoomSign(EVENT), EVENT, NOW, undefined, null), 'missing_header');
  });

  it('zoom.verify(): "v1=…" → malformed_header; a non-digit timestamp → malformed_header', () => {
    expectWebhookError(() => verify(zoomSign(EVENT).replace('v0=', 'v1=')), 'malformed_header');
    expectWebhookError(() => verify(zoomSign(EVENT, TOKEN, 'NaN'), EVENT, NOW, undefined, 'NaN'), 'malformed_header');
  });
});

describe('zoom.verify(): replay window (300 s, both ways) and rotation', () => {
  it('zoom.verify(): exactly 300 s old → verified; 301 s old → timestamp_too_old; 301 s ahead → timestamp_in_future', () => {
    expect(verify(zoomSign(EVENT), EVENT, NOW + 300).timestamp).toBe(NOW);
    expectWebhookError(() => verify(zoomSign(EVENT), EVENT, NOW + 301), 'timestamp_too_old');
    expectWebhookError(() => verify(zoomSign(EVENT), EVENT, NOW - 301), 'timestamp_in_future');
  });

  it('zoom.verify(): secretToken: [new, old] (rotation) → either verifies', () => {
    const provider = zoom({ secretToken: [TOKEN, OTHER] });
    expect(() => verify(zoomSign(EVENT), EVENT, NOW, provider)).not.toThrow();
    expect(() => verify(zoomSign(EVENT, OTHER), EVENT, NOW, provider)).not.toThrow();
  });

  it('zoom(): secretToken "" / missing → throws misconfigured naming `secretToken`', () => {
    for (const options of [{ secretToken: '' }, {}, { secret: TOKEN }]) {
      expect(expectWebhookError(() => zoom(options as never), 'misconfigured').message).toContain('`secretToken`');
    }
  });
});

describe('zoom.parse()', () => {
  it('zoom.parse(): type = payload.event; Zoom sends no delivery id', () => {
    const provider = zoom({ secretToken: TOKEN });
    const parsed = provider.parse(verify(zoomSign(EVENT), EVENT, NOW, provider));
    expect([parsed.type, parsed.id]).toEqual(['meeting.started', undefined]);
  });
});

describe('zoom endpoint.url_validation through createReceiver().receive() (answered only after verification)', () => {
  function receiverFor(secretToken: string | string[] = TOKEN) {
    const receiver = createReceiver({ provider: zoom({ secretToken }) });
    let calls = 0;
    receiver.onAny(() => {
      calls++;
    });
    return { receiver, calls: () => calls };
  }
  const deliver = (receiver: ReturnType<typeof receiverFor>['receiver'], headers: Record<string, string>, body = VALIDATION, now = NOW) =>
    receiver.receive({ method: 'POST', url: '/webhooks/zoom', headers, body, now });
  const outcome = (result: { status: number; body: string }) => [result.status, (JSON.parse(result.body) as { error?: { code: string } }).error?.code];

  it("a verified url_validation (the docs' body) → 200 JSON { plainToken, encryptedToken = hex HMAC(plainToken) }; no handler runs", async () => {
    const { receiver, calls } = receiverFor();
    const result = await deliver(receiver, headersFor(zoomSign(VALIDATION)));
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(result.body)).toEqual({ plainToken: PLAIN, encryptedToken: encrypted(PLAIN) });
    expect(calls()).toBe(0);
  });

  it('an unsigned url_validation → 400 missing_header; neither token is echoed', async () => {
    const { receiver } = receiverFor();
    const result = await deliver(receiver, headersFor(null));
    expect(outcome(result)).toEqual([400, 'missing_header']);
    expect(result.body).not.toContain(PLAIN);
    expect(result.body).not.toContain(encrypted(PLAIN));
  });

  it('a url_validation signed with another secret token → 401 signature_mismatch; neither token is echoed', async () => {
    const { receiver } = receiverFor();
    const result = await deliver(receiver, headersFor(zoomSign(VALIDATION, OTHER)));
    expect(outcome(result)).toEqual([401, 'signature_mismatch']);
    expect(result.body).not.toContain(PLAIN);
    expect(result.body).not.toContain(encrypted(PLAIN));
  });

  it('a stale url_validation → 401 timestamp_too_old; the token is not echoed', async () => {
    const { receiver } = receiverFor();
    const result = await deliver(receiver, headersFor(zoomSign(VALIDATION)), VALIDATION, NOW + 301);
    expect(outcome(result)).toEqual([401, 'timestamp_too_old']);
    expect(result.body).not.toContain(PLAIN);
  });

  it('while rotating, the encryptedToken is made with the secret token that signed the request', async () => {
    const { receiver } = receiverFor([TOKEN, OTHER]);
    const byOld = await deliver(receiver, headersFor(zoomSign(VALIDATION, OTHER)));
    expect(JSON.parse(byOld.body)).toEqual({ plainToken: PLAIN, encryptedToken: encrypted(PLAIN, OTHER) });
    const byNew = await deliver(receiver, headersFor(zoomSign(VALIDATION, TOKEN)));
    expect(JSON.parse(byNew.body)).toEqual({ plainToken: PLAIN, encryptedToken: encrypted(PLAIN, TOKEN) });
  });

  it('a verified url_validation without a string payload.plainToken → 400 invalid_body', async () => {
    const { receiver } = receiverFor();
    const body = JSON.stringify({ event: 'endpoint.url_validation', payload: {} });
    expect(outcome(await deliver(receiver, headersFor(zoomSign(body)), body))).toEqual([400, 'invalid_body']);
  });

  it('signRequest(zoom, …) with no options → a fresh delivery a receiver accepts and routes by event', async () => {
    const provider = zoom({ secretToken: TOKEN });
    const receiver = createReceiver({ provider });
    const seen: string[] = [];
    receiver.on('meeting.started', (delivery) => {
      seen.push(delivery.type);
    });
    const signed = signRequest(provider, JSON.parse(EVENT));
    expect((await receiver.receive({ method: 'POST', headers: signed.headers, body: signed.body })).status).toBe(200);
    expect(seen).toEqual(['meeting.started']);
  });
});

describe('zoom.sign()', () => {
  it('zoom.sign(): v0= signature and timestamp equal the node:crypto reference and verify', () => {
    const provider = zoom({ secretToken: TOKEN });
    for (const { body } of sampleBodies({ event: 'meeting.started' })) {
      const signed = provider.sign({ body, timestamp: NOW });
      expect(signed.headers['x-zm-request-timestamp']).toBe(String(NOW));
      expect(signed.headers['x-zm-signature']).toBe(zoomSign(body));
      expect(provider.verify({ headers: signed.headers, body: signed.body, now: NOW }).timestamp).toBe(NOW);
    }
  });
});
