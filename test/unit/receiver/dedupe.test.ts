import { describe, expect, it } from 'vitest';
import { createReceiver, memoryStore, reply, type ClaimResult, type DedupeStore } from '../../../src/index.js';
import { deferred, deliver, json, outcome, swh } from './_helpers.js';

const event = { type: 'invoice.paid', data: { id: 'in_1' } };

describe('receive(): dedupe', () => {
  it('the same delivery twice → handler once; the second answers 200 {"ok":true,"duplicate":true}', async () => {
    const receiver = createReceiver({ provider: swh });
    let calls = 0;
    receiver.on('invoice.paid', () => {
      calls++;
      return reply({ handled: calls });
    });
    const first = await deliver(receiver, event, { id: 'msg_dup' });
    const second = await deliver(receiver, event, { id: 'msg_dup' });
    expect([first.status, json(first)]).toEqual([200, { handled: 1 }]);
    expect([second.status, second.body]).toEqual([200, '{"ok":true,"duplicate":true}']);
    expect(calls).toBe(1);
  });

  it('different ids are each handled', async () => {
    const receiver = createReceiver({ provider: swh });
    let calls = 0;
    receiver.onAny(() => {
      calls++;
    });
    await deliver(receiver, event, { id: 'msg_a' });
    await deliver(receiver, event, { id: 'msg_b' });
    expect(calls).toBe(2);
  });

  it('a handler that throws → 500 handler_failed, the id is released, and the retry runs the handler and answers 200', async () => {
    const receiver = createReceiver({ provider: swh });
    let calls = 0;
    receiver.on('invoice.paid', () => {
      calls++;
      if (calls === 1) throw new Error('database down');
    });
    expect(outcome(await deliver(receiver, event, { id: 'msg_retry' }))).toEqual([500, 'handler_failed']);
    expect(outcome(await deliver(receiver, event, { id: 'msg_retry' }))).toEqual([200, undefined]);
    expect(outcome(await deliver(receiver, event, { id: 'msg_retry' }))).toEqual([200, undefined]);
    expect(json(await deliver(receiver, event, { id: 'msg_retry' }))).toEqual({ ok: true, duplicate: true });
    expect(calls).toBe(2);
  });

  it('one of several handlers rejecting fails the whole delivery (500) and releases the id', async () => {
    const receiver = createReceiver({ provider: swh });
    let okCalls = 0;
    let fail = true;
    receiver.on('invoice.paid', () => {
      okCalls++;
    });
    receiver.onAny(async () => {
      if (fail) throw new Error('second handler failed');
    });
    expect(outcome(await deliver(receiver, event, { id: 'msg_multi' }))).toEqual([500, 'handler_failed']);
    fail = false;
    expect(outcome(await deliver(receiver, event, { id: 'msg_multi' }))).toEqual([200, undefined]);
    expect(okCalls).toBe(2);
  });

  it('the same id arriving while the first is still running → 409 in_flight; after it finishes → duplicate', async () => {
    const receiver = createReceiver({ provider: swh });
    const started = deferred();
    const finish = deferred();
    let calls = 0;
    receiver.on('invoice.paid', async () => {
      calls++;
      started.resolve();
      await finish.promise;
    });
    const first = deliver(receiver, event, { id: 'msg_flight' });
    await started.promise;
    expect(outcome(await deliver(receiver, event, { id: 'msg_flight' }))).toEqual([409, 'in_flight']);
    finish.resolve();
    expect(outcome(await first)).toEqual([200, undefined]);
    expect(json(await deliver(receiver, event, { id: 'msg_flight' }))).toEqual({ ok: true, duplicate: true });
    expect(calls).toBe(1);
  });

  it.each([
    ['throws', () => {
      throw new Error('ECONNREFUSED redis://user:pw@10.0.0.1');
    }],
    ['rejects', () => Promise.reject(new Error('ECONNREFUSED redis://user:pw@10.0.0.1'))],
  ])('a store whose claim %s → 503 store_unavailable, no handler call, and no store detail in the body', async (_label, claim) => {
    const store: DedupeStore = { claim: claim as DedupeStore['claim'], complete: () => undefined, release: () => undefined };
    const receiver = createReceiver({ provider: swh, dedupe: store });
    let calls = 0;
    receiver.onAny(() => {
      calls++;
    });
    const result = await deliver(receiver, event, { id: 'msg_store' });
    expect(outcome(result)).toEqual([503, 'store_unavailable']);
    expect(result.body).not.toContain('ECONNREFUSED');
    expect(result.body).not.toContain('pw@');
    expect(calls).toBe(0);
  });

  it('a store whose complete fails after the handler ran still answers 200 (the work is done; a retry would repeat it)', async () => {
    const inner = memoryStore();
    const store: DedupeStore = { claim: (id) => inner.claim(id), complete: () => Promise.reject(new Error('lost')), release: (id) => inner.release(id) };
    const receiver = createReceiver({ provider: swh, dedupe: store });
    const reported: string[] = [];
    receiver.onError((error) => reported.push(error.code));
    receiver.onAny(() => reply({ done: true }));
    const result = await deliver(receiver, event, { id: 'msg_complete' });
    expect([result.status, json(result)]).toEqual([200, { done: true }]);
    expect(reported).toEqual(['store_unavailable']);
  });

  it('a class-based store keeps its `this` (the receiver calls the store it was given, not a copy)', async () => {
    class CountingStore implements DedupeStore {
      readonly seen = new Set<string>();
      claim(id: string): ClaimResult {
        if (this.seen.has(id)) return 'duplicate';
        this.seen.add(id);
        return 'claimed';
      }
      complete(): void {}
      release(id: string): void {
        this.seen.delete(id);
      }
    }
    const store = new CountingStore();
    const receiver = createReceiver({ provider: swh, dedupe: store });
    receiver.onAny(() => undefined);
    expect(outcome(await deliver(receiver, event, { id: 'msg_class' }))).toEqual([200, undefined]);
    expect(json(await deliver(receiver, event, { id: 'msg_class' }))).toEqual({ ok: true, duplicate: true });
    expect([...store.seen]).toEqual(['standard-webhooks:msg_class']);
  });

  it('dedupe: false runs the handler every time for the same id', async () => {
    const receiver = createReceiver({ provider: swh, dedupe: false });
    let calls = 0;
    receiver.onAny(() => {
      calls++;
    });
    for (let i = 0; i < 3; i++) expect(outcome(await deliver(receiver, event, { id: 'msg_same' }))).toEqual([200, undefined]);
    expect(calls).toBe(3);
  });

  it('two receivers each get their own default memory store', async () => {
    const a = createReceiver({ provider: swh });
    const b = createReceiver({ provider: swh });
    a.onAny(() => undefined);
    b.onAny(() => undefined);
    await deliver(a, event, { id: 'msg_shared' });
    expect(json(await deliver(b, event, { id: 'msg_shared' }))).toEqual({ ok: true });
  });

  it.each([
    ['a string', 'secret-token-in-string'],
    ['undefined', undefined],
    ['null', null],
    ['an object', { token: 'secret-token-in-object' }],
    ['an Error', new Error('secret-token-in-error')],
  ])('a handler that throws %s → 500 handler_failed; the body never contains the thrown text; the id is released', async (_label, thrown) => {
    const receiver = createReceiver({ provider: swh });
    let calls = 0;
    receiver.onAny(() => {
      calls++;
      if (calls === 1) throw thrown;
    });
    const result = await deliver(receiver, event, { id: 'msg_throw' });
    expect(outcome(result)).toEqual([500, 'handler_failed']);
    expect(result.body).not.toContain('secret-token');
    expect(outcome(await deliver(receiver, event, { id: 'msg_throw' }))).toEqual([200, undefined]);
  });

  it.each([
    ['a BigInt', () => 10n],
    ['a circular object', () => {
      const value: Record<string, unknown> = {};
      value.self = value;
      return value;
    }],
    ['a function', () => () => 1],
  ])('a handler replying %s (not JSON) → 200 {"ok":true}, the id stays done, onError told misconfigured; the retry is a duplicate (#13)', async (_label, body) => {
    const receiver = createReceiver({ provider: swh });
    const reported: string[] = [];
    receiver.onError((error) => reported.push(error.code));
    let calls = 0;
    receiver.onAny(() => {
      calls++;
      return reply(body());
    });
    const first = await deliver(receiver, event, { id: 'msg_reply' });
    expect([first.status, first.body]).toEqual([200, '{"ok":true}']);
    expect(reported).toEqual(['misconfigured']);
    const retry = await deliver(receiver, event, { id: 'msg_reply' });
    expect([retry.status, retry.body]).toEqual([200, '{"ok":true,"duplicate":true}']);
    expect(calls).toBe(1);
  });

  it.each([
    ['a BigInt', () => 10n],
    ['a database row', () => ({ id: 7, email: 'a@example.com', password_hash: 'x' })],
  ])('a handler returning %s for a sender that expects no reply → 200 {"ok":true}, nothing reported (#13)', async (_label, value) => {
    const receiver = createReceiver({ provider: swh });
    const reported: string[] = [];
    receiver.onError((error) => reported.push(error.code));
    receiver.onAny(() => value());
    const result = await deliver(receiver, event, { id: 'msg_row' });
    expect([result.status, result.body]).toEqual([200, '{"ok":true}']);
    expect(reported).toEqual([]);
  });
});
