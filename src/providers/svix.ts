import type { SecretInput } from '../crypto/keys.js';
import { standardWebhooks } from './standard-webhooks.js';
import type { EventCatalog, Provider, ProviderTypes } from './types.js';

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
export function svix<Events extends EventCatalog | undefined = undefined>(options: SvixOptions): Provider<ProviderTypes<Events, string>> {
  return svixAlias('svix', options);
}

/** The Svix scheme under another sender's name (Clerk, Resend): only the name in error messages differs. */
export function svixAlias<Events extends EventCatalog | undefined = undefined>(name: string, options: SvixOptions): Provider<ProviderTypes<Events, string>> {
  return standardWebhooks({ name, secret: options?.secret, toleranceSeconds: options?.toleranceSeconds, headerPrefix: 'svix' });
}
