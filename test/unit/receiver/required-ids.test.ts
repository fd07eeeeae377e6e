import { describe, expect, it } from 'vitest';
import { createReceiver, providers } from '../../../src/index.js';
import { signRequest } from '../../../src/testing/index.js';
import { NOW, outcome } from './_helpers.js';

// The presets that type delivery.id as `string` (test/types/catalogs/ids.test-d.ts) must never
// hand a handler `undefined`: a delivery without its id is refused before any handler runs.
describe('presets whose delivery.id is typed string refuse a delivery without one (#16 item 4)', () => {
  it('github: no X-GitHub-Delivery → 400 missing_header, no handler run', async () => {
    const receiver = createReceiver({ provider: providers.github({ secret: 's' }) });
    let ran = 0;
    receiver.onAny(() => void ran++);
    const signed = signRequest(receiver.provider, { action: 'opened' }, { type: 'issues.opened' });
    const headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name.toLowerCase() !== 'x-github-delivery'));
    const result = await receiver.receive({ method: 'POST', headers, body: signed.body });
    expect(outcome(result)).toEqual([400, 'missing_header']);
    expect(JSON.parse(result.body).error.message).toBe('The delivery has no id (the X-GitHub-Delivery header): github always sends one, and hookguard deduplicates on it.');
    expect(ran).toBe(0);
  });

  it("stripe: an event without `id` → 400 invalid_body; with one, the handler sees it", async () => {
    const receiver = createReceiver({ provider: providers.stripe({ secret: 'whsec_s' }) });
    const seen: string[] = [];
    receiver.on('invoice.paid', ({ id }) => void seen.push(id));
    const send = (payload: unknown) => {
      const signed = signRequest(receiver.provider, payload, { timestamp: NOW });
      return receiver.receive({ method: 'POST', headers: signed.headers, body: signed.body, now: NOW });
    };
    const missing = await send({ type: 'invoice.paid', data: { object: {} } });
    expect(outcome(missing)).toEqual([400, 'invalid_body']);
    expect(JSON.parse(missing.body).error.message).toBe("The delivery has no id (the event's `id`): stripe always sends one, and hookguard deduplicates on it.");
    expect(outcome(await send({ id: 'evt_1', type: 'invoice.paid', data: { object: {} } }))).toEqual([200, undefined]);
    expect(seen).toEqual(['evt_1']);
  });
});
