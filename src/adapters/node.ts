import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReceiveResult } from '../core/types.js';
import type { EventSchemas, Receiver } from '../receiver/types.js';
import { readNodeBody, type NodeBodyRequest } from './node-body.js';

export interface NodeHandlerOptions {
  /** Answer only this path (query string ignored); other paths get 404. Default: every path. */
  path?: string;
}

const EMPTY = new Uint8Array(0);
const NOT_FOUND: ReceiveResult = {
  status: 404,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify({ error: { code: 'not_found', message: 'No webhook endpoint at this path.' } }),
};

/**
 * A `(req, res)` listener for `http.createServer`, and anything else that hands out Node's
 * `IncomingMessage`/`ServerResponse` (Next.js pages API routes with `bodyParser: false`, Google
 * Cloud Functions, Firebase).
 *
 * @example
 * http.createServer(nodeHandler(receiver, { path: '/webhooks' })).listen(3000);
 */
export function nodeHandler<E extends EventSchemas | undefined>(
  receiver: Receiver<E>,
  options: NodeHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  return function hookguardNode(req, res) {
    answer(receiver, req, options.path).then(
      (result) => send(res, result),
      (error: unknown) => send(res, receiver.fail(error)),
    );
  };
}

async function answer<E extends EventSchemas | undefined>(receiver: Receiver<E>, req: NodeBodyRequest, path: string | undefined): Promise<ReceiveResult> {
  const url = req.url ?? '/';
  if (path !== undefined && pathOf(url) !== path) {
    req.resume();
    return NOT_FOUND;
  }
  const input = { method: req.method ?? 'POST', url, headers: req.headers };
  if (input.method !== 'POST') {
    req.resume();
    return receiver.receive({ ...input, body: EMPTY });
  }
  let body: Buffer;
  try {
    body = await readNodeBody(req, receiver.maxBodyBytes);
  } catch (error) {
    return receiver.fail(error);
  }
  return receiver.receive({ ...input, body });
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function send(res: ServerResponse, result: ReceiveResult): void {
  if (res.headersSent) return;
  res.statusCode = result.status;
  for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
  res.end(result.body);
}
