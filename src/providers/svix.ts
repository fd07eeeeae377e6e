import type { SecretInput } from '../crypto/keys.js';
import { standardWebhooks } from './standard-webhooks.js';
import type { Provider } from './types.js';

export interface SvixOptions {
  /** The endpoint's signing secret (`whsec_<base64>`); an array while rotating. */
  secret: SecretInput | readonly SecretInput[];
  /** Replay window in seconds (default 300, as the svix library). */
  toleranceSeconds?: number;
}

/**
 * Svix: Standard Webhooks with `svix-id` / `svix-timestamp` / `svix-signature` headers
 * (`v1,<base64 HMAC-SHA256>` over `${id}.${timestamp}.${body}`). The type is `payload.type`.
 *
 * @example
 * const provider = providers.svix({ secret: process.env.SVIX_WEBHOOK_SECRET! });
 */
export function svix(options: SvixOptions): Provider {
  return svixAlias('svix', options);
}

/** The Svix scheme under another sender's name (Clerk, Resend): only the name in error messages differs. */
export function svixAlias(name: string, options: SvixOptions): Provider {
  return standardWebhooks({ name, secret: options?.secret, toleranceSeconds: options?.toleranceSeconds, headerPrefix: 'svix' });
}
