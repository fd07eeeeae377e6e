import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createReceiver, isWebhookError, memoryStore, providers } from '../../../src/index.js';
import { redisStore } from '../../../src/stores/redis.js';

// A secret pasted into the wrong option: start-up errors must name the option, never repeat this (#13 item 10).
const LEAKED = 'whsec_c2VjcmV0LXB1dC1pbi10aGUtd3Jvbmctb3B0aW9u';
const swh = providers.standardWebhooks({ secret: 'whsec_aG9va2d1YXJkLXRlc3Qtc2VjcmV0LTMyLWJ5dGVzISE=' });
const untyped = <T>(value: T) => value as never;

const cases: [string, string, () => unknown][] = [
  ['createReceiver({ toleranceSeconds })', 'toleranceSeconds', () => createReceiver({ provider: swh, toleranceSeconds: untyped(LEAKED) })],
  ['createReceiver({ maxBodyBytes })', 'maxBodyBytes', () => createReceiver({ provider: swh, maxBodyBytes: untyped(LEAKED) })],
  ['createReceiver({ unhandled })', 'unhandled', () => createReceiver({ provider: swh, unhandled: untyped(LEAKED) })],
  ['createReceiver({ dedupe })', 'dedupe', () => createReceiver({ provider: swh, dedupe: untyped(LEAKED) })],
  ['createReceiver({ handlerTimeoutMs })', 'handlerTimeoutMs', () => createReceiver({ provider: swh, handlerTimeoutMs: untyped(LEAKED) })],
  ['createReceiver({ bodyTimeoutMs })', 'bodyTimeoutMs', () => createReceiver({ provider: swh, bodyTimeoutMs: untyped(LEAKED) })],
  ['createReceiver({ events })', 'events', () => createReceiver({ provider: swh, events: untyped(LEAKED) })],
  ['createReceiver({ events: { a: secret } })', 'events.a', () => createReceiver({ provider: swh, events: untyped({ a: LEAKED }) })],
  ['createReceiver({ provider })', 'provider', () => createReceiver({ provider: untyped(LEAKED) })],
  ['createReceiver({ provider: options })', 'provider', () => createReceiver({ provider: untyped({ secret: LEAKED }) })],
  ['standardWebhooks({ headerPrefix })', 'headerPrefix', () => providers.standardWebhooks({ secret: LEAKED, headerPrefix: untyped(LEAKED) })],
  ['stripe({ toleranceSeconds })', 'toleranceSeconds', () => providers.stripe({ secret: 'sk', toleranceSeconds: untyped(LEAKED) })],
  ['github({ algorithm })', 'algorithm', () => providers.github({ secret: 'gh', algorithm: untyped(LEAKED) })],
  ['hmac({ algorithm })', 'algorithm', () => providers.hmac({ name: 'acme', secret: 'x', signatureHeader: 'x-sig', algorithm: untyped(LEAKED) })],
  ['ecdsa({ dsaEncoding })', 'dsaEncoding', () => providers.ecdsa({ publicKey: 'x', signatureHeader: 'x-sig', dsaEncoding: untyped(LEAKED) })],
  ['twilio({ url })', 'url', () => providers.twilio({ authToken: 'tw', url: LEAKED })],
  ['square({ notificationUrl })', 'notificationUrl', () => providers.square({ signatureKey: 'sq', notificationUrl: LEAKED })],
  ['discord({ publicKey: an HMAC secret })', 'publicKey', () => providers.discord({ publicKey: LEAKED })],
  ['memoryStore({ maxEntries })', 'maxEntries', () => memoryStore({ maxEntries: untyped(LEAKED) })],
  ['redisStore({ ttlSeconds })', 'ttlSeconds', () => redisStore({ client: new Redis({ lazyConnect: true }), ttlSeconds: untyped(LEAKED) })],
];

describe('start-up misconfigured messages never echo the option value (#13 item 10)', () => {
  it.each(cases)('%s with a secret in it → misconfigured naming `%s`, without the secret', (_call, option, build) => {
    let thrown: unknown;
    try {
      build();
    } catch (error) {
      thrown = error;
    }
    expect(isWebhookError(thrown), 'expected a WebhookError').toBe(true);
    const error = thrown as { code: string; status: number; message: string };
    expect([error.code, error.status]).toEqual(['misconfigured', 500]);
    expect(error.message).toContain(`\`${option}\``);
    expect(error.message).not.toContain(LEAKED);
    expect(error.message).not.toContain(LEAKED.slice('whsec_'.length, 20));
  });
});
