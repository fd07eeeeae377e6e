import { randomBytes } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { WebhookError } from '../core/errors.js';
import { ed25519PublicKeyOf } from '../crypto/ed25519.js';
import type { Provider, SignedRequest } from '../providers/types.js';

export interface SignRequestOptions {
  /** Unix seconds; default now (so the delivery is fresh). */
  timestamp?: number;
  /** Delivery id for schemes that carry one in a header; default a new random id. */
  id?: string;
  /** Event type for schemes that send it as a header (GitHub `X-GitHub-Event`, Shopify `X-Shopify-Topic`). */
  type?: string;
  /** The request URL, for schemes that sign it. */
  url?: string;
  /** Extra headers, or overrides of the signed ones (to test a tampered request). */
  headers?: Record<string, string>;
}

/** What `signRequest` returns: headers and a body that `fetch`, supertest and `receiver.receive()` all take as they are. */
export interface SignedTestRequest {
  headers: Record<string, string>;
  /** `Uint8Array<ArrayBuffer>`, not `ArrayBufferLike`: under lib DOM only that is a `BodyInit`. */
  body: string | Uint8Array<ArrayBuffer>;
}

/**
 * Signs a payload the way `provider`'s sender would, for your handler tests. An object is
 * JSON-serialised; a string or bytes are sent as they are. With no options the result is a
 * fresh delivery that the same provider accepts.
 *
 * @example
 * const { headers, body } = signRequest(provider, { type: 'invoice.paid', data: { id: 'in_1', amount: 500 } });
 * await request(app).post('/webhooks').set(headers).send(body).expect(200);
 */
export function signRequest(provider: Provider, payload: unknown, options: SignRequestOptions = {}): SignedTestRequest {
  const body = typeof payload === 'string' || payload instanceof Uint8Array ? payload : toJson(payload);
  const signed: SignedRequest = provider.sign({
    body,
    ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
    ...(options.id !== undefined ? { id: options.id } : {}),
    ...(options.type !== undefined ? { type: options.type } : {}),
    ...(options.url !== undefined ? { url: options.url } : {}),
  });
  // `signed.body`: a sender may stamp the body it signs (Linear adds `webhookTimestamp`).
  return { headers: withOverrides(signed.headers, options.headers), body: fetchableBody(signed.body) };
}

/** The body as given (a Buffer stays a Buffer, as supertest needs), copied only when it views a SharedArrayBuffer. */
function fetchableBody(body: string | Uint8Array): string | Uint8Array<ArrayBuffer> {
  if (typeof body === 'string') return body;
  return body.buffer instanceof ArrayBuffer ? (body as Uint8Array<ArrayBuffer>) : new Uint8Array(body);
}

function toJson(payload: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(payload);
  } catch (cause) {
    throw new WebhookError('misconfigured', 'signRequest(): the payload cannot be serialised to JSON (a BigInt, or a cycle); pass a string or bytes.', { cause });
  }
  if (json === undefined) throw new WebhookError('misconfigured', 'signRequest(): the payload cannot be serialised to JSON; pass an object, a string or bytes.');
  return json;
}

/** `overrides` replace signed headers whatever their case (`Webhook-Id` replaces `webhook-id`), so a lookup never finds the old value first. */
function withOverrides(signed: Record<string, string>, overrides: Record<string, string> | undefined): Record<string, string> {
  if (overrides === undefined) return { ...signed };
  const replaced = new Set(Object.keys(overrides).map((name) => name.toLowerCase()));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed)) if (!replaced.has(name.toLowerCase())) headers[name] = value;
  return Object.assign(headers, overrides);
}

export interface Ed25519KeyPair {
  /** `whpk_<base64>`: accepted by `providers.discord` and `providers.standardWebhooks`. */
  publicKey: string;
  /** `whsk_<base64 of the 32-byte seed>`, for signing in tests. */
  privateKey: string;
}

/**
 * A fresh Ed25519 key pair, or the one of `seed` (32 bytes, RFC 8032): same seed, same keys.
 *
 * @example
 * const keys = generateEd25519KeyPair();
 * const provider = providers.discord({ ...keys });
 */
export function generateEd25519KeyPair(seed?: Uint8Array): Ed25519KeyPair {
  // Only an absent seed means random: `null` or `0` is a mistake, not a request for fresh keys.
  const bytes = seed === undefined ? randomBytes(32) : seed;
  if (!(bytes instanceof Uint8Array) || bytes.byteLength !== 32) {
    throw new WebhookError('misconfigured', 'generateEd25519KeyPair(seed): the seed must be a 32-byte Uint8Array.');
  }
  return {
    publicKey: `whpk_${Buffer.from(ed25519PublicKeyOf(bytes)).toString('base64')}`,
    privateKey: `whsk_${Buffer.from(bytes).toString('base64')}`,
  };
}
