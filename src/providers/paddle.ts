import { pickString } from '../core/body.js';
import type { SecretInput } from '../crypto/keys.js';
import { hmac } from './hmac.js';
import { keyValueSignatureList } from './signature-header.js';
import type { Provider } from './types.js';

/** Paddle's SDKs allow 5 s (developer.paddle.com "Verify webhook signatures"; paddle-node-sdk `WebhooksValidator.MAX_VALID_TIME_DIFFERENCE = 5`). */
export const PADDLE_TOLERANCE_SECONDS = 5;

export interface PaddleOptions {
  /** The notification destination's secret key (`pdl_ntfset_…`), used whole as UTF-8; an array while rotating. */
  secret: SecretInput | readonly SecretInput[];
  /** Replay window in seconds (default 5, as Paddle's SDKs), both ways. */
  toleranceSeconds?: number;
}

/**
 * Paddle Billing: `Paddle-Signature: ts=<ts>;h1=<hex HMAC-SHA256>[;h1=…]` over `${ts}:${body}`.
 * Every `h1` is tried (Paddle sends one per active secret while you rotate; paddle-node-sdk reads
 * only the last). The id is `event_id`, the type `event_type` (`transaction.completed`).
 *
 * @example
 * const provider = providers.paddle({ secret: process.env.PADDLE_WEBHOOK_SECRET! });
 */
export function paddle(options: PaddleOptions): Provider {
  return hmac({
    name: 'paddle',
    secret: options?.secret,
    signatureHeader: 'paddle-signature',
    signatureFormat: keyValueSignatureList('ts', ';'),
    signatureVersion: 'h1',
    signedContent: ({ timestamp, body }) => [`${timestamp}:`, body],
    toleranceSeconds: options?.toleranceSeconds ?? PADDLE_TOLERANCE_SECONDS,
    locateId: (payload) => pickString(payload, ['event_id']),
    locateType: (payload) => pickString(payload, ['event_type']),
    signHeaders: () => ({ 'content-type': 'application/json' }),
  });
}
