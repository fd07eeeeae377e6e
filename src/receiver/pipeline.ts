import { WebhookError } from '../core/errors.js';
import type { Pipeline } from './receive.js';
import { isTenantProvider } from '../providers/per-tenant.js';
import type { Provider } from '../providers/types.js';

/**
 * Where a receiver keeps its pipeline's parts (`prepare`, `dispatch`) for hookguard's own
 * entries. A registered symbol, so a receiver built by one copy of hookguard (ESM or CJS)
 * is usable by another.
 */
export const PIPELINE: unique symbol = Symbol.for('hookguard.pipeline');

/** The pipeline of a receiver made by `createReceiver`; anything else is a `misconfigured` mistake. */
export function pipelineOf(receiver: unknown, caller: string): Pipeline {
  const pipeline = typeof receiver === 'object' && receiver !== null ? (receiver as { [PIPELINE]?: Pipeline })[PIPELINE] : undefined;
  if (pipeline === undefined) {
    if (typeof receiver === 'object' && receiver !== null && isTenantProvider((receiver as { provider: Provider }).provider ?? {})) {
      throw new WebhookError('misconfigured', `${caller}: a receiver with perTenant() secrets cannot hand deliveries to a queue yet; use it without the queue.`);
    }
    throw new WebhookError('misconfigured', `${caller}: pass a receiver made by createReceiver() from 'hookguard'.`);
  }
  return pipeline;
}

export type { Pipeline, PreparedDelivery } from './receive.js';
