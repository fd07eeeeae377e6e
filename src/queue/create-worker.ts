import { UnrecoverableError, Worker, type Job, type WorkerOptions } from 'bullmq';
import { WebhookError, isWebhookError } from '../core/errors.js';
import { pipelineOf } from '../receiver/pipeline.js';
import type { EventSchemas, Receiver } from '../receiver/types.js';
import { fromJob, isDeliveryJob } from './job.js';

export type CreateWorkerOptions = WorkerOptions & {
  /** The name of the queue `queueReceiver` adds to. */
  queueName: string;
};

/** What a completed job keeps as its return value: the answer `receive()` would have given. */
export interface DeliveryJobResult {
  status: number;
  body: string;
}

/**
 * A BullMQ `Worker` that runs the receiver's own typed handlers for each queued delivery
 * (same routing, schemas and `onError` as `receive()`). A handler that throws fails the try,
 * and BullMQ retries with the job's `attempts` and `backoff` (set by `queueReceiver`); the
 * last failure leaves the job in the failed set, where `job.retry()` can run it again.
 * A payload that no longer matches its schema fails at once (no retry would fix it). The
 * receiver's `handlerTimeoutMs` bounds each attempt: a handler still running then fails it with
 * `handler_timeout` (and is retried), so a hung call does not hold a worker slot forever.
 * Every other BullMQ option (`concurrency`, `lockDuration`, `stalledInterval`, …) passes through.
 *
 * BullMQ runs a job at least once: a worker that dies mid-job has the job run again by another
 * after `lockDuration`. Make handlers idempotent by `delivery.id`.
 *
 * @example
 * const worker = createWorker(receiver, { queueName: 'webhooks', connection: { host: '127.0.0.1', port: 6379 }, concurrency: 10 });
 * process.on('SIGTERM', () => worker.close()); // finishes the jobs in hand
 */
export function createWorker<E extends EventSchemas | undefined>(receiver: Receiver<E>, options: CreateWorkerOptions): Worker<unknown, DeliveryJobResult> {
  const pipeline = pipelineOf(receiver, 'createWorker()');
  if (typeof options !== 'object' || options === null || typeof options.queueName !== 'string' || options.queueName === '') {
    throw new WebhookError('misconfigured', "createWorker(): `queueName` must name the queue queueReceiver() adds to, e.g. 'webhooks'.");
  }
  const { queueName, ...workerOptions } = options;
  const provider = receiver.provider.name;

  async function run(job: Job): Promise<DeliveryJobResult> {
    const data: unknown = job.data;
    if (!isDeliveryJob(data)) throw new UnrecoverableError(`Job ${job.id} is not a hookguard delivery.`);
    if (data.provider !== provider) {
      throw new UnrecoverableError(`Job ${job.id} was verified by a ${data.provider} receiver; this worker's receiver is ${provider}.`);
    }
    const { parsed, verified } = fromJob(data);
    try {
      const result = await pipeline.dispatch(parsed, verified);
      return { status: result.status, body: result.body };
    } catch (error) {
      if (isWebhookError(error) && error.code === 'schema_mismatch') throw new UnrecoverableError(error.message);
      // The handler's own error, so the failed set shows what went wrong (it never reaches the sender).
      throw isWebhookError(error) && error.cause instanceof Error ? error.cause : error;
    }
  }

  return new Worker(queueName, run, workerOptions as WorkerOptions);
}
