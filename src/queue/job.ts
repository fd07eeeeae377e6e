import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
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

/** A `.` is in no BullMQ key name (`wait`, `delayed`, `marker`, …: lower-case letters and `-`), nor `:`. */
const JOB_ID_PREFIX = 'hg.';

/**
 * The queue job id of a delivery's dedupe key (`pipeline.keyFor(id)`): always
 * `hg.<sha256 base64url>`, 46 characters whatever the id. It can never equal a queue's own key
 * names (no `:` and a `.`, never an integer), one key always gives the same job id (a resent
 * delivery is not queued twice), and two keys share one only by a SHA-256 collision. Usable by
 * any queue that dedupes by job id (BullMQ, pg-boss `singletonKey`).
 *
 * @example
 * jobIdFor('github:delayed'); // 'hg.…' (43 base64url characters after the prefix)
 */
export function jobIdFor(key: string): string {
  return JOB_ID_PREFIX + createHash('sha256').update(key, 'utf8').digest('base64url');
}
