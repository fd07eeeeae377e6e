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

/** What `reply()` was given; the body is serialised only once the handlers have succeeded. */
interface ReplyContent {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** A handler's answer to the sender: made by `reply()`. */
export interface Reply {
  readonly [REPLY]: ReplyContent;
}

/**
 * Sets the answer to the sender. A handler's plain return value is ignored (it may be a database
 * row) except where the sender's protocol expects one (Discord interactions, Slack slash commands
 * and interactivity); `reply()` answers anywhere — TwiML for Twilio, plain text, 202.
 * A body that cannot be serialised does not fail the delivery: it is answered 200 `{"ok":true}`
 * and reported to `onError`.
 *
 * @example
 * receiver.on('message.received', () => reply('<Response><Message>Got it</Message></Response>', { contentType: 'text/xml' }));
 */
export function reply(body: unknown, options: ReplyOptions = {}): Reply {
  const status = options.status ?? 200;
  if (!Number.isInteger(status) || status < 200 || status > 299) {
    throw new WebhookError('misconfigured', `reply(): \`status\` must be a 2xx status for a handled delivery; got ${String(status)}.`);
  }
  const contentType = options.contentType ?? (typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  headers['content-type'] = contentType;
  return { [REPLY]: { status, headers, body } };
}

export function isReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null && (value as Partial<Reply>)[REPLY] !== undefined;
}

/** The answer a `reply()` carries, as a new object each time; throws a `TypeError` when its body cannot be serialised. */
export function replyResult(value: Reply): ReceiveResult {
  const { status, headers, body } = value[REPLY];
  const text = typeof body === 'string' ? body : serialise(body);
  return { status, headers: { ...headers }, body: status === 204 ? '' : text };
}

/** JSON of `value`, or a `TypeError` where JSON cannot carry it (a BigInt, a cycle, a function, undefined). */
export function serialise(value: unknown): string {
  const text: unknown = JSON.stringify(value);
  if (typeof text !== 'string') throw new TypeError(`A ${typeof value} cannot be serialised as JSON.`);
  return text;
}
