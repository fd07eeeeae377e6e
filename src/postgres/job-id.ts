import { createHash } from 'node:crypto';

/**
 * The pg-boss job id of a delivery: a UUID (pg-boss ids are `uuid`) made from a SHA-256 of the
 * provider and the delivery id, so a resent delivery maps to the same job and can never be
 * confused with another id or with pg-boss's own keys. Version 8 (RFC 9562 "custom") bits set.
 */
export function bossJobIdFor(provider: string, id: string): string {
  const hash = createHash('sha256').update('hookguard.delivery\0').update(provider, 'utf8').update('\0').update(id, 'utf16le').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x80;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
