import { WebhookError } from '../core/errors.js';

/**
 * Reads a fetch `Request` body with the limit enforced while streaming, decoding
 * `Content-Encoding: gzip | deflate` with the limit applied to the decoded size. Uses only web
 * APIs (ReadableStream, DecompressionStream), so it runs on Node, Bun, Deno and Workers.
 */
export async function readRequestBody(request: Request, limit: number, consumedHint: string): Promise<Uint8Array> {
  if (request.bodyUsed) throw new WebhookError('misconfigured', consumedHint);
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw tooLarge(limit);
  if (request.body === null) return new Uint8Array(0);
  const stream = decoded(request.body, request.headers.get('content-encoding'));
  return readLimited(stream, limit);
}

function decoded(body: ReadableStream<Uint8Array>, contentEncoding: string | null): ReadableStream<Uint8Array> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return body;
  const format = encoding === 'gzip' || encoding === 'x-gzip' ? 'gzip' : encoding === 'deflate' ? 'deflate' : undefined;
  if (format === undefined) {
    void body.cancel();
    throw new WebhookError('invalid_body', `Content-Encoding "${encoding}" is not supported here (gzip and deflate are).`);
  }
  return body.pipeThrough(new DecompressionStream(format) as unknown as TransformStream<Uint8Array, Uint8Array>);
}

async function readLimited(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        void reader.cancel().catch(() => {});
        throw tooLarge(limit);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof WebhookError) throw error;
    throw new WebhookError('invalid_body', 'The request body could not be read or decoded.', { cause: error });
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

function tooLarge(limit: number): WebhookError {
  return new WebhookError('body_too_large', `The body is larger than maxBodyBytes (${limit} bytes).`);
}
