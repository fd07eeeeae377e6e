import { WebhookError } from './errors.js';

/**
 * Refuses a `body` that is not the raw bytes: a parsed object or `undefined` means a body parser
 * (or nothing) ran before hookguard, and the bytes the signature covers are gone. Only the kind
 * of value is named, never the value (it may hold anything).
 */
export function requireRawBody(input: unknown, caller: string): void {
  const body = typeof input === 'object' && input !== null ? (input as { body?: unknown }).body : undefined;
  if (typeof body === 'string' || body instanceof Uint8Array || Object.prototype.toString.call(body) === '[object Uint8Array]') return;
  const given = typeof input !== 'object' || input === null ? `no input object (${kindOf(input)})` : `a body that is ${kindOf(body)}`;
  throw new WebhookError(
    'misconfigured',
    `${caller} needs \`body\` as the raw request bytes (a Buffer/Uint8Array, or the exact text received); it was given ${given}. ` +
      'If a body parser (express.json(), express.urlencoded(), body-parser) ran first, it consumed the body and the bytes the signature covers are gone: ' +
      "use express.raw({ type: '*/*' }) on this route (req.body is then a Buffer), or mount hookguard's middleware before express.json(), or exclude the webhook path from it.",
  );
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array (parsed JSON?)';
  if (value instanceof ArrayBuffer) return 'an ArrayBuffer (wrap it: new Uint8Array(buffer))';
  if (typeof value === 'object') return 'an object (parsed JSON or form fields?)';
  return `a ${typeof value}`;
}
