import { randomInt } from 'node:crypto';
import { pickString } from '../core/body.js';
import { formatRfc3339, parseRfc3339 } from '../core/timestamp.js';
import type { SecretInput } from '../crypto/keys.js';
import { hmac } from './hmac.js';
import type { Provider } from './types.js';

export interface ZendeskOptions {
  /** The webhook's signing secret (Admin Center → Webhooks → Reveal secret), used as UTF-8 text; an array while rotating. */
  secret: SecretInput | readonly SecretInput[];
  /** Replay window in seconds for `X-Zendesk-Webhook-Signature-Timestamp` (default 300; Zendesk names none). */
  toleranceSeconds?: number;
}

/**
 * Zendesk: `X-Zendesk-Webhook-Signature: <base64 HMAC-SHA256>` over
 * `${X-Zendesk-Webhook-Signature-Timestamp}${body}`, the timestamp in ISO 8601 / RFC 3339
 * (`2021-03-25T05:09:27Z`). The id is `X-Zendesk-Webhook-Invocation-Id` (kept across retries);
 * the type is `payload.type` for event webhooks (`zen:event-type:ticket.created`). Trigger and
 * automation webhooks may send form bodies; their type is whatever your payload's `type` says.
 * Source: https://developer.zendesk.com/documentation/webhooks/verifying/ and
 * https://developer.zendesk.com/documentation/webhooks/anatomy-of-a-webhook-request/
 *
 * @example
 * const provider = providers.zendesk({ secret: process.env.ZENDESK_WEBHOOK_SECRET! });
 */
export function zendesk(options: ZendeskOptions): Provider {
  return hmac({
    name: 'zendesk',
    secret: options?.secret,
    signatureHeader: 'x-zendesk-webhook-signature',
    encoding: 'base64',
    timestampHeader: 'x-zendesk-webhook-signature-timestamp',
    parseTimestamp: parseRfc3339,
    formatTimestamp: formatRfc3339,
    signedContent: ({ timestamp, body }) => [timestamp as string, body],
    toleranceSeconds: options?.toleranceSeconds,
    idHeader: 'x-zendesk-webhook-invocation-id',
    newId: () => String(randomInt(1e9, 1e10)),
    bodyFormat: 'auto',
    locateType: (payload) => pickString(payload, ['type']),
    signHeaders: () => ({ 'content-type': 'application/json' }),
  });
}
