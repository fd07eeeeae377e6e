import { describe, expect, it } from 'vitest';
import { createReceiver, providers } from '../../../src/index.js';
import { generateEd25519KeyPair, signRequest } from '../../../src/testing/index.js';
import { NOW, deliver, json, outcome } from './_helpers.js';

describe('receive(): Slack url_verification handshake', () => {
  const slack = providers.slack({ signingSecret: 'slack-signing-secret-8f2a' });
  const impostor = providers.slack({ signingSecret: 'not-the-signing-secret' });
  const CHALLENGE = 'chall3nge-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P';
  const verification = { token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: CHALLENGE, type: 'url_verification' };

  function slackReceiver() {
    const receiver = createReceiver({ provider: slack });
    let calls = 0;
    receiver.onAny(() => {
      calls++;
      return 'handler reply';
    });
    return { receiver, calls: () => calls };
  }

  it('a correctly signed url_verification → 200 with exactly the challenge, and no handler runs', async () => {
    const { receiver, calls } = slackReceiver();
    const result = await deliver(receiver, verification);
    expect([result.status, result.body]).toEqual([200, CHALLENGE]);
    expect(result.headers['content-type']).toMatch(/^text\/plain/);
    expect(calls()).toBe(0);
  });

  it('an unsigned url_verification → 400 missing_header, and the challenge is not echoed', async () => {
    const { receiver } = slackReceiver();
    const result = await receiver.receive({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(verification), now: NOW });
    expect(outcome(result)).toEqual([400, 'missing_header']);
    expect(result.body).not.toContain(CHALLENGE);
  });

  it('a url_verification signed with the wrong secret → 401 signature_mismatch, and the challenge is not echoed', async () => {
    const { receiver } = slackReceiver();
    const signed = signRequest(impostor, verification, { timestamp: NOW });
    const result = await receiver.receive({ method: 'POST', headers: signed.headers, body: signed.body, now: NOW });
    expect(outcome(result)).toEqual([401, 'signature_mismatch']);
    expect(result.body).not.toContain(CHALLENGE);
  });

  it('a stale url_verification → 401 timestamp_too_old, and the challenge is not echoed', async () => {
    const { receiver } = slackReceiver();
    const result = await deliver(receiver, verification, { now: NOW + 301 });
    expect(outcome(result)).toEqual([401, 'timestamp_too_old']);
    expect(result.body).not.toContain(CHALLENGE);
  });

  it('a Slack event_callback is routed by event.type to its handler', async () => {
    const receiver = createReceiver({ provider: slack });
    const seen: [string, string | undefined][] = [];
    receiver.on('app_mention', (delivery) => {
      seen.push([delivery.type, delivery.id]);
    });
    const result = await deliver(receiver, { type: 'event_callback', event_id: 'Ev123', event: { type: 'app_mention', text: 'hi' } });
    expect(outcome(result)).toEqual([200, undefined]);
    expect(seen).toEqual([['app_mention', 'Ev123']]);
  });
});

describe('receive(): Discord interactions', () => {
  const keys = generateEd25519KeyPair(new Uint8Array(32).fill(7));
  const discord = providers.discord({ ...keys });
  const otherKeys = generateEd25519KeyPair(new Uint8Array(32).fill(8));
  const impostor = providers.discord({ ...otherKeys });

  it('a signed PING → 200 with exactly {"type":1}, and no handler runs', async () => {
    const receiver = createReceiver({ provider: discord });
    let calls = 0;
    receiver.onAny(() => {
      calls++;
      return { type: 4 };
    });
    const result = await deliver(receiver, { id: '1', application_id: '2', type: 1, version: 1 });
    expect([result.status, result.body]).toEqual([200, '{"type":1}']);
    expect(result.headers['content-type']).toMatch(/^application\/json/);
    expect(calls).toBe(0);
  });

  it('a PING signed with another key → 401 signature_mismatch; unsigned → 400 missing_header', async () => {
    const receiver = createReceiver({ provider: discord });
    const forged = signRequest(impostor, { id: '1', type: 1 }, { timestamp: NOW });
    expect(outcome(await receiver.receive({ method: 'POST', headers: forged.headers, body: forged.body, now: NOW }))).toEqual([401, 'signature_mismatch']);
    expect(outcome(await receiver.receive({ method: 'POST', headers: {}, body: '{"id":"1","type":1}', now: NOW }))).toEqual([400, 'missing_header']);
  });

  it('APPLICATION_COMMAND: the handler\'s return value is the whole response JSON', async () => {
    const receiver = createReceiver({ provider: discord });
    const seen: [string, string | undefined][] = [];
    receiver.on('APPLICATION_COMMAND', (delivery) => {
      seen.push([delivery.type, delivery.id]);
      return { type: 4, data: { content: 'pong' } };
    });
    const result = await deliver(receiver, { id: '998877', application_id: '2', type: 2, data: { name: 'ping' } });
    expect([result.status, json(result)]).toEqual([200, { type: 4, data: { content: 'pong' } }]);
    expect(result.body).toBe('{"type":4,"data":{"content":"pong"}}');
    expect(seen).toEqual([['APPLICATION_COMMAND', '998877']]);
  });

  it('webhook-event PING (type 0) → 204 with no body, and no handler runs', async () => {
    const receiver = createReceiver({ provider: discord });
    let calls = 0;
    receiver.onAny(() => {
      calls++;
    });
    const result = await deliver(receiver, { version: 1, application_id: '2', type: 0 });
    expect([result.status, result.body]).toEqual([204, '']);
    expect(calls).toBe(0);
  });

  it('webhook event (type 1 with event): handled, then acknowledged with 204 and no body', async () => {
    const receiver = createReceiver({ provider: discord });
    const seen: string[] = [];
    receiver.on('APPLICATION_AUTHORIZED', (delivery) => {
      seen.push(delivery.type);
    });
    const event = { version: 1, application_id: '2', type: 1, event: { type: 'APPLICATION_AUTHORIZED', timestamp: '2025-01-01T13:00:05Z', data: {} } };
    const result = await deliver(receiver, event);
    expect([result.status, result.body]).toEqual([204, '']);
    expect(seen).toEqual(['APPLICATION_AUTHORIZED']);
  });

  it('webhook event whose handler throws → 500 handler_failed, not 204', async () => {
    const receiver = createReceiver({ provider: discord });
    receiver.on('APPLICATION_AUTHORIZED', () => {
      throw new Error('boom');
    });
    const event = { version: 1, application_id: '2', type: 1, event: { type: 'APPLICATION_AUTHORIZED', data: {} } };
    expect(outcome(await deliver(receiver, event))).toEqual([500, 'handler_failed']);
  });
});
