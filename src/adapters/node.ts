import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReceiveResult } from '../core/types.js';
import type { EventSchemas, Receiver } from '../receiver/types.js';
import { answerRequest } from './answer.js';
import { drain, readNodeBody, type NodeBodyRequest } from './node-body.js';

export interface NodeHandlerOptions {
  /** Answer only this path (query string ignored); any other path gets 404. Default: every path. */
  path?: string;
}

/** node:http, and the hosts that hand out its request objects, with their own ways to lose the body. */
export const NODE_CONSUMED =
  'Something read the request stream before nodeHandler() did (a body parser in a connect/polka stack, ' +
  "Next.js pages/api's built-in bodyParser, or a req.on('data') listener), so the raw bytes the signature " +
  'covers are gone. Call the nodeHandler() listener first for the webhook path, with nothing reading the ' +
  'request before it; in a Next.js pages/api route, `export const config = { api: { bodyParser: false } }`.';


/**
 * A `(req, res)` listener for `http.createServer`, and anything else that hands out Node's
 * `IncomingMessage`/`ServerResponse` (Next.js pages/api routes with `bodyParser: false`, Google
 * Cloud Functions and Firebase, whose `req.rawBody` it uses). The body is read with the same
 * streaming limit and Content-Encoding handling as the Express middleware. With `path`, other
 * paths get 404; a non-POST request on the path gets 405 with `Allow: POST`.
 *
 * @example
 * import { createServer } from 'node:http';
 * import { nodeHandler } from 'hookguard/node';
 *
 * createServer(nodeHandler(receiver, { path: '/webhooks' })).listen(3000);
 */
export function nodeHandler<E extends EventSchemas | undefined>(
  receiver: Receiver<E>,
  options: NodeHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const { path } = options;
  return function hookguardNode(req, res) {
    answer(receiver, req, path).then(
      (result) => send(res, result),
      (error: unknown) => send(res, receiver.fail(error)),
    );
  };
}

function answer<E extends EventSchemas | undefined>(receiver: Receiver<E>, req: NodeBodyRequest, path: string | undefined): Promise<ReceiveResult> {
  const url = req.url ?? '/';
  if (path !== undefined && pathOf(url) !== path) {
    req.resume();
    return Promise.resolve(notFound());
  }
  const method = req.method ?? 'GET';
  // 405 without reading the body; drained so the answer reaches a sender still uploading.
  if (method !== 'POST') req.resume();
  return answerRequest(receiver, { method, url, headers: req.headers }, (limits) => readNodeBody(req, { limits, consumedMessage: NODE_CONSUMED })).finally(() => drain(req));
}

/** Routing, not a delivery refusal: no WebhookError code, and nothing reported to onError. */
function notFound(): ReceiveResult {
  return {
    status: 404,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ error: { code: 'not_found', message: 'No webhook endpoint at this path.' } }),
  };
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function send(res: ServerResponse, result: ReceiveResult): void {
  if (res.headersSent) return; // another listener already answered: the response is theirs
  try {
    res.writeHead(result.status, result.headers);
    res.end(result.body);
  } catch {
    res.destroy(); // writing the answer failed (socket gone): nothing is left to tell the sender
  }
}
