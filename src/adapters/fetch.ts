import type { ReceiveResult } from '../core/types.js';
import type { EventSchemas, Receiver } from '../receiver/types.js';
import { withDeadline } from '../core/deadline.js';
import { answerRequest } from './answer.js';
import { bodyTimeout } from './body-errors.js';
import { readRequestBody } from './web-body.js';

/** Next.js App Router, Hono, Bun, Deno, Workers: where a fetch Request's body gets read first. */
export const FETCH_CONSUMED =
  'The Request body was already read (request.json(), request.text(), request.formData(), a validator or a ' +
  'body-reading middleware), so the raw bytes the signature covers are gone. Hand fetchHandler() the untouched ' +
  'Request: in Next.js, `export const POST = fetchHandler(receiver)` in the route file, with nothing in it or in ' +
  "middleware reading the body (read a request.clone() if you must); in Hono, `app.post(path, (c) => handle(c.req.raw))` " +
  'with no validator or c.req.json()/parseBody() before it on that route.';

/** Statuses whose responses must have a null body (`new Response('', { status: 204 })` throws). */
const NULL_BODY = new Set([204, 205, 304]);

/**
 * A `(request: Request) => Promise<Response>` handler for fetch-style hosts: Next.js App Router
 * route handlers, Hono, Bun, Deno and Cloudflare Workers. The body is read as a stream with
 * `receiver.maxBodyBytes` applied while reading (decoded size too, for `Content-Encoding: gzip |
 * deflate`); a body still arriving after `receiver.bodyTimeoutMs` answers 408 `body_timeout`
 * with `Connection: close` (the read is left to end with the connection: cancelling it would,
 * on Node hosts, destroy the socket before the answer is written). Any method but POST gets 405
 * with `Allow: POST`, its body unread.
 *
 * @example
 * // app/api/webhooks/route.ts (Next.js App Router)
 * import { fetchHandler } from 'hookguard/fetch';
 * import { receiver } from '@/lib/webhooks';
 *
 * export const POST = fetchHandler(receiver);
 * @example
 * // Bun, Deno, Cloudflare Workers
 * export default { fetch: fetchHandler(receiver) };
 */
export function fetchHandler<E extends EventSchemas | undefined>(receiver: Receiver<E>): (request: Request) => Promise<Response> {
  return function hookguardFetch(request) {
    return answer(receiver, request).then(toResponse, (error: unknown) => toResponse(receiver.fail(error)));
  };
}

function answer<E extends EventSchemas | undefined>(receiver: Receiver<E>, request: Request): Promise<ReceiveResult> {
  return answerRequest(receiver, { method: request.method, url: request.url, headers: request.headers }, (limits) =>
    withDeadline(readRequestBody(request, limits, FETCH_CONSUMED), limits.timeoutMs, () => bodyTimeout(limits.timeoutMs as number)),
  );
}

function toResponse(result: ReceiveResult): Response {
  const body = NULL_BODY.has(result.status) ? null : result.body;
  return new Response(body, { status: result.status, headers: result.headers });
}
