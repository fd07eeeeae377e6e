import { kindOf } from '../core/describe-value.js';
import { WebhookError } from '../core/errors.js';
import { handOffReceiver, positiveOption } from '../receiver/hand-off.js';
import { pipelineOf } from '../receiver/pipeline.js';
import type { EventSchemas, Receiver } from '../receiver/types.js';
import { toBossJob, type BossDeliveryJob } from './boss-job.js';
import { bossJobIdFor } from './job-id.js';

/** The pg-boss send options each delivery is sent with. */
export interface BossJobOptions {
  id?: string;
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  expireInSeconds?: number;
}

/** What `queueReceiver` needs of a started `PgBoss` (pg-boss 10). */
export interface DeliveryBoss {
  send(name: string, data: BossDeliveryJob, options: BossJobOptions): Promise<string | null>;
}

export interface QueueReceiverOptions {
  /** A started `PgBoss` on your Postgres (`await boss.start()`), whose queue exists (`await boss.createQueue(queueName)`). */
  boss: DeliveryBoss;
  /** The pg-boss queue to send to; run `createWorker` on the same name. */
  queueName: string;
  /** Tries per delivery, the first included, before the job stays failed. Default 10. */
  attempts?: number;
  /**
   * Wait between tries: milliseconds (fixed) or `{ type: 'exponential' | 'fixed', delay }`, as in
   * `hookguard/queue`. pg-boss counts whole seconds, so delays round up to the next second.
   * Default exponential from 1 s.
   */
  backoff?: number | { type: 'exponential' | 'fixed'; delay?: number };
  /** Longest run of one try before pg-boss fails it and retries (a worker that died). Default pg-boss's 15 minutes. */
  expireInSeconds?: number;
  /** Longest wait for Postgres to take the job before answering 503 `store_unavailable`. Default 5000 ms. */
  enqueueTimeoutMs?: number;
}

const CALLER = 'queueReceiver()';

/**
 * Ack-first on Postgres: a receiver whose `receive` verifies, parses and validates the delivery,
 * sends it to a pg-boss queue with a job id derived from the delivery id (a resent delivery
 * whose job is still in the job table is not queued twice) and answers 202 at once. The
 * handlers run in `createWorker`, with retries. Refusals answer as usual (401, 422, …); a
 * Postgres that cannot be reached answers 503 so the sender retries. Handshakes are answered here.
 *
 * @example
 * import PgBoss from 'pg-boss';
 * import { queueReceiver } from 'hookguard/postgres';
 *
 * const boss = new PgBoss(process.env.DATABASE_URL!);
 * await boss.start();
 * await boss.createQueue('webhooks');
 * app.post('/webhooks', expressMiddleware(queueReceiver(receiver, { boss, queueName: 'webhooks' })));
 */
export function queueReceiver<E extends EventSchemas | undefined>(receiver: Receiver<E>, options: QueueReceiverOptions): Receiver<E> {
  const pipeline = pipelineOf(receiver, CALLER);
  if (typeof options !== 'object' || options === null || typeof options.boss !== 'object' || options.boss === null || typeof options.boss.send !== 'function') {
    throw new WebhookError('misconfigured', `${CALLER}: \`boss\` must be a started PgBoss, e.g. const boss = new PgBoss(process.env.DATABASE_URL); await boss.start().`);
  }
  const { boss } = options;
  const queueName = queueNameOf(options.queueName, CALLER);
  const jobOptions: BossJobOptions = { retryLimit: positive(options.attempts ?? 10, 'attempts', true) - 1, ...backoffOf(options.backoff) };
  if (options.expireInSeconds !== undefined) jobOptions.expireInSeconds = positive(options.expireInSeconds, 'expireInSeconds', true);
  const provider = receiver.provider.name;
  return handOffReceiver(receiver, pipeline, {
    timeoutMs: positive(options.enqueueTimeoutMs ?? 5000, 'enqueueTimeoutMs', false),
    // null when a job with this id is already there: the delivery is queued either way.
    enqueue: (parsed, verified) => boss.send(queueName, toBossJob(provider, parsed, verified), parsed.id === undefined ? { ...jobOptions } : { ...jobOptions, id: bossJobIdFor(provider, parsed.id) }),
  });
}

/** pg-boss's own rule for queue names, checked at start-up rather than on the first delivery. */
export function queueNameOf(name: unknown, caller: string): string {
  if (typeof name !== 'string' || !/^[\w.\-/]{1,100}$/.test(name)) {
    throw new WebhookError('misconfigured', `${caller}: \`queueName\` must name a pg-boss queue (letters, digits, _ - . /), e.g. 'webhooks'; got ${kindOf(name)}.`);
  }
  return name;
}

function backoffOf(backoff: QueueReceiverOptions['backoff']): Pick<BossJobOptions, 'retryDelay' | 'retryBackoff'> {
  const value = backoff ?? { type: 'exponential', delay: 1000 };
  const ms = typeof value === 'number' ? value : typeof value === 'object' && value !== null ? (value.delay ?? 1000) : Number.NaN;
  const type = typeof value === 'number' ? 'fixed' : typeof value === 'object' && value !== null ? value.type : undefined;
  if (!Number.isFinite(ms) || ms < 0 || (type !== 'fixed' && type !== 'exponential')) {
    throw new WebhookError('misconfigured', `${CALLER}: \`backoff\` must be milliseconds ≥ 0 or { type: 'exponential' | 'fixed', delay }.`);
  }
  const seconds = Math.ceil(ms / 1000);
  return type === 'exponential' ? { retryDelay: Math.max(1, seconds), retryBackoff: true } : { retryDelay: seconds, retryBackoff: false };
}

const positive = (value: number, option: string, integer: boolean): number => positiveOption(value, option, integer, CALLER);

