import { describe, expect, it } from 'vitest';
import { createReceiver, isWebhookError, providers, reply } from '../../../src/index.js';
import { signRequest } from '../../../src/testing/index.js';
import { NOW, deliver, outcome, swh } from './_helpers.js';

const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Got it ✓</Message></Response>';

describe('reply(): a handler answering with other than a JSON body', () => {
  it('reply(TwiML, { contentType: "text/xml" }) → 200 with exactly that body and content type', async () => {
    const receiver = createReceiver({ provider: swh, dedupe: false });
    receiver.onAny(() => reply(TWIML, { contentType: 'text/xml' }));
    const result = await deliver(receiver, { type: 'sms' });
    expect([result.status, result.headers['content-type'], result.body]).toEqual([200, 'text/xml', TWIML]);
  });

  it('reply(object, { status: 202, headers }) → 202 JSON, header names lower-cased', async () => {
    const receiver = createReceiver({ provider: swh, dedupe: false });
    receiver.onAny(() => reply({ accepted: true }, { status: 202, headers: { 'X-Request-Id': 'abc' } }));
    const result = await deliver(receiver, { type: 'x' });
    expect([result.status, result.body, result.headers['x-request-id']]).toEqual([202, '{"accepted":true}', 'abc']);
    expect(result.headers['content-type']).toMatch(/^application\/json/);
  });

  it('a string reply defaults to text/plain', async () => {
    const receiver = createReceiver({ provider: swh, dedupe: false });
    receiver.onAny(() => reply('pong'));
    const result = await deliver(receiver, { type: 'x' });
    expect([result.status, result.headers['content-type'], result.body]).toEqual([200, 'text/plain; charset=utf-8', 'pong']);
  });

  it('each answer is a fresh object: changing one does not change the next', async () => {
    const receiver = createReceiver({ provider: swh, dedupe: false });
    const shared = reply('same');
    receiver.onAny(() => shared);
    const first = await deliver(receiver, { type: 'x' });
    first.headers['x-added'] = '1';
    const second = await deliver(receiver, { type: 'x' });
    expect(second.headers['x-added']).toBeUndefined();
  });

  it('reply() with a non-2xx status throws misconfigured; thrown in a handler it answers 500 handler_failed', async () => {
    let thrown: unknown;
    try {
      reply('nope', { status: 404 });
    } catch (error) {
      thrown = error;
    }
    expect(isWebhookError(thrown) && [thrown.code, thrown.status]).toEqual(['misconfigured', 500]);
    const receiver = createReceiver({ provider: swh });
    receiver.onAny(() => reply('nope', { status: 302 }));
    expect(outcome(await deliver(receiver, { type: 'x' }))).toEqual([500, 'handler_failed']);
  });

  it('Twilio: a voice webhook handler answers TwiML', async () => {
    const twilio = providers.twilio({ authToken: 'twilio-auth-token-0123456789abcd' });
    const receiver = createReceiver({ provider: twilio, dedupe: false });
    receiver.onAny(() => reply('<Response><Say>Hello</Say></Response>', { contentType: 'text/xml' }));
    const url = 'https://example.com/twilio/voice';
    const signed = signRequest(twilio, 'CallSid=CA123&CallStatus=ringing&From=%2B14155550100', { url, timestamp: NOW });
    const result = await receiver.receive({ method: 'POST', url, headers: { ...signed.headers, 'content-type': 'application/x-www-form-urlencoded' }, body: signed.body, now: NOW });
    expect([result.status, result.headers['content-type'], result.body]).toEqual([200, 'text/xml', '<Response><Say>Hello</Say></Response>']);
  });
});
