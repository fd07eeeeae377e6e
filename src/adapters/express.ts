import type { NextFunction, Request, Response } from 'express';
import type { ReceiveResult } from '../core/types.js';
import type { EventSchemas, Receiver } from '../receiver/types.js';
import { answerRequest } from './answer.js';
import { EXPRESS_CONSUMED, drain, readNodeBody } from './node-body.js';

/**
 * Express (4 and 5) middleware that answers every request reaching it: POST deliveries go
 * through `receiver.receive()` over the exact raw bytes; any other method gets 405 with
 * `Allow: POST`, without its body being read. It never falls through to `next()`.
 *
 * Mount it before (or instead of) `express.json()` on the webhook path: the signature covers
 * the raw bytes, which a JSON parser consumes. `express.raw({ type: '*\/*' })` in front is fine.
 * A `Content-Encoding: gzip | deflate | br` body is decoded and verified as the uncompressed
 * bytes (what senders sign); `receiver.maxBodyBytes` limits the decoded size, and a body still
 * arriving after `receiver.bodyTimeoutMs` answers 408 `body_timeout` (connection closed).
 *
 * @example
 * import express from 'express';
 * import { createReceiver, providers } from 'hookguard';
 * import { expressMiddleware } from 'hookguard/express';
 *
 * const receiver = createReceiver({ provider: providers.stripe({ secret: process.env.STRIPE_WEBHOOK_SECRET! }) });
 * receiver.on('invoice.paid', async ({ payload }) => { … });
 *
 * const app = express();
 * app.post('/webhooks/stripe', expressMiddleware(receiver)); // before app.use(express.json())
 * app.use(express.json());
 */
export function expressMiddleware<E extends EventSchemas | undefined>(
  receiver: Receiver<E>,
): (req: Request, res: Response, next: NextFunction) => void {
  return function hookguardExpress(req, res, next) {
    answer(receiver, req).then(
      (result) => send(res, result, next),
      (error: unknown) => send(res, receiver.fail(error), next),
    );
  };
}

function answer<E extends EventSchemas | undefined>(receiver: Receiver<E>, req: Request): Promise<ReceiveResult> {
  return answerRequest(receiver, { method: req.method, url: req.originalUrl ?? req.url, headers: req.headers }, (limits) =>
    readNodeBody(req, { limits, consumedMessage: EXPRESS_CONSUMED }),
  ).finally(() => drain(req));
}

/** Writes the answer in one `writeHead` (merged with any header set before, such as X-Powered-By); a write that fails goes to `next`. */
function send(res: Response, result: ReceiveResult, next: NextFunction): void {
  try {
    res.writeHead(result.status, result.headers);
    res.end(result.body);
  } catch (error) {
    next(error);
  }
}
