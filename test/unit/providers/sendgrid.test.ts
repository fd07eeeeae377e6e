import { Buffer } from 'node:buffer';
import { createECDH, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { EventWebhook } from '@sendgrid/eventwebhook';
import { describe, expect, it } from 'vitest';
import { sendgrid } from '../../../src/providers/sendgrid.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// Oracles: @sendgrid/eventwebhook verifies (EventWebhook.verifySignature after
// convertPublicKeyToECDSA, exactly as SendGrid's docs show). The SDK cannot sign, so the ECDSA
// library it verifies with, starkbank-ecdsa (resolved from the SDK's own install), signs.
interface StarkSignature { toBase64(): string }
interface Stark {
  Ecdsa: { sign(message: string, privateKey: unknown): StarkSignature };
  PrivateKey: { fromPem(pem: string): unknown };
}
const stark = createRequire(createRequire(import.meta.url).resolve('@sendgrid/eventwebhook'))('starkbank-ecdsa') as Stark;
const sdk = new EventWebhook();

/** A fixed P-256 key pair from a fixed scalar, so no test depends on randomness. */
function keyPair(fill: number): { privateKey: KeyObject; publicKey: KeyObject; spkiBase64: string } {
  const ecdh = createECDH('prime256v1');
  const d = Buffer.alloc(32, fill);
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey();
  const jwk = { kty: 'EC', crv: 'P-256', d: d.toString('base64url'), x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') };
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, spkiBase64: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') };
}

const KEY = keyPair(7);
const OTHER = keyPair(9);
const BATCH = JSON.stringify([
  { email: 'zoë@example.com', timestamp: NOW, event: 'delivered', sg_event_id: 'ZGVsaXZlcmVk', sg_message_id: 'm1' },
  { email: 'zoë@example.com', timestamp: NOW, event: 'open', sg_event_id: 'b3Blbg', sg_message_id: 'm1' },
]);

/** What SendGrid puts in X-Twilio-Email-Event-Webhook-Signature, made by starkbank-ecdsa. */
function starkSign(body: string, timestamp: string | number = NOW, key = KEY): string {
  const pem = key.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
  return stark.Ecdsa.sign(`${timestamp}${body}`, stark.PrivateKey.fromPem(pem)).toBase64();
}

/** `timestamp: null` leaves the timestamp header out. */
function headersFor(signature: string | undefined, timestamp: string | null = String(NOW)): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (signature !== undefined) headers['X-Twilio-Email-Event-Webhook-Signature'] = signature;
  if (timestamp !== null) headers['X-Twilio-Email-Event-Webhook-Timestamp'] = timestamp;
  return headers;
}

function verify(signature: string | undefined, body: string | Uint8Array = BATCH, now = NOW, provider = sendgrid({ publicKey: KEY.spkiBase64 }), timestamp: string | null = String(NOW)) {
  return provider.verify({ headers: headersFor(signature, timestamp), body, now });
}

describe('sendgrid.verify(): accepts what starkbank-ecdsa (the SendGrid SDK engine) signs', () => {
  for (const { name, body } of sampleBodies({ event: 'delivered', sg_event_id: 'e1' })) {
    it(`sendgrid.verify(): ${name} → verified, rawBody is the exact bytes`, () => {
      const bytes = Buffer.from(body, 'utf8');
      const verified = verify(starkSign(body), bytes);
      expect(verified.timestamp).toBe(NOW);
      expect(Buffer.compare(Buffer.from(verified.rawBody), bytes)).toBe(0);
    });
  }

  it("sendgrid.verify(): the SDK test suite's published key, timestamp and signature → verified (sendgrid-nodejs eventwebhook.spec.js)", () => {
    const publicKey = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==';
    const signature = 'MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=';
    const body = '{"category":"example_payload","event":"test_event","message_id":"message_id"}';
    expect(verify(signature, body, 1588788367, sendgrid({ publicKey }), '1588788367').timestamp).toBe(1588788367);
  });

  it('sendgrid(): the verification key as PEM, DER bytes, a public KeyObject or the private KeyObject → same verdict', () => {
    const pem = KEY.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const der = KEY.publicKey.export({ type: 'spki', format: 'der' });
    for (const publicKey of [pem, new Uint8Array(der), KEY.publicKey, KEY.privateKey]) {
      expect(() => verify(starkSign(BATCH), BATCH, NOW, sendgrid({ publicKey }))).not.toThrow();
    }
  });
});

describe('sendgrid.sign(): accepted by @sendgrid/eventwebhook verifySignature', () => {
  const provider = sendgrid({ publicKey: KEY.spkiBase64, privateKey: KEY.privateKey });

  for (const { name, body } of sampleBodies({ event: 'processed', sg_event_id: 'e2' })) {
    it(`sendgrid.sign(): ${name} → the SDK verifies it, and so does sendgrid.verify()`, () => {
      const signed = provider.sign({ body, timestamp: NOW });
      const signature = signed.headers['x-twilio-email-event-webhook-signature'] as string;
      expect(signed.headers['x-twilio-email-event-webhook-timestamp']).toBe(String(NOW));
      expect(sdk.verifySignature(sdk.convertPublicKeyToECDSA(KEY.spkiBase64), body, signature, String(NOW))).toBe(true);
      expect(sdk.verifySignature(sdk.convertPublicKeyToECDSA(KEY.spkiBase64), tamper(body).toString('utf8'), signature, String(NOW))).toBe(false);
      expect(() => provider.verify({ headers: signed.headers, body, now: NOW })).not.toThrow();
    });
  }

  it('sendgrid.sign(): base64 DER signature + content-type application/json', () => {
    const signed = provider.sign({ body: BATCH, timestamp: NOW });
    const der = Buffer.from(signed.headers['x-twilio-email-event-webhook-signature'] as string, 'base64');
    expect(der[0]).toBe(0x30); // an ASN.1 SEQUENCE
    expect(signed.headers['content-type']).toBe('application/json');
  });

  it('sendgrid.sign() without privateKey → throws misconfigured naming `privateKey`', () => {
    const error = expectWebhookError(() => sendgrid({ publicKey: KEY.spkiBase64 }).sign({ body: BATCH }), 'misconfigured');
    expect(error.message).toContain('privateKey');
  });

  it('sendgrid(): privateKey as SEC1 PEM, PKCS#8 PEM or base64 PKCS#8 DER → signs the same way', () => {
    for (const privateKey of [
      KEY.privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
      KEY.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      KEY.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
    ]) {
      const signed = sendgrid({ publicKey: KEY.spkiBase64, privateKey }).sign({ body: BATCH, timestamp: NOW });
      expect(() => verify(signed.headers['x-twilio-email-event-webhook-signature'])).not.toThrow();
    }
  });
});

describe('sendgrid.verify(): rejections', () => {
  it('sendgrid.verify(): one byte of the body changed → signature_mismatch', () => {
    for (const { body } of sampleBodies({ event: 'open' })) {
      expectWebhookError(() => verify(starkSign(body), tamper(body)), 'signature_mismatch');
    }
  });

  it('sendgrid.verify(): the timestamp header moved by 1 s (it is signed) → signature_mismatch', () => {
    expectWebhookError(() => verify(starkSign(BATCH), BATCH, NOW, undefined, String(NOW + 1)), 'signature_mismatch');
  });

  it('sendgrid.verify(): signed by another key → signature_mismatch', () => {
    expectWebhookError(() => verify(starkSign(BATCH, NOW, OTHER)), 'signature_mismatch');
  });

  it('sendgrid.verify(): a signature that is not base64 DER ("!!", 64 raw bytes, a truncated DER) → signature_mismatch', () => {
    const der = Buffer.from(starkSign(BATCH), 'base64');
    for (const signature of ['!!', Buffer.alloc(64, 1).toString('base64'), der.subarray(0, der.length - 1).toString('base64'), Buffer.alloc(200, 0x30).toString('base64')]) {
      expectWebhookError(() => verify(signature), 'signature_mismatch');
    }
  });

  it('sendgrid.verify(): no signature header → missing_header', () => {
    expectWebhookError(() => verify(undefined), 'missing_header');
  });

  it('sendgrid.verify(): no timestamp header → missing_header', () => {
    expectWebhookError(() => verify(starkSign(BATCH), BATCH, NOW, undefined, null), 'missing_header');
  });

  it('sendgrid.verify(): timestamp "timestamp" (not digits) → malformed_header', () => {
    expectWebhookError(() => verify(starkSign(BATCH, 'timestamp'), BATCH, NOW, undefined, 'timestamp'), 'malformed_header');
  });
});

describe('sendgrid(): rotation and options', () => {
  it('sendgrid.verify(): publicKey: [other, signing] (rotation) → either key verifies', () => {
    const provider = sendgrid({ publicKey: [OTHER.spkiBase64, KEY.spkiBase64] });
    expect(() => verify(starkSign(BATCH), BATCH, NOW, provider)).not.toThrow();
    expect(() => verify(starkSign(BATCH, NOW, OTHER), BATCH, NOW, provider)).not.toThrow();
  });

  it('sendgrid(): publicKey "" / missing / [] / junk / an RSA key / a secp256k1 key → throws misconfigured naming `publicKey`', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    for (const options of [{ publicKey: '' }, {}, { publicKey: [] }, { publicKey: 'not a key!' }, { publicKey: 'QUJD' }, { publicKey: rsa }, { publicKey: k1 }]) {
      const error = expectWebhookError(() => sendgrid(options as never), 'misconfigured');
      expect(error.message).toContain('`publicKey`');
    }
  });

  it('sendgrid(): privateKey that is not a P-256 private key → throws misconfigured naming `privateKey`', () => {
    for (const privateKey of ['junk', KEY.spkiBase64, KEY.publicKey]) {
      const error = expectWebhookError(() => sendgrid({ publicKey: KEY.spkiBase64, privateKey }), 'misconfigured');
      expect(error.message).toContain('`privateKey`');
    }
  });
});

