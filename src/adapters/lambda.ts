import { Buffer } from 'node:buffer';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { WebhookError } from '../core/errors.js';
import type { ReceiveResult } from '../core/types.js';
import type { EventSchemas, Receiver } from '../receiver/types.js';

/** The parts of an API Gateway REST (v1), HTTP API (v2) or function URL event that matter here. */
export interface LambdaHttpEvent {
  /** REST API (payload 1.0). */
  httpMethod?: string;
  path?: string;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  /** HTTP API / function URL (payload 2.0). */
  requestContext?: { http?: { method?: string; path?: string }; domainName?: string } | null;
  rawPath?: string;
  rawQueryString?: string;
  headers?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

export interface LambdaHttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

const CONSUMED =
  'The Lambda event has no usable body: configure the API Gateway integration as a proxy (Lambda proxy integration / payload 1.0 or 2.0) so the body arrives untouched, with binary media types or isBase64Encoded for non-text bodies, and no mapping template that re-serialises JSON.';

/**
 * An AWS Lambda handler for API Gateway (REST and HTTP APIs) and function URLs. Base64 bodies
 * are decoded back to the exact bytes, which is what most serverless verification failures get wrong.
 *
 * @example
 * export const handler = lambdaHandler(receiver);
 */
export function lambdaHandler<E extends EventSchemas | undefined>(receiver: Receiver<E>): (event: LambdaHttpEvent) => Promise<LambdaHttpResult> {
  return async function hookguardLambda(event) {
    const method = event.requestContext?.http?.method ?? event.httpMethod ?? 'POST';
    const headers = mergedHeaders(event);
    const input = { method, url: urlOf(event, headers), headers };
    if (method.toUpperCase() !== 'POST') return toLambda(await receiver.receive({ ...input, body: new Uint8Array(0) }));
    let body: Uint8Array;
    try {
      body = decodeEventBody(event, headers['content-encoding'], receiver.maxBodyBytes);
    } catch (error) {
      return toLambda(receiver.fail(error));
    }
    return toLambda(await receiver.receive({ ...input, body }));
  };
}

function mergedHeaders(event: LambdaHttpEvent): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (values && values.length > 0) headers[name.toLowerCase()] = values.join(', ');
  }
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined && headers[name.toLowerCase()] === undefined) headers[name.toLowerCase()] = value;
  }
  return headers;
}

function urlOf(event: LambdaHttpEvent, headers: Record<string, string>): string {
  const host = headers.host ?? event.requestContext?.domainName ?? 'localhost';
  const path = event.rawPath ?? event.path ?? '/';
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  return `https://${host}${path}${query}`;
}

function decodeEventBody(event: LambdaHttpEvent, contentEncoding: string | undefined, limit: number): Uint8Array {
  if (event.body === undefined) throw new WebhookError('misconfigured', CONSUMED);
  const text = event.body ?? '';
  const raw = event.isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return checkSize(raw, limit);
  if (!event.isBase64Encoded) {
    throw new WebhookError('invalid_body', `A ${encoding}-encoded body must reach Lambda base64-encoded (add */* to the API's binary media types).`);
  }
  const inflate = encoding === 'gzip' || encoding === 'x-gzip' ? gunzipSync : encoding === 'deflate' ? inflateSync : encoding === 'br' ? brotliDecompressSync : undefined;
  if (!inflate) throw new WebhookError('invalid_body', `Content-Encoding "${encoding}" is not supported (gzip, deflate and br are).`);
  try {
    // maxOutputLength stops inflating at the limit: a zip bomb never expands in memory.
    return inflate(raw, { maxOutputLength: limit });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limit);
    throw new WebhookError('invalid_body', `The ${encoding} body could not be decoded.`, { cause: error });
  }
}

function checkSize(body: Buffer, limit: number): Buffer {
  if (body.byteLength > limit) throw tooLarge(limit);
  return body;
}

function tooLarge(limit: number): WebhookError {
  return new WebhookError('body_too_large', `The body is larger than maxBodyBytes (${limit} bytes).`);
}

function toLambda(result: ReceiveResult): LambdaHttpResult {
  return { statusCode: result.status, headers: result.headers, body: result.body, isBase64Encoded: false };
}
