import { Buffer } from 'node:buffer';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import nacl from 'tweetnacl';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_SIGNATURES } from '../../../src/providers/signature-header.js';
import { standardWebhooks } from '../../../src/providers/standard-webhooks.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// Oracles: the standardwebhooks and svix@1 libraries sign and verify v1; tweetnacl signs and
// verifies v1a (no published library signs v1a yet).
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER = 'whsec_6Wq3nR0aX5oGqfC0tG8yFh0b2LpMx1Dv';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const BODY = JSON.stringify({ type: 'invoice.paid', data: { id: 'in_1', amount: 500 } });
const PAIR = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(1));
const OTHER_PAIR = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(2));
const PUBLIC_KEY = `whpk_${Buffer.from(PAIR.publicKey).toString('base64')}`;
const OTHER_PUBLIC_KEY = `whpk_${Buffer.from(OTHER_PAIR.publicKey).toString('base64')}`;

const swSign = (body: string, secret = SECRET, id = ID, timestamp = NOW) => new StandardWebhook(secret).sign(id, new Date(timestamp * 1000), body);
const svixSign = (body: string, secret = SECRET, id = ID, timestamp = NOW) => new SvixWebhook(secret).sign(id, new Date(timestamp * 1000), body);
const v1aSign = (body: string | Uint8Array, secretKey = PAIR.secretKey, id = ID, timestamp = NOW) =>
  `v1a,${Buffer.from(nacl.sign.detached(Buffer.concat([Buffer.from(`${id}.${timestamp}.`), Buffer.from(body)]), secretKey)).toString('base64')}`;

type Headers = Record<string, string>;
function headersFor(signature: string | null, { prefix = 'webhook', id = ID as string | null, timestamp = String(NOW) as string | null } = {}): Headers {
  const headers: Headers = { 'content-type': 'application/json' };
  if (signature !== null) headers[`${prefix}-signature`] = signature;
  if (id !== null) headers[`${prefix}-id`] = id;
  if (timestamp !== null) headers[`${prefix}-timestamp`] = timestamp;
  return headers;
}

const hmacProvider = standardWebhooks({ secret: SECRET });
function verify(headers: Headers, body: string | Uint8Array = BODY, now = NOW, provider = hmacProvider) {
  return provider.verify({ headers, body, now });
}

describe('standardWebhooks.verify(): v1 (HMAC) accepts what the official libraries sign', () => {
  for (const { name, body } of sampleBodies({ type: 'invoice.paid' })) {
    it(`standardWebhooks.verify(): ${name} signed by standardwebhooks → verified, rawBody is the exact bytes`, () => {
      const bytes = Buffer.from(body, 'utf8');
      const verified = verify(headersFor(swSign(body)), bytes);
      expect(verified.timestamp).toBe(NOW);
      expect(Buffer.compare(Buffer.from(verified.rawBody), bytes)).toBe(0);
    });
  }

  it("standardWebhooks({ headerPrefix: 'svix' }).verify(): svix-id/-timestamp/-signature signed by svix@1 → verified", () => {
    const provider = standardWebhooks({ secret: SECRET, headerPrefix: 'svix' });
    for (const { body } of sampleBodies({ type: 'user.created' })) {
      expect(() => verify(headersFor(svixSign(body), { prefix: 'svix' }), body, NOW, provider)).not.toThrow();
    }
    expectWebhookError(() => verify(headersFor(svixSign(BODY)), BODY, NOW, provider), 'missing_header');
  });

  it('standardWebhooks(): the secret without whsec_ and without base64 padding → same key', () => {
    const padded = `whsec_${Buffer.alloc(23, 5).toString('base64')}`;
    const bare = padded.slice('whsec_'.length).replace(/=+$/, '');
    expect(bare.length % 4).not.toBe(0);
    expect(() => verify(headersFor(swSign(BODY, padded)), BODY, NOW, standardWebhooks({ secret: bare }))).not.toThrow();
  });
});

