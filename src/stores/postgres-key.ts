import { createHash } from 'node:crypto';

/** Longest id kept as it is; a longer one is kept as its digest, so a row and its index entry stay small. */
export const MAX_PLAIN_KEY_LENGTH = 200;

// Lone surrogates and NUL cannot be stored in a Postgres `text` column.
const UNSTORABLE = /[\0]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The column value for a key: the key itself, or `#` + its SHA-256 (base64url) when it is long,
 * starts with `#`, or holds characters Postgres `text` refuses. Two keys never share a value.
 */
export function storedKey(key: string): string {
  if (key.length <= MAX_PLAIN_KEY_LENGTH && !key.startsWith('#') && !UNSTORABLE.test(key)) return key;
  return '#' + createHash('sha256').update(key, 'utf16le').digest('base64url');
}
