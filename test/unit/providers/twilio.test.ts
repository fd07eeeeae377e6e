import { Buffer } from 'node:buffer';
import twilioSdk from 'twilio';
import { describe, expect, it } from 'vitest';
import { twilio } from '../../../src/providers/twilio.js';
import { expectWebhookError, MIB, sampleBodies, tamper } from './support.js';

// Oracles: the twilio helper library signs (getExpectedTwilioSignature, getExpectedBodyHash) and
// verifies (validateRequest for form posts, validateRequestWithBody for JSON with bodySHA256).
const TOKEN = 'twilio-auth-token-0f1e2d3c4b5a69788796a5b4';
const OTHER = 'twilio-secondary-auth-token-5a4b3c2d1e0f9';
const URL_SMS = 'https://hooks.example.com/twilio/sms?tenant=acme';
type Params = Record<string, string | string[]>;
const SMS: Params = {
  MessageSid: 'SM0123456789abcdef0123456789abcdef',
  SmsStatus: 'received',
  From: '+4915112345678',
  To: '+4930123456789',
  Body: 'Grüße aus Köln 👋 + 1 & 2 = 3',
  NumMedia: '0',
};

/** The x-www-form-urlencoded body Twilio sends for `params` (spaces as "+"). */
function form(params: Params): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const item of Array.isArray(value) ? value : [value]) search.append(key, item);
  return search.toString();
}

const sdkSign = (url: string, params: Params | null, token = TOKEN) => twilioSdk.getExpectedTwilioSignature(token, url, params as Record<string, string>);

/** A JSON delivery the way Twilio sends one: bodySHA256 appended to the URL, the HMAC over the URL alone. */
function sdkSignJson(url: string, body: string, token = TOKEN): { url: string; signature: string } {
  const signedUrl = `${url}${url.includes('?') ? '&' : '?'}bodySHA256=${twilioSdk.getExpectedBodyHash(body)}`;
  return { url: signedUrl, signature: sdkSign(signedUrl, {}, token) };
}

function headersFor(signature: string | undefined, extra: Record<string, string> = {}, contentType = 'application/x-www-form-urlencoded'): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': contentType, ...extra };
  if (signature !== undefined) headers['X-Twilio-Signature'] = signature;
  return headers;
}

function verify(signature: string | undefined, body: string | Uint8Array = form(SMS), url = URL_SMS, provider = twilio({ authToken: TOKEN }), extra: Record<string, string> = {}) {
  return provider.verify({ method: 'POST', url, headers: headersFor(signature, extra), body });
}

describe('twilio.verify(): form posts signed by the twilio library', () => {
  const bodies: { name: string; params: Params }[] = [
    { name: 'an SMS with emoji, "+", "&" and "=" in the text', params: SMS },
    { name: 'a Body with CRLF and tabs', params: { ...SMS, Body: 'line one\r\n\tline two\r\n' } },
    { name: 'a 1 MiB Body', params: { ...SMS, Body: 'x'.repeat(MIB) } },
    { name: 'a repeated parameter (values deduplicated and sorted, as twilio-node does)', params: { ...SMS, MediaUrl: ['https://m/2', 'https://m/1', 'https://m/2'] } },
  ];
  for (const { name, params } of bodies) {
    it(`twilio.verify(): ${name} → verified, rawBody is the exact bytes`, () => {
      const body = Buffer.from(form(params));
      const verified = verify(sdkSign(URL_SMS, params), body);
      expect(verified.timestamp).toBeUndefined();
      expect(Buffer.compare(Buffer.from(verified.rawBody), body)).toBe(0);
    });
  }

  it('twilio.verify(): the same parameters in another order, or spaces as %20 instead of "+" → verified (Twilio signs the decoded parameters)', () => {
    const signature = sdkSign(URL_SMS, SMS);
    const reordered = form(Object.fromEntries(Object.entries(SMS).reverse()));
    expect(() => verify(signature, reordered)).not.toThrow();
    expect(() => verify(signature, form(SMS).replaceAll('+', '%20'))).not.toThrow();
  });

  it('twilio.verify(): an empty body → the HMAC covers the URL alone (as the library computes it)', () => {
    expect(() => verify(sdkSign(URL_SMS, {}), '')).not.toThrow();
  });

  it("twilio.verify(): Twilio's documented example (token 12345, 0/KCTR6DLpKmkAf8muzZqo1nDgQ=) → verified (twilio.com/docs/usage/webhooks/webhooks-security)", () => {
    const body = 'CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234&From=%2B12349013030&To=%2B18005551212';
    expect(() => verify('0/KCTR6DLpKmkAf8muzZqo1nDgQ=', body, 'https://mycompany.com/myapp.php?foo=1&bar=2', twilio({ authToken: '12345' }))).not.toThrow();
  });
});

