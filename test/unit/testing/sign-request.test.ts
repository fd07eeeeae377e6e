import { Buffer } from 'node:buffer';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createReceiver, getHeader, isWebhookError, providers, type Delivery, type Provider, type WebhookError } from '../../../src/index.js';
import { generateEd25519KeyPair, signRequest } from '../../../src/testing/index.js';
import { codeOf } from '../../helpers/webhook-error.js';

const NOW = 1_700_000_000;
const SWH_SECRET = `whsec_${Buffer.from('sign-request-test-secret-32bytes').toString('base64')}`;
const keys = generateEd25519KeyPair(new Uint8Array(32).fill(1));

const presets: Record<string, () => Provider> = {
  standardWebhooks: () => providers.standardWebhooks({ secret: SWH_SECRET }),
  'standardWebhooks (svix prefix)': () => providers.standardWebhooks({ secret: SWH_SECRET, headerPrefix: 'svix' }),
  'standardWebhooks (v1a Ed25519)': () => providers.standardWebhooks({ ...keys }),
  hmac: () =>
    providers.hmac({
      secret: 'hmac-sign-secret',
      signatureHeader: 'x-sig',
      signaturePrefix: 'sha256=',
      timestampHeader: 'x-ts',
      idHeader: 'x-id',
      signedContent: ({ timestamp, body }) => [`${timestamp}.`, body],
      locateType: (payload) => (payload as { type?: string }).type,
    }),
  stripe: () => providers.stripe({ secret: 'whsec_stripe_sign_secret' }),
  github: () => providers.github({ secret: 'github-sign-secret' }),
  slack: () => providers.slack({ signingSecret: 'slack-sign-secret' }),
  shopify: () => providers.shopify({ secret: 'shopify-sign-secret' }),
  discord: () => providers.discord({ ...keys }),
};

const payload = { id: 'evt_1', type: 'thing.happened', event_id: 'Ev1', data: { n: 1, text: 'caf\u00e9 \u2603' } };

/** Receives `signed` with a receiver over `provider`; returns the answer and what onAny saw. */
async function roundTrip(provider: Provider, signed: { headers: Record<string, string>; body: string | Uint8Array }, now = NOW) {
  const receiver = createReceiver({ provider });
  const seen: Delivery[] = [];
  receiver.onAny((delivery) => {
    seen.push(delivery);
  });
  const result = await receiver.receive({ method: 'POST', headers: signed.headers, body: signed.body, now });
  return { result, seen };
}

function code(result: { body: string }): string | undefined {
  return (JSON.parse(result.body) as { error?: { code: string } }).error?.code;
}

