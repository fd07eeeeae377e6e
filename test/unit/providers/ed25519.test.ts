import { Buffer } from 'node:buffer';
import nacl from 'tweetnacl';
import { afterEach, describe, expect, it } from 'vitest';
import { setEd25519Backend, type Ed25519Backend } from '../../../src/crypto/ed25519.js';
import { useTweetnacl } from '../../../src/crypto/tweetnacl.js';
import { ed25519 } from '../../../src/providers/ed25519.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// The oracle: tweetnacl signs and verifies; the provider runs on both of its backends.
const PAIR = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(3));
const OTHER = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(4));
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const BODY = JSON.stringify({ kind: 'ping', id: 'e1' });

const naclSign = (message: string | Uint8Array, secretKey = PAIR.secretKey) => nacl.sign.detached(Buffer.from(message), secretKey);

const acme = (extra: Partial<Parameters<typeof ed25519>[0]> = {}) =>
  ed25519({ publicKey: hex(PAIR.publicKey), signatureHeader: 'x-acme-signature', ...extra });

useTweetnacl();

afterEach(() => {
  setEd25519Backend('auto');
});

describe.each(['node', 'tweetnacl'] satisfies Ed25519Backend[])('ed25519() on the %s backend', (backend) => {
  const use = () => setEd25519Backend(backend);

  for (const { name, body } of sampleBodies({ kind: 'ping' })) {
    it(`ed25519.verify(): ${name} signed by tweetnacl → verified; one byte changed → signature_mismatch`, () => {
      use();
      const provider = acme();
      const headers = { 'X-Acme-Signature': hex(naclSign(body)) };
      expect(() => provider.verify({ headers, body: Buffer.from(body) })).not.toThrow();
      expectWebhookError(() => provider.verify({ headers, body: tamper(body) }), 'signature_mismatch');
    });
  }

  it('ed25519.verify(): signed by another key → signature_mismatch; publicKey: [other, signing] → verified', () => {
    use();
    const headers = { 'x-acme-signature': hex(naclSign(BODY, OTHER.secretKey)) };
    expectWebhookError(() => acme().verify({ headers, body: BODY }), 'signature_mismatch');
    expect(() => acme({ publicKey: [hex(PAIR.publicKey), hex(OTHER.publicKey)] }).verify({ headers, body: BODY })).not.toThrow();
  });

  it('ed25519.sign() with privateKey → the RFC 8032 signature tweetnacl makes, accepted by verify()', () => {
    use();
    const provider = acme({ privateKey: hex(PAIR.secretKey.subarray(0, 32)) });
    const signed = provider.sign({ body: BODY });
    expect(signed.headers['x-acme-signature']).toBe(hex(naclSign(BODY)));
    expect(() => provider.verify({ headers: signed.headers, body: BODY })).not.toThrow();
  });
});

describe('ed25519(): knobs', () => {
  it("ed25519({ encoding: 'base64', signaturePrefix: 'ed25519=' }): base64 after the prefix → verified; no prefix → malformed_header", () => {
    const provider = acme({ encoding: 'base64', signaturePrefix: 'ed25519=' });
    const value = Buffer.from(naclSign(BODY)).toString('base64');
    expect(() => provider.verify({ headers: { 'x-acme-signature': `ed25519=${value}` }, body: BODY })).not.toThrow();
    expectWebhookError(() => provider.verify({ headers: { 'x-acme-signature': value }, body: BODY }), 'malformed_header');
  });

  it('ed25519({ timestampHeader, signedContent }): timestamp + body signed; window enforced', () => {
    const provider = acme({ timestampHeader: 'x-acme-timestamp', signedContent: ({ timestamp, body }) => [timestamp as string, body], toleranceSeconds: 60 });
    const headers = { 'x-acme-signature': hex(naclSign(`${NOW}${BODY}`)), 'x-acme-timestamp': String(NOW) };
    expect(provider.verify({ headers, body: BODY, now: NOW + 60 }).timestamp).toBe(NOW);
    expectWebhookError(() => provider.verify({ headers, body: BODY, now: NOW + 61 }), 'timestamp_too_old');
    expectWebhookError(() => provider.verify({ headers, body: BODY, now: NOW - 61 }), 'timestamp_in_future');
  });

  it('ed25519.verify(): a signature of the wrong length or not hex → signature_mismatch; no header → missing_header', () => {
    const provider = acme();
    for (const value of ['deadbeef', 'zz'.repeat(64), hex(naclSign(BODY)).slice(0, 126)]) {
      expectWebhookError(() => provider.verify({ headers: { 'x-acme-signature': value }, body: BODY }), 'signature_mismatch');
    }
    expectWebhookError(() => provider.verify({ headers: {}, body: BODY }), 'missing_header');
  });

  it('ed25519.sign() without privateKey → throws misconfigured', () => {
    expectWebhookError(() => acme().sign({ body: BODY }), 'misconfigured');
  });

  it('ed25519(): publicKey "" / missing / 16 bytes, privateKey of 10 bytes → throws misconfigured naming the option', () => {
    for (const [options, option] of [
      [{ publicKey: '' }, 'publicKey'],
      [{ publicKey: undefined }, 'publicKey'],
      [{ publicKey: 'ab'.repeat(16) }, 'publicKey'],
      [{ privateKey: 'ab'.repeat(10) }, 'privateKey'],
    ] as const) {
      expect(expectWebhookError(() => acme(options as never), 'misconfigured').message).toContain(`\`${option}\``);
    }
  });
});
