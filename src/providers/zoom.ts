import type { KeyObject } from 'node:crypto';
import { pick, pickString } from '../core/body.js';
import { decode } from '../core/encoding.js';
import { WebhookError } from '../core/errors.js';
import { getHeader } from '../core/headers.js';
import { successResult } from '../core/result.js';
import { timingSafeEqual } from '../core/timing-safe-equal.js';
import { hmacDigest } from '../crypto/hmac.js';
import { importSecrets, type SecretInput } from '../crypto/keys.js';
import { hmac } from './hmac.js';
import type { Provider, VerifiedDelivery } from './types.js';

export interface ZoomOptions {
  /** The app's Secret Token (Features → Access → Secret Token); an array while rotating. */
  secretToken: SecretInput | readonly SecretInput[];
  /** Replay window in seconds for `x-zm-request-timestamp` (default 300). */
  toleranceSeconds?: number;
}

const VALIDATION = 'endpoint.url_validation';

/**
 * Zoom: `x-zm-signature: v0=<hex HMAC-SHA256>` over `v0:${x-zm-request-timestamp}:${body}`
 * (unix seconds). The type is `payload.event` (`meeting.started`); Zoom sends no delivery id.
 * A verified `endpoint.url_validation` is answered `{ plainToken, encryptedToken }`, the token's
 * hex HMAC-SHA256 under the secret token that signed the request.
 * Source: https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events
 *
 * @example
 * const provider = providers.zoom({ secretToken: process.env.ZOOM_WEBHOOK_SECRET_TOKEN! });
 */
export function zoom(options: ZoomOptions): Provider {
  const keys = importSecrets(options?.secretToken, 'utf8', 'secretToken');
  return hmac({
    name: 'zoom',
    secret: keys.map((key) => key.export()),
    secretOption: 'secretToken',
    signatureHeader: 'x-zm-signature',
    signaturePrefix: 'v0=',
    timestampHeader: 'x-zm-request-timestamp',
    signedContent: ({ timestamp, body }) => [`v0:${timestamp}:`, body],
    toleranceSeconds: options?.toleranceSeconds,
    locateType: (payload) => pickString(payload, ['event']),
    handshake: (parsed, verified) => {
      if (parsed.type !== VALIDATION) return undefined;
      const plainToken = pick(parsed.payload, ['payload', 'plainToken']);
      if (typeof plainToken !== 'string' || plainToken === '') {
        throw new WebhookError('invalid_body', 'An endpoint.url_validation request must carry a string `payload.plainToken`.');
      }
      const encryptedToken = hmacDigest(signingKey(keys, verified), 'sha256', [plainToken]).toString('hex');
      return successResult({ plainToken, encryptedToken });
    },
    signHeaders: () => ({ 'content-type': 'application/json' }),
  });
}

/** The secret token whose signature the (already verified) request carries: the one Zoom answers are checked with. */
function signingKey(keys: readonly KeyObject[], verified: VerifiedDelivery): KeyObject {
  if (keys.length === 1) return keys[0] as KeyObject;
  const signature = decode((getHeader(verified.headers, 'x-zm-signature') ?? '').slice('v0='.length).trim(), 'hex');
  const timestamp = getHeader(verified.headers, 'x-zm-request-timestamp') ?? '';
  const match = signature && keys.find((key) => timingSafeEqual(hmacDigest(key, 'sha256', [`v0:${timestamp}:`, verified.rawBody]), signature));
  return match || (keys[0] as KeyObject);
}
