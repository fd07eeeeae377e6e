/**
 * `collect` (the single-check fast path of `verify`) must find exactly what `parse` finds: the
 * values of the entries tagged with the check's version, the same timestamp, the same errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyValueSignatureList, prefixedSignature, versionedSignatureList, type SignatureHeaderFormat } from '../../../src/index.js';

const formats: [string, SignatureHeaderFormat, string[]][] = [
  ['prefixedSignature("sha256=")', prefixedSignature('sha256='), ['', 'sha256']],
  ['prefixedSignature("")', prefixedSignature(''), ['', 'v1']],
  ['versionedSignatureList()', versionedSignatureList(' ', ','), ['v1', 'v1a', '', 'v']],
  ['keyValueSignatureList("t", ",")', keyValueSignatureList('t', ','), ['v1', 'v0', 't', '']],
  ['keyValueSignatureList("ts", ";")', keyValueSignatureList('ts', ';'), ['h1', 'ts', '']],
];

/** What `parse` gives for one version: the matching values and the timestamp, or the error code. */
function viaParse(format: SignatureHeaderFormat, value: string, version: string): unknown {
  try {
    const parsed = format.parse(value, 'x-signature');
    return { timestamp: parsed.timestamp, values: parsed.entries.filter((entry) => entry.version === version).map((entry) => entry.value) };
  } catch (error) {
    return { error: (error as { code?: string }).code };
  }
}

function viaCollect(format: SignatureHeaderFormat, value: string, version: string): unknown {
  try {
    const values: string[] = [];
    const timestamp = format.collect?.(value, 'x-signature', version, values);
    return { timestamp, values };
  } catch (error) {
    return { error: (error as { code?: string }).code };
  }
}

// Headers made of the pieces these formats split on, so items, tags, separators and spaces all vary.
const piece = fc.constantFrom('v1', 'v1a', 'v0', 't', 'ts', 'h1', 'sha256', '=', ',', ';', ' ', '  ', 'abc', 'QUJD+/==', '\t', '1700000000', '\u00a0');
const header = fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join(''));

describe('SignatureHeaderFormat.collect agrees with parse', () => {
  for (const [name, format, versions] of formats) {
    it(`${name}: same values, timestamp and error for every version, on 2,000 generated headers`, () => {
      expect(format.collect).toBeTypeOf('function');
      fc.assert(
        fc.property(header, fc.constantFrom(...versions), (value, version) => {
          expect(viaCollect(format, value, version)).toEqual(viaParse(format, value, version));
        }),
        { numRuns: 2000, seed: 3 },
      );
    });
  }

  it('examples: Stripe with two v1 and a v0, Standard Webhooks with v1 and v1a', () => {
    const values: string[] = [];
    expect(keyValueSignatureList('t', ',').collect?.('t=17, v1=aa ,v0=bb,v1=cc', 'stripe-signature', 'v1', values)).toBe('17');
    expect(values).toEqual(['aa', 'cc']);
    const listed: string[] = [];
    versionedSignatureList(' ', ',').collect?.('v1,AAA= v1a,BBB= v1,CCC=', 'webhook-signature', 'v1', listed);
    expect(listed).toEqual(['AAA=', 'CCC=']);
    expect(() => keyValueSignatureList('t', ',').collect?.('v1=aa', 'stripe-signature', 'v1', [])).toThrow(expect.objectContaining({ code: 'malformed_header' }));
    expect(() => prefixedSignature('sha256=').collect?.('sha1=aa', 'x-hub-signature-256', '', [])).toThrow(expect.objectContaining({ code: 'malformed_header' }));
  });
});
