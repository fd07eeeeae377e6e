import { pick, pickString } from '../core/body.js';
import { bodyBytes, toBuffer } from '../core/encoding.js';
import { WebhookError } from '../core/errors.js';
import { getHeader } from '../core/headers.js';
import { textResult } from '../core/result.js';
import type { SecretInput } from '../crypto/keys.js';
import { hmac } from './hmac.js';
import type { Provider, VerifyInput } from './types.js';
import { isUnsignedProbe, unsignedProbe } from './unsigned-probe.js';

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
 * `command`. A verified `url_verification` is answered with its challenge as plain text. Slack's
 * certificate check — an unsigned form POST of `ssl_check=1` — is answered 200 with an empty
 * body and reaches no handler (as Bolt does); nothing of its body is kept.
 *
 * @example
 * const provider = providers.slack({ signingSecret: process.env.SLACK_SIGNING_SECRET! });
 */
export function slack(options: SlackOptions): Provider {
  const inner = hmac({
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
    expectsReply: isCommandOrInteraction,
    handshake: (parsed) => {
      if (parsed.type !== 'url_verification') return undefined;
      const challenge = pick(parsed.payload, ['challenge']);
      if (typeof challenge !== 'string') throw new WebhookError('invalid_body', 'A url_verification request must carry a string `challenge`.');
      return textResult(challenge);
    },
    signHeaders: (input) => ({ 'content-type': looksLikeJson(input.body) ? 'application/json' : 'application/x-www-form-urlencoded' }),
  });
  return {
    ...inner,
    verify: (input) => (isSslCheck(input) ? unsignedProbe(input.headers) : inner.verify(input)),
    parse: (verified) => (isUnsignedProbe(verified) ? { type: 'ssl_check', payload: { ssl_check: '1' } } : inner.parse(verified)),
    handshake: (parsed, verified) => (isUnsignedProbe(verified) ? textResult('') : inner.handshake?.(parsed, verified)),
  };
}

/** Larger than `ssl_check=1&token=<token>` will ever be; a bigger unsigned body is not a probe. */
const SSL_CHECK_MAX_BYTES = 512;

/** Bolt's test: a form body with `ssl_check` and no `X-Slack-Signature` (Slack does not sign it). */
function isSslCheck(input: VerifyInput): boolean {
  const signature = getHeader(input.headers, 'x-slack-signature');
  if (signature !== undefined && signature !== '') return false;
  if (!/^application\/x-www-form-urlencoded/i.test(getHeader(input.headers, 'content-type') ?? '')) return false;
  const { body } = input;
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) return false; // verify reports what it is
  const bytes = bodyBytes(body);
  return bytes.byteLength <= SSL_CHECK_MAX_BYTES && new URLSearchParams(bytes.toString('latin1')).get('ssl_check') === '1';
}

/** Interactivity payload types, whose response Slack reads (Events API deliveries are only acknowledged). */
const INTERACTIONS = new Set(['block_actions', 'block_suggestion', 'view_submission', 'view_closed', 'shortcut', 'message_action', 'interactive_message', 'dialog_submission', 'dialog_suggestion', 'dialog_cancellation']);

/** A slash command (a `command` and no `type`) or an interactivity payload: the handler's return value is the reply. */
function isCommandOrInteraction(payload: unknown): boolean {
  const type = pickString(payload, ['type']);
  return type === undefined ? pickString(payload, ['command']) !== undefined : INTERACTIONS.has(type);
}

/** Slack sends JSON or a form; `sign` labels a body by its first non-blank character. */
function looksLikeJson(body: string | Uint8Array): boolean {
  const head = typeof body === 'string' ? body.slice(0, 64) : toBuffer(body.subarray(0, 64)).toString('latin1');
  const first = head.trimStart()[0];
  return first === undefined || first === '{' || first === '[';
}
