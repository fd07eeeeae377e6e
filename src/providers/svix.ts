import { getLowerCaseHeader, normalizeHeaders } from '../core/headers.js';
import type { HeadersLike } from '../core/types.js';
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
 * As the svix libraries do, each `svix-*` header that is absent is read from its unbranded
 * twin (`webhook-id`, `webhook-timestamp`, `webhook-signature`).
 *
 * @example
 * const provider = providers.svix({ secret: process.env.SVIX_WEBHOOK_SECRET! });
 */
export function svix(options: SvixOptions): Provider {
  return svixAlias('svix', options);
}

/** The Svix scheme under another sender's name (Clerk, Resend): only the name in error messages differs. */
export function svixAlias(name: string, options: SvixOptions): Provider {
  const branded = standardWebhooks({ name, secret: options?.secret, toleranceSeconds: options?.toleranceSeconds, headerPrefix: 'svix' });
  return {
    ...branded,
    verify(input) {
      const headers = withBrandedNames(input.headers);
      if (headers === input.headers) return branded.verify(input);
      // Handlers see the headers as received; `parse` fills the names in again.
      return { ...branded.verify({ ...input, headers }), headers: input.headers };
    },
    parse(verified) {
      const headers = withBrandedNames(verified.headers);
      return branded.parse(headers === verified.headers ? verified : { ...verified, headers });
    },
  };
}

const BRANDED = ['svix-id', 'svix-timestamp', 'svix-signature'] as const;
const UNBRANDED = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

/** `headers`, or a copy where each absent `svix-*` header is filled from its `webhook-*` twin (svix's `headers['svix-id'] ?? headers['webhook-id']`). */
function withBrandedNames(headers: HeadersLike): HeadersLike {
  let filled: Record<string, string> | undefined;
  for (let i = 0; i < BRANDED.length; i++) {
    const name = BRANDED[i] as string;
    if (getLowerCaseHeader(headers, name) !== undefined) continue;
    const twin = getLowerCaseHeader(headers, UNBRANDED[i] as string);
    if (twin === undefined) continue;
    filled ??= normalizeHeaders(headers);
    filled[name] = twin;
  }
  return filled ?? headers;
}
