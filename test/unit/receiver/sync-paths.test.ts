/**
 * receive() stays synchronous until a step really is async (#3): a synchronous handler, a
 * synchronous store and a synchronous schema never wait, while a promise anywhere is awaited.
 * These pin the behaviour of each branch, synchronous and asynchronous alike, so a fast path
 * can never answer differently from the slow one.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createReceiver, memoryStore, reply, type DedupeStore, type WebhookError } from '../../../src/index.js';
import { deliver, json, outcome, swh } from './_helpers.js';

const event = { type: 'invoice.paid', data: { id: 'in_1' } };

/** The memory store behind promises: every call answers on a later tick, like Redis. */
function asyncStore(): DedupeStore & { calls: string[] } {
  const inner = memoryStore();
  const calls: string[] = [];
  return {
    calls,
    claim: async (id) => {
      calls.push(`claim ${id}`);
      return inner.claim(id);
    },
    complete: async (id) => {
      calls.push(`complete ${id}`);
      return inner.complete(id);
    },
    release: async (id) => {
      calls.push(`release ${id}`);
      return inner.release(id);
    },
  };
}

describe('synchronous handlers', () => {
  it('a synchronous handler returning reply(value) → that value is the JSON answer', async () => {
    const receiver = createReceiver({ provider: swh });
    receiver.on('invoice.paid', () => reply({ received: 'in_1' }));
    const result = await deliver(receiver, event, { id: 'msg_sync_value' });
    expect([result.status, json(result)]).toEqual([200, { received: 'in_1' }]);
  });

  it('a synchronous handler that throws → 500 handler_failed with the thrown error as cause; the id is released and the retry runs', async () => {
    const receiver = createReceiver({ provider: swh });
    const failure = new Error('database down');
    const causes: unknown[] = [];
    receiver.onError((error: WebhookError) => causes.push(error.cause));
    let calls = 0;
    receiver.on('invoice.paid', () => {
      calls++;
      if (calls === 1) throw failure;
    });
    const first = await deliver(receiver, event, { id: 'msg_sync_throw' });
    expect(outcome(first)).toEqual([500, 'handler_failed']);
    expect(first.body).not.toContain('database down');
    expect(causes).toEqual([failure]);
    expect(outcome(await deliver(receiver, event, { id: 'msg_sync_throw' }))).toEqual([200, undefined]);
    expect(calls).toBe(2);
  });

  it('with handlerTimeoutMs: false, a rejecting handler → 500 handler_failed with the rejection as cause', async () => {
    const receiver = createReceiver({ provider: swh, handlerTimeoutMs: false });
    const failure = new Error('no limit, still failed');
    const causes: unknown[] = [];
    receiver.onError((error: WebhookError) => causes.push(error.cause));
    receiver.on('invoice.paid', async () => {
      throw failure;
    });
    expect(outcome(await deliver(receiver, event, { id: 'msg_nolimit_reject' }))).toEqual([500, 'handler_failed']);
    expect(causes).toEqual([failure]);
  });

  it('a handler rejecting after handlerTimeoutMs is reported as handler_failed with its own error as cause', async () => {
    const receiver = createReceiver({ provider: swh, handlerTimeoutMs: 20 });
    const failure = new Error('too late');
    const reported: [string, unknown][] = [];
    receiver.onError((error: WebhookError) => reported.push([error.code, error.cause]));
    let reject!: (reason: unknown) => void;
    receiver.on('invoice.paid', () => new Promise((_resolve, rejectLater) => (reject = rejectLater)));
    expect(outcome(await deliver(receiver, event, { id: 'msg_late_cause' }))).toEqual([503, 'handler_timeout']);
    reject(failure);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(reported.map(([code]) => code)).toEqual(['handler_timeout', 'handler_failed']);
    expect(reported[1]?.[1]).toBe(failure);
  });
});

