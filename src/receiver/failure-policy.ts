import { WebhookError } from '../core/errors.js';
import { HandlerFailure } from './router.js';
import type { HandlerErrorPolicy } from './types.js';

/**
 * Under `onHandlerError: 'acknowledge'`, the `handler_failed` error to report for a failure
 * that is answered 200 with its id kept; undefined when the failure must be answered as usual
 * (the `'retry'` policy, or a `handler_timeout`, whose handlers may still be running).
 */
export function acknowledgedFailure(policy: HandlerErrorPolicy, failure: unknown): WebhookError | undefined {
  if (policy !== 'acknowledge' || !(failure instanceof HandlerFailure)) return undefined;
  return new WebhookError('handler_failed', 'The webhook handler failed; answered 200 under onHandlerError: acknowledge.', { cause: failure.reason });
}
