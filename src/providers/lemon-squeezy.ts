import { pickString } from '../core/body.js';
import type { SecretInput } from '../crypto/keys.js';
import { hmac } from './hmac.js';
import type { Provider } from './types.js';

export interface LemonSqueezyOptions {
  /** The webhook's signing secret (Settings → Webhooks); an array while rotating. */
  secret: SecretInput | readonly SecretInput[];
}

/**
 * Lemon Squeezy: `X-Signature: <hex HMAC-SHA256(body)>`. No timestamp and no delivery id are
 * sent, so neither a replay window nor dedupe applies: make handlers idempotent (on `data.id`).
 * The type is `X-Event-Name`, else `meta.event_name` (`order_created`).
 * Source: https://docs.lemonsqueezy.com/help/webhooks/signing-requests
 *
 * @example
 * const provider = providers.lemonSqueezy({ secret: process.env.LEMON_SQUEEZY_WEBHOOK_SECRET! });
 */
export function lemonSqueezy(options: LemonSqueezyOptions): Provider {
  return hmac({
    name: 'lemon-squeezy',
    secret: options?.secret,
    signatureHeader: 'x-signature',
    typeHeader: 'x-event-name',
    locateType: (payload) => pickString(payload, ['meta', 'event_name']),
    signHeaders: () => ({ 'content-type': 'application/json' }),
  });
}
