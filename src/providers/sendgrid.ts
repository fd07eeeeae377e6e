import { pickString } from '../core/body.js';
import type { EcdsaKeyInput } from '../crypto/ecdsa.js';
import { ecdsa } from './ecdsa.js';
import type { Provider } from './types.js';

export interface SendGridOptions {
  /** The Signed Event Webhook's verification key (base64 SPKI DER, as SendGrid shows it; PEM or a KeyObject work too); an array while rotating. */
  publicKey: EcdsaKeyInput | readonly EcdsaKeyInput[];
  /** Only to sign deliveries in tests: a P-256 private key (PEM, base64 PKCS#8/SEC1 DER, or a KeyObject). */
  privateKey?: EcdsaKeyInput;
  /** Replay window in seconds for `X-Twilio-Email-Event-Webhook-Timestamp` (default 300). */
  toleranceSeconds?: number;
}

/**
 * SendGrid's Signed Event Webhook: `X-Twilio-Email-Event-Webhook-Signature: <base64 DER ECDSA
 * P-256/SHA-256>` over `${X-Twilio-Email-Event-Webhook-Timestamp}${body}`. A delivery is a JSON
 * array of events of mixed kinds, so its type is always `events` (route on each element's `event`
 * in the handler); a single event object, as some test tools send, is typed by its `event`. The id
 * is the `sg_event_id` of a one-event batch; a batch of several has none (dedupe per `sg_event_id`).
 *
 * @example
 * const provider = providers.sendgrid({ publicKey: process.env.SENDGRID_WEBHOOK_PUBLIC_KEY! });
 * receiver.on('events', ({ payload }) => { for (const event of payload) … });
 */
export function sendgrid(options: SendGridOptions): Provider {
  return ecdsa({
    name: 'sendgrid',
    publicKey: options?.publicKey,
    privateKey: options?.privateKey,
    signatureHeader: 'x-twilio-email-event-webhook-signature',
    timestampHeader: 'x-twilio-email-event-webhook-timestamp',
    signedContent: ({ timestamp, body }) => [timestamp as string, body],
    toleranceSeconds: options?.toleranceSeconds,
    locateId: (payload) => (Array.isArray(payload) && payload.length === 1 ? pickString(payload[0], ['sg_event_id']) : undefined),
    locateType: (payload) => (Array.isArray(payload) ? 'events' : pickString(payload, ['event'])),
    signHeaders: () => ({ 'content-type': 'application/json' }),
  });
}
