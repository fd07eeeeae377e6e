import { pickString } from '../core/body.js';
import type { SecretInput } from '../crypto/keys.js';
import { hmac } from './hmac.js';
import { keyValueSignatureList } from './signature-header.js';
import type { StripeCatalog } from '../catalogs/stripe.js';
import type { EventCatalog, Provider, ProviderTypes } from './types.js';

export interface StripeOptions {
  /** The endpoint's signing secret (`whsec_…`), used whole as UTF-8 (not base64-decoded); an array while rotating. */
  secret: SecretInput | readonly SecretInput[];
  /** Replay window in seconds (default 300, like stripe-node). */
  toleranceSeconds?: number;
}

/**
 * Stripe: `Stripe-Signature: t=<ts>,v1=<hex HMAC-SHA256>[,v1=…]` over `${t}.${body}`. Several
 * `v1` entries (Stripe sends one per active secret while you roll it) pass if any one matches;
 * `v0` entries are ignored. Unlike stripe-node, a timestamp too far in the future is refused too.
 *
 * @example
 * const provider = providers.stripe({ secret: process.env.STRIPE_WEBHOOK_SECRET! });
 */
export function stripe(options: StripeOptions): Provider<ProviderTypes<StripeCatalog, string>> {
  return stripeScheme<StripeCatalog>('stripe', 'stripe-signature', options);
}

/** Stripe's scheme under another sender's name and header (Mux signs exactly this way). */
export function stripeScheme<Events extends EventCatalog | undefined = undefined>(name: string, signatureHeader: string, options: StripeOptions): Provider<ProviderTypes<Events, string>> {
  return hmac<Events, string>({
    name,
    secret: options?.secret,
    signatureHeader,
    signatureFormat: keyValueSignatureList('t', ','),
    signatureVersion: 'v1',
    signedContent: ({ timestamp, body }) => [`${timestamp}.`, body],
    toleranceSeconds: options?.toleranceSeconds,
    locateId: (payload) => pickString(payload, ['id']),
    idRequired: { where: "the event's `id`" },
    locateType: (payload) => pickString(payload, ['type']),
    signHeaders: () => ({ 'content-type': 'application/json' }),
  });
}
