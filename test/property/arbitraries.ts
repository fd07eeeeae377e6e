/**
 * Generators shared by the property tests: bodies, header shapes, fresh deliveries, and the
 * verdict of one `verify` call (accepted, or the code of a WebhookError; anything else thrown
 * fails the property on the spot).
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { isWebhookError, type WebhookErrorCode } from '../../src/core/errors.js';
import type { BodyLike, HeadersLike } from '../../src/core/types.js';
import type { VerifiedDelivery } from '../../src/providers/types.js';
import type { Variant } from './presets.js';

/** Unix seconds around now-ish; every test passes `now` explicitly (no wall clock). */
export const timestamps = fc.integer({ min: 1_000_000_000, max: 4_000_000_000 });

/** Ids as senders write them: header-safe, 1–48 characters. */
export const ids = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,48}$/);

/**
 * Deterministic pseudo-random bytes of `length`: a 4 KiB xorshift block repeated (fast-check
 * builds big arrays element by element, which would dominate the run time).
 */
export function noise(seed: number, length: number): Buffer {
  const block = Buffer.allocUnsafe(Math.min(length, 4096));
  let x = seed | 0 || 1;
  for (let i = 0; i < block.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    block[i] = x & 0xff;
  }
  return length <= block.length ? block : Buffer.alloc(length, block);
}

const smallBodies = [
  { arbitrary: fc.uint8Array({ maxLength: 256 }) as fc.Arbitrary<BodyLike>, weight: 4 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 100 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 60 }), weight: 1 },
  { arbitrary: fc.json({ maxDepth: 2 }), weight: 3 },
  { arbitrary: fc.constantFrom<BodyLike>('', new Uint8Array(0), '{}', '\r\n', '\uFEFF{"a":1}'), weight: 1 },
];

/** Small bodies: raw bytes, unicode text (graphemes and lone surrogates), JSON, empty. */
export const smallBody: fc.Arbitrary<BodyLike> = fc.oneof(...smallBodies);

/** The same, and now and then a large one (4 KiB – 256 KiB of noise). */
export const anyBody: fc.Arbitrary<BodyLike> = fc.oneof(
  ...smallBodies,
  { arbitrary: fc.tuple(fc.integer(), fc.integer({ min: 4096, max: 262_144 })).map(([seed, length]) => noise(seed, length)), weight: 1 },
);

/** The bytes a body is on the wire. */
export function wire(body: BodyLike): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

export type Shape = 'record' | 'mixed-case' | 'headers' | 'pairs' | 'node-arrays' | 'map';
export const shapes = fc.constantFrom<Shape>('record', 'mixed-case', 'headers', 'pairs', 'node-arrays', 'map');

/**
 * The same headers in another shape a host may hand them over in. `headers` (fetch) refuses
 * values it cannot carry; those fall back to pairs (the shape it would have been on the wire).
 */
export function reshape(headers: Record<string, string | string[]>, shape: Shape, salt = 0): HeadersLike {
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) for (const item of Array.isArray(value) ? value : [value]) pairs.push([name, item]);
  switch (shape) {
    case 'record':
      return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]));
    case 'mixed-case':
      return Object.fromEntries(Object.entries(headers).map(([name, value], i) => [mixCase(name, salt + i), Array.isArray(value) ? value.join(', ') : value]));
    case 'node-arrays':
      return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value : [value]]));
    case 'pairs':
      return pairs;
    case 'map':
      return new Map(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]));
    case 'headers':
      try {
        const fetchHeaders = new Headers();
        for (const [name, value] of pairs) fetchHeaders.append(name, value);
        return fetchHeaders;
      } catch {
        return pairs;
      }
  }
}

function mixCase(name: string, salt: number): string {
  return [...name].map((c, i) => ((i + salt) % 3 === 0 ? c.toUpperCase() : c)).join('');
}

/** A fresh delivery signed by `variant.provider`: its headers, the body as sent, and what was signed. */
export interface Signed {
  headers: Record<string, string>;
  body: BodyLike;
  bytes: Buffer;
  timestamp: number;
  id: string;
  /** The URL the sender called (signed by Twilio; any URL for the others). */
  url: string;
}

export const DEFAULT_URL = 'https://hooks.example.test/webhooks';

export function signed(variant: Variant, body: BodyLike, timestamp: number, id: string): Signed {
  const request = variant.provider.sign({ body, timestamp, id, type: 'property.test', url: DEFAULT_URL });
  const url = (request as { url?: unknown }).url;
  // The body signed may not be the one given (Linear stamps its timestamp into it).
  return { headers: lowerCase(request.headers), body: request.body, bytes: wire(request.body), timestamp, id, url: typeof url === 'string' ? url : DEFAULT_URL };
}

export function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

export type Verdict = { accepted: VerifiedDelivery } | { code: WebhookErrorCode };

/** Runs one verification; a throw that is not a WebhookError is rethrown (it fails the property). */
export function verdict(run: () => VerifiedDelivery): Verdict {
  try {
    return { accepted: run() };
  } catch (error) {
    if (!isWebhookError(error)) throw new Error(`verify threw a non-WebhookError: ${String(error)}`, { cause: error });
    return { code: error.code };
  }
}

export function describeVerdict(v: Verdict): string {
  return 'code' in v ? v.code : 'accepted';
}
