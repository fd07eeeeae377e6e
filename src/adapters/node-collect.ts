import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { WebhookError, isWebhookError } from '../core/errors.js';
import type { BodyReadLimits } from '../core/types.js';
import { abortedBody, bodyIdle, bodyTooLarge, undecodableBody } from './body-errors.js';
import { decoderBytes, inflatesTooMuch, inflationTooHigh } from './inflation.js';

/** What to read: the declared length (none when chunked) and the encoding to decode. */
export interface CollectSource {
  declared: number | undefined;
  encoding: 'gzip' | 'deflate' | 'br' | undefined;
}

/**
 * The one loop over a request stream: wire bytes counted against the limit, the decoder made
 * on the first byte (its window taken from the budget), every buffered byte taken from the
 * budget before it is kept, an idle timer refreshed on each chunk. `done` is called once; the
 * returned `stop` ends the read early (the total deadline passed). State lives in `finished`,
 * and `finish` removes every listener, as raw-body does.
 */
export function collectBody(
  req: IncomingMessage,
  source: CollectSource,
  limits: BodyReadLimits,
  done: (error: WebhookError | undefined, body?: Buffer) => void,
): () => void {
  const { maxBytes: limit, ticket, idleTimeoutMs } = limits;
  const { declared, encoding } = source;
  const chunks: Buffer[] = [];
  let wire = 0;
  let kept = 0;
  let finished = false;
  let decoder: Transform | undefined;
  let window = 0;
  const idle = idleTimeoutMs === false ? undefined : setTimeout(() => finish(bodyIdle(idleTimeoutMs)), idleTimeoutMs);

  const keep = (chunk: Buffer): void => {
    kept += chunk.byteLength;
    if (kept > limit) return finish(bodyTooLarge(limit));
    if (encoding !== undefined && inflatesTooMuch(kept, wire)) return finish(inflationTooHigh());
    if (encoding !== undefined || declared === undefined) ticket.take(chunk.byteLength);
    chunks.push(chunk);
  };
  const guarded = (step: (chunk: Buffer) => void) => (chunk: Buffer): void => {
    if (finished) return;
    try {
      step(chunk);
    } catch (error) {
      finish(isWebhookError(error) ? error : undecodableBody(error));
    }
  };
  const onData = guarded((chunk) => {
    idle?.refresh();
    wire += chunk.byteLength;
    if (wire > limit) return finish(bodyTooLarge(limit));
    if (encoding === undefined) return keep(chunk);
    decoder ??= openDecoder(encoding, chunk[0]);
    if (!decoder.write(chunk)) {
      req.pause();
      decoder.once('drain', () => req.resume());
    }
  });
  const openDecoder = (kind: 'gzip' | 'deflate' | 'br', first: number | undefined): Transform => {
    const cost = decoderBytes(kind, first);
    ticket.take(cost);
    window = cost;
    const made = kind === 'gzip' ? createGunzip() : kind === 'deflate' ? createInflate() : createBrotliDecompress();
    made.on('data', guarded(keep));
    made.once('end', () => finish(undefined));
    made.once('error', (error) => finish(undecodableBody(error)));
    return made;
  };
  const onEnd = (): void => {
    if (encoding === undefined) {
      if (declared !== undefined && wire !== declared) return finish(shortBody());
      return finish(undefined);
    }
    if (decoder === undefined) return finish(undecodableBody(new Error('empty compressed body')));
    decoder.end();
  };
  const onAbort = (): void => {
    if (!req.readableEnded) finish(abortedBody());
  };

  function finish(error: WebhookError | undefined): void {
    if (finished) return;
    finished = true;
    if (idle !== undefined) clearTimeout(idle);
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('aborted', onAbort);
    req.off('error', onAbort);
    req.off('close', onAbort);
    if (decoder !== undefined) {
      decoder.destroy();
      ticket.give(window);
    }
    if (error !== undefined) {
      chunks.length = 0; // the rest stays on the wire: the adapter drains it once it answers (node-body.ts `drain`)
      done(error);
      return;
    }
    done(undefined, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, kept));
  }

  try {
    // A declared length is taken whole before reading: over the budget, nothing is read.
    if (encoding === undefined && declared !== undefined) ticket.take(declared);
  } catch (error) {
    finish(error as WebhookError);
    return () => {};
  }
  req.on('data', onData);
  req.once('end', onEnd);
  req.once('aborted', onAbort);
  req.once('error', onAbort);
  req.once('close', onAbort);
  return () => finish(stopped());
}

/** What `stop` settles with: the deadline's own error is what the caller answers. */
function stopped(): WebhookError {
  return new WebhookError('body_timeout', 'The body read was stopped.');
}

function shortBody(): WebhookError {
  return new WebhookError('invalid_body', 'The body ended before the length its Content-Length header declares.');
}
