import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, WebhookError, type WebhookErrorCode } from '../../../src/core/errors.js';
import { errorResult, successResult, textResult } from '../../../src/core/result.js';

const JSON_TYPE = 'application/json; charset=utf-8';

describe('errorResult(WebhookError)', () => {
  for (const code of Object.keys(ERROR_STATUS) as WebhookErrorCode[]) {
    it(`errorResult(${code}) → ${ERROR_STATUS[code]} {"error":{"code":"${code}","message"}}`, () => {
      const result = errorResult(new WebhookError(code, `because ${code}`));
      expect(result.status).toBe(ERROR_STATUS[code]);
      expect(result.headers['content-type']).toBe(JSON_TYPE);
      expect(JSON.parse(result.body)).toEqual({ error: { code, message: `because ${code}` } });
    });
  }

  it('method_not_allowed → 405 with allow: POST; no other code sends allow', () => {
    expect(errorResult(new WebhookError('method_not_allowed', 'POST only')).headers).toEqual({ 'content-type': JSON_TYPE, allow: 'POST' });
    for (const code of Object.keys(ERROR_STATUS) as WebhookErrorCode[]) {
      if (code !== 'method_not_allowed') expect(errorResult(new WebhookError(code, 'x')).headers.allow, code).toBeUndefined();
    }
  });

  it('body_timeout → 408 with connection: close (the rest of the body is still coming); no other code closes (#6)', () => {
    expect(errorResult(new WebhookError('body_timeout', 'too slow')).headers).toEqual({ 'content-type': JSON_TYPE, connection: 'close' });
    for (const code of Object.keys(ERROR_STATUS) as WebhookErrorCode[]) {
      if (code !== 'body_timeout') expect(errorResult(new WebhookError(code, 'x')).headers.connection, code).toBeUndefined();
    }
  });

  it('schema_mismatch → 422 listing its issues', () => {
    const issues = [{ path: 'data.amount', message: 'Expected number, received string' }];
    const result = errorResult(new WebhookError('schema_mismatch', 'The payload does not match', { issues }));
    expect(result.status).toBe(422);
    expect(JSON.parse(result.body)).toEqual({ error: { code: 'schema_mismatch', message: 'The payload does not match', issues } });
  });

  it('never serialises the cause', () => {
    const result = errorResult(new WebhookError('invalid_body', 'bad JSON', { cause: new Error('token=sk_live_123') }));
    expect(result.body).not.toContain('sk_live_123');
  });

  it('honours a WebhookError from another copy of the package (branded object)', () => {
    const foreign = Object.assign(new Error('busy'), { code: 'in_flight', status: 409 });
    Object.defineProperty(foreign, Symbol.for('hookguard.WebhookError'), { value: true });
    const result = errorResult(foreign);
    expect([result.status, JSON.parse(result.body).error.code]).toEqual([409, 'in_flight']);
  });
});

describe('errorResult(anything else)', () => {
  it('a plain Error → handler_failed 500, without its message', () => {
    const result = errorResult(new Error('connect postgres://admin:hunter2@db.internal failed'));
    expect(result.status).toBe(500);
    const body = JSON.parse(result.body);
    expect(body.error.code).toBe('handler_failed');
    expect(result.body).not.toContain('hunter2');
    expect(result.body).not.toContain('postgres');
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  });

  it('an Error that only looks like a WebhookError (code and status patched on) → handler_failed 500', () => {
    const lookalike = Object.assign(new Error('secret detail'), { code: 'signature_mismatch', status: 401 });
    const result = errorResult(lookalike);
    expect([result.status, JSON.parse(result.body).error.code]).toEqual([500, 'handler_failed']);
    expect(result.body).not.toContain('secret detail');
  });

  it('a thrown string, undefined or object → handler_failed 500, echoing none of it', () => {
    for (const thrown of ['whsec_leaked', undefined, { apiKey: 'whsec_leaked' }]) {
      const result = errorResult(thrown);
      expect([result.status, JSON.parse(result.body).error.code]).toEqual([500, 'handler_failed']);
      expect(result.body).not.toContain('whsec_leaked');
    }
  });
});

describe('successResult() and textResult()', () => {
  it('successResult() → 200 {"ok":true}', () => {
    expect(successResult()).toEqual({ status: 200, headers: { 'content-type': JSON_TYPE }, body: '{"ok":true}' });
  });

  it('successResult(value) → 200 with the value as the JSON body', () => {
    const result = successResult({ type: 1 });
    expect([result.status, result.body]).toEqual([200, '{"type":1}']);
  });

  it('successResult(value, status) uses the status given', () => {
    expect(successResult({ ok: true, duplicate: true }, 202).status).toBe(202);
  });

  it('successResult() returns fresh headers each time (callers may add to them)', () => {
    const first = successResult();
    first.headers['x-extra'] = '1';
    expect(successResult().headers).toEqual({ 'content-type': JSON_TYPE });
  });

  it('textResult(challenge) → 200 text/plain with the bare text', () => {
    expect(textResult('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P')).toEqual({
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
    });
  });
});
