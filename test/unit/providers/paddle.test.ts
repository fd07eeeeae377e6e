import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { Paddle } from '@paddle/paddle-node-sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { paddle, PADDLE_TOLERANCE_SECONDS } from '../../../src/providers/paddle.js';
import { MAX_SIGNATURES } from '../../../src/providers/signature-header.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// Oracles: @paddle/paddle-node-sdk verifies (`webhooks.unmarshal` / `isSignatureValid`; it reads
// the wall clock, so the clock is pinned to NOW). It cannot sign, so node:crypto signs exactly
// as developer.paddle.com "Verify webhook signatures" describes: h1 = hex HMAC-SHA256(secret, `${ts}:${body}`).
const SECRET = 'pdl_ntfset_01hookguardunittest_0123456789abcdefNotARealKey';
const OTHER = 'pdl_ntfset_01hookguardunittest_rotatedsecretNotARealKey';
const sdk = new Paddle('pdl_sdbx_apikey_01hookguardunittest_NotARealKey');
const EVENT = JSON.stringify({
  event_id: 'evt_01hkgunittest',
  event_type: 'transaction.completed',
  occurred_at: '2025-01-01T00:00:00.000000Z',
  notification_id: 'ntf_01hkgunittest',
  data: { id: 'txn_01', customer_note: 'Vielen Dank für Ihre Bestellung ❤️' },
});

const h1 = (body: string | Uint8Array, secret = SECRET, ts: number | string = NOW) => createHmac('sha256', secret).update(`${ts}:`).update(body).digest('hex');
const header = (body: string | Uint8Array, secret = SECRET, ts: number | string = NOW) => `ts=${ts};h1=${h1(body, secret, ts)}`;

function verify(signature: string | undefined, body: string | Uint8Array = EVENT, now = NOW, provider = paddle({ secret: SECRET })) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['Paddle-Signature'] = signature;
  return provider.verify({ headers, body, now });
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('paddle.verify(): accepts what Paddle signs (node:crypto per the docs, cross-checked by the SDK)', () => {
  for (const { name, body } of sampleBodies({ event_id: 'evt_1', event_type: 'transaction.paid' })) {
    it(`paddle.verify(): ${name} → verified (and the Paddle SDK agrees), rawBody is the exact bytes`, async () => {
      const bytes = Buffer.from(body, 'utf8');
      const verified = verify(header(body), bytes);
      expect(verified.timestamp).toBe(NOW);
      expect(Buffer.compare(Buffer.from(verified.rawBody), bytes)).toBe(0);
      expect(await sdk.webhooks.isSignatureValid(body, SECRET, header(body))).toBe(true);
    });
  }

  it('paddle.verify(): the SDK test suite\'s "Valid signature" (secret VALID_SECRET, ts 1698796800) → verified (paddle-node-sdk webhooks-validator.node.test.ts)', () => {
    const signature = 'ts=1698796800;h1=a300428748dce5c70e4da19bffd60769591ea969c99dea3105d0ec9612cf43f9';
    expect(verify(signature, '{"data": ["1", "2"]}', 1698796801, paddle({ secret: 'VALID_SECRET' })).timestamp).toBe(1698796800);
  });
});

describe('paddle.sign(): accepted by @paddle/paddle-node-sdk', () => {
  const provider = paddle({ secret: SECRET });

  // An event type the SDK has no class for: it returns a GenericEvent without validating the data shape.
  for (const { name, body } of sampleBodies({ event_id: 'evt_9', event_type: 'hookguard.unit_test' })) {
    it(`paddle.sign(): ${name} → webhooks.unmarshal() accepts it and returns the event`, async () => {
      const signed = provider.sign({ body, timestamp: NOW });
      const signature = signed.headers['paddle-signature'] as string;
      expect(signature).toBe(header(body));
      const event = await sdk.webhooks.unmarshal(body, SECRET, signature);
      expect(event.eventId).toBe('evt_9');
      await expect(sdk.webhooks.unmarshal(tamper(body).toString('utf8'), SECRET, signature)).rejects.toThrow();
    });
  }

  it('paddle.sign(): ts=…;h1=<hex> + content-type application/json → accepted by paddle.verify()', () => {
    const signed = provider.sign({ body: EVENT, timestamp: NOW });
    expect(signed.headers['paddle-signature']).toMatch(/^ts=1735700000;h1=[0-9a-f]{64}$/);
    expect(signed.headers['content-type']).toBe('application/json');
    expect(provider.verify({ headers: signed.headers, body: EVENT, now: NOW }).timestamp).toBe(NOW);
  });
});

