import type { IncomingMessage } from 'node:http';
import { WebhookError } from '../core/errors.js';
import type { BodyReadLimits } from '../core/types.js';
import { abortedBody, bodyTooLarge, contentEncodingOf, unsupportedEncoding } from './body-errors.js';
import { plainLimits } from './inflation.js';
import { collectBody, type CollectSource } from './node-collect.js';

/** A Node request as hosts hand it over: Express may have set `body`, GCF/Firebase set `rawBody`. */
export type NodeBodyRequest = IncomingMessage & { body?: unknown; rawBody?: unknown; _body?: unknown };

/** The default `consumedMessage`: Express 4 and 5 (where body-parser is the usual culprit). */
export const EXPRESS_CONSUMED =
  'express.json() (or another body parser: express.urlencoded(), express.text(), body-parser on Express 4) already ' +
  "consumed the request body, so its raw bytes — which the signature covers — are gone. Mount hookguard's " +
  "middleware before express.json(), or exclude the webhook path from it, or use express.raw({ type: '*/*' }) on this route.";

/** How to read: the receiver's limits (or a bare byte limit) and the fix `misconfigured` names. */
export interface ReadNodeBodyOptions {
  /** The receiver's limits; a number is a byte limit alone (no budget, deadline or idle timeout). */
  limits: BodyReadLimits | number;
  /** What `misconfigured` says when another parser consumed the body: each adapter names its framework's fix. */
  consumedMessage: string;
}

/**
 * Reads the exact body bytes of a Node request once, wherever the host left them: `req.rawBody`
 * (Google Cloud Functions, Firebase), a Buffer `req.body` (`express.raw()`), or else the stream,
 * with raw-body (node-collect.ts). `maxBytes` is enforced while streaming and on the decoded
 * size of a `Content-Encoding: gzip | deflate | br` body, which may also inflate at most
 * MAX_INFLATION_RATIO× (inflation.ts). Every byte buffered or inflated, and each decoder's
 * window, is taken from the budget ticket first (`overloaded` past the process-wide budget).
 * Senders sign the uncompressed body, so the decoded bytes are returned and verified. A body
 * still arriving after `timeoutMs`, or sending nothing for `idleTimeoutMs`, is `body_timeout`.
 *
 * Rejects with `WebhookError`: `body_too_large`, `body_timeout`, `overloaded`, `invalid_body`
 * (aborted, corrupt or unknown encoding), `misconfigured` with `consumedMessage`.
 *
 * @example
 * const body = await readNodeBody(req, { limits, consumedMessage: FASTIFY_CONSUMED });
 */
export async function readNodeBody(req: NodeBodyRequest, options: ReadNodeBodyOptions): Promise<Buffer> {
  const { limits, consumedMessage } = options;
  const read = typeof limits === 'number' ? plainLimits(limits, false) : limits;
  const source = bodySource(req, read.maxBytes, consumedMessage);
  return Buffer.isBuffer(source) ? source : collectBody(req, source, read);
}

/**
 * Discards what is left of a request the answer did not need (refused on its headers before
 * its body was read): the answer then reaches a sender still uploading, and nothing is kept.
 */
export function drain(req: IncomingMessage): void {
  if (!req.readableEnded && !req.destroyed) req.resume();
}

/** The bytes a host kept, or how to read the stream; throws what is already known to be wrong. */
function bodySource(req: NodeBodyRequest, limit: number, consumedMessage: string): Buffer | CollectSource {
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
  if (req.readableEncoding !== null) {
    throw new WebhookError('misconfigured', 'req.setEncoding() was called before hookguard read the body; remove that call so the raw bytes can be verified.');
  }
  const declared = contentLength(req);
  if (declared !== undefined && declared > limit) throw bodyTooLarge(limit);
  return { declared, encoding: decodedEncoding(req.headers['content-encoding']) };
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

type DecodedEncoding = NonNullable<CollectSource['encoding']>;

/** The body's Content-Encoding as one this reader decodes; undefined for none/identity. */
function decodedEncoding(header: string | undefined): DecodedEncoding | undefined {
  const encoding = contentEncodingOf(header);
  switch (encoding) {
    case undefined:
      return undefined;
    case 'gzip':
    case 'x-gzip':
      return 'gzip';
    case 'deflate':
    case 'br':
      return encoding;
    default:
      throw unsupportedEncoding(header ?? '');
  }
}
