import { WebhookError, isWebhookError } from './errors.js';
import type { ReceiveResult } from './types.js';

/** What `overloaded` answers tell the sender to wait (seconds). */
export const OVERLOADED_RETRY_AFTER_SECONDS = '5';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;

/** 200 with `value` as the JSON body (`{"ok":true}` when there is none). */
export function successResult(value: unknown = { ok: true }, status = 200): ReceiveResult {
  return jsonResult(JSON.stringify(value), status);
}

/** `json` (already serialised) as the answer; the headers are a new object each time, since callers may add to them. */
export function jsonResult(json: string, status = 200): ReceiveResult {
  return { status, headers: { ...JSON_HEADERS }, body: json };
}

/** A plain-text 200, for handshakes that must echo a bare token. */
export function textResult(text: string): ReceiveResult {
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text };
}

/**
 * The answer for a refusal: `{"error":{"code","message"[,"issues"]}}` with the code's status.
 * Anything that is not a WebhookError is reported as `handler_failed` without its message,
 * which could carry anything (a connection string, a token) from user code.
 */
export function errorResult(error: unknown): ReceiveResult {
  const webhookError =
    isWebhookError(error)
      ? error
      : new WebhookError('handler_failed', 'The webhook handler failed; the sender should retry.');
  const payload: { code: string; message: string; issues?: unknown } = {
    code: webhookError.code,
    message: webhookError.message,
  };
  if (webhookError.issues) payload.issues = webhookError.issues;
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (webhookError.code === 'method_not_allowed') headers.allow = 'POST';
  // The rest of a body that timed out is still on its way: this connection cannot carry another request.
  if (webhookError.code === 'body_timeout') headers.connection = 'close';
  // Bodies in flight finish within seconds (bodyTimeoutMs at most): a retry soon finds room.
  if (webhookError.code === 'overloaded') headers['retry-after'] = OVERLOADED_RETRY_AFTER_SECONDS;
  return { status: webhookError.status, headers, body: JSON.stringify({ error: payload }) };
}
