import type { NextFunction, Request, Response } from 'express';
import type { ReceiveResult } from '../core/types.js';
import type { EventSchemas, Receiver } from '../receiver/types.js';
import { answerRequest } from './answer.js';
import { withinBodyTimeout } from './body-timeout.js';
import { readNodeBody } from './node-body.js';


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
    answer(receiver, req).then((result) => send(res, result)).catch(next);
  };
}

function answer<E extends EventSchemas | undefined>(receiver: Receiver<E>, req: Request): Promise<ReceiveResult> {
  return answerRequest(receiver, { method: req.method, url: req.originalUrl ?? req.url, headers: req.headers }, () =>
    withinBodyTimeout(readNodeBody(req, receiver.maxBodyBytes), receiver.bodyTimeoutMs),
  );
}

function send(res: Response, result: ReceiveResult): void {
  res.status(result.status);
  for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
  res.end(result.body);
}
