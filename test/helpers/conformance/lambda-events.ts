/**
 * API Gateway events built from a wire request, in the shapes AWS records them (field sets and
 * header conventions of the samples in the API Gateway and Lambda developer guides):
 *
 * - REST API, Lambda proxy integration (payload 1.0): header names as the client sent them (here
 *   Canonical-Case), `headers` with the last value and `multiValueHeaders` with all of them,
 *   `body: null` when empty, `path` without the stage and `requestContext.path` with it. The body
 *   is base64 when it is not UTF-8 text or has a Content-Encoding (the API's binary media types
 *   include them), text otherwise.
 * - HTTP API / function URL (payload 2.0): lower-case header names, `rawPath` + `rawQueryString`,
 *   no `body` at all when empty, and base64 unless the content type is text (HTTP APIs' rule) —
 *   or whenever the bytes are not UTF-8, as a binary body always arrives.
 */
import type { LambdaHttpEvent } from '../../../src/adapters/lambda.js';
import type { WireRequest } from './types.js';

/** An event as recorded: more fields than the adapter reads. */
export type RecordedEvent = LambdaHttpEvent & Record<string, unknown>;

const DOMAIN = 'r4nd0m1d.execute-api.eu-west-1.amazonaws.com';
const TEXT_TYPES = /^(text\/|application\/(json|javascript|xml|x-www-form-urlencoded)|[^;]*\+json)/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** REST API (v1) proxy event. */
export function restApiEvent(req: WireRequest): RecordedEvent {
  const url = new URL(req.path, `https://${DOMAIN}`);
  const wireHeaders = withTransportHeaders(req);
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(wireHeaders)) {
    const canonical = name.replace(/(^|-)([a-z])/g, (_m, dash: string, letter: string) => dash + letter.toUpperCase());
    headers[canonical] = value;
    multiValueHeaders[canonical] = [value];
  }
  const query: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) (query[name] ??= []).push(value);
  const hasQuery = Object.keys(query).length > 0;
  const base64 = !isText(req.body) || req.headers['content-encoding'] !== undefined;
  const event = {
    resource: url.pathname,
    path: url.pathname,
    httpMethod: req.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v.at(-1) as string])) : null,
    multiValueQueryStringParameters: hasQuery ? query : null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      resourceId: 'a1b2c3',
      resourcePath: url.pathname,
      httpMethod: req.method,
      extendedRequestId: 'Xyz0AbCdIAMEVmA=',
      requestTime: '14/Nov/2023:22:13:20 +0000',
      path: `/prod${url.pathname}`,
      accountId: '123456789012',
      protocol: 'HTTP/1.1',
      stage: 'prod',
      domainPrefix: 'r4nd0m1d',
      requestTimeEpoch: 1_700_000_000_000,
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      identity: { sourceIp: '203.0.113.7', userAgent: wireHeaders['user-agent'] ?? null },
      domainName: DOMAIN,
      apiId: 'r4nd0m1d',
    },
    body: req.body.byteLength === 0 ? null : base64 ? req.body.toString('base64') : req.body.toString('utf8'),
    isBase64Encoded: req.body.byteLength > 0 && base64,
  };
  return event;
}

/** HTTP API / function URL (v2) event. */
export function httpApiEvent(req: WireRequest): RecordedEvent {
  const url = new URL(req.path, `https://${DOMAIN}`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(withTransportHeaders(req))) {
    const lower = name.toLowerCase();
    headers[lower] = headers[lower] === undefined ? value : `${headers[lower]},${value}`;
  }
  const contentType = headers['content-type'] ?? '';
  const base64 = !isText(req.body) || headers['content-encoding'] !== undefined || !TEXT_TYPES.test(contentType);
  const query = url.search.slice(1);
  const event: RecordedEvent = {
    version: '2.0',
    routeKey: `${req.method} ${url.pathname}`,
    rawPath: url.pathname,
    rawQueryString: query,
    headers,
    requestContext: httpApiContext(req, url, headers),
    isBase64Encoded: req.body.byteLength > 0 && base64,
  };
  if (query !== '') event.queryStringParameters = Object.fromEntries(url.searchParams);
  if (req.body.byteLength > 0) event.body = base64 ? req.body.toString('base64') : req.body.toString('utf8');
  return event;
}

function httpApiContext(req: WireRequest, url: URL, headers: Record<string, string>) {
  return {
    accountId: '123456789012',
    apiId: 'r4nd0m1d',
    domainName: DOMAIN,
    domainPrefix: 'r4nd0m1d',
    http: { method: req.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: headers['user-agent'] ?? '' },
    requestId: 'JKJaXmPLvHcESHA=',
    routeKey: `${req.method} ${url.pathname}`,
    stage: '$default',
    time: '14/Nov/2023:22:13:20 +0000',
    timeEpoch: 1_700_000_000_000,
  };
}

/** What API Gateway adds on every request: the host it was called at, proxy headers, a length. */
function withTransportHeaders(req: WireRequest): Record<string, string> {
  const headers: Record<string, string> = { host: DOMAIN, 'x-forwarded-for': '203.0.113.7', 'x-forwarded-port': '443', 'x-forwarded-proto': 'https', ...req.headers };
  if (!req.chunked && req.body.byteLength > 0) headers['content-length'] = String(req.body.byteLength);
  return headers;
}

function isText(body: Buffer): boolean {
  try {
    utf8.decode(body);
    return true;
  } catch {
    return false;
  }
}
