import { WebhookError, isWebhookError } from '../core/errors.js';
import { pipelineOf } from '../receiver/pipeline.js';
import type { EventSchemas, Receiver } from '../receiver/types.js';
import { isBossDeliveryJob, verifiedOf } from './boss-job.js';
import { queueNameOf } from './queue-receiver.js';

/** One job as pg-boss hands it to a work handler. */
export interface BossJob {
  id: string;
  data: unknown;
}

/** What `createWorker` needs of a started `PgBoss` (pg-boss 10). */
export interface WorkerBoss {
  work(name: string, options: { batchSize: number; pollingIntervalSeconds?: number }, handler: (jobs: BossJob[]) => Promise<unknown>): Promise<string>;
  offWork(options: { id: string }): Promise<void>;
}

export interface CreateWorkerOptions {
  /** A started `PgBoss` on the Postgres `queueReceiver` sends to. */
  boss: WorkerBoss;
  /** The queue `queueReceiver` sends to. */
  queueName: string;
  /** Jobs run at once by this process. Default 1, like BullMQ's. */
  concurrency?: number;
  /** How often an idle worker polls for jobs. Default pg-boss's 2 s (min 0.5). */
  pollingIntervalSeconds?: number;
}

/** What a completed job keeps as its output: the answer `receive()` would have given. */
export interface DeliveryJobResult {
  status: number;
  body: string;
}

/** The running worker. */
export interface DeliveryWorker {
  /** Stops fetching and waits for the jobs in hand to finish. */
  close(): Promise<void>;
}

const CALLER = 'createWorker()';

/**
 * A pg-boss worker that runs the receiver's own typed handlers for each queued delivery (same
 * routing, schemas, `onError` and `handlerTimeoutMs` as `receive()`). A handler that throws
 * fails the try; pg-boss retries with the job's `retryLimit` and backoff (set by
 * `queueReceiver`); the last failure leaves the job `failed`, where `boss.retry(queue, id)`
 * runs it again. pg-boss runs a job at least once: a worker that dies mid-job has it run again
 * after `expireInSeconds`. Make handlers idempotent by `delivery.id`.
 *
 * @example
 * const worker = await createWorker(receiver, { boss, queueName: 'webhooks', concurrency: 10 });
 * process.on('SIGTERM', () => worker.close()); // finishes the jobs in hand
 */
export async function createWorker<E extends EventSchemas | undefined>(receiver: Receiver<E>, options: CreateWorkerOptions): Promise<DeliveryWorker> {
  const pipeline = pipelineOf(receiver, CALLER);
  if (typeof options !== 'object' || options === null || typeof options.boss !== 'object' || options.boss === null || typeof options.boss.work !== 'function') {
    throw new WebhookError('misconfigured', `${CALLER}: \`boss\` must be a started PgBoss, e.g. const boss = new PgBoss(process.env.DATABASE_URL); await boss.start().`);
  }
  const { boss } = options;
  const queueName = queueNameOf(options.queueName, CALLER);
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) {
    throw new WebhookError('misconfigured', `${CALLER}: \`concurrency\` must be an integer from 1 to 1000; got ${String(concurrency)}.`);
  }
  const provider = receiver.provider.name;
  const running = new Set<Promise<unknown>>();

  async function run(job: BossJob): Promise<DeliveryJobResult> {
    const data = job.data;
    if (!isBossDeliveryJob(data)) throw new Error(`Job ${job.id} is not a hookguard delivery.`);
    if (data.provider !== provider) throw new Error(`Job ${job.id} was verified by a ${data.provider} receiver; this worker's receiver is ${provider}.`);
    const verified = verifiedOf(data);
    try {
      const result = await pipeline.dispatch(receiver.provider.parse(verified), verified);
      return { status: result.status, body: result.body };
    } catch (error) {
      // The handler's own error, so the failed job shows what went wrong (it never reaches the sender).
      throw isWebhookError(error) && error.cause instanceof Error ? error.cause : error;
    }
  }

  const workOptions = { batchSize: 1, ...(options.pollingIntervalSeconds === undefined ? {} : { pollingIntervalSeconds: options.pollingIntervalSeconds }) };
  // pg-boss 10 runs one job at a time per work() call, so concurrency is that many calls.
  const ids = await Promise.all(
    Array.from({ length: concurrency }, () =>
      boss.work(queueName, workOptions, (jobs) => {
        const done = Promise.all(jobs.map(run)).then((results) => results[0]);
        running.add(done);
        void done.then(() => running.delete(done), () => running.delete(done));
        return done;
      }),
    ),
  );

  return {
    async close() {
      await Promise.all(ids.map((id) => boss.offWork({ id })));
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
