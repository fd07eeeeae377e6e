import { ed25519 } from './ed25519.js';
import { hmac } from './hmac.js';
import { standardWebhooks } from './standard-webhooks.js';

/**
 * Every built-in provider preset, and the generic builders they are made from.
 *
 * @example
 * const provider = providers.stripe({ secret: process.env.STRIPE_WEBHOOK_SECRET! });
 */
export const providers = {
  standardWebhooks,
  hmac,
  ed25519,
} as const;
