import type Stripe from 'stripe';
import type { IfInstalled } from './if-installed.js';

/** Stripe's events by `type`, from the `stripe` package's own `Stripe.Event` union (`invoice.paid` → `Stripe.InvoicePaidEvent`). */
export type StripeEvents = IfInstalled<Stripe.Event, { [Event in Stripe.Event as Event['type']]: Event }>;
