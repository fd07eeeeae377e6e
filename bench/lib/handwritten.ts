/**
 * What a careful hand-written Standard Webhooks receiver does, and nothing more: headers,
 * freshness, HMAC over the signed content in parts, constant-time compare, JSON.parse, a type
 * check. One definition for the end-to-end routes (b), (b*) and their in-process twins
 * (bench/pipeline.ts); (b*) also does what hookguard's route (c) does after verifying.
 */
import { Buffer } from 'node:buffer';
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { secrets } from './deliveries.js';

/** The invoice.paid payload every Standard Webhooks delivery of the benchmarks carries (deliveries.ts jsonBody). */
export const invoicePaid = z.object({
  type: z.literal('invoice.paid'),
  timestamp: z.string(),
  data: z.object({
    object: z.object({
      id: z.string(),
      amount: z.number().int(),
      currency: z.string().length(3),
      items: z.array(z.object({ id: z.string(), qty: z.number().int().positive(), price: z.number().int(), name: z.string() })),
    }),
  }),
});

const key = createSecretKey(secrets.standardWebhooksKey);

type Headers = IncomingHttpHeaders | Record<string, string>;

/** The status the hand-written route (b) answers: 200, or 400/401/422 for a refusal. */
export function handwrittenStatus(headers: Headers, body: unknown): number {
  const payload = handwrittenPayload(headers, body);
  if (typeof payload === 'number') return payload;
  return (payload as { type?: unknown }).type === 'invoice.paid' ? 200 : 422;
}

let total = 0;

/** The handler of (b*), as (c)'s: async, reads the typed payload. */
async function invoicePaidHandler(payload: { data: { object: { amount: number } } }): Promise<void> {
  total += payload.data.object.amount;
}

/**
 * The status (b*) answers, once its handler has finished: what (c) does by hand — the checks
 * of (b), then (c)'s zod schema, then (c)'s async handler awaited before answering 200.
 */
export function handwrittenHandledStatus(headers: Headers, body: unknown): Promise<number> {
  const payload = handwrittenPayload(headers, body);
  if (typeof payload === 'number') return Promise.resolve(payload);
  const result = invoicePaid.safeParse(payload);
  if (!result.success) return Promise.resolve(422);
  return invoicePaidHandler(result.data).then(() => 200);
}

/** The payload of a verified delivery (a JSON object in every benchmark), or the status refusing it. */
function handwrittenPayload(headers: Headers, body: unknown): unknown {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof ts !== 'string' || typeof signatures !== 'string' || !Buffer.isBuffer(body)) return 400;
  if (Math.abs(Math.floor(Date.now() / 1000) - Number(ts)) > 300) return 401;
  const expected = createHmac('sha256', key).update(`${id}.${ts}.`).update(body).digest();
  let valid = false;
  for (const entry of signatures.split(' ')) {
    if (!entry.startsWith('v1,')) continue;
    const given = Buffer.from(entry.slice(3), 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) valid = true;
  }
  if (!valid) return 401;
  return JSON.parse(body.toString('utf8')) as unknown;
}
