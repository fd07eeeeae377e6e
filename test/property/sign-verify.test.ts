/**
 * Property (a), issue #6: for every provider preset, whatever `sign` produces `verify` accepts —
 * any bytes, unicode (graphemes and lone surrogates), JSON, empty and 4–256 KiB bodies, in any
 * header shape a host hands over (record, mixed-case names, fetch Headers, pairs, Node arrays,
 * a Map), with unrelated headers around it, at any `now` inside the replay window (edges
 * included) — and `rawBody` is exactly the bytes sent.
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { providers } from '../../src/providers/index.js';
import { anyBody, ids, reshape, shapes, signed, timestamps } from './arbitraries.js';
import { params, RUNS, timeoutFor } from './config.js';
import { isTimed, PRESETS, presetVariants } from './presets.js';

const { variants, missing } = presetVariants();

describe('property tests cover every preset', () => {
  it('every key of `providers` has an entry in test/property/presets.ts (none is silently skipped)', () => {
    expect(missing, `add a line for ${missing.join(', ')} to PRESETS in test/property/presets.ts`).toEqual([]);
    expect(Object.keys(PRESETS).filter((name) => !(name in providers)), 'entries for presets that no longer exist').toEqual([]);
  });
});

const extraHeaders = fc.dictionary(fc.stringMatching(/^x-extra-[a-z0-9-]{1,12}$/), fc.stringMatching(/^[!-~]{1,40}$/), { maxKeys: 3 });

describe.each(variants)('$preset — $variant.label', ({ variant }) => {
  const tolerance = variant.provider.toleranceSeconds;
  const offsets =
    tolerance === undefined
      ? fc.integer({ min: -10_000_000, max: 10_000_000 })
      : fc.oneof(fc.constantFrom(-tolerance, 0, tolerance), fc.integer({ min: -tolerance, max: tolerance }));

  it(
    `${variant.label}: verify() accepts every delivery sign() produced, rawBody exact (${RUNS} runs)`,
    () => {
      fc.assert(
        fc.property(variant.bodies ?? anyBody, timestamps, ids, offsets, shapes, fc.boolean(), extraHeaders, (body, timestamp, id, offset, shape, asBytes, extra) => {
          const delivery = signed(variant, body, timestamp, id);
          const headers = reshape({ ...extra, ...delivery.headers }, shape, offset);
          const verified = variant.provider.verify({
            method: 'POST',
            url: delivery.url,
            headers,
            body: asBytes ? delivery.bytes : delivery.body,
            now: timestamp + offset,
          });
          expect(Buffer.compare(Buffer.from(verified.rawBody), delivery.bytes)).toBe(0);
          if (isTimed(variant)) expect(verified.timestamp).toBe(timestamp);
        }),
        params(),
      );
    },
    timeoutFor(),
  );
});
