import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWebhookError, memoryStore, type MemoryStoreOptions, type WebhookError } from '../../../src/index.js';

/** A settable millisecond clock. */
function fakeClock(start = 1_700_000_000_000) {
  let now = start;
  return { clock: () => now, advance: (ms: number) => void (now += ms) };
}

describe('memoryStore(): claim / complete / release', () => {
  it('claim(new id) → "claimed"', () => {
    expect(memoryStore().claim('a')).toBe('claimed');
  });

  it('claim(id) again while not completed → "in_flight"', () => {
    const store = memoryStore();
    store.claim('a');
    expect(store.claim('a')).toBe('in_flight');
    expect(store.claim('a')).toBe('in_flight');
  });

  it('complete(id) then claim(id) → "duplicate" (and stays duplicate)', () => {
    const store = memoryStore();
    store.claim('a');
    store.complete('a');
    expect(store.claim('a')).toBe('duplicate');
    expect(store.claim('a')).toBe('duplicate');
  });

  it('release(id) then claim(id) → "claimed" again (the retry of a failed delivery is handled)', () => {
    const store = memoryStore();
    store.claim('a');
    store.release('a');
    expect(store.claim('a')).toBe('claimed');
  });

  it('ids are independent: claiming one does not affect another', () => {
    const store = memoryStore();
    store.claim('a');
    store.complete('a');
    expect(store.claim('b')).toBe('claimed');
    expect(store.claim('a')).toBe('duplicate');
  });

  it('release(unknown id) and complete(unknown id) do not throw; complete(unknown) makes later claims duplicate', () => {
    const store = memoryStore();
    expect(() => store.release('never')).not.toThrow();
    store.complete('direct');
    expect(store.claim('direct')).toBe('duplicate');
  });
});

describe('memoryStore(): LRU bound', () => {
  it('maxEntries 3, a 4th id → the least recently used is forgotten, a recently touched one is kept', () => {
    const store = memoryStore({ maxEntries: 3 });
    for (const id of ['a', 'b', 'c']) {
      store.claim(id);
      store.complete(id);
    }
    expect(store.claim('a')).toBe('duplicate'); // touches a: b is now the least recently used
    store.claim('d');
    expect(store.size).toBe(3);
    expect(store.claim('a')).toBe('duplicate'); // kept
    expect(store.claim('c')).toBe('duplicate'); // kept
    expect(store.claim('b')).toBe('claimed'); // forgotten
  });

  it('never holds more than maxEntries ids', () => {
    const store = memoryStore({ maxEntries: 5 });
    for (let i = 0; i < 50; i++) {
      store.claim(`id-${i}`);
      store.complete(`id-${i}`);
    }
    expect(store.size).toBe(5);
    expect(store.claim('id-49')).toBe('duplicate');
    expect(store.claim('id-44')).toBe('claimed');
  });
});

describe('memoryStore(): LRU against a reference model', () => {
  /** The store's contract, written the slow and obvious way: an array in recency order. */
  function referenceStore(maxEntries: number, ttlMs: number, clock: () => number) {
    let entries: { id: string; state: 'pending' | 'done'; expires: number; owner: string }[] = [];
    const touch = (id: string, state: 'pending' | 'done', owner = ''): void => {
      entries = entries.filter((entry) => entry.id !== id);
      entries.push({ id, state, expires: clock() + ttlMs, owner });
      if (entries.length > maxEntries) entries.shift();
    };
    return {
      claim(id: string, owner = ''): string {
        const found = entries.find((entry) => entry.id === id);
        if (found && found.expires > clock()) {
          if (found.state === 'pending') return 'in_flight';
          touch(id, 'done');
          return 'duplicate';
        }
        entries = entries.filter((entry) => entry.id !== id);
        touch(id, 'pending', owner);
        return 'claimed';
      },
      complete: (id: string) => touch(id, 'done'),
      // Only the owner's own live claim is forgotten (#13 item 7).
      release: (id: string, owner = '') =>
        void (entries = entries.filter((entry) => !(entry.id === id && entry.state === 'pending' && entry.expires > clock() && entry.owner === owner))),
      get size() {
        return entries.length;
      },
    };
  }

  it('answers like the model over 300 random sequences of claim / complete / release (three owners) / time (evicting throughout)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.tuple(fc.constantFrom('claim', 'claim', 'complete', 'release', 'advance'), fc.integer({ min: 0, max: 12 }), fc.constantFrom('', 'A', 'B')), { maxLength: 400 }),
        (maxEntries, steps) => {
          const time = fakeClock();
          const store = memoryStore({ maxEntries, ttlSeconds: 10, clock: time.clock });
          const model = referenceStore(maxEntries, 10_000, time.clock);
          for (const [step, n, owner] of steps) {
            const id = `id-${n}`;
            if (step === 'advance') time.advance(n * 1000);
            else if (step === 'claim') expect(store.claim(id, owner)).toBe(model.claim(id, owner));
            else store[step](id, owner), model[step](id, owner);
            expect(store.size).toBe(model.size);
          }
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });
});

