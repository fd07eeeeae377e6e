import { pick } from '../core/body.js';
import { formatUnixMilliseconds, parseUnixMilliseconds } from '../core/timestamp.js';
import type { SecretInput } from '../crypto/keys.js';
import { hmac } from './hmac.js';
import { publicUrl, validatePublicUrlOption, type PublicUrlOptions } from './public-url.js';
import type { ParsedDelivery, Provider } from './types.js';

export interface HubSpotOptions extends PublicUrlOptions {
  /** The app's client secret (app settings → Auth), used as UTF-8; an array while rotating. */
  clientSecret: SecretInput | readonly SecretInput[];
  /** Replay window in seconds for `X-HubSpot-Request-Timestamp` (default 300: HubSpot says reject after 5 minutes). */
  toleranceSeconds?: number;
}

// HubSpot's table of escapes to decode in the URI before signing (the rest stay encoded).
const DECODED: Readonly<Record<string, string>> = { '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$', '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';' };

/**
 * HubSpot (signature v3): `X-HubSpot-Signature-v3: <base64 HMAC-SHA256>` over
 * `${method}${uri}${body}${X-HubSpot-Request-Timestamp}`, the timestamp in unix milliseconds,
 * 5 min window; the URI is the full public URL (rebuilt like Twilio's: the `url` option, an
 * absolute request URL, or `https://` + Host + path; `trustProxy` for X-Forwarded-*), with
 * HubSpot's listed escapes (`%3A`, `%2F`, …) decoded. The body is an array of events: the type
 * is their `subscriptionType` when they share one (`contact.creation`), else `batch`; the id is
 * their `eventId`s joined with `,` (one delivery, one id; make handlers idempotent per event).
 * Source: https://developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests#validate-the-v3-request-signature
 *
 * @example
 * const provider = providers.hubspot({ clientSecret: process.env.HUBSPOT_CLIENT_SECRET!, url: 'https://example.com/webhooks/hubspot' });
 */
export function hubspot(options: HubSpotOptions): Provider {
  const urlOptions: PublicUrlOptions = { url: options?.url, trustProxy: options?.trustProxy === true };
  validatePublicUrlOption(urlOptions.url, 'hubspot()');
  return hmac({
    name: 'hubspot',
    secret: options?.clientSecret,
    secretOption: 'clientSecret',
    signatureHeader: 'x-hubspot-signature-v3',
    encoding: 'base64',
    timestampHeader: 'x-hubspot-request-timestamp',
    parseTimestamp: parseUnixMilliseconds,
    formatTimestamp: formatUnixMilliseconds,
    toleranceSeconds: options?.toleranceSeconds,
    signedContent: ({ method, url, headers, body, timestamp }) => {
      const uri = publicUrl({ url, headers }, urlOptions, 'hubspot').replace(/%(?:3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (escape) => DECODED[escape.toUpperCase()] as string);
      return [(method ?? 'POST').toUpperCase(), uri, body, timestamp as string];
    },
    describe,
    locateId: (payload) => {
      const ids = events(payload).map((event) => pick(event, ['eventId']));
      return ids.length > 0 && ids.every((id) => typeof id === 'number' || typeof id === 'string') ? ids.join(',') : undefined;
    },
    signHeaders: () => ({ 'content-type': 'application/json', 'x-hubspot-signature-version': 'v3' }),
  });
}

function events(payload: unknown): unknown[] {
  return Array.isArray(payload) ? payload : typeof payload === 'object' && payload !== null ? [payload] : [];
}

function describe(payload: unknown): Pick<ParsedDelivery, 'type'> {
  const types = new Set(events(payload).map((event) => pick(event, ['subscriptionType'])));
  if (types.size === 0) return {};
  const [only] = types;
  return types.size === 1 && typeof only === 'string' && only !== '' ? { type: only } : { type: 'batch' };
}