describe('standardWebhooks.verify(): v1a (Ed25519)', () => {
  const provider = standardWebhooks({ publicKey: PUBLIC_KEY });

  for (const { name, body } of sampleBodies({ type: 'invoice.paid' })) {
    it(`standardWebhooks.verify(): v1a over ${name} signed by tweetnacl → verified`, () => {
      expect(verify(headersFor(v1aSign(body)), body, NOW, provider).timestamp).toBe(NOW);
    });
  }

  it('standardWebhooks.verify(): v1a, one byte changed → signature_mismatch', () => {
    expectWebhookError(() => verify(headersFor(v1aSign(BODY)), tamper(BODY), NOW, provider), 'signature_mismatch');
  });

  it('standardWebhooks.verify(): a valid v1 presented to a public-key-only verifier → signature_mismatch', () => {
    expectWebhookError(() => verify(headersFor(swSign(BODY)), BODY, NOW, provider), 'signature_mismatch');
  });

  it('standardWebhooks.verify(): a valid v1a presented to a secret-only verifier → signature_mismatch', () => {
    expectWebhookError(() => verify(headersFor(v1aSign(BODY))), 'signature_mismatch');
  });

  it('standardWebhooks.verify(): publicKey: [other, signing] (rotation) → verified', () => {
    const rotating = standardWebhooks({ publicKey: [OTHER_PUBLIC_KEY, PUBLIC_KEY] });
    expect(() => verify(headersFor(v1aSign(BODY)), BODY, NOW, rotating)).not.toThrow();
  });

  it('standardWebhooks.verify(): secret and publicKey both configured → either v1 or v1a verifies', () => {
    const both = standardWebhooks({ secret: SECRET, publicKey: PUBLIC_KEY });
    expect(() => verify(headersFor(swSign(BODY)), BODY, NOW, both)).not.toThrow();
    expect(() => verify(headersFor(v1aSign(BODY)), BODY, NOW, both)).not.toThrow();
  });
});

describe('standardWebhooks.verify(): rejections', () => {
  it('standardWebhooks.verify(): one byte of the body changed → signature_mismatch', () => {
    for (const { body } of sampleBodies({ type: 'x' })) {
      expectWebhookError(() => verify(headersFor(swSign(body)), tamper(body)), 'signature_mismatch');
    }
  });

  it('standardWebhooks.verify(): webhook-id tampered (it is signed) → signature_mismatch', () => {
    expectWebhookError(() => verify(headersFor(swSign(BODY), { id: `${ID}x` })), 'signature_mismatch');
  });

  it('standardWebhooks.verify(): signed with another secret → signature_mismatch', () => {
    expectWebhookError(() => verify(headersFor(swSign(BODY, OTHER))), 'signature_mismatch');
  });

  it('standardWebhooks.verify(): only unknown versions ("v2,<valid digest>", "V1,…") → signature_mismatch', () => {
    const digest = swSign(BODY).slice(3);
    expectWebhookError(() => verify(headersFor(`v2,${digest}`)), 'signature_mismatch');
    expectWebhookError(() => verify(headersFor(`V1,${digest}`)), 'signature_mismatch');
  });

  it('standardWebhooks.verify(): no webhook-signature / webhook-id / webhook-timestamp → missing_header', () => {
    expectWebhookError(() => verify(headersFor(null)), 'missing_header');
    expectWebhookError(() => verify(headersFor(swSign(BODY), { id: null })), 'missing_header');
    expectWebhookError(() => verify(headersFor(swSign(BODY), { timestamp: null })), 'missing_header');
  });

  it('standardWebhooks.verify(): webhook-timestamp "hello" → malformed_header', () => {
    expectWebhookError(() => verify(headersFor(swSign(BODY), { timestamp: 'hello' })), 'malformed_header');
  });
});

describe('standardWebhooks.verify(): several signatures and rotation', () => {
  it('standardWebhooks.verify(): "v1,<wrong> v1,<valid>" → verified', () => {
    expect(() => verify(headersFor(`${swSign(BODY, OTHER)} ${swSign(BODY)}`))).not.toThrow();
  });

  it('standardWebhooks.verify(): secret: [old, signing] (rotation) → verified', () => {
    expect(() => verify(headersFor(swSign(BODY)), BODY, NOW, standardWebhooks({ secret: [OTHER, SECRET] }))).not.toThrow();
  });

  it(`standardWebhooks.verify(): the valid v1 at position ${MAX_SIGNATURES} → verified (the cap is ${MAX_SIGNATURES})`, () => {
    const bad = Array.from({ length: MAX_SIGNATURES - 1 }, (_, i) => swSign(`${BODY}${i}`));
    expect(() => verify(headersFor([...bad, swSign(BODY)].join(' ')))).not.toThrow();
  });

  it(`standardWebhooks.verify(): the valid v1 at position ${MAX_SIGNATURES + 1}+ → signature_mismatch (bounded work)`, () => {
    for (const count of [MAX_SIGNATURES, MAX_SIGNATURES + 3, 500]) {
      const bad = Array.from({ length: count }, (_, i) => swSign(`${BODY}${i % 20}`));
      expectWebhookError(() => verify(headersFor([...bad, swSign(BODY)].join(' '))), 'signature_mismatch');
    }
  });
});

