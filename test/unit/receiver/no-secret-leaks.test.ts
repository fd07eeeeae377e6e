import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createReceiver, providers, type DedupeStore, type Provider, type ReceiveResult } from '../../../src/index.js';
import { generateEd25519KeyPair, signRequest } from '../../../src/testing/index.js';
import { NOW, SECRET, SECRET_BYTES } from './_helpers.js';

const HMAC_SECRET = 'acme-hmac-secret-5d1c9e';
const STRIPE_SECRET = 'whsec_stripeSecretValue0123456789';
const GITHUB_SECRET = 'github-webhook-secret-77aa';
const SLACK_SECRET = 'slack-signing-secret-0f0f0f';
const SHOPIFY_SECRET = 'shpss_shopify-secret-abcdef';
const keys = generateEd25519KeyPair(new Uint8Array(32).fill(42));

interface Case {
  provider: Provider;
  impostor: Provider;
  signatureHeader: string;
  timestamped: boolean;
  type: string;
  payload: Record<string, unknown>;
}

const cases: Record<string, Case> = {
  standardWebhooks: {
    provider: providers.standardWebhooks({ secret: SECRET }),
    impostor: providers.standardWebhooks({ secret: `whsec_${Buffer.from('x'.repeat(32)).toString('base64')}` }),
    signatureHeader: 'webhook-signature',
    timestamped: true,
    type: 'invoice.paid',
    payload: { type: 'invoice.paid', data: { amount: 1 } },
  },
  hmac: {
    provider: acme(HMAC_SECRET),
    impostor: acme('wrong-secret'),
    signatureHeader: 'x-acme-signature',
    timestamped: true,
    type: 'order.created',
    payload: { event: 'order.created' },
  },
  stripe: {
    provider: providers.stripe({ secret: STRIPE_SECRET }),
    impostor: providers.stripe({ secret: 'whsec_wrong' }),
    signatureHeader: 'stripe-signature',
    timestamped: true,
    type: 'invoice.paid',
    payload: { id: 'evt_1', type: 'invoice.paid' },
  },
  github: {
    provider: providers.github({ secret: GITHUB_SECRET }),
    impostor: providers.github({ secret: 'wrong' }),
    signatureHeader: 'x-hub-signature-256',
    timestamped: false,
    type: 'issues.opened',
    payload: { action: 'opened' },
  },
  slack: {
    provider: providers.slack({ signingSecret: SLACK_SECRET }),
    impostor: providers.slack({ signingSecret: 'wrong' }),
    signatureHeader: 'x-slack-signature',
    timestamped: true,
    type: 'app_mention',
    payload: { type: 'event_callback', event_id: 'Ev1', event: { type: 'app_mention' } },
  },
  shopify: {
    provider: providers.shopify({ secret: SHOPIFY_SECRET }),
    impostor: providers.shopify({ secret: 'wrong' }),
    signatureHeader: 'x-shopify-hmac-sha256',
    timestamped: false,
    type: 'orders/create',
    payload: { id: 1 },
  },
  discord: {
    provider: providers.discord({ ...keys }),
    impostor: providers.discord({ ...generateEd25519KeyPair(new Uint8Array(32).fill(43)) }),
    signatureHeader: 'x-signature-ed25519',
    timestamped: true,
    type: 'APPLICATION_COMMAND',
    payload: { id: '5', type: 2, data: { name: 'x' } },
  },
};

function acme(secret: string): Provider {
  return providers.hmac({
    name: 'acme',
    secret,
    signatureHeader: 'x-acme-signature',
    signaturePrefix: 'sha256=',
    timestampHeader: 'x-acme-timestamp',
    idHeader: 'x-acme-id',
    signedContent: ({ timestamp, body }) => [`${timestamp}.`, body],
    locateType: (payload) => (payload as { event?: string }).event,
  });
}

/** Every form a secret or key could leak in: as configured, its key bytes as text, base64 and hex. */
const FORBIDDEN = [
  SECRET,
  SECRET.slice('whsec_'.length),
  SECRET_BYTES.toString('utf8'),
  SECRET_BYTES.toString('hex'),
  HMAC_SECRET,
  STRIPE_SECRET,
  GITHUB_SECRET,
  SLACK_SECRET,
  SHOPIFY_SECRET,
  keys.privateKey,
  keys.privateKey.slice('whsk_'.length),
  Buffer.from(keys.privateKey.slice('whsk_'.length), 'base64').toString('hex'),
  keys.publicKey.slice('whpk_'.length),
  Buffer.from(keys.publicKey.slice('whpk_'.length), 'base64').toString('hex'),
];

/** The long tokens of a signature header: the signature values themselves. */
function signatureTokens(headerValue: string): string[] {
  return headerValue.split(/[ ,=]/).filter((token) => token.length >= 20);
}

