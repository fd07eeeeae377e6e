import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { sign as octokitSign, verify as octokitVerify } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { github } from '../../../src/providers/github.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// The oracle: @octokit/webhooks-methods signs and verifies (sha256 only in v6; sha1 is done by hand).
const SECRET = "It's a Secret to Everybody";
const OTHER = 'another-webhook-secret';
const BODY = JSON.stringify({ action: 'opened', issue: { number: 1, title: 'Café ☕' } });
const DELIVERY = '72d3162e-cc78-11e3-81ab-4c9367dc0958';

function headersFor(signature: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-GitHub-Event': 'issues', 'X-GitHub-Delivery': DELIVERY, ...extra };
  if (signature !== undefined) headers['X-Hub-Signature-256'] = signature;
  return headers;
}

function verify(signature: string | undefined, body: string | Uint8Array = BODY, provider = github({ secret: SECRET }), extra: Record<string, string> = {}) {
  return provider.verify({ headers: headersFor(signature, extra), body, now: NOW });
}

const sha1 = (body: string, secret = SECRET) => `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;

describe('github.verify(): accepts what @octokit/webhooks-methods signs', () => {
  for (const { name, body } of sampleBodies({ action: 'opened', zen: 'Keep it logically awesome.' })) {
    it(`github.verify(): ${name} signed by octokit sign() → verified, rawBody is the exact bytes`, async () => {
      const bytes = Buffer.from(body, 'utf8');
      const verified = verify(await octokitSign(SECRET, body), bytes);
      expect(verified.timestamp).toBeUndefined();
      expect(Buffer.compare(Buffer.from(verified.rawBody), bytes)).toBe(0);
    });
  }

  it('github.verify(): no timestamp is signed, so `now` does not matter → verified at any time', async () => {
    const provider = github({ secret: SECRET });
    const signature = await octokitSign(SECRET, BODY);
    expect(provider.toleranceSeconds).toBeUndefined();
    for (const now of [0, NOW + 10 * 365 * 86_400]) {
      expect(() => provider.verify({ headers: headersFor(signature), body: BODY, now })).not.toThrow();
    }
  });

  it('github.verify(): the form-encoded setting (payload=<json>) is verified over the raw form bytes', async () => {
    const form = `payload=${encodeURIComponent(BODY)}`;
    const verified = verify(await octokitSign(SECRET, form), form, undefined, { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(Buffer.from(verified.rawBody).toString()).toBe(form);
  });
});

describe('github.verify(): rejections', () => {
  it('github.verify(): one byte of the body changed → signature_mismatch', async () => {
    for (const { body } of sampleBodies({ action: 'opened' })) {
      const signature = await octokitSign(SECRET, body);
      expectWebhookError(() => verify(signature, tamper(body)), 'signature_mismatch');
    }
  });

  it('github.verify(): signed with another secret → signature_mismatch', async () => {
    const signature = await octokitSign(OTHER, BODY);
    expectWebhookError(() => verify(signature), 'signature_mismatch');
  });

  it('github.verify(): non-hex digest "sha256=xxx…" → signature_mismatch', async () => {
    const signature = (await octokitSign(SECRET, BODY)).replace('sha256=', 'sha256=xxx').slice(0, 71);
    expectWebhookError(() => verify(signature), 'signature_mismatch');
  });

  it('github.verify(): no X-Hub-Signature-256 (only the legacy sha1 header) → missing_header', () => {
    expectWebhookError(() => verify(undefined, BODY, undefined, { 'X-Hub-Signature': sha1(BODY) }), 'missing_header');
  });

  it('github.verify(): "foo" (no sha256= prefix) → malformed_header', () => {
    expectWebhookError(() => verify('foo'), 'malformed_header');
  });

  it('github.verify(): X-Hub-Signature-256 carrying a sha1= value → malformed_header', () => {
    expectWebhookError(() => verify(sha1(BODY)), 'malformed_header');
  });
});

describe('github(): rotation and options', () => {
  it('github.verify(): secret: [old, signing] (rotation) → verified', async () => {
    const provider = github({ secret: [OTHER, SECRET] });
    const signature = await octokitSign(SECRET, BODY);
    expect(() => verify(signature, BODY, provider)).not.toThrow();
    expectWebhookError(() => verify(signature, BODY, github({ secret: OTHER })), 'signature_mismatch');
  });

  it("github({ algorithm: 'sha1' }): reads X-Hub-Signature: sha1=<hex> → verified; a wrong one → signature_mismatch", () => {
    const provider = github({ secret: SECRET, algorithm: 'sha1' });
    const headers = { 'X-GitHub-Event': 'push', 'X-Hub-Signature': sha1(BODY) };
    expect(() => provider.verify({ headers, body: BODY, now: NOW })).not.toThrow();
    expectWebhookError(() => provider.verify({ headers: { 'X-Hub-Signature': sha1(BODY, OTHER) }, body: BODY, now: NOW }), 'signature_mismatch');
    expectWebhookError(() => provider.verify({ headers: { 'X-Hub-Signature-256': 'sha256=00' }, body: BODY, now: NOW }), 'missing_header');
  });

  it("github(): algorithm 'md5' → throws misconfigured naming `algorithm`", () => {
    const error = expectWebhookError(() => github({ secret: SECRET, algorithm: 'md5' as never }), 'misconfigured');
    expect(error.message).toContain('algorithm');
  });

  it('github(): secret "" / missing → throws misconfigured naming `secret`', () => {
    for (const options of [{ secret: '' }, {}]) {
      const error = expectWebhookError(() => github(options as never), 'misconfigured');
      expect(error.message).toContain('`secret`');
    }
  });

  it('github(): allows 25 MiB bodies (GitHub caps deliveries at 25 MiB)', () => {
    expect(github({ secret: SECRET }).maxBodyBytes).toBe(25 * 1024 * 1024);
  });
});

describe('github.parse()', () => {
  const provider = github({ secret: SECRET });
  const parse = (body: string, headers: Record<string, string>) => provider.parse({ rawBody: Buffer.from(body), headers });

  it("github.parse(): X-GitHub-Event issues + action 'opened' → type 'issues.opened', parentTypes ['issues'], id from X-GitHub-Delivery", () => {
    const parsed = parse(BODY, headersFor('ignored'));
    expect(parsed).toMatchObject({ id: DELIVERY, type: 'issues.opened', parentTypes: ['issues'] });
  });

  it("github.parse(): push (no action) → type 'push', no parentTypes", () => {
    const parsed = parse('{"ref":"refs/heads/main"}', headersFor('ignored', { 'X-GitHub-Event': 'push' }));
    expect(parsed.type).toBe('push');
    expect(parsed.parentTypes).toBeUndefined();
  });

  it('github.parse(): a non-string action is not a sub-type → type is the event alone', () => {
    expect(parse('{"action":7}', headersFor('ignored')).type).toBe('issues');
  });

  it('github.parse(): application/x-www-form-urlencoded payload=<json> → the JSON payload and its action', () => {
    const parsed = parse(`payload=${encodeURIComponent(BODY)}`, headersFor('ignored', { 'Content-Type': 'application/x-www-form-urlencoded' }));
    expect(parsed.payload).toEqual(JSON.parse(BODY));
    expect(parsed.type).toBe('issues.opened');
  });

  it('github.parse(): "Hello, World!" (verified, not JSON) → invalid_body', () => {
    expectWebhookError(() => parse('Hello, World!', headersFor('ignored', { 'Content-Type': 'text/plain' })), 'invalid_body');
  });
});

describe('github.sign()', () => {
  const provider = github({ secret: SECRET });

  it("github.sign({ type: 'issues.opened', id }): X-GitHub-Event 'issues', X-GitHub-Delivery = id → accepted by github.verify() and octokit verify()", async () => {
    const signed = provider.sign({ body: BODY, type: 'issues.opened', id: DELIVERY });
    expect(signed.headers).toMatchObject({ 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': DELIVERY });
    expect(signed.headers['x-hub-signature-256']).toBe(await octokitSign(SECRET, BODY));
    expect(await octokitVerify(SECRET, BODY, signed.headers['x-hub-signature-256'] as string)).toBe(true);
    const parsed = provider.parse(provider.verify({ headers: signed.headers, body: signed.body, now: NOW }));
    expect(parsed).toMatchObject({ id: DELIVERY, type: 'issues.opened', parentTypes: ['issues'] });
  });

  it('github.sign(): no type → misconfigured (GitHub carries it in X-GitHub-Event, #13 item 11); no id → a random UUID delivery id', () => {
    expectWebhookError(() => provider.sign({ body: '{"zen":"Design for failure."}' }), 'misconfigured');
    const signed = provider.sign({ body: '{"zen":"Design for failure."}', type: 'ping' });
    expect(signed.headers['x-github-event']).toBe('ping');
    expect(signed.headers['x-github-delivery']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(provider.sign({ body: '{}', type: 'ping' }).headers['x-github-delivery']).not.toBe(signed.headers['x-github-delivery']);
  });

  it('github.sign(): every sample body → accepted by octokit verify()', async () => {
    for (const { body } of sampleBodies({ action: 'created' })) {
      const signed = provider.sign({ body, type: 'issue_comment.created' });
      expect(await octokitVerify(SECRET, body, signed.headers['x-hub-signature-256'] as string)).toBe(true);
    }
  });

  it("github({ algorithm: 'sha1' }).sign(): writes X-Hub-Signature: sha1=<hex>", () => {
    const signed = github({ secret: SECRET, algorithm: 'sha1' }).sign({ body: BODY, type: 'issues.opened' });
    expect(signed.headers['x-hub-signature']).toBe(sha1(BODY));
  });
});