describe('twilio.verify(): JSON bodies signed through bodySHA256', () => {
  for (const { name, body } of sampleBodies({ type: 'com.twilio.messaging.message.delivered', id: 'EV1' })) {
    it(`twilio.verify(): ${name}, URL + bodySHA256 signed by the library → verified`, () => {
      const { url, signature } = sdkSignJson('https://hooks.example.com/twilio/events', body);
      expect(() => verify(signature, Buffer.from(body), url)).not.toThrow();
    });
  }

  it('twilio.verify(): one byte of a JSON body changed → signature_mismatch (the hash no longer matches)', () => {
    for (const { body } of sampleBodies({ type: 'x' })) {
      const { url, signature } = sdkSignJson('https://hooks.example.com/twilio/events', body);
      expectWebhookError(() => verify(signature, tamper(body), url), 'signature_mismatch');
    }
  });

  it('twilio.verify(): bodySHA256 edited in the URL to match a forged body → signature_mismatch (the URL is signed)', () => {
    const { url, signature } = sdkSignJson('https://hooks.example.com/twilio/events', '{"a":1}');
    const forged = '{"a":2}';
    expectWebhookError(() => verify(signature, forged, url.replace(/bodySHA256=[0-9a-f]+/, `bodySHA256=${twilioSdk.getExpectedBodyHash(forged)}`)), 'signature_mismatch');
  });
});

describe('twilio.verify(): rejections', () => {
  it('twilio.verify(): one byte of a form body changed → signature_mismatch', () => {
    const body = form(SMS);
    expectWebhookError(() => verify(sdkSign(URL_SMS, SMS), tamper(body)), 'signature_mismatch');
  });

  it('twilio.verify(): a parameter added, or the query string changed → signature_mismatch', () => {
    const signature = sdkSign(URL_SMS, SMS);
    expectWebhookError(() => verify(signature, `${form(SMS)}&Extra=1`), 'signature_mismatch');
    expectWebhookError(() => verify(signature, form(SMS), URL_SMS.replace('acme', 'evil')), 'signature_mismatch');
  });

  it('twilio.verify(): signed with another auth token → signature_mismatch; authToken: [secondary, primary] → verified', () => {
    const signature = sdkSign(URL_SMS, SMS, OTHER);
    expectWebhookError(() => verify(signature), 'signature_mismatch');
    expect(() => verify(signature, form(SMS), URL_SMS, twilio({ authToken: [OTHER, TOKEN] }))).not.toThrow();
    expect(() => verify(sdkSign(URL_SMS, SMS), form(SMS), URL_SMS, twilio({ authToken: [OTHER, TOKEN] }))).not.toThrow();
  });

  it('twilio.verify(): a signature that is not base64 of 20 bytes → signature_mismatch', () => {
    for (const signature of ['!!', 'AAAA', Buffer.alloc(32).toString('base64')]) expectWebhookError(() => verify(signature), 'signature_mismatch');
  });

  it('twilio.verify(): no X-Twilio-Signature → missing_header', () => {
    expectWebhookError(() => verify(undefined), 'missing_header');
  });

  it('twilio.verify(): a form body that is not UTF-8 → invalid_body', () => {
    expectWebhookError(() => verify(sdkSign(URL_SMS, SMS), Buffer.from([0x42, 0x6f, 0x64, 0x79, 0x3d, 0xff])), 'invalid_body');
  });
});

