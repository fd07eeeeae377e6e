import type { HeadersLike } from './types.js';

/**
 * Looks a header up ignoring case, whatever shape the headers arrived in. A repeated header
 * (an array, or several pairs) is joined with ", " as HTTP allows. Returns undefined when absent.
 *
 * @example
 * getHeader({ 'Stripe-Signature': 't=1,v1=ab' }, 'stripe-signature') // 't=1,v1=ab'
 */
export function getHeader(headers: HeadersLike, name: string): string | undefined {
  const wanted = name.toLowerCase();
  if (isFetchHeaders(headers)) return headers.get(wanted) ?? undefined;
  if (isPlainRecord(headers)) {
    // Node lower-cases incoming names, so the direct hit is the common, fast case.
    const direct = headers[wanted];
    if (direct !== undefined) return joinValue(direct);
    for (const key in headers) {
      if (key.length === wanted.length && key.toLowerCase() === wanted) {
        const value = headers[key];
        if (value !== undefined) return joinValue(value);
      }
    }
    return undefined;
  }
  let found: string | undefined;
  for (const [key, value] of headers as Iterable<readonly [string, string]>) {
    if (key.toLowerCase() === wanted) found = found === undefined ? value : `${found}, ${value}`;
  }
  return found;
}

/** Copies headers into a plain record with lower-case names, for handlers to read. */
export function normalizeHeaders(headers: HeadersLike): Record<string, string> {
  const out: Record<string, string> = {};
  if (isFetchHeaders(headers)) {
    headers.forEach((value, key) => {
      out[key] = value;
    });
    return out;
  }
  if (isPlainRecord(headers)) {
    for (const key in headers) {
      const value = headers[key];
      if (value === undefined) continue;
      const lower = key.toLowerCase();
      const joined = joinValue(value);
      out[lower] = out[lower] === undefined ? joined : `${out[lower]}, ${joined}`;
    }
    return out;
  }
  for (const [key, value] of headers as Iterable<readonly [string, string]>) {
    const lower = key.toLowerCase();
    out[lower] = out[lower] === undefined ? value : `${out[lower]}, ${value}`;
  }
  return out;
}

function joinValue(value: string | readonly string[] | number): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return value.join(', ');
}

function isFetchHeaders(headers: HeadersLike): headers is Headers {
  return typeof (headers as Headers).get === 'function' && typeof (headers as Headers).forEach === 'function';
}

function isPlainRecord(
  headers: HeadersLike,
): headers is Record<string, string | readonly string[] | number | undefined> {
  return typeof (headers as Iterable<unknown>)[Symbol.iterator] !== 'function';
}
