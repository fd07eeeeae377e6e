/**
 * One configured preset per provider, and signing helpers that build a wire request the way
 * that sender would. Timestamps are the signer's "now" unless a case sets one: HTTP carries no
 * `now`, so freshness comes from signing right before sending (no sleeps, no fixed clock).
 */
import { randomBytes } from 'node:crypto';
import { providers } from '../../../src/providers/index.js';
import type { Provider } from '../../../src/providers/types.js';
import { generateEd25519KeyPair } from '../../../src/testing/index.js';
import { PATH, type WireRequest } from './types.js';

const whsec = () => `whsec_${randomBytes(32).toString('base64')}`;
const discordKeys = generateEd25519KeyPair();

export const SENDERS = {
  standardWebhooks: providers.standardWebhooks({ secret: whsec() }),
  svix: providers.standardWebhooks({ secret: whsec(), headerPrefix: 'svix' }),
  stripe: providers.stripe({ secret: whsec() }),
  github: providers.github({ secret: randomBytes(20).toString('hex') }),
  slack: providers.slack({ signingSecret: randomBytes(16).toString('hex') }),
  shopify: providers.shopify({ secret: `shpss_${randomBytes(16).toString('hex')}` }),
  discord: providers.discord({ ...discordKeys }),
} satisfies Record<string, Provider>;

/** The same scheme with a key the receivers do not have. */
export const STRANGERS = {
  standardWebhooks: providers.standardWebhooks({ secret: whsec() }),
  slack: providers.slack({ signingSecret: randomBytes(16).toString('hex') }),
  discord: providers.discord({ ...generateEd25519KeyPair() }),
} satisfies Record<string, Provider>;

export interface SignOptions {
  /** Sign with this provider instead (a stranger's key). */
  signer?: Provider;
  timestamp?: number;
  /** A fixed id, so every adapter's answer (an in_flight message names it) is the same. */
  id?: string;
  /** The event type for senders that put it in a header (GitHub, Shopify). */
  type?: string;
  /** Headers over (or, with `undefined`, instead of) the signed ones. */
  headers?: Record<string, string | undefined>;
  method?: string;
  path?: string;
  chunked?: boolean;
}

/** A POST to PATH that `provider`'s sender signed over exactly `body` (an object is JSON). */
export function signed(provider: Provider, body: unknown, options: SignOptions = {}): WireRequest {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const signer = options.signer ?? provider;
  const { headers } = signer.sign({
    body: bytes,
    ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
    ...(options.id !== undefined ? { id: options.id } : {}),
    ...(options.type !== undefined ? { type: options.type } : {}),
  });
  const merged: Record<string, string> = { ...headers };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  return { method: options.method ?? 'POST', path: options.path ?? PATH, headers: merged, body: bytes, ...(options.chunked ? { chunked: true } : {}) };
}

export const now = (): number => Math.floor(Date.now() / 1000);
