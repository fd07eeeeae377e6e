/**
 * onHandlerError (#17 item 5), through a real Express server on 127.0.0.1: 'retry' (default)
 * answers 500 and releases the id so the retry runs; 'acknowledge' answers 200, keeps the id
 * done (the retry is a duplicate) and still reports the failure to onDelivery, onError and the log.
 */
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { expressMiddleware } from '../../src/adapters/express.js';
import { createReceiver, providers, type DeliveryEvent, type Logger, type Receiver, type WebhookError } from '../../src/index.js';
import { signRequest } from '../../src/testing/index.js';
import { listen, type Listening } from '../helpers/server.js';

const swh = providers.standardWebhooks({ secret: `whsec_${Buffer.from('failure-policy-secret-32-bytes!!').toString('base64')}` });
const servers: Listening[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(receiver: Receiver): Promise<string> {
  const app = express();
  app.post('/webhooks', expressMiddleware(receiver));
  const server = await listen(app);
  servers.push(server);
  return `${server.url}/webhooks`;
}

async function post(url: string, id: string): Promise<[number, unknown]> {
  const signed = signRequest(swh, { type: 'invoice.paid' }, { id });
  const response = await fetch(url, { method: 'POST', headers: signed.headers, body: signed.body });
  return [response.status, await response.json()];
}

function failingOnce(receiver: Receiver): { calls: () => number } {
  let calls = 0;
  receiver.on('invoice.paid', () => {
    calls++;
    if (calls === 1) throw new Error('downstream refused');
  });
  return { calls: () => calls };
}

describe('onHandlerError through Express', () => {
  it("'retry' (default): a failing handler → [500, handler_failed], the retry runs the handler again → 200 (#17)", async () => {
    const receiver = createReceiver({ provider: swh, openTelemetry: false });
    const handler = failingOnce(receiver);
    const url = await serve(receiver);
    const [status, body] = await post(url, 'msg_retry');
    expect([status, (body as { error: { code: string } }).error.code]).toEqual([500, 'handler_failed']);
    expect(await post(url, 'msg_retry')).toEqual([200, { ok: true }]);
    expect(handler.calls()).toBe(2);
  });

  it("'acknowledge': a failing handler → 200 {ok:true}, the id kept (retry → duplicate), the failure reported to onDelivery, onError and the log (#17)", async () => {
    const lines: string[] = [];
    const logger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: (message, fields) => lines.push(`${message} ${JSON.stringify(fields)}`) };
    const receiver = createReceiver({ provider: swh, onHandlerError: 'acknowledge', logger, openTelemetry: false });
    const handler = failingOnce(receiver);
    const events: DeliveryEvent[] = [];
    const errors: WebhookError[] = [];
    receiver.onDelivery((event) => events.push(event));
    receiver.onError((error) => errors.push(error));
    const url = await serve(receiver);

    expect(await post(url, 'msg_ack')).toEqual([200, { ok: true }]);
    expect(await post(url, 'msg_ack')).toEqual([200, { ok: true, duplicate: true }]);
    expect(handler.calls()).toBe(1);
    expect(events.map((e) => [e.outcome, e.status, e.id])).toEqual([
      ['handler_failed', 200, 'msg_ack'],
      ['duplicate', 200, 'msg_ack'],
    ]);
    expect((events[0]?.error?.cause as Error).message).toBe('downstream refused');
    expect(errors.map((e) => e.code)).toEqual(['handler_failed']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('handler_failed');
    expect(lines[0]).toContain('downstream refused');
  });

  it("'acknowledge' leaves handler_timeout alone: 503 and the id released (#17)", async () => {
    const receiver = createReceiver({ provider: swh, onHandlerError: 'acknowledge', handlerTimeoutMs: 50, openTelemetry: false });
    receiver.on('invoice.paid', () => new Promise(() => {}));
    const url = await serve(receiver);
    const [status, body] = await post(url, 'msg_slow');
    expect([status, (body as { error: { code: string } }).error.code]).toEqual([503, 'handler_timeout']);
  });

  it('an unknown onHandlerError value throws misconfigured at start-up, naming the option (#17)', () => {
    expect(() => createReceiver({ provider: swh, onHandlerError: 'ignore' as never })).toThrow(/onHandlerError/);
  });
});
