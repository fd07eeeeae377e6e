import { clerk } from './clerk.js';
import { discord } from './discord.js';
import { ecdsa } from './ecdsa.js';
import { ed25519 } from './ed25519.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import { hmac } from './hmac.js';
import { hubspot } from './hubspot.js';
import { intercom } from './intercom.js';
import { lemonSqueezy } from './lemon-squeezy.js';
import { linear } from './linear.js';
import { mux } from './mux.js';
import { paddle } from './paddle.js';
import { resend } from './resend.js';
import { sendgrid } from './sendgrid.js';
import { shopify } from './shopify.js';
import { slack } from './slack.js';
import { square } from './square.js';
import { svix } from './svix.js';
import { standardWebhooks } from './standard-webhooks.js';
import { stripe } from './stripe.js';
import { twilio } from './twilio.js';
import { twitch } from './twitch.js';
import { typeform } from './typeform.js';
import { zendesk } from './zendesk.js';
import { zoom } from './zoom.js';

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
