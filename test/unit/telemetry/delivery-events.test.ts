/**
 * receiver.onDelivery (#17 item 1): one event per delivery, whatever its outcome — handled,
 * duplicate, ignored, refused before or after verification — with provider, type, id, status
 * and the time spent in each stage. In-process, no HTTP.
 */
import { describe, expect, it } from 'vitest';
import { createReceiver, type DeliveryEvent } from '../../../src/index.js';
import { deliver, NOW, swh } from '../receiver/_helpers.js';

const paid = { type: 'invoice.paid', data: { id: 'in_1' } };

function observed(options: Parameters<typeof createReceiver>[0] = { provider: swh, openTelemetry: false }) {
  const receiver = createReceiver(options);
  const events: DeliveryEvent[] = [];
  receiver.onDelivery((event) => events.push(event));
  return { receiver, events };
}

describe('receiver.onDelivery()', () => {
  it('a handled delivery → outcome ok, 200, with provider, type, id and verify/validate/dedupe/handlers timings (#17)', async () => {
    const { receiver, events } = observed();
    receiver.on('invoice.paid', () => {});
    await deliver(receiver, paid, { id: 'msg_ok' });
    expect(events).toHaveLength(1);
    const [event] = events as [DeliveryEvent];
    expect(event).toMatchObject({ provider: 'standard-webhooks', type: 'invoice.paid', id: 'msg_ok', outcome: 'ok', status: 200 });
    expect(event.error).toBeUndefined();
    expect(Object.keys(event.stages).sort()).toEqual(['dedupe', 'handlers', 'validate', 'verify']);
    for (const ms of Object.values(event.stages)) expect(ms).toBeGreaterThanOrEqual(0);
    expect(event.durationMs).toBeGreaterThanOrEqual(event.stages.handlers ?? 0);
  });

  it('the same id again → outcome duplicate; a type with no handler → ignored, with its type (#17)', async () => {
    const { receiver, events } = observed();
    receiver.on('invoice.paid', () => {});
    await deliver(receiver, paid, { id: 'msg_dup' });
    await deliver(receiver, paid, { id: 'msg_dup' });
    await deliver(receiver, { type: 'invoice.payed' }, { id: 'msg_typo' });
    expect(events.map((e) => [e.outcome, e.status, e.type, e.id])).toEqual([
      ['ok', 200, 'invoice.paid', 'msg_dup'],
      ['duplicate', 200, 'invoice.paid', 'msg_dup'],
      ['ignored', 200, 'invoice.payed', 'msg_typo'],
    ]);
  });

  it('a forged signature → outcome signature_mismatch, 401, the error, no id or type (unverified), verify timed (#17)', async () => {
    const { receiver, events } = observed();
    const signed = deliver(receiver, paid, { id: 'msg_forged' });
    await signed;
    events.length = 0;
    const forged = await receiver.receive({ method: 'POST', headers: { 'webhook-id': 'msg_x', 'webhook-timestamp': String(NOW), 'webhook-signature': 'v1,AAAA' }, body: '{}', now: NOW });
    expect(forged.status).toBe(401);
    const [event] = events as [DeliveryEvent];
    expect(event).toMatchObject({ outcome: 'signature_mismatch', status: 401, id: undefined, type: undefined });
    expect(event.error?.code).toBe('signature_mismatch');
    expect(Object.keys(event.stages)).toEqual(['verify']);
  });

  it('a failing handler → outcome handler_failed, 500; method and adapter refusals are reported too (#17)', async () => {
    const { receiver, events } = observed();
    receiver.on('invoice.paid', () => {
      throw new Error('db down');
    });
    await deliver(receiver, paid, { id: 'msg_fail' });
    await receiver.receive({ method: 'GET', headers: {}, body: '' });
    receiver.fail(new Error('unreadable'));
    expect(events.map((e) => [e.outcome, e.status])).toEqual([
      ['handler_failed', 500],
      ['method_not_allowed', 405],
      ['handler_failed', 500],
    ]);
  });

  it('a listener that throws changes nothing: the answer stands and later listeners still run (#17)', async () => {
    const { receiver, events } = observed();
    receiver.onDelivery(() => {
      throw new Error('observer bug');
    });
    receiver.on('invoice.paid', () => {});
    const result = await deliver(receiver, paid, { id: 'msg_throwing_listener' });
    expect(result.status).toBe(200);
    expect(events).toHaveLength(1);
  });
});

describe('observers that throw', () => {
  it('a logger whose methods throw changes nothing: 200, and the refusal is still 401 (#17)', async () => {
    const boom = () => {
      throw new Error('logger down');
    };
    const receiver = createReceiver({ provider: swh, openTelemetry: false, logger: { debug: boom, info: boom, warn: boom, error: boom } });
    receiver.on('invoice.paid', () => {});
    expect((await deliver(receiver, paid, { id: 'msg_logger_throws' })).status).toBe(200);
    expect((await receiver.receive({ method: 'POST', headers: { 'webhook-id': 'm', 'webhook-timestamp': String(NOW), 'webhook-signature': 'v1,AAAA' }, body: '{}', now: NOW })).status).toBe(401);
  });
});