describe('sendgrid.verify(): replay window', () => {
  const signature = starkSign(BATCH);

  it('sendgrid.verify(): timestamp exactly 300 s old (default) → verified; 301 s → timestamp_too_old', () => {
    expect(verify(signature, BATCH, NOW + 300).timestamp).toBe(NOW);
    expectWebhookError(() => verify(signature, BATCH, NOW + 301), 'timestamp_too_old');
  });

  it('sendgrid.verify(): timestamp 301 s in the future → timestamp_in_future (the SendGrid SDK checks no window)', () => {
    expectWebhookError(() => verify(signature, BATCH, NOW - 301), 'timestamp_in_future');
  });

  it('sendgrid({ toleranceSeconds: 60 }) → 60 s verified, 61 s timestamp_too_old; 0 → misconfigured', () => {
    const provider = sendgrid({ publicKey: KEY.spkiBase64, toleranceSeconds: 60 });
    expect(() => verify(signature, BATCH, NOW + 60, provider)).not.toThrow();
    expectWebhookError(() => verify(signature, BATCH, NOW + 61, provider), 'timestamp_too_old');
    expectWebhookError(() => sendgrid({ publicKey: KEY.spkiBase64, toleranceSeconds: 0 }), 'misconfigured');
  });
});

describe('sendgrid.parse()', () => {
  const provider = sendgrid({ publicKey: KEY.spkiBase64 });
  const parse = (body: string) => provider.parse(verify(starkSign(body), body));

  it('sendgrid.parse(): a batch of several events → type "events", no id (dedupe per sg_event_id in the handler)', () => {
    const parsed = parse(BATCH);
    expect(parsed.type).toBe('events');
    expect(parsed.id).toBeUndefined();
    expect(parsed.payload).toEqual(JSON.parse(BATCH));
  });

  it('sendgrid.parse(): a batch of one event → type "events", id = its sg_event_id', () => {
    expect(parse(JSON.stringify([{ event: 'bounce', sg_event_id: 'Ym91bmNl' }]))).toMatchObject({ type: 'events', id: 'Ym91bmNl' });
  });

  it('sendgrid.parse(): a single event object (test tools) → type = its event', () => {
    expect(parse('{"category":"example_payload","event":"test_event","message_id":"message_id"}').type).toBe('test_event');
  });

  it('sendgrid.parse(): a verified body that is not JSON → invalid_body', () => {
    expectWebhookError(() => parse('payload'), 'invalid_body');
  });
});
