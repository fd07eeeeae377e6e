import { pick, pickString } from '../core/body.js';
import { toBuffer } from '../core/encoding.js';
import { WebhookError } from '../core/errors.js';
import { textResult } from '../core/result.js';
import type { SecretInput } from '../crypto/keys.js';
import { hmac } from './hmac.js';
import type { SlackCatalog } from '../catalogs/slack.js';
import type { Provider, ProviderTypes } from './types.js';

export interface SlackOptions {
  /** The app's Signing Secret (Basic Information page); an array while rotating. */
  signingSecret: SecretInput | readonly SecretInput[];
  /** Replay window in seconds (default 300, as Slack recommends). */
  toleranceSeconds?: number;
}

/**
 * Slack: `X-Slack-Signature: v0=<hex HMAC-SHA256>` over `v0:${X-Slack-Request-Timestamp}:${body}`,
 * for Events API JSON and for form bodies (slash commands; interactivity's `payload=<json>`).
 * The type is `event.type` for `event_callback`, else `type` (`block_actions`, …), else the slash
 * `command`. A verified `url_verification` is answered with its challenge as plain text.
 *
 * @example
 * const provider = providers.slack({ signingSecret: process.env.SLACK_SIGNING_SECRET! });
 */
export function slack(options: SlackOptions): Provider<ProviderTypes<SlackCatalog>> {
  return hmac<SlackCatalog>({
    name: 'slack',
    secret: options?.signingSecret,
    secretOption: 'signingSecret',
    signatureHeader: 'x-slack-signature',
    signaturePrefix: 'v0=',
    timestampHeader: 'x-slack-request-timestamp',
    signedContent: ({ timestamp, body }) => [`v0:${timestamp}:`, body],
    toleranceSeconds: options?.toleranceSeconds,
    bodyFormat: 'auto',
    locateId: (payload) => pickString(payload, ['event_id']),
    locateType: (payload) => {
      const type = pickString(payload, ['type']);
      if (type === 'event_callback') return pickString(payload, ['event', 'type']) ?? type;
      return type ?? pickString(payload, ['command']);
    },
    handshake: (parsed) => {
      if (parsed.type !== 'url_verification') return undefined;
      const challenge = pick(parsed.payload, ['challenge']);
      if (typeof challenge !== 'string') throw new WebhookError('invalid_body', 'A url_verification request must carry a string `challenge`.');
      return textResult(challenge);
    },
    signHeaders: (input) => ({ 'content-type': looksLikeJson(input.body) ? 'application/json' : 'application/x-www-form-urlencoded' }),
  });
}

/** Slack sends JSON or a form; `sign` labels a body by its first non-blank character. */
function looksLikeJson(body: string | Uint8Array): boolean {
  const head = typeof body === 'string' ? body.slice(0, 64) : toBuffer(body.subarray(0, 64)).toString('latin1');
  const first = head.trimStart()[0];
  return first === undefined || first === '{' || first === '[';
}
