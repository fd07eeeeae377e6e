import { describe, expectTypeOf, it } from 'vitest';
import { expressMiddleware } from '../../../src/adapters/express.js';
import { fetchHandler } from '../../../src/adapters/fetch.js';
import { createReceiver, providers, type Receiver } from '../../../src/index.js';

interface MyEvents {
  'order.created': { id: string; total: number };
  'order.cancelled': { id: string; reason: string };
}

describe('a user\'s own event map on the generic builders (#16)', () => {
  it('hmac<Events>() types names and payloads without schemas', () => {
    const receiver = createReceiver({ provider: providers.hmac<MyEvents>({ secret: 's', signatureHeader: 'x-sig' }) });
    receiver.on('order.created', ({ payload, id }) => {
      expectTypeOf(payload.total).toEqualTypeOf<number>();
      expectTypeOf(id).toEqualTypeOf<string | undefined>();
    });
    // @ts-expect-error not one of MyEvents
    receiver.on('order.creatd', () => undefined);
    receiver.onAny(({ payload }) => {
      expectTypeOf(payload).toEqualTypeOf<MyEvents[keyof MyEvents]>();
    });
  });

  it('ed25519<Events, string>() also types the id as always sent', () => {
    const receiver = createReceiver({ provider: providers.ed25519<MyEvents, string>({ publicKey: 'a'.repeat(64), signatureHeader: 'x-sig' }) });
    receiver.on('order.cancelled', ({ payload, id }) => {
      expectTypeOf(payload.reason).toEqualTypeOf<string>();
      expectTypeOf(id).toEqualTypeOf<string>();
    });
  });

  it('standardWebhooks<Events>(): ids are signed, so always a string', () => {
    const receiver = createReceiver({ provider: providers.standardWebhooks<MyEvents>({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }) });
    receiver.on('order.created', ({ id }) => {
      expectTypeOf(id).toEqualTypeOf<string>();
    });
  });
});

describe('presets without a catalog behave as before (#16)', () => {
  it('any name, unknown payload', () => {
    const receiver = createReceiver({ provider: providers.shopify({ secret: 's' }) });
    receiver.on('orders/create', ({ payload, id }) => {
      expectTypeOf(payload).toEqualTypeOf<unknown>();
      expectTypeOf(id).toEqualTypeOf<string | undefined>();
    });
    receiver.onAny(({ payload }) => {
      expectTypeOf(payload).toEqualTypeOf<unknown>();
    });
  });
});

describe('a catalog receiver fits everywhere a Receiver does (#16)', () => {
  it('adapters and a plain Receiver annotation accept it', () => {
    const receiver = createReceiver({ provider: providers.github({ secret: 's' }) });
    expressMiddleware(receiver);
    fetchHandler(receiver);
    const plain: Receiver = receiver;
    plain.on('anything', ({ payload, id }) => {
      expectTypeOf(payload).toEqualTypeOf<unknown>();
      expectTypeOf(id).toEqualTypeOf<string | undefined>();
    });
  });
});
