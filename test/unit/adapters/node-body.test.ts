import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPRESS_CONSUMED, readNodeBody, type NodeBodyRequest } from '../../../src/adapters/node-body.js';
import { isWebhookError } from '../../../src/core/errors.js';

/**
 * A real server on 127.0.0.1:0 that reads each request with readNodeBody and answers the bytes
 * (base64) or the error's [status, code]. `x-limit` sets the limit; `x-prepare` lets a test
 * play a host that already touched the request (GCF rawBody, express.raw, express.json).
 */
let server: Server;
let port: number;
/** What the server saw when readNodeBody settled, for the "decided before reading" checks. */
let lastDidRead: boolean | undefined;
/** Called with the outcome of each readNodeBody, for requests whose answer can no longer arrive. */
let onSettled: ((outcome: { code?: string }) => void) | undefined;
/** Called as a request starts being read (its listeners are attached before the caller resumes). */
let onReading: (() => void) | undefined;

beforeAll(async () => {
  server = createServer((req, res) => void handle(req as NodeBodyRequest, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function handle(req: NodeBodyRequest, res: import('node:http').ServerResponse): Promise<void> {
  const limit = Number(req.headers['x-limit'] ?? 1024 * 1024);
  const prepare = req.headers['x-prepare'];
  if (prepare === 'raw-body-prop') req.rawBody = Buffer.from('from rawBody');
  if (prepare === 'buffer-body') req.body = Buffer.from('from express.raw');
  if (prepare === 'json-parsed') {
    for await (const _chunk of req) void _chunk; // what express.json() does: read all, keep only the parse
    req.body = { parsed: true };
    req._body = true;
  }
  if (prepare === 'stream-read') for await (const _chunk of req) void _chunk;
  if (prepare === 'skipped-by-parser') req.body = {}; // Express 4's body-parser on a type it does not parse
  try {
    const reading = readNodeBody(req, { limits: limit, consumedMessage: EXPRESS_CONSUMED });
    onReading?.();
    const body = await reading;
    lastDidRead = req.readableDidRead;
    onSettled?.({});
    res.end(JSON.stringify({ body: body.toString('base64') }));
  } catch (error) {
    lastDidRead = req.readableDidRead;
    if (!isWebhookError(error)) throw error;
    onSettled?.({ code: error.code });
    res.statusCode = error.status;
    res.end(JSON.stringify({ code: error.code, message: error.message }));
  }
}

interface Answer {
  status: number;
  body: { body?: string; code?: string; message?: string };
}

/**
 * Sends `chunks` one write each. With `end: false` the request stays open after them, so an
 * answer that arrives proves the server decided without the rest of the body.
 */
async function send(options: { headers?: Record<string, string>; chunks?: Buffer[]; end?: boolean }): Promise<Answer> {
  const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: options.headers ?? {} });
  req.on('error', () => {}); // the open-request cases are destroyed after the answer
  for (const chunk of options.chunks ?? []) req.write(chunk);
  if (options.end !== false) req.end();
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  let text = '';
  for await (const chunk of res) text += String(chunk);
  if (options.end === false) req.destroy();
  return { status: res.statusCode ?? 0, body: JSON.parse(text) as Answer['body'] };
}

const bytesOf = (answer: Answer): Buffer => Buffer.from(answer.body.body ?? '', 'base64');

/** A request-like stream for cases that need no socket; `pulled` counts the bytes the reader took. */
function fakeRequest(chunks: Buffer[], headers: Record<string, string>): { req: NodeBodyRequest; pulled: () => number } {
  let pulled = 0;
  function* source(): Generator<Buffer> {
    for (const chunk of chunks) {
      pulled += chunk.byteLength;
      yield chunk;
    }
  }
  const req = Object.assign(Readable.from(source(), { objectMode: false }), { headers }) as unknown as NodeBodyRequest;
  return { req, pulled: () => pulled };
}

function slices(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.byteLength; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

const payload = Buffer.from('{"type":"invoice.paid","data":{"amount":4200,"note":"ünïcödé \\r\\n"}}');

describe('readNodeBody()', () => {
  it('reads a plain body as exactly the bytes sent', async () => {
    const answer = await send({ headers: { 'content-length': String(payload.length) }, chunks: [payload] });
    expect(answer.status).toBe(200);
    expect(bytesOf(answer).equals(payload)).toBe(true);
  });

  it('reads a chunked body (no Content-Length) across several writes', async () => {
    const answer = await send({ chunks: slices(payload, 7) });
    expect(answer.status).toBe(200);
    expect(bytesOf(answer).equals(payload)).toBe(true);
  });

  it('reads an empty body as zero bytes', async () => {
    const answer = await send({ headers: { 'content-length': '0' } });
    expect(answer.status).toBe(200);
    expect(bytesOf(answer).byteLength).toBe(0);
  });

  it('accepts a body of exactly the limit', async () => {
    const body = Buffer.alloc(1024, 'a');
    const answer = await send({ headers: { 'x-limit': '1024' }, chunks: [body] });
    expect(answer.status).toBe(200);
    expect(bytesOf(answer).byteLength).toBe(1024);
  });

  it('refuses a Content-Length over the limit before reading a byte → [413, body_too_large]', async () => {
    // 10 MiB declared, 16 bytes sent, request left open: the answer can only come from the header.
    const answer = await send({
      headers: { 'x-limit': '1024', 'content-length': String(10 * 1024 * 1024) },
      chunks: [Buffer.alloc(16)],
      end: false,
    });
    expect([answer.status, answer.body.code]).toEqual([413, 'body_too_large']);
    expect(lastDidRead).toBe(false);
  });

  it('refuses a chunked body once it passes the limit, while it is still streaming → [413, body_too_large]', async () => {
    const answer = await send({ headers: { 'x-limit': '1024' }, chunks: [Buffer.alloc(600), Buffer.alloc(600)], end: false });
    expect([answer.status, answer.body.code]).toEqual([413, 'body_too_large']);
    expect(answer.body.message).toContain('1024');
  });

  it.each([
    ['gzip', gzipSync(payload)],
    ['x-gzip', gzipSync(payload)],
    ['deflate', deflateSync(payload)],
    ['br', brotliCompressSync(payload)],
    ['GZip', gzipSync(payload)],
  ])('decodes Content-Encoding: %s to the uncompressed bytes', async (encoding, encoded) => {
    const answer = await send({ headers: { 'content-encoding': encoding }, chunks: slices(encoded, 10) });
    expect(answer.status).toBe(200);
    expect(bytesOf(answer).equals(payload)).toBe(true);
  });

  it('treats Content-Encoding: identity as no encoding', async () => {
    const answer = await send({ headers: { 'content-encoding': 'identity' }, chunks: [payload] });
    expect(answer.status).toBe(200);
    expect(bytesOf(answer).equals(payload)).toBe(true);
  });

  it('applies the limit to the decoded size: a gzip bomb → [413, body_too_large]', async () => {
    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024)); // 10 MiB of zeros in ~10 KiB
    expect(bomb.byteLength).toBeLessThan(64 * 1024);
    const answer = await send({ headers: { 'x-limit': String(1024 * 1024), 'content-encoding': 'gzip' }, chunks: [bomb] });
    expect([answer.status, answer.body.code]).toEqual([413, 'body_too_large']);
  });

  it('stops inflating a gzip bomb at the limit instead of inflating it all', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024)); // 64 MiB of zeros in ~64 KiB
    const { req, pulled } = fakeRequest(slices(bomb, 1024), { 'content-encoding': 'gzip' });
    const error = await readNodeBody(req, { limits: 1024 * 1024, consumedMessage: EXPRESS_CONSUMED }).catch((e: unknown) => e);
    expect(isWebhookError(error) && [error.status, error.code]).toEqual([413, 'body_too_large']);
    // ~1 KiB of input inflates to the 1 MiB limit; stream buffers account for the rest of what was
    // pulled (~17 KiB). Inflating it all would have pulled every byte.
    expect(pulled()).toBeLessThan(bomb.byteLength / 2);
  });

  it('holds the compressed bytes on the wire to the limit too (junk after a small gzip member) → [413, body_too_large]', async () => {
    const { req } = fakeRequest([Buffer.concat([gzipSync(payload), Buffer.alloc(4096, 'j')])], { 'content-encoding': 'gzip' });
    const error = await readNodeBody(req, { limits: 1024, consumedMessage: EXPRESS_CONSUMED }).catch((e: unknown) => e);
    expect(isWebhookError(error) && [error.status, error.code]).toEqual([413, 'body_too_large']);
  });

  it('refuses a compressed body whose Content-Length is over the limit, before reading → [413, body_too_large]', async () => {
    const answer = await send({
      headers: { 'x-limit': '1024', 'content-encoding': 'gzip', 'content-length': String(64 * 1024) },
      chunks: [Buffer.alloc(16)],
      end: false,
    });
    expect([answer.status, answer.body.code]).toEqual([413, 'body_too_large']);
    expect(lastDidRead).toBe(false);
  });

  it('refuses a corrupt gzip stream → [400, invalid_body]', async () => {
    const corrupt = gzipSync(payload);
    corrupt.fill(0x55, 10, 20);
    const answer = await send({ headers: { 'content-encoding': 'gzip' }, chunks: [corrupt] });
    expect([answer.status, answer.body.code]).toEqual([400, 'invalid_body']);
  });

  it('refuses a truncated brotli stream → [400, invalid_body]', async () => {
    const encoded = brotliCompressSync(Buffer.alloc(4096, 'x'));
    const answer = await send({ headers: { 'content-encoding': 'br' }, chunks: [encoded.subarray(0, encoded.length - 3)] });
    expect([answer.status, answer.body.code]).toEqual([400, 'invalid_body']);
  });

  it('refuses an unknown Content-Encoding and names it → [400, invalid_body]', async () => {
    const answer = await send({ headers: { 'content-encoding': 'zstd' }, chunks: [payload] });
    expect([answer.status, answer.body.code]).toEqual([400, 'invalid_body']);
    expect(answer.body.message).toContain('"zstd"');
  });

  it.each([
    ['no encoding', undefined],
    ['gzip', 'gzip'],
  ])('settles with invalid_body when the sender aborts mid-body (%s)', async (_name, encoding) => {
    const settled = new Promise<{ code?: string }>((resolve) => (onSettled = resolve));
    const reading = new Promise<void>((resolve) => (onReading = resolve));
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/',
      headers: { 'content-length': '1000', ...(encoding ? { 'content-encoding': encoding } : {}) },
    });
    req.on('error', () => {});
    req.write(encoding ? gzipSync(Buffer.alloc(4096)).subarray(0, 20) : Buffer.alloc(10));
    await reading; // the server is reading the body now
    req.destroy();
    // No answer can arrive on a destroyed socket: the server's outcome is reported instead.
    expect(await settled).toEqual({ code: 'invalid_body' });
    onSettled = undefined;
    onReading = undefined;
  });

  it('uses req.rawBody (GCF, Firebase) when the host kept one', async () => {
    const answer = await send({ headers: { 'x-prepare': 'raw-body-prop' }, chunks: [payload] });
    expect(answer.status).toBe(200);
    expect(bytesOf(answer).toString()).toBe('from rawBody');
  });

  it('uses a Buffer req.body (express.raw())', async () => {
    const answer = await send({ headers: { 'x-prepare': 'buffer-body' }, chunks: [payload] });
    expect(answer.status).toBe(200);
    expect(bytesOf(answer).toString()).toBe('from express.raw');
  });

  it('holds a kept body to the limit too → [413, body_too_large]', async () => {
    const { req } = fakeRequest([], {});
    req.body = Buffer.alloc(2048);
    const error = await readNodeBody(req, { limits: 1024, consumedMessage: EXPRESS_CONSUMED }).catch((e: unknown) => e);
    expect(isWebhookError(error) && [error.status, error.code]).toEqual([413, 'body_too_large']);
  });

  it('refuses a body another parser consumed → [500, misconfigured] naming the fix', async () => {
    const answer = await send({ headers: { 'x-prepare': 'json-parsed', 'content-type': 'application/json' }, chunks: [payload] });
    expect([answer.status, answer.body.code]).toEqual([500, 'misconfigured']);
    expect(answer.body.message).toContain('express.json()');
    expect(answer.body.message).toContain("express.raw({ type: '*/*' })");
  });

  it('names the fix its caller passes as consumedMessage (each adapter names its framework’s) → [500, misconfigured]', async () => {
    const { req } = fakeRequest([payload], {});
    req.body = { parsed: true };
    req._body = true;
    const error = await readNodeBody(req, { limits: 1024, consumedMessage: 'Register the plugin in its own context.' }).catch((e: unknown) => e);
    expect(isWebhookError(error) && [error.status, error.code, error.message]).toEqual([500, 'misconfigured', 'Register the plugin in its own context.']);
  });

  it('refuses a stream that was already read with no copy kept → [500, misconfigured]', async () => {
    const answer = await send({ headers: { 'x-prepare': 'stream-read' }, chunks: [payload] });
    expect([answer.status, answer.body.code]).toEqual([500, 'misconfigured']);
  });

  it('still reads the stream when a parser set req.body = {} but skipped the request (Express 4 body-parser)', async () => {
    const answer = await send({ headers: { 'x-prepare': 'skipped-by-parser' }, chunks: [payload] });
    expect(answer.status).toBe(200);
    expect(bytesOf(answer).equals(payload)).toBe(true);
  });
});

