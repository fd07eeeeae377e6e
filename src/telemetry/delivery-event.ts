import type { WebhookError, WebhookErrorCode } from '../core/errors.js';

/** How a delivery ended: handled, already handled, verified but with no handler, or refused with its error code. */
export type DeliveryOutcome = 'ok' | 'duplicate' | 'ignored' | WebhookErrorCode;

/** The stages of the pipeline a delivery goes through, in order; a refusal ends at the stage it failed in. */
export type DeliveryStage = 'body' | 'verify' | 'validate' | 'dedupe' | 'handlers';

/**
 * One delivery's outcome, reported once it is answered (`receiver.onDelivery`). Verification
 * failures carry no `id`/`type` (nothing unverified is trusted); `ignored` deliveries carry both.
 */
export interface DeliveryEvent {
  /** The provider's name (`stripe`, `github`, …). */
  provider: string;
  /** The event type, once the delivery verified and parsed. */
  type: string | undefined;
  /** The sender's delivery id, once the delivery verified and parsed. */
  id: string | undefined;
  /** The tenant whose secrets verified (or were looked up for) this delivery, with per-tenant secrets. */
  tenant?: string;
  outcome: DeliveryOutcome;
  /** The HTTP status answered (200 for a handler failure under `onHandlerError: 'acknowledge'`). */
  status: number;
  /** The refusal or handler failure, when the outcome is an error code. */
  error?: WebhookError;
  /** From the start of `receive` to the answer, in milliseconds. */
  durationMs: number;
  /** Milliseconds spent in each stage the delivery reached (`body`: header checks and body read by an adapter). */
  stages: Partial<Record<DeliveryStage, number>>;
}

/** Observes every delivery's outcome; like `onError`, it never changes the answer. */
export type DeliveryListener = (event: DeliveryEvent) => void;
