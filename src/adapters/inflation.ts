import { BodyBudget, type BodyTicket } from '../core/body-budget.js';
import { WebhookError } from '../core/errors.js';
import type { BodyReadLimits } from '../core/types.js';

/**
 * How far a compressed body may inflate: JSON compresses 5–20× (50× when very repetitive),
 * while a bomb inflates 1,000× (gzip) to millions of times (brotli). Past the ratio (measured
 * against the wire bytes received so far) the body is refused as too large, long before
 * `maxBodyBytes`; the first INFLATION_FLOOR bytes are always allowed, for tiny bodies.
 */
export const MAX_INFLATION_RATIO = 100;
export const INFLATION_FLOOR = 64 * 1024;

/** What a gzip/deflate decoder holds (32 KiB window, its state, one 16 KiB output chunk), rounded up. */
const ZLIB_DECODER_BYTES = 64 * 1024;

/** True once `decoded` bytes from `wire` bytes is more inflation than a webhook body has. */
export function inflatesTooMuch(decoded: number, wire: number): boolean {
  return decoded > INFLATION_FLOOR && decoded > wire * MAX_INFLATION_RATIO;
}

export function inflationTooHigh(): WebhookError {
  return new WebhookError(
    'body_too_large',
    `The compressed body inflates more than ${MAX_INFLATION_RATIO}× its size, which no webhook body does; send it uncompressed.`,
  );
}

/**
 * The memory a decoder for `encoding` will hold, taken from the budget before it is made. A
 * brotli stream names its window (up to 16 MiB) in its first bits (RFC 7932 §9.1), and the
 * decoder's ring buffer grows to it; gzip and deflate windows are 32 KiB.
 */
export function decoderBytes(encoding: string, firstByte: number | undefined): number {
  if (encoding !== 'br') return ZLIB_DECODER_BYTES;
  return 2 ** brotliWindowBits(firstByte ?? 0xff) + ZLIB_DECODER_BYTES;
}

/** WBITS from a brotli stream's first byte; a large-window stream (not decoded by Node) counts as the largest. */
function brotliWindowBits(byte: number): number {
  if ((byte & 1) === 0) return 16;
  const n = (byte >> 1) & 7;
  if (n !== 0) return 17 + n;
  const m = (byte >> 4) & 7;
  if (m === 1) return 24;
  return m === 0 ? 17 : 8 + m;
}

/** Limits with no budget and no idle timeout: for the readers' older `(req, limit)` form. */
export function plainLimits(maxBytes: number, timeoutMs: number | false): BodyReadLimits {
  return { maxBytes, timeoutMs, idleTimeoutMs: false, ticket: unbudgeted() };
}

function unbudgeted(): BodyTicket {
  return new BodyBudget(Number.MAX_SAFE_INTEGER).open();
}
