import { describe, expect, it } from 'vitest';
import { createReceiver, WebhookError } from '../../../src/index.js';
import { signRequest } from '../../../src/testing/index.js';
import { NOW, deliver, json, outcome, swh } from './_helpers.js';

describe('receive(): method', () => {
  it.each(['GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'get'])('%s → 405 method_not_allowed with the header allow: POST', async (method) => {
    const receiver = createReceiver({ provider: swh });
    let calls = 0;
    receiver.onAny(() => {
      calls++;
    });
    const signed = signRequest(swh, { type: 'a' }, { timestamp: NOW });
    const result = await receiver.receive({ method, headers: signed.headers, body: signed.body, now: NOW });
    expect(outcome(result)).toEqual([405, 'method_not_allowed']);
    expect(result.headers.allow).toBe('POST');
    expect(calls).toBe(0);
  });

  it('"post" in lower case is accepted like POST', async () => {
    const receiver = createReceiver({ provider: swh });
    receiver.onAny(() => undefined);
    const signed = signRequest(swh, { type: 'a' }, { timestamp: NOW });
    expect(outcome(await receiver.receive({ method: 'post', headers: signed.headers, body: signed.body, now: NOW }))).toEqual([200, undefined]);
  });

  it('a refusal other than 405 carries no allow header', async () => {
    const receiver = createReceiver({ provider: swh });
    const result = await receiver.receive({ method: 'POST', headers: {}, body: '{}', now: NOW });
    expect(outcome(result)).toEqual([400, 'missing_header']);
    expect(result.headers.allow).toBeUndefined();
  });
});

describe('receive(): maxBodyBytes', () => {
  it('a body over maxBodyBytes passed straight to receive() → 413 body_too_large, before the signature is checked', async () => {
    const receiver = createReceiver({ provider: swh, maxBodyBytes: 64 });
    const body = JSON.stringify({ type: 'a', pad: 'x'.repeat(100) });
    const signed = signRequest(swh, body, { timestamp: NOW });
    expect(outcome(await receiver.receive({ method: 'POST', headers: signed.headers, body, now: NOW }))).toEqual([413, 'body_too_large']);
    // Unsigned too: size is decided first.
    expect(outcome(await receiver.receive({ method: 'POST', headers: {}, body, now: NOW }))).toEqual([413, 'body_too_large']);
  });

  it('a body of exactly maxBodyBytes bytes is accepted; one byte more is refused', async () => {
    const exact = JSON.stringify({ type: 'a', pad: '' });
    const receiver = createReceiver({ provider: swh, maxBodyBytes: Buffer.byteLength(exact) });
    receiver.onAny(() => undefined);
    expect(outcome(await deliver(receiver, exact))).toEqual([200, undefined]);
    const over = JSON.stringify({ type: 'a', pad: 'x' });
    expect(outcome(await deliver(receiver, over))).toEqual([413, 'body_too_large']);
  });

  it('a string body is measured in UTF-8 bytes, not characters', async () => {
    const body = JSON.stringify({ type: 'a', pad: '\u00e9'.repeat(20) }); // 20 characters, 40 bytes
    const receiver = createReceiver({ provider: swh, maxBodyBytes: body.length + 5 });
    receiver.onAny(() => undefined);
    expect(outcome(await deliver(receiver, body))).toEqual([413, 'body_too_large']);
  });

  it('receiver.fail(new WebhookError("body_too_large", …)) → 413 with the JSON error body', () => {
    const receiver = createReceiver({ provider: swh });
    const result = receiver.fail(new WebhookError('body_too_large', 'The body is larger than maxBodyBytes (1048576 bytes).'));
    expect(outcome(result)).toEqual([413, 'body_too_large']);
    expect(json(result)).toEqual({ error: { code: 'body_too_large', message: 'The body is larger than maxBodyBytes (1048576 bytes).' } });
  });

  it('receiver.fail(a plain Error) → 500 handler_failed without the error\'s message', () => {
    const receiver = createReceiver({ provider: swh });
    const result = receiver.fail(new Error('stream exploded at /var/secret/path'));
    expect(outcome(result)).toEqual([500, 'handler_failed']);
    expect(result.body).not.toContain('/var/secret/path');
  });
});
