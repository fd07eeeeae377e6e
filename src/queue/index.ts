/**
 * hookguard/queue: ack-first hand-off to BullMQ. `queueReceiver` verifies and enqueues (202),
 * `createWorker` runs the receiver's handlers from the queue with retries.
 *
 * @module
 */
export { queueReceiver, type QueueReceiverOptions, type DeliveryQueue, type DeliveryJobOptions } from './queue-receiver.js';
export { createWorker, type CreateWorkerOptions, type DeliveryJobResult } from './create-worker.js';
export { jobIdFor, type DeliveryJob } from './job.js';
export { dedupeKey } from '../receiver/dedupe-key.js';
