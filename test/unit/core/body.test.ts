import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { decodeBody, decodeJson, pick, pickString } from '../../../src/core/body.js';
import { codeOf } from '../../helpers/webhook-error.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');


describe("decodeBody(body, 'json')", () => {
  it('parses JSON, whatever the content type says', () => {
    expect(decodeBody(bytes('{"type":"invoice.paid","n":1}'), 'json')).toEqual({ type: 'invoice.paid', n: 1 });
  });

  it('parses non-ASCII UTF-8 and drops a leading BOM', () => {
    expect(decodeBody(bytes('\uFEFF{"city":"Zürich 🚚"}'), 'json')).toEqual({ city: 'Zürich 🚚' });
  });

  it('bad JSON → invalid_body 400', () => {
    expect(codeOf(() => decodeBody(bytes('{"type":'), 'json'))).toEqual([400, 'invalid_body']);
    expect(codeOf(() => decodeBody(bytes('Hello, World!'), 'json'))).toEqual([400, 'invalid_body']);
  });

  it('an empty body → invalid_body 400', () => {
    expect(codeOf(() => decodeBody(new Uint8Array(0), 'json'))).toEqual([400, 'invalid_body']);
  });

  it('bytes that are not valid UTF-8 → invalid_body 400 (never silently replaced with U+FFFD)', () => {
    expect(codeOf(() => decodeBody(Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), 'json'))).toEqual([400, 'invalid_body']);
    expect(codeOf(() => decodeBody(Uint8Array.from([0x22, 0xc3, 0x22]), 'json'))).toEqual([400, 'invalid_body']);
  });
});

describe("decodeBody(body, 'form')", () => {
  it('parses urlencoded fields, + as space and percent escapes', () => {
    expect(decodeBody(bytes('token=abc&text=hello+w%C3%B6rld&command=%2Fweather'), 'form')).toEqual({
      token: 'abc',
      text: 'hello wörld',
      command: '/weather',
    });
  });

  it('a form whose only field is payload= JSON yields that JSON (Slack interactivity, GitHub)', () => {
    const form = `payload=${encodeURIComponent('{"type":"block_actions","user":{"id":"U1"}}')}`;
    expect(decodeBody(bytes(form), 'form')).toEqual({ type: 'block_actions', user: { id: 'U1' } });
  });

  it('payload= holding bad JSON → invalid_body 400', () => {
    expect(codeOf(() => decodeBody(bytes('payload=%7Bnot-json'), 'form'))).toEqual([400, 'invalid_body']);
    expect(codeOf(() => decodeBody(bytes('payload='), 'form'))).toEqual([400, 'invalid_body']);
  });

  it('payload= next to other fields stays a plain field', () => {
    expect(decodeBody(bytes('payload=x&token=t'), 'form')).toEqual({ payload: 'x', token: 't' });
  });

  it('keeps a field named __proto__ or constructor as an ordinary own field', () => {
    const fields = decodeBody(bytes('__proto__=a&constructor=b&text=c'), 'form') as Record<string, unknown>;
    expect(Object.keys(fields).sort()).toEqual(['__proto__', 'constructor', 'text']);
    expect(Object.getOwnPropertyDescriptor(fields, '__proto__')?.value).toBe('a');
    expect(fields.constructor).toBe('b');
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
  });

  it('invalid UTF-8 in a form body → invalid_body 400', () => {
    expect(codeOf(() => decodeBody(Uint8Array.from([0x61, 0x3d, 0xff]), 'form'))).toEqual([400, 'invalid_body']);
  });
});

describe("decodeBody(body, 'auto')", () => {
  it('reads a body opening with { or [ (after JSON whitespace) as JSON', () => {
    expect(decodeBody(bytes('{"a":1}'), 'auto')).toEqual({ a: 1 });
    expect(decodeBody(bytes(' \r\n\t[1]'), 'auto')).toEqual([1]);
    expect(decodeBody(bytes('\uFEFF{"a":1}'), 'auto')).toEqual({ a: 1 });
  });

  it('reads anything else as a form, payload=<json> included', () => {
    expect(decodeBody(bytes('a=1&b=2'), 'auto')).toEqual({ a: '1', b: '2' });
    expect(decodeBody(bytes(`payload=${encodeURIComponent('{"type":"block_actions"}')}`), 'auto')).toEqual({ type: 'block_actions' });
  });

  it('a JSON body whose text holds &type=…&event_id=… stays that JSON: no Content-Type reaches the decoder (#13 item 5)', () => {
    const body = bytes('{"type":"event_callback","event_id":"Ev1","event":{"type":"message","text":"a&type=block_actions&event_id=EvNEW1"}}');
    expect(decodeBody(body, 'auto')).toEqual({ type: 'event_callback', event_id: 'Ev1', event: { type: 'message', text: 'a&type=block_actions&event_id=EvNEW1' } });
  });
});

describe("decodeBody(body, 'json-or-payload')", () => {
  it('reads JSON, or a form whose one field is payload=<json>', () => {
    expect(decodeBody(bytes('{"action":"opened"}'), 'json-or-payload')).toEqual({ action: 'opened' });
    expect(decodeBody(bytes(`payload=${encodeURIComponent('{"action":"closed"}')}`), 'json-or-payload')).toEqual({ action: 'closed' });
  });

  it('any other form, or text → invalid_body 400', () => {
    for (const text of ['Hello, World!', 'payload=x', 'payload=%7B%7D&action=closed', 'action=closed', '']) {
      expect(codeOf(() => decodeBody(bytes(text), 'json-or-payload')), text).toEqual([400, 'invalid_body']);
    }
  });
});

describe('decodeJson()', () => {
  it('parses JSON text and refuses empty or bad text → invalid_body 400', () => {
    expect(decodeJson('[1,2]')).toEqual([1, 2]);
    expect(codeOf(() => decodeJson(''))).toEqual([400, 'invalid_body']);
    expect(codeOf(() => decodeJson('{'))).toEqual([400, 'invalid_body']);
  });
});

describe('pick() and pickString()', () => {
  const payload = { id: 'evt_1', n: 42, event: { type: 'app_mention', nested: null }, big: Number.NaN };

  it('pick() follows a path and gives undefined where any step is missing', () => {
    expect(pick(payload, ['event', 'type'])).toBe('app_mention');
    expect(pick(payload, ['event', 'nested', 'deeper'])).toBeUndefined();
    expect(pick(payload, ['missing', 'type'])).toBeUndefined();
    expect(pick('text', ['length'])).toBeUndefined();
    expect(pick(null, ['a'])).toBeUndefined();
  });

  it('pickString() returns strings, stringifies finite numbers, and nothing else', () => {
    expect(pickString(payload, ['id'])).toBe('evt_1');
    expect(pickString(payload, ['n'])).toBe('42');
    expect(pickString(payload, ['big'])).toBeUndefined();
    expect(pickString(payload, ['event'])).toBeUndefined();
    expect(pickString(payload, ['event', 'nested'])).toBeUndefined();
  });
});
