import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import getRawBody from 'raw-body';
import { startWithDeadline } from '../core/deadline.js';
import { WebhookError, isWebhookError } from '../core/errors.js';
import { abortedBody, bodyTimeout, bodyTooLarge, contentEncodingOf, undecodableBody, unsupportedEncoding } from './body-errors.js';

/** A Node request as hosts hand it over: Express may have set `body`, GCF/Firebase set `rawBody`. */
export type NodeBodyRequest = IncomingMessage & { body?: unknown; rawBody?: unknown; _body?: unknown };

/** The default `consumedMessage`: Express 4 and 5 (where body-parser is the usual culprit). */
export const EXPRESS_CONSUMED =
  'express.json() (or another body parser: express.urlencoded(), express.text(), body-parser on Express 4) already ' +
  "consumed the request body, so its raw bytes — which the signature covers — are gone. Mount hookguard's " +
  "middleware before express.json(), or exclude the webhook path from it, or use express.raw({ type: '*/*' }) on this route.";

/**
 * Reads the exact body bytes of a Node request once, wherever the host left them: `req.rawBody`
 * (Google Cloud Functions, Firebase), a Buffer `req.body` (`express.raw()`), or else the stream.
 * `limit` (bytes) is enforced while streaming and on the decoded size of a `Content-Encoding:
 * gzip | deflate | br` body, so neither a large upload nor a zip bomb is ever buffered whole.
 * Senders sign the uncompressed body, so the decoded bytes are what is returned and verified.
 * A body still arriving after `timeoutMs` (`false`: no limit) is refused with `body_timeout`:
 * a sender dripping a body byte by byte would otherwise hold a connection (and a buffer) for as
 * long as it likes. The read itself is then left to fail when the connection closes.
 *
 * Rejects with `WebhookError`: `body_too_large`, `body_timeout`, `invalid_body` (aborted,
 * corrupt or unknown encoding), `misconfigured` with `consumedMessage` (another parser consumed
 * the body and kept no copy of its bytes): each adapter passes the fix for its own framework.
 * One promise and at most one timer per request: this runs for every delivery.
 *
 * @example
 * const body = await readNodeBody(req, receiver.maxBodyBytes, FASTIFY_CONSUMED, receiver.bodyTimeoutMs);
 */
export function readNodeBody(req: NodeBodyRequest, limit: number, consumedMessage: string = EXPRESS_CONSUMED, timeoutMs: number | false = false): Promise<Buffer> {
  let source: Buffer | StreamSource;
  try {
    source = bodySource(req, limit, consumedMessage);
  } catch (error) {
    return Promise.reject(error);
  }
  if (Buffer.isBuffer(source)) return Promise.resolve(source);
  const { declared, decoder } = source;
  return startWithDeadline<Buffer>(
    (resolve, reject) => {
      const done = (error: unknown, body?: Buffer): void => {
        if (error === null || error === undefined) {
          resolve(body as Buffer);
          return;
        }
        // Pull the rest off the wire (discarding it) so the answer reaches a sender still uploading.
        if (!req.destroyed) req.resume();
        reject(toWebhookError(error, limit));
      };
      if (decoder === undefined) getRawBody(req, { limit, length: declared ?? null }, done);
      else readDecoded(req, decoder, limit).then((body) => done(null, body), done);
    },
    timeoutMs,
    () => bodyTimeout(timeoutMs as number),
  );
}

interface StreamSource {
  declared: number | undefined;
  decoder: Transform | undefined;
}

/** The bytes a host kept, or how to read the stream; throws what is already known to be wrong. */
function bodySource(req: NodeBodyRequest, limit: number, consumedMessage: string): Buffer | StreamSource {
  const kept = keptBody(req);
  if (kept !== undefined) {
    if (kept.byteLength > limit) throw bodyTooLarge(limit);
    return kept;
  }
  // body-parser sets `_body` once it has read a body; Express 4's also sets `req.body = {}` on
  // requests it skipped, so only the stream's own state says whether the bytes are still there.
  if (req._body === true || req.readableEnded || req.readableDidRead) {
    throw new WebhookError('misconfigured', consumedMessage);
  }
  if (req.destroyed) throw abortedBody();
  const declared = contentLength(req);
  if (declared !== undefined && declared > limit) throw bodyTooLarge(limit);
  return { declared, decoder: createDecoder(req.headers['content-encoding']) };
}

function keptBody(req: NodeBodyRequest): Buffer | undefined {
  if (req.rawBody instanceof Uint8Array) return asBuffer(req.rawBody);
  if (req.body instanceof Uint8Array) return asBuffer(req.body);
  return undefined;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function contentLength(req: IncomingMessage): number | undefined {
  const header = req.headers['content-length'];
  if (header === undefined || !/^[0-9]+$/.test(header)) return undefined; // Node's parser refuses worse ones
  return Number(header);
}

/** A zlib stream for the body's Content-Encoding; undefined for none/identity. */
function createDecoder(header: string | undefined): Transform | undefined {
  const encoding = contentEncodingOf(header);
  switch (encoding) {
    case undefined:
      return undefined;
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      throw unsupportedEncoding(header ?? '');
  }
}

/**
 * Pipes the request through the decoder and reads the decoded bytes with the limit applied as
 * they come out; the wire bytes are held to the same limit (junk after a compressed stream).
 * `pipe` does not forward an abort, so one is turned into an error on the decoder here.
 */
async function readDecoded(req: IncomingMessage, decoder: Transform, limit: number): Promise<Buffer> {
  let wire = 0;
  const onData = (chunk: Buffer): void => {
    wire += chunk.byteLength;
    if (wire > limit) decoder.destroy(bodyTooLarge(limit));
  };
  const onAbort = (): void => {
    if (!req.readableEnded) decoder.destroy(abortedBody());
  };
  req.on('data', onData);
  req.once('aborted', onAbort);
  req.once('error', onAbort);
  req.once('close', onAbort);
  req.pipe(decoder);
  try {
    return await getRawBody(decoder, { limit });
  } catch (error) {
    // What is neither ours nor raw-body's (which carry a `type`) comes from zlib: a corrupt stream.
    if (isWebhookError(error) || typeof (error as { type?: unknown }).type === 'string') throw error;
    throw undecodableBody(error);
  } finally {
    req.off('data', onData);
    req.off('aborted', onAbort);
    req.off('error', onAbort);
    req.off('close', onAbort);
    req.unpipe(decoder);
    decoder.destroy();
    if (!req.destroyed) req.resume();
  }
}

function toWebhookError(error: unknown, limit: number): WebhookError {
  if (isWebhookError(error)) return error;
  const type = (error as { type?: unknown }).type;
  if (type === 'entity.too.large') return bodyTooLarge(limit);
  if (type === 'request.aborted') return abortedBody();
  if (type === 'request.size.invalid') {
    return new WebhookError('invalid_body', 'The body ended before the length its Content-Length header declares.', { cause: error });
  }
  if (type === 'stream.encoding.set') {
    return new WebhookError('misconfigured', 'req.setEncoding() was called before hookguard read the body; remove that call so the raw bytes can be verified.');
  }
  return new WebhookError('invalid_body', 'The request body could not be read.', { cause: error });
}

