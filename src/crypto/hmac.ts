import { createHmac, type KeyObject } from 'node:crypto';
import type { KeyHandle } from './key-handle.js';

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** A piece of signed content: header text (ASCII) or body bytes, fed to the HMAC as-is. */
export type SignedPart = string | Uint8Array;

/**
 * HMAC over the concatenation of `parts`, streamed: each part is fed separately, so the body
 * is never copied or decoded to build one signed string.
 */
export function hmacDigest(key: KeyHandle, algorithm: HmacAlgorithm, parts: readonly SignedPart[]): Buffer {
  const mac = createHmac(algorithm, key as KeyObject);
  for (let i = 0; i < parts.length; i++) mac.update(parts[i] as SignedPart);
  return mac.digest();
}
