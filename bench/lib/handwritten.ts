/**
 * What a careful hand-written Standard Webhooks receiver does, and nothing more: headers,
 * freshness, HMAC over the signed content in parts, constant-time compare, JSON.parse, a type
 * check. One definition for the end-to-end route (b) and its in-process twin (bench/pipeline.ts).
 */
import { Buffer } from 'node:buffer';
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { secrets } from './deliveries.js';

const key = createSecretKey(secrets.standardWebhooksKey);

/** The status the hand-written route answers: 200, or 400/401/422 for a refusal. */
export function handwrittenStatus(headers: IncomingHttpHeaders | Record<string, string>, body: unknown): number {
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
  const payload = JSON.parse(body.toString('utf8')) as { type?: unknown };
  return payload.type === 'invoice.paid' ? 200 : 422;
}
