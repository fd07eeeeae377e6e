import type { WebhookError } from '../core/errors.js';
import type { ReceiveResult } from '../core/types.js';
import type { DeliveryStage } from './delivery-event.js';

/**
 * What the pipeline tells about one delivery as it goes: the stage it enters, what it is once
 * parsed, a handler failure answered as success, and the answer. Every call is cheap, and a
 * no-op when nothing observes deliveries.
 */
export interface DeliveryTrace {
  /** The delivery enters `stage` (the previous stage ends); `parsed` once its id and type are known. */
  stage(stage: DeliveryStage, parsed?: { id?: string | undefined; type?: string | undefined }): void;
  /** The tenant whose secrets verify the delivery (`perTenant` providers). */
  tenant(tenant: string): void;
  /** A failure that is answered as success (`onHandlerError: 'acknowledge'`). */
  fail(error: WebhookError): void;
  /** The delivery is answered: reports it and hands the result back. */
  end(result: ReceiveResult, error?: WebhookError): ReceiveResult;
}

/** Nothing observes deliveries. */
export const NO_TRACE: DeliveryTrace = {
  stage() {},
  tenant() {},
  fail() {},
  end: (result) => result,
};
