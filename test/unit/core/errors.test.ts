import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, WebhookError, isWebhookError, type WebhookErrorCode } from '../../../src/core/errors.js';

/** DESIGN.md "Errors and the status each one answers", copied by hand: the source must agree with it. */
const DESIGN_TABLE: Record<WebhookErrorCode, number> = {
  missing_header: 400,
  malformed_header: 400,
  invalid_body: 400,
  signature_mismatch: 401,
  timestamp_too_old: 401,
  timestamp_in_future: 401,
  unknown_tenant: 401, // #17, README errors table (DESIGN.md is shared: its table gains it at the merge)
  method_not_allowed: 405,
  body_timeout: 408,
  in_flight: 409,
  body_too_large: 413,
  schema_mismatch: 422,
  handler_failed: 500,
  store_unavailable: 503,
  handler_timeout: 503,
  shutting_down: 503,
  overloaded: 503,
  secret_unavailable: 503, // #17
  misconfigured: 500,
};

describe('ERROR_STATUS', () => {
  it('lists exactly the codes of DESIGN.md, no more and no fewer', () => {
    expect(Object.keys(ERROR_STATUS).sort()).toEqual(Object.keys(DESIGN_TABLE).sort());
  });
});

describe('new WebhookError(code)', () => {
  for (const [code, status] of Object.entries(DESIGN_TABLE) as [WebhookErrorCode, number][]) {
    it(`new WebhookError('${code}') → status ${status}`, () => {
      const error = new WebhookError(code, `message for ${code}`);
      expect([error.status, error.code]).toEqual([status, code]);
      expect(error.message).toBe(`message for ${code}`);
      expect(error.name).toBe('WebhookError');
      expect(error).toBeInstanceOf(Error);
      expect(isWebhookError(error)).toBe(true);
    });
  }

  it('keeps cause and issues when given, and adds neither when not', () => {
    const cause = new SyntaxError('Unexpected token');
    const issues = [{ path: 'data.amount', message: 'Expected number' }];
    const error = new WebhookError('schema_mismatch', 'bad payload', { cause, issues });
    expect(error.cause).toBe(cause);
    expect(error.issues).toEqual(issues);

    const bare = new WebhookError('invalid_body', 'bad');
    expect('cause' in bare).toBe(false);
    expect(bare.issues).toBeUndefined();
  });

  it('keeps its brand out of JSON and enumeration (nothing extra leaks into logs)', () => {
    const error = new WebhookError('signature_mismatch', 'no match');
    expect(Object.getOwnPropertySymbols(error).map((symbol) => Object.getOwnPropertyDescriptor(error, symbol)?.enumerable)).toEqual([false]);
    expect(JSON.parse(JSON.stringify(error))).toEqual({ name: 'WebhookError', code: 'signature_mismatch', status: 401 });
  });
});

describe('isWebhookError()', () => {
  it('is true for a WebhookError from a second copy of the module, where instanceof is false', async () => {
    // The query string makes Vite load errors.ts again as a separate module: the ESM/CJS dual-package case.
    const specifier = '../../../src/core/errors.js?second-copy';
    const copy = (await import(/* @vite-ignore */ specifier)) as typeof import('../../../src/core/errors.js');
    expect(copy.WebhookError).not.toBe(WebhookError);
    const foreign = new copy.WebhookError('store_unavailable', 'redis down');
    expect(foreign instanceof WebhookError).toBe(false);
    expect(isWebhookError(foreign)).toBe(true);
    expect(copy.isWebhookError(new WebhookError('in_flight', 'busy'))).toBe(true);
  });

  it('is true for any object carrying the Symbol.for brand (structurally separate copy)', () => {
    const foreign = Object.assign(new Error('from another build'), { code: 'in_flight', status: 409 });
    Object.defineProperty(foreign, Symbol.for('hookguard.WebhookError'), { value: true });
    expect(isWebhookError(foreign)).toBe(true);
  });

  it('is false for a plain Error, even one that looks like a WebhookError', () => {
    expect(isWebhookError(new Error('x'))).toBe(false);
    const lookalike = Object.assign(new Error('x'), { name: 'WebhookError', code: 'signature_mismatch', status: 401 });
    expect(isWebhookError(lookalike)).toBe(false);
  });

  it('is false for a brand that is not the registered symbol, or not exactly true', () => {
    expect(isWebhookError({ [Symbol('hookguard.WebhookError')]: true })).toBe(false);
    expect(isWebhookError({ [Symbol.for('hookguard.WebhookError')]: 'true' })).toBe(false);
    expect(isWebhookError({ [Symbol.for('hookguard.WebhookError')]: 1 })).toBe(false);
  });

  it('is false for non-objects', () => {
    for (const value of [undefined, null, 0, 'WebhookError', true, Symbol.for('hookguard.WebhookError')]) {
      expect(isWebhookError(value)).toBe(false);
    }
  });
});