describe('paddle.verify(): rejections', () => {
  it('paddle.verify(): one byte of the body changed → signature_mismatch', () => {
    for (const { body } of sampleBodies({ event_id: 'evt_1' })) {
      expectWebhookError(() => verify(header(body), tamper(body)), 'signature_mismatch');
    }
  });

  it('paddle.verify(): signed with another secret → signature_mismatch', () => {
    expectWebhookError(() => verify(header(EVENT, OTHER)), 'signature_mismatch');
  });

  it('paddle.verify(): ts= changed by 1 s (it is signed) → signature_mismatch', () => {
    expectWebhookError(() => verify(`ts=${NOW + 1};h1=${h1(EVENT)}`), 'signature_mismatch');
  });

  it('paddle.verify(): no Paddle-Signature → missing_header', () => {
    expectWebhookError(() => verify(undefined), 'missing_header');
  });

  it('paddle.verify(): "invalid_header" (no ts=) → malformed_header; ts=soon → malformed_header', () => {
    expectWebhookError(() => verify('invalid_header'), 'malformed_header');
    expectWebhookError(() => verify(`ts=soon;h1=${h1(EVENT, SECRET, 'soon')}`), 'malformed_header');
  });

  it('paddle.verify(): only an h2 entry (no h1) → signature_mismatch', () => {
    expectWebhookError(() => verify(`ts=${NOW};h2=${h1(EVENT)}`), 'signature_mismatch');
  });
});

describe('paddle.verify(): every h1 is tried, and rotation', () => {
  it('paddle.verify(): two h1 values, the valid one FIRST → verified (paddle-node-sdk 3.10 reads only the last and refuses it)', async () => {
    const signature = `ts=${NOW};h1=${h1(EVENT)};h1=${h1(EVENT, OTHER)}`;
    expect(() => verify(signature)).not.toThrow();
    expect(await sdk.webhooks.isSignatureValid(EVENT, SECRET, signature)).toBe(false);
  });

  it('paddle.verify(): two h1 values, the valid one last → verified', () => {
    expect(() => verify(`ts=${NOW};h1=${h1(EVENT, OTHER)};h1=${h1(EVENT)}`)).not.toThrow();
  });

  it('paddle.verify(): secret: [old, new] (rotation) → either verifies', () => {
    const provider = paddle({ secret: [OTHER, SECRET] });
    expect(() => verify(header(EVENT), EVENT, NOW, provider)).not.toThrow();
    expect(() => verify(header(EVENT, OTHER), EVENT, NOW, provider)).not.toThrow();
  });

  it(`paddle.verify(): the valid h1 after ${MAX_SIGNATURES} others → signature_mismatch (bounded work)`, () => {
    const bad = Array.from({ length: MAX_SIGNATURES }, () => `h1=${'00'.repeat(32)}`);
    expectWebhookError(() => verify([`ts=${NOW}`, ...bad, `h1=${h1(EVENT)}`].join(';')), 'signature_mismatch');
  });
});

describe('paddle.verify(): replay window (default 5 s, as Paddle\'s SDKs)', () => {
  const signature = header(EVENT);

  it(`paddle(): toleranceSeconds defaults to ${PADDLE_TOLERANCE_SECONDS}`, () => {
    expect(paddle({ secret: SECRET }).toleranceSeconds).toBe(5);
  });

  it('paddle.verify(): ts 5 s old → verified; 6 s old → timestamp_too_old (the SDK agrees on both)', async () => {
    expect(() => verify(signature, EVENT, NOW + 5)).not.toThrow();
    expectWebhookError(() => verify(signature, EVENT, NOW + 6), 'timestamp_too_old');
    vi.setSystemTime((NOW + 5) * 1000);
    expect(await sdk.webhooks.isSignatureValid(EVENT, SECRET, signature)).toBe(true);
    vi.setSystemTime((NOW + 6) * 1000);
    expect(await sdk.webhooks.isSignatureValid(EVENT, SECRET, signature)).toBe(false);
  });

  it('paddle.verify(): ts 6 s in the future → timestamp_in_future (the Paddle SDK accepts any future ts)', async () => {
    expectWebhookError(() => verify(signature, EVENT, NOW - 6), 'timestamp_in_future');
    vi.setSystemTime((NOW - 3600) * 1000);
    expect(await sdk.webhooks.isSignatureValid(EVENT, SECRET, signature)).toBe(true);
  });

  it('paddle({ toleranceSeconds: 300 }) → 300 s old verified, 301 s timestamp_too_old; 0 → misconfigured', () => {
    const provider = paddle({ secret: SECRET, toleranceSeconds: 300 });
    expect(() => verify(signature, EVENT, NOW + 300, provider)).not.toThrow();
    expectWebhookError(() => verify(signature, EVENT, NOW + 301, provider), 'timestamp_too_old');
    expect(expectWebhookError(() => paddle({ secret: SECRET, toleranceSeconds: 0 }), 'misconfigured').message).toContain('toleranceSeconds');
  });

  it('paddle(): secret "" / missing / [] → throws misconfigured naming `secret`', () => {
    for (const options of [{ secret: '' }, {}, { secret: [] }]) {
      expect(expectWebhookError(() => paddle(options as never), 'misconfigured').message).toContain('`secret`');
    }
  });
});

describe('paddle.parse()', () => {
  const provider = paddle({ secret: SECRET });

  it('paddle.parse(): id = event_id, type = event_type', () => {
    const parsed = provider.parse(verify(header(EVENT)));
    expect(parsed).toMatchObject({ id: 'evt_01hkgunittest', type: 'transaction.completed' });
    expect(parsed.payload).toEqual(JSON.parse(EVENT));
    expect(provider.handshake).toBeUndefined();
  });

  it('paddle.parse(): a verified body that is not JSON → invalid_body', () => {
    expectWebhookError(() => provider.parse(verify(header('nope'), 'nope')), 'invalid_body');
  });
});
