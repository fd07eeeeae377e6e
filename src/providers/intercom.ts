import { pickString } from '../core/body.js';
import type { SecretInput } from '../crypto/keys.js';
import { hmac } from './hmac.js';
import type { Provider } from './types.js';

export interface IntercomOptions {
  /** The app's client secret (Developer Hub → Basic information); an array while rotating. */
  clientSecret: SecretInput | readonly SecretInput[];
}

/**
 * Intercom: `X-Hub-Signature: sha1=<hex HMAC-SHA1(body)>` keyed with the app's client secret.
 * No timestamp is signed: replays are stopped by dedupe on the notification's `payload.id`
 * (`notif_…`). The type is `payload.topic` (`conversation.user.created`, `ping`).
 * Source: https://developers.intercom.com/docs/webhooks/setting-up-webhooks#signed-notifications
 *
 * @example
 * const provider = providers.intercom({ clientSecret: process.env.INTERCOM_CLIENT_SECRET! });
 */
export function intercom(options: IntercomOptions): Provider {
  return hmac({
    name: 'intercom',
    secret: options?.clientSecret,
    secretOption: 'clientSecret',
    algorithm: 'sha1',
    signatureHeader: 'x-hub-signature',
    signaturePrefix: 'sha1=',
    locateId: (payload) => pickString(payload, ['id']),
    locateType: (payload) => pickString(payload, ['topic']),
    signHeaders: () => ({ 'content-type': 'application/json' }),
  });
}
