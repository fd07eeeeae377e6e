import { Buffer } from 'node:buffer';
import { createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { WebhookError } from '../core/errors.js';
import type { Ed25519PrivateKey, Ed25519PublicKey } from './keys.js';
import type { SignedPart } from './hmac.js';

export type Ed25519Backend = 'node' | 'tweetnacl';

/** The portable implementation, registered by `useTweetnacl()` from 'hookguard/tweetnacl'. */
export interface PortableEd25519 {
  verify(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean;
  sign(message: Uint8Array, seed: Uint8Array): Uint8Array;
}

let portable: PortableEd25519 | undefined;
/** Picked at first use, not at load, so importing this module costs nothing and shakes away. */
let backend: Ed25519Backend | undefined;

function detectBackend(): Ed25519Backend {
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) }, format: 'jwk' });
    nodeVerify(null, Buffer.alloc(0), key, Buffer.alloc(64));
    return 'node';
  } catch {
    return 'tweetnacl';
  }
}

/** Makes the portable backend available (and the default where node:crypto has no Ed25519). */
export function registerPortableEd25519(implementation: PortableEd25519): void {
  portable = implementation;
  backend = undefined;
}

/** Which backend verifies and signs now. */
export function ed25519Backend(): Ed25519Backend {
  return (backend ??= detectBackend());
}

/**
 * Forces a backend ('auto' re-detects). For tests that prove both agree, and for hosts whose
 * node:crypto shim lacks Ed25519. 'tweetnacl' needs `useTweetnacl()` from 'hookguard/tweetnacl' first.
 */
export function setEd25519Backend(choice: Ed25519Backend | 'auto'): void {
  if (choice === 'tweetnacl') requirePortable();
  backend = choice === 'auto' ? detectBackend() : choice;
}

function requirePortable(): PortableEd25519 {
  if (portable === undefined) {
    throw new WebhookError('misconfigured', "This runtime's node:crypto has no Ed25519 (or the tweetnacl backend was chosen): call useTweetnacl() from 'hookguard/tweetnacl' at start-up.");
  }
  return portable;
}

/** Ed25519 (RFC 8032, pure) signs the whole message, so the parts are joined once here. */
function message(parts: readonly SignedPart[]): Buffer {
  if (parts.length === 1) {
    const only = parts[0] as SignedPart;
    return typeof only === 'string' ? Buffer.from(only, 'utf8') : Buffer.from(only.buffer, only.byteOffset, only.byteLength);
  }
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part)));
}

/** The group order L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
const ORDER = /* @__PURE__ */ Buffer.from('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010', 'hex');

/**
 * RFC 8032 §5.1.7: S must be < L. node:crypto (OpenSSL) enforces it; tweetnacl does not, and
 * would accept S + L as a second valid signature of the same message (malleability), so the
 * two backends would disagree. Checked here so both give the same verdict.
 */
function canonicalScalar(signature: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    const s = signature[32 + i] as number;
    const l = ORDER[i] as number;
    if (s !== l) return s < l;
  }
  return false; // S == L
}

export function ed25519Verify(key: Ed25519PublicKey, parts: readonly SignedPart[], signature: Uint8Array): boolean {
  if (signature.byteLength !== 64) return false;
  const data = message(parts);
  if (ed25519Backend() === 'node') return nodeVerify(null, data, key.keyObject as KeyObject, signature);
  return canonicalScalar(signature) && requirePortable().verify(data, signature, key.raw);
}

export function ed25519Sign(key: Ed25519PrivateKey, parts: readonly SignedPart[]): Buffer {
  const data = message(parts);
  if (ed25519Backend() === 'node') return nodeSign(null, data, key.keyObject as KeyObject);
  return Buffer.from(requirePortable().sign(data, key.seed));
}

const PKCS8_ED25519_PREFIX = /* @__PURE__ */ Buffer.from('302e020100300506032b657004220420', 'hex');

/** The public key of a 32-byte seed (RFC 8032). */
export function ed25519PublicKeyOf(seed: Uint8Array): Uint8Array {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return Buffer.from(createPublicKey(privateKey).export({ format: 'jwk' }).x as string, 'base64url');
}
