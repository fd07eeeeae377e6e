import type { VerifyInput, Provider } from './types.js';
import { requireRawBody } from '../core/raw-body-input.js';
import type { HeadersLike } from '../core/types.js';

export interface VerifiedWebhook<Payload = unknown> {
  id: string | undefined;
  type: string | undefined;
  timestamp: number | undefined;
  payload: Payload;
  rawBody: Uint8Array;
  headers: HeadersLike;
}

/**
 * Verifies and parses one delivery with no receiver, like Stripe's `constructEvent`.
 * Throws `WebhookError` (signature, freshness, then `invalid_body`; `misconfigured` when `body` is not
 * the raw bytes — a parsed object or `undefined` means a body parser consumed them).
 *
 * @example
 * app.post('/stripe', express.raw({ type: '*\/*' }), (req, res) => {
 *   const event = verifyWebhook(stripeProvider, { headers: req.headers, body: req.body });
 *   …
 * });
 */
export function verifyWebhook<Payload = unknown>(provider: Provider, input: VerifyInput): VerifiedWebhook<Payload> {
  requireRawBody(input, 'verifyWebhook()');
  const verified = provider.verify(input);
  const parsed = provider.parse(verified);
  return {
    id: parsed.id,
    type: parsed.type,
    timestamp: verified.timestamp,
    payload: parsed.payload as Payload,
    rawBody: verified.rawBody,
    headers: verified.headers,
  };
}
