import type { ClerkCatalog } from '../catalogs/clerk.js';
import type { Provider, ProviderTypes } from './types.js';
import { svixAlias, type SvixOptions } from './svix.js';

export type ClerkOptions = SvixOptions;

/**
 * Clerk: sends through Svix (`svix-id` / `svix-timestamp` / `svix-signature`, `whsec_` secret).
 * The type is `payload.type` (`user.created`, `session.ended`, …).
 *
 * @example
 * const provider = providers.clerk({ secret: process.env.CLERK_WEBHOOK_SIGNING_SECRET! });
 */
export function clerk(options: ClerkOptions): Provider<ProviderTypes<ClerkCatalog, string>> {
  return svixAlias<ClerkCatalog>('clerk', options);
}
