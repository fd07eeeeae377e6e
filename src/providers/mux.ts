import type { SecretInput } from '../crypto/keys.js';
import { stripeScheme } from './stripe.js';
import type { Provider } from './types.js';

export interface MuxOptions {
  /** The webhook's signing secret (Settings → Webhooks; one per endpoint), used as UTF-8; an array while rotating. */
  secret: SecretInput | readonly SecretInput[];
  /** Replay window in seconds (default 300, like @mux/mux-node). */
  toleranceSeconds?: number;
}

/**
 * Mux: `Mux-Signature: t=<ts>,v1=<hex HMAC-SHA256>` over `${t}.${body}` (Stripe's scheme); every
 * `v1` is tried. The id is `payload.id`, the type `payload.type` (`video.asset.ready`). Unlike
 * @mux/mux-node, a timestamp too far in the future is refused too.
 * Source: https://www.mux.com/docs/core/verify-webhook-signatures
 *
 * @example
 * const provider = providers.mux({ secret: process.env.MUX_WEBHOOK_SECRET! });
 */
export function mux(options: MuxOptions): Provider {
  return stripeScheme('mux', 'mux-signature', options);
}
