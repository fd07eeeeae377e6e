import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { slack } from '../../../src/providers/slack.js';
import { verifyWebhook } from '../../../src/providers/verify-webhook.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// The oracle: Slack publishes no signer, so node:crypto by hand, exactly as Slack documents it:
// v0=hex(HMAC-SHA256(signing secret, "v0:" + timestamp + ":" + body)).
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const OTHER = 'another-slack-app-signing-secret';
const EVENT = JSON.stringify({ type: 'event_callback', event_id: 'Ev0001', event: { type: 'app_mention', text: 'héllo 👋' } });
const SLASH = 'token=x&team_id=T1&command=%2Fweather&text=94070&response_url=https%3A%2F%2Fhooks.slack.com%2Fx';

function slackSign(body: string | Uint8Array, secret = SECRET, timestamp: string | number = NOW): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
}

/** `timestamp: null` leaves the timestamp header out. */
function headersFor(signature: string | undefined, timestamp: string | null = String(NOW), contentType = 'application/json') {
  const headers: Record<string, string> = { 'Content-Type': contentType };
  if (signature !== undefined) headers['X-Slack-Signature'] = signature;
  if (timestamp !== null) headers['X-Slack-Request-Timestamp'] = timestamp;
  return headers;
}

function verify(signature: string | undefined, body: string | Uint8Array = EVENT, now = NOW, provider = slack({ signingSecret: SECRET }), timestamp: string | null = String(NOW)) {
  return provider.verify({ headers: headersFor(signature, timestamp), body, now });
}

describe('slack.verify(): accepts what Slack signs', () => {
  for (const { name, body } of sampleBodies({ type: 'event_callback', event_id: 'Ev1' })) {
    it(`slack.verify(): ${name} → verified, rawBody is the exact bytes`, () => {
      const bytes = Buffer.from(body, 'utf8');
      const verified = verify(slackSign(body), bytes);
      expect(verified.timestamp).toBe(NOW);
      expect(Buffer.compare(Buffer.from(verified.rawBody), bytes)).toBe(0);
    });
  }

  it('slack.verify(): a slash-command form body → verified', () => {
    const provider = slack({ signingSecret: SECRET });
    expect(() => provider.verify({ headers: headersFor(slackSign(SLASH), String(NOW), 'application/x-www-form-urlencoded'), body: SLASH, now: NOW })).not.toThrow();
  });
});

describe('slack.verify(): rejections', () => {
  it('slack.verify(): one byte of the body changed → signature_mismatch', () => {
    for (const { body } of sampleBodies({ type: 'event_callback' })) {
      expectWebhookError(() => verify(slackSign(body), tamper(body)), 'signature_mismatch');
    }
  });

  it("slack.verify(): signed with another app's secret → signature_mismatch", () => {
    expectWebhookError(() => verify(slackSign(EVENT, OTHER)), 'signature_mismatch');
  });

  it('slack.verify(): X-Slack-Request-Timestamp moved by 1 s (it is signed) → signature_mismatch', () => {
    expectWebhookError(() => verify(slackSign(EVENT), EVENT, NOW, undefined, String(NOW + 1)), 'signature_mismatch');
  });

  it('slack.verify(): no X-Slack-Signature → missing_header', () => {
    expectWebhookError(() => verify(undefined), 'missing_header');
  });

  it('slack.verify(): no X-Slack-Request-Timestamp → missing_header', () => {
    expectWebhookError(() => verify(slackSign(EVENT), EVENT, NOW, undefined, null), 'missing_header');
  });

  it('slack.verify(): unknown version "v1=…" → malformed_header', () => {
    expectWebhookError(() => verify(slackSign(EVENT).replace('v0=', 'v1=')), 'malformed_header');
  });

  it('slack.verify(): X-Slack-Request-Timestamp not ASCII digits ("1.5e9", "-1", " 1") → malformed_header', () => {
    for (const timestamp of ['1.5e9', '-1', ' 1', 'soon']) {
      expectWebhookError(() => verify(slackSign(EVENT, SECRET, timestamp), EVENT, NOW, undefined, timestamp), 'malformed_header');
    }
  });
});

