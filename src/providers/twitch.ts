import { randomUUID } from 'node:crypto';
import { pick, pickString } from '../core/body.js';
import { WebhookError } from '../core/errors.js';
import { getHeader } from '../core/headers.js';
import { textResult } from '../core/result.js';
import { formatRfc3339, parseRfc3339 } from '../core/timestamp.js';
import type { SecretInput } from '../crypto/keys.js';
import { hmac } from './hmac.js';
import type { Provider, UntypedEvents } from './types.js';

export interface TwitchOptions {
  /** The `transport.secret` you chose when creating the EventSub subscription (10–100 ASCII characters); an array while rotating. */
  secret: SecretInput | readonly SecretInput[];
  /** Replay window in seconds (default 600: Twitch says to reject messages older than 10 minutes). */
  toleranceSeconds?: number;
}

const MESSAGE_TYPE = 'twitch-eventsub-message-type';
const VERIFICATION = 'webhook_callback_verification';

/**
 * Twitch EventSub (webhook transport): `Twitch-Eventsub-Message-Signature: sha256=<hex HMAC-SHA256>`
 * over `${Twitch-Eventsub-Message-Id}${Twitch-Eventsub-Message-Timestamp}${body}`, the timestamp
 * in RFC 3339 with nanoseconds, 10 min window. The id is the message id (the same on redelivery).
 * By `Twitch-Eventsub-Message-Type`: a `notification`'s type is `subscription.type`
 * (`channel.follow`); a `revocation` is routed as type `revocation`; a verified
 * `webhook_callback_verification` is answered with its `challenge` as plain text.
 * Source: https://dev.twitch.tv/docs/eventsub/handling-webhook-events/
 *
 * @example
 * const provider = providers.twitch({ secret: process.env.TWITCH_EVENTSUB_SECRET! });
 */
export function twitch(options: TwitchOptions): Provider<UntypedEvents<string>> {
  return hmac<undefined, string>({
    name: 'twitch',
    secret: options?.secret,
    signatureHeader: 'twitch-eventsub-message-signature',
    signaturePrefix: 'sha256=',
    timestampHeader: 'twitch-eventsub-message-timestamp',
    parseTimestamp: parseRfc3339,
    formatTimestamp: formatRfc3339,
    idHeader: 'twitch-eventsub-message-id',
    idSigned: true,
    newId: randomUUID,
    signedContent: ({ id, timestamp, body }) => [id as string, timestamp as string, body],
    toleranceSeconds: options?.toleranceSeconds ?? 600,
    describe(payload, headers) {
      const messageType = getHeader(headers, MESSAGE_TYPE);
      if (messageType === 'notification') {
        const type = pickString(payload, ['subscription', 'type']) ?? getHeader(headers, 'twitch-eventsub-subscription-type');
        return type === undefined || type === '' ? {} : { type };
      }
      return messageType === undefined || messageType === '' ? {} : { type: messageType };
    },
    handshake: (parsed) => {
      if (parsed.type !== VERIFICATION) return undefined;
      const challenge = pick(parsed.payload, ['challenge']);
      if (typeof challenge !== 'string') throw new WebhookError('invalid_body', 'A webhook_callback_verification request must carry a string `challenge`.');
      return textResult(challenge);
    },
    signHeaders: (input) => {
      const special = input.type === VERIFICATION || input.type === 'revocation';
      return {
        'content-type': 'application/json',
        [MESSAGE_TYPE]: special ? (input.type as string) : 'notification',
        ...(!special && input.type !== undefined ? { 'twitch-eventsub-subscription-type': input.type } : {}),
      };
    },
  });
}
