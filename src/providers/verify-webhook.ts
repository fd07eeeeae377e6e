import { WebhookError } from '../core/errors.js';
import { requireRawBody } from '../core/raw-body-input.js';
import type { HeadersLike } from '../core/types.js';
import type { VerifyInput, Provider } from './types.js';
import { isUnsignedProbe } from './unsigned-probe.js';
import { isTenantProvider, TenantProviders, type TenantProvider } from './per-tenant.js';

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
  if (isUnsignedProbe(verified)) {
    throw new WebhookError('missing_header', `The request carries no ${provider.name} signature (an unsigned probe such as Slack's ssl_check, which a receiver answers itself): verifyWebhook() returns only signed deliveries.`);
  }
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

const tenantCaches = new WeakMap<TenantProvider, TenantProviders>();

/**
 * `verifyWebhook` for a provider whose secrets may be looked up per request (`perTenant`):
 * resolves the tenant's provider (cached per `perTenant` provider, bounded like a receiver's),
 * then verifies. Throws `unknown_tenant` (401) or `secret_unavailable` (503) besides the usual.
 * Any other provider verifies exactly as `verifyWebhook` does.
 *
 * @example
 * const event = await verifyWebhookAsync(tenantProvider, { url: req.originalUrl, headers: req.headers, body: req.body });
 */
export async function verifyWebhookAsync<Payload = unknown>(provider: Provider, input: VerifyInput): Promise<VerifiedWebhook<Payload>> {
  if (!isTenantProvider(provider)) return verifyWebhook<Payload>(provider, input);
  requireRawBody(input, 'verifyWebhookAsync()');
  let tenants = tenantCaches.get(provider);
  if (tenants === undefined) tenantCaches.set(provider, (tenants = new TenantProviders(provider)));
  const built = await tenants.providerFor(tenants.tenantOf(input));
  return verifyWebhook<Payload>(built, input);
}