describe('slack.verify(): rotation', () => {
  it('slack.verify(): signingSecret: [old, signing] (rotation) → verified', () => {
    const provider = slack({ signingSecret: [OTHER, SECRET] });
    expect(() => verify(slackSign(EVENT), EVENT, NOW, provider)).not.toThrow();
    expect(() => verify(slackSign(EVENT, OTHER), EVENT, NOW, provider)).not.toThrow();
  });
});

describe('slack.verify(): replay window', () => {
  const signature = slackSign(EVENT);

  it('slack.verify(): timestamp exactly 300 s old → verified', () => {
    expect(verify(signature, EVENT, NOW + 300).timestamp).toBe(NOW);
  });

  it('slack.verify(): timestamp 301 s old → timestamp_too_old', () => {
    expectWebhookError(() => verify(signature, EVENT, NOW + 301), 'timestamp_too_old');
  });

  it('slack.verify(): timestamp 301 s in the future → timestamp_in_future', () => {
    expectWebhookError(() => verify(signature, EVENT, NOW - 301), 'timestamp_in_future');
  });

  it('slack.verify(): toleranceSeconds: 30 → 30 s old verified, 31 s old timestamp_too_old, 31 s ahead timestamp_in_future', () => {
    const provider = slack({ signingSecret: SECRET, toleranceSeconds: 30 });
    expect(() => verify(signature, EVENT, NOW + 30, provider)).not.toThrow();
    expectWebhookError(() => verify(signature, EVENT, NOW + 31, provider), 'timestamp_too_old');
    expectWebhookError(() => verify(signature, EVENT, NOW - 31, provider), 'timestamp_in_future');
  });

  it('slack(): toleranceSeconds 0 or negative → throws misconfigured naming the option', () => {
    for (const toleranceSeconds of [0, -300]) {
      const error = expectWebhookError(() => slack({ signingSecret: SECRET, toleranceSeconds }), 'misconfigured');
      expect(error.message).toContain('toleranceSeconds');
    }
  });
});

describe('slack(): options', () => {
  it('slack(): signingSecret "" / missing (even when `secret` is passed) → throws misconfigured naming `signingSecret`', () => {
    for (const options of [{ signingSecret: '' }, {}, { secret: SECRET }]) {
      const error = expectWebhookError(() => slack(options as never), 'misconfigured');
      expect(error.message).toContain('`signingSecret`');
    }
  });
});

describe('slack.parse() and handshake', () => {
  const provider = slack({ signingSecret: SECRET });
  const receive = (body: string, contentType = 'application/json') => {
    const verified = provider.verify({ headers: headersFor(slackSign(body), String(NOW), contentType), body, now: NOW });
    const parsed = provider.parse(verified);
    return { parsed, handshake: provider.handshake?.(parsed, verified) };
  };

  it('slack.parse(): event_callback → id = event_id, type = event.type; no handshake', () => {
    const { parsed, handshake } = receive(EVENT);
    expect(parsed).toMatchObject({ id: 'Ev0001', type: 'app_mention' });
    expect(handshake).toBeUndefined();
  });

  it('slack.parse(): interactivity form payload=<json> → type = payload.type (block_actions)', () => {
    const body = `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', actions: [{ value: 'ok' }] }))}`;
    const { parsed } = receive(body, 'application/x-www-form-urlencoded');
    expect(parsed.type).toBe('block_actions');
    expect(parsed.id).toBeUndefined();
  });

  it('slack.parse(): slash-command form → type = the command, payload = the form fields', () => {
    const { parsed } = receive(SLASH, 'application/x-www-form-urlencoded');
    expect(parsed.type).toBe('/weather');
    expect(parsed.payload).toMatchObject({ command: '/weather', text: '94070', team_id: 'T1' });
  });

  it('slack.handshake(): verified url_verification → 200 text/plain with exactly the challenge', () => {
    const challenge = '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P';
    const { parsed, handshake } = receive(JSON.stringify({ token: 't', challenge, type: 'url_verification' }));
    expect(parsed.type).toBe('url_verification');
    expect(handshake).toEqual({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: challenge });
  });

  it('slack.handshake(): url_verification without a string challenge → invalid_body', () => {
    const parsed = { type: 'url_verification', payload: { type: 'url_verification', challenge: 42 } };
    expectWebhookError(() => provider.handshake?.(parsed, { rawBody: new Uint8Array(), headers: {} }), 'invalid_body');
  });

  it('slack: url_verification with a wrong signature → signature_mismatch before any handshake', () => {
    const body = JSON.stringify({ challenge: 'c', type: 'url_verification' });
    expectWebhookError(() => verify(slackSign(body, OTHER), body), 'signature_mismatch');
  });
});