describe('signRequest(): accepted by the same provider through receiver.receive()', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW * 1000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const json = JSON.stringify(payload);
  const forms: [string, () => unknown][] = [
    ['an object', () => payload],
    ['a string', () => json],
    ['a Uint8Array', () => new Uint8Array(Buffer.from(json))],
    ['a Buffer', () => Buffer.from(json)],
  ];

  for (const [name, build] of Object.entries(presets)) {
    // GitHub carries the type only in a header, so it must be given (#13 item 11); the others need no options.
    const options = name === 'github' ? { type: 'ping' } : {};
    it.each(forms)(`${name}: signRequest(provider, %s${name === 'github' ? ", { type: 'ping' }" : ''}) → 200, handler sees the payload`, async (_label, form) => {
      const provider = build();
      const signed = signRequest(provider, form(), options);
      const { result, seen } = await roundTrip(provider, signed);
      expect([result.status, code(result)]).toEqual([200, undefined]);
      expect(seen).toHaveLength(1);
      expect((seen[0] as Delivery).payload).toEqual(payload);
      expect(Buffer.from((seen[0] as Delivery).rawBody).toString('utf8')).toBe(json);
    });
  }

  it('an object payload is JSON-serialised: the body is exactly JSON.stringify(payload)', () => {
    expect(signRequest(presets.stripe!(), payload).body).toBe(JSON.stringify(payload));
  });

  it('a string or bytes payload is sent exactly as given', () => {
    const bytes = new Uint8Array([0x7b, 0x7d]);
    expect(signRequest(presets.stripe!(), ' {"a":1} ').body).toBe(' {"a":1} ');
    expect(signRequest(presets.stripe!(), bytes).body).toBe(bytes);
  });

  it('with no options the timestamp is now and each call gets a new id', () => {
    const provider = presets.standardWebhooks!();
    const a = signRequest(provider, payload);
    const b = signRequest(provider, payload);
    expect(a.headers['webhook-timestamp']).toBe(String(NOW));
    expect(a.headers['webhook-id']).toMatch(/\S{8,}/);
    expect(a.headers['webhook-id']).not.toBe(b.headers['webhook-id']);
  });

  it('GitHub: no type → misconfigured (it used to send a ping no handler saw, #13 item 11); { type: "ping" } → X-GitHub-Event: ping with a delivery id', async () => {
    const provider = presets.github!();
    expect(codeOf(() => signRequest(provider, { zen: 'Keep it logically awesome.' }))).toEqual([500, 'misconfigured']);
    const signed = signRequest(provider, { zen: 'Keep it logically awesome.' }, { type: 'ping' });
    expect(getHeader(signed.headers, 'x-github-event')).toBe('ping');
    expect(getHeader(signed.headers, 'x-github-delivery')).toMatch(/^[0-9a-f-]{36}$/);
    const { seen } = await roundTrip(provider, signed);
    expect(seen.map((delivery) => delivery.type)).toEqual(['ping']);
  });

  it('GitHub: type "issues.opened" sends X-GitHub-Event: issues; the receiver routes it as issues.opened', async () => {
    const provider = presets.github!();
    const signed = signRequest(provider, { action: 'opened' }, { type: 'issues.opened' });
    expect(getHeader(signed.headers, 'x-github-event')).toBe('issues');
    const { seen } = await roundTrip(provider, signed);
    expect(seen.map((delivery) => delivery.type)).toEqual(['issues.opened']);
  });

  it('Shopify: the topic defaults to orders/create and options.type overrides it', async () => {
    const provider = presets.shopify!();
    expect(getHeader(signRequest(provider, {}).headers, 'x-shopify-topic')).toBe('orders/create');
    const signed = signRequest(provider, { id: 1 }, { type: 'products/update' });
    expect(getHeader(signed.headers, 'x-shopify-topic')).toBe('products/update');
    const { seen } = await roundTrip(provider, signed);
    expect(seen.map((delivery) => delivery.type)).toEqual(['products/update']);
  });
});

describe('signRequest(): options override', () => {
  const provider = presets.standardWebhooks!();

  it('options.timestamp is the signed timestamp: accepted at that time, refused 400 s later', async () => {
    const signed = signRequest(provider, payload, { timestamp: NOW - 1000 });
    expect(signed.headers['webhook-timestamp']).toBe(String(NOW - 1000));
    expect((await roundTrip(provider, signed, NOW - 1000)).result.status).toBe(200);
    const late = await roundTrip(provider, signed, NOW - 600);
    expect([late.result.status, code(late.result)]).toEqual([401, 'timestamp_too_old']);
  });

  it('options.id is the delivery id handlers see', async () => {
    const signed = signRequest(provider, payload, { timestamp: NOW, id: 'msg_chosen' });
    expect(signed.headers['webhook-id']).toBe('msg_chosen');
    const { seen } = await roundTrip(provider, signed);
    expect(seen[0]?.id).toBe('msg_chosen');
  });

  it('options.headers adds headers that reach the handler', async () => {
    const signed = signRequest(provider, payload, { timestamp: NOW, headers: { 'X-Request-Id': 'r1' } });
    const { seen } = await roundTrip(provider, signed);
    expect(seen[0]?.headers['x-request-id']).toBe('r1');
  });

  it('options.headers replaces a signed header whatever its case (tampering test): 401 signature_mismatch', async () => {
    const signed = signRequest(provider, payload, { timestamp: NOW, headers: { 'Webhook-Id': 'msg_tampered' } });
    expect(Object.keys(signed.headers).filter((name) => name.toLowerCase() === 'webhook-id')).toEqual(['Webhook-Id']);
    expect(getHeader(signed.headers, 'webhook-id')).toBe('msg_tampered');
    const { result, seen } = await roundTrip(provider, signed);
    expect([result.status, code(result)]).toEqual([401, 'signature_mismatch']);
    expect(seen).toEqual([]);
  });

  it('options.headers can replace the signature itself: 401 signature_mismatch', async () => {
    const other = signRequest(provider, { other: true }, { timestamp: NOW });
    const signed = signRequest(provider, payload, { timestamp: NOW, headers: { 'webhook-signature': other.headers['webhook-signature'] as string } });
    const { result } = await roundTrip(provider, signed);
    expect([result.status, code(result)]).toEqual([401, 'signature_mismatch']);
  });

  it.each([
    ['undefined', undefined],
    ['a function', () => 1],
    ['a BigInt', { amount: 10n }],
  ])('signRequest(provider, %s) → throws misconfigured', (_label, value) => {
    let thrown: unknown;
    try {
      signRequest(provider, value);
    } catch (error) {
      thrown = error;
    }
    expect(isWebhookError(thrown)).toBe(true);
    expect((thrown as WebhookError).code).toBe('misconfigured');
  });
});

