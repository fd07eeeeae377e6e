import { Buffer } from 'node:buffer';
import { createPublicKey, generateKeyPairSync, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ecdsa } from '../../../src/providers/ecdsa.js';
import { expectWebhookError, sampleBodies, tamper } from './support.js';

// The oracle for IEEE-P1363: WebCrypto (crypto.subtle), whose ECDSA signatures are the 64-byte r‖s.
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const BODY = JSON.stringify({ kind: 'ping', note: 'Zoë 🎉' });

async function webCryptoSign(message: string): Promise<Buffer> {
  const key = await webcrypto.subtle.importKey('pkcs8', privateKey.export({ type: 'pkcs8', format: 'der' }), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  return Buffer.from(await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, Buffer.from(message)));
}

async function webCryptoVerify(message: string | Uint8Array, signature: Buffer): Promise<boolean> {
  const key = await webcrypto.subtle.importKey('spki', publicKey.export({ type: 'spki', format: 'der' }), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  return webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, Buffer.from(message));
}

const acme = (extra: Partial<Parameters<typeof ecdsa>[0]> = {}) =>
  ecdsa({ publicKey: PEM, signatureHeader: 'x-acme-signature', timestampHeader: 'x-acme-timestamp', signedContent: ({ timestamp, body }) => [`${timestamp}.`, body], ...extra });

describe("ecdsa({ dsaEncoding: 'ieee-p1363' }): WebCrypto signatures", () => {
  for (const { name, body } of sampleBodies({ kind: 'ping' })) {
    it(`ecdsa.verify(): ${name} signed by crypto.subtle → verified; one byte changed → signature_mismatch`, async () => {
      const provider = acme({ dsaEncoding: 'ieee-p1363', encoding: 'base64url' });
      const headers = { 'x-acme-signature': (await webCryptoSign(`1700000000.${body}`)).toString('base64url'), 'x-acme-timestamp': '1700000000' };
      expect(() => provider.verify({ headers, body, now: 1700000000 })).not.toThrow();
      expectWebhookError(() => provider.verify({ headers, body: tamper(body), now: 1700000000 }), 'signature_mismatch');
    });
  }

  it('ecdsa.sign() with p1363 → 64 bytes that crypto.subtle verifies', async () => {
    const provider = acme({ dsaEncoding: 'ieee-p1363', privateKey });
    const signed = provider.sign({ body: BODY, timestamp: 1700000000 });
    const signature = Buffer.from(signed.headers['x-acme-signature'] as string, 'base64');
    expect(signature).toHaveLength(64);
    expect(await webCryptoVerify(`1700000000.${BODY}`, signature)).toBe(true);
  });

  it('ecdsa.verify(): a DER signature presented to a p1363 provider, and the reverse → signature_mismatch', async () => {
    const der = acme({ privateKey }).sign({ body: BODY, timestamp: 1 }).headers;
    const p1363 = acme({ dsaEncoding: 'ieee-p1363', privateKey }).sign({ body: BODY, timestamp: 1 }).headers;
    expectWebhookError(() => acme({ dsaEncoding: 'ieee-p1363' }).verify({ headers: der, body: BODY, now: 1 }), 'signature_mismatch');
    expectWebhookError(() => acme().verify({ headers: p1363, body: BODY, now: 1 }), 'signature_mismatch');
  });
});

describe('ecdsa(): options', () => {
  it("ecdsa(): dsaEncoding 'raw' → throws misconfigured naming `dsaEncoding`", () => {
    const error = expectWebhookError(() => acme({ dsaEncoding: 'raw' as never }), 'misconfigured');
    expect(error.message).toContain('`dsaEncoding`');
  });

  it('ecdsa(): the key is imported once at construction (a KeyObject is used as given)', () => {
    const keyObject = createPublicKey(PEM);
    const provider = acme({ publicKey: keyObject, privateKey });
    const signed = provider.sign({ body: BODY, timestamp: 5 });
    expect(() => provider.verify({ headers: signed.headers, body: BODY, now: 5 })).not.toThrow();
  });

  it('ecdsa.sign() without privateKey → misconfigured', () => {
    expectWebhookError(() => acme().sign({ body: BODY }), 'misconfigured');
  });
});
