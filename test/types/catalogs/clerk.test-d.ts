import type { UserJSON, WebhookEvent } from '@clerk/backend';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createReceiver, providers, type EventType, type ClerkEvents } from '../../../src/index.js';

const receiver = createReceiver({ provider: providers.clerk({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }) });

describe('Clerk catalog (#16)', () => {
  it('accepts exactly the `type`s of WebhookEvent', () => {
    expectTypeOf<EventType<undefined, ClerkEvents>>().toEqualTypeOf<WebhookEvent['type']>();
  });

  it('types a field of a specific event, its `type` narrowed to the name', () => {
    receiver.on('user.created', ({ payload }) => {
      expectTypeOf(payload.data).toEqualTypeOf<UserJSON>();
      expectTypeOf(payload.type).toEqualTypeOf<'user.created'>();
    });
  });

  it('a misspelt event name does not compile', () => {
    // @ts-expect-error 'user.create' is not a Clerk event
    receiver.on('user.create', () => undefined);
  });

  it('an `events` entry overrides that name', () => {
    const withSchema = createReceiver({
      provider: providers.clerk({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }),
      events: { 'user.deleted': z.object({ data: z.object({ id: z.string() }) }) },
    });
    withSchema.on('user.deleted', ({ payload }) => {
      expectTypeOf(payload).toEqualTypeOf<{ data: { id: string } }>();
    });
  });

  it('onAny gets the union, narrowed by `type`; delivery.id is the svix-id, always sent', () => {
    receiver.onAny(({ payload, id }) => {
      expectTypeOf<WebhookEvent>().toExtend<typeof payload>();
      if (payload.type === 'user.created') expectTypeOf(payload.data).toEqualTypeOf<UserJSON>();
      expectTypeOf(id).toEqualTypeOf<string>();
    });
  });
});
