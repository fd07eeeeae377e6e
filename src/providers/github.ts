import { randomUUID } from 'node:crypto';
import { pick } from '../core/body.js';
import { WebhookError } from '../core/errors.js';
import { getHeader } from '../core/headers.js';
import type { SecretInput } from '../crypto/keys.js';
import { hmac } from './hmac.js';
import type { GitHubCatalog } from '../catalogs/github.js';
import type { Provider, ProviderTypes } from './types.js';

export interface GitHubOptions {
  /** The webhook secret set in the repository/org/app settings; an array while rotating. */
  secret: SecretInput | readonly SecretInput[];
  /** `sha256` (default): `X-Hub-Signature-256`. `sha1` reads only the legacy `X-Hub-Signature`; use it only if you must. */
  algorithm?: 'sha256' | 'sha1';
}

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(body)>`. No timestamp is signed, so
 * replays are stopped by dedupe on `X-GitHub-Delivery`. The type is `${X-GitHub-Event}.${action}`
 * (`issues.opened`) with the bare event (`issues`) as its parent type, or the event alone.
 * Bodies may be JSON or `application/x-www-form-urlencoded` (`payload=<json>`); up to 25 MiB.
 *
 * @example
 * const provider = providers.github({ secret: process.env.GITHUB_WEBHOOK_SECRET! });
 */
export function github(options: GitHubOptions): Provider<ProviderTypes<GitHubCatalog, string>> {
  const algorithm = options?.algorithm ?? 'sha256';
  if (algorithm !== 'sha256' && algorithm !== 'sha1') {
    throw new WebhookError('misconfigured', `github(): \`algorithm\` must be 'sha256' (default) or 'sha1'; got ${JSON.stringify(algorithm)}.`);
  }
  return hmac<GitHubCatalog, string>({
    name: 'github',
    secret: options?.secret,
    algorithm,
    signatureHeader: algorithm === 'sha256' ? 'x-hub-signature-256' : 'x-hub-signature',
    signaturePrefix: `${algorithm}=`,
    idHeader: 'x-github-delivery',
    maxBodyBytes: 25 * 1024 * 1024,
    bodyFormat: 'auto',
    describe(payload, headers) {
      const event = getHeader(headers, 'x-github-event');
      if (event === undefined || event === '') return {};
      const action = pick(payload, ['action']);
      return typeof action === 'string' && action !== '' ? { type: `${event}.${action}`, parentTypes: [event] } : { type: event };
    },
    newId: randomUUID,
    signHeaders: (input) => ({ 'content-type': 'application/json', 'x-github-event': input.type?.split('.')[0] || 'ping' }),
  });
}
