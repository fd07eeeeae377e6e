import { describe, expectTypeOf, it } from 'vitest';
import type { IfInstalled } from '../../../src/catalogs/if-installed.js';
import type { EventType, PayloadOf } from '../../../src/index.js';

describe('a catalog whose types package is missing (#16)', () => {
  it('a failed import is `any`: the catalog becomes undefined, and the receiver untyped', () => {
    type Missing = IfInstalled<any, { 'a.b': { id: string } }>;
    expectTypeOf<Missing>().toEqualTypeOf<undefined>();
    expectTypeOf<EventType<undefined, Missing>>().toEqualTypeOf<string>();
    expectTypeOf<PayloadOf<undefined, 'a.b', Missing>>().toEqualTypeOf<unknown>();
  });

  it('an installed one is kept', () => {
    type Present = IfInstalled<{ ok: true }, { 'a.b': { id: string } }>;
    expectTypeOf<EventType<undefined, Present>>().toEqualTypeOf<'a.b'>();
  });
});
