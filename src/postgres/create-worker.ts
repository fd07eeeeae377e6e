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

/** What `createWorker` needs of a started `PgBoss` (pg-boss 10): fetch, complete, fail. */
export interface WorkerBoss {
  fetch(name: string, options: { batchSize: number }): Promise<BossJob[] | null | undefined>;
  complete(name: string, id: string, data: object): Promise<unknown>;
  fail(name: string, id: string, data: object): Promise<unknown>;
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
 * const worker = createWorker(receiver, { boss, queueName: 'webhooks', concurrency: 10 });
 * process.on('SIGTERM', () => worker.close()); // finishes the jobs in hand
 */
export function createWorker<E extends EventSchemas | undefined>(receiver: Receiver<E>, options: CreateWorkerOptions): DeliveryWorker {
  const pipeline = pipelineOf(receiver, CALLER);
  if (typeof options !== 'object' || options === null || typeof options.boss !== 'object' || options.boss === null || typeof options.boss.fetch !== 'function') {
    throw new WebhookError('misconfigured', `${CALLER}: \`boss\` must be a started PgBoss, e.g. const boss = new PgBoss(process.env.DATABASE_URL); await boss.start().`);
  }
  const { boss } = options;
  const queueName = queueNameOf(options.queueName, CALLER);
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) {
    throw new WebhookError('misconfigured', `${CALLER}: \`concurrency\` must be an integer from 1 to 1000; got ${String(concurrency)}.`);
  }
  const provider = receiver.provider.name;

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

  const pollMs = (options.pollingIntervalSeconds ?? 2) * 1000;
  if (!(pollMs >= 500) || !Number.isFinite(pollMs)) {
    throw new WebhookError('misconfigured', `${CALLER}: \`pollingIntervalSeconds\` must be a number ≥ 0.5; got ${String(options.pollingIntervalSeconds)}.`);
  }
  let closing = false;
  const idle = new Set<() => void>();
  const sleep = () => new Promise<void>((resolve) => {
    const timer = setTimeout(done, pollMs);
    function done() {
      clearTimeout(timer);
      idle.delete(done);
      resolve();
    }
    idle.add(done);
  });

  // One job at a time per slot, and the next fetch at once while there is work: pg-boss's own
  // work() waits out its polling interval after every batch, which caps a worker at
  // batchSize jobs per interval.
  async function slot(): Promise<void> {
    while (!closing) {
      let jobs: BossJob[] | null | undefined;
      try {
        jobs = await boss.fetch(queueName, { batchSize: 1 });
      } catch {
        jobs = undefined; // Postgres unreachable: try again after the polling interval
      }
      const job = jobs?.[0];
      if (job === undefined) {
        await sleep();
        continue;
      }
      let outcome: { ok: true; value: DeliveryJobResult } | { ok: false; error: unknown };
      try {
        outcome = { ok: true, value: await run(job) };
      } catch (error) {
        outcome = { ok: false, error };
      }
      // A failed complete/fail leaves the job active; pg-boss expires and retries it (at least once).
      await (outcome.ok ? boss.complete(queueName, job.id, outcome.value) : boss.fail(queueName, job.id, errorData(outcome.error))).catch(() => {});
    }
  }
  const slots = Array.from({ length: concurrency }, () => slot());

  return {
    async close() {
      closing = true;
      for (const done of [...idle]) done();
      await Promise.all(slots);
    },
  };
}

/** What a failed job keeps as its output (pg-boss stores it as jsonb). */
function errorData(error: unknown): object {
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { message: String(error) };
}
