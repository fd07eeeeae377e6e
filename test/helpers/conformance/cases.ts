/**
 * The conformance table: every case is one or more requests with the exact answers expected,
 * run against every adapter. A case's `setup` builds a fresh receiver (own dedupe store) and
 * signs fresh requests each time it runs, so every adapter gets the same case from scratch.
 */
import { deflateSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { createReceiver } from '../../../src/receiver/create-receiver.js';
import { reply } from '../../../src/receiver/reply.js';
import type { Receiver, ReceiverOptions } from '../../../src/receiver/types.js';
import type { Provider } from '../../../src/providers/types.js';
import type { DedupeStore } from '../../../src/stores/types.js';
import { SENDERS, STRANGERS, now, signed } from './senders.js';
import { PATH, type CaseRun, type ConformanceCase, type Expectation, type WireRequest } from './types.js';

const OK = { status: 200, json: { ok: true } } as const;
const refused = (status: number, code: string, extra: Partial<Expectation> = {}): Expectation => ({ status, code, ...extra });

const invoice = (amount: unknown = 4200, id = 'in_1') => ({ type: 'invoice.paid', data: { id, amount } });
const sw = SENDERS.standardWebhooks;

/** A receiver for `provider` that counts what its handlers saw. */
function counted(provider: Provider, options: Partial<ReceiverOptions> = {}) {
  const receiver = createReceiver({ provider, ...options });
  const bodies: Buffer[] = [];
  return { receiver, bodies, record: (rawBody: Uint8Array) => void bodies.push(Buffer.from(rawBody)) };
}

/** One request, one answer; `verify` checks what the handlers saw. */
function single(
  name: string,
  expect: Expectation,
  build: () => { receiver: Receiver<any>; request: WireRequest; verify?: () => void },
): ConformanceCase {
  return {
    name,
    expect: [expect],
    setup(): CaseRun {
      const { receiver, request, verify } = build();
      return { receiver, run: async (send) => [await send(request)], ...(verify ? { verify } : {}) };
    },
  };
}

/** A request, and the bytes its sender signed when they differ from the wire bytes (a compressed body). */
type Built = WireRequest & { signedBody?: Buffer };

/** A case whose receiver handles `type` (returning nothing): handled once, over exactly the signed bytes. */
function accepted(name: string, provider: Provider, type: string, request: () => Built, expect: Expectation = OK): ConformanceCase {
  return single(name, expect, () => {
    const { receiver, bodies, record } = counted(provider);
    receiver.on(type, (delivery) => record(delivery.rawBody));
    const { signedBody, ...req } = request();
    const expected = signedBody ?? req.body;
    return {
      receiver,
      request: req,
      verify: () => {
        assert(bodies.length === 1, `the handler ran ${bodies.length} times, not once`);
        assert(bodies[0]?.equals(expected) === true, 'the handler saw other bytes than the sender signed');
      },
    };
  });
}

function assert(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** A body of exactly `size` bytes that is a valid `invoice.paid` JSON payload. */
function invoiceOfSize(size: number): Buffer {
  const base = JSON.stringify({ type: 'invoice.paid', data: { id: 'in_1', amount: 1, note: '' } });
  return Buffer.from(base.replace('"note":""', `"note":"${'x'.repeat(size - base.length)}"`));
}

const brokenStore: DedupeStore = {
  claim() {
    throw new Error('ECONNREFUSED redis://cache:6379');
  },
  complete() {},
  release() {},
};

const SLACK_CHALLENGE = '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P';

export const CASES: readonly ConformanceCase[] = [
  // ── A valid delivery of every preset ─────────────────────────────────────────────────────────
  accepted('standardWebhooks: valid delivery → 200 {"ok":true}', sw, 'invoice.paid', () => signed(sw, invoice())),
  accepted('svix (headerPrefix): valid delivery → 200', SENDERS.svix, 'invoice.paid', () => signed(SENDERS.svix, invoice())),
  accepted('stripe: valid delivery → 200', SENDERS.stripe, 'payment_intent.succeeded', () =>
    signed(SENDERS.stripe, { id: 'evt_1', object: 'event', type: 'payment_intent.succeeded', data: { object: { id: 'pi_1' } } }),
  ),
  accepted('github: valid JSON delivery (issues.opened) → 200', SENDERS.github, 'issues.opened', () =>
    signed(SENDERS.github, { action: 'opened', issue: { number: 1 } }, { type: 'issues' }),
  ),
  accepted('github: valid urlencoded delivery (payload=<json>) → 200', SENDERS.github, 'issues', () =>
    signed(SENDERS.github, `payload=${encodeURIComponent(JSON.stringify({ action: 'closed', issue: { number: 2 } }))}`, {
      type: 'issues',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
  ),
  accepted('slack: valid Events API delivery → 200', SENDERS.slack, 'app_mention', () =>
    signed(SENDERS.slack, { type: 'event_callback', event_id: 'Ev1', event: { type: 'app_mention', text: 'hi <@U1>' } }),
  ),
  accepted('shopify: valid delivery → 200', SENDERS.shopify, 'orders/create', () =>
    signed(SENDERS.shopify, { id: 820982911946154500, email: 'jon@example.com' }, { type: 'orders/create' }),
  ),
  accepted('discord: valid APPLICATION_COMMAND → 200', SENDERS.discord, 'APPLICATION_COMMAND', () =>
    signed(SENDERS.discord, { id: '1', type: 2, data: { name: 'ping' } }),
  ),
  accepted('standardWebhooks: unicode and CRLF in the body, verified byte for byte → 200', sw, 'invoice.paid', () =>
    signed(sw, '{"type":"invoice.paid","data":{"id":"in_ü€😀","amount":1}}\r\n'),
  ),
  accepted('a query string on the URL → 200', sw, 'invoice.paid', () => signed(sw, invoice(), { path: `${PATH}?attempt=2&source=retry` })),
  accepted('no Content-Type at all → 200', sw, 'invoice.paid', () => signed(sw, invoice(), { headers: { 'content-type': undefined } })),
  accepted('Content-Type: application/octet-stream → 200', sw, 'invoice.paid', () =>
    signed(sw, invoice(), { headers: { 'content-type': 'application/octet-stream' } }),
  ),
  accepted('a malformed Content-Type ("nonsense") → 200: no framework refuses it first', sw, 'invoice.paid', () =>
    signed(sw, invoice(), { headers: { 'content-type': 'nonsense' } }),
  ),

  // ── Content-Encoding ─────────────────────────────────────────────────────────────────────────
  accepted('gzip body, verified as the uncompressed bytes → 200', sw, 'invoice.paid', () => {
    const req = signed(sw, invoice());
    return { ...req, headers: { ...req.headers, 'content-encoding': 'gzip' }, body: gzipSync(req.body), signedBody: req.body };
  }),
  accepted('deflate body → 200', sw, 'invoice.paid', () => {
    const req = signed(sw, invoice());
    return { ...req, headers: { ...req.headers, 'content-encoding': 'deflate' }, body: deflateSync(req.body), signedBody: req.body };
  }),
  single('corrupt gzip body → [400, invalid_body]', refused(400, 'invalid_body'), () => {
    const req = signed(sw, invoice());
    return { receiver: createReceiver({ provider: sw }), request: { ...req, headers: { ...req.headers, 'content-encoding': 'gzip' }, body: Buffer.from('not gzip at all') } };
  }),
  single('unknown Content-Encoding (zstd) → [400, invalid_body]', refused(400, 'invalid_body'), () => ({
    receiver: createReceiver({ provider: sw }),
    request: signed(sw, invoice(), { headers: { 'content-encoding': 'zstd' } }),
  })),

  // ── Handshakes ───────────────────────────────────────────────────────────────────────────────
  single('slack url_verification → 200 text/plain challenge', { status: 200, text: SLACK_CHALLENGE, headers: { 'content-type': 'text/plain; charset=utf-8' } }, () => ({
    receiver: createReceiver({ provider: SENDERS.slack }),
    request: signed(SENDERS.slack, { token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: SLACK_CHALLENGE, type: 'url_verification' }),
  })),
  single('slack url_verification signed with another secret → [401, signature_mismatch], no challenge', refused(401, 'signature_mismatch'), () => ({
    receiver: createReceiver({ provider: SENDERS.slack }),
    request: signed(SENDERS.slack, { challenge: SLACK_CHALLENGE, type: 'url_verification' }, { signer: STRANGERS.slack }),
  })),
  single('discord PING → 200 exactly {"type":1}', { status: 200, text: '{"type":1}' }, () => ({
    receiver: createReceiver({ provider: SENDERS.discord }),
    request: signed(SENDERS.discord, { id: '2', type: 1, application_id: '3', token: 't' }),
  })),
  single('discord PING without a signature → [400, missing_header]', refused(400, 'missing_header'), () => ({
    receiver: createReceiver({ provider: SENDERS.discord }),
    request: signed(SENDERS.discord, { id: '2', type: 1 }, { headers: { 'x-signature-ed25519': undefined } }),
  })),
  single('discord webhook-event PING (type 0) → 204, no body', { status: 204, text: '', headers: {} }, () => ({
    receiver: createReceiver({ provider: SENDERS.discord }),
    request: signed(SENDERS.discord, { version: 1, application_id: '3', type: 0 }),
  })),

  // ── Handler return values ────────────────────────────────────────────────────────────────────
  single('discord: the handler’s interaction response is the whole JSON body', { status: 200, json: { type: 4, data: { content: 'pong' } } }, () => {
    const receiver = createReceiver({ provider: SENDERS.discord });
    receiver.on('APPLICATION_COMMAND', () => ({ type: 4, data: { content: 'pong' } }));
    return { receiver, request: signed(SENDERS.discord, { id: '4', type: 2, data: { name: 'ping' } }) };
  }),
  single('slack slash command (form body): the handler’s reply is the JSON body', { status: 200, json: { response_type: 'ephemeral', text: 'Deploying prod' } }, () => {
    const receiver = createReceiver({ provider: SENDERS.slack });
    receiver.on('/deploy', ({ payload }) => ({ response_type: 'ephemeral', text: `Deploying ${(payload as { text: string }).text}` }));
    return { receiver, request: signed(SENDERS.slack, 'command=%2Fdeploy&text=prod&user_id=U1&response_url=https%3A%2F%2Fhooks.slack.com%2Fx') };
  }),
  single('standardWebhooks: a handler\u2019s returned row never reaches the sender → 200 {"ok":true} (#13)', OK, () => {
    const receiver = createReceiver({ provider: sw });
    receiver.on('invoice.paid', ({ payload }) => ({ id: (payload as ReturnType<typeof invoice>).data.id, customer_email: 'a@example.com', card_last4: '4242' }));
    return { receiver, request: signed(sw, invoice()) };
  }),
  single('standardWebhooks: the first reply() is the JSON body', { status: 200, json: { received: 'in_1', queued: true } }, () => {
    const receiver = createReceiver({ provider: sw });
    receiver.on('invoice.paid', ({ payload }) => reply({ received: (payload as ReturnType<typeof invoice>).data.id, queued: true }));
    receiver.onAny(() => ({ internal: 'row' }));
    return { receiver, request: signed(sw, invoice()) };
  }),
  single('standardWebhooks: reply() of a BigInt after the work is done → 200 {"ok":true}, not a 500 retry (#13)', OK, () => {
    const receiver = createReceiver({ provider: sw });
    receiver.on('invoice.paid', () => reply({ amount: 4200n }));
    return { receiver, request: signed(sw, invoice()) };
  }),
  single('slack Events API: a handler\u2019s return value is not the reply → 200 {"ok":true} (#13)', OK, () => {
    const receiver = createReceiver({ provider: SENDERS.slack });
    receiver.on('app_mention', () => ({ user: 'U1', token: 'xoxb-internal' }));
    return { receiver, request: signed(SENDERS.slack, { type: 'event_callback', event_id: 'Ev1', event: { type: 'app_mention', text: 'hi' } }) };
  }),
  single('slack interactivity (payload=<json>): the handler\u2019s return value is the JSON body (#13)', { status: 200, json: { response_action: 'clear' } }, () => {
    const receiver = createReceiver({ provider: SENDERS.slack });
    receiver.on('view_submission', () => ({ response_action: 'clear' }));
    const payload = encodeURIComponent(JSON.stringify({ type: 'view_submission', user: { id: 'U1' }, view: { id: 'V1' } }));
    return { receiver, request: signed(SENDERS.slack, `payload=${payload}`) };
  }),
  single('discord webhook event: always 204 with no body, whatever the handler returns or replies (#13)', { status: 204, text: '', headers: {} }, () => {
    const receiver = createReceiver({ provider: SENDERS.discord });
    receiver.on('APPLICATION_AUTHORIZED', () => ({ secret: 'row' }));
    receiver.onAny(() => reply({ also: 'ignored' }));
    return { receiver, request: signed(SENDERS.discord, { version: 1, application_id: '3', type: 1, event: { type: 'APPLICATION_AUTHORIZED', timestamp: '2024-10-18T14:42:53.064834', data: {} } }) };
  }),
  single('an event type with no handler → 200 {"ok":true,"ignored":true}', { status: 200, json: { ok: true, ignored: true } }, () => {
    const receiver = createReceiver({ provider: sw });
    receiver.on('invoice.paid', () => undefined);
    return { receiver, request: signed(sw, { type: 'customer.created', data: {} }) };
  }),

  // ── Every error code that can arise over HTTP ────────────────────────────────────────────────
  single('missing webhook-signature → [400, missing_header]', refused(400, 'missing_header'), () => ({
    receiver: createReceiver({ provider: sw }),
    request: signed(sw, invoice(), { headers: { 'webhook-signature': undefined } }),
  })),
  single('non-numeric webhook-timestamp → [400, malformed_header]', refused(400, 'malformed_header'), () => ({
    receiver: createReceiver({ provider: sw }),
    request: signed(sw, invoice(), { headers: { 'webhook-timestamp': 'yesterday' } }),
  })),
  single('a signed body that is not JSON → [400, invalid_body]', refused(400, 'invalid_body'), () => ({
    receiver: createReceiver({ provider: sw }),
    request: signed(sw, 'this is not json'),
  })),
  single('signed bytes that are not UTF-8, arriving intact → [400, invalid_body] (a mangled body would be 401)', refused(400, 'invalid_body'), () => ({
    receiver: createReceiver({ provider: sw }),
    request: signed(sw, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x80, 0x22, 0x7d])),
  })),
  single('a signed empty body → [400, invalid_body]', refused(400, 'invalid_body'), () => ({
    receiver: createReceiver({ provider: sw }),
    request: signed(sw, Buffer.alloc(0)),
  })),
  single('signed with another secret → [401, signature_mismatch]', refused(401, 'signature_mismatch'), () => ({
    receiver: createReceiver({ provider: sw }),
    request: signed(sw, invoice(), { signer: STRANGERS.standardWebhooks }),
  })),
  single('a body changed after signing → [401, signature_mismatch]', refused(401, 'signature_mismatch'), () => ({
    receiver: createReceiver({ provider: sw }),
    request: { ...signed(sw, invoice()), body: Buffer.from(JSON.stringify(invoice(9999))) },
  })),
  single('signed an hour ago → [401, timestamp_too_old]', refused(401, 'timestamp_too_old'), () => ({
    receiver: createReceiver({ provider: sw }),
    request: signed(sw, invoice(), { timestamp: now() - 3600 }),
  })),
  single('signed an hour ahead → [401, timestamp_in_future]', refused(401, 'timestamp_in_future'), () => ({
    receiver: createReceiver({ provider: sw }),
    request: signed(sw, invoice(), { timestamp: now() + 3600 }),
  })),
  single('GET → [405, method_not_allowed] with Allow: POST', refused(405, 'method_not_allowed', { headers: { 'content-type': 'application/json; charset=utf-8', allow: 'POST' } }), () => ({
    receiver: createReceiver({ provider: sw }),
    request: { method: 'GET', path: PATH, headers: {}, body: Buffer.alloc(0) },
  })),
  single('PUT with a signed body → [405, method_not_allowed] with Allow: POST, no handler runs', refused(405, 'method_not_allowed', { headers: { 'content-type': 'application/json; charset=utf-8', allow: 'POST' } }), () => {
    const receiver = createReceiver({ provider: sw });
    let calls = 0;
    receiver.onAny(() => void (calls += 1));
    return { receiver, request: signed(sw, invoice(), { method: 'PUT' }), verify: () => assert(calls === 0, `a handler ran ${calls} times`) };
  }),
  {
    name: 'the same id again while the first is being handled → [409, in_flight]; the first then → 200',
    expect: [OK, refused(409, 'in_flight')],
    setup(): CaseRun {
      const receiver = createReceiver({ provider: sw });
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const inHandler = new Promise<void>((resolve) => (entered = resolve));
      let calls = 0;
      receiver.on('invoice.paid', async () => {
        calls += 1;
        entered();
        await gate;
      });
      const request = signed(sw, invoice(), { id: 'msg_in_flight' });
      return {
        receiver,
        async run(send) {
          const first = send(request);
          await inHandler;
          const second = await send(request);
          release();
          return [await first, second];
        },
        verify: () => assert(calls === 1, `the handler ran ${calls} times`),
      };
    },
  },
  single('Content-Length over maxBodyBytes → [413, body_too_large], decided before reading', refused(413, 'body_too_large'), () => ({
    receiver: createReceiver({ provider: sw, maxBodyBytes: 1024 }),
    request: signed(sw, invoice('x'.repeat(64 * 1024))),
  })),
  single('a chunked body with no Content-Length passing maxBodyBytes → [413, body_too_large], decided while streaming', refused(413, 'body_too_large'), () => ({
    receiver: createReceiver({ provider: sw, maxBodyBytes: 1024 }),
    request: signed(sw, invoice('x'.repeat(256 * 1024)), { chunked: true }),
  })),
  single('a chunked body one byte over maxBodyBytes → [413, body_too_large]', refused(413, 'body_too_large'), () => ({
    receiver: createReceiver({ provider: sw, maxBodyBytes: 2047 }),
    request: signed(sw, invoiceOfSize(2048), { chunked: true }),
  })),
  accepted('a body of exactly maxBodyBytes → 200', sw, 'invoice.paid', () => signed(sw, invoiceOfSize(2048))),
  single('a gzip bomb (~10 KiB that inflates to 10 MiB) → [413, body_too_large]', refused(413, 'body_too_large'), () => {
    const req = signed(sw, invoice());
    return {
      receiver: createReceiver({ provider: sw, maxBodyBytes: 64 * 1024 }),
      request: { ...req, headers: { ...req.headers, 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(10 * 1024 * 1024)) },
    };
  }),
  single('a payload failing its event schema → [422, schema_mismatch] with the issues', refused(422, 'schema_mismatch'), () => {
    const receiver = createReceiver({
      provider: sw,
      events: { 'invoice.paid': z.object({ type: z.literal('invoice.paid'), data: z.object({ id: z.string(), amount: z.number() }) }) },
    });
    receiver.on('invoice.paid', () => undefined);
    return { receiver, request: signed(sw, invoice('lots')) };
  }),
  single("unhandled: 'reject' and a type with no handler → [422, schema_mismatch]", refused(422, 'schema_mismatch'), () => {
    const receiver = createReceiver({ provider: sw, unhandled: 'reject' });
    receiver.on('invoice.paid', () => undefined);
    return { receiver, request: signed(sw, { type: 'customer.created', data: {} }) };
  }),
  single('a handler that throws → [500, handler_failed], its error text not shown', refused(500, 'handler_failed'), () => {
    const receiver = createReceiver({ provider: sw });
    receiver.on('invoice.paid', () => {
      throw new Error('connect postgres://app:hunter2@db failed');
    });
    return { receiver, request: signed(sw, invoice()) };
  }),
  single('a dedupe store that cannot be reached → [503, store_unavailable], no handler runs', refused(503, 'store_unavailable'), () => {
    const receiver = createReceiver({ provider: sw, dedupe: brokenStore });
    let calls = 0;
    receiver.on('invoice.paid', () => void (calls += 1));
    return { receiver, request: signed(sw, invoice()), verify: () => assert(calls === 0, `the handler ran ${calls} times`) };
  }),

  // ── Retries ──────────────────────────────────────────────────────────────────────────────────
  {
    name: 'the same delivery twice → 200 {"ok":true}, then 200 {"ok":true,"duplicate":true}; handled once',
    expect: [OK, { status: 200, json: { ok: true, duplicate: true } }],
    setup(): CaseRun {
      const receiver = createReceiver({ provider: sw });
      let calls = 0;
      receiver.on('invoice.paid', () => void (calls += 1));
      const request = signed(sw, invoice(), { id: 'msg_duplicate' });
      return {
        receiver,
        run: async (send) => [await send(request), await send(request)],
        verify: () => assert(calls === 1, `the handler ran ${calls} times`),
      };
    },
  },
  {
    name: 'a handler that fails once → [500, handler_failed]; the sender’s retry of the same id → 200',
    expect: [refused(500, 'handler_failed'), OK],
    setup(): CaseRun {
      const receiver = createReceiver({ provider: sw });
      let calls = 0;
      receiver.on('invoice.paid', () => {
        calls += 1;
        if (calls === 1) throw new Error('transient');
      });
      const request = signed(sw, invoice(), { id: 'msg_retry' });
      return {
        receiver,
        run: async (send) => [await send(request), await send(request)],
        verify: () => assert(calls === 2, `the handler ran ${calls} times`),
      };
    },
  },
];
