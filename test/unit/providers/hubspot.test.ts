import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { Signature } from '@hubspot/api-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hubspot } from '../../../src/providers/hubspot.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// The oracle: @hubspot/api-client's Signature.getSignature()/isValid() with signatureVersion 'v3'
// (base64 HMAC-SHA256 of method + url + body + timestamp; timestamp in ms, 5 min, checked against Date.now()).
const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const OTHER = 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz';
const URL = 'https://www.example.com/webhook_uri';
const NOW_MS = NOW * 1000;
const EVENTS = [
  { eventId: 1, subscriptionId: 12345, portalId: 62515, occurredAt: 1564113600000, subscriptionType: 'contact.creation', attemptNumber: 0, objectId: 123, changeSource: 'CRM', changeFlag: 'NEW', appId: 54321 },
  { eventId: 2, subscriptionId: 12345, portalId: 62515, occurredAt: 1564113600001, subscriptionType: 'contact.creation', attemptNumber: 0, objectId: 124, changeSource: 'CRM', changeFlag: 'NEW', appId: 54321 },
];
const BODY = JSON.stringify(EVENTS);

function sdkSign(body: string, options: { url?: string; method?: string; timestamp?: number; secret?: string } = {}): string {
  const { url = URL, method = 'POST', timestamp = NOW_MS, secret = SECRET } = options;
  return Signature.getSignature(method, 'v3', { signature: '', clientSecret: secret, requestBody: body, url, timestamp });
}

function headersFor(signature: string | undefined, timestamp: string | null = String(NOW_MS), extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-HubSpot-Signature-Version': 'v3', ...extra };
  if (signature !== undefined) headers['X-HubSpot-Signature-v3'] = signature;
  if (timestamp !== null) headers['X-HubSpot-Request-Timestamp'] = timestamp;
  return headers;
}

interface Call { signature?: string; body?: string | Uint8Array; now?: number; url?: string; method?: string; timestamp?: string | null; extra?: Record<string, string> }

function verify(call: Call, provider = hubspot({ clientSecret: SECRET })) {
  const { signature, body = BODY, now = NOW, url = URL, method = 'POST', timestamp = String(NOW_MS), extra } = call;
  return provider.verify({ method, url, headers: headersFor(signature, timestamp, extra), body, now });
}

describe('hubspot.verify(): accepts what HubSpot signs (the SDK as signer)', () => {
  for (const { name, body } of sampleBodies({ eventId: 9, subscriptionType: 'deal.creation' })) {
    it(`hubspot.verify(): ${name} signed by Signature.getSignature(v3) → verified, timestamp in seconds, exact bytes`, () => {
      const bytes = Buffer.from(body, 'utf8');
      const verified = verify({ signature: sdkSign(body), body: bytes });
      expect(verified.timestamp).toBe(NOW);
      expect(Buffer.compare(Buffer.from(verified.rawBody), bytes)).toBe(0);
    });
  }

  it('hubspot.verify(): a path-only request URL is rebuilt as https:// + Host + path', () => {
    expect(() => verify({ signature: sdkSign(BODY), url: '/webhook_uri', extra: { Host: 'www.example.com' } })).not.toThrow();
  });

  it('hubspot({ url }): the configured public URL is used whatever the request says (behind a rewriting proxy)', () => {
    const provider = hubspot({ clientSecret: SECRET, url: URL });
    expect(() => verify({ signature: sdkSign(BODY), url: '/internal/hubspot', extra: { Host: 'backend:8080' } }, provider)).not.toThrow();
  });

  it('hubspot({ trustProxy: true }): X-Forwarded-Proto / X-Forwarded-Host rebuild the public URL', () => {
    const provider = hubspot({ clientSecret: SECRET, trustProxy: true });
    const extra = { Host: 'backend:8080', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'www.example.com' };
    expect(() => verify({ signature: sdkSign(BODY), url: '/webhook_uri', extra }, provider)).not.toThrow();
    expectWebhookError(() => verify({ signature: sdkSign(BODY), url: '/webhook_uri', extra }), 'signature_mismatch');
  });

  it("hubspot.verify(): HubSpot's listed escapes in the URI (%3A %2F %40 %2C …) are decoded before the HMAC; others (%20) stay", () => {
    const received = 'https://www.example.com/webhook_uri?next=https%3A%2F%2Fx.io%2Fa%40b%2Cc&q=a%20b';
    const decoded = 'https://www.example.com/webhook_uri?next=https://x.io/a@b,c&q=a%20b';
    expect(() => verify({ signature: sdkSign(BODY, { url: decoded }), url: received })).not.toThrow();
    expectWebhookError(() => verify({ signature: sdkSign(BODY, { url: received }), url: received }), 'signature_mismatch');
  });
});

