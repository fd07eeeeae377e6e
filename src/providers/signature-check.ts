import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { KeyHandle as KeyObject } from '../crypto/key-handle.js';
import { decode, decodeInto, encode, type Encoding } from '../core/encoding.js';
import { timingSafeEqual } from '../core/timing-safe-equal.js';
import { ecdsaSign, ecdsaVerify, type DsaEncoding } from '../crypto/ecdsa.js';
import { ed25519Sign, ed25519Verify } from '../crypto/ed25519.js';
import { hmacDigest, type HmacAlgorithm, type SignedPart } from '../crypto/hmac.js';
import type { Ed25519PrivateKey, Ed25519PublicKey } from '../crypto/keys.js';
import { MAX_SIGNATURES } from './signature-header.js';

/** One way a signature can be valid (an algorithm, its keys, the version tag it answers to). */
export interface SignatureCheck {
  /** The version tag of the header entries this check reads ('' for schemes without tags). */
  readonly version: string;
  /** True when any candidate is a valid signature of `parts` under any key (rotation). */
  matches(parts: readonly SignedPart[], candidates: readonly string[]): boolean;
  /**
   * The most candidates one request may carry for this check, where each costs a full
   * verification per key over the whole body (Ed25519, ECDSA); more is `malformed_header`.
   */
  readonly maxCandidates?: number;
  /** False for a verify-only Ed25519 check (no private key). */
  readonly canSign: boolean;
  sign(parts: readonly SignedPart[]): string;
}

/** Strictly decodes at most MAX_SIGNATURES candidates; an undecodable one simply never matches. */
function decodeCandidates(candidates: readonly string[], encoding: Encoding, length?: number): Buffer[] {
  const decoded: Buffer[] = [];
  const limit = Math.min(candidates.length, MAX_SIGNATURES);
  for (let i = 0; i < limit; i++) {
    const bytes = decode(candidates[i] as string, encoding);
    if (bytes && (length === undefined || bytes.byteLength === length)) decoded.push(bytes);
  }
  return decoded;
}

/**
 * Public-key verifications one request may cost (candidates × keys): each hashes the whole
 * signed content, which no two can share (RFC 8032 hashes R and the key first). Room for a
 * sender rotating its key (2 signatures) against a receiver holding 3 keys.
 */
export const MAX_VERIFICATIONS = 6;

/** How many candidates a check with `keyCount` keys may try within MAX_VERIFICATIONS (at least one). */
function candidatesFor(keyCount: number): number {
  return Math.max(1, Math.floor(MAX_VERIFICATIONS / Math.max(1, keyCount)));
}

/** The signed content as one part: joined once per request, not once per verification. */
function joined(parts: readonly SignedPart[]): readonly SignedPart[] {
  if (parts.length === 1) return parts;
  return [Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part)))];
}

const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 };

/** HMAC: one digest per key (never per candidate), compared in constant time to every candidate. */
export function hmacCheck(options: { keys: readonly KeyObject[]; algorithm: HmacAlgorithm; encoding: Encoding; version?: string }): SignatureCheck {
  const { keys, algorithm, encoding } = options;
  const digestBytes = DIGEST_BYTES[algorithm];
  // Each candidate is decoded here in turn rather than into a Buffer of its own: `matches` is
  // synchronous, so nothing else can use it in between, and a request allocates nothing for it.
  const candidate = Buffer.alloc(digestBytes);
  const only = keys.length === 1 ? (keys[0] as KeyObject) : undefined;
  return {
    version: options.version ?? '',
    canSign: true,
    matches(parts, candidates) {
      // Digests are computed once, and only when some candidate decodes to a digest's length.
      let expected: Buffer | undefined;
      let rotated: Buffer[] | undefined;
      let matched = false;
      const limit = Math.min(candidates.length, MAX_SIGNATURES);
      for (let i = 0; i < limit; i++) {
        if (!decodeInto(candidates[i] as string, encoding, candidate)) continue;
        // No early exit: the work done must not depend on which key or candidate matched.
        if (only !== undefined) {
          expected ??= hmacDigest(only, algorithm, parts);
          matched = timingSafeEqual(expected, candidate) || matched;
        } else {
          rotated ??= keys.map((key) => hmacDigest(key, algorithm, parts));
          for (const digest of rotated) matched = timingSafeEqual(digest, candidate) || matched;
        }
      }
      return matched;
    },
    sign(parts) {
      return encode(hmacDigest(keys[0] as KeyObject, algorithm, parts), encoding);
    },
  };
}

