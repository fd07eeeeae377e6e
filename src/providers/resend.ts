import type { Provider, UntypedEvents } from './types.js';
import { svixAlias, type SvixOptions } from './svix.js';

export type ResendOptions = SvixOptions;

/**
 * Resend: sends through Svix (`svix-id` / `svix-timestamp` / `svix-signature`, `whsec_` secret).
 * The type is `payload.type` (`email.sent`, `email.delivered`, `email.bounced`, …).
 *
 * @example
 * const provider = providers.resend({ secret: process.env.RESEND_WEBHOOK_SECRET! });
 */
export function resend(options: ResendOptions): Provider<UntypedEvents<string>> {
  return svixAlias('resend', options);
}
