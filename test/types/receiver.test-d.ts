import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createReceiver, memoryStore, providers, type Delivery, type StandardSchemaV1, type WebhookError } from '../../src/index.js';

const provider = providers.standardWebhooks({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });

const invoicePaid = z.object({
  type: z.literal('invoice.paid'),
  data: z.object({ id: z.string(), amount: z.number(), currency: z.string().default('usd') }),
});

interface Order {
  id: string;
  total: number;
}
const orderSchema: StandardSchemaV1<unknown, Order> = {
  '~standard': { version: 1, vendor: 'hand', validate: (value) => ({ value: value as Order }) },
};

describe('createReceiver() with events', () => {
  const receiver = createReceiver({
    provider,
    events: {
      'invoice.paid': invoicePaid,
      'invoice.cents': invoicePaid.transform((payload) => ({ cents: payload.data.amount * 100 })),
      'order.created': orderSchema,
    },
  });

  it('infers the handler payload from the zod schema (output type)', () => {
    receiver.on('invoice.paid', (d) => {
      expectTypeOf(d.payload.data.amount).toEqualTypeOf<number>();
      expectTypeOf(d.payload.data.id).toEqualTypeOf<string>();
      // default() makes the output field required
      expectTypeOf(d.payload.data.currency).toEqualTypeOf<string>();
      expectTypeOf(d.payload.type).toEqualTypeOf<'invoice.paid'>();
    });
  });

  it('a zod transform\'s output type is the payload type', () => {
    receiver.on('invoice.cents', (d) => {
      expectTypeOf(d.payload).toEqualTypeOf<{ cents: number }>();
    });
  });

  it('d.type is the literal key the handler was registered for', () => {
    receiver.on('invoice.paid', (d) => {
      expectTypeOf(d.type).toEqualTypeOf<'invoice.paid'>();
    });
    receiver.on('order.created', (d) => {
      expectTypeOf(d.type).toEqualTypeOf<'order.created'>();
    });
  });

  it('the other delivery fields have their documented types', () => {
    receiver.on('invoice.paid', (d) => {
      // Standard Webhooks signs `webhook-id`, so every delivery has one (#16).
      expectTypeOf(d.id).toEqualTypeOf<string>();
      expectTypeOf(d.timestamp).toEqualTypeOf<number | undefined>();
      expectTypeOf(d.headers).toEqualTypeOf<Readonly<Record<string, string>>>();
      expectTypeOf(d.rawBody).toEqualTypeOf<Uint8Array>();
      expectTypeOf(d.provider).toEqualTypeOf<string>();
    });
  });

  it('a hand-written Standard Schema\'s output type flows through', () => {
    receiver.on('order.created', (d) => {
      expectTypeOf(d.payload).toEqualTypeOf<Order>();
      expectTypeOf(d.payload.total).toEqualTypeOf<number>();
    });
  });

  it('a hand-written schema that leaves `types` out: the output comes from what validate returns (sync or async)', () => {
    const bare = createReceiver({
      provider,
      events: {
        sync: { '~standard': { version: 1, vendor: 'hand', validate: (value: unknown) => ({ value: value as Order }) } },
        async: {
          '~standard': {
            version: 1,
            vendor: 'hand',
            validate: async (value: unknown) =>
              typeof value === 'object' ? { value: { ok: true as const } } : { issues: [{ message: 'not an object' }] },
          },
        },
      },
    });
    bare.on('sync', (d) => {
      expectTypeOf(d.payload).toEqualTypeOf<Order>();
    });
    bare.on('async', (d) => {
      expectTypeOf(d.payload).toEqualTypeOf<{ ok: true }>();
    });
  });

  it('an event name that is not a key of events does not compile', () => {
    // @ts-expect-error 'not.an.event' is not a key of `events`
    receiver.on('not.an.event', () => undefined);
    // @ts-expect-error a near miss is still wrong
    receiver.on('invoice.Paid', () => undefined);
  });

  it('a payload field that does not exist does not compile', () => {
    receiver.on('invoice.paid', (d) => {
      // @ts-expect-error `amnt` is not a field of data
      void d.payload.data.amnt;
      // @ts-expect-error amount is a number, not a string
      d.payload.data.amount.toUpperCase();
    });
  });

  it('onAny payload is unknown and its type is string', () => {
    receiver.onAny((d) => {
      expectTypeOf(d.payload).toEqualTypeOf<unknown>();
      expectTypeOf(d.type).toEqualTypeOf<string>();
    });
  });

  it('on / onAny / onError chain and return the receiver', () => {
    expectTypeOf(receiver.on('invoice.paid', () => undefined)).toEqualTypeOf(receiver);
    expectTypeOf(receiver.onAny(() => undefined)).toEqualTypeOf(receiver);
    expectTypeOf(receiver.onError(() => undefined)).toEqualTypeOf(receiver);
  });

  it('handlers may be async and may return a reply value', () => {
    receiver.on('invoice.paid', async () => ({ type: 4 }));
    receiver.on('invoice.paid', () => 'text');
  });
});

describe('createReceiver() without events', () => {
  const receiver = createReceiver({ provider });

  it('accepts any event name and gives an unknown payload', () => {
    receiver.on('anything.at.all', (d) => {
      expectTypeOf(d.payload).toEqualTypeOf<unknown>();
      expectTypeOf(d.type).toEqualTypeOf<'anything.at.all'>();
    });
    const name: string = 'runtime.name';
    receiver.on(name, (d) => {
      expectTypeOf(d.type).toEqualTypeOf<string>();
    });
  });

  it('the unknown payload must be narrowed before use', () => {
    receiver.on('x', (d) => {
      // @ts-expect-error payload is unknown
      void d.payload.data;
    });
  });
});

describe('createReceiver() options and callbacks', () => {
  it('onError receives (WebhookError, Delivery | undefined)', () => {
    createReceiver({ provider }).onError((error, delivery) => {
      expectTypeOf(error).toEqualTypeOf<WebhookError>();
      expectTypeOf(error.code).toEqualTypeOf<WebhookError['code']>();
      expectTypeOf(delivery).toEqualTypeOf<Delivery | undefined>();
    });
  });

  it('an async onError is allowed', () => {
    createReceiver({ provider }).onError(async () => undefined);
  });

  it('accepts dedupe: a store or false; unhandled: ignore | reject', () => {
    createReceiver({ provider, dedupe: memoryStore({ maxEntries: 10 }) });
    createReceiver({ provider, dedupe: false });
    createReceiver({ provider, unhandled: 'reject', toleranceSeconds: Infinity, maxBodyBytes: 1024 });
    // @ts-expect-error dedupe: true is not a store
    createReceiver({ provider, dedupe: true });
    // @ts-expect-error unhandled is 'ignore' | 'reject'
    createReceiver({ provider, unhandled: 'drop' });
    // @ts-expect-error provider is required
    createReceiver({ events: {} });
  });

  it('events must map to Standard Schemas', () => {
    // @ts-expect-error a number is not a schema
    createReceiver({ provider, events: { a: 1 } });
  });

  it('receive() resolves to a ReceiveResult', () => {
    const result = createReceiver({ provider }).receive({ method: 'POST', headers: {}, body: '' });
    expectTypeOf(result).resolves.toEqualTypeOf<{ status: number; headers: Record<string, string>; body: string }>();
  });
});
