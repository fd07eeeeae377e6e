import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import Mux from '@mux/mux-node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mux } from '../../../src/providers/mux.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// The oracle: @mux/mux-node's webhooks.verifySignature()/unwrap() (it has no signer, so the
// Mux-side header is node:crypto as https://www.mux.com/docs/core/verify-webhook-signatures says:
// hex HMAC-SHA256 over `${t}.${body}`, sent as `t=…,v1=…`).
const SECRET = 'mux_whsec_hookguard_test_7d1e';
const OTHER = 'mux_whsec_other_endpoint';
const BODY = JSON.stringify({ type: 'video.asset.ready', id: '3f1b1b2e-0a4c-4b7e-9c1d-7e2f0a1b2c3d', object: { type: 'asset', id: 'asset_1' }, data: { title: 'Zoë 🎬' } });
const sdk = new Mux({ tokenId: 'unused', tokenSecret: 'unused', webhookSecret: SECRET });

function v1(body: string | Uint8Array, secret = SECRET, timestamp: number | string = NOW): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

function muxHeader(body: string | Uint8Array, secret = SECRET, timestamp: number | string = NOW): string {
  return `t=${timestamp},v1=${v1(body, secret, timestamp)}`;
}

function verify(signature: string | undefined, body: string | Uint8Array = BODY, now = NOW, provider = mux({ secret: SECRET })) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['Mux-Signature'] = signature;
  return provider.verify({ headers, body, now });
}

describe('mux.verify(): accepts what Mux signs', () => {
  for (const { name, body } of sampleBodies({ type: 'video.asset.ready', id: 'evt_1' })) {
    it(`mux.verify(): ${name} → verified, rawBody is the exact bytes`, () => {
      const bytes = Buffer.from(body, 'utf8');
      const verified = verify(muxHeader(body), bytes);
      expect(verified.timestamp).toBe(NOW);
      expect(Buffer.compare(Buffer.from(verified.rawBody), bytes)).toBe(0);
    });
  }

  it('mux.verify(): the example header printed in the Mux docs parses (not malformed_header); with no published secret or body it can only be signature_mismatch', () => {
    // https://www.mux.com/docs/core/verify-webhook-signatures: "Mux-Signature: t=1565220904,v1=20c75c…d3d2"
    const example = 't=1565220904,v1=20c75c1180c701ee8a796e81507cfd5c932fc17cf63a4a55566fd38da3a2d3d2';
    expectWebhookError(() => verify(example, BODY, 1565220904), 'signature_mismatch');
  });

  it('mux.verify(): several v1 entries → passes when any one matches', () => {
    expect(() => verify(`t=${NOW},v1=${v1(BODY, OTHER)},v1=${v1(BODY)}`)).not.toThrow();
  });
});

describe('mux.verify(): rejections', () => {
  it('mux.verify(): one byte of the body changed → signature_mismatch', () => {
    for (const { body } of sampleBodies({ type: 'video.asset.ready' })) {
      expectWebhookError(() => verify(muxHeader(body), tamper(body)), 'signature_mismatch');
    }
  });

  it('mux.verify(): signed with another secret → signature_mismatch', () => {
    expectWebhookError(() => verify(muxHeader(BODY, OTHER)), 'signature_mismatch');
  });

  it('mux.verify(): t= changed by 1 s (it is signed) → signature_mismatch', () => {
    expectWebhookError(() => verify(`t=${NOW + 1},v1=${v1(BODY)}`), 'signature_mismatch');
  });

  it('mux.verify(): only a v0 entry → signature_mismatch', () => {
    expectWebhookError(() => verify(`t=${NOW},v0=${v1(BODY)}`), 'signature_mismatch');
  });

  it('mux.verify(): no Mux-Signature → missing_header; no t= → malformed_header; t=soon → malformed_header', () => {
    expectWebhookError(() => verify(undefined), 'missing_header');
    expectWebhookError(() => verify(`v1=${v1(BODY)}`), 'malformed_header');
    expectWebhookError(() => verify(`t=soon,v1=${v1(BODY, SECRET, 'soon')}`), 'malformed_header');
  });
});

