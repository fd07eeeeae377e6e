import { WebhookError } from '../core/errors.js';

/**
 * The refusals every body reader shares (Node streams, fetch streams, Lambda events), worded
 * once so that every adapter answers a given request with the same JSON, byte for byte.
 */

/** Over `maxBodyBytes` on the wire or once decoded; the same words `receive()` uses. */
export function bodyTooLarge(limit: number): WebhookError {
  return new WebhookError('body_too_large', `The body is larger than maxBodyBytes (${limit} bytes).`);
}

/** A Content-Encoding no reader decodes. gzip and deflate work everywhere (br on Node and Lambda). */
export function unsupportedEncoding(header: string): WebhookError {
  return new WebhookError(
    'invalid_body',
    `Unsupported Content-Encoding ${JSON.stringify(header)}; send the body uncompressed, gzip or deflate.`,
  );
}

/** A compressed body that does not inflate: corrupt, truncated, or not what its header says. */
export function undecodableBody(cause: unknown): WebhookError {
  return new WebhookError('invalid_body', 'The body could not be decoded with its Content-Encoding (corrupt or truncated).', { cause });
}

/** The body did not finish arriving within `bodyTimeoutMs`; the answer closes the connection. */
export function bodyTimeout(ms: number): WebhookError {
  return new WebhookError('body_timeout', `The body did not arrive within bodyTimeoutMs (${ms} ms); the connection is closed.`);
}

/** The sender went away, or the stream broke, before the whole body arrived. */
export function abortedBody(cause?: unknown): WebhookError {
  return new WebhookError('invalid_body', 'The request was aborted before its body was fully received.', cause === undefined ? {} : { cause });
}

/** The encodings all readers decode, lower-cased; `undefined` for none (absent, empty or `identity`). */
export function contentEncodingOf(header: string | null | undefined): string | undefined {
  const encoding = (header ?? '').trim().toLowerCase();
  return encoding === '' || encoding === 'identity' ? undefined : encoding;
}

/** The body sent nothing for `bodyIdleTimeoutMs`; the answer closes the connection. */
export function bodyIdle(ms: number): WebhookError {
  return new WebhookError('body_timeout', `The body sent nothing for bodyIdleTimeoutMs (${ms} ms); the connection is closed.`);
}
