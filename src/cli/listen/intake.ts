import { Buffer } from 'node:buffer';
import type { IncomingHttpHeaders } from 'node:http';
import { isWebhookError } from '../../core/errors.js';
import { errorResult } from '../../core/result.js';
import type { ReceiveResult } from '../../core/types.js';
import { verifyWebhook } from '../../providers/verify-webhook.js';
import type { Listener } from './listener.js';
import { exchange, passableHeaders } from './exchange.js';
import { MAX_STORED_BODY, redact, type DeliveryRecord } from './record.js';

export interface IncomingDelivery {
  method: string;
  path: string;
  rawHeaders: string[];
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One delivery: verify it with the preset (hookguard's own `verifyWebhook`), record it, forward it
 * when verified (or always, with --forward-all) and answer the sender with the app's answer — or,
 * with nothing to forward to, with what a hookguard receiver answers (handshakes included).
 */
export async function intake(listener: Listener, incoming: IncomingDelivery): Promise<ReceiveResult> {
  const { preset, provider, secrets } = listener;
  const receivedAt = new Date().toISOString();
  const input = { method: incoming.method, url: incoming.path, headers: incoming.headers, body: incoming.body };
  const started = performance.now();
  const record: DeliveryRecord = {
    n: listener.history.reserveNumber(),
    receivedAt,
    method: incoming.method,
    path: redact(incoming.path, secrets),
    headers: pairs(incoming.rawHeaders).map(([name, value]) => [name, redact(value, secrets)]),
    body: incoming.body.subarray(0, MAX_STORED_BODY).toString('base64'),
    size: incoming.body.byteLength,
    truncated: incoming.body.byteLength > MAX_STORED_BODY,
    preset: preset.name,
    verdict: 'rejected',
    verifyMs: 0,
    answer: { status: 0, body: '' },
    replays: [],
  };
  try {
    const verified = verifyWebhook(provider, input);
    record.verdict = 'verified';
    if (verified.id !== undefined) record.id = verified.id;
    if (verified.type !== undefined) record.type = verified.type;
    if (verified.timestamp !== undefined) record.timestamp = verified.timestamp;
  } catch (error) {
    record.code = isWebhookError(error) ? error.code : 'internal_error';
    record.message = redact(isWebhookError(error) ? error.message : String(error), secrets);
  }
  record.verifyMs = Math.round((performance.now() - started) * 100) / 100;

  let answer: ReceiveResult;
  const target = listener.forward;
  if (target !== undefined && (record.verdict === 'verified' || listener.forwardAll)) {
    const forwarded = await exchange(target, passableHeaders(pairs(incoming.rawHeaders)), incoming.body);
    record.forwarded = { ...forwarded, ...(forwarded.body !== undefined ? { body: redact(forwarded.body, secrets) } : {}) };
    answer = forwarded.status !== undefined ? appAnswer(forwarded.status, forwarded.headers ?? {}, forwarded.body ?? '') : errorAnswer(502, 'app_unreachable', forwarded.error ?? '');
  } else {
    record.notForwarded = target === undefined ? 'no --forward' : `${record.code}: only verified deliveries are forwarded (--forward-all sends every one)`;
    answer = await listener.receiver.receive(input).catch((error: unknown) => errorResult(error));
  }
  record.answer = { status: answer.status, body: redact(answer.body, secrets).slice(0, 4096) };
  listener.history.add(record);
  listener.publish(record, 'delivery');
  return answer;
}

/** The app's answer passed back to the sender, without the headers that described its transport. */
function appAnswer(status: number, headers: Record<string, string>, body: string): ReceiveResult {
  const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive', 'date'].includes(name)));
  return { status, headers: kept, body };
}

function errorAnswer(status: number, code: string, message: string): ReceiveResult {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ error: { code, message } }) };
}

export function pairs(rawHeaders: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) out.push([rawHeaders[i] as string, rawHeaders[i + 1] as string]);
  return out;
}
