import { Buffer } from 'node:buffer';
import { brotliDecompressSync, gunzipSync, inflateSync, type ZlibOptions } from 'node:zlib';
import { WebhookError } from '../core/errors.js';
import type { BodyReadLimits, ReceiveResult } from '../core/types.js';
import type { EventSchemas, Receiver } from '../receiver/types.js';
import { answerRequest } from './answer.js';
import { bodyTooLarge, contentEncodingOf, undecodableBody, unsupportedEncoding } from './body-errors.js';
import { INFLATION_FLOOR, MAX_INFLATION_RATIO, inflationTooHigh } from './inflation.js';

/**
 * The parts of an API Gateway REST API (payload 1.0), HTTP API (payload 2.0) or Lambda function
 * URL event that matter here; `APIGatewayProxyEvent` and `APIGatewayProxyEventV2` from
 * `@types/aws-lambda` are assignable to it.
 */
export interface LambdaHttpEvent {
  /** Payload 2.0: `"2.0"`; REST APIs send `"1.0"` or nothing. */
  version?: string;
  /** REST API (payload 1.0). */
  httpMethod?: string;
  path?: string;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  /** HTTP API / function URL (payload 2.0). */
  requestContext?: { http?: { method?: string; path?: string }; domainName?: string; path?: string } | null;
  rawPath?: string;
  rawQueryString?: string;
  headers?: Record<string, string | undefined> | null;
  /** The body as API Gateway passes it: text, or base64 when `isBase64Encoded`. */
  body?: string | null;
  isBase64Encoded?: boolean;
}

export interface LambdaHttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

/** Lambda loses bodies in its own ways: a non-proxy integration, or middleware that parsed `event.body`. */
export const LAMBDA_CONSUMED =
  'The Lambda event carries no raw request body. Use a Lambda proxy integration (REST API) or an HTTP API / ' +
  'function URL (payload 1.0 or 2.0), with no mapping template that re-serialises the JSON, and add */* (or the ' +
  "sender's content type) to the REST API's binary media types so bodies arrive base64-encoded and byte-exact. " +
  'Remove body-parsing middleware (e.g. middy httpJsonBodyParser / httpUrlEncodeBodyParser) in front of lambdaHandler(): ' +
  'it replaces event.body with an object, and the bytes the signature covers are gone.';

const INFLATE: Readonly<Record<string, (buffer: Buffer, options: ZlibOptions) => Buffer>> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

/**
 * An AWS Lambda handler for API Gateway REST APIs (Lambda proxy integration, payload 1.0), HTTP
 * APIs (payload 1.0 or 2.0) and Lambda function URLs. Base64 bodies are decoded back to the exact
 * bytes the sender signed — mangled serverless bodies are one of the most common causes of failed
 * verification. `Content-Encoding: gzip | deflate | br` bodies are inflated with the decoded size
 * held to `receiver.maxBodyBytes`. The answer is always text JSON (`isBase64Encoded: false`).
 *
 * @example
 * import { lambdaHandler } from 'hookguard/lambda';
 *
 * export const handler = lambdaHandler(receiver);
 */
export function lambdaHandler<E extends EventSchemas | undefined>(receiver: Receiver<E>): (event: LambdaHttpEvent) => Promise<LambdaHttpResult> {
  return function hookguardLambda(event) {
    return answer(receiver, event).then(toLambda, (error: unknown) => toLambda(receiver.fail(error)));
  };
}

async function answer<E extends EventSchemas | undefined>(receiver: Receiver<E>, event: LambdaHttpEvent): Promise<ReceiveResult> {
  const method = event.requestContext?.http?.method ?? event.httpMethod;
  if (method === undefined) return receiver.fail(new WebhookError('misconfigured', LAMBDA_CONSUMED));
  const headers = mergedHeaders(event);
  return answerRequest(receiver, { method, url: urlOf(event, headers), headers }, async (limits) =>
    eventBody(event, headers['content-encoding'], limits),
  );
}

/** Payload 1.0 has both maps (multiValueHeaders holds every value); 2.0 joins repeats with commas itself. */
function mergedHeaders(event: LambdaHttpEvent): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (values && values.length > 0) headers[name.toLowerCase()] = values.join(', ');
  }
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    const lower = name.toLowerCase();
    if (value !== undefined && headers[lower] === undefined) headers[lower] = value;
  }
  return headers;
}

/** The URL the sender called, as far as the event tells it (for schemes that sign the URL). */
function urlOf(event: LambdaHttpEvent, headers: Record<string, string>): string {
  const protocol = headers['x-forwarded-proto'] ?? 'https';
  const host = headers.host ?? event.requestContext?.domainName ?? 'localhost';
  if (event.rawPath !== undefined) {
    return `${protocol}://${host}${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`;
  }
  const path = event.requestContext?.path ?? event.path ?? '/';
  const query = new URLSearchParams();
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    for (const value of values ?? []) query.append(name, value);
  }
  const search = query.toString();
  return `${protocol}://${host}${path}${search ? `?${search}` : ''}`;
}

/**
 * The exact body bytes: base64 decoded, then inflated for a Content-Encoding, each held to the
 * limit, the inflation to MAX_INFLATION_RATIO, and the inflated bytes taken from the budget first.
 */
function eventBody(event: LambdaHttpEvent, contentEncoding: string | undefined, limits: BodyReadLimits): Uint8Array {
  const limit = limits.maxBytes;
  const text: unknown = event.body ?? ''; // HTTP APIs leave `body` out when there is none; REST APIs send null
  if (typeof text !== 'string') throw new WebhookError('misconfigured', LAMBDA_CONSUMED);
  const wire = event.isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  if (wire.byteLength > limit) throw bodyTooLarge(limit);
  const encoding = contentEncodingOf(contentEncoding);
  if (encoding === undefined) return wire;
  const inflate = INFLATE[encoding];
  if (inflate === undefined) throw unsupportedEncoding(contentEncoding ?? '');
  if (!event.isBase64Encoded) {
    throw new WebhookError(
      'invalid_body',
      `A ${encoding}-encoded body reached Lambda as text, so its bytes are lost; add */* to the API's binary media types so it arrives base64-encoded.`,
    );
  }
  // maxOutputLength stops inflating at the limit or the ratio: a zip bomb never expands in memory.
  const ratioCap = Math.max(INFLATION_FLOOR, wire.byteLength * MAX_INFLATION_RATIO);
  const maxOutputLength = Math.min(limit, ratioCap);
  limits.ticket.take(maxOutputLength);
  try {
    return inflate(wire, { maxOutputLength });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw maxOutputLength === limit ? bodyTooLarge(limit) : inflationTooHigh();
    throw undecodableBody(error);
  }
}

function toLambda(result: ReceiveResult): LambdaHttpResult {
  return { statusCode: result.status, headers: { ...result.headers }, body: result.body, isBase64Encoded: false };
}