describe('generateEd25519KeyPair()', () => {
  const RFC8032_SEED = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
  const RFC8032_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

  const publicHex = (publicKey: string) => Buffer.from(publicKey.replace(/^whpk_/, ''), 'base64').toString('hex');

  it('RFC 8032 test 1: seed 9d61b19d… → public key d75a9801…', () => {
    const pair = generateEd25519KeyPair(new Uint8Array(RFC8032_SEED));
    expect(pair.publicKey.startsWith('whpk_')).toBe(true);
    expect(publicHex(pair.publicKey)).toBe(RFC8032_PUBLIC);
    expect(pair.privateKey).toBe(`whsk_${RFC8032_SEED.toString('base64')}`);
  });

  it('the same seed gives the same keys; a seed given as a Buffer view at an offset works too', () => {
    const padded = Buffer.concat([Buffer.from([0xaa, 0xbb, 0xcc]), RFC8032_SEED]);
    const view = padded.subarray(3);
    expect(generateEd25519KeyPair(view)).toEqual(generateEd25519KeyPair(new Uint8Array(RFC8032_SEED)));
  });

  it('without a seed each pair is new and random', () => {
    const a = generateEd25519KeyPair();
    const b = generateEd25519KeyPair();
    expect(a.publicKey).not.toBe(b.publicKey);
    expect(a.privateKey).not.toBe(b.privateKey);
    expect(Buffer.from(a.publicKey.slice(5), 'base64')).toHaveLength(32);
    expect(Buffer.from(a.privateKey.slice(5), 'base64')).toHaveLength(32);
  });

  it.each([
    ['standardWebhooks', (pair: ReturnType<typeof generateEd25519KeyPair>) => providers.standardWebhooks({ ...pair })],
    ['discord', (pair: ReturnType<typeof generateEd25519KeyPair>) => providers.discord({ ...pair })],
  ])('spreads into providers.%s({ ...keys }): it signs, and a provider with only the public key verifies', async (name, build) => {
    const pair = generateEd25519KeyPair();
    const signer = build(pair);
    const verifierOnly = name === 'discord' ? providers.discord({ publicKey: pair.publicKey }) : providers.standardWebhooks({ publicKey: pair.publicKey });
    const interaction = { id: '1', type: 2, data: { name: 'x' } };
    const signed = signRequest(signer, interaction, { timestamp: NOW });
    const { result, seen } = await roundTrip(verifierOnly, signed);
    expect([result.status, code(result)]).toEqual([200, undefined]);
    expect(seen[0]?.payload).toEqual(interaction);
    // and a different key pair's provider refuses it
    const stranger = generateEd25519KeyPair();
    const refused = await roundTrip(name === 'discord' ? providers.discord({ publicKey: stranger.publicKey }) : providers.standardWebhooks({ publicKey: stranger.publicKey }), signed);
    expect([refused.result.status, code(refused.result)]).toEqual([401, 'signature_mismatch']);
  });

  it.each([
    ['31 bytes', new Uint8Array(31)],
    ['33 bytes', new Uint8Array(33)],
    ['empty', new Uint8Array(0)],
    ['a hex string', '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'],
    ['an array of numbers', Array.from({ length: 32 }, () => 1)],
    ['null', null],
  ])('generateEd25519KeyPair(seed = %s) → throws misconfigured', (_label, seed) => {
    let thrown: unknown;
    try {
      generateEd25519KeyPair(seed as unknown as Uint8Array);
    } catch (error) {
      thrown = error;
    }
    expect(isWebhookError(thrown)).toBe(true);
    expect((thrown as WebhookError).code).toBe('misconfigured');
  });
});
