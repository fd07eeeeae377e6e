import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createReceiver, providers, reply, type Delivery } from '../../../src/index.js';
import { signRequest } from '../../../src/testing/index.js';
import { NOW, deferred, deliver, json, outcome, swh } from './_helpers.js';

const invoicePaid = z.object({ type: z.literal('invoice.paid'), data: z.object({ id: z.string(), amount: z.number() }) });

describe('receive(): routing to on(type) handlers', () => {
  it('on(type) handler receives typed payload, id, type, timestamp, lower-cased headers, the exact raw bytes and the provider name', async () => {
    const receiver = createReceiver({ provider: swh, events: { 'invoice.paid': invoicePaid } });
    const seen: Delivery[] = [];
    receiver.on('invoice.paid', (delivery) => {
      seen.push(delivery);
    });
    const body = Buffer.from('{"type":"invoice.paid","data":{"id":"in_1","amount":500},"note":"caf\u00e9 \u2603"}');
    const signed = signRequest(swh, body, { timestamp: NOW, id: 'msg_route_1', headers: { 'X-Custom-Header': 'Yes' } });

    const result = await receiver.receive({ method: 'POST', headers: signed.headers, body: signed.body, now: NOW });

    expect(outcome(result)).toEqual([200, undefined]);
    expect(json(result)).toEqual({ ok: true });
    expect(seen).toHaveLength(1);
    const delivery = seen[0] as Delivery;
    // zod strips the unknown `note` key: the handler sees the schema's output, not the raw JSON.
    expect(delivery.payload).toEqual({ type: 'invoice.paid', data: { id: 'in_1', amount: 500 } });
    expect(delivery.id).toBe('msg_route_1');
    expect(delivery.type).toBe('invoice.paid');
    expect(delivery.timestamp).toBe(NOW);
    expect(delivery.provider).toBe('standard-webhooks');
    expect(delivery.headers['x-custom-header']).toBe('Yes');
    expect(delivery.headers['webhook-id']).toBe('msg_route_1');
    expect(Object.keys(delivery.headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(Buffer.from(delivery.rawBody).equals(body)).toBe(true);
  });

  it('a spread copy of the delivery keeps its headers ({ ...delivery }.headers)', async () => {
    const receiver = createReceiver({ provider: swh });
    let copy: Record<string, unknown> = {};
    receiver.onAny((delivery) => {
      copy = { ...delivery };
    });
    await deliver(receiver, { type: 'a' }, { headers: { 'X-Trace': 't1' } });
    expect((copy.headers as Record<string, string>)['x-trace']).toBe('t1');
  });

  it('a generic hmac provider routes by its type locator and reports its own name', async () => {
    const acme = providers.hmac({
      name: 'acme',
      secret: 'acme-secret',
      signatureHeader: 'x-acme-signature',
      signaturePrefix: 'sha256=',
      timestampHeader: 'x-acme-timestamp',
      idHeader: 'x-acme-id',
      signedContent: ({ timestamp, body }) => [`${timestamp}.`, body],
      locateType: (payload) => (payload as { event?: string }).event,
    });
    const receiver = createReceiver({ provider: acme });
    const seen: [string, string | undefined, string][] = [];
    receiver.on('order.created', (delivery) => {
      seen.push([delivery.type, delivery.id, delivery.provider]);
    });
    expect(outcome(await deliver(receiver, { event: 'order.created' }, { id: 'acme-1' }))).toEqual([200, undefined]);
    expect(seen).toEqual([['order.created', 'acme-1', 'acme']]);
  });

  it('several on(type) handlers and onAny all run, concurrently (each waits for the other to have started)', async () => {
    const receiver = createReceiver({ provider: swh });
    const firstStarted = deferred();
    const secondStarted = deferred();
    const ran: string[] = [];
    receiver.on('invoice.paid', async () => {
      firstStarted.resolve();
      await secondStarted.promise; // deadlocks (test timeout) if handlers ran one after the other
      ran.push('first');
    });
    receiver.on('invoice.paid', async () => {
      secondStarted.resolve();
      await firstStarted.promise;
      ran.push('second');
    });
    receiver.onAny(() => {
      ran.push('any');
    });
    const result = await deliver(receiver, { type: 'invoice.paid' });
    expect(outcome(result)).toEqual([200, undefined]);
    expect(ran.sort()).toEqual(['any', 'first', 'second']);
  }, 2_000);

  it('response body = first reply() in REGISTRATION order: onAny registered first replying "a" beats on(type) "b"', async () => {
    const receiver = createReceiver({ provider: swh });
    receiver.onAny(async () => {
      await new Promise((resolve) => setImmediate(resolve)); // finishes last, still wins
      return reply({ from: 'a' });
    });
    receiver.on('invoice.paid', () => reply({ from: 'b' }));
    expect(json(await deliver(receiver, { type: 'invoice.paid' }))).toEqual({ from: 'a' });
  });

  it('response body skips handlers that reply nothing: on(type) a plain row, onAny reply({ reply: 1 }) → { reply: 1 } (#13)', async () => {
    const receiver = createReceiver({ provider: swh });
    receiver.on('invoice.paid', () => ({ row: 'internal' }));
    receiver.onAny(() => reply({ reply: 1 }));
    receiver.on('invoice.paid', () => reply({ reply: 2 }));
    const result = await deliver(receiver, { type: 'invoice.paid' });
    expect(result.headers['content-type']).toMatch(/^application\/json/);
    expect(json(result)).toEqual({ reply: 1 });
  });

  it('reply(null) answers the JSON null (only a reply() sets the body)', async () => {
    const receiver = createReceiver({ provider: swh });
    receiver.onAny(() => reply(null));
    const result = await deliver(receiver, { type: 'x' });
    expect([result.status, result.body]).toEqual([200, 'null']);
  });

  it('a type with no handler → 200 {"ok":true,"ignored":true}, and other types\' handlers are not called', async () => {
    const receiver = createReceiver({ provider: swh });
    let called = 0;
    receiver.on('invoice.paid', () => {
      called++;
    });
    const result = await deliver(receiver, { type: 'invoice.voided' });
    expect([result.status, result.body]).toEqual([200, '{"ok":true,"ignored":true}']);
    expect(called).toBe(0);
  });

  it('a type with no handler and unhandled: "reject" → 422 schema_mismatch', async () => {
    const receiver = createReceiver({ provider: swh, unhandled: 'reject' });
    receiver.on('invoice.paid', () => undefined);
    expect(outcome(await deliver(receiver, { type: 'invoice.voided' }))).toEqual([422, 'schema_mismatch']);
  });

  it('a delivery with no type at all is ignored (200) or rejected (422) like any unhandled type', async () => {
    const ignoring = createReceiver({ provider: swh });
    ignoring.on('a', () => undefined);
    expect(json(await deliver(ignoring, { data: 1 }))).toEqual({ ok: true, ignored: true });
    const rejecting = createReceiver({ provider: swh, unhandled: 'reject' });
    expect(outcome(await deliver(rejecting, { data: 1 }))).toEqual([422, 'schema_mismatch']);
  });

  it('a receiver with only onAny never answers ignored, even with unhandled: "reject"', async () => {
    const receiver = createReceiver({ provider: swh, unhandled: 'reject' });
    const types: string[] = [];
    receiver.onAny((delivery) => {
      types.push(delivery.type);
    });
    const results = [await deliver(receiver, { type: 'a.b' }), await deliver(receiver, { type: 'c' })];
    expect(results.map((result) => [result.status, result.body])).toEqual([
      [200, '{"ok":true}'],
      [200, '{"ok":true}'],
    ]);
    expect(types).toEqual(['a.b', 'c']);
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'an event type named like an Object.prototype member (%s) is routed normally, not looked up on the prototype',
    async (type) => {
      const receiver = createReceiver({ provider: swh, events: { 'invoice.paid': invoicePaid } });
      const seen: string[] = [];
      receiver.onAny((delivery) => {
        seen.push(delivery.type);
      });
      expect(outcome(await deliver(receiver, { type }))).toEqual([200, undefined]);
      expect(seen).toEqual([type]);
    },
  );
});

describe('receive(): GitHub parent types', () => {
  const github = providers.github({ secret: 'gh-routing-secret' });
  const issueOpened = { action: 'opened', issue: { number: 7, title: 'Bug' } };

  it('issues.opened runs both the issues and the issues.opened handlers, and onAny', async () => {
    const receiver = createReceiver({ provider: github });
    const ran: string[] = [];
    receiver.on('issues', () => {
      ran.push('issues');
    });
    receiver.on('issues.opened', () => {
      ran.push('issues.opened');
    });
    receiver.on('issues.closed', () => {
      ran.push('issues.closed');
    });
    receiver.onAny((delivery) => {
      ran.push(`any:${delivery.type}`);
    });
    const result = await deliver(receiver, issueOpened, { type: 'issues.opened' });
    expect(outcome(result)).toEqual([200, undefined]);
    expect(ran.sort()).toEqual(['any:issues.opened', 'issues', 'issues.opened']);
  });

  it('each handler sees the type it was registered for and that type\'s schema output', async () => {
    const receiver = createReceiver({
      provider: github,
      events: {
        issues: z.object({ action: z.string() }).transform((payload) => ({ ...payload, via: 'issues' as const })),
        'issues.opened': z
          .object({ action: z.literal('opened'), issue: z.object({ number: z.number() }) })
          .transform((payload) => ({ ...payload, via: 'issues.opened' as const })),
      },
    });
    const seen: Record<string, unknown> = {};
    receiver.on('issues', (delivery) => {
      seen.issues = [delivery.type, delivery.payload.via];
    });
    receiver.on('issues.opened', (delivery) => {
      seen.opened = [delivery.type, delivery.payload.via, delivery.payload.issue.number];
    });
    receiver.onAny((delivery) => {
      seen.any = [delivery.type, (delivery.payload as { via: string }).via];
    });
    expect(outcome(await deliver(receiver, issueOpened, { type: 'issues.opened' }))).toEqual([200, undefined]);
    expect(seen).toEqual({
      issues: ['issues', 'issues'],
      opened: ['issues.opened', 'issues.opened', 7],
      any: ['issues.opened', 'issues.opened'],
    });
  });

  it('a payload failing the parent type\'s schema → 422 schema_mismatch and no handler runs', async () => {
    const receiver = createReceiver({ provider: github, events: { issues: z.object({ action: z.literal('closed') }) } });
    let called = 0;
    receiver.on('issues', () => {
      called++;
    });
    expect(outcome(await deliver(receiver, issueOpened, { type: 'issues.opened' }))).toEqual([422, 'schema_mismatch']);
    expect(called).toBe(0);
  });
});

describe('receive(): results', () => {
  it('each answer is a fresh object the caller may add headers to, never shared between requests', async () => {
    const receiver = createReceiver({ provider: swh });
    receiver.on('a', () => undefined);
    for (const payload of [{ type: 'a' }, { type: 'nobody' }]) {
      const first = await deliver(receiver, payload, { id: `msg_fresh_${payload.type}` });
      first.headers['access-control-allow-origin'] = '*';
      const second = await deliver(receiver, payload, { id: `msg_fresh_${payload.type}` });
      expect(second.headers['access-control-allow-origin']).toBeUndefined();
      expect(second).not.toBe(first);
    }
  });
});
