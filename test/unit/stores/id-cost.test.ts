import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createReceiver, memoryStore, providers } from '../../../src/index.js';
import { signRequest } from '../../../src/testing/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const github = providers.github({ secret: 'id-cost-secret' });

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('what one delivery id costs the memory store (#13 item 4)', () => {
  it('10,000 replayed GitHub deliveries with distinct 15 KB X-GitHub-Delivery ids → under 512 bytes of heap per remembered id (was ~17 KB)', async () => {
    const COUNT = 10_000;
    const signed = signRequest(github, { action: 'opened' }, { type: 'issues', id: 'x' });
    const headers = withoutId(signed.headers);
    const store = memoryStore();
    const receiver = createReceiver({ provider: github, dedupe: store }).onAny(() => {});
    const before = heapAfterGc();
    for (let i = 0; i < COUNT; i++) {
      const id = `${String(i).padStart(6, '0')}${'x'.repeat(15_000)}`;
      const result = await receiver.receive({ method: 'POST', headers: { ...headers, 'X-GitHub-Delivery': id }, body: signed.body });
      if (result.status !== 200) throw new Error(`delivery ${i} answered ${result.status}: ${result.body}`);
    }
    const perId = (heapAfterGc() - before) / COUNT;
    console.log(`memory store: ${perId.toFixed(0)} bytes of heap per remembered 15 KB id`);
    expect(store.size).toBe(COUNT);
    expect(perId).toBeLessThan(512);
    // Still deduplicated: the same long id again is a duplicate.
    const again = await receiver.receive({ method: 'POST', headers: { ...headers, 'X-GitHub-Delivery': `000007${'x'.repeat(15_000)}` }, body: signed.body });
    expect(JSON.parse(again.body)).toEqual({ ok: true, duplicate: true });
  });
});

/** The signed headers without the (unsigned) delivery id, which the test replaces. */
function withoutId(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'x-github-delivery'));
}
