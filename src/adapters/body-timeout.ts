import { withDeadline } from '../core/deadline.js';
import { WebhookError } from '../core/errors.js';

/**
 * The body being read, or 408 `body_timeout` once `ms` has passed (`false`: no limit). A sender
 * dripping a body byte by byte would otherwise hold a connection (and a buffer) for as long as
 * it likes. The read is left to fail on its own when the connection closes; its failure is
 * swallowed here, since the answer has already been given.
 *
 * @example
 * const body = await withinBodyTimeout(readNodeBody(req, receiver.maxBodyBytes), receiver.bodyTimeoutMs);
 */
export function withinBodyTimeout<T>(reading: Promise<T>, ms: number | false | undefined): Promise<T> {
  return withDeadline(reading, ms, () => bodyTimeout(ms as number));
}

function bodyTimeout(ms: number): WebhookError {
  return new WebhookError('body_timeout', `The body did not arrive within bodyTimeoutMs (${ms} ms); the connection is closed.`);
}