describe("slack: the unsigned ssl_check=1 probe (#13 item 9)", () => {
  const provider = slack({ signingSecret: SECRET });
  const probe = 'ssl_check=1&token=x&type=block_actions&event_id=EvNEW1';

  it('slack.verify() → a delivery with no bytes and no timestamp; parse() → type ssl_check, none of the sent fields; handshake() → 200 with an empty body', () => {
    const verified = provider.verify({ headers: headersFor(undefined, null, 'application/x-www-form-urlencoded'), body: probe, now: NOW });
    expect(verified.rawBody.byteLength).toBe(0);
    expect(verified.timestamp).toBeUndefined();
    const parsed = provider.parse(verified);
    expect(parsed).toEqual({ type: 'ssl_check', payload: { ssl_check: '1' } });
    expect(provider.handshake?.(parsed, verified)).toEqual({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '' });
  });

  it('verifyWebhook(slack, probe) → missing_header: it returns signed deliveries only', () => {
    expectWebhookError(() => verifyWebhook(provider, { headers: headersFor(undefined, null, 'application/x-www-form-urlencoded'), body: probe, now: NOW }), 'missing_header');
  });

  it('an unsigned probe labelled JSON, or ssl_check=0 → missing_header', () => {
    expectWebhookError(() => provider.verify({ headers: headersFor(undefined, null), body: probe, now: NOW }), 'missing_header');
    expectWebhookError(() => provider.verify({ headers: headersFor(undefined, null, 'application/x-www-form-urlencoded'), body: 'ssl_check=0', now: NOW }), 'missing_header');
  });
});

describe('slack.sign()', () => {
  const provider = slack({ signingSecret: SECRET });

  it('slack.sign(): v0= signature and timestamp headers → accepted by slack.verify() and equal to the hand-computed oracle', () => {
    for (const { body } of sampleBodies({ type: 'event_callback' })) {
      const signed = provider.sign({ body, timestamp: NOW });
      expect(signed.headers['x-slack-request-timestamp']).toBe(String(NOW));
      expect(signed.headers['x-slack-signature']).toBe(slackSign(body));
      expect(signed.headers['content-type']).toBe('application/json');
      expect(provider.verify({ headers: signed.headers, body: signed.body, now: NOW }).timestamp).toBe(NOW);
    }
  });

  it('slack.sign(): a form body is labelled application/x-www-form-urlencoded and parses as a form', () => {
    const signed = provider.sign({ body: SLASH, timestamp: NOW });
    expect(signed.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(provider.parse(provider.verify({ headers: signed.headers, body: signed.body, now: NOW })).type).toBe('/weather');
  });
});

describe('slack.parse(): which deliveries take the handler’s return value as the reply (#13)', () => {
  const parse = (body: string, contentType: string) => slack({ signingSecret: SECRET }).parse({ rawBody: Buffer.from(body), headers: { 'content-type': contentType } });
  const interaction = (type: string) => `payload=${encodeURIComponent(JSON.stringify({ type, user: { id: 'U1' } }))}`;

  it.each([
    ['an Events API event_callback', EVENT, 'application/json', undefined],
    ['url_verification', JSON.stringify({ type: 'url_verification', challenge: 'c' }), 'application/json', undefined],
    ['app_rate_limited', JSON.stringify({ type: 'app_rate_limited', minute_rate_limited: 1 }), 'application/json', undefined],
    ['a slash command', SLASH, 'application/x-www-form-urlencoded', true],
    ['block_actions', interaction('block_actions'), 'application/x-www-form-urlencoded', true],
    ['view_submission', interaction('view_submission'), 'application/x-www-form-urlencoded', true],
    ['shortcut', interaction('shortcut'), 'application/x-www-form-urlencoded', true],
    ['an unknown payload type', interaction('something_new'), 'application/x-www-form-urlencoded', undefined],
  ])('%s → expectsReply %s', (_label, body, contentType, expected) => {
    expect(parse(body, contentType).expectsReply).toBe(expected);
  });
});