describe('hubspot.verify(): rejections', () => {
  it('hubspot.verify(): one byte of the body changed → signature_mismatch', () => {
    for (const { body } of sampleBodies({ eventId: 9 })) {
      expectWebhookError(() => verify({ signature: sdkSign(body), body: tamper(body) }), 'signature_mismatch');
    }
  });

  it('hubspot.verify(): another method, another URL, another secret, or the timestamp moved by 1 ms (all signed) → signature_mismatch', () => {
    expectWebhookError(() => verify({ signature: sdkSign(BODY, { method: 'PUT' }) }), 'signature_mismatch');
    expectWebhookError(() => verify({ signature: sdkSign(BODY, { url: 'https://www.example.com/other' }) }), 'signature_mismatch');
    expectWebhookError(() => verify({ signature: sdkSign(BODY, { secret: OTHER }) }), 'signature_mismatch');
    expectWebhookError(() => verify({ signature: sdkSign(BODY), timestamp: String(NOW_MS + 1) }), 'signature_mismatch');
  });

  it('hubspot.verify(): no X-HubSpot-Signature-v3 (only the legacy v1/v2 header) → missing_header; no timestamp → missing_header', () => {
    expectWebhookError(() => verify({ extra: { 'X-HubSpot-Signature': 'abc' } }), 'missing_header');
    expectWebhookError(() => verify({ signature: sdkSign(BODY), timestamp: null }), 'missing_header');
  });

  it('hubspot.verify(): X-HubSpot-Request-Timestamp not ASCII-digit milliseconds → malformed_header', () => {
    for (const timestamp of ['1.7e12', '-1', 'soon', `${NOW_MS}.5`]) {
      expectWebhookError(() => verify({ signature: sdkSign(BODY), timestamp }), 'malformed_header');
    }
  });
});

describe('hubspot.verify(): replay window (5 min, both ways, in ms)', () => {
  const signature = sdkSign(BODY);

  it('hubspot.verify(): exactly 300 s old → verified; 300.001 s old → timestamp_too_old; 301 s ahead → timestamp_in_future', () => {
    expect(verify({ signature, now: NOW + 300 }).timestamp).toBe(NOW);
    const justOld = String(NOW_MS - 300_001);
    expectWebhookError(() => verify({ signature: sdkSign(BODY, { timestamp: NOW_MS - 300_001 }), timestamp: justOld }), 'timestamp_too_old');
    expectWebhookError(() => verify({ signature, now: NOW - 301 }), 'timestamp_in_future');
  });

  it('hubspot({ toleranceSeconds: 60 }) → 61 s old is timestamp_too_old', () => {
    expectWebhookError(() => verify({ signature, now: NOW + 61 }, hubspot({ clientSecret: SECRET, toleranceSeconds: 60 })), 'timestamp_too_old');
  });
});

describe('hubspot(): rotation and options', () => {
  it('hubspot.verify(): clientSecret: [old, new] → either verifies', () => {
    const provider = hubspot({ clientSecret: [OTHER, SECRET] });
    expect(() => verify({ signature: sdkSign(BODY) }, provider)).not.toThrow();
    expect(() => verify({ signature: sdkSign(BODY, { secret: OTHER }) }, provider)).not.toThrow();
  });

  it('hubspot(): clientSecret "" / missing → misconfigured naming `clientSecret`; a relative `url` → misconfigured naming `url`', () => {
    for (const options of [{ clientSecret: '' }, {}]) {
      expect(expectWebhookError(() => hubspot(options as never), 'misconfigured').message).toContain('`clientSecret`');
    }
    expect(expectWebhookError(() => hubspot({ clientSecret: SECRET, url: '/webhooks' }), 'misconfigured').message).toContain('`url`');
  });
});

