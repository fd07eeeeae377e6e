import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Encoding } from '../../../src/core/encoding.js';
import type { HmacAlgorithm } from '../../../src/crypto/hmac.js';
import { hmac } from '../../../src/providers/hmac.js';
import { keyValueSignatureList } from '../../../src/providers/signature-header.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// The oracle: node:crypto createHmac, fed the documented signed content by hand.
const SECRET = 'acme-webhook-secret';
const OTHER = 'acme-previous-secret';
const BODY = JSON.stringify({ event: 'order.paid', uid: 'ord_1', amount: 12.5 });

const mac = (content: string | Uint8Array, { secret = SECRET as string | Buffer, algorithm = 'sha256' as HmacAlgorithm, encoding = 'hex' as Encoding } = {}) =>
  createHmac(algorithm, secret).update(content).digest(encoding);

const acme = (extra: Partial<Parameters<typeof hmac>[0]> = {}) =>
  hmac({ secret: SECRET, signatureHeader: 'x-acme-signature', ...extra });

describe('hmac(): defaults (body only, sha256, hex, no prefix)', () => {
  const provider = acme();

  for (const { name, body } of sampleBodies({ event: 'order.paid' })) {
    it(`hmac.verify(): ${name} → verified; one byte changed → signature_mismatch`, () => {
      const verified = provider.verify({ headers: { 'X-Acme-Signature': mac(body) }, body: Buffer.from(body) });
      expect(Buffer.from(verified.rawBody).toString()).toBe(body);
      expectWebhookError(() => provider.verify({ headers: { 'X-Acme-Signature': mac(body) }, body: tamper(body) }), 'signature_mismatch');
    });
  }

  it('hmac.verify(): no signature header → missing_header; an empty one → missing_header', () => {
    expectWebhookError(() => provider.verify({ headers: {}, body: BODY }), 'missing_header');
    expectWebhookError(() => provider.verify({ headers: { 'x-acme-signature': '' }, body: BODY }), 'missing_header');
  });

  it('hmac(): no timestamp configured → provider.toleranceSeconds undefined, verified whatever `now` is', () => {
    expect(provider.toleranceSeconds).toBeUndefined();
    expect(() => provider.verify({ headers: { 'x-acme-signature': mac(BODY) }, body: BODY, now: 0 })).not.toThrow();
  });

  it('hmac(): name defaults to "hmac"', () => {
    expect(provider.name).toBe('hmac');
    expect(acme({ name: 'acme' }).name).toBe('acme');
  });
});

describe('hmac(): algorithm × encoding', () => {
  const cases: [HmacAlgorithm, Encoding][] = [];
  for (const algorithm of ['sha1', 'sha256', 'sha512'] as const) for (const encoding of ['hex', 'base64', 'base64url'] as const) cases.push([algorithm, encoding]);

  it.each(cases)('hmac({ algorithm: %s, encoding: %s }): sign() equals node:crypto and verify() accepts it', (algorithm, encoding) => {
    const provider = acme({ algorithm, encoding });
    const signed = provider.sign({ body: BODY });
    expect(signed.headers['x-acme-signature']).toBe(mac(BODY, { algorithm, encoding }));
    expect(() => provider.verify({ headers: signed.headers, body: BODY })).not.toThrow();
  });

  it('hmac.verify(): a sha1 digest sent to a sha256 verifier → signature_mismatch (lengths differ)', () => {
    expectWebhookError(() => acme().verify({ headers: { 'x-acme-signature': mac(BODY, { algorithm: 'sha1' }) }, body: BODY }), 'signature_mismatch');
  });

  it("hmac(): algorithm 'md5' → throws misconfigured naming `algorithm`", () => {
    expect(expectWebhookError(() => acme({ algorithm: 'md5' as never }), 'misconfigured').message).toContain('algorithm');
  });
});

