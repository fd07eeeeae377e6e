import type { NextFunction, Request, Response } from 'express';
import type { ReceiveResult } from '../core/types.js';
import type { EventSchemas, Receiver } from '../receiver/types.js';
import { withinBodyTimeout } from './body-timeout.js';
import { readNodeBody } from './node-body.js';

const EMPTY = new Uint8Array(0);

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

async function answer<E extends EventSchemas | undefined>(receiver: Receiver<E>, req: Request): Promise<ReceiveResult> {
  const input = { method: req.method, url: req.originalUrl ?? req.url, headers: req.headers };
  if (req.method !== 'POST') return receiver.receive({ ...input, body: EMPTY });
  let body: Buffer;
  try {
    body = await withinBodyTimeout(readNodeBody(req, receiver.maxBodyBytes), receiver.bodyTimeoutMs);
  } catch (error) {
    return receiver.fail(error);
  }
  try {
    return await receiver.receive({ ...input, body });
  } catch (error) {
    return receiver.fail(error); // receive() answers every failure itself; this only guards a broken contract
  }
}

function send(res: Response, result: ReceiveResult): void {
  res.status(result.status);
  for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
  res.end(result.body);
}
