/**
 * Broken parts (#6): a handler that hangs (handlerTimeoutMs), one that throws something that is
 * not an Error, a dedupe store that throws or answers nonsense, and a shutdown with deliveries
 * in flight (close()). In each case the delivery is either handled or answered with a status
 * that makes the sender retry — never acknowledged and lost.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createReceiver, memoryStore, reply, type DedupeStore, type WebhookError } from '../../../src/index.js';
import { queueReceiver } from '../../../src/queue/queue-receiver.js';
import { deferred, deliver, json, outcome, swh } from './_helpers.js';

const event = { type: 'invoice.paid', data: { id: 'in_1' } };

afterEach(() => {
  vi.useRealTimers();
});

describe('handlerTimeoutMs', () => {
  it('a handler that never settles → 503 handler_timeout after handlerTimeoutMs; the id is released and the retry runs (#6)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const receiver = createReceiver({ provider: swh, handlerTimeoutMs: 5_000 });
    let calls = 0;
    receiver.on('invoice.paid', () => {
      calls++;
      if (calls === 1) return new Promise(() => {}); // hangs forever
      return reply({ handled: calls });
    });
    const first = deliver(receiver, event, { id: 'msg_hang' });
    await vi.advanceTimersByTimeAsync(4_999);
    let settled = false;
    void first.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome(await first)).toEqual([503, 'handler_timeout']);

    const retry = await deliver(receiver, event, { id: 'msg_hang' });
    expect([retry.status, json(retry)]).toEqual([200, { handled: 2 }]);
    expect(calls).toBe(2);
  });

  it('the default is 30 s: a handler still running at 29.999 s is waited for, one at 30 s is cut off (#6)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const receiver = createReceiver({ provider: swh });
    const slow = deferred();
    receiver.on('invoice.paid', () => slow.promise);
    const answer = deliver(receiver, event, { id: 'msg_slow' });
    await vi.advanceTimersByTimeAsync(29_999);
    slow.resolve();
    expect(outcome(await answer)).toEqual([200, undefined]);

    const hung = createReceiver({ provider: swh });
    hung.on('invoice.paid', () => new Promise(() => {}));
    const cut = deliver(hung, event, { id: 'msg_cut' });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(outcome(await cut)).toEqual([503, 'handler_timeout']);
  });

  it('a handler that rejects after its timeout → reported to onError, never an unhandled rejection (#6)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const receiver = createReceiver({ provider: swh, handlerTimeoutMs: 100 });
    const late = deferred();
    receiver.on('invoice.paid', () => late.promise);
    const reported: string[] = [];
    receiver.onError((error) => reported.push(error.code));
    const answer = deliver(receiver, event, { id: 'msg_late' });
    await vi.advanceTimersByTimeAsync(100);
    expect(outcome(await answer)).toEqual([503, 'handler_timeout']);
    late.reject(new Error('gave up at last'));
    await vi.advanceTimersByTimeAsync(0);
    expect(reported).toEqual(['handler_timeout', 'handler_failed']);
  });

  it('handlerTimeoutMs: false → no limit (#6)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const receiver = createReceiver({ provider: swh, handlerTimeoutMs: false });
    const slow = deferred();
    receiver.on('invoice.paid', () => slow.promise);
    const answer = deliver(receiver, event, { id: 'msg_nolimit' });
    await vi.advanceTimersByTimeAsync(3_600_000);
    slow.resolve();
    expect(outcome(await answer)).toEqual([200, undefined]);
  });

  it.each([0, -1, 1.5, Number.NaN, Infinity, 2 ** 31, '1000', true])('handlerTimeoutMs: %s → misconfigured at createReceiver (#6)', (value) => {
    expect(() => createReceiver({ provider: swh, handlerTimeoutMs: value as number })).toThrow(expect.objectContaining({ code: 'misconfigured', message: expect.stringContaining('handlerTimeoutMs') }));
  });
});

describe('handlers that throw what is not an Error', () => {
  const thrown: [string, () => unknown][] = [
    ['a string', () => 'kaboom'],
    ['undefined', () => undefined],
    ['null', () => null],
    ['a number', () => 42],
    ['a plain object', () => ({ message: 'not an Error' })],
    ['a Symbol', () => Symbol('failure')],
    ['an object whose toString throws', () => ({ toString: () => { throw new Error('no'); } })],
  ];
  for (const [name, value] of thrown) {
    it(`a handler throwing ${name} → 500 handler_failed; the id is released and the retry runs (#6)`, async () => {
      const receiver = createReceiver({ provider: swh });
      let calls = 0;
      const causes: unknown[] = [];
      receiver.onError((error: WebhookError) => causes.push(error.cause));
      receiver.on('invoice.paid', async () => {
        calls++;
        if (calls === 1) throw value();
      });
      const first = await deliver(receiver, event, { id: `msg_${name}` });
      expect(outcome(first)).toEqual([500, 'handler_failed']);
      expect(first.body).not.toContain('kaboom');
      expect(outcome(await deliver(receiver, event, { id: `msg_${name}` }))).toEqual([200, undefined]);
      expect(calls).toBe(2);
      expect(causes).toHaveLength(1);
    });
  }

  it('a handler returning a rejected promise of undefined → 500 handler_failed (#6)', async () => {
    const receiver = createReceiver({ provider: swh });
    receiver.on('invoice.paid', () => Promise.reject(undefined));
    expect(outcome(await deliver(receiver, event, { id: 'msg_reject_undefined' }))).toEqual([500, 'handler_failed']);
  });
});

describe('a dedupe store that fails', () => {
  const broken = (overrides: Partial<DedupeStore>): DedupeStore => ({ ...memoryStore(), ...overrides });

  it.each([
    ['claim() throws', broken({ claim: () => { throw new Error('ECONNREFUSED'); } })],
    ['claim() rejects', broken({ claim: () => Promise.reject(new Error('ETIMEDOUT')) })],
    ['claim() rejects with a non-Error', broken({ claim: () => Promise.reject('redis is down') })],
    ['claim() answers nonsense', broken({ claim: () => 'ok' as never })],
    ['claim() answers undefined', broken({ claim: () => undefined as never })],
  ])('%s → 503 store_unavailable, and no handler runs (fail closed) (#6)', async (_name, store) => {
    const receiver = createReceiver({ provider: swh, dedupe: store });
    let calls = 0;
    receiver.on('invoice.paid', () => {
      calls++;
    });
    const result = await deliver(receiver, event, { id: 'msg_store' });
    expect(outcome(result)).toEqual([503, 'store_unavailable']);
    expect(result.body).not.toMatch(/ECONNREFUSED|ETIMEDOUT|redis is down/);
    expect(calls).toBe(0);
  });

  it('complete() throws after the handler succeeded → still 200 (a retry would run it twice); onError is told (#6)', async () => {
    const receiver = createReceiver({ provider: swh, dedupe: broken({ complete: () => { throw new Error('write failed'); } }) });
    const reported: string[] = [];
    receiver.onError((error) => reported.push(error.code));
    receiver.on('invoice.paid', () => {});
    expect(outcome(await deliver(receiver, event, { id: 'msg_complete' }))).toEqual([200, undefined]);
    expect(reported).toEqual(['store_unavailable']);
  });

  it('release() throws after the handler failed → still 500 handler_failed (the sender retries); onError is told of both (#6)', async () => {
    const receiver = createReceiver({ provider: swh, dedupe: broken({ release: () => Promise.reject(new Error('write failed')) }) });
    const reported: string[] = [];
    receiver.onError((error) => reported.push(error.code));
    receiver.on('invoice.paid', () => {
      throw new Error('handler failed');
    });
    expect(outcome(await deliver(receiver, event, { id: 'msg_release' }))).toEqual([500, 'handler_failed']);
    expect(reported).toEqual(['store_unavailable', 'handler_failed']);
  });
});

describe('receiver.close()', () => {
  it('deliveries in flight finish with 200; new ones answer 503 shutting_down; close() resolves true once the last is done (#6)', async () => {
    const receiver = createReceiver({ provider: swh });
    const gate = deferred();
    const started = deferred();
    const handled: string[] = [];
    receiver.on('invoice.paid', async ({ id }) => {
      started.resolve();
      await gate.promise;
      handled.push(id as string);
    });
    const reported: string[] = [];
    receiver.onError((error) => reported.push(error.code));

    const inFlight = deliver(receiver, event, { id: 'msg_in_flight' });
    await started.promise;
    let closed: boolean | undefined;
    const closing = receiver.close().then((drained) => (closed = drained));

    const late = await deliver(receiver, event, { id: 'msg_after_close' });
    expect(outcome(late)).toEqual([503, 'shutting_down']);
    expect(reported).toEqual(['shutting_down']);
    await Promise.resolve();
    expect(closed).toBeUndefined();

    gate.resolve();
    expect(outcome(await inFlight)).toEqual([200, undefined]);
    await closing;
    expect(closed).toBe(true);
    expect(handled).toEqual(['msg_in_flight']);
    expect(outcome(await deliver(receiver, event, { id: 'msg_later_still' }))).toEqual([503, 'shutting_down']);
  });

  it('with nothing in flight → resolves true at once; calling it twice is harmless (#6)', async () => {
    const receiver = createReceiver({ provider: swh });
    await expect(receiver.close()).resolves.toBe(true);
    await expect(receiver.close({ timeoutMs: 10 })).resolves.toBe(true);
  });

  it('close({ timeoutMs }) with a handler still running → resolves false after timeoutMs; the delivery still answers when it is done (#6)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const receiver = createReceiver({ provider: swh, handlerTimeoutMs: false });
    const gate = deferred();
    receiver.on('invoice.paid', () => gate.promise);
    const inFlight = deliver(receiver, event, { id: 'msg_stuck' });
    await vi.advanceTimersByTimeAsync(0);
    const closing = receiver.close({ timeoutMs: 1_000 });
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(closing).resolves.toBe(false);
    gate.resolve();
    expect(outcome(await inFlight)).toEqual([200, undefined]);
  });

  it('with handlerTimeoutMs, close() waits at most that long for a hung handler (#6)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const receiver = createReceiver({ provider: swh, handlerTimeoutMs: 2_000 });
    receiver.on('invoice.paid', () => new Promise(() => {}));
    const inFlight = deliver(receiver, event, { id: 'msg_hung' });
    await vi.advanceTimersByTimeAsync(0);
    const closing = receiver.close();
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(closing).resolves.toBe(true);
    expect(outcome(await inFlight)).toEqual([503, 'handler_timeout']);
  });

  it.each([-1, Number.NaN, '5' as unknown as number])('close({ timeoutMs: %s }) → misconfigured (#6)', (timeoutMs) => {
    const receiver = createReceiver({ provider: swh });
    expect(() => receiver.close({ timeoutMs })).toThrow(expect.objectContaining({ code: 'misconfigured' }));
  });

  it('a queueReceiver closes the same way: 503 shutting_down for new deliveries, resolves once adds under way are done (#6)', async () => {
    const added = deferred();
    const release = deferred();
    const queue = {
      name: 'webhooks',
      add: async () => {
        added.resolve();
        await release.promise;
      },
    };
    const receiver = createReceiver({ provider: swh });
    receiver.on('invoice.paid', () => {});
    const queued = queueReceiver(receiver, { queue });
    const inFlight = deliver(queued, event, { id: 'msg_queued' });
    await added.promise;
    const closing = queued.close();
    expect(outcome(await deliver(queued, event, { id: 'msg_queued_late' }))).toEqual([503, 'shutting_down']);
    release.resolve();
    expect((await inFlight).status).toBe(202);
    await expect(closing).resolves.toBe(true);
  });
});
