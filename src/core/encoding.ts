import { Buffer } from 'node:buffer';

export type Encoding = 'hex' | 'base64' | 'base64url';

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * Decodes strictly: returns undefined for anything that is not exactly the encoding (Node's
 * `Buffer.from` silently skips junk, which would let "sha256=zz…" decode to a shorter digest).
 * Base64 padding is optional; a length that no padding could make valid is refused.
 */
export function decode(text: string, encoding: Encoding): Buffer | undefined {
  return decodedLength(text, encoding) === -1 ? undefined : Buffer.from(text, encoding);
}

/**
 * Like `decode`, into `target` instead of a new Buffer: true when `text` is strictly `encoding`
 * and decodes to exactly `target.byteLength` bytes (a digest), which are then written there.
 * Verifying a signature this way allocates nothing per candidate, and costs less than the
 * `Buffer.from` a hand-written verifier calls: this runs on every delivery, so the strictness is
 * checked without a regex, from what Node's decoders are known to do (the tests hold this
 * equal to `decode` over every one-character substitution, insertion and deletion):
 * - they read each character's low byte only (`Ł`, U+0141, decodes as `A`): ASCII is required;
 * - hex stops at the first pair that is not hex, so exactly `2n` characters giving `n` bytes
 *   are all hex;
 * - base64 skips what is not in its alphabet and stops at `=`, so the one length that holds
 *   `n` bytes, decoding to `n` bytes, has no junk; both names decode both alphabets, so the
 *   other alphabet's two characters are refused explicitly.
 */
export function decodeInto(text: string, encoding: Encoding, target: Buffer): boolean {
  const size = target.byteLength;
  if (Buffer.byteLength(text, 'utf8') !== text.length) return false;
  if (encoding === 'hex') return text.length === size * 2 && target.write(text, 'hex') === size;
  const unpadded = Math.ceil((size * 4) / 3);
  if (text.length !== unpadded && !(text.length === unpadded + (3 - (size % 3)) % 3 && isPadding(text, unpadded))) return false;
  const foreign = encoding === 'base64' ? text.includes('-') || text.includes('_') : text.includes('+') || text.includes('/');
  return !foreign && target.write(text, encoding) === size;
}

/** True when every character of `text` from `from` on is `=`. */
function isPadding(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) if (text.charCodeAt(i) !== 61) return false;
  return true;
}

/** How many bytes `text` decodes to, or -1 when it is not strictly `encoding`. */
function decodedLength(text: string, encoding: Encoding): number {
  if (encoding === 'hex') return HEX.test(text) ? text.length / 2 : -1;
  const pattern = encoding === 'base64' ? BASE64 : BASE64URL;
  if (!pattern.test(text)) return -1;
  const unpadded = text.endsWith('==') ? text.length - 2 : text.endsWith('=') ? text.length - 1 : text.length;
  if (unpadded % 4 === 1) return -1;
  if (text.length !== unpadded && text.length % 4 !== 0) return -1;
  return Math.floor((unpadded * 3) / 4);
}

/** Bytes → text in the given encoding (base64 padded; base64url unpadded, as RFC 4648 §5 uses it). */
export function encode(bytes: Uint8Array, encoding: Encoding): string {
  return toBuffer(bytes).toString(encoding);
}

/** A Buffer view over the same memory: never a copy. */
export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The raw body as bytes: a string is taken as UTF-8; bytes are passed through uncopied. */
export function bodyBytes(body: Uint8Array | string): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : toBuffer(body);
}
