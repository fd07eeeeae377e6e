import { pickString } from '../core/body.js';
import { WebhookError } from '../core/errors.js';
import { kindOf } from '../core/describe-value.js';
import type { SecretInput } from '../crypto/keys.js';
import { hmac } from './hmac.js';
import type { Provider } from './types.js';

export interface SquareOptions {
  /** The subscription's signature key (Developer Console → Webhooks), used as UTF-8; an array while rotating. */
  signatureKey: SecretInput | readonly SecretInput[];
  /** The notification URL exactly as set on the subscription: Square signs it, not the URL the request arrived at. */
  notificationUrl: string;
}

/**
 * Square: `x-square-hmacsha256-signature: <base64 HMAC-SHA256>` over `${notificationUrl}${body}`.
 * No timestamp is signed: replays are stopped by dedupe on `payload.event_id`. The type is
 * `payload.type` (`payment.updated`). Unlike the Square SDK (`===` on strings), the signature
 * is compared as bytes in constant time.
 * Source: https://developer.squareup.com/docs/webhooks/step3validate and square's WebhooksHelper.
 *
 * @example
 * const provider = providers.square({ signatureKey: process.env.SQUARE_SIGNATURE_KEY!, notificationUrl: 'https://example.com/webhooks/square' });
 */
export function square(options: SquareOptions): Provider {
  const notificationUrl = options?.notificationUrl;
  if (typeof notificationUrl !== 'string' || !/^https?:\/\/[^/?#]+/i.test(notificationUrl)) {
    throw new WebhookError('misconfigured', `square(): \`notificationUrl\` must be the subscription's notification URL exactly as set in the Developer Console (https://…); got ${kindOf(notificationUrl)}.`);
  }
  return hmac({
    name: 'square',
    secret: options.signatureKey,
    secretOption: 'signatureKey',
    signatureHeader: 'x-square-hmacsha256-signature',
    encoding: 'base64',
    signedContent: ({ body }) => [notificationUrl, body],
    locateId: (payload) => pickString(payload, ['event_id']),
    locateType: (payload) => pickString(payload, ['type']),
    signHeaders: () => ({ 'content-type': 'application/json' }),
  });
}
