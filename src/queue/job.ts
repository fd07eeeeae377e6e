import { Buffer } from 'node:buffer';
import { normalizeHeaders } from '../core/headers.js';
import type { ParsedDelivery, VerifiedDelivery } from '../providers/types.js';

/**
 * A verified delivery as a queue job holds it: plain JSON, everything the handlers need.
 * `payload` is the decoded body before schema validation; the worker validates it again, so
 * handlers get the schema's output (transforms, defaults) exactly as `receive()` gives it.
 */
export interface DeliveryJob {
  /** Format version. */
  v: 1;
  /** `provider.name` of the receiver that verified it; a worker with another provider refuses the job. */
  provider: string;
  id?: string;
  type?: string;
  parentTypes?: string[];
  payload: unknown;
  /** Unix seconds of the signed timestamp, where the sender signs one. */
  timestamp?: number;
  /** Request headers, names lower-cased. */
  headers: Record<string, string>;
  /** The verified bytes, base64. */
  rawBody: string;
}

export function toJob(provider: string, parsed: ParsedDelivery, verified: VerifiedDelivery): DeliveryJob {
  const job: DeliveryJob = {
    v: 1,
    provider,
    payload: parsed.payload,
    headers: normalizeHeaders(verified.headers),
    rawBody: Buffer.from(verified.rawBody.buffer, verified.rawBody.byteOffset, verified.rawBody.byteLength).toString('base64'),
  };
  if (parsed.id !== undefined) job.id = parsed.id;
  if (parsed.type !== undefined) job.type = parsed.type;
  if (parsed.parentTypes !== undefined) job.parentTypes = [...parsed.parentTypes];
  if (verified.timestamp !== undefined) job.timestamp = verified.timestamp;
  return job;
}

export function fromJob(job: DeliveryJob): { parsed: ParsedDelivery; verified: VerifiedDelivery } {
  const parsed: ParsedDelivery = { payload: job.payload };
  if (job.id !== undefined) parsed.id = job.id;
  if (job.type !== undefined) parsed.type = job.type;
  if (job.parentTypes !== undefined) parsed.parentTypes = job.parentTypes;
  const verified: VerifiedDelivery = { rawBody: Buffer.from(job.rawBody, 'base64'), headers: job.headers };
  if (job.timestamp !== undefined) verified.timestamp = job.timestamp;
  return { parsed, verified };
}

export function isDeliveryJob(value: unknown): value is DeliveryJob {
  const job = value as DeliveryJob;
  return (
    typeof job === 'object' && job !== null && job.v === 1 && typeof job.provider === 'string' &&
    typeof job.rawBody === 'string' && typeof job.headers === 'object' && job.headers !== null
  );
}

const ENCODED = 'b64.';

/**
 * The BullMQ job id of a delivery id: the id itself, unless BullMQ refuses it (an integer such
 * as `"12345"`, or one containing `:`) or it starts with `b64.`; those become `b64.<base64url>`.
 * One delivery id always gives the same job id, and two never share one.
 */
export function jobIdFor(id: string): string {
  const refused = `${Number.parseInt(id, 10)}` === id || id.includes(':') || id.startsWith(ENCODED);
  return refused ? ENCODED + Buffer.from(id, 'utf8').toString('base64url') : id;
}