describe('refusals never reveal a secret, a key or the expected signature', () => {
  it('every refusal body and every reported error message, across providers and codes, holds no secret', async () => {
    const texts: string[] = [];
    const expectedSignatures: string[] = [];
    const codes = new Set<string>();
    const record = (result: ReceiveResult) => {
      texts.push(result.body, JSON.stringify(result.headers));
      const code = (JSON.parse(result.body) as { error?: { code: string } }).error?.code;
      expect(code, `expected a refusal, got ${result.status} ${result.body}`).toBeDefined();
      codes.add(code as string);
    };

    for (const [name, c] of Object.entries(cases)) {
      const leakyStore: DedupeStore = {
        claim: () => {
          throw new Error(`cannot reach store with ${FORBIDDEN.join(' ')}`);
        },
        complete: () => undefined,
        release: () => undefined,
      };
      const receiver = createReceiver({ provider: c.provider, unhandled: 'reject', maxBodyBytes: 4096, events: { [c.type]: z.object({ required: z.string() }) } });
      const failing = createReceiver({ provider: c.provider });
      const storeless = createReceiver({ provider: c.provider, dedupe: leakyStore });
      for (const r of [receiver, failing, storeless]) r.onError((error) => texts.push(error.message, JSON.stringify(error)));
      failing.onAny(() => {
        throw new Error(`handler failed holding ${FORBIDDEN.join(' ')}`);
      });
      storeless.onAny(() => undefined);

      const send = (target: Pick<typeof failing, 'receive'>, headers: Record<string, string>, body: string | Uint8Array, extra: { method?: string; now?: number } = {}) =>
        target.receive({ method: 'POST', headers, body, now: NOW, ...extra });
      const good = signRequest(c.provider, c.payload, { timestamp: NOW, type: c.type, id: `id-${name}` });
      const goodBody = good.body as string;

      // 400 missing_header: nothing signed
      record(await send(receiver, { 'content-type': 'application/json' }, goodBody));
      // 400 malformed_header: garbage in the signature header
      record(await send(receiver, { ...good.headers, [c.signatureHeader]: 'zz-not-a-signature-zz' }, goodBody));
      // 401 signature_mismatch: signed with another secret/key
      const forged = signRequest(c.impostor, c.payload, { timestamp: NOW, type: c.type });
      record(await send(receiver, forged.headers, forged.body));
      // 401 signature_mismatch: body changed after signing; the right signature for it must not appear
      const tampered = goodBody.replace('}', ',"tampered":true}');
      expectedSignatures.push(...signatureTokens(signRequest(c.provider, tampered, { timestamp: NOW, type: c.type, id: `id-${name}` }).headers[c.signatureHeader] as string));
      record(await send(receiver, good.headers, tampered));
      if (c.timestamped) {
        record(await send(receiver, good.headers, goodBody, { now: NOW + 10_000 })); // timestamp_too_old
        record(await send(receiver, good.headers, goodBody, { now: NOW - 10_000 })); // timestamp_in_future
      }
      // 400 invalid_body, signed
      const notJson = signRequest(c.provider, '{not json', { timestamp: NOW, type: c.type });
      record(await send(receiver, notJson.headers, notJson.body));
      // 422 schema_mismatch (with issues), and 422 unhandled
      receiver.on(c.type, () => undefined);
      record(await send(receiver, good.headers, goodBody));
      const otherType = signRequest(c.provider, { ...c.payload, type: 'zzz', event: 'zzz' }, { timestamp: NOW, type: 'zzz' });
      record(await send(receiver, otherType.headers, otherType.body));
      // 405, 413
      record(await send(receiver, good.headers, goodBody, { method: 'GET' }));
      record(await send(receiver, good.headers, 'x'.repeat(5000)));
      // 500 handler_failed, with the secret in the thrown message
      record(await send(failing, good.headers, goodBody));
      // 503 store_unavailable, with the secret in the store's error
      record(await send(storeless, good.headers, goodBody));
    }

    expect([...codes].sort()).toEqual(
      [
        'body_too_large',
        'handler_failed',
        'invalid_body',
        'malformed_header',
        'method_not_allowed',
        'missing_header',
        'schema_mismatch',
        'signature_mismatch',
        'store_unavailable',
        'timestamp_in_future',
        'timestamp_too_old',
      ].sort(),
    );
    expect(expectedSignatures.length).toBeGreaterThanOrEqual(Object.keys(cases).length);
    const all = texts.join('\n');
    for (const secret of [...FORBIDDEN, ...expectedSignatures]) expect(all, `leaked: ${secret}`).not.toContain(secret);
  });
});
