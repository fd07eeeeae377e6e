import { WebhookError } from '../core/errors.js';
import type { ReceiveResult } from '../core/types.js';

const REPLY = Symbol.for('hookguard.Reply');

export interface ReplyOptions {
  /** A 2xx status (a handled delivery is never answered with a refusal); default 200. */
  status?: number;
  /** Default `text/plain; charset=utf-8` for a string body, JSON for anything else. */
  contentType?: string;
  headers?: Record<string, string>;
}

/** A handler's answer that is not JSON, or not 200: made by `reply()`. */
export interface Reply {
  readonly [REPLY]: ReceiveResult;
}

/**
 * Lets a handler answer with other than a JSON body — TwiML for Twilio, plain text, 202 —
 * when JSON of its return value is not what the sender expects.
 *
 * @example
 * receiver.on('message.received', () => reply('<Response><Message>Got it</Message></Response>', { contentType: 'text/xml' }));
 */
export function reply(body: unknown, options: ReplyOptions = {}): Reply {
  const status = options.status ?? 200;
  if (!Number.isInteger(status) || status < 200 || status > 299) {
    throw new WebhookError('misconfigured', `reply(): \`status\` must be a 2xx status for a handled delivery; got ${String(status)}.`);
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (typeof text !== 'string') throw new WebhookError('misconfigured', `reply(): a ${typeof body} body cannot be sent; pass a string or JSON-serialisable value.`);
  const contentType = options.contentType ?? (typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  headers['content-type'] = contentType;
  return { [REPLY]: { status, headers, body: status === 204 ? '' : text } };
}

/** The answer a `reply()` carries, or undefined for any other value. */
export function replyOf(value: unknown): ReceiveResult | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const result = (value as Partial<Reply>)[REPLY];
  return result === undefined ? undefined : { ...result, headers: { ...result.headers } };
}
