/**
 * Valid signed deliveries for every scheme, signed by hand with node:crypto (independently of
 * hookguard's own `sign`), with JSON bodies of an exact byte size.
 */
import { Buffer } from 'node:buffer';
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, sign as edSign } from 'node:crypto';

export type Scheme = 'standardWebhooks' | 'stripe' | 'github' | 'slack' | 'shopify' | 'discord';

export interface Delivery {
  /** Lower-case names, as Node's HTTP parser hands them over. */
  headers: Record<string, string>;
  body: Buffer;
  /** The body as a string, for peers that only take strings (@octokit/webhooks-methods). */
  text: string;
  /** Unix seconds the delivery was signed at (inject as `now`). */
  now: number;
}

/** What every process of one run shares (the parent makes it; servers and load generators read it from the environment). */
interface SecretMaterial {
  standardWebhooksKey: string;
  stripe: string;
  github: string;
  slack: string;
  shopify: string;
  /** PKCS#8 DER, base64. */
  discordPrivateKey: string;
}

export const SECRETS_ENV = 'HOOKGUARD_BENCH_SECRETS';

function material(): SecretMaterial {
  const shared = process.env[SECRETS_ENV];
  if (shared) return JSON.parse(shared) as SecretMaterial;
  const made: SecretMaterial = {
    standardWebhooksKey: randomBytes(24).toString('base64'),
    stripe: `whsec_${randomBytes(24).toString('hex')}`,
    github: `gh-${randomBytes(16).toString('hex')}`,
    slack: randomBytes(16).toString('hex'),
    shopify: `shpss_${randomBytes(16).toString('hex')}`,
    discordPrivateKey: generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
  process.env[SECRETS_ENV] = JSON.stringify(made); // inherited by every child process
  return made;
}

const made = material();
const discordPrivate = createPrivateKey({ key: Buffer.from(made.discordPrivateKey, 'base64'), format: 'der', type: 'pkcs8' });

/** Secrets and keys, made once per run and shared with child processes. */
export const secrets = {
  standardWebhooksKey: Buffer.from(made.standardWebhooksKey, 'base64'),
  standardWebhooks: `whsec_${made.standardWebhooksKey}`,
  stripe: made.stripe,
  github: made.github,
  slack: made.slack,
  shopify: made.shopify,
  discord: { privateKey: discordPrivate, publicKey: createPublicKey(discordPrivate) },
};

/** The 32 raw bytes of the Discord public key, as hex (what the Developer Portal shows). */
export const discordPublicKeyHex = (): string => Buffer.from(secrets.discord.publicKey.export({ format: 'jwk' }).x as string, 'base64url').toString('hex');

/** A realistic JSON document of exactly `size` bytes: `head` fields, an array of line items, padding. */
export function jsonBody(size: number, head: Record<string, unknown>): Buffer {
  const items: unknown[] = [];
  const build = (pad: string): string => JSON.stringify({ ...head, data: { object: { id: 'in_1MtHbE', amount: 1999, currency: 'usd', items } }, pad });
  for (let i = 0; build('').length + 80 < size; i++) {
    items.push({ id: `item_${String(i).padStart(6, '0')}`, qty: (i % 5) + 1, price: 1999 + i, name: `Widget ${i}` });
  }
  const base = build('');
  if (base.length > size) throw new Error(`jsonBody: ${size} bytes is too small for the head fields (${base.length}).`);
  const text = build('x'.repeat(size - base.length));
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.byteLength !== size) throw new Error('jsonBody: size mismatch');
  return bytes;
}

function hmac(key: string | Buffer, ...parts: (string | Buffer)[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** One valid delivery of `scheme` with a `size`-byte body, signed now. */
export function makeDelivery(scheme: Scheme, size: number, now = Math.floor(Date.now() / 1000)): Delivery {
  const ts = String(now);
  switch (scheme) {
    case 'standardWebhooks': {
      const id = `msg_${randomUUID().replaceAll('-', '')}`;
      const body = jsonBody(size, { type: 'invoice.paid', timestamp: new Date(now * 1000).toISOString() });
      const signature = hmac(secrets.standardWebhooksKey, `${id}.${ts}.`, body).toString('base64');
      return done({ 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1,${signature}` }, body, now);
    }
    case 'stripe': {
      const body = jsonBody(size, { id: `evt_${randomBytes(12).toString('hex')}`, object: 'event', type: 'invoice.paid' });
      const signature = hmac(secrets.stripe, `${ts}.`, body).toString('hex');
      return done({ 'content-type': 'application/json', 'stripe-signature': `t=${ts},v1=${signature}` }, body, now);
    }
    case 'github': {
      const body = jsonBody(size, { action: 'opened', issue: { number: 1 } });
      const signature = hmac(secrets.github, body).toString('hex');
      return done(
        { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': `sha256=${signature}` },
        body,
        now,
      );
    }
    case 'slack': {
      const body = jsonBody(size, { type: 'event_callback', event_id: `Ev${randomBytes(6).toString('hex')}`, event: { type: 'app_mention' } });
      const signature = hmac(secrets.slack, `v0:${ts}:`, body).toString('hex');
      return done({ 'content-type': 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': `v0=${signature}` }, body, now);
    }
    case 'shopify': {
      const body = jsonBody(size, { id: 820982911946154500, email: 'jon@example.com' });
      const signature = hmac(secrets.shopify, body).toString('base64');
      return done(
        { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create', 'x-shopify-webhook-id': randomUUID(), 'x-shopify-hmac-sha256': signature },
        body,
        now,
      );
    }
    case 'discord': {
      const body = jsonBody(size, { id: '1234567890123456789', type: 2, application_id: '111' });
      const signature = edSign(null, Buffer.concat([Buffer.from(ts), body]), secrets.discord.privateKey).toString('hex');
      return done({ 'content-type': 'application/json', 'x-signature-timestamp': ts, 'x-signature-ed25519': signature }, body, now);
    }
  }
}

function done(headers: Record<string, string>, body: Buffer, now: number): Delivery {
  return { headers, body, text: body.toString('utf8'), now };
}
