import { Buffer } from 'node:buffer';
import { createHmac, createSecretKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacDigest, type HmacAlgorithm } from '../../../src/crypto/hmac.js';

const key = (bytes: Uint8Array | string) => createSecretKey(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);

/** RFC 4231 §4 test cases 1, 2 and 6 (SHA-256, SHA-512) and RFC 2202 §3 cases 1 and 2 (SHA-1). */
const KNOWN_ANSWERS: { name: string; key: Uint8Array | string; data: string; algorithm: HmacAlgorithm; digest: string }[] = [
  { name: 'RFC 4231 case 1', key: Buffer.alloc(20, 0x0b), data: 'Hi There', algorithm: 'sha256', digest: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7' },
  {
    name: 'RFC 4231 case 1',
    key: Buffer.alloc(20, 0x0b),
    data: 'Hi There',
    algorithm: 'sha512',
    digest: '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854',
  },
  { name: 'RFC 4231 case 2', key: 'Jefe', data: 'what do ya want for nothing?', algorithm: 'sha256', digest: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843' },
  {
    name: 'RFC 4231 case 2',
    key: 'Jefe',
    data: 'what do ya want for nothing?',
    algorithm: 'sha512',
    digest: '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
  },
  {
    name: 'RFC 4231 case 6 (key longer than the block)',
    key: Buffer.alloc(131, 0xaa),
    data: 'Test Using Larger Than Block-Size Key - Hash Key First',
    algorithm: 'sha256',
    digest: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
  },
  {
    name: 'RFC 4231 case 6 (key longer than the block)',
    key: Buffer.alloc(131, 0xaa),
    data: 'Test Using Larger Than Block-Size Key - Hash Key First',
    algorithm: 'sha512',
    digest: '80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598',
  },
  { name: 'RFC 2202 case 1', key: Buffer.alloc(20, 0x0b), data: 'Hi There', algorithm: 'sha1', digest: 'b617318655057264e28bc0b6fb378c8ef146be00' },
  { name: 'RFC 2202 case 2', key: 'Jefe', data: 'what do ya want for nothing?', algorithm: 'sha1', digest: 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79' },
];

describe('hmacDigest() known answers', () => {
  for (const vector of KNOWN_ANSWERS) {
    it(`hmacDigest(${vector.algorithm}) ${vector.name} → ${vector.digest.slice(0, 16)}…`, () => {
      expect(hmacDigest(key(vector.key), vector.algorithm, [vector.data]).toString('hex')).toBe(vector.digest);
    });
  }
});

describe('hmacDigest() over several parts', () => {
  it('parts streamed one by one equal the HMAC of their concatenation (RFC 4231 case 2 split three ways)', () => {
    const expected = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
    expect(hmacDigest(key('Jefe'), 'sha256', ['what do ', Buffer.from('ya want '), 'for nothing?']).toString('hex')).toBe(expected);
    expect(hmacDigest(key('Jefe'), 'sha256', ['', 'what do ya want for nothing?', new Uint8Array(0)]).toString('hex')).toBe(expected);
  });

  it('a string part is hashed as its UTF-8 bytes, a byte part exactly as given (not valid UTF-8 included)', () => {
    const body = Uint8Array.from([0x7b, 0xe9, 0xff, 0xfe, 0x80, 0x7d]);
    const parts = ['msg_1.1614265330.Zoë.', body];
    const whole = Buffer.concat([Buffer.from('msg_1.1614265330.Zoë.', 'utf8'), body]);
    for (const algorithm of ['sha1', 'sha256', 'sha512'] as const) {
      const expected = createHmac(algorithm, 'k').update(whole).digest('hex');
      expect(hmacDigest(key('k'), algorithm, parts).toString('hex'), algorithm).toBe(expected);
    }
  });

  it('a subarray part contributes only the bytes it covers', () => {
    const backing = Buffer.from('XXHi ThereYY');
    expect(hmacDigest(key(Buffer.alloc(20, 0x0b)), 'sha256', [backing.subarray(2, 10)]).toString('hex')).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
  });

  it('no parts is the HMAC of the empty message', () => {
    expect(hmacDigest(key('k'), 'sha256', []).toString('hex')).toBe(createHmac('sha256', 'k').update('').digest('hex'));
  });

  it('digest lengths are 20 / 32 / 64 bytes for sha1 / sha256 / sha512', () => {
    expect([hmacDigest(key('k'), 'sha1', ['x']).byteLength, hmacDigest(key('k'), 'sha256', ['x']).byteLength, hmacDigest(key('k'), 'sha512', ['x']).byteLength]).toEqual([20, 32, 64]);
  });
});
