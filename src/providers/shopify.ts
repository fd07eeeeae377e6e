import { randomUUID } from 'node:crypto';
import type { SecretInput } from '../crypto/keys.js';
import { hmac } from './hmac.js';
import type { Provider } from './types.js';

export interface ShopifyOptions {
  /** The app's client secret (or the store's webhook signing secret); an array while rotating. */
  secret: SecretInput | readonly SecretInput[];
}

/**
 * Shopify: `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256(body)>`. No timestamp is signed, so replays
 * are stopped by dedupe on `X-Shopify-Webhook-Id`; the type is the `X-Shopify-Topic` (`orders/create`).
 *
 * @example
 * const provider = providers.shopify({ secret: process.env.SHOPIFY_API_SECRET! });
 */
export function shopify(options: ShopifyOptions): Provider {
  return hmac({
    name: 'shopify',
    secret: options?.secret,
    signatureHeader: 'x-shopify-hmac-sha256',
    encoding: 'base64',
    idHeader: 'x-shopify-webhook-id',
    typeHeader: 'x-shopify-topic',
    newId: randomUUID,
    signHeaders: (input) => ({ 'content-type': 'application/json', 'x-shopify-topic': input.type ?? 'orders/create' }),
  });
}
