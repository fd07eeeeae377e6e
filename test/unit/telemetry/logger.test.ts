/**
 * The `logger` option (#17 item 3): a child logger per delivery handed to handlers as
 * `delivery.log`, a line per delivery, and never a secret or an expected signature in a line.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createReceiver, providers, type LogFields, type Logger } from '../../../src/index.js';
import { signRequest } from '../../../src/testing/index.js';
import { deliver, NOW, SECRET, SECRET_BYTES, swh } from '../receiver/_helpers.js';

interface Line {
  level: string;
  message: string;
  fields: LogFields | undefined;
}

/** A logger recording every line, with a `child` that binds fields as pino's does. */
function recorder(lines: Line[], bound: LogFields = {}, withChild = true): Logger {
  const at = (level: string) => (message: string, fields?: LogFields) => lines.push({ level, message, fields: { ...bound, ...fields } });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  if (withChild) logger.child = (fields) => recorder(lines, { ...bound, ...fields });
  return logger;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('logger option', () => {
  it('delivery.log is logger.child({ provider, id, type }); the receiver logs each outcome (#17)', async () => {
    const lines: Line[] = [];
    const receiver = createReceiver({ provider: swh, logger: recorder(lines), openTelemetry: false });
    receiver.on('invoice.paid', ({ log }) => log.info('charging'));
    await deliver(receiver, { type: 'invoice.paid' }, { id: 'msg_log' });
    expect(lines).toContainEqual({ level: 'info', message: 'charging', fields: { provider: 'standard-webhooks', id: 'msg_log', type: 'invoice.paid' } });
    const done = lines.find((line) => line.level === 'debug');
    expect(done?.fields).toMatchObject({ provider: 'standard-webhooks', id: 'msg_log', type: 'invoice.paid', outcome: 'ok', status: 200 });
  });

  it('a logger without child (console-like) gets the fields on every line of delivery.log (#17)', async () => {
    const lines: Line[] = [];
    const receiver = createReceiver({ provider: swh, logger: recorder(lines, {}, false), openTelemetry: false });
    receiver.on('invoice.paid', ({ log }) => log.warn('slow', { ms: 5 }));
    await deliver(receiver, { type: 'invoice.paid' }, { id: 'msg_nochild' });
    expect(lines).toContainEqual({ level: 'warn', message: 'slow', fields: { provider: 'standard-webhooks', id: 'msg_nochild', type: 'invoice.paid', ms: 5 } });
  });

  it('default: silent (delivery.log too), but a misconfiguration warns once per delivery on console.warn; false: nothing (#17)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const receiver = createReceiver({ provider: swh, openTelemetry: false });
    receiver.on('invoice.paid', ({ log: deliveryLog }) => deliveryLog.error('not shown'));
    await deliver(receiver, { type: 'invoice.paid' }, { id: 'msg_default' });
    await receiver.receive({ method: 'POST', headers: {}, body: 'x' });
    expect(warn).not.toHaveBeenCalled();
    receiver.fail(new (await import('../../../src/index.js')).WebhookError('misconfigured', 'express.json() consumed the body.'));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain('express.json() consumed the body.');

    const quiet = createReceiver({ provider: swh, logger: false, openTelemetry: false });
    quiet.fail(new (await import('../../../src/index.js')).WebhookError('misconfigured', 'again'));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(log).not.toHaveBeenCalled();
  });

  it('no line holds the secret, its key bytes or the expected signature, for forged, stale and good deliveries (#17)', async () => {
    const lines: Line[] = [];
    const receiver = createReceiver({ provider: swh, logger: recorder(lines), openTelemetry: false });
    receiver.on('invoice.paid', () => {
      throw new Error('handler broke');
    });
    const body = JSON.stringify({ type: 'invoice.paid' });
    const expected = createHmac('sha256', SECRET_BYTES).update(`msg_leak.${NOW}.${body}`).digest('base64');
    await receiver.receive({ method: 'POST', headers: { 'webhook-id': 'msg_leak', 'webhook-timestamp': String(NOW), 'webhook-signature': 'v1,AAAA' }, body, now: NOW });
    await deliver(receiver, { type: 'invoice.paid' }, { id: 'msg_stale', now: NOW + 10_000 });
    await deliver(receiver, { type: 'invoice.paid' }, { id: 'msg_leak' });
    const stripe = providers.stripe({ secret: 'sk_test_stripe_secret_value' });
    const stripeReceiver = createReceiver({ provider: stripe, logger: recorder(lines), openTelemetry: false });
    const signed = signRequest(stripe, { id: 'evt_1', type: 'x' }, { timestamp: NOW });
    await stripeReceiver.receive({ method: 'POST', headers: { ...signed.headers, 'stripe-signature': `t=${NOW},v1=${'0'.repeat(64)}` }, body: signed.body, now: NOW });

    const text = JSON.stringify(lines);
    expect(lines.map((line) => line.fields?.outcome)).toEqual(['signature_mismatch', 'timestamp_too_old', 'handler_failed', 'signature_mismatch']);
    for (const secret of [SECRET, SECRET_BYTES.toString('base64'), SECRET_BYTES.toString('hex'), expected, 'sk_test_stripe_secret_value', String(signed.headers['stripe-signature']).split('v1=')[1]]) {
      expect(text).not.toContain(secret);
    }
  });
});
