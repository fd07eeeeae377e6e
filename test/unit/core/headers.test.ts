import { describe, expect, it } from 'vitest';
import { getHeader, normalizeHeaders } from '../../../src/core/headers.js';
import type { HeadersLike } from '../../../src/core/types.js';

describe('getHeader()', () => {
  it('finds a lower-case name in a Node-style object, whatever case is asked for', () => {
    const headers = { 'stripe-signature': 't=1,v1=ab', 'content-length': 12 };
    expect(getHeader(headers, 'Stripe-Signature')).toBe('t=1,v1=ab');
    expect(getHeader(headers, 'STRIPE-SIGNATURE')).toBe('t=1,v1=ab');
    expect(getHeader(headers, 'content-length')).toBe('12');
  });

  it('finds a mixed-case name in a plain record', () => {
    const headers = { 'X-Hub-Signature-256': 'sha256=00', 'Webhook-Id': 'msg_1' };
    expect(getHeader(headers, 'x-hub-signature-256')).toBe('sha256=00');
    expect(getHeader(headers, 'webhook-id')).toBe('msg_1');
  });

  it('reads fetch Headers', () => {
    const headers = new Headers({ 'X-Signature-Ed25519': 'abcd' });
    headers.append('X-Multi', 'a');
    headers.append('x-multi', 'b');
    expect(getHeader(headers, 'x-signature-ed25519')).toBe('abcd');
    expect(getHeader(headers, 'X-MULTI')).toBe('a, b');
  });

  it('joins an array of repeated header values with ", "', () => {
    expect(getHeader({ 'x-forwarded-for': ['10.0.0.1', '10.0.0.2'] }, 'X-Forwarded-For')).toBe('10.0.0.1, 10.0.0.2');
    expect(getHeader({ 'X-Forwarded-For': ['10.0.0.1'] }, 'x-forwarded-for')).toBe('10.0.0.1');
  });

  it('reads an iterable of pairs, joining repeated names in order, case-insensitively', () => {
    const pairs: [string, string][] = [
      ['Webhook-Signature', 'v1,a'],
      ['content-type', 'application/json'],
      ['webhook-signature', 'v1,b'],
    ];
    expect(getHeader(pairs, 'webhook-signature')).toBe('v1,a, v1,b');
    expect(getHeader(pairs[Symbol.iterator](), 'CONTENT-TYPE')).toBe('application/json');
  });

  it('reads a Map of pairs case-insensitively (a Map is an iterable of pairs, not fetch Headers)', () => {
    const map = new Map([['Stripe-Signature', 't=1,v1=ab']]);
    expect(getHeader(map, 'stripe-signature')).toBe('t=1,v1=ab');
  });

  it('skips an undefined value and keeps looking for another spelling of the name', () => {
    expect(getHeader({ 'x-a': undefined, 'X-A': 'found' }, 'x-a')).toBe('found');
    expect(getHeader({ 'x-a': undefined }, 'x-a')).toBeUndefined();
  });

  it('returns undefined for an absent name in every shape', () => {
    const shapes: HeadersLike[] = [{ 'x-present': '1' }, new Headers({ 'x-present': '1' }), [['x-present', '1']], new Map([['x-present', '1']])];
    for (const headers of shapes) expect(getHeader(headers, 'x-absent')).toBeUndefined();
  });

  it('does not read Object.prototype members as headers', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(getHeader({ 'x-present': '1' }, name)).toBeUndefined();
    }
  });

  it('reads a null-prototype record (how some hosts build header objects)', () => {
    const headers = Object.assign(Object.create(null) as Record<string, string>, { 'Webhook-Id': 'msg_1', get: 'x' });
    expect(getHeader(headers, 'webhook-id')).toBe('msg_1');
    expect(getHeader(headers, 'get')).toBe('x');
  });

  it('keeps an empty value as "" (callers decide that empty means missing)', () => {
    expect(getHeader({ 'x-empty': '' }, 'x-empty')).toBe('');
  });
});

describe('normalizeHeaders()', () => {
  it('lower-cases names and joins repeated ones from a record', () => {
    expect(normalizeHeaders({ 'Content-Type': 'application/json', 'X-A': ['1', '2'], 'x-a': '3', 'content-length': 5, 'x-none': undefined })).toEqual({
      'content-type': 'application/json',
      'x-a': '1, 2, 3',
      'content-length': '5',
    });
  });

  it('copies fetch Headers with lower-case names', () => {
    expect(normalizeHeaders(new Headers({ 'X-Shopify-Topic': 'orders/create' }))).toEqual({ 'x-shopify-topic': 'orders/create' });
  });

  it('lower-cases and joins an iterable of pairs', () => {
    expect(normalizeHeaders([['X-A', '1'], ['x-a', '2'], ['X-B', '3']])).toEqual({ 'x-a': '1, 2', 'x-b': '3' });
  });

  it('lower-cases the names of a Map', () => {
    expect(normalizeHeaders(new Map([['X-GitHub-Event', 'issues']]))).toEqual({ 'x-github-event': 'issues' });
  });

  it('returns a record with no inherited names', () => {
    const out = normalizeHeaders({ 'x-a': '1' });
    expect(out.constructor === Object || out.constructor === undefined).toBe(true);
    expect(Object.keys(out)).toEqual(['x-a']);
  });
});

describe('normalizeHeaders() with hostile names', () => {
  it('keeps headers named constructor and __proto__ as own string fields', () => {
    const out = normalizeHeaders([
      ['Constructor', 'a'],
      ['__proto__', 'b'],
    ]);
    expect(Object.keys(out).sort()).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(out, 'constructor')?.value).toBe('a');
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe('b');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});

describe('getHeader() with names fetch cannot carry', () => {
  // Found by the property tests (#6): Headers.get(':authority') throws a TypeError, which reached
  // hubspot.verify() (it looks up the Host by `:authority` too) as a non-WebhookError.
  it.each([':authority', 'with space', 'x-é'])('getHeader(new Headers(), %j) → undefined, never a TypeError (#6)', (name) => {
    expect(getHeader(new Headers({ host: 'example.test' }), name)).toBeUndefined();
  });
});
