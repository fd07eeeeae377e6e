import { Buffer } from 'node:buffer';
import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { WebhookError } from '../core/errors.js';
import { decode } from '../core/encoding.js';
import type { KeyHandle } from './key-handle.js';

/**
 * How a shared secret string becomes key bytes.
 * - `utf8`: the string's UTF-8 bytes (Stripe, GitHub, Slack, Shopify: a Stripe `whsec_…` is used whole).
 * - `whsec`: Standard Webhooks — an optional `whsec_` prefix, then standard base64 (padding optional).
 * - `base64` / `hex`: the decoded bytes.
 */
export type SecretFormat = 'utf8' | 'whsec' | 'base64' | 'hex';

/** A secret as the user passes it: text in `format`, or the key bytes themselves. */
export type SecretInput = string | Uint8Array;

/** Imports an HMAC secret once. Empty or undecodable secrets are a developer error: `misconfigured`. */
export function importSecret(secret: SecretInput, format: SecretFormat, option = 'secret'): KeyObject {
  const bytes = secretBytes(secret, format, option);
  if (bytes.byteLength === 0) {
    throw new WebhookError('misconfigured', `The \`${option}\` option is empty: pass the signing secret from the sender's dashboard.`);
  }
  return createSecretKey(bytes);
}

function secretBytes(secret: SecretInput, format: SecretFormat, option: string): Uint8Array {
  if (typeof secret !== 'string') {
    if (secret instanceof Uint8Array) return secret;
    throw new WebhookError('misconfigured', `The \`${option}\` option must be a string or a Uint8Array, got ${describe(secret)}.`);
  }
  if (format === 'utf8') return Buffer.from(secret, 'utf8');
  const text = format === 'whsec' && secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  const bytes = decode(text, format === 'hex' ? 'hex' : 'base64');
  if (!bytes) {
    const expected = format === 'whsec' ? 'a `whsec_`-prefixed base64 secret' : `${format} text`;
    throw new WebhookError('misconfigured', `The \`${option}\` option is not ${expected}.`);
  }
  return bytes;
}

/** Turns `secret: string | string[]` into the list of imported keys (rotation: any may verify). */
export function importSecrets(secrets: SecretInput | readonly SecretInput[] | undefined, format: SecretFormat, option = 'secret'): KeyObject[] {
  const list = toList(secrets, option);
  return list.map((secret) => importSecret(secret, format, option));
}

/** An Ed25519 public key, imported once: raw bytes for the portable backend, a KeyObject for node:crypto. */
export interface Ed25519PublicKey {
  readonly raw: Uint8Array;
  readonly keyObject: KeyHandle;
}

/** An Ed25519 private key (signing, for tests and senders). */
export interface Ed25519PrivateKey {
  readonly seed: Uint8Array;
  readonly keyObject: KeyHandle;
}

const PKCS8_ED25519_PREFIX = /* @__PURE__ */ Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * Imports an Ed25519 public key: `whpk_<base64>`, 64 hex characters (Discord), base64 of the
 * 32 raw bytes, or the bytes themselves.
 */
export function importPublicKey(key: SecretInput, option = 'publicKey'): Ed25519PublicKey {
  const raw = keyBytes(key, 'whpk_', option);
  if (raw.byteLength !== 32) {
    throw new WebhookError('misconfigured', `The \`${option}\` option must be a 32-byte Ed25519 public key (whpk_…, 64 hex characters or base64); it decodes to ${raw.byteLength} bytes.`);
  }
  if (hasSmallOrder(raw)) {
    // With A of small order, [k]A is (almost) the identity, so R = [S]B "verifies" any message:
    // node:crypto and tweetnacl both accept 01 00…00 ‖ 00…00 for every body under the identity key.
    throw new WebhookError('misconfigured', `The \`${option}\` option is a small-order Ed25519 point (such as the identity, 01 followed by zeros), under which forged signatures verify: it is not a real public key. Copy the key from the sender's dashboard again.`);
  }
  const keyObject = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
  return { raw, keyObject };
}

/**
 * The encodings of the eight small-order points (and their non-canonical forms y = p, p + 1),
 * the sign bit masked off: libsodium's `has_small_order` list.
 */
const SMALL_ORDER = /* @__PURE__ */ [
  '0000000000000000000000000000000000000000000000000000000000000000', // order 4
  '0100000000000000000000000000000000000000000000000000000000000000', // the identity (order 1)
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p - 1 (order 2)
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p, non-canonical 0 (order 4)
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p + 1, non-canonical identity
].map((hex) => Buffer.from(hex, 'hex'));

function hasSmallOrder(raw: Uint8Array): boolean {
  return SMALL_ORDER.some((point) => {
    for (let i = 0; i < 31; i++) if (raw[i] !== point[i]) return false;
    return ((raw[31] as number) & 0x7f) === point[31];
  });
}

export function importPublicKeys(keys: SecretInput | readonly SecretInput[] | undefined, option = 'publicKey'): Ed25519PublicKey[] {
  return toList(keys, option).map((key) => importPublicKey(key, option));
}

/**
 * Imports an Ed25519 private key: `whsk_<base64>`, hex or base64 of the 32-byte RFC 8032 seed,
 * or of the 64-byte seed‖public key form (tweetnacl's secretKey), or the bytes themselves.
 */
export function importPrivateKey(key: SecretInput, option = 'privateKey'): Ed25519PrivateKey {
  const bytes = keyBytes(key, 'whsk_', option);
  if (bytes.byteLength !== 32 && bytes.byteLength !== 64) {
    throw new WebhookError('misconfigured', `The \`${option}\` option must be a 32-byte Ed25519 seed or a 64-byte secret key; it decodes to ${bytes.byteLength} bytes.`);
  }
  const seed = bytes.subarray(0, 32);
  const keyObject = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  if (bytes.byteLength === 64) {
    // seed ‖ public key: a public half from another key pair would sign with one key and advertise another.
    const derived = createPublicKey(keyObject).export({ format: 'jwk' }).x;
    if (derived !== Buffer.from(bytes.subarray(32)).toString('base64url')) {
      throw new WebhookError('misconfigured', `The \`${option}\` option is a 64-byte key whose last 32 bytes are not the public key of its first 32 (the seed): pass the 32-byte seed alone.`);
    }
  }
  return { seed, keyObject };
}

function keyBytes(key: SecretInput, prefix: string, option: string): Uint8Array {
  if (key instanceof Uint8Array) return key;
  if (typeof key !== 'string' || key.length === 0) {
    throw new WebhookError('misconfigured', `The \`${option}\` option is empty or not a string.`);
  }
  const text = key.startsWith(prefix) ? key.slice(prefix.length) : key;
  const bytes = (/^[0-9a-fA-F]+$/.test(text) && (text.length === 64 || text.length === 128) ? decode(text, 'hex') : undefined) ?? decode(text, 'base64') ?? decode(text, 'base64url');
  if (!bytes) throw new WebhookError('misconfigured', `The \`${option}\` option is neither hex nor base64.`);
  return bytes;
}

function toList<T>(value: T | readonly T[] | undefined, option: string): T[] {
  const list = value === undefined ? [] : Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
  if (list.length === 0) {
    throw new WebhookError('misconfigured', `The \`${option}\` option is required: pass one value, or an array of them to rotate.`);
  }
  return list;
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value;
}