describe('mux.verify(): replay window and rotation', () => {
  const signature = muxHeader(BODY);

  it('mux.verify(): exactly 300 s old → verified; 301 s old → timestamp_too_old; 301 s ahead → timestamp_in_future', () => {
    expect(verify(signature, BODY, NOW + 300).timestamp).toBe(NOW);
    expectWebhookError(() => verify(signature, BODY, NOW + 301), 'timestamp_too_old');
    expectWebhookError(() => verify(signature, BODY, NOW - 301), 'timestamp_in_future');
  });

  it('mux({ toleranceSeconds: 60 }) → 61 s old is timestamp_too_old', () => {
    expectWebhookError(() => verify(signature, BODY, NOW + 61, mux({ secret: SECRET, toleranceSeconds: 60 })), 'timestamp_too_old');
  });

  it('mux.verify(): secret: [old, new] (rotation) → either verifies', () => {
    const provider = mux({ secret: [OTHER, SECRET] });
    expect(() => verify(muxHeader(BODY), BODY, NOW, provider)).not.toThrow();
    expect(() => verify(muxHeader(BODY, OTHER), BODY, NOW, provider)).not.toThrow();
  });

  it('mux(): secret "" / missing → throws misconfigured naming `secret`', () => {
    for (const options of [{ secret: '' }, {}]) {
      expect(expectWebhookError(() => mux(options as never), 'misconfigured').message).toContain('`secret`');
    }
  });
});

describe('mux.parse()', () => {
  it('mux.parse(): id = payload.id, type = payload.type', () => {
    const provider = mux({ secret: SECRET });
    expect(provider.parse(verify(muxHeader(BODY), BODY, NOW, provider))).toMatchObject({ id: '3f1b1b2e-0a4c-4b7e-9c1d-7e2f0a1b2c3d', type: 'video.asset.ready' });
  });
});

describe('mux against @mux/mux-node webhooks.verifySignature()/unwrap()', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW * 1000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('mux.sign() → the SDK verifies every sample body (unicode, CRLF, 1 MiB) and unwraps it', async () => {
    const provider = mux({ secret: SECRET });
    for (const { body } of sampleBodies({ type: 'video.asset.ready', id: 'evt_2' })) {
      const signed = provider.sign({ body, timestamp: NOW });
      expect(signed.headers['mux-signature']).toBe(muxHeader(body));
      await expect(sdk.webhooks.verifySignature(body, signed.headers)).resolves.toBeUndefined();
      await expect(sdk.webhooks.unwrap(body, signed.headers)).resolves.toEqual(JSON.parse(body));
    }
  });

  it('the SDK and mux.verify() agree: tampered body and wrong secret refused by both', async () => {
    const provider = mux({ secret: SECRET });
    for (const { body } of sampleBodies({ type: 'video.asset.ready' })) {
      const headers = { 'mux-signature': muxHeader(body) };
      await expect(sdk.webhooks.verifySignature(tamper(body).toString('utf8'), headers)).rejects.toThrow();
      expectWebhookError(() => verify(headers['mux-signature'], tamper(body), NOW, provider), 'signature_mismatch');
    }
    await expect(sdk.webhooks.verifySignature(BODY, { 'mux-signature': muxHeader(BODY, OTHER) })).rejects.toThrow();
  });

  it('stricter than the SDK: a timestamp 10 min in the future passes the SDK but is timestamp_in_future here', async () => {
    const ahead = muxHeader(BODY, SECRET, NOW + 600);
    await expect(sdk.webhooks.verifySignature(BODY, { 'mux-signature': ahead })).resolves.toBeUndefined();
    expectWebhookError(() => verify(ahead), 'timestamp_in_future');
  });
});
