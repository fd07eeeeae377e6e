import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { gitlab } from '../../../src/providers/gitlab.js';
import { tokenCheck } from '../../../src/providers/signature-check.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// GitLab signs nothing: it sends the webhook's secret token as is in X-Gitlab-Token
// (https://docs.gitlab.com/user/project/integrations/webhooks/#validate-payloads-by-using-a-secret-token).
// The request headers below are the ones that page lists for a delivery.
const TOKEN = 'gitlab-secret-token-hookguard';
const OTHER = 'gitlab-previous-token';
const IDEMPOTENCY = 'f4c5d7e2-2b7a-4d55-9c3e-1a2b3c4d5e6f';
const EVENT_UUID = '13792a34-cac6-4fda-95a8-c58e00a3954e';
const MR = JSON.stringify({ object_kind: 'merge_request', event_type: 'merge_request', object_attributes: { iid: 1, action: 'open', title: 'Café ☕' } });

function headersFor(token: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'GitLab/17.5.0', 'X-Gitlab-Event': 'Merge Request Hook', 'X-Gitlab-Event-UUID': EVENT_UUID, 'X-Gitlab-Webhook-UUID': '2b8f9c1d-0000-4000-8000-000000000001', 'X-Gitlab-Instance': 'https://gitlab.com', 'Idempotency-Key': IDEMPOTENCY, ...extra };
  if (token !== undefined) headers['X-Gitlab-Token'] = token;
  return headers;
}

function verify(token: string | undefined, body: string | Uint8Array = MR, provider = gitlab({ token: TOKEN }), extra: Record<string, string> = {}) {
  return provider.verify({ headers: headersFor(token, extra), body, now: NOW });
}

describe('gitlab.verify(): the shared token', () => {
  for (const { name, body } of sampleBodies({ object_kind: 'push' })) {
    it(`gitlab.verify(): ${name} with the right token → verified, rawBody is the exact bytes`, () => {
      const bytes = Buffer.from(body, 'utf8');
      const verified = verify(TOKEN, bytes);
      expect(verified.timestamp).toBeUndefined();
      expect(Buffer.compare(Buffer.from(verified.rawBody), bytes)).toBe(0);
    });
  }

  it('gitlab.verify(): nothing is signed, so a changed body still passes the token check (documented: use HTTPS)', () => {
    expect(() => verify(TOKEN, tamper(MR))).not.toThrow();
  });

  it('gitlab.verify(): a wrong token, a prefix of it, one byte more, or a different case → signature_mismatch', () => {
    for (const token of [OTHER, TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toUpperCase(), 'x']) {
      expectWebhookError(() => verify(token), 'signature_mismatch');
    }
  });

  it('gitlab.verify(): no X-Gitlab-Token (or an empty one) → missing_header', () => {
    expectWebhookError(() => verify(undefined), 'missing_header');
    expectWebhookError(() => verify(''), 'missing_header');
  });

  it('gitlab.verify(): token: [new, old] (rotation) → either verifies', () => {
    const provider = gitlab({ token: [TOKEN, OTHER] });
    expect(() => verify(TOKEN, MR, provider)).not.toThrow();
    expect(() => verify(OTHER, MR, provider)).not.toThrow();
  });

  it('gitlab(): token "" / missing (even with `secret`) → misconfigured naming `token`; no timestamp, no window', () => {
    for (const options of [{ token: '' }, {}, { secret: TOKEN }]) {
      expect(expectWebhookError(() => gitlab(options as never), 'misconfigured').message).toContain('`token`');
    }
    expect(gitlab({ token: TOKEN }).toleranceSeconds).toBeUndefined();
  });
});

describe('tokenCheck()', () => {
  const check = tokenCheck({ tokens: [Buffer.from(TOKEN), Buffer.from('Zoë-tøken')] });

  it('tokenCheck().matches(): any configured token (UTF-8 included) among the candidates → true; none → false', () => {
    expect(check.matches([], [TOKEN])).toBe(true);
    expect(check.matches([], ['nope', 'Zoë-tøken'])).toBe(true);
    expect(check.matches([], ['nope', `${TOKEN} `])).toBe(false);
    expect(check.matches([], [])).toBe(false);
  });

  it('tokenCheck().sign() → the first token', () => {
    expect(check.sign([])).toBe(TOKEN);
  });
});

describe('gitlab.parse()', () => {
  const provider = gitlab({ token: TOKEN });
  const parse = (body: string, extra: Record<string, string> = {}) => provider.parse({ rawBody: Buffer.from(body), headers: headersFor(TOKEN, extra) });

  it("gitlab.parse(): merge_request + action 'open' → type 'merge_request.open', parent 'merge_request'; id = Idempotency-Key", () => {
    expect(parse(MR)).toMatchObject({ id: IDEMPOTENCY, type: 'merge_request.open', parentTypes: ['merge_request'] });
  });

  it("gitlab.parse(): push (no action) → 'push'; before GitLab 17.4 (no Idempotency-Key) the id is X-Gitlab-Event-UUID", () => {
    const parsed = parse('{"object_kind":"push","ref":"refs/heads/main"}', { 'Idempotency-Key': '' });
    expect([parsed.type, parsed.parentTypes, parsed.id]).toEqual(['push', undefined, EVENT_UUID]);
  });

  it('gitlab.parse(): a body without object_kind → type from X-Gitlab-Event', () => {
    expect(parse('{"build_id":1}', { 'X-Gitlab-Event': 'Job Hook' }).type).toBe('Job Hook');
  });
});

describe('gitlab.sign()', () => {
  it("gitlab.sign({ type: 'merge_request.open', id }): the token, 'Merge Request Hook', Idempotency-Key = id → accepted by verify()", () => {
    const provider = gitlab({ token: TOKEN });
    const signed = provider.sign({ body: MR, type: 'merge_request.open', id: IDEMPOTENCY });
    expect(signed.headers).toMatchObject({ 'x-gitlab-token': TOKEN, 'x-gitlab-event': 'Merge Request Hook', 'idempotency-key': IDEMPOTENCY });
    const parsed = provider.parse(provider.verify({ headers: signed.headers, body: signed.body }));
    expect(parsed).toMatchObject({ id: IDEMPOTENCY, type: 'merge_request.open' });
    expect(provider.sign({ body: '{}' }).headers['x-gitlab-event']).toBe('Push Hook');
  });
});
