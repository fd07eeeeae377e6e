import { WebhookError, isWebhookError } from '../core/errors.js';
import { abortedBody, bodyTooLarge, contentEncodingOf, undecodableBody, unsupportedEncoding } from './body-errors.js';

const EMPTY = new Uint8Array(0);

/** What DecompressionStream takes for each Content-Encoding (web standard: no br). */
const FORMATS: Readonly<Record<string, 'gzip' | 'deflate'>> = { gzip: 'gzip', 'x-gzip': 'gzip', deflate: 'deflate' };

/**
 * Reads a fetch `Request` body once, with `limit` (bytes) enforced while streaming — on the wire
 * bytes and on the decoded size of a `Content-Encoding: gzip | deflate` body, so neither a large
 * upload nor a zip bomb is buffered whole. Web APIs only (ReadableStream, DecompressionStream),
 * so it runs on Node, Bun, Deno and Workers. An unencoded body whose Content-Length is within
 * the limit is read with `arrayBuffer()` instead (bounded by the length; hosts serve it faster).
 *
 * Throws `WebhookError`: `body_too_large`, `invalid_body` (aborted, corrupt or unknown encoding),
 * `misconfigured` with `consumedMessage` when something already read or locked the body.
 */
export async function readRequestBody(request: Request, limit: number, consumedMessage: string): Promise<Uint8Array> {
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
  if (encoding === undefined && declared !== undefined) return readDeclared(request, limit, consumedMessage);
  if (request.body?.locked === true) throw new WebhookError('misconfigured', consumedMessage);
  const body = request.body;
  if (body === null) return EMPTY;
  const wire = limited(body, limit);
  if (format === undefined) return readAll(wire, limit);
  // The cast: TypeScript's DOM-less lib types DecompressionStream's chunks as BufferSource.
  return readAll(wire.pipeThrough(new DecompressionStream(format) as unknown as TransformStream<Uint8Array, Uint8Array>), limit);
}

/**
 * An unencoded body framed by a Content-Length within the limit: buffering it whole is bounded,
 * and `arrayBuffer()` lets hosts skip building a stream (Hono's node-server then reads the socket
 * directly, several times faster). Checked again after reading, for a Request built in-process
 * whose header and body disagree.
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
function limited(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let total = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        controller.error(abortedBody(error));
        return;
      }
      if (next.done) {
        controller.close();
        return;
      }
      total += next.value.byteLength;
      if (total > limit) {
        release(reader);
        controller.error(bodyTooLarge(limit));
        return;
      }
      controller.enqueue(next.value);
    },
    cancel() {
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

/** Reads the (decoded) stream, stopping at `limit`: what is not ours came from the decoder. */
async function readAll(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) throw bodyTooLarge(limit);
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
