import { describe, expect, it } from 'vitest';
import { abortedBody, bodyTooLarge, contentEncodingOf, undecodableBody, unsupportedEncoding } from '../../../src/adapters/body-errors.js';

describe('body-errors: the refusals every body reader shares', () => {
  it('bodyTooLarge(limit) → [413, body_too_large], in the words receive() uses', () => {
    const error = bodyTooLarge(1024);
    expect([error.status, error.code, error.message]).toEqual([413, 'body_too_large', 'The body is larger than maxBodyBytes (1024 bytes).']);
  });

  it('unsupportedEncoding(header) → [400, invalid_body] naming the header as sent', () => {
    const error = unsupportedEncoding('zstd');
    expect([error.status, error.code]).toEqual([400, 'invalid_body']);
    expect(error.message).toContain('"zstd"');
  });

  it('undecodableBody(cause) and abortedBody() → [400, invalid_body], keeping the cause', () => {
    const cause = new Error('incorrect header check');
    expect([undecodableBody(cause).code, undecodableBody(cause).cause]).toEqual(['invalid_body', cause]);
    expect([abortedBody().status, abortedBody().code]).toEqual([400, 'invalid_body']);
  });

  it.each([
    [undefined, undefined],
    [null, undefined],
    ['', undefined],
    [' Identity ', undefined],
    ['GZIP', 'gzip'],
    [' br', 'br'],
  ])('contentEncodingOf(%j) → %j', (header, expected) => {
    expect(contentEncodingOf(header)).toBe(expected);
  });
});
