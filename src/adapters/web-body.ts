import { WebhookError, isWebhookError } from '../core/errors.js';
import type { BodyReadLimits } from '../core/types.js';
import { abortedBody, bodyIdle, bodyTooLarge, contentEncodingOf, undecodableBody, unsupportedEncoding } from './body-errors.js';
import { decoderBytes, inflatesTooMuch, inflationTooHigh, plainLimits } from './inflation.js';

const EMPTY = new Uint8Array(0);

/** What DecompressionStream takes for each Content-Encoding (web standard: no br). */
const FORMATS: Readonly<Record<string, 'gzip' | 'deflate'>> = { gzip: 'gzip', 'x-gzip': 'gzip', deflate: 'deflate' };

/** Bodies declared at most this long are read with `arrayBuffer()`; longer ones stream, under the idle timeout. */
const WHOLE_READ_BYTES = 64 * 1024;

/**
 * Reads a fetch `Request` body once, with `limits.maxBytes` enforced while streaming — on the
 * wire bytes and on the decoded size of a `Content-Encoding: gzip | deflate` body, which may
 * also inflate at most MAX_INFLATION_RATIO× — and every byte kept (and the decoder's window)
 * taken from `limits.ticket` first. A stream that sends nothing for `idleTimeoutMs` errors with
 * `body_timeout`. Web APIs only (ReadableStream, DecompressionStream), so it runs on Node, Bun,
 * Deno and Workers. A small unencoded body with a Content-Length is read with `arrayBuffer()`
 * instead (bounded by the length; hosts serve it faster).
 *
 * Throws `WebhookError`: `body_too_large`, `body_timeout`, `overloaded`, `invalid_body` (aborted,
 * corrupt or unknown encoding), `misconfigured` with `consumedMessage` when something already
 * read or locked the body. Given a number instead of limits: no budget and no idle timeout.
 */
export async function readRequestBody(request: Request, limits: BodyReadLimits | number, consumedMessage: string): Promise<Uint8Array> {
  const read = typeof limits === 'number' ? plainLimits(limits, false) : limits;
  const limit = read.maxBytes;
  if (request.bodyUsed) throw new WebhookError('misconfigured', consumedMessage);
  const declared = contentLength(request.headers.get('content-length'));
  // Refusals leave the rest of the body unread rather than cancelling it: on Node (Hono's
  // node-server) a cancel destroys the socket and the answer with it, while an unread body is
  // drained once the answer is sent; Bun, Deno and Workers discard it either way.
  if (declared !== undefined && declared > limit) throw bodyTooLarge(limit);
  const header = request.headers.get('content-encoding');
  const encoding = contentEncodingOf(header);
  const format = encoding === undefined ? undefined : FORMATS[encoding];
  if (encoding !== undefined && format === undefined) throw unsupportedEncoding(header ?? '');
  if (encoding === undefined && declared !== undefined && declared <= WHOLE_READ_BYTES) {
    read.ticket.take(declared);
    return readDeclared(request, limit, consumedMessage);
  }
  if (request.body?.locked === true) throw new WebhookError('misconfigured', consumedMessage);
  const body = request.body;
  if (body === null) return EMPTY;
  const counter = { wire: 0 };
  const wire = limited(body, limit, read.idleTimeoutMs, counter);
  if (format === undefined) return readAll(wire, read, undefined);
  read.ticket.take(decoderBytes(format, undefined));
  // The cast: TypeScript's DOM-less lib types DecompressionStream's chunks as BufferSource.
  return readAll(wire.pipeThrough(new DecompressionStream(format) as unknown as TransformStream<Uint8Array, Uint8Array>), read, counter);
}

/**
 * An unencoded body framed by a small Content-Length within the limit: buffering it whole is
 * bounded, and `arrayBuffer()` lets hosts skip building a stream (Hono's node-server then reads
 * the socket directly, several times faster). Checked again after reading, for a Request built
 * in-process whose header and body disagree.
 */
async function readDeclared(request: Request, limit: number, consumedMessage: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await request.arrayBuffer());
  } catch (error) {
    // Refused before a byte was read: someone else holds a reader on the body.
    if (!request.bodyUsed) throw new WebhookError('misconfigured', consumedMessage, { cause: error });
    throw abortedBody(error);
  }
  if (bytes.byteLength > limit) throw bodyTooLarge(limit);
  return bytes;
}

function contentLength(header: string | null): number | undefined {
  return header !== null && /^[0-9]+$/.test(header) ? Number(header) : undefined;
}

/**
 * The body as it comes off the wire, erroring with `body_too_large` once it passes `limit` and
 * with `invalid_body` (aborted) when the source fails; through a DecompressionStream these
 * reasons arrive intact at the reader, so they are never mistaken for a corrupt encoding.
 */
function limited(body: ReadableStream<Uint8Array>, limit: number, idleTimeoutMs: number | false, counter: { wire: number }): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let idle: ReturnType<typeof setTimeout> | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (idleTimeoutMs === false) return;
      idle = setTimeout(() => {
        release(reader);
        controller.error(bodyIdle(idleTimeoutMs));
      }, idleTimeoutMs);
    },
    async pull(controller) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        clearTimeout(idle);
        controller.error(abortedBody(error));
        return;
      }
      if (next.done) {
        clearTimeout(idle);
        controller.close();
        return;
      }
      idle?.refresh();
      counter.wire += next.value.byteLength;
      if (counter.wire > limit) {
        clearTimeout(idle);
        release(reader);
        controller.error(bodyTooLarge(limit));
        return;
      }
      controller.enqueue(next.value);
    },
    cancel() {
      clearTimeout(idle);
      release(reader); // the reader stopped (limit, corrupt encoding): leave the rest unread, as above
    },
  });
}

function release(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  try {
    reader.releaseLock();
  } catch {
    // a read still pending on an older runtime: the stream stays locked, and is dropped with the request
  }
}

/**
 * Reads the (decoded) stream, stopping at the limit or, with `inflated` (the wire count of a
 * compressed body), at the inflation ratio; each chunk is taken from the budget before it is
 * kept. What is not ours came from the decoder.
 */
async function readAll(stream: ReadableStream<Uint8Array>, limits: BodyReadLimits, inflated: { wire: number } | undefined): Promise<Uint8Array> {
  const limit = limits.maxBytes;
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) throw bodyTooLarge(limit);
      if (inflated !== undefined && inflatesTooMuch(total, inflated.wire)) throw inflationTooHigh();
      limits.ticket.take(value.byteLength);
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    if (isWebhookError(error)) throw error;
    throw undecodableBody(error);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
