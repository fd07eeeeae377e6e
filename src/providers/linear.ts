import { randomUUID } from 'node:crypto';
import { decodeJson, pick, pickString } from '../core/body.js';
import { bodyBytes } from '../core/encoding.js';
import { WebhookError } from '../core/errors.js';
import { getHeader } from '../core/headers.js';
import type { SecretInput } from '../crypto/keys.js';
import { hmac } from './hmac.js';
import type { Provider, SignInput } from './types.js';

export interface LinearOptions {
  /** The webhook's signing secret (Settings → API → Webhooks); an array while rotating. */
  secret: SecretInput | readonly SecretInput[];
  /** Replay window in seconds for the body's `webhookTimestamp` (default 60, as Linear documents). */
  toleranceSeconds?: number;
}

/**
 * Linear: `Linear-Signature: <hex HMAC-SHA256(body)>`. The timestamp is signed inside the body:
 * `webhookTimestamp` (unix ms), checked after the signature within 60 s either way. The id is
 * `Linear-Delivery`; the type is `${type}.${action}` (`Issue.create`) with `type` (`Issue`) as
 * its parent. `sign` stamps `webhookTimestamp` into a JSON object body that lacks one, as Linear does.
 * Source: https://linear.app/developers/webhooks#securing-webhooks and @linear/sdk's LinearWebhookClient.
 *
 * @example
 * const provider = providers.linear({ secret: process.env.LINEAR_WEBHOOK_SECRET! });
 */
export function linear(options: LinearOptions): Provider {
  return hmac({
    name: 'linear',
    secret: options?.secret,
    signatureHeader: 'linear-signature',
    toleranceSeconds: options?.toleranceSeconds ?? 60,
    locateTimestamp: ({ payload }) => {
      const ms = pick(payload(), ['webhookTimestamp']);
      if (typeof ms !== 'number' || !Number.isFinite(ms)) {
        throw new WebhookError('invalid_body', 'A Linear delivery must carry a numeric `webhookTimestamp` (unix milliseconds) in its body.');
      }
      return ms / 1000;
    },
    idHeader: 'linear-delivery',
    newId: randomUUID,
    describe(payload, headers) {
      const type = pickString(payload, ['type']) ?? getHeader(headers, 'linear-event');
      if (type === undefined || type === '') return {};
      const action = pick(payload, ['action']);
      return typeof action === 'string' && action !== '' ? { type: `${type}.${action}`, parentTypes: [type] } : { type };
    },
    signBody: stampTimestamp,
    signHeaders: (input) => ({ 'content-type': 'application/json; charset=utf-8', ...(input.type ? { 'linear-event': input.type.split('.')[0] as string } : {}) }),
  });
}

/** Adds `webhookTimestamp` (ms) to a JSON object body that has none; any other body is signed as given. */
function stampTimestamp(input: SignInput, seconds: number): SignInput['body'] {
  let payload: unknown;
  try {
    payload = decodeJson(bodyBytes(input.body).toString('utf8'));
  } catch {
    return input.body;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload) || 'webhookTimestamp' in payload) return input.body;
  return JSON.stringify({ ...payload, webhookTimestamp: Math.round(seconds * 1000) });
}