describe('hmac(): signaturePrefix, signatureFormat and signatureVersion', () => {
  it("hmac({ signaturePrefix: 'sha256=' }): prefixed → verified; without the prefix → malformed_header", () => {
    const provider = acme({ signaturePrefix: 'sha256=' });
    expect(() => provider.verify({ headers: { 'x-acme-signature': `sha256=${mac(BODY)}` }, body: BODY })).not.toThrow();
    expectWebhookError(() => provider.verify({ headers: { 'x-acme-signature': mac(BODY) }, body: BODY }), 'malformed_header');
    expect(provider.sign({ body: BODY }).headers['x-acme-signature']).toBe(`sha256=${mac(BODY)}`);
  });

  it("hmac({ signatureFormat: keyValueSignatureList('ts', ';'), signatureVersion: 'h1' }): Paddle-style ts=…;h1=…;h1=… → verified", () => {
    const provider = acme({
      signatureFormat: keyValueSignatureList('ts', ';'),
      signatureVersion: 'h1',
      signedContent: ({ timestamp, body }) => [`${timestamp}:`, body],
      toleranceSeconds: 5,
    });
    const good = mac(`${NOW}:${BODY}`);
    const bad = mac(`${NOW}:${BODY}`, { secret: OTHER });
    expect(provider.verify({ headers: { 'x-acme-signature': `ts=${NOW};h1=${bad};h1=${good}` }, body: BODY, now: NOW + 5 }).timestamp).toBe(NOW);
    expectWebhookError(() => provider.verify({ headers: { 'x-acme-signature': `ts=${NOW};h1=${good}` }, body: BODY, now: NOW + 6 }), 'timestamp_too_old');
    expectWebhookError(() => provider.verify({ headers: { 'x-acme-signature': `h1=${good}` }, body: BODY, now: NOW }), 'malformed_header');
    expect(provider.sign({ body: BODY, timestamp: NOW }).headers['x-acme-signature']).toBe(`ts=${NOW};h1=${good}`);
  });
});

describe('hmac(): timestamp header and signed content', () => {
  const provider = acme({ timestampHeader: 'x-acme-timestamp', signedContent: ({ timestamp, body }) => [`${timestamp}.`, body] });
  const headers = (timestamp: string) => ({ 'x-acme-signature': mac(`${timestamp}.${BODY}`), 'x-acme-timestamp': timestamp });

  it('hmac.verify(): exactly 300 s old → verified; 301 s old → timestamp_too_old; 301 s ahead → timestamp_in_future', () => {
    expect(provider.toleranceSeconds).toBe(300);
    expect(provider.verify({ headers: headers(String(NOW)), body: BODY, now: NOW + 300 }).timestamp).toBe(NOW);
    expectWebhookError(() => provider.verify({ headers: headers(String(NOW)), body: BODY, now: NOW + 301 }), 'timestamp_too_old');
    expectWebhookError(() => provider.verify({ headers: headers(String(NOW)), body: BODY, now: NOW - 301 }), 'timestamp_in_future');
  });

  it('hmac.verify(): a timestamp that is not digits → malformed_header; absent → missing_header', () => {
    expectWebhookError(() => provider.verify({ headers: headers('1e9'), body: BODY, now: NOW }), 'malformed_header');
    expectWebhookError(() => provider.verify({ headers: { 'x-acme-signature': mac(BODY) }, body: BODY, now: NOW }), 'missing_header');
  });

  it('hmac(): toleranceSeconds: Infinity turns the window off explicitly; 0 / negative / NaN → misconfigured', () => {
    const open = acme({ timestampHeader: 'x-acme-timestamp', signedContent: ({ timestamp, body }) => [`${timestamp}.`, body], toleranceSeconds: Infinity });
    expect(() => open.verify({ headers: headers('1'), body: BODY, now: NOW })).not.toThrow();
    for (const toleranceSeconds of [0, -1, Number.NaN]) {
      expectWebhookError(() => acme({ timestampHeader: 'x-acme-timestamp', toleranceSeconds }), 'misconfigured');
    }
  });

  it('hmac(): signedContent sees the method and url (Twilio-style schemes sign the URL)', () => {
    const byUrl = acme({ signedContent: ({ url, body }) => [url ?? '', body] });
    const url = 'https://example.com/hooks?x=1';
    expect(() => byUrl.verify({ headers: { 'x-acme-signature': mac(`${url}${BODY}`) }, body: BODY, url })).not.toThrow();
    expectWebhookError(() => byUrl.verify({ headers: { 'x-acme-signature': mac(`${url}${BODY}`) }, body: BODY, url: `${url}2` }), 'signature_mismatch');
  });
});

describe('hmac(): secrets', () => {
  it('hmac.verify(): secret: [old, signing] (rotation) → verified; sign() uses the first', () => {
    const provider = acme({ secret: [OTHER, SECRET] });
    expect(() => provider.verify({ headers: { 'x-acme-signature': mac(BODY) }, body: BODY })).not.toThrow();
    expect(provider.sign({ body: BODY }).headers['x-acme-signature']).toBe(mac(BODY, { secret: OTHER }));
  });

  it("hmac({ secretFormat: 'hex' | 'base64' }): the decoded bytes are the key; bytes may be passed directly", () => {
    const key = Buffer.from('00ff10ab7f', 'hex');
    for (const [secret, secretFormat] of [[key.toString('hex'), 'hex'], [key.toString('base64'), 'base64']] as const) {
      expect(acme({ secret, secretFormat }).sign({ body: BODY }).headers['x-acme-signature']).toBe(mac(BODY, { secret: key }));
    }
    expect(acme({ secret: new Uint8Array(key) }).sign({ body: BODY }).headers['x-acme-signature']).toBe(mac(BODY, { secret: key }));
  });

  it('hmac(): secret "" / missing / [] / not hex with secretFormat hex → throws misconfigured naming `secret`', () => {
    for (const options of [{ secret: '' }, { secret: undefined }, { secret: [] }, { secret: 'xyz', secretFormat: 'hex' as const }]) {
      expect(expectWebhookError(() => acme(options as never), 'misconfigured').message).toContain('`secret`');
    }
  });

  it("hmac({ secretOption: 'apiKey' }): errors name the preset's own option", () => {
    expect(expectWebhookError(() => acme({ secret: '', secretOption: 'apiKey' }), 'misconfigured').message).toContain('`apiKey`');
  });
});