describe('twilio.verify(): the public URL', () => {
  const signature = sdkSign(URL_SMS, SMS);
  const body = form(SMS);

  it('twilio.verify(): a path (req.originalUrl) + Host → https://<host><path> → verified', () => {
    expect(() => verify(signature, body, '/twilio/sms?tenant=acme', undefined, { Host: 'hooks.example.com' })).not.toThrow();
  });

  it('twilio.verify(): a path and no Host header → missing_header', () => {
    expectWebhookError(() => verify(signature, body, '/twilio/sms?tenant=acme'), 'missing_header');
  });

  it('twilio.verify(): no url in the input and no `url` option → misconfigured (naming `url`)', () => {
    const provider = twilio({ authToken: TOKEN });
    expect(expectWebhookError(() => provider.verify({ headers: headersFor(signature, { Host: 'hooks.example.com' }), body }), 'misconfigured').message).toContain('`url`');
  });

  it('twilio({ trustProxy: true }): X-Forwarded-Proto/-Host (first value) replace scheme and host → verified', () => {
    const provider = twilio({ authToken: TOKEN, trustProxy: true });
    const forwarded = { Host: '10.0.0.7:3000', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'hooks.example.com, proxy.internal' };
    expect(() => verify(signature, body, '/twilio/sms?tenant=acme', provider, forwarded)).not.toThrow();
    const httpSigned = sdkSign('http://hooks.example.com/twilio/sms?tenant=acme', SMS);
    expect(() => verify(httpSigned, body, '/twilio/sms?tenant=acme', provider, { ...forwarded, 'X-Forwarded-Proto': 'http' })).not.toThrow();
  });

  it('twilio() without trustProxy: X-Forwarded-* headers are ignored (anyone can send them) → signature_mismatch', () => {
    const forwarded = { Host: '10.0.0.7:3000', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'hooks.example.com' };
    expectWebhookError(() => verify(signature, body, '/twilio/sms?tenant=acme', undefined, forwarded), 'signature_mismatch');
  });

  it("twilio({ url: 'https://…/path' }): the configured URL + the query received → verified, whatever Host says", () => {
    const provider = twilio({ authToken: TOKEN, url: 'https://hooks.example.com/twilio/sms' });
    expect(() => verify(signature, body, '/internal/sms?tenant=acme', provider, { Host: 'localhost:3000' })).not.toThrow();
    const { url, signature: jsonSignature } = sdkSignJson('https://hooks.example.com/twilio/sms', '{"a":1}');
    expect(() => verify(jsonSignature, '{"a":1}', url.replace('https://hooks.example.com/twilio', '/x'), provider)).not.toThrow();
  });

  it('twilio({ url: (request) => … }): the function returns the whole URL → verified', () => {
    const provider = twilio({ authToken: TOKEN, url: (request) => `https://hooks.example.com/twilio${request.url ?? ''}` });
    expect(() => verify(signature, body, '/sms?tenant=acme', provider)).not.toThrow();
  });

  it('twilio(): `url` with a query, relative, or not http(s) → throws misconfigured naming `url`', () => {
    for (const url of ['https://hooks.example.com/sms?tenant=acme', '/sms', 'ftp://hooks.example.com/sms', 'https://']) {
      expect(expectWebhookError(() => twilio({ authToken: TOKEN, url }), 'misconfigured').message).toContain('`url`');
    }
  });

  it('twilio.verify(): signed without a port, received with :443 (Host "hooks.example.com:443") → verified, as the library allows', () => {
    expect(() => verify(signature, body, '/twilio/sms?tenant=acme', undefined, { Host: 'hooks.example.com:443' })).not.toThrow();
    expect(twilioSdk.validateRequest(TOKEN, signature, 'https://hooks.example.com:443/twilio/sms?tenant=acme', SMS as Record<string, string>)).toBe(true);
  });

  it('twilio.verify(): signed with :443, received without a port → verified; http with :80 likewise', () => {
    expect(() => verify(sdkSign('https://hooks.example.com:443/twilio/sms?tenant=acme', SMS), body)).not.toThrow();
    expect(() => verify(sdkSign('http://hooks.example.com:80/sms', SMS), body, 'http://hooks.example.com/sms')).not.toThrow();
  });

  it('twilio.verify(): received on a non-default port (:8443) → signature_mismatch (twilio-node strips any port; hookguard only the default one)', () => {
    expectWebhookError(() => verify(signature, body, 'https://hooks.example.com:8443/twilio/sms?tenant=acme'), 'signature_mismatch');
    expect(twilioSdk.validateRequest(TOKEN, signature, 'https://hooks.example.com:8443/twilio/sms?tenant=acme', SMS as Record<string, string>)).toBe(true);
  });

  it('twilio.verify(): verified.url is the URL as received, not the rebuilt one', () => {
    expect(verify(signature, body, '/twilio/sms?tenant=acme', undefined, { Host: 'hooks.example.com' }).url).toBe('/twilio/sms?tenant=acme');
  });
});

