import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createReceiver, isWebhookError, WebhookError, type Delivery } from '../../../src/index.js';
import { signRequest } from '../../../src/testing/index.js';
import { NOW, deferred, deliver, outcome, swh } from './_helpers.js';

type Report = [WebhookError, Delivery | undefined];

function observed() {
  const receiver = createReceiver({ provider: swh, events: { 'invoice.paid': z.object({ amount: z.number() }) } });
  const reports: Report[] = [];
  receiver.onError((error, delivery) => {
    reports.push([error, delivery]);
  });
  return { receiver, reports };
}

/** Lets any pending promise rejection surface as `unhandledRejection` before asserting. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('receiver.onError()', () => {
  let unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled = [];
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('a refusal (bad signature) → onError(WebhookError signature_mismatch, undefined), answer 401', async () => {
    const { receiver, reports } = observed();
    const signed = signRequest(swh, { type: 'invoice.paid' }, { timestamp: NOW });
    const result = await receiver.receive({ method: 'POST', headers: signed.headers, body: '{"type":"invoice.paid","x":1}', now: NOW });
    expect(outcome(result)).toEqual([401, 'signature_mismatch']);
    expect(reports).toHaveLength(1);
    const [error, delivery] = reports[0] as Report;
    expect(isWebhookError(error)).toBe(true);
    expect([error.code, error.status]).toEqual(['signature_mismatch', 401]);
    expect(delivery).toBeUndefined();
  });

  it.each([
    ['GET → method_not_allowed', { method: 'GET' }, 'method_not_allowed'],
    ['stale → timestamp_too_old', { now: NOW + 3600 }, 'timestamp_too_old'],
  ] as const)('a refusal (%s) is reported with the code the answer carries', async (_label, change, code) => {
    const { receiver, reports } = observed();
    const signed = signRequest(swh, { type: 'invoice.paid', amount: 1 }, { timestamp: NOW });
    const result = await receiver.receive({ method: 'POST', headers: signed.headers, body: signed.body, now: NOW, ...change });
    expect(outcome(result)[1]).toBe(code);
    expect(reports.map(([error]) => error.code)).toEqual([code]);
  });

  it('a schema refusal is reported as schema_mismatch carrying the issues', async () => {
    const { receiver, reports } = observed();
    receiver.on('invoice.paid', () => undefined);
    expect(outcome(await deliver(receiver, { type: 'invoice.paid', amount: 'x' }))).toEqual([422, 'schema_mismatch']);
    const [error] = reports[0] as Report;
    expect(error.code).toBe('schema_mismatch');
    expect(error.issues?.map((issue) => issue.path)).toEqual(['amount']);
  });

  it.each([
    ['an Error', new Error('boom')],
    ['a string', 'boom'],
    ['undefined', undefined],
  ])('a handler throwing %s → onError(handler_failed with cause = the thrown value, the delivery)', async (_label, thrown) => {
    const { receiver, reports } = observed();
    receiver.onAny(() => {
      throw thrown;
    });
    expect(outcome(await deliver(receiver, { type: 'other' }, { id: 'msg_err' }))).toEqual([500, 'handler_failed']);
    expect(reports).toHaveLength(1);
    const [error, delivery] = reports[0] as Report;
    expect(error.code).toBe('handler_failed');
    expect(error.cause).toBe(thrown);
    expect([delivery?.id, delivery?.type]).toEqual(['msg_err', 'other']);
  });

  it('in_flight refusals are reported with the delivery', async () => {
    const { receiver, reports } = observed();
    const release = deferred();
    const started = deferred();
    receiver.onAny(async () => {
      started.resolve();
      await release.promise;
    });
    const first = deliver(receiver, { type: 'x' }, { id: 'msg_if' });
    await started.promise;
    expect(outcome(await deliver(receiver, { type: 'x' }, { id: 'msg_if' }))).toEqual([409, 'in_flight']);
    release.resolve();
    await first;
    expect(reports.map(([error, delivery]) => [error.code, delivery?.id])).toEqual([['in_flight', 'msg_if']]);
  });

  it('an onError that throws does not change the answer, and later observers still run', async () => {
    const receiver = createReceiver({ provider: swh });
    const later: string[] = [];
    receiver.onError(() => {
      throw new Error('observer bug');
    });
    receiver.onError((error) => {
      later.push(error.code);
    });
    receiver.onAny(() => {
      throw new Error('handler bug');
    });
    expect(outcome(await deliver(receiver, { type: 'x' }))).toEqual([500, 'handler_failed']);
    expect(outcome(await receiver.receive({ method: 'PUT', headers: {}, body: '' }))).toEqual([405, 'method_not_allowed']);
    expect(later).toEqual(['handler_failed', 'method_not_allowed']);
  });

  it('an async onError that rejects does not change the answer nor leave an unhandled rejection', async () => {
    const receiver = createReceiver({ provider: swh });
    receiver.onError(async () => {
      throw new Error('async observer bug');
    });
    const result = await receiver.receive({ method: 'POST', headers: {}, body: '{}', now: NOW });
    expect(outcome(result)).toEqual([400, 'missing_header']);
    await settle();
    expect(unhandled).toEqual([]);
  });

  it('a successful delivery, a duplicate and an ignored type are not reported', async () => {
    const { receiver, reports } = observed();
    receiver.on('invoice.paid', () => undefined);
    await deliver(receiver, { type: 'invoice.paid', amount: 1 }, { id: 'msg_ok' });
    await deliver(receiver, { type: 'invoice.paid', amount: 1 }, { id: 'msg_ok' });
    await deliver(receiver, { type: 'nobody.listens' });
    expect(reports).toEqual([]);
  });

  it('receiver.fail(error) answers that error and reports it like any refusal', () => {
    const { receiver, reports } = observed();
    const error = new WebhookError('body_too_large', 'The body is larger than 10 bytes.');
    const result = receiver.fail(error);
    expect(outcome(result)).toEqual([413, 'body_too_large']);
    expect(reports).toEqual([[error, undefined]]);
  });
});
