/**
 * hookguard/postgres: dedupe, an ack-first queue (pg-boss) and a delivery log on Postgres.
 *
 * @module
 */
export { postgresStore, type PostgresStore, type PostgresStoreOptions } from '../stores/postgres.js';
export { migrate, type MigrateOptions } from './migrate.js';
export { schemaSql, type SchemaOptions } from './schema.js';
export type { Queryable } from './queryable.js';
export { queueReceiver, type QueueReceiverOptions, type DeliveryBoss, type BossJobOptions } from './queue-receiver.js';
export { createWorker, type CreateWorkerOptions, type DeliveryWorker, type DeliveryJobResult, type WorkerBoss, type BossJob } from './create-worker.js';
export { bossJobIdFor } from './job-id.js';
export type { BossDeliveryJob } from './boss-job.js';
export { deliveryLog, type DeliveryLog, type DeliveryLogOptions, type LoggedDelivery } from './delivery-log.js';
export type { DeliveryOutcome } from './outcome.js';