describe('hubspot.parse()', () => {
  const provider = hubspot({ clientSecret: SECRET });
  const parse = (payload: unknown) => provider.parse({ rawBody: Buffer.from(JSON.stringify(payload)), headers: {} });

  it("hubspot.parse(): a batch of one subscriptionType → that type; id = the eventIds joined ('1,2')", () => {
    expect(parse(EVENTS)).toMatchObject({ id: '1,2', type: 'contact.creation' });
  });

  it("hubspot.parse(): mixed subscriptionTypes → type 'batch'; a single event object → its own type and id", () => {
    expect(parse([EVENTS[0], { ...EVENTS[1], subscriptionType: 'deal.creation' }]).type).toBe('batch');
    expect(parse(EVENTS[0])).toMatchObject({ id: '1', type: 'contact.creation' });
  });

  it('hubspot.parse(): an empty array → no id, no type', () => {
    const parsed = parse([]);
    expect([parsed.id, parsed.type]).toEqual([undefined, undefined]);
  });
});

describe('hubspot against @hubspot/api-client Signature.isValid()', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW_MS);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('hubspot.sign() → Signature.isValid(v3) accepts every sample body (unicode, CRLF, 1 MiB); tampered → false', () => {
    const provider = hubspot({ clientSecret: SECRET });
    for (const { body } of sampleBodies({ eventId: 3, subscriptionType: 'company.creation' })) {
      const signed = provider.sign({ body, timestamp: NOW, url: URL });
      expect(signed.headers['x-hubspot-request-timestamp']).toBe(String(NOW_MS));
      const options = { signature: signed.headers['x-hubspot-signature-v3'] as string, clientSecret: SECRET, requestBody: body, url: URL, method: 'POST', signatureVersion: 'v3', timestamp: NOW_MS };
      expect(Signature.isValid(options)).toBe(true);
      expect(Signature.isValid({ ...options, requestBody: tamper(body).toString('utf8') })).toBe(false);
      expect(provider.verify({ method: 'POST', url: URL, headers: signed.headers, body: signed.body, now: NOW }).timestamp).toBe(NOW);
    }
  });

  it('hubspot({ url }).sign() signs the configured URL; without any absolute URL, sign() cannot know it', () => {
    const signed = hubspot({ clientSecret: SECRET, url: URL }).sign({ body: BODY, timestamp: NOW });
    expect(Signature.isValid({ signature: signed.headers['x-hubspot-signature-v3'] as string, clientSecret: SECRET, requestBody: BODY, url: URL, signatureVersion: 'v3', timestamp: NOW_MS })).toBe(true);
    expect(() => hubspot({ clientSecret: SECRET }).sign({ body: BODY })).toThrow();
  });

  it('stricter than the SDK: a timestamp 10 min in the future passes isValid() but is timestamp_in_future here', () => {
    const ahead = NOW_MS + 600_000;
    const signature = sdkSign(BODY, { timestamp: ahead });
    expect(Signature.isValid({ signature, clientSecret: SECRET, requestBody: BODY, url: URL, signatureVersion: 'v3', timestamp: ahead })).toBe(true);
    expectWebhookError(() => verify({ signature, timestamp: String(ahead) }), 'timestamp_in_future');
  });
});

describe('hubspot: node:crypto reference (as the docs describe it)', () => {
  it('hubspot.sign() equals base64(HMAC-SHA256(secret, method + uri + body + timestamp))', () => {
    const reference = createHmac('sha256', SECRET).update(`POST${URL}${BODY}${NOW_MS}`).digest('base64');
    expect(hubspot({ clientSecret: SECRET }).sign({ body: BODY, timestamp: NOW, url: URL }).headers['x-hubspot-signature-v3']).toBe(reference);
  });
});
