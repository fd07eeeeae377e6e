import { pickString } from '../core/body.js';
import type { SecretInput } from '../crypto/keys.js';
import { hmac } from './hmac.js';
import type { Provider } from './types.js';

export interface TypeformOptions {
  /** The webhook's secret (set on the webhook in Connect → Webhooks, or via the API); an array while rotating. */
  secret: SecretInput | readonly SecretInput[];
}

/**
 * Typeform: `Typeform-Signature: sha256=<base64 HMAC-SHA256(body)>`. No timestamp is signed:
 * replays are stopped by dedupe on `payload.event_id`. The type is `payload.event_type` (`form_response`).
 * Source: https://www.typeform.com/developers/webhooks/secure-your-webhooks/
 *
 * @example
 * const provider = providers.typeform({ secret: process.env.TYPEFORM_WEBHOOK_SECRET! });
 */
export function typeform(options: TypeformOptions): Provider {
  return hmac({
    name: 'typeform',
    secret: options?.secret,
    signatureHeader: 'typeform-signature',
    signaturePrefix: 'sha256=',
    encoding: 'base64',
    locateId: (payload) => pickString(payload, ['event_id']),
    locateType: (payload) => pickString(payload, ['event_type']),
    signHeaders: () => ({ 'content-type': 'application/json' }),
  });
}
