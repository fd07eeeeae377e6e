import { timingSafeEqual as nodeTimingSafeEqual } from 'node:crypto';

/**
 * Constant-time byte comparison. The length check leaks only the length, which for a digest
 * is public (it is fixed by the algorithm), never how many leading bytes matched.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && nodeTimingSafeEqual(a, b);
}