/** Ed25519: each candidate against each public key. */
export function ed25519Check(options: {
  publicKeys: readonly Ed25519PublicKey[];
  privateKey?: Ed25519PrivateKey;
  encoding: Encoding;
  version?: string;
}): SignatureCheck {
  const { publicKeys, privateKey, encoding } = options;
  const maxCandidates = candidatesFor(publicKeys.length);
  return {
    version: options.version ?? '',
    canSign: privateKey !== undefined,
    maxCandidates,
    matches(parts, candidates) {
      const decoded = decodeCandidates(candidates.slice(0, maxCandidates), encoding, 64);
      if (decoded.length === 0) return false;
      const message = joined(parts);
      for (const key of publicKeys) {
        for (const candidate of decoded) if (ed25519Verify(key, message, candidate)) return true;
      }
      return false;
    },
    sign(parts) {
      if (!privateKey) throw new Error('unreachable: canSign is false');
      return encode(ed25519Sign(privateKey, parts), encoding);
    },
  };
}

/** A DER ECDSA-P256 signature is at most 72 bytes (2 × 33-byte INTEGERs + 6 bytes of framing); P1363 is exactly 64. */
const ECDSA_SIGNATURE_BYTES: Record<DsaEncoding, { min: number; max: number }> = { der: { min: 8, max: 72 }, 'ieee-p1363': { min: 64, max: 64 } };

/** ECDSA P-256 / SHA-256 (SendGrid): each candidate against each public key, as DER or IEEE-P1363 signatures. */
export function ecdsaCheck(options: {
  publicKeys: readonly KeyObject[];
  privateKey?: KeyObject;
  encoding: Encoding;
  dsaEncoding: DsaEncoding;
  version?: string;
}): SignatureCheck {
  const { publicKeys, privateKey, encoding, dsaEncoding } = options;
  const size = ECDSA_SIGNATURE_BYTES[dsaEncoding];
  const maxCandidates = candidatesFor(publicKeys.length);
  return {
    version: options.version ?? '',
    canSign: privateKey !== undefined,
    maxCandidates,
    matches(parts, candidates) {
      const decoded = decodeCandidates(candidates.slice(0, maxCandidates), encoding).filter((bytes) => bytes.byteLength >= size.min && bytes.byteLength <= size.max);
      if (decoded.length === 0) return false;
      const message = joined(parts);
      for (const key of publicKeys) {
        for (const candidate of decoded) if (ecdsaVerify(key, message, candidate, dsaEncoding)) return true;
      }
      return false;
    },
    sign(parts) {
      if (!privateKey) throw new Error('unreachable: canSign is false');
      return encode(ecdsaSign(privateKey, parts, dsaEncoding), encoding);
    },
  };
}

/**
 * A shared token sent as is (GitLab's `X-Gitlab-Token`): no HMAC, nothing is signed. Each
 * candidate is compared with every configured token through their SHA-256 digests, so the
 * compare is constant-time and leaks not even the token's length.
 *
 * @example
 * defineProvider({ name: 'acme', signatureHeader: 'x-acme-token', signatureFormat: prefixedSignature(''),
 *   checks: [tokenCheck({ tokens: [Buffer.from(process.env.ACME_TOKEN!)] })], signedContent: () => [] });
 */
export function tokenCheck(options: { tokens: readonly Uint8Array[]; version?: string }): SignatureCheck {
  const digests = options.tokens.map((token) => createHash('sha256').update(token).digest());
  return {
    version: options.version ?? '',
    canSign: true,
    matches(_parts, candidates) {
      let matched = false;
      const limit = Math.min(candidates.length, MAX_SIGNATURES);
      for (let i = 0; i < limit; i++) {
        const candidate = createHash('sha256').update(candidates[i] as string, 'utf8').digest();
        for (const digest of digests) matched = timingSafeEqual(digest, candidate) || matched;
      }
      return matched;
    },
    sign() {
      return Buffer.from(options.tokens[0] as Uint8Array).toString('utf8');
    },
  };
}
