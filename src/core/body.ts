import { WebhookError } from './errors.js';
import { toBuffer } from './encoding.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * How a sender's body is written: always JSON, always a form, either (`auto`), or JSON and
 * `payload=<json>` only (`json-or-payload`, GitHub's two settings).
 */
export type BodyFormat = 'json' | 'form' | 'auto' | 'json-or-payload';

/**
 * Decodes a verified body once. `auto` and `json-or-payload` (senders that send both: Slack,
 * GitHub, Twilio, Zendesk) choose by the signed bytes, never by the unsigned Content-Type:
 * JSON when the text opens with `{` or `[`, a form otherwise. A form whose only field is
 * `payload` holding JSON (Slack interactivity, GitHub) yields that JSON.
 */
export function decodeBody(body: Uint8Array, format: BodyFormat): unknown {
  const text = decodeUtf8(body);
  if (format === 'json' || (format !== 'form' && looksLikeJson(text))) return decodeJson(text);
  if (format === 'json-or-payload') return decodePayloadForm(text);
  return decodeForm(text);
}

function decodePayloadForm(text: string): unknown {
  const fields = new URLSearchParams(text);
  const payload = fields.get('payload');
  if (payload === null || fields.size !== 1) throw new WebhookError('invalid_body', 'The body is neither JSON nor a form holding one `payload` field of JSON.');
  return decodeJson(payload);
}

/** JSON text opens with an object or array after JSON whitespace; a form body never does (its first field name would have to start with `{`). */
export function looksLikeJson(text: string): boolean {
  return /^[\t\n\r ]*[{[]/.test(text);
}

function decodeUtf8(body: Uint8Array): string {
  try {
    return utf8.decode(body);
  } catch (cause) {
    throw new WebhookError('invalid_body', 'The body is not valid UTF-8.', { cause });
  }
}

export function decodeJson(text: string): unknown {
  if (text.length === 0) throw new WebhookError('invalid_body', 'The body is empty; expected JSON.');
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new WebhookError('invalid_body', 'The body is not valid JSON.', { cause });
  }
}

function decodeForm(text: string): unknown {
  // Through a Map: a field named `__proto__` must become an own field, not a prototype assignment.
  const fields = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(text)) fields.set(key, value);
  const only = fields.size === 1 ? fields.get('payload') : undefined;
  if (only !== undefined) return decodeJson(only);
  return Object.fromEntries(fields);
}

/** Reads `a.b.c` out of a decoded payload; undefined where any step is missing. */
export function pick(payload: unknown, path: readonly string[]): unknown {
  let value = payload;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A string field of the payload, or undefined. Numbers (Discord snowflakes are strings; some ids are numbers) are stringified. */
export function pickString(payload: unknown, path: readonly string[]): string | undefined {
  const value = pick(payload, path);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export { toBuffer };
