/**
 * Property (c), issue #6: no input whatsoever makes `verify` (or `verifyWebhook`) throw anything
 * but a WebhookError — random header names and values in every shape a host hands over (a
 * record with strings, arrays, numbers and `undefined`, fetch Headers, pairs, a Map, names like
 * `__proto__`), near-valid header values, random bytes and text, random methods, URLs and
 * clocks — and `receiver.receive` never rejects and always answers with a status from DESIGN's
 * table, its JSON error code matching that status.
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_STATUS, isWebhookError, type WebhookErrorCode } from '../../src/core/errors.js';
import type { BodyLike, DeliveryInput, HeadersLike } from '../../src/core/types.js';
import { verifyWebhook } from '../../src/providers/verify-webhook.js';
import { createReceiver } from '../../src/receiver/create-receiver.js';
import { memoryStore } from '../../src/stores/memory.js';
import { anyBody, ids, signed, smallBody, timestamps } from './arbitraries.js';
import { params, RUNS, timeoutFor } from './config.js';
import { presetVariants, type Variant } from './presets.js';

const { variants } = presetVariants();

/** Every status DESIGN's table allows: its error statuses, 200 and the 204 some senders want. */
const STATUSES = new Set<number>([200, 204, ...Object.values(ERROR_STATUS)]);

const junkNames = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'content-type', 'content-encoding', 'host', 'x-forwarded-proto', ''),
);

/** Header values, some of them one edit away from valid ones. */
function values(near: readonly string[]): fc.Arbitrary<string> {
  const edited = near.length === 0 ? fc.string() : fc.tuple(fc.constantFrom(...near), fc.nat(), fc.string({ maxLength: 3 })).map(([v, at, s]) => v.slice(0, at % (v.length + 1)) + s + v.slice(at % (v.length + 1)));
  return fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('', ' ', ',', '=', 'v1,', 't=', 'sha256=', '\u0000', '9'.repeat(40)), edited);
}

type RecordValue = string | string[] | number | undefined;

/** Random headers in a random shape, drawing names from the scheme's own headers as well as junk. */
function junkHeaders(variant: Variant, near: readonly string[]): fc.Arbitrary<HeadersLike> {
  const known = [variant.signature, variant.timestamp, variant.signedId].filter((name): name is string => name !== undefined);
  const names = fc.oneof({ arbitrary: fc.constantFrom(...known, ...known.map((n) => n.toUpperCase())), weight: 3 }, { arbitrary: junkNames, weight: 1 });
  const value = values(near);
  const recordValue: fc.Arbitrary<RecordValue> = fc.oneof(
    { arbitrary: value, weight: 6 },
    { arbitrary: fc.array(value, { maxLength: 3 }), weight: 2 },
    { arbitrary: fc.integer(), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
  const entries = fc.array(fc.tuple(names, recordValue), { maxLength: 8 });
  return fc.tuple(entries, fc.constantFrom('record', 'pairs', 'map', 'headers')).map(([list, shape]): HeadersLike => {
    const asText = (v: RecordValue) => (Array.isArray(v) ? v.join(', ') : String(v ?? ''));
    if (shape === 'record') {
      // defineProperty, so `__proto__` becomes an own field as it does in Node's headers object.
      const record: Record<string, RecordValue> = {};
      for (const [name, v] of list) Object.defineProperty(record, name, { value: v, enumerable: true, configurable: true, writable: true });
      return record;
    }
    if (shape === 'pairs') return list.map(([name, v]) => [name, asText(v)] as const);
    if (shape === 'map') return new Map(list.map(([name, v]) => [name, asText(v)]));
    const headers = new Headers();
    for (const [name, v] of list) {
      try {
        headers.append(name, asText(v));
      } catch {
        // A name or value fetch refuses: it could not arrive this way.
      }
    }
    return headers;
  });
}

const methods = fc.oneof(fc.constantFrom('POST', 'post', 'GET', 'PUT', 'HEAD', 'OPTIONS', ''), fc.string({ maxLength: 10 }));
const urls = fc.oneof(fc.constantFrom('/webhooks', 'https://hooks.example.test/webhooks?x=1', '', '?', '//', 'http://[::1]:443/x'), fc.webUrl(), fc.string({ maxLength: 30 }));
const clocks = fc.oneof({ arbitrary: timestamps, weight: 4 }, { arbitrary: fc.integer(), weight: 1 });
const bodies: fc.Arbitrary<BodyLike> = fc.oneof(anyBody, fc.string({ unit: 'binary' }));

/** Runs `run`; a throw that is not a WebhookError fails the property. */
function onlyWebhookErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!isWebhookError(error)) throw new Error(`threw a non-WebhookError: ${String(error)}`, { cause: error });
  }
}

