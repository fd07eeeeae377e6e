import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createReceiver, isWebhookError, providers, type WebhookError } from '../../../src/index.js';
import { NOW, SECRET, deliver, outcome, swh } from './_helpers.js';

/** Calls `build`, expects a `misconfigured` WebhookError, and returns it. */
function misconfigured(build: () => unknown): WebhookError {
  let thrown: unknown;
  try {
    build();
  } catch (error) {
    thrown = error;
  }
  expect(isWebhookError(thrown), 'expected a WebhookError to be thrown').toBe(true);
  const error = thrown as WebhookError;
  expect([error.code, error.status]).toEqual(['misconfigured', 500]);
  return error;
}

// Options are checked by code that does not trust the types: call it as JavaScript would.
const createUntyped = createReceiver as (options: unknown) => unknown;

describe('createReceiver() options', () => {
  it.each([
    ['toleranceSeconds', 0],
    ['toleranceSeconds', -1],
    ['toleranceSeconds', Number.NaN],
    ['toleranceSeconds', '300'],
    ['maxBodyBytes', 0],
    ['maxBodyBytes', 1.5],
    ['maxBodyBytes', -1],
    ['unhandled', 'x'],
    ['dedupe', {}],
    ['dedupe', true],
    ['dedupe', { claim() {}, complete() {} }],
  ])('createReceiver({ %s: %o }) → throws misconfigured naming the option', (option, value) => {
    const error = misconfigured(() => createUntyped({ provider: swh, [option]: value }));
    expect(error.message).toContain(`\`${option}\``);
  });

  it('createReceiver() with an unknown option key → throws misconfigured naming that key', () => {
    const error = misconfigured(() => createUntyped({ provider: swh, tolerance: 300 }));
    expect(error.message).toContain('`tolerance`');
  });

  it.each([
    ['missing', undefined],
    ['a string', 'stripe'],
    ['a plain object', { name: 'x' }],
    ['an options object instead of a provider', { secret: 'whsec_abc' }],
  ])('createReceiver() with provider %s → throws misconfigured naming `provider`', (_label, provider) => {
    const error = misconfigured(() => createUntyped(provider === undefined ? {} : { provider }));
    expect(error.message).toContain('`provider`');
  });

  it.each([
    ['a number', 1],
    ['a plain object', { parse: () => 1 }],
    ['null', null],
    ['an object with a ~standard but no validate', { '~standard': { version: 1, vendor: 'x' } }],
  ])('createReceiver() with an events entry that is %s → throws misconfigured naming events.<type>', (_label, schema) => {
    const error = misconfigured(() => createUntyped({ provider: swh, events: { 'invoice.paid': schema } }));
    expect(error.message).toContain('events.invoice.paid');
  });

  it('createReceiver() with no options at all → throws misconfigured', () => {
    misconfigured(() => createUntyped(undefined));
  });

  it('createReceiver() accepts a callable Standard Schema (arktype-style function with ~standard)', () => {
    const schema = Object.assign((value: unknown) => value, {
      '~standard': { version: 1 as const, vendor: 'callable', validate: (value: unknown) => ({ value }) },
    });
    expect(() => createReceiver({ provider: swh, events: { 'invoice.paid': schema } })).not.toThrow();
  });

  it('createReceiver() accepts explicit defaults: dedupe false, unhandled reject, zod schemas', () => {
    expect(() =>
      createReceiver({ provider: swh, dedupe: false, unhandled: 'reject', events: { a: z.object({}) }, maxBodyBytes: 10 }),
    ).not.toThrow();
  });

  it('createReceiver().provider is the very provider passed in (not a copy missing handshake/maxBodyBytes)', () => {
    const slack = providers.slack({ signingSecret: 'slack-secret' });
    const receiver = createReceiver({ provider: slack });
    expect(receiver.provider).toBe(slack);
    expect(typeof receiver.provider.handshake).toBe('function');
  });
});

describe('createReceiver() toleranceSeconds and maxBodyBytes', () => {
  const old = (seconds: number) => ({ timestamp: NOW - seconds, now: NOW });

  it('toleranceSeconds: Infinity is accepted and turns the replay window off (a 10-year-old delivery passes)', async () => {
    const receiver = createReceiver({ provider: swh, toleranceSeconds: Infinity });
    receiver.onAny(() => undefined);
    expect(outcome(await deliver(receiver, { type: 'a' }, old(10 * 365 * 86_400)))).toEqual([200, undefined]);
    expect(outcome(await deliver(receiver, { type: 'a' }, { timestamp: NOW + 86_400 * 365, now: NOW }))).toEqual([200, undefined]);
  });

  it('receiver toleranceSeconds overrides the provider default: a 400 s old delivery passes with 600', async () => {
    const receiver = createReceiver({ provider: swh, toleranceSeconds: 600 });
    receiver.onAny(() => undefined);
    expect(outcome(await deliver(receiver, { type: 'a' }, old(400)))).toEqual([200, undefined]);
    expect(outcome(await deliver(receiver, { type: 'a' }, old(601)))).toEqual([401, 'timestamp_too_old']);
  });

  it('without toleranceSeconds the provider default (300 s) applies: 400 s old → 401 timestamp_too_old', async () => {
    const receiver = createReceiver({ provider: swh });
    receiver.onAny(() => undefined);
    expect(outcome(await deliver(receiver, { type: 'a' }, old(400)))).toEqual([401, 'timestamp_too_old']);
    expect(outcome(await deliver(receiver, { type: 'a' }, old(300)))).toEqual([200, undefined]);
  });

  it('receiver toleranceSeconds overrides the provider\'s own toleranceSeconds (3600 → 60): 120 s old → 401 timestamp_too_old', async () => {
    const wide = providers.standardWebhooks({ secret: SECRET, toleranceSeconds: 3600 });
    const receiver = createReceiver({ provider: wide, toleranceSeconds: 60 });
    receiver.onAny(() => undefined);
    expect(outcome(await deliver(receiver, { type: 'a' }, old(120)))).toEqual([401, 'timestamp_too_old']);
  });

  it('maxBodyBytes: default 1 MiB; the GitHub preset 25 MiB; the receiver option overrides both', () => {
    expect(createReceiver({ provider: swh }).maxBodyBytes).toBe(1024 * 1024);
    const github = providers.github({ secret: 'gh-secret' });
    expect(createReceiver({ provider: github }).maxBodyBytes).toBe(25 * 1024 * 1024);
    expect(createReceiver({ provider: github, maxBodyBytes: 2048 }).maxBodyBytes).toBe(2048);
  });
});
