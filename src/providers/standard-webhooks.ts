import { pickString } from '../core/body.js';
import { WebhookError, isWebhookError } from '../core/errors.js';
import { getHeader } from '../core/headers.js';
import { importPrivateKey, importPublicKeys, importSecrets, type SecretInput } from '../crypto/keys.js';
import { defineProvider } from './define-provider.js';
import { ed25519Check, hmacCheck, type SignatureCheck } from './signature-check.js';
import { versionedSignatureList } from './signature-header.js';
import type { Provider } from './types.js';

export interface StandardWebhooksOptions {
  /** `whsec_<base64>` (or bare base64) secret(s) for `v1` HMAC signatures. */
  secret?: SecretInput | readonly SecretInput[];
  /** `whpk_<base64>` public key(s) for `v1a` Ed25519 signatures. */
  publicKey?: SecretInput | readonly SecretInput[];
  /** `whsk_…` private key, to sign `v1a` in tests. */
  privateKey?: SecretInput;
  /** `webhook` (default) or `svix` for `svix-id` / `svix-timestamp` / `svix-signature` (Svix, Clerk, Resend). */
  headerPrefix?: 'webhook' | 'svix';
  toleranceSeconds?: number;
  /** Shown in error messages; default `standard-webhooks`, or `svix` with that prefix (the `clerk`/`resend` presets set theirs). */
  name?: string;
}

/**
 * Standard Webhooks (and Svix with `headerPrefix: 'svix'`): `v1,<base64 HMAC-SHA256>` and/or
 * `v1a,<base64 Ed25519>` over `${id}.${timestamp}.${body}`.
 *
 * @example
 * const provider = providers.standardWebhooks({ secret: process.env.WEBHOOK_SECRET! }); // whsec_…
 */
export function standardWebhooks(options: StandardWebhooksOptions): Provider {
  const prefix = options.headerPrefix ?? 'webhook';
  if (prefix !== 'webhook' && prefix !== 'svix') {
    throw new WebhookError('misconfigured', `\`headerPrefix\` must be 'webhook' or 'svix'; got ${JSON.stringify(prefix)}.`);
  }
  if (options.secret === undefined && options.publicKey === undefined) {
    throw new WebhookError('misconfigured', 'standardWebhooks() needs `secret` (whsec_…) or `publicKey` (whpk_…).');
  }
  const checks: SignatureCheck[] = [];
  if (options.secret !== undefined) {
    checks.push(hmacCheck({ keys: importSecrets(options.secret, 'whsec', 'secret'), algorithm: 'sha256', encoding: 'base64', version: 'v1' }));
  }
  if (options.publicKey !== undefined) {
    checks.push(
      ed25519Check({
        publicKeys: importPublicKeys(options.publicKey, 'publicKey'),
        ...(options.privateKey !== undefined ? { privateKey: importPrivateKey(options.privateKey, 'privateKey') } : {}),
        encoding: 'base64',
        version: 'v1a',
      }),
    );
  }
  const provider = defineProvider({
    name: options.name ?? (prefix === 'svix' ? 'svix' : 'standard-webhooks'),
    signatureHeader: `${prefix}-signature`,
    signatureFormat: versionedSignatureList(' ', ','),
    checks,
    timestampHeader: `${prefix}-timestamp`,
    idHeader: `${prefix}-id`,
    idSigned: true,
    toleranceSeconds: options.toleranceSeconds,
    signedContent: ({ id, timestamp, body }) => [`${id}.${timestamp}.`, body],
    locateType: (payload) => pickString(payload, ['type']),
    signHeaders: () => ({ 'content-type': 'application/json' }),
  });
  if (prefix === 'svix') return provider;
  return {
    ...provider,
    verify(input) {
      try {
        return provider.verify(input);
      } catch (error) {
        throw withSvixHint(error, input.headers);
      }
    },
  };
}

/** A Svix delivery sent to the unbranded scheme: say which header is there, and what reads it. */
function withSvixHint(error: unknown, headers: Parameters<typeof getHeader>[0]): unknown {
  if (!isWebhookError(error) || error.code !== 'missing_header' || getHeader(headers, 'svix-signature') === undefined) return error;
  return new WebhookError('missing_header', `${error.message} A svix-signature header is present: this is a Svix delivery (Svix, Clerk, Resend…); use providers.svix({ secret }), or headerPrefix: 'svix'.`, { cause: error });
}