describe('memoryStore(): TTL with an injected clock', () => {
  it('a completed id is a duplicate until ttlSeconds have passed, then claimable again', () => {
    const { clock, advance } = fakeClock();
    const store = memoryStore({ ttlSeconds: 60, clock });
    store.claim('a');
    store.complete('a');
    advance(59_999);
    expect(store.claim('a')).toBe('duplicate');
    // the duplicate claim refreshed the entry: it lives 60 s from now
    advance(59_999);
    expect(store.claim('a')).toBe('duplicate');
    advance(60_000);
    expect(store.claim('a')).toBe('claimed');
  });

  it('an id claimed but never completed (a crashed handler) stops answering in_flight after ttlSeconds', () => {
    const { clock, advance } = fakeClock();
    const store = memoryStore({ ttlSeconds: 10, clock });
    store.claim('a');
    advance(9_000);
    expect(store.claim('a')).toBe('in_flight');
    advance(1_000);
    expect(store.claim('a')).toBe('claimed');
  });

  it('a clock with fractional milliseconds (performance.now style) keeps in_flight and duplicate apart', () => {
    let now = 1_000.25;
    const store = memoryStore({ ttlSeconds: 10, clock: () => now });
    expect(store.claim('a')).toBe('claimed');
    now += 0.5;
    expect(store.claim('a')).toBe('in_flight');
    store.complete('a');
    now += 0.3;
    expect(store.claim('a')).toBe('duplicate');
    now += 10_000;
    expect(store.claim('a')).toBe('claimed');
  });

  it('the default TTL is 3 days', () => {
    const { clock, advance } = fakeClock();
    const store = memoryStore({ clock });
    store.claim('a');
    store.complete('a');
    advance(3 * 86_400_000 - 1);
    expect(store.claim('a')).toBe('duplicate');
    const fresh = memoryStore({ clock });
    fresh.claim('b');
    fresh.complete('b');
    advance(3 * 86_400_000);
    expect(fresh.claim('b')).toBe('claimed');
  });
});

describe('memoryStore(): options', () => {
  it.each([
    ['maxEntries', 0],
    ['maxEntries', -1],
    ['maxEntries', 1.5],
    ['maxEntries', Number.NaN],
    ['maxEntries', '10'],
    ['ttlSeconds', 0],
    ['ttlSeconds', -5],
    ['ttlSeconds', 0.5],
    ['ttlSeconds', Infinity],
  ])('memoryStore({ %s: %o }) → throws misconfigured naming the option', (option, value) => {
    let thrown: unknown;
    try {
      memoryStore({ [option]: value } as MemoryStoreOptions);
    } catch (error) {
      thrown = error;
    }
    expect(isWebhookError(thrown)).toBe(true);
    expect((thrown as WebhookError).code).toBe('misconfigured');
    expect((thrown as WebhookError).message).toContain(`\`${option}\``);
  });

  it('memoryStore({ clock: "now" }) → throws misconfigured naming clock', () => {
    let thrown: unknown;
    try {
      memoryStore({ clock: 'now' } as unknown as MemoryStoreOptions);
    } catch (error) {
      thrown = error;
    }
    expect(isWebhookError(thrown)).toBe(true);
    expect((thrown as WebhookError).message).toContain('`clock`');
  });
});

describe('memoryStore(): claims carry an owner (#13 item 7)', () => {
  it('release by a stale owner after its claim expired and a retry re-claimed → the retry’s claim stays; a third attempt answers in_flight', () => {
    const { clock, advance } = fakeClock();
    const store = memoryStore({ ttlSeconds: 10, clock });
    expect(store.claim('k', 'first')).toBe('claimed');
    advance(10_000);
    expect(store.claim('k', 'second')).toBe('claimed');
    store.release('k', 'first');
    expect(store.claim('k', 'third')).toBe('in_flight');
    store.release('k', 'second');
    expect(store.claim('k', 'third')).toBe('claimed');
  });

  it('release by another owner while the claim is live → kept; release without an owner does not free an owned claim', () => {
    const store = memoryStore();
    store.claim('k', 'owner-a');
    store.release('k', 'owner-b');
    store.release('k');
    expect(store.claim('k', 'owner-c')).toBe('in_flight');
  });

  it('complete by a stale owner still marks the id done (the work happened; DESIGN: never run it twice)', () => {
    const { clock, advance } = fakeClock();
    const store = memoryStore({ ttlSeconds: 10, clock });
    store.claim('k', 'first');
    advance(10_000);
    store.claim('k', 'second');
    store.complete('k', 'first');
    expect(store.claim('k', 'third')).toBe('duplicate');
    store.release('k', 'second'); // the second attempt failing later cannot undo done
    expect(store.claim('k', 'fourth')).toBe('duplicate');
  });

  it('release of a key already done is a no-op (as in redisStore)', () => {
    const store = memoryStore();
    store.claim('k', 'a');
    store.complete('k', 'a');
    store.release('k', 'a');
    expect(store.claim('k', 'b')).toBe('duplicate');
  });
});
