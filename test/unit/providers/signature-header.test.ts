/**
 * `collect` (the single-check fast path of `verify`) must find exactly what `parse` finds: the
 * values of the entries tagged with the check's version, the same timestamp, the same errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Buffer } from 'node:buffer';
import { createSecretKey } from 'node:crypto';
import { defineProvider, keyValueSignatureList, prefixedSignature, signedBodyOnly, versionedSignatureList, type SignatureHeaderFormat } from '../../../src/index.js';
import { hmacCheck } from '../../../src/providers/signature-check.js';
import { signatureList } from '../../../src/providers/signature-header.js';

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

  // `collect` reads the canonical one-signature header (`t=…,v1=…`, `v1,…`) without the scan:
  // headers one or two edits away from it must still agree with parse at every boundary.
  const canonical: [string, SignatureHeaderFormat, string, string][] = [
    ['keyValueSignatureList("t", ",")', keyValueSignatureList('t', ','), 't=1700000000,v1=abc123', 'v1'],
    ['keyValueSignatureList("ts", ";")', keyValueSignatureList('ts', ';'), 'ts=1700000000;h1=abc123', 'h1'],
    ['versionedSignatureList()', versionedSignatureList(' ', ','), 'v1,QUJD+/==', 'v1'],
  ];
  const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 3 }), insert: fc.constantFrom('', ' ', '\t', '\u00a0', ',', ';', '=', 't', 'v1', 'h1', 'v', 'x') });
  for (const [name, format, sample, version] of canonical) {
    it(`${name}: the canonical header and 3,000 near-canonical ones agree with parse`, () => {
      expect(viaCollect(format, sample, version)).toEqual(viaParse(format, sample, version));
      expect((viaCollect(format, sample, version) as { values: string[] }).values).toHaveLength(1);
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 2 }), fc.constantFrom(version, 'v0', 't', 'ts', ''), (edits, wanted) => {
          let value = sample;
          for (const { at, remove, insert } of edits) {
            const where = at % (value.length + 1);
            value = value.slice(0, where) + insert + value.slice(where + remove);
          }
          expect(viaCollect(format, value, wanted)).toEqual(viaParse(format, value, wanted));
        }),
        { numRuns: 3000, seed: 7 },
      );
    });
  }

  it('near-canonical headers the edits rarely reach: a version named like the timestamp key, a version with a leading space', () => {
    const stripe = keyValueSignatureList('t', ',');
    for (const [value, version] of [['t=1,t=2', 't'], ['t=1, v1=2', ' v1'], ['t=1,v1=2', ' v1']] as const) {
      expect(viaCollect(stripe, value, version)).toEqual(viaParse(stripe, value, version));
    }
    expect(viaCollect(stripe, 't=1,t=2', 't')).toEqual({ timestamp: '1', values: [] });
  });

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

describe('a format of one’s own, through defineProvider', () => {
  it('a class whose collect and parse use `this`: called as methods, so a delivery it signs verifies', () => {
    class Tagged implements SignatureHeaderFormat {
      readonly carriesTimestamp = false;
      constructor(private readonly tag: string) {}
      parse(value: string) {
        return { entries: [{ version: '', value: value.slice(this.tag.length) }] };
      }
      collect(value: string, _headerName: string, _version: string, into: string[]) {
        into.push(value.slice(this.tag.length));
        return undefined;
      }
      format(entries: readonly { value: string }[]) {
        return `${this.tag}${entries[0]?.value ?? ''}`;
      }
    }
    const provider = defineProvider({
      name: 'acme',
      signatureHeader: 'x-acme-signature',
      signatureFormat: new Tagged('acme:'),
      checks: [hmacCheck({ keys: [createSecretKey(Buffer.from('acme-secret'))], algorithm: 'sha256', encoding: 'hex' })],
      signedContent: signedBodyOnly,
    });
    const body = '{"ok":1}';
    const signed = provider.sign({ body });
    expect(signed.headers['x-acme-signature']).toMatch(/^acme:[0-9a-f]{64}$/);
    expect(Buffer.from(provider.verify({ headers: signed.headers, body }).rawBody).toString()).toBe(body);
  });
});

describe('signatureList()', () => {
  it('is empty, takes any number of pushes, and is a new list each time (never shared between deliveries)', () => {
    const first = signatureList<string>();
    const second = signatureList<string>();
    expect(first).toEqual([]);
    expect(first).not.toBe(second);
    for (let i = 0; i < 20; i++) first.push(`s${i}`);
    expect(first).toHaveLength(20);
    expect(second).toEqual([]);
    expect(Object.keys(signatureList())).toEqual([]);
  });
});
