import { Buffer } from 'node:buffer';
import { createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import nacl from 'tweetnacl';
import type { Ed25519PrivateKey, Ed25519PublicKey } from './keys.js';
import type { SignedPart } from './hmac.js';

export type Ed25519Backend = 'node' | 'tweetnacl';

/** Picked once at load: node:crypto where it supports Ed25519, tweetnacl elsewhere. */
let backend: Ed25519Backend = detectBackend();

function detectBackend(): Ed25519Backend {
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) }, format: 'jwk' });
    nodeVerify(null, Buffer.alloc(0), key, Buffer.alloc(64));
    return 'node';
  } catch {
    return 'tweetnacl';
  }
}

/** Which backend verifies and signs now. */
export function ed25519Backend(): Ed25519Backend {
  return backend;
}

/**
 * Forces a backend ('auto' re-detects). For tests that prove both agree, and for hosts whose
 * node:crypto shim lacks Ed25519.
 */
export function setEd25519Backend(choice: Ed25519Backend | 'auto'): void {
  backend = choice === 'auto' ? detectBackend() : choice;
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
const ORDER = Buffer.from('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010', 'hex');

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
  if (backend === 'node') return nodeVerify(null, data, key.keyObject, signature);
  return canonicalScalar(signature) && nacl.sign.detached.verify(data, signature, key.raw);
}

export function ed25519Sign(key: Ed25519PrivateKey, parts: readonly SignedPart[]): Buffer {
  const data = message(parts);
  if (backend === 'node') return nodeSign(null, data, key.keyObject);
  return Buffer.from(nacl.sign.detached(data, nacl.sign.keyPair.fromSeed(key.seed).secretKey));
}

/** The public key of a seed (RFC 8032), the same on both backends. */
export function ed25519PublicKeyOf(seed: Uint8Array): Uint8Array {
  return nacl.sign.keyPair.fromSeed(seed).publicKey;
}
