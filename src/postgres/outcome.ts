import type { ReceiveResult } from '../core/types.js';

/** What became of a verified delivery. */
export type DeliveryOutcome = 'handled' | 'queued' | 'duplicate' | 'in_flight' | 'rejected' | 'failed';

// Answers given after the signature was checked; every other refusal came before (or instead of) it.
const AFTER_VERIFY: Record<string, DeliveryOutcome> = {
  in_flight: 'in_flight',
  schema_mismatch: 'rejected',
  handler_failed: 'failed',
  handler_timeout: 'failed',
  store_unavailable: 'failed',
};

/** The outcome of a verified delivery from the receiver's answer, or undefined when the request was refused before verification. */
export function outcomeOf(result: ReceiveResult): { outcome: DeliveryOutcome; code?: string } | undefined {
  let body: { duplicate?: unknown; queued?: unknown; error?: { code?: unknown } } | undefined;
  try {
    body = JSON.parse(result.body) as typeof body;
  } catch {
    body = undefined; // a handler's own reply (text, empty 204)
  }
  if (result.status < 400) {
    if (body?.duplicate === true) return { outcome: 'duplicate' };
    return { outcome: result.status === 202 && body?.queued === true ? 'queued' : 'handled' };
  }
  const code = typeof body?.error?.code === 'string' ? body.error.code : undefined;
  const outcome = code === undefined ? undefined : AFTER_VERIFY[code];
  return outcome === undefined ? undefined : { outcome, code };
}