describe('an asynchronous dedupe store', () => {
  it('claim → handle → complete, then the same id is a duplicate', async () => {
    const store = asyncStore();
    const receiver = createReceiver({ provider: swh, dedupe: store });
    let handled = 0;
    receiver.on('invoice.paid', () => {
      handled++;
    });
    expect(outcome(await deliver(receiver, event, { id: 'msg_async_store' }))).toEqual([200, undefined]);
    const again = await deliver(receiver, event, { id: 'msg_async_store' });
    expect([again.status, json(again)]).toEqual([200, { ok: true, duplicate: true }]);
    expect(handled).toBe(1);
    expect(store.calls).toEqual(['claim standard-webhooks:msg_async_store', 'complete standard-webhooks:msg_async_store', 'claim standard-webhooks:msg_async_store']);
  });

  it('a failing handler → release is awaited before the answer, so the retry is handled', async () => {
    const store = asyncStore();
    const receiver = createReceiver({ provider: swh, dedupe: store });
    let calls = 0;
    receiver.on('invoice.paid', () => {
      calls++;
      if (calls === 1) throw new Error('first attempt fails');
    });
    expect(outcome(await deliver(receiver, event, { id: 'msg_async_release' }))).toEqual([500, 'handler_failed']);
    expect(store.calls).toEqual(['claim standard-webhooks:msg_async_release', 'release standard-webhooks:msg_async_release']);
    expect(outcome(await deliver(receiver, event, { id: 'msg_async_release' }))).toEqual([200, undefined]);
    expect(calls).toBe(2);
  });
});

describe('handlers registered after deliveries were routed', () => {
  it('a handler added for a type already seen runs for the next delivery of that type', async () => {
    const receiver = createReceiver({ provider: swh });
    const seen: string[] = [];
    receiver.on('invoice.paid', () => {
      seen.push('first');
    });
    expect(outcome(await deliver(receiver, event, { id: 'msg_late_on_1' }))).toEqual([200, undefined]);
    receiver.on('invoice.paid', () => {
      seen.push('second');
    });
    expect(outcome(await deliver(receiver, event, { id: 'msg_late_on_2' }))).toEqual([200, undefined]);
    expect(seen).toEqual(['first', 'first', 'second']);
  });

  it('an onAny added after a type was answered "ignored" handles the next delivery of it', async () => {
    const receiver = createReceiver({ provider: swh });
    receiver.on('customer.created', () => undefined);
    const ignored = await deliver(receiver, event, { id: 'msg_late_any_1' });
    expect(json(ignored)).toEqual({ ok: true, ignored: true });
    const seen: string[] = [];
    receiver.onAny((delivery) => {
      seen.push(delivery.type);
    });
    const handled = await deliver(receiver, event, { id: 'msg_late_any_2' });
    expect(json(handled)).toEqual({ ok: true });
    expect(seen).toEqual(['invoice.paid']);
  });

  it('more distinct types than the routing memo holds are still each routed to their own handler', async () => {
    const receiver = createReceiver({ provider: swh, dedupe: false });
    const types = Array.from({ length: 1100 }, (_, i) => `type.${i}`);
    const seen = new Map<string, number>();
    for (const type of types) {
      receiver.on(type, (delivery) => {
        seen.set(delivery.type, (seen.get(delivery.type) ?? 0) + 1);
      });
    }
    for (const type of types) expect(outcome(await deliver(receiver, { type }))).toEqual([200, undefined]);
    for (const type of types.slice(0, 50)) expect(outcome(await deliver(receiver, { type }))).toEqual([200, undefined]);
    expect(seen.size).toBe(1100);
    expect(types.every((type, i) => seen.get(type) === (i < 50 ? 2 : 1))).toBe(true);
  });
});

describe('schemas', () => {
  it('an async schema (a zod refinement that awaits) is awaited, and its failure is 422 schema_mismatch', async () => {
    const schema = z.object({ type: z.string(), data: z.object({ id: z.string() }) }).refine(async (value) => value.data.id.startsWith('in_'), 'not an invoice id');
    const receiver = createReceiver({ provider: swh, events: { 'invoice.paid': schema } });
    const seen: unknown[] = [];
    receiver.on('invoice.paid', ({ payload }) => {
      seen.push(payload);
    });
    expect(outcome(await deliver(receiver, event, { id: 'msg_async_schema_ok' }))).toEqual([200, undefined]);
    const refused = await deliver(receiver, { type: 'invoice.paid', data: { id: 'cus_1' } }, { id: 'msg_async_schema_bad' });
    expect(outcome(refused)).toEqual([422, 'schema_mismatch']);
    expect(seen).toEqual([event]);
  });
});
