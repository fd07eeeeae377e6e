import { discord } from './discord.js';
import { ed25519 } from './ed25519.js';
import { github } from './github.js';
import { hmac } from './hmac.js';
import { shopify } from './shopify.js';
import { slack } from './slack.js';
import { standardWebhooks } from './standard-webhooks.js';
import { stripe } from './stripe.js';

/**
 * Every built-in provider preset, and the generic builders they are made from.
 *
 * @example
 * const provider = providers.stripe({ secret: process.env.STRIPE_WEBHOOK_SECRET! });
 */
export const providers = {
  standardWebhooks,
  stripe,
  github,
  slack,
  shopify,
  discord,
  hmac,
  ed25519,
} as const;
