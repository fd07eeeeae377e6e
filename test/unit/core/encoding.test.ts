import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { bodyBytes, decode, decodeInto, encode, toBuffer, type Encoding } from '../../../src/core/encoding.js';

const hex = (bytes: Uint8Array | undefined): string | undefined => (bytes === undefined ? undefined : Buffer.from(bytes).toString('hex'));

describe("decode(text, 'hex')", () => {
  it('decodes lower- and upper-case hex', () => {
    expect(hex(decode('00ff10Ab', 'hex'))).toBe('00ff10ab');
  });

  it('refuses an odd length instead of dropping the last digit', () => {
    expect(decode('abc', 'hex')).toBeUndefined();
    expect(decode('a', 'hex')).toBeUndefined();
  });

  it('refuses junk anywhere instead of stopping at it (Buffer.from would return a shorter digest)', () => {
    for (const text of ['zz', 'abzz', 'zzab', '0x00', 'ab cd', ' abcd', 'abcd\n', 'ab-cd', 'g0']) {
      expect(decode(text, 'hex'), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('decodes the empty string to zero bytes', () => {
    expect(decode('', 'hex')?.byteLength).toBe(0);
  });
});

describe("decode(text, 'base64')", () => {
  it('decodes padded base64', () => {
    expect(decode('aGVsbG8=', 'base64')?.toString()).toBe('hello');
    expect(decode('aGk=', 'base64')?.toString()).toBe('hi');
    expect(decode('aA==', 'base64')?.toString()).toBe('h');
    expect(decode('+/+/', 'base64')?.toString('hex')).toBe('fbffbf');
  });

  it('accepts the same text unpadded (padding is optional)', () => {
    expect(decode('aGVsbG8', 'base64')?.toString()).toBe('hello');
    expect(decode('aA', 'base64')?.toString()).toBe('h');
  });

  it('refuses a length no padding could make valid (4n+1 characters)', () => {
    expect(decode('aGVsb', 'base64')).toBeUndefined();
    expect(decode('a', 'base64')).toBeUndefined();
  });

  it('refuses bad padding: too much, too little, or padding in the middle', () => {
    for (const text of ['aGk==', 'aA=', 'aGVsbG8==', 'aGVsbA===', '=aGk', 'aG=k', 'aGk=aGk=', '====', '=']) {
      expect(decode(text, 'base64'), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('refuses junk, whitespace and the base64url alphabet', () => {
    for (const text of ['aGVs!G8=', 'aGVs bG8=', 'aGVsbG8=\n', ' aGVsbG8=', 'a-_b', 'aGVsbG8=.']) {
      expect(decode(text, 'base64'), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('decodes the empty string to zero bytes', () => {
    expect(decode('', 'base64')?.byteLength).toBe(0);
  });
});

describe("decode(text, 'base64url')", () => {
  it('decodes the url-safe alphabet, with or without padding', () => {
    expect(decode('-_-_', 'base64url')?.toString('hex')).toBe('fbffbf');
    expect(decode('aGk', 'base64url')?.toString()).toBe('hi');
    expect(decode('aGk=', 'base64url')?.toString()).toBe('hi');
  });

  it('refuses the standard alphabet, junk, bad padding and 4n+1 lengths', () => {
    for (const text of ['+/+/', 'aGk==', 'aA=', 'a', 'aGVsb', 'aG k', 'aG=k']) {
      expect(decode(text, 'base64url'), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('decodes the empty string to zero bytes', () => {
    expect(decode('', 'base64url')?.byteLength).toBe(0);
  });
});

describe('encode()', () => {
  const bytes = Uint8Array.from([0xfb, 0xff, 0xbf, 0x00]);

  it('writes hex, padded base64 and unpadded base64url', () => {
    expect(encode(bytes, 'hex')).toBe('fbffbf00');
    expect(encode(bytes, 'base64')).toBe('+/+/AA==');
    expect(encode(bytes, 'base64url')).toBe('-_-_AA');
  });

  it('round-trips through decode() for every encoding', () => {
    for (const encoding of ['hex', 'base64', 'base64url'] as const) {
      expect(hex(decode(encode(bytes, encoding), encoding))).toBe('fbffbf00');
    }
  });
});

describe('toBuffer() and bodyBytes()', () => {
  it('toBuffer() wraps a Uint8Array view without copying, offset included', () => {
    const backing = Uint8Array.from([1, 2, 3, 4, 5]);
    const view = backing.subarray(1, 4);
    const buffer = toBuffer(view);
    expect([...buffer]).toEqual([2, 3, 4]);
    backing[2] = 99;
    expect(buffer[1]).toBe(99);
  });

  it('toBuffer() returns a Buffer as it is', () => {
    const buffer = Buffer.from('abc');
    expect(toBuffer(buffer)).toBe(buffer);
  });

  it('bodyBytes() takes a string as its UTF-8 bytes and passes bytes through', () => {
    expect(bodyBytes('Zoë €').toString('hex')).toBe(Buffer.from('Zoë €', 'utf8').toString('hex'));
    expect(bodyBytes('').byteLength).toBe(0);
    const latin1 = Uint8Array.from([0xe9, 0xff]);
    expect([...bodyBytes(latin1)]).toEqual([0xe9, 0xff]);
  });
});

describe('decodeInto(text, encoding, digest-sized target)', () => {
  // Characters a mutation may put anywhere: both alphabets, padding, whitespace, every Latin-1
  // byte, and characters whose low byte is a valid digit (Node's decoders read only the low byte).
  const alphabet = [
    ...Array.from({ length: 256 }, (_, code) => String.fromCharCode(code)),
    '\u0141', '\u0130', '\u0161', '\u0266', '\u0230', '\u012b', '\u012f', '\u013d', '\u015f', '\uff21', '\ud83d', '\ude00', '\u{1f600}',
  ];
  const encodings: Encoding[] = ['hex', 'base64', 'base64url'];
  const digests = [20, 32, 64].map((size) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 89 + size * 7) % 256)));

  /** Every one-character substitution, insertion and deletion of `text`. */
  function* mutations(text: string): Generator<string> {
    for (let i = 0; i <= text.length; i++) {
      if (i < text.length) yield text.slice(0, i) + text.slice(i + 1);
      for (const c of alphabet) {
        if (i < text.length) yield text.slice(0, i) + c + text.slice(i + 1);
        yield text.slice(0, i) + c + text.slice(i);
      }
    }
  }

  for (const encoding of encodings) {
    for (const digest of digests) {
      const canonical = [encode(digest, encoding)];
      if (encoding !== 'hex') canonical.push(canonical[0]!.replace(/=+$/, ''), `${canonical[0]!.replace(/=+$/, '')}===`.slice(0, 4 * Math.ceil(digest.length / 3)));
      if (encoding === 'hex') canonical.push(canonical[0]!.toUpperCase());

      it(`${encoding}, ${digest.length} bytes: agrees with decode() on ${canonical.length} encodings and every one-character mutation of them`, () => {
        const target = Buffer.alloc(digest.length);
        let checked = 0;
        let accepted = 0;
        const disagreements: string[] = [];
        for (const text of [...canonical, ...canonical.flatMap((one) => [...mutations(one)])]) {
          const strict = decode(text, encoding);
          const expected = strict !== undefined && strict.byteLength === digest.length;
          target.fill(0);
          const actual = decodeInto(text, encoding, target);
          if (actual !== expected || (actual && !target.equals(strict as Buffer))) disagreements.push(JSON.stringify(text));
          checked++;
          if (actual) accepted++;
        }
        expect(disagreements.slice(0, 5)).toEqual([]);
        expect(checked).toBeGreaterThan(10_000);
        expect(accepted).toBeGreaterThan(canonical.length); // substituting one valid digit for another still decodes
      });
    }
  }

  it('refuses an encoding of one byte fewer or more than the target holds', () => {
    const target = Buffer.alloc(32);
    expect(decodeInto('ab'.repeat(31), 'hex', target)).toBe(false);
    expect(decodeInto('ab'.repeat(33), 'hex', target)).toBe(false);
    expect(decodeInto(Buffer.alloc(33).toString('base64'), 'base64', target)).toBe(false);
    expect(decodeInto(Buffer.alloc(31).toString('base64'), 'base64', target)).toBe(false);
  });
});