describe('standardWebhooks.verify(): replay window', () => {
  const headers = headersFor(swSign(BODY));

  it('standardWebhooks.verify(): timestamp exactly 300 s old → verified', () => {
    expect(() => verify(headers, BODY, NOW + 300)).not.toThrow();
  });

  it('standardWebhooks.verify(): timestamp 301 s old → timestamp_too_old', () => {
    expectWebhookError(() => verify(headers, BODY, NOW + 301), 'timestamp_too_old');
  });

  it('standardWebhooks.verify(): timestamp 301 s in the future → timestamp_in_future', () => {
    expectWebhookError(() => verify(headers, BODY, NOW - 301), 'timestamp_in_future');
  });

  it('standardWebhooks.verify(): toleranceSeconds: 10 → 10 s verified, 11 s timestamp_too_old; a per-call toleranceSeconds overrides', () => {
    const provider = standardWebhooks({ secret: SECRET, toleranceSeconds: 10 });
    expect(() => verify(headers, BODY, NOW + 10, provider)).not.toThrow();
    expectWebhookError(() => verify(headers, BODY, NOW + 11, provider), 'timestamp_too_old');
    expect(() => provider.verify({ headers, body: BODY, now: NOW + 11, toleranceSeconds: 20 })).not.toThrow();
  });

  it('standardWebhooks(): toleranceSeconds 0 or negative → throws misconfigured naming the option', () => {
    for (const toleranceSeconds of [0, -1]) {
      const error = expectWebhookError(() => standardWebhooks({ secret: SECRET, toleranceSeconds }), 'misconfigured');
      expect(error.message).toContain('toleranceSeconds');
    }
  });
});

describe('standardWebhooks(): options', () => {
  it('standardWebhooks(): secret "" or "whsec_" → throws misconfigured naming `secret`', () => {
    for (const secret of ['', 'whsec_']) {
      expect(expectWebhookError(() => standardWebhooks({ secret }), 'misconfigured').message).toContain('`secret`');
    }
  });

  it('standardWebhooks(): neither secret nor publicKey → throws misconfigured', () => {
    expectWebhookError(() => standardWebhooks({}), 'misconfigured');
  });

  it('standardWebhooks(): a secret that is not base64 → throws misconfigured', () => {
    expectWebhookError(() => standardWebhooks({ secret: 'whsec_not base64!' }), 'misconfigured');
  });

  it("standardWebhooks(): headerPrefix 'acme' → throws misconfigured naming `headerPrefix`", () => {
    expect(expectWebhookError(() => standardWebhooks({ secret: SECRET, headerPrefix: 'acme' as never }), 'misconfigured').message).toContain('headerPrefix');
  });
});

describe('standardWebhooks.parse()', () => {
  it('standardWebhooks.parse(): id = webhook-id, type = payload.type', () => {
    expect(hmacProvider.parse(verify(headersFor(swSign(BODY))))).toMatchObject({ id: ID, type: 'invoice.paid' });
  });
});

describe('standardWebhooks.sign()', () => {
  // The libraries' verify() read the wall clock; pin it to NOW instead of depending on it.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW * 1000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('standardWebhooks.sign(): webhook-id/-timestamp/-signature → accepted by verify() and by standardwebhooks verify()', () => {
    for (const { body } of sampleBodies({ type: 'invoice.paid' })) {
      const signed = hmacProvider.sign({ body, timestamp: NOW, id: ID });
      expect(signed.headers['webhook-signature']).toBe(swSign(body));
      expect(hmacProvider.verify({ headers: signed.headers, body: signed.body, now: NOW }).timestamp).toBe(NOW);
      expect(new StandardWebhook(SECRET).verify(body, signed.headers)).toEqual(JSON.parse(body));
    }
  });

  it("standardWebhooks({ headerPrefix: 'svix' }).sign(): accepted by svix verify()", () => {
    const provider = standardWebhooks({ secret: SECRET, headerPrefix: 'svix' });
    const signed = provider.sign({ body: BODY });
    expect(signed.headers['svix-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(signed.headers['svix-timestamp']).toBe(String(NOW));
    expect(new SvixWebhook(SECRET).verify(BODY, signed.headers)).toEqual(JSON.parse(BODY));
  });

  it('standardWebhooks.sign() with secret and privateKey → "v1,… v1a,…", the v1a accepted by tweetnacl', () => {
    const provider = standardWebhooks({ secret: SECRET, publicKey: PUBLIC_KEY, privateKey: PAIR.secretKey.subarray(0, 32) });
    const signed = provider.sign({ body: BODY, timestamp: NOW, id: ID });
    const [v1, v1a] = (signed.headers['webhook-signature'] as string).split(' ');
    expect(v1).toBe(swSign(BODY));
    expect(v1a).toBe(v1aSign(BODY));
    const signature = Buffer.from((v1a as string).slice(4), 'base64');
    expect(nacl.sign.detached.verify(Buffer.from(`${ID}.${NOW}.${BODY}`), signature, PAIR.publicKey)).toBe(true);
    expect(() => provider.verify({ headers: signed.headers, body: BODY, now: NOW })).not.toThrow();
  });

  it('standardWebhooks.sign() with only a publicKey → throws misconfigured (needs privateKey)', () => {
    expectWebhookError(() => standardWebhooks({ publicKey: PUBLIC_KEY }).sign({ body: BODY }), 'misconfigured');
  });
});