describe('twilio.sign(): accepted by the twilio library', () => {
  const provider = twilio({ authToken: TOKEN });

  it('twilio.sign(): a form body → X-Twilio-Signature that validateRequest accepts (unicode, CRLF, 1 MiB)', () => {
    for (const params of [SMS, { ...SMS, Body: 'a\r\n\tb' }, { ...SMS, Body: 'y'.repeat(MIB) }]) {
      const signed = provider.sign({ body: form(params), url: URL_SMS });
      expect(signed.url).toBe(URL_SMS);
      expect(signed.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(twilioSdk.validateRequest(TOKEN, signed.headers['x-twilio-signature'] as string, URL_SMS, params as Record<string, string>)).toBe(true);
      expect(() => verify(signed.headers['x-twilio-signature'], form(params))).not.toThrow();
    }
  });

  it('twilio.sign(): a JSON body → bodySHA256 appended to the returned url; validateRequestWithBody accepts it', () => {
    for (const { body } of sampleBodies({ type: 'x' })) {
      const signed = provider.sign({ body, url: 'https://hooks.example.com/twilio/events' });
      expect(signed.url).toBe(`https://hooks.example.com/twilio/events?bodySHA256=${twilioSdk.getExpectedBodyHash(body)}`);
      expect(signed.headers['content-type']).toBe('application/json');
      expect(twilioSdk.validateRequestWithBody(TOKEN, signed.headers['x-twilio-signature'] as string, signed.url as string, body)).toBe(true);
      expect(() => provider.verify({ url: signed.url as string, headers: signed.headers, body })).not.toThrow();
    }
  });

  it('twilio.sign(): writes an I-Twilio-Idempotency-Token (the given id, or a new one)', () => {
    expect(provider.sign({ body: form(SMS), url: URL_SMS, id: 'idem-1' }).headers['i-twilio-idempotency-token']).toBe('idem-1');
    expect(provider.sign({ body: form(SMS), url: URL_SMS }).headers['i-twilio-idempotency-token']).toMatch(/.+/);
  });

  it('twilio.sign(): no url (and no string `url` option) or a relative one → misconfigured; with the option → signs', () => {
    expectWebhookError(() => provider.sign({ body: form(SMS) }), 'misconfigured');
    expectWebhookError(() => provider.sign({ body: form(SMS), url: '/sms' }), 'misconfigured');
    const configured = twilio({ authToken: TOKEN, url: 'https://hooks.example.com/twilio/sms' });
    const signed = configured.sign({ body: form(SMS) });
    expect(twilioSdk.validateRequest(TOKEN, signed.headers['x-twilio-signature'] as string, 'https://hooks.example.com/twilio/sms', SMS as Record<string, string>)).toBe(true);
  });

  it('twilio.sign(): a url whose bodySHA256 is not the hash of the body → misconfigured', () => {
    expectWebhookError(() => provider.sign({ body: '{"a":1}', url: `https://h.example/e?bodySHA256=${'0'.repeat(64)}` }), 'misconfigured');
  });

  it('twilio(): authToken "" / missing / [] → throws misconfigured naming `authToken`', () => {
    for (const options of [{ authToken: '' }, {}, { authToken: [] }]) {
      expect(expectWebhookError(() => twilio(options as never), 'misconfigured').message).toContain('`authToken`');
    }
  });
});

describe('twilio.parse()', () => {
  const provider = twilio({ authToken: TOKEN });
  const parse = (params: Params, extra: Record<string, string> = {}) => provider.parse(verify(sdkSign(URL_SMS, params), form(params), URL_SMS, provider, extra));

  it('twilio.parse(): an incoming SMS → type message.received (parent message), payload the form fields', () => {
    const parsed = parse(SMS);
    expect(parsed).toMatchObject({ type: 'message.received', parentTypes: ['message'] });
    expect(parsed.payload).toEqual(SMS);
  });

  it('twilio.parse(): a status callback → message.<MessageStatus>; a call → call.<CallStatus>; no status → the bare kind', () => {
    expect(parse({ MessageSid: 'SM1', MessageStatus: 'delivered', SmsStatus: 'delivered' }).type).toBe('message.delivered');
    expect(parse({ CallSid: 'CA1', CallStatus: 'ringing' })).toMatchObject({ type: 'call.ringing', parentTypes: ['call'] });
    expect(parse({ CallSid: 'CA1', RecordingSid: 'RE1' }).type).toBe('call');
  });

  it('twilio.parse(): id = I-Twilio-Idempotency-Token; without it no id (a MessageSid repeats across status callbacks)', () => {
    expect(parse(SMS, { 'I-Twilio-Idempotency-Token': 'f1e2d3c4-idem' }).id).toBe('f1e2d3c4-idem');
    expect(parse(SMS).id).toBeUndefined();
  });

  // Found by the property tests (#6): Twilio signs a repeated field's sorted values, not their order, so
  // keeping the last value let a reordered body change the payload (and the type) without breaking the signature.
  it('twilio.parse(): a field repeated with different values → the sorted array of them, whatever their order on the wire (#6)', () => {
    const params = { MessageSid: 'SM1', MessageStatus: ['delivered', 'failed'], Body: ['pay 10', 'pay 9999'] };
    const signature = sdkSign(URL_SMS, params);
    const inOrder = provider.parse(verify(signature, 'MessageSid=SM1&MessageStatus=delivered&MessageStatus=failed&Body=pay+10&Body=pay+9999'));
    const reordered = provider.parse(verify(signature, 'Body=pay+9999&MessageStatus=failed&Body=pay+10&MessageSid=SM1&MessageStatus=delivered'));
    for (const parsed of [inOrder, reordered]) {
      expect(parsed.payload).toEqual({ MessageSid: 'SM1', MessageStatus: ['delivered', 'failed'], Body: ['pay 10', 'pay 9999'] });
      expect([parsed.type, parsed.parentTypes]).toEqual(['message', undefined]);
    }
    const same = { MessageSid: 'SM1', To: ['+1', '+1'] }; // one value, repeated: still a plain string
    expect(provider.parse(verify(sdkSign(URL_SMS, same), form(same))).payload).toEqual({ MessageSid: 'SM1', To: '+1' });
  });

  it('twilio.parse(): a JSON body → its type (or event_type)', () => {
    const body = '{"event_type":"com.twilio.messaging.message.delivered","data":{}}';
    const { url, signature } = sdkSignJson('https://hooks.example.com/twilio/events', body);
    const verified = provider.verify({ url, headers: headersFor(signature, {}, 'application/json'), body });
    expect(provider.parse(verified).type).toBe('com.twilio.messaging.message.delivered');
  });
});
