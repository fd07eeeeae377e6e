import { WebhookError } from '../core/errors.js';
import { handOffReceiver, positiveOption } from '../receiver/hand-off.js';
import { pipelineOf } from '../receiver/pipeline.js';
import type { EventSchemas, Receiver } from '../receiver/types.js';
import { jobIdFor, toJob, type DeliveryJob } from './job.js';

/** What `queueReceiver` needs of a BullMQ `Queue` (any BullMQ 5 or 6 queue fits). */
export interface DeliveryQueue {
  readonly name: string;
  add(name: string, data: DeliveryJob, opts: DeliveryJobOptions): Promise<unknown>;
}

/** The BullMQ job options each delivery is added with. */
export interface DeliveryJobOptions {
  jobId?: string;
  attempts: number;
  backoff: number | { type: string; delay?: number };
  removeOnComplete: { age: number };
  removeOnFail: false;
}

export interface QueueReceiverOptions {
  /** A BullMQ `Queue` on your Redis; run `createWorker` on the same queue name. */
  queue: DeliveryQueue;
  /** Tries per delivery, the first included, before the job stays in the failed set. Default 10. */
  attempts?: number;
  /** Wait between tries, ms (fixed) or BullMQ's `{ type, delay }`. Default exponential from 1 s (1, 2, 4 … 256 s). */
  backoff?: DeliveryJobOptions['backoff'];
  /**
   * How long a completed job is kept, and with it its id: a delivery sent again within this
   * window is not run again. Default 1 day. Each kept job holds the body (base64) and payload.
   */
  keepCompletedSeconds?: number;
  /** Longest wait for Redis to take the job before answering 503 `store_unavailable`. Default 5000 ms. */
  enqueueTimeoutMs?: number;
}

/**
 * Ack-first: a receiver whose `receive` verifies, parses and validates the delivery, adds it to
 * a BullMQ queue with `jobId` = `jobIdFor(key)`, the digest of the receiver's namespaced dedupe
 * key (a resent delivery is not added twice; no id can name one of BullMQ's own keys), and
 * answers 202 at once. The handlers run in `createWorker`, with retries. Refusals answer as
 * usual (401, 422, …); a queue that cannot be reached answers 503 so the sender retries.
 * Handshakes (Slack, Discord PING) are still answered here, never queued.
 *
 * @example
 * const queue = new Queue('webhooks', { connection: { host: '127.0.0.1', port: 6379, enableOfflineQueue: false } });
 * app.post('/webhooks', expressMiddleware(queueReceiver(receiver, { queue })));
 */
export function queueReceiver<E extends EventSchemas | undefined>(receiver: Receiver<E>, options: QueueReceiverOptions): Receiver<E> {
  const pipeline = pipelineOf(receiver, 'queueReceiver()');
  const queue = queueOf(options);
  const jobOptions: Omit<DeliveryJobOptions, 'jobId'> = {
    attempts: positive(options.attempts ?? 10, 'attempts', true),
    backoff: backoffOf(options.backoff ?? { type: 'exponential', delay: 1000 }),
    removeOnComplete: { age: positive(options.keepCompletedSeconds ?? 86_400, 'keepCompletedSeconds', true) },
    removeOnFail: false,
  };
  return handOffReceiver(receiver, pipeline, {
    timeoutMs: positive(options.enqueueTimeoutMs ?? 5000, 'enqueueTimeoutMs', false),
    enqueue(parsed, verified) {
      const data = toJob(receiver.provider.name, parsed, verified);
      const opts: DeliveryJobOptions = parsed.id === undefined ? { ...jobOptions } : { ...jobOptions, jobId: jobIdFor(pipeline.keyFor(parsed.id)) };
      return queue.add(parsed.type || 'delivery', data, opts);
    },
  });
}

function queueOf(options: QueueReceiverOptions | undefined): DeliveryQueue {
  const queue: unknown = typeof options === 'object' && options !== null ? options.queue : undefined;
  if (typeof queue !== 'object' || queue === null || typeof (queue as DeliveryQueue).add !== 'function') {
    throw new WebhookError('misconfigured', "queueReceiver(): `queue` must be a BullMQ Queue, e.g. new Queue('webhooks', { connection }).");
  }
  return queue as DeliveryQueue;
}

function backoffOf(backoff: DeliveryJobOptions['backoff']): DeliveryJobOptions['backoff'] {
  const ok =
    typeof backoff === 'number'
      ? Number.isFinite(backoff) && backoff >= 0
      : typeof backoff === 'object' && backoff !== null && typeof backoff.type === 'string' &&
        (backoff.delay === undefined || (Number.isFinite(backoff.delay) && backoff.delay >= 0));
  if (!ok) {
    throw new WebhookError('misconfigured', "queueReceiver(): `backoff` must be milliseconds ≥ 0 or BullMQ's { type: 'exponential' | 'fixed', delay }.");
  }
  return backoff;
}

const positive = (value: number, option: string, integer: boolean): number => positiveOption(value, option, integer, 'queueReceiver()');
