import { Buffer } from 'node:buffer';
import { Webhook } from 'svix';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clerk } from '../../../src/providers/clerk.js';
import { resend } from '../../../src/providers/resend.js';
import { svix } from '../../../src/providers/svix.js';
import type { Provider } from '../../../src/providers/types.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// The oracle: the svix@1 library (what Clerk and Resend tell you to verify with) signs with
// Webhook.sign and verifies with Webhook.verify; its clock is pinned to NOW.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER = 'whsec_6Wq3nR0aX5oGqfC0tG8yFh0b2LpMx1Dv';
const ID = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';

const svixSign = (body: string, secret = SECRET, timestamp = NOW) => new Webhook(secret).sign(ID, new Date(timestamp * 1000), body);

function headersFor(signature: string | null, timestamp: string | null = String(NOW), id: string | null = ID): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) headers['svix-signature'] = signature;
  if (timestamp !== null) headers['svix-timestamp'] = timestamp;
  if (id !== null) headers['svix-id'] = id;
  return headers;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
});
afterEach(() => {
  vi.useRealTimers();
});

const ALIASES: [string, (options: { secret: string | string[]; toleranceSeconds?: number }) => Provider, string][] = [
  ['svix', svix, 'invoice.paid'],
  ['clerk', clerk, 'user.created'],
  ['resend', resend, 'email.delivered'],
];

describe.each(ALIASES)('%s(): Standard Webhooks with svix-* headers', (name, build, type) => {
  const provider = build({ secret: SECRET });
  const verify = (headers: Record<string, string>, body: string | Uint8Array, now = NOW, using = provider) => using.verify({ headers, body, now });

  for (const { name: bodyName, body } of sampleBodies({ type, data: { id: 'x_1' } })) {
    it(`${name}.verify(): ${bodyName} signed by svix Webhook.sign → verified, rawBody is the exact bytes`, () => {
      const bytes = Buffer.from(body, 'utf8');
      const verified = verify(headersFor(svixSign(body)), bytes);
      expect(verified.timestamp).toBe(NOW);
      expect(Buffer.compare(Buffer.from(verified.rawBody), bytes)).toBe(0);
    });

    it(`${name}.sign(): ${bodyName} → svix Webhook.verify accepts it`, () => {
      const signed = provider.sign({ body, timestamp: NOW, id: ID });
      expect(signed.headers).toMatchObject({ 'svix-id': ID, 'svix-timestamp': String(NOW) });
      expect(new Webhook(SECRET).verify(body, signed.headers)).toEqual(JSON.parse(body));
    });
  }

  it(`${name}(): provider.name is "${name}", and parse() finds id = svix-id, type = payload.type`, () => {
    const body = JSON.stringify({ type, data: {} });
    expect(provider.name).toBe(name);
    expect(provider.parse(verify(headersFor(svixSign(body)), body))).toMatchObject({ id: ID, type });
  });

  it(`${name}.verify(): one byte changed → signature_mismatch; another secret → signature_mismatch`, () => {
    const body = JSON.stringify({ type });
    expectWebhookError(() => verify(headersFor(svixSign(body)), tamper(body)), 'signature_mismatch');
    expectWebhookError(() => verify(headersFor(svixSign(body, OTHER)), body), 'signature_mismatch');
  });

  it(`${name}.verify(): no svix-signature / svix-timestamp / svix-id (nor its webhook-* twin) → missing_header`, () => {
    const body = JSON.stringify({ type });
    const signature = svixSign(body);
    expectWebhookError(() => verify(headersFor(null), body), 'missing_header');
    expectWebhookError(() => verify(headersFor(signature, null), body), 'missing_header');
    expectWebhookError(() => verify(headersFor(signature, String(NOW), null), body), 'missing_header');
  });

  it(`${name}.verify(): the unbranded webhook-id / -timestamp / -signature, which svix's Webhook.verify accepts → verified; parse() finds the webhook-id (#13 item 9)`, () => {
    const body = JSON.stringify({ type });
    const standard = { 'webhook-id': ID, 'webhook-timestamp': String(NOW), 'webhook-signature': svixSign(body) };
    expect(new Webhook(SECRET).verify(body, standard)).toEqual({ type });
    const provider = build({ secret: SECRET });
    const verified = provider.verify({ headers: standard, body, now: NOW });
    expect(verified.headers).toBe(standard);
    expect(provider.parse(verified)).toMatchObject({ id: ID, type });
  });

  it(`${name}.verify(): 300 s old verified, 301 s → timestamp_too_old, 301 s ahead → timestamp_in_future; toleranceSeconds overrides`, () => {
    const body = JSON.stringify({ type });
    const headers = headersFor(svixSign(body));
    expect(() => verify(headers, body, NOW + 300)).not.toThrow();
    expectWebhookError(() => verify(headers, body, NOW + 301), 'timestamp_too_old');
    expectWebhookError(() => verify(headers, body, NOW - 301), 'timestamp_in_future');
    expectWebhookError(() => verify(headers, body, NOW + 61, build({ secret: SECRET, toleranceSeconds: 60 })), 'timestamp_too_old');
  });

  it(`${name}.verify(): secret: [old, new] (rotation) → either verifies`, () => {
    const body = JSON.stringify({ type });
    const rotating = build({ secret: [OTHER, SECRET] });
    expect(() => verify(headersFor(svixSign(body)), body, NOW, rotating)).not.toThrow();
    expect(() => verify(headersFor(svixSign(body, OTHER)), body, NOW, rotating)).not.toThrow();
  });

  it(`${name}(): secret "" / "whsec_" / missing → throws misconfigured`, () => {
    for (const options of [{ secret: '' }, { secret: 'whsec_' }, {}]) expectWebhookError(() => build(options as never), 'misconfigured');
  });
});
