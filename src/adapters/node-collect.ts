import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import getRawBody from 'raw-body';
import { WebhookError, isWebhookError } from '../core/errors.js';
import type { BodyReadLimits } from '../core/types.js';
import { abortedBody, bodyIdle, bodyTimeout, bodyTooLarge, undecodableBody } from './body-errors.js';
import { decoderBytes, inflatesTooMuch, inflationTooHigh } from './inflation.js';

/** What to read: the declared length (none when chunked) and the encoding to decode. */
export interface CollectSource {
  declared: number | undefined;
  encoding: 'gzip' | 'deflate' | 'br' | undefined;
}

/**
 * Reads a request body with raw-body: req → wire meter → (decoder → decoded meter) → raw-body.
 * The meters take every buffered or inflated byte from the budget ticket before passing it on,
 * refresh the idle timer, and hold the wire bytes and the inflation ratio to their limits. Every
 * failure (abort, idle, deadline, limit, ratio, budget, corrupt encoding) destroys the stream
 * raw-body reads, so it settles once; `finally` removes every listener and timer.
 */
export async function collectBody(req: IncomingMessage, source: CollectSource, limits: BodyReadLimits): Promise<Buffer> {
  const { maxBytes: limit, ticket, idleTimeoutMs, timeoutMs } = limits;
  const { declared, encoding } = source;
  // A declared length is taken whole before reading: over the budget, nothing is read.
  if (encoding === undefined && declared !== undefined) ticket.take(declared);

  let wire = 0;
  let kept = 0;
  let window = 0;
  const wireMeter = meter(
    (chunk) => {
      idle?.refresh();
      if (encoding !== undefined && wire === 0) {
        const cost = decoderBytes(encoding, chunk[0]);
        ticket.take(cost);
        window = cost;
      }
      wire += chunk.byteLength;
      if (wire > limit) throw bodyTooLarge(limit);
      if (encoding === undefined && declared === undefined) ticket.take(chunk.byteLength);
    },
    () => {
      if (encoding !== undefined && wire === 0) throw undecodableBody(new Error('empty compressed body'));
    },
  );
  const decoder = encoding === undefined ? undefined : openDecoder(encoding);
  const decodedMeter =
    decoder &&
    meter((chunk) => {
      kept += chunk.byteLength;
      if (kept > limit) throw bodyTooLarge(limit);
      if (inflatesTooMuch(kept, wire)) throw inflationTooHigh();
      ticket.take(chunk.byteLength);
    });
  const tail = decodedMeter ?? wireMeter;
  const fail = (error: WebhookError): void => void tail.destroy(error);
  const onAbort = (): void => {
    if (!req.readableEnded) fail(abortedBody());
  };
  const onWireError = (error: Error): void => fail(isWebhookError(error) ? error : undecodableBody(error));
  const idle = idleTimeoutMs === false ? undefined : setTimeout(() => fail(bodyIdle(idleTimeoutMs)), idleTimeoutMs);
  const deadline = timeoutMs === false ? undefined : setTimeout(() => fail(bodyTimeout(timeoutMs)), timeoutMs);

  req.once('aborted', onAbort);
  req.once('error', onAbort);
  req.once('close', onAbort);
  if (decoder !== undefined && decodedMeter !== undefined) {
    wireMeter.once('error', onWireError);
    decoder.once('error', onWireError);
    req.pipe(wireMeter).pipe(decoder).pipe(decodedMeter);
  } else {
    req.pipe(wireMeter);
  }
  try {
    return await getRawBody(tail, { limit, length: encoding === undefined ? declared : undefined });
  } catch (error) {
    throw asWebhookError(error, limit);
  } finally {
    if (idle !== undefined) clearTimeout(idle);
    if (deadline !== undefined) clearTimeout(deadline);
    req.off('aborted', onAbort);
    req.off('error', onAbort);
    req.off('close', onAbort);
    // The rest stays on the wire: the adapter drains it once it has answered (node-body.ts `drain`).
    req.unpipe(wireMeter);
    wireMeter.destroy();
    decoder?.destroy();
    decodedMeter?.destroy();
    ticket.give(window);
  }
}

/**
 * A pass-through that runs `check` on each chunk (and `atEnd` before ending); a throw fails the
 * stream with it. It buffers nothing itself, so a bomb's reader pulls no more off the wire than
 * the decoder's own buffer holds.
 */
function meter(check: (chunk: Buffer) => void, atEnd?: () => void): Transform {
  return new Transform({
    highWaterMark: 0,
    transform(chunk: Buffer, _encoding, callback) {
      try {
        check(chunk);
        callback(null, chunk);
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      try {
        atEnd?.();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

function openDecoder(kind: 'gzip' | 'deflate' | 'br'): Transform {
  return kind === 'gzip' ? createGunzip() : kind === 'deflate' ? createInflate() : createBrotliDecompress();
}

/** raw-body's own refusals, in the words every reader uses; ours pass through. */
function asWebhookError(error: unknown, limit: number): WebhookError {
  if (isWebhookError(error)) return error;
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return bodyTooLarge(limit);
  if (type === 'request.size.invalid') return shortBody();
  return abortedBody(error);
}

function shortBody(): WebhookError {
  return new WebhookError('invalid_body', 'The body ended before the length its Content-Length header declares.');
}
