import { describe, expect, it } from 'vitest';
import { createReceiver, memoryStore, providers } from '../../../src/index.js';
import { MAX_PLAIN_ID_LENGTH, dedupeKey } from '../../../src/receiver/dedupe-key.js';
import { signRequest } from '../../../src/testing/index.js';

describe('dedupeKey(namespace, id) (#13 items 4, 6)', () => {
  it('a short id is kept readable: <namespace>:<id>', () => {
    expect(dedupeKey('github', '72d3162e-cc78-11e3-81ab-4c9367dc0958')).toBe('github:72d3162e-cc78-11e3-81ab-4c9367dc0958');
    expect(dedupeKey('tenant-a', 'x'.repeat(MAX_PLAIN_ID_LENGTH))).toBe(`tenant-a:${'x'.repeat(MAX_PLAIN_ID_LENGTH)}`);
  });

  it('an id over 128 characters, or starting with "#", becomes #<sha256 base64url>: 44 characters whatever its length', () => {
    for (const id of ['x'.repeat(MAX_PLAIN_ID_LENGTH + 1), 'y'.repeat(15_000), 'é'.repeat(10_000), '#short']) {
      expect(dedupeKey('ns', id)).toMatch(/^ns:#[A-Za-z0-9_-]{43}$/);
    }
  });

  it('two ids never share a key: a plain id that looks like a digest is digested itself', () => {
    const long = 'z'.repeat(500);
    const digested = dedupeKey('ns', long).slice('ns:'.length);
    expect(dedupeKey('ns', digested)).not.toBe(dedupeKey('ns', long));
    expect(dedupeKey('ns', long + 'a')).not.toBe(dedupeKey('ns', long + 'b'));
  });
});

describe('createReceiver({ namespace }) (#13 item 6)', () => {
  const provider = providers.github({ secret: 'namespace-test' });

  it('the store sees <namespace>:<id>; the default namespace is the provider name', async () => {
    const seen: string[] = [];
    const store = memoryStore();
    const spy = { claim: (key: string, owner?: string) => (seen.push(key), store.claim(key, owner)), complete: store.complete, release: store.release };
    for (const options of [{}, { namespace: 'tenant-42' }]) {
      const receiver = createReceiver({ provider, dedupe: spy, ...options }).onAny(() => {});
      await receiver.receive({ method: 'POST', ...signRequest(provider, { action: 'a' }, { type: 'issues', id: 'order-1001' }) });
    }
    expect(seen).toEqual(['github:order-1001', 'tenant-42:order-1001']);
  });

  it.each([[''], [42], ['x'.repeat(201)]])('namespace %o → misconfigured naming `namespace`', (namespace) => {
    expect(() => createReceiver({ provider, namespace: namespace as string })).toThrow(
      expect.objectContaining({ code: 'misconfigured', message: expect.stringContaining('`namespace`') }),
    );
  });
});
