import type { ReceiveResult } from '../core/types.js';
import type { EventSchemas, Receiver } from '../receiver/types.js';
import { readRequestBody } from './web-body.js';

const CONSUMED =
  'The request body was already read (request.json(), request.text(), a validator or a body-parsing middleware), so the raw bytes the signature covers are gone. ' +
  'Pass the untouched Request to the handler: in Next.js `export const POST = fetchHandler(receiver)` without reading the body first; in Hono `app.post(path, (c) => handle(c.req.raw))` with no validator on that route.';

/**
 * A `(request: Request) => Promise<Response>` handler: Next.js App Router route handlers, Hono,
 * Bun, Deno, Cloudflare Workers.
 *
 * @example
 * // app/api/webhooks/route.ts
 * export const POST = fetchHandler(receiver);
 */
export function fetchHandler<E extends EventSchemas | undefined>(receiver: Receiver<E>): (request: Request) => Promise<Response> {
  return async function hookguardFetch(request) {
    const input = { method: request.method, url: request.url, headers: request.headers };
    if (request.method.toUpperCase() !== 'POST') return toResponse(await receiver.receive({ ...input, body: new Uint8Array(0) }));
    let body: Uint8Array;
    try {
      body = await readRequestBody(request, receiver.maxBodyBytes, CONSUMED);
    } catch (error) {
      return toResponse(receiver.fail(error));
    }
    return toResponse(await receiver.receive({ ...input, body }));
  };
}

function toResponse(result: ReceiveResult): Response {
  const empty = result.status === 204 || result.status === 304;
  return new Response(empty ? null : result.body, { status: result.status, headers: result.headers });
}
