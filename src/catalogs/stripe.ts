import type Stripe from 'stripe';
import type { IfInstalled } from './if-installed.js';

type ByType = { [Event in Stripe.Event as Event['type']]: Event };

/** Stripe's events by `type`, from the `stripe` package's own `Stripe.Event` union (`invoice.paid` → `Stripe.InvoicePaidEvent`). */
export interface StripeEvents extends ByType {}

/** What the `stripe` preset carries: the catalog, or none when `stripe` is not installed. */
export type StripeCatalog = IfInstalled<Stripe.Event, StripeEvents>;
