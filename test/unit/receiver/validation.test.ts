import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createReceiver, type StandardSchemaV1 } from '../../../src/index.js';
import { signRequest } from '../../../src/testing/index.js';
import { NOW, deliver, json, outcome, swh } from './_helpers.js';

const invoicePaid = z.object({
  type: z.literal('invoice.paid'),
  data: z.object({ id: z.string(), amount: z.number(), currency: z.string().default('usd') }),
});

interface Order {
  type: 'order.created';
  total: number;
}

/** A Standard Schema v1 written by hand, no library: checks `total` and doubles it (output ≠ input). */
function handWritten(mode: 'sync' | 'async'): StandardSchemaV1<unknown, Order> {
  const check = (value: unknown): StandardSchemaV1.Result<Order> => {
    const total = (value as { total?: unknown }).total;
    if (typeof total !== 'number') return { issues: [{ message: 'total must be a number', path: [{ key: 'total' }] }] };
    return { value: { type: 'order.created', total: total * 2 } };
  };
  return {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: mode === 'sync' ? check : async (value) => {
        await new Promise((resolve) => setImmediate(resolve));
        return check(value);
      },
    },
  };
}

describe('receive(): payload validation', () => {
  it('a zod schema that passes gives the handler the parsed OUTPUT (default applied, transform visible)', async () => {
    const receiver = createReceiver({
      provider: swh,
      events: {
        'invoice.paid': invoicePaid.transform((payload) => ({ ...payload, cents: payload.data.amount * 100 })),
      },
    });
    let seen: unknown;
    receiver.on('invoice.paid', (delivery) => {
      seen = delivery.payload;
    });
    const result = await deliver(receiver, { type: 'invoice.paid', data: { id: 'in_1', amount: 5 } });
    expect(outcome(result)).toEqual([200, undefined]);
    expect(seen).toEqual({ type: 'invoice.paid', data: { id: 'in_1', amount: 5, currency: 'usd' }, cents: 500 });
  });

  it('a zod schema that fails → 422 schema_mismatch with issues [{ path: "data.amount", message }] and the handler not called', async () => {
    const receiver = createReceiver({ provider: swh, events: { 'invoice.paid': invoicePaid } });
    let called = 0;
    receiver.on('invoice.paid', () => {
      called++;
    });
    const result = await deliver(receiver, { type: 'invoice.paid', data: { id: 'in_1', amount: 'five' } });
    expect(outcome(result)).toEqual([422, 'schema_mismatch']);
    const { error } = json(result) as { error: { issues: { path: string; message: string }[] } };
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toEqual({ path: 'data.amount', message: expect.any(String) });
    expect((error.issues[0] as { message: string }).message.length).toBeGreaterThan(0);
    expect(called).toBe(0);
  });

  it('a failing schema lists every issue, and onAny does not run either', async () => {
    const receiver = createReceiver({ provider: swh, events: { 'invoice.paid': invoicePaid } });
    let called = 0;
    receiver.on('invoice.paid', () => {
      called++;
    });
    receiver.onAny(() => {
      called++;
    });
    const result = await deliver(receiver, { type: 'invoice.paid', data: {} });
    expect(outcome(result)).toEqual([422, 'schema_mismatch']);
    const paths = (json(result) as { error: { issues: { path: string }[] } }).error.issues.map((issue) => issue.path);
    expect(paths.sort()).toEqual(['data.amount', 'data.id']);
    expect(called).toBe(0);
  });

  it('a schema failure (422) does not claim the id: the same id, once it passes, is handled (200)', async () => {
    let strict = true;
    const flaky: StandardSchemaV1 = {
      '~standard': { version: 1, vendor: 'test', validate: (value) => (strict ? { issues: [{ message: 'no' }] } : { value }) },
    };
    const receiver = createReceiver({ provider: swh, events: { a: flaky } });
    let called = 0;
    receiver.on('a', () => {
      called++;
    });
    expect(outcome(await deliver(receiver, { type: 'a' }, { id: 'msg_schema' }))).toEqual([422, 'schema_mismatch']);
    strict = false;
    expect(outcome(await deliver(receiver, { type: 'a' }, { id: 'msg_schema' }))).toEqual([200, undefined]);
    expect(called).toBe(1);
  });

  it.each(['sync', 'async'] as const)('a hand-written (non-zod) Standard Schema with %s validate: its output reaches the handler', async (mode) => {
    const receiver = createReceiver({ provider: swh, events: { 'order.created': handWritten(mode) } });
    let seen: Order | undefined;
    receiver.on('order.created', (delivery) => {
      seen = delivery.payload;
    });
    expect(outcome(await deliver(receiver, { type: 'order.created', total: 21 }))).toEqual([200, undefined]);
    expect(seen).toEqual({ type: 'order.created', total: 42 });
  });

  it.each(['sync', 'async'] as const)('a hand-written Standard Schema with %s validate that fails → 422 with its issues (path segments as { key })', async (mode) => {
    const receiver = createReceiver({ provider: swh, events: { 'order.created': handWritten(mode) } });
    let called = 0;
    receiver.on('order.created', () => {
      called++;
    });
    const result = await deliver(receiver, { type: 'order.created', total: 'x' });
    expect(outcome(result)).toEqual([422, 'schema_mismatch']);
    expect((json(result) as { error: { issues: unknown } }).error.issues).toEqual([{ path: 'total', message: 'total must be a number' }]);
    expect(called).toBe(0);
  });

  it('a validate that returns a non-native thenable is awaited too', async () => {
    const thenable: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value) =>
          ({ then: (resolve: (result: StandardSchemaV1.Result<unknown>) => void) => resolve({ value: { wrapped: value } }) }) as unknown as Promise<StandardSchemaV1.Result<unknown>>,
      },
    };
    const receiver = createReceiver({ provider: swh, events: { a: thenable } });
    let seen: unknown;
    receiver.on('a', (delivery) => {
      seen = delivery.payload;
    });
    expect(outcome(await deliver(receiver, { type: 'a' }))).toEqual([200, undefined]);
    expect(seen).toEqual({ wrapped: { type: 'a' } });
  });

  it('a type without a schema gives handlers the decoded JSON as it is', async () => {
    const receiver = createReceiver({ provider: swh, events: { 'invoice.paid': invoicePaid } });
    let seen: unknown;
    receiver.onAny((delivery) => {
      seen = delivery.payload;
    });
    expect(outcome(await deliver(receiver, { type: 'other', extra: [1, 2] }))).toEqual([200, undefined]);
    expect(seen).toEqual({ type: 'other', extra: [1, 2] });
  });

  it('onAny receives the validated output for a type that has a schema', async () => {
    const receiver = createReceiver({ provider: swh, events: { 'invoice.paid': invoicePaid } });
    let seen: unknown;
    receiver.onAny((delivery) => {
      seen = delivery.payload;
    });
    await deliver(receiver, { type: 'invoice.paid', data: { id: 'in_2', amount: 1 } });
    expect(seen).toEqual({ type: 'invoice.paid', data: { id: 'in_2', amount: 1, currency: 'usd' } });
  });

  it.each([
    ['not JSON', '{"type":'],
    ['empty', ''],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d])],
  ])('a signed body that is %s → 400 invalid_body, and no handler runs', async (_label, body) => {
    const receiver = createReceiver({ provider: swh });
    let called = 0;
    receiver.onAny(() => {
      called++;
    });
    const signed = signRequest(swh, body, { timestamp: NOW });
    expect(outcome(await receiver.receive({ method: 'POST', headers: signed.headers, body: signed.body, now: NOW }))).toEqual([400, 'invalid_body']);
    expect(called).toBe(0);
  });
});

