/**
 * hookguard/lambda: lambdaHandler() with API Gateway REST (payload 1.0), HTTP API (2.0) and
 * function URL events in their recorded shapes (test/helpers/conformance/lambda-events.ts).
 */
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LAMBDA_CONSUMED, lambdaHandler, type LambdaHttpEvent, type LambdaHttpResult } from '../../../src/adapters/lambda.js';
import { providers } from '../../../src/providers/index.js';
import { createReceiver } from '../../../src/receiver/create-receiver.js';
import type { Receiver } from '../../../src/receiver/types.js';
import { generateEd25519KeyPair } from '../../../src/testing/index.js';
import { httpApiEvent, restApiEvent } from '../../helpers/conformance/lambda-events.js';
import type { WireRequest } from '../../helpers/conformance/types.js';

const provider = providers.standardWebhooks({ secret: 'whsec_aG9va2d1YXJkLWxhbWJkYS10ZXN0LXNlY3JldC0zMi1ieXRlIQ==' });
const paid = Buffer.from(JSON.stringify({ type: 'invoice.paid', data: { id: 'in_1', amount: 4200, note: 'ünïcödé 😀' } }));
/** Not UTF-8: only a base64 body can carry these bytes. */
const binary = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x80, 0x22, 0x7d]);

function signed(body: Buffer = paid, headers: Record<string, string> = {}, path = '/webhooks'): WireRequest {
  return { method: 'POST', path, headers: { ...provider.sign({ body }).headers, ...headers }, body };
}

function setup(options: { maxBodyBytes?: number } = {}) {
  const bodies: Buffer[] = [];
  const headers: Record<string, string>[] = [];
  const urls: (string | undefined)[] = [];
  const receiver = createReceiver({ provider, ...options });
  receiver.on('invoice.paid', (delivery) => {
    bodies.push(Buffer.from(delivery.rawBody));
    headers.push({ ...delivery.headers });
  });
  const receive = receiver.receive.bind(receiver);
  const spy = Object.assign(Object.create(receiver) as Receiver, {
    receive: (input: Parameters<Receiver['receive']>[0]) => {
      urls.push(input.url);
      return receive(input);
    },
  });
  return { handler: lambdaHandler(spy), bodies, headers, urls };
}

const outcome = (result: LambdaHttpResult) => [result.statusCode, (JSON.parse(result.body) as { error?: { code?: string } }).error?.code];
const message = (result: LambdaHttpResult) => (JSON.parse(result.body) as { error: { message: string } }).error.message;

describe.each([
  ['REST API (v1)', restApiEvent],
  ['HTTP API (v2)', httpApiEvent],
] as const)('lambdaHandler() with %s events', (_name, toEvent) => {
  it('a valid delivery → { statusCode: 200, body: {"ok":true}, isBase64Encoded: false }', async () => {
    const { handler, bodies } = setup();
    const result = await handler(toEvent(signed()));
    expect(result).toEqual({ statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"ok":true}', isBase64Encoded: false });
    expect(bodies).toEqual([paid]);
  });

  it('isBase64Encoded: non-UTF-8 bytes arrive exact → they verify, and only then fail to parse: [400, invalid_body]', async () => {
    const { handler } = setup();
    const event = toEvent(signed(binary));
    expect(event.isBase64Encoded).toBe(true);
    expect(outcome(await handler(event))).toEqual([400, 'invalid_body']);
  });

  it('the same bytes passed as text (no binary media type: API Gateway decoded them) are mangled → [401, signature_mismatch]', async () => {
    const { handler } = setup();
    const event = { ...toEvent(signed(binary)), isBase64Encoded: false, body: binary.toString('utf8') };
    expect(outcome(await handler(event))).toEqual([401, 'signature_mismatch']);
  });

  it('a UTF-8 JSON body base64-encoded (a binary media type of */*) is decoded back to the exact bytes', async () => {
    const { handler, bodies } = setup();
    const event = { ...toEvent(signed()), isBase64Encoded: true, body: paid.toString('base64') };
    expect((await handler(event)).statusCode).toBe(200);
    expect(bodies).toEqual([paid]);
  });

  it.each([
    ['gzip', gzipSync],
    ['br', brotliCompressSync],
  ] as const)('a base64 %s body is inflated and verified as the uncompressed bytes', async (encoding, compress) => {
    const { handler, bodies } = setup();
    const req = signed();
    const event = toEvent({ ...req, headers: { ...req.headers, 'content-encoding': encoding }, body: compress(req.body) });
    expect(event.isBase64Encoded).toBe(true);
    expect((await handler(event)).statusCode).toBe(200);
    expect(bodies).toEqual([paid]);
  });

  it('a gzip body that reached Lambda as text → [400, invalid_body] naming the binary media types', async () => {
    const { handler } = setup();
    const req = signed();
    const event = { ...toEvent({ ...req, headers: { ...req.headers, 'content-encoding': 'gzip' }, body: gzipSync(req.body) }), isBase64Encoded: false, body: 'garbled' };
    const result = await handler(event);
    expect(outcome(result)).toEqual([400, 'invalid_body']);
    expect(message(result)).toContain('binary media types');
  });

  it('a zip bomb → [413, body_too_large]: inflating stops at maxBodyBytes (maxOutputLength)', async () => {
    const { handler } = setup({ maxBodyBytes: 64 * 1024 });
    const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024));
    expect(bomb.byteLength).toBeLessThan(64 * 1024);
    const req = signed();
    expect(outcome(await handler(toEvent({ ...req, headers: { ...req.headers, 'content-encoding': 'gzip' }, body: bomb })))).toEqual([413, 'body_too_large']);
  });

  it('a body over maxBodyBytes → [413, body_too_large]; exactly at it → 200', async () => {
    expect(outcome(await setup({ maxBodyBytes: paid.byteLength - 1 }).handler(toEvent(signed())))).toEqual([413, 'body_too_large']);
    expect((await setup({ maxBodyBytes: paid.byteLength }).handler(toEvent(signed()))).statusCode).toBe(200);
  });

  it('a POST with no body (v1: body null, v2: no body field) is zero bytes → [400, invalid_body], not misconfigured', async () => {
    const { handler } = setup();
    const event = toEvent(signed(Buffer.alloc(0)));
    expect(event.body ?? undefined).toBeUndefined();
    expect(outcome(await handler(event))).toEqual([400, 'invalid_body']);
  });

  it('GET → [405, method_not_allowed] with an allow header', async () => {
    const { handler } = setup();
    const result = await handler(toEvent({ method: 'GET', path: '/webhooks', headers: {}, body: Buffer.alloc(0) }));
    expect(outcome(result)).toEqual([405, 'method_not_allowed']);
    expect(result.headers.allow).toBe('POST');
  });

  it('a body already parsed by middleware (middy httpJsonBodyParser) → [500, misconfigured] naming the fix', async () => {
    const { handler, bodies } = setup();
    const event = { ...toEvent(signed()), body: JSON.parse(paid.toString()) as string, isBase64Encoded: false };
    const result = await handler(event);
    expect(outcome(result)).toEqual([500, 'misconfigured']);
    expect(message(result)).toBe(LAMBDA_CONSUMED);
    expect(message(result)).toContain('httpJsonBodyParser');
    expect(message(result)).toContain('binary media types');
    expect(bodies).toHaveLength(0);
  });

  it('answers a fresh headers object each time (the runtime may add to it)', async () => {
    const { handler } = setup();
    const first = await handler(toEvent(signed()));
    first.headers['x-added'] = '1';
    expect((await handler(toEvent(signed()))).headers).toEqual({ 'content-type': 'application/json; charset=utf-8' });
  });
});

