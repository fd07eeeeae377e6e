/**
 * Every built-in provider preset, and the generic builders they are made from, as named exports:
 * import only the ones you use and a bundler drops the rest. `hookguard` also exposes them as the
 * `providers` namespace (`providers.stripe(…)`), which bundlers shake the same way.
 *
 * @example
 * import { stripe } from 'hookguard/providers';
 * const provider = stripe({ secret: process.env.STRIPE_WEBHOOK_SECRET! });
 */
export { standardWebhooks } from './standard-webhooks.js';
export { stripe } from './stripe.js';
export { github } from './github.js';
export { slack } from './slack.js';
export { shopify } from './shopify.js';
export { discord } from './discord.js';
export { twilio } from './twilio.js';
export { paddle } from './paddle.js';
export { sendgrid } from './sendgrid.js';
export { svix } from './svix.js';
export { clerk } from './clerk.js';
export { resend } from './resend.js';
export { linear } from './linear.js';
export { mux } from './mux.js';
export { twitch } from './twitch.js';
export { square } from './square.js';
export { zendesk } from './zendesk.js';
export { typeform } from './typeform.js';
export { lemonSqueezy } from './lemon-squeezy.js';
export { hubspot } from './hubspot.js';
export { intercom } from './intercom.js';
export { gitlab } from './gitlab.js';
export { zoom } from './zoom.js';
export { hmac } from './hmac.js';
export { ed25519 } from './ed25519.js';
export { ecdsa } from './ecdsa.js';
