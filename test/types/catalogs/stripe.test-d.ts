import type Stripe from 'stripe';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createReceiver, providers, type EventType, type StripeEvents } from '../../../src/index.js';

const receiver = createReceiver({ provider: providers.stripe({ secret: 'whsec_test' }) });

describe('Stripe catalog (#16)', () => {
  it('accepts exactly the `type`s of Stripe.Event', () => {
    expectTypeOf<EventType<undefined, StripeEvents>>().toEqualTypeOf<Stripe.Event['type']>();
  });

  it('types a field of a specific event: payload.data.object is a Stripe.Invoice in invoice.paid', () => {
    receiver.on('invoice.paid', ({ payload }) => {
      expectTypeOf(payload).toEqualTypeOf<Stripe.InvoicePaidEvent>();
      expectTypeOf(payload.data.object).toEqualTypeOf<Stripe.Invoice>();
      expectTypeOf(payload.type).toEqualTypeOf<'invoice.paid'>();
    });
    receiver.on('checkout.session.completed', ({ payload }) => {
      expectTypeOf(payload.data.object).toEqualTypeOf<Stripe.Checkout.Session>();
    });
  });

  it('a misspelt event name or payload field does not compile', () => {
    // @ts-expect-error 'invoice.payed' is not a Stripe event
    receiver.on('invoice.payed', () => undefined);
    receiver.on('invoice.paid', ({ payload }) => {
      // @ts-expect-error an invoice has `amount_paid`, not `amount_payed`
      void payload.data.object.amount_payed;
    });
  });

  it('an `events` entry overrides that name; the other names stay typed from the catalog', () => {
    const withSchema = createReceiver({
      provider: providers.stripe({ secret: 'whsec_test' }),
      events: { 'invoice.paid': z.object({ id: z.string(), data: z.object({ object: z.object({ id: z.string() }) }) }) },
    });
    withSchema.on('invoice.paid', ({ payload }) => {
      expectTypeOf(payload).toEqualTypeOf<{ id: string; data: { object: { id: string } } }>();
    });
    withSchema.on('customer.created', ({ payload }) => {
      expectTypeOf(payload.data.object).toEqualTypeOf<Stripe.Customer>();
    });
  });

  it('onAny gets the union: Stripe.Event, narrowed by `type`', () => {
    receiver.onAny(({ payload }) => {
      expectTypeOf(payload).toEqualTypeOf<Stripe.Event>();
      if (payload.type === 'invoice.paid') expectTypeOf(payload.data.object).toEqualTypeOf<Stripe.Invoice>();
    });
  });

  it('delivery.id is a string: every Stripe event has an id', () => {
    receiver.on('invoice.paid', ({ id }) => {
      expectTypeOf(id).toEqualTypeOf<string>();
    });
  });
});