describe('readNodeBody() cleanup', () => {
  const EVENTS = ['data', 'end', 'close', 'aborted', 'error', 'readable'] as const;
  const listeners = (req: NodeBodyRequest): number[] => EVENTS.map((event) => req.listenerCount(event));
  const timers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
  const limits = { maxBytes: 64 * 1024, timeoutMs: 60_000, idleTimeoutMs: 30_000 } as const;
  const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024));

  it.each([
    ['a plain body, read', [payload], {}, undefined],
    ['a gzip body, read', [gzipSync(payload)], { 'content-encoding': 'gzip' }, undefined],
    ['a chunked body over the limit', slices(Buffer.alloc(128 * 1024), 1024), {}, 'body_too_large'],
    ['a gzip bomb (ratio)', slices(bomb, 512), { 'content-encoding': 'gzip' }, 'body_too_large'],
    ['a corrupt gzip body', [Buffer.from('not gzip at all')], { 'content-encoding': 'gzip' }, 'invalid_body'],
  ] as const)('%s → leaves no listener and no timer behind', async (_name, chunks, headers, code) => {
    const { BodyBudget } = await import('../../../src/core/body-budget.js');
    const budget = new BodyBudget(64 * 1024 * 1024);
    const { req } = fakeRequest([...chunks], { ...headers });
    const before = listeners(req);
    const timersBefore = timers();
    const ticket = budget.open();
    const outcome = await readNodeBody(req, { limits: { ...limits, ticket }, consumedMessage: EXPRESS_CONSUMED }).then(
      () => undefined,
      (error: unknown) => (isWebhookError(error) ? error.code : String(error)),
    );
    expect(outcome).toBe(code);
    expect(listeners(req)).toEqual(before);
    expect(timers()).toBe(timersBefore);
    ticket.release(); // the receiver's part once it has answered: everything taken comes back
    expect(budget.inUse).toBe(0);
  });
});