describe('validation that overflows the stack (#13 item 9)', () => {
  const throwing = (make: () => unknown, async = false): StandardSchemaV1 => ({
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: () => {
        if (async) return Promise.reject(make());
        throw make();
      },
    },
  });
  const recurse = (): number => recurse() + 1;
  const overflow = () => {
    try {
      return recurse();
    } catch (error) {
      return error;
    }
  };

  it.each([
    ['thrown synchronously', false],
    ['as a rejection', true],
  ])('a real stack overflow %s → 422 schema_mismatch, nested too deeply', async (_label, async) => {
    const receiver = createReceiver({ provider: swh, events: { deep: throwing(overflow, async) } });
    receiver.on('deep', () => undefined);
    const result = await deliver(receiver, { type: 'deep' });
    expect(outcome(result)).toEqual([422, 'schema_mismatch']);
    expect(json(result)).toMatchObject({ error: { issues: [{ path: '', message: 'nested too deeply' }] } });
  });

  it('any other throw from a validator stays a 500 handler_failed (a schema bug must be retried, not dropped)', async () => {
    const receiver = createReceiver({ provider: swh, events: { buggy: throwing(() => new RangeError('Invalid array length')) } });
    receiver.on('buggy', () => undefined);
    expect(outcome(await deliver(receiver, { type: 'buggy' }))).toEqual([500, 'handler_failed']);
  });
});
