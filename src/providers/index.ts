/**
 * `hookguard/providers`: every preset as a named export — import only the ones you use and a
 * bundler drops the rest. The `providers` object is the convenient form: it keeps every preset.
 *
 * @example
 * import { stripe } from 'hookguard/providers';
 * const provider = stripe({ secret: process.env.STRIPE_WEBHOOK_SECRET! });
 *
 * @module
 */
import { standardWebhooks, stripe, github, slack, shopify, discord, twilio, paddle, sendgrid, svix, clerk, resend, linear, mux, twitch, square, zendesk, typeform, lemonSqueezy, hubspot, intercom, gitlab, zoom, hmac, ed25519, ecdsa } from './presets.js';

export * from './presets.js';

/**
 * Every built-in provider preset, and the generic builders they are made from. A plain object
 * of the named exports, so a bundle that never reads it drops it.
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
  twilio,
  paddle,
  sendgrid,
  svix,
  clerk,
  resend,
  linear,
  mux,
  twitch,
  square,
  zendesk,
  typeform,
  lemonSqueezy,
  hubspot,
  intercom,
  gitlab,
  zoom,
  hmac,
  ed25519,
  ecdsa,
} as const;