describe.each(variants)('$preset — $variant.label', ({ variant }) => {
  // Header values near the valid ones: what the scheme itself writes, for a few deliveries.
  const near = [1, 2, 3].flatMap((i) => Object.values(signed(variant, `{"n":${i}}`, 1_700_000_000 + i, `id_${i}`).headers));

  it(
    `${variant.label}: verify() and verifyWebhook() throw nothing but WebhookError, whatever the input (${RUNS} runs)`,
    () => {
      fc.assert(
        fc.property(junkHeaders(variant, near), bodies, fc.option(methods, { nil: undefined }), fc.option(urls, { nil: undefined }), fc.option(clocks, { nil: undefined }), (headers, body, method, url, now) => {
          const input = { headers, body, ...(method === undefined ? {} : { method }), ...(url === undefined ? {} : { url }), ...(now === undefined ? {} : { now }) };
          onlyWebhookErrors(() => variant.provider.verify(input));
          onlyWebhookErrors(() => verifyWebhook(variant.provider, input));
        }),
        params(),
      );
    },
    timeoutFor(),
  );

  it(
    `${variant.label}: parse() of any correctly signed bytes throws nothing but WebhookError (${RUNS} runs)`,
    () => {
      fc.assert(
        fc.property(variant.bodies ?? bodies, timestamps, ids, fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', undefined), (body, timestamp, id, contentType) => {
          const delivery = signed(variant, body, timestamp, id);
          const headers = { ...delivery.headers };
          if (contentType === undefined) delete headers['content-type'];
          else headers['content-type'] = contentType;
          onlyWebhookErrors(() => verifyWebhook(variant.provider, { method: 'POST', url: delivery.url, headers, body: delivery.bytes, now: timestamp }));
        }),
        params(),
      );
    },
    timeoutFor(),
  );

  it(
    `${variant.label}: receiver.receive() never rejects and answers a status from DESIGN's table, code and status agreeing (${RUNS} runs)`,
    async () => {
      const receiver = createReceiver({
        provider: variant.provider,
        maxBodyBytes: 64 * 1024,
        dedupe: memoryStore({ maxEntries: 64 }),
        events: { 'property.typed': z.object({ type: z.literal('property.typed'), n: z.number() }) },
      });
      receiver.on('property.typed', ({ payload }) => (payload.n % 2 === 0 ? undefined : { reply: payload.n }));
      receiver.onAny(() => undefined);

      const payloads = fc.record({
        type: fc.oneof(fc.constantFrom('property.typed', 'url_verification', 'event_callback', 'webhook_callback_verification', 'endpoint.url_validation'), fc.integer({ min: 0, max: 6 }), fc.string()),
        n: fc.oneof(fc.integer(), fc.string()),
        id: fc.oneof(ids, fc.integer()),
        challenge: fc.option(fc.string(), { nil: undefined }),
        event: fc.option(fc.record({ type: fc.string() }), { nil: undefined }),
        payload: fc.option(fc.record({ plainToken: fc.string() }), { nil: undefined }),
      });
      // Half signed deliveries of random payloads (they reach parse, handshakes, schemas, dedupe, handlers), half junk.
      const signedInputs = fc
        .tuple(fc.oneof(payloads.map((p) => JSON.stringify(p)), variant.bodies ?? smallBody), timestamps, fc.oneof(ids, fc.constant('repeat')), fc.option(fc.integer({ min: -400, max: 400 }), { nil: undefined }), fc.constantFrom('POST', 'POST', 'GET'))
        .map(([body, timestamp, id, skew, method]): DeliveryInput => {
          const delivery = signed(variant, body, timestamp, id);
          return { method, url: delivery.url, headers: delivery.headers, body: delivery.bytes, now: timestamp + (skew ?? 0) };
        });
      const junkInputs = fc
        .tuple(junkHeaders(variant, near), bodies, methods, urls, clocks)
        .map(([headers, body, method, url, now]): DeliveryInput => ({ method, url, headers, body, now }));

      await fc.assert(
        fc.asyncProperty(fc.oneof(signedInputs, junkInputs), async (input) => {
          let result;
          try {
            result = await receiver.receive(input);
          } catch (error) {
            throw new Error(`receive() rejected: ${String(error)}`, { cause: error });
          }
          expect(STATUSES, `status ${result.status}`).toContain(result.status);
          expect(typeof result.body).toBe('string');
          if (result.status >= 400) {
            const code = (JSON.parse(result.body) as { error: { code: WebhookErrorCode } }).error.code;
            expect(ERROR_STATUS[code], `${code} answered with ${result.status}`).toBe(result.status);
            // Nothing here is a handler failure: a 500 must be a configuration problem we can name.
            expect(code).not.toBe('handler_failed');
          }
        }),
        params(),
      );
    },
    timeoutFor(),
  );
});

it('a Buffer and a string of the same bytes verify alike (wire bytes are what count)', () => {
  const variant = variants[0]?.variant as Variant;
  const delivery = signed(variant, '{"a":"é"}', 1_700_000_000, 'msg_1');
  const viaString = variant.provider.verify({ headers: delivery.headers, body: '{"a":"é"}', now: 1_700_000_000 });
  expect(Buffer.compare(Buffer.from(viaString.rawBody), delivery.bytes)).toBe(0);
});
