import type { HeadersLike } from './types.js';

/**
 * Looks a header up ignoring case, whatever shape the headers arrived in. A repeated header
 * (an array, or several pairs) is joined with ", " as HTTP allows. Returns undefined when absent.
 *
 * @example
 * getHeader({ 'Stripe-Signature': 't=1,v1=ab' }, 'stripe-signature') // 't=1,v1=ab'
 */
export function getHeader(headers: HeadersLike, name: string): string | undefined {
  return getLowerCaseHeader(headers, lowerCase(name));
}

/**
 * `getHeader` for a name that is already lower-case (providers lower-case theirs once, at
 * construction): the per-request lookup is then one property read on Node's headers object.
 */
export function getLowerCaseHeader(headers: HeadersLike, wanted: string): string | undefined {
  // The common case first: Node's own object, whose names are lower-cased own string fields.
  // A fetch `Headers` or a Map has no own field of that name (a method such as `get` is no string).
  const value = (headers as Record<string, unknown>)[wanted];
  if (typeof value === 'string' && Object.hasOwn(headers, wanted)) return value;
  if (isFetchHeaders(headers)) return fetchHeader(headers, wanted);
  if (isPlainRecord(headers)) {
    // Node lower-cases incoming names, so the direct hit is the common, fast case. Own
    // properties only: `constructor` or `__proto__` must not be read off Object.prototype.
    const direct = Object.hasOwn(headers, wanted) ? headers[wanted] : undefined;
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

/** `Headers.get` throws for a name fetch cannot carry (`:authority`, one with a space): such a header is simply absent. */
function fetchHeader(headers: Headers, name: string): string | undefined {
  try {
    return headers.get(name) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Copies headers into a plain record with lower-case names, for handlers to read. Built
 * through a Map, so a sender's `constructor` or `__proto__` header is an ordinary own field.
 */
export function normalizeHeaders(headers: HeadersLike): Record<string, string> {
  const out = new Map<string, string>();
  const add = (key: string, value: string): void => {
    const lower = key.toLowerCase();
    const previous = out.get(lower);
    out.set(lower, previous === undefined ? value : `${previous}, ${value}`);
  };
  if (isFetchHeaders(headers)) {
    headers.forEach((value, key) => add(key, value));
  } else if (isPlainRecord(headers)) {
    for (const key in headers) {
      const value = headers[key];
      if (value !== undefined) add(key, joinValue(value));
    }
  } else {
    for (const [key, value] of headers as Iterable<readonly [string, string]>) add(key, value);
  }
  return Object.fromEntries(out);
}

/**
 * `name.toLowerCase()`, remembered: names come from code (a handful per provider), and this runs
 * several times per request. Bounded, in case a caller passes names taken from requests.
 */
const lowered = new Map<string, string>();

function lowerCase(name: string): string {
  let lower = lowered.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (lowered.size < 256) lowered.set(name, lower);
  }
  return lower;
}

function joinValue(value: string | readonly string[] | number): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return value.join(', ');
}

/** Fetch `Headers` (any implementation): `get` ignores case. A Map also has get/forEach but no `append`, and is case-sensitive. */
function isFetchHeaders(headers: HeadersLike): headers is Headers {
  const candidate = headers as Headers;
  return typeof candidate.get === 'function' && typeof candidate.forEach === 'function' && typeof candidate.append === 'function';
}

function isPlainRecord(
  headers: HeadersLike,
): headers is Record<string, string | readonly string[] | number | undefined> {
  return typeof (headers as Iterable<unknown>)[Symbol.iterator] !== 'function';
}
