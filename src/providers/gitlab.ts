import { randomUUID } from 'node:crypto';
import { pick, pickString } from '../core/body.js';
import { getHeader } from '../core/headers.js';
import { importSecrets, type SecretInput } from '../crypto/keys.js';
import { defineProvider } from './define-provider.js';
import { tokenCheck } from './signature-check.js';
import { prefixedSignature } from './signature-header.js';
import type { Provider } from './types.js';

export interface GitLabOptions {
  /** The webhook's secret token (Settings → Webhooks → Secret token); an array while rotating. */
  token: SecretInput | readonly SecretInput[];
}

/**
 * GitLab: `X-Gitlab-Token: <the secret token>`, sent as is — nothing is signed, so the body is
 * not authenticated by it (use HTTPS). The token is compared in constant time (of SHA-256
 * digests: not even its length leaks). The id is `Idempotency-Key` (GitLab 17.4+, kept across
 * retries), else `X-Gitlab-Event-UUID`. The type is `object_kind` (`merge_request`), as
 * `${object_kind}.${object_attributes.action}` (`merge_request.open`) with `object_kind` as its
 * parent when there is an action; `X-Gitlab-Event` (`Push Hook`) when the body has no `object_kind`.
 * Source: https://docs.gitlab.com/user/project/integrations/webhooks/
 *
 * @example
 * const provider = providers.gitlab({ token: process.env.GITLAB_WEBHOOK_TOKEN! });
 */
export function gitlab(options: GitLabOptions): Provider {
  const tokens = importSecrets(options?.token, 'utf8', 'token').map((key) => key.export());
  return defineProvider({
    name: 'gitlab',
    signatureHeader: 'x-gitlab-token',
    signatureFormat: prefixedSignature(''),
    checks: [tokenCheck({ tokens })],
    signedContent: () => [],
    locateId: (_payload, headers) => getHeader(headers, 'idempotency-key') || getHeader(headers, 'x-gitlab-event-uuid'),
    describe(payload, headers) {
      const kind = pickString(payload, ['object_kind']) ?? getHeader(headers, 'x-gitlab-event');
      if (kind === undefined || kind === '') return {};
      const action = pick(payload, ['object_attributes', 'action']);
      return typeof action === 'string' && action !== '' ? { type: `${kind}.${action}`, parentTypes: [kind] } : { type: kind };
    },
    signHeaders: (input) => ({
      'content-type': 'application/json',
      'x-gitlab-event': hookName(input.type?.split('.')[0] || 'push'),
      'idempotency-key': input.id ?? randomUUID(),
      'x-gitlab-event-uuid': randomUUID(),
    }),
  });
}

/** `merge_request` → `Merge Request Hook`, as GitLab names its events in `X-Gitlab-Event`. */
function hookName(kind: string): string {
  return `${kind.split('_').map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(' ')} Hook`;
}
