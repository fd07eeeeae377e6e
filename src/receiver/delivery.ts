import { normalizeHeaders } from '../core/headers.js';
import type { HeadersLike } from '../core/types.js';
import type { Delivery } from './types.js';

export type DeliveryFields = Omit<Delivery, 'headers'>;

/**
 * Lower-cased request headers, normalised once and only if a handler reads them; frozen, since
 * every handler of one delivery shares them.
 */
export function lazyHeaders(headers: HeadersLike): () => Readonly<Record<string, string>> {
  let normalized: Readonly<Record<string, string>> | undefined;
  return () => (normalized ??= Object.freeze(normalizeHeaders(headers)));
}

/**
 * A delivery as a handler receives it: a plain object whose `headers` is an own, enumerable
 * getter, so `{ ...delivery }` and `JSON.stringify(delivery)` keep the headers.
 */
export function createDelivery(fields: DeliveryFields, headers: () => Readonly<Record<string, string>>): Delivery {
  const delivery = { ...fields } as Delivery;
  Object.defineProperty(delivery, 'headers', { get: headers, enumerable: true, configurable: false });
  return delivery;
}
