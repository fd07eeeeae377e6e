import { WebhookError } from '../core/errors.js';
import { kindOf } from '../core/describe-value.js';
import { successResult } from '../core/result.js';
import type { DeliveryInput, ReceiveResult } from '../core/types.js';
import { Lifecycle } from '../receiver/lifecycle.js';
import { PIPELINE, pipelineOf } from '../receiver/pipeline.js';
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
  const timeoutMs = positive(options.enqueueTimeoutMs ?? 5000, 'enqueueTimeoutMs', false);
  const lifecycle = new Lifecycle();

  async function receive(input: DeliveryInput): Promise<ReceiveResult> {
    let prepared;
    try {
      prepared = await pipeline.prepare(input);
    } catch (error) {
      return receiver.fail(error);
    }
    if (!('calls' in prepared)) return prepared;
    const { parsed, verified } = prepared;
    const data = toJob(receiver.provider.name, parsed, verified);
    const opts: DeliveryJobOptions = parsed.id === undefined ? { ...jobOptions } : { ...jobOptions, jobId: jobIdFor(pipeline.keyFor(parsed.id)) };
    try {
      await withTimeout(queue.add(parsed.type || 'delivery', data, opts), timeoutMs);
    } catch (cause) {
      return receiver.fail(new WebhookError('store_unavailable', 'The queue cannot be reached; the sender should retry.', { cause }));
    }
    return successResult({ ok: true, queued: true }, 202);
  }

  const queued: Receiver<E> = {
    on(type, handler) {
      receiver.on(type, handler);
      return queued;
    },
    onAny(handler) {
      receiver.onAny(handler);
      return queued;
    },
    onError(handler) {
      receiver.onError(handler);
      return queued;
    },
    onDelivery(listener) {
      receiver.onDelivery(listener);
      return queued;
    },
    // After close(), new deliveries answer 503 shutting_down; adds already under way finish.
    receive: (input) => lifecycle.run(() => receive(input).catch((error: unknown) => receiver.fail(error)), (refusal) => receiver.fail(refusal)),
    close: (closeOptions) => lifecycle.close(closeOptions),
    maxBodyBytes: receiver.maxBodyBytes,
    bodyTimeoutMs: receiver.bodyTimeoutMs,
    provider: receiver.provider,
    fail: (error) => receiver.fail(error),
  };
  Object.defineProperty(queued, PIPELINE, { value: pipeline }); // so createWorker(queued) works too
  return queued;
}

/** Settles with `promise`, or rejects after `ms`; a late rejection is swallowed (the jobId makes a late add harmless). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  promise.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The queue did not answer within ${ms} ms.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
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

function positive(value: number, option: string, integer: boolean): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new WebhookError('misconfigured', `queueReceiver(): \`${option}\` must be a positive ${integer ? 'integer' : 'number'}; got ${kindOf(value)}.`);
  }
  return value;
}
