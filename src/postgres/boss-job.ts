import { Buffer } from 'node:buffer';
import { normalizeHeaders } from '../core/headers.js';
import type { ParsedDelivery, VerifiedDelivery } from '../providers/types.js';

/**
 * A verified delivery as a pg-boss job holds it (jsonb): the verified bytes and headers. The
 * worker decodes the body again with the same provider, so nothing a jsonb column cannot hold
 * (a NUL in a string) or would reorder (object keys) reaches the handlers. `id` and `type` are
 * there for people reading the job table.
 */
export interface BossDeliveryJob {
  /** Format version. */
  v: 1;
  /** `provider.name` of the receiver that verified it; a worker with another provider refuses the job. */
  provider: string;
  id?: string;
  type?: string;
  /** Unix seconds of the signed timestamp, where the sender signs one. */
  timestamp?: number;
  /** Request headers, names lower-cased. */
  headers: Record<string, string>;
  /** The verified bytes, base64. */
  rawBody: string;
}

// jsonb refuses U+0000 in a string; such an id or type is left out (the worker reads them from the body).
const jsonbSafe = (value: string | undefined) => (value === undefined || value.includes('\0') ? undefined : value);

export function toBossJob(provider: string, parsed: ParsedDelivery, verified: VerifiedDelivery): BossDeliveryJob {
  const job: BossDeliveryJob = {
    v: 1,
    provider,
    headers: normalizeHeaders(verified.headers),
    rawBody: Buffer.from(verified.rawBody.buffer, verified.rawBody.byteOffset, verified.rawBody.byteLength).toString('base64'),
  };
  const id = jsonbSafe(parsed.id);
  const type = jsonbSafe(parsed.type);
  if (id !== undefined) job.id = id;
  if (type !== undefined) job.type = type;
  if (verified.timestamp !== undefined) job.timestamp = verified.timestamp;
  return job;
}

export function verifiedOf(job: BossDeliveryJob): VerifiedDelivery {
  const verified: VerifiedDelivery = { rawBody: Buffer.from(job.rawBody, 'base64'), headers: job.headers };
  if (job.timestamp !== undefined) verified.timestamp = job.timestamp;
  return verified;
}

export function isBossDeliveryJob(value: unknown): value is BossDeliveryJob {
  const job = value as BossDeliveryJob;
  return (
    typeof job === 'object' && job !== null && job.v === 1 && typeof job.provider === 'string' &&
    typeof job.rawBody === 'string' && typeof job.headers === 'object' && job.headers !== null
  );
}
