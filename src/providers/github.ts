import { randomUUID } from 'node:crypto';
import { pick } from '../core/body.js';
import { WebhookError, isWebhookError } from '../core/errors.js';
import { getHeader } from '../core/headers.js';
import type { SecretInput } from '../crypto/keys.js';
import { hmac } from './hmac.js';
import type { Provider } from './types.js';

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
export function github(options: GitHubOptions): Provider {
  const algorithm = options?.algorithm ?? 'sha256';
  if (algorithm !== 'sha256' && algorithm !== 'sha1') {
    throw new WebhookError('misconfigured', `github(): \`algorithm\` must be 'sha256' (default) or 'sha1'; got ${JSON.stringify(algorithm)}.`);
  }
  const inner = hmac({
    name: 'github',
    secret: options?.secret,
    algorithm,
    signatureHeader: algorithm === 'sha256' ? 'x-hub-signature-256' : 'x-hub-signature',
    signaturePrefix: `${algorithm}=`,
    idHeader: 'x-github-delivery',
    maxBodyBytes: 25 * 1024 * 1024,
    bodyFormat: 'json-or-payload',
    describe(payload, headers) {
      const event = getHeader(headers, 'x-github-event');
      if (event === undefined || event === '') return {};
      const action = pick(payload, ['action']);
      return typeof action === 'string' && action !== '' ? { type: `${event}.${action}`, parentTypes: [event] } : { type: event };
    },
    newId: randomUUID,
    signHeaders: (input) => ({ 'content-type': 'application/json', 'x-github-event': (input.type as string).split('.')[0] as string }),
  });
  return {
    ...inner,
    verify(input) {
      try {
        return inner.verify(input);
      } catch (error) {
        throw algorithm === 'sha256' ? withSha1Hint(error, input.headers) : error;
      }
    },
    sign(input) {
      if (typeof input.type !== 'string' || input.type === '') {
        throw new WebhookError('misconfigured', "github.sign(): pass the event type, e.g. signRequest(provider, payload, { type: 'issues.opened' }): GitHub sends it in X-GitHub-Event, and without it no handler of yours would run. For a ping, pass { type: 'ping' }.");
      }
      return inner.sign(input);
    },
  };
}

/** A delivery signed with SHA-1 only (no X-Hub-Signature-256) says how to accept it. */
function withSha1Hint(error: unknown, headers: Parameters<typeof getHeader>[0]): unknown {
  if (!isWebhookError(error) || error.code !== 'missing_header' || getHeader(headers, 'x-hub-signature') === undefined) return error;
  return new WebhookError('missing_header', `${error.message} Only the legacy SHA-1 X-Hub-Signature is present: to accept it, pass \`algorithm: 'sha1'\` to github() (SHA-256 is stronger; prefer a sender that sends X-Hub-Signature-256).`, { cause: error });
}
