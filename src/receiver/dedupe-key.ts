import { createHash } from 'node:crypto';

/** Ids longer than this are stored as a digest: a sender's id is often unsigned, so its length is the attacker's. */
export const MAX_PLAIN_ID_LENGTH = 128;
/** Marks a digested id; a plain id starting with it is digested too, so a plain id never equals a digest. */
const DIGESTED = '#';

/**
 * The store key of a delivery id: `<namespace>:<id>`, where an id longer than 128 characters
 * (or starting with `#`) becomes `#<sha256 base64url>` — what one id costs a store is bounded,
 * and two ids never share a key. `receive()` and `queueReceiver` both key deliveries with it.
 *
 * @example
 * dedupeKey('github', '72d3162e-cc78-11e3-81ab-4c9367dc0958'); // 'github:72d3162e-…'
 */
export function dedupeKey(namespace: string, id: string): string {
  const plain = id.length <= MAX_PLAIN_ID_LENGTH && !id.startsWith(DIGESTED);
  return `${namespace}:${plain ? id : DIGESTED + createHash('sha256').update(id, 'utf8').digest('base64url')}`;
}