describe('lambdaHandler() event details', () => {
  it('REST API (v1): headers in any case, every multiValueHeaders value joined as HTTP does', async () => {
    const { handler, headers } = setup();
    const event = restApiEvent(signed(paid, { 'x-tag': 'first' }));
    event.multiValueHeaders = { ...event.multiValueHeaders, 'X-Tag': ['first', 'second'] };
    event.headers = { ...event.headers, 'X-Tag': 'second' }; // API Gateway keeps only the last one here
    expect(Object.keys(event.headers ?? {})).toContain('Webhook-Signature');
    expect((await handler(event)).statusCode).toBe(200);
    expect(headers[0]?.['x-tag']).toBe('first, second');
  });

  it('REST API (v1): only multiValueHeaders (headers null) still verifies', async () => {
    const { handler } = setup();
    const event = { ...restApiEvent(signed()), headers: null };
    expect((await handler(event)).statusCode).toBe(200);
  });

  it('REST API (v1): the URL is rebuilt from the host, the stage path and the query parameters', async () => {
    const { handler, urls } = setup();
    await handler(restApiEvent(signed(paid, {}, '/webhooks?attempt=2&tag=a&tag=b')));
    expect(urls).toEqual(['https://r4nd0m1d.execute-api.eu-west-1.amazonaws.com/prod/webhooks?attempt=2&tag=a&tag=b']);
  });

  it('HTTP API (v2): the URL is rawPath + rawQueryString', async () => {
    const { handler, urls } = setup();
    await handler(httpApiEvent(signed(paid, {}, '/webhooks?attempt=2')));
    expect(urls).toEqual(['https://r4nd0m1d.execute-api.eu-west-1.amazonaws.com/webhooks?attempt=2']);
  });

  it('a function URL event (payload 2.0 on a lambda-url domain) → 200', async () => {
    const { handler, urls } = setup();
    const req = signed();
    const event: LambdaHttpEvent = {
      version: '2.0',
      rawPath: '/',
      rawQueryString: '',
      headers: { ...req.headers, host: 'abcdefg.lambda-url.eu-west-1.on.aws', 'content-length': String(req.body.byteLength) },
      requestContext: { domainName: 'abcdefg.lambda-url.eu-west-1.on.aws', http: { method: 'POST', path: '/' } },
      body: req.body.toString('base64'),
      isBase64Encoded: true,
    };
    expect((await handler(event)).statusCode).toBe(200);
    expect(urls).toEqual(['https://abcdefg.lambda-url.eu-west-1.on.aws/']);
  });

  it('an event with no HTTP method (a non-proxy integration, a mapping template) → [500, misconfigured]', async () => {
    const { handler } = setup();
    const result = await handler({ body: paid.toString() } as LambdaHttpEvent);
    expect(outcome(result)).toEqual([500, 'misconfigured']);
    expect(message(result)).toContain('proxy integration');
  });

  it('a 204 answer (Discord webhook-event PING) → statusCode 204 with an empty body', async () => {
    const discord = providers.discord({ ...generateEd25519KeyPair() });
    const body = Buffer.from(JSON.stringify({ version: 1, application_id: '1', type: 0 }));
    const result = await lambdaHandler(createReceiver({ provider: discord }))(
      httpApiEvent({ method: 'POST', path: '/interactions', headers: discord.sign({ body }).headers, body }),
    );
    expect([result.statusCode, result.body]).toEqual([204, '']);
  });
});