describe('hmac(): id, type and body format', () => {
  it('hmac.parse(): id and type from headers (idHeader, typeHeader), parentTypes from the knob', () => {
    const provider = acme({ idHeader: 'x-acme-id', typeHeader: 'x-acme-event', parentTypes: (type) => [type.split('.')[0] as string] });
    const parsed = provider.parse({ rawBody: Buffer.from(BODY), headers: { 'X-Acme-Id': 'd1', 'X-Acme-Event': 'order.paid' } });
    expect(parsed).toMatchObject({ id: 'd1', type: 'order.paid', parentTypes: ['order'] });
  });

  it('hmac.parse(): id and type located in the payload (locateId, locateType)', () => {
    const provider = acme({ locateId: (p) => (p as { uid: string }).uid, locateType: (p) => (p as { event: string }).event });
    expect(provider.parse({ rawBody: Buffer.from(BODY), headers: {} })).toMatchObject({ id: 'ord_1', type: 'order.paid' });
  });

  it("hmac({ bodyFormat: 'form' }).parse(): form fields as the payload", () => {
    const parsed = acme({ bodyFormat: 'form' }).parse({ rawBody: Buffer.from('a=1&b=two+words'), headers: {} });
    expect(parsed.payload).toEqual({ a: '1', b: 'two words' });
  });

  it('hmac({ idHeader, idSigned: true }): the id is signed, so its absence → missing_header', () => {
    const provider = acme({ idHeader: 'x-acme-id', idSigned: true, signedContent: ({ id, body }) => [`${id}.`, body] });
    expect(() => provider.verify({ headers: { 'x-acme-signature': mac(`d1.${BODY}`), 'x-acme-id': 'd1' }, body: BODY })).not.toThrow();
    expectWebhookError(() => provider.verify({ headers: { 'x-acme-signature': mac(`d1.${BODY}`) }, body: BODY }), 'missing_header');
  });

  // The default content (the body alone) takes a path of its own in verify, without a context:
  // a signed id header must still be required there, and alternative contents still tried.
  it('hmac({ idHeader, idSigned: true }) with the default body-only content: the id header is still required', () => {
    const provider = acme({ idHeader: 'x-acme-id', idSigned: true });
    expect(() => provider.verify({ headers: { 'x-acme-signature': mac(BODY), 'x-acme-id': 'd1' }, body: BODY })).not.toThrow();
    expectWebhookError(() => provider.verify({ headers: { 'x-acme-signature': mac(BODY) }, body: BODY }), 'missing_header');
    expectWebhookError(() => provider.verify({ headers: { 'x-acme-signature': mac(BODY), 'x-acme-id': '' }, body: BODY }), 'missing_header');
  });

  it('hmac({ alternativeContents }) with the default body-only content: an alternative that matches verifies', () => {
    const provider = acme({ idHeader: 'x-acme-id', alternativeContents: (parts, { id }) => [[`${id}.`, ...parts]] });
    const headers = { 'x-acme-signature': mac(`d1.${BODY}`), 'x-acme-id': 'd1' };
    expect(Buffer.from(provider.verify({ headers, body: BODY }).rawBody).toString()).toBe(BODY);
    expectWebhookError(() => provider.verify({ headers: { ...headers, 'x-acme-id': 'd2' }, body: BODY }), 'signature_mismatch');
  });

  it('hmac.sign(): writes idHeader (newId when no id is given) and typeHeader; maxBodyBytes passes through', () => {
    const provider = acme({ idHeader: 'x-acme-id', typeHeader: 'x-acme-event', newId: () => 'fixed-id', maxBodyBytes: 5 });
    expect(provider.sign({ body: BODY, type: 'order.paid' }).headers).toMatchObject({ 'x-acme-id': 'fixed-id', 'x-acme-event': 'order.paid' });
    expect(provider.sign({ body: BODY, id: 'given' }).headers['x-acme-id']).toBe('given');
    expect(acme({ idHeader: 'x-acme-id' }).sign({ body: BODY }).headers['x-acme-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(provider.maxBodyBytes).toBe(5);
  });
});
