import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { timingSafeEqual } from '../../../src/core/timing-safe-equal.js';

describe('timingSafeEqual()', () => {
  it('is true for equal bytes, Buffer or Uint8Array alike', () => {
    expect(timingSafeEqual(Buffer.from('abc'), Uint8Array.from([0x61, 0x62, 0x63]))).toBe(true);
    expect(timingSafeEqual(new Uint8Array(32), new Uint8Array(32))).toBe(true);
  });

  it('is false when one byte differs, first, middle or last', () => {
    const a = Buffer.alloc(32, 7);
    for (const index of [0, 16, 31]) {
      const b = Buffer.from(a);
      b[index] = (b[index] as number) ^ 1;
      expect(timingSafeEqual(a, b), `byte ${index}`).toBe(false);
    }
  });

  it('is false for different lengths instead of throwing (node:crypto alone would throw)', () => {
    expect(timingSafeEqual(Buffer.from('abc'), Buffer.from('abcd'))).toBe(false);
    expect(timingSafeEqual(Buffer.alloc(32), Buffer.alloc(0))).toBe(false);
    expect(timingSafeEqual(Buffer.from('abcd'), Buffer.from('abc'))).toBe(false);
  });

  it('is true for two empty inputs', () => {
    expect(timingSafeEqual(new Uint8Array(0), Buffer.alloc(0))).toBe(true);
  });

  it('compares the bytes a subarray view covers, not its whole backing buffer', () => {
    const backing = Uint8Array.from([9, 1, 2, 3, 9]);
    expect(timingSafeEqual(backing.subarray(1, 4), Uint8Array.from([1, 2, 3]))).toBe(true);
    expect(timingSafeEqual(backing.subarray(0, 3), Uint8Array.from([1, 2, 3]))).toBe(false);
  });
});
