import { kindOf } from '../core/describe-value.js';
import { WebhookError } from '../core/errors.js';
import { successResult } from '../core/result.js';
import type { DeliveryInput, ReceiveResult } from '../core/types.js';
import type { ParsedDelivery, VerifiedDelivery } from '../providers/types.js';
import { Lifecycle } from './lifecycle.js';
import { PIPELINE, type Pipeline } from './pipeline.js';
import type { EventSchemas, Receiver } from './types.js';

/**
 * A receiver that is `receiver` in every way but `receive` (and `close`, when given): handlers,
 * listeners and limits all go to the one underneath. The queue entries and the delivery log
 * wrap receivers this way.
 */
export function forwardingReceiver<E extends EventSchemas | undefined>(
  receiver: Receiver<E>,
  receive: Receiver<E>['receive'],
  close: Receiver<E>['close'] = (options) => receiver.close(options),
): Receiver<E> {
  const forwarded: Receiver<E> = {
    on(type, handler) {
      receiver.on(type, handler);
      return forwarded;
    },
    onAny(handler) {
      receiver.onAny(handler);
      return forwarded;
    },
    onError(handler) {
      receiver.onError(handler);
      return forwarded;
    },
    onDelivery(listener) {
      receiver.onDelivery(listener);
      return forwarded;
    },
    receive,
    close,
    maxBodyBytes: receiver.maxBodyBytes,
    bodyTimeoutMs: receiver.bodyTimeoutMs,
    provider: receiver.provider,
    fail: (error) => receiver.fail(error),
  };
  const pipeline = (receiver as { [PIPELINE]?: Pipeline })[PIPELINE];
  if (pipeline !== undefined) Object.defineProperty(forwarded, PIPELINE, { value: pipeline }); // so createWorker(wrapped) works too
  return forwarded;
}

export interface HandOff {
  /** Hands a verified, parsed delivery to the queue; its settling is the queue's acknowledgement. */
  enqueue(parsed: ParsedDelivery, verified: VerifiedDelivery): Promise<unknown>;
  /** Longest wait for the queue before answering 503 `store_unavailable`. */
  timeoutMs: number;
}

/**
 * Ack-first: verify, parse and validate as `receive()` does, hand the delivery to a queue and
 * answer 202. Refusals and handshakes answer as usual; a queue that does not take the job in
 * time answers 503 so the sender retries. After close(), new deliveries answer 503
 * `shutting_down`; hand-offs already under way finish.
 */
export function handOffReceiver<E extends EventSchemas | undefined>(receiver: Receiver<E>, pipeline: Pipeline, handOff: HandOff): Receiver<E> {
  const lifecycle = new Lifecycle();
  async function receive(input: DeliveryInput): Promise<ReceiveResult> {
    let prepared;
    try {
      prepared = await pipeline.prepare(input);
    } catch (error) {
      return receiver.fail(error);
    }
    if (!('calls' in prepared)) return prepared;
    try {
      await withTimeout(handOff.enqueue(prepared.parsed, prepared.verified), handOff.timeoutMs);
    } catch (cause) {
      return receiver.fail(new WebhookError('store_unavailable', 'The queue cannot be reached; the sender should retry.', { cause }));
    }
    return successResult({ ok: true, queued: true }, 202);
  }
  return forwardingReceiver(
    receiver,
    (input) => lifecycle.run(() => receive(input).catch((error: unknown) => receiver.fail(error)), (refusal) => receiver.fail(refusal)),
    (closeOptions) => lifecycle.close(closeOptions),
  );
}

/** Settles with `promise`, or rejects after `ms`; a late rejection is swallowed (the job id makes a late add harmless). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  promise.catch(() => {});
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The queue did not answer within ${ms} ms.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A positive number option of a queue entry, or `misconfigured` naming it (never echoing its value). */
export function positiveOption(value: number, option: string, integer: boolean, caller: string): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new WebhookError('misconfigured', `${caller}: \`${option}\` must be a positive ${integer ? 'integer' : 'number'}; got ${kindOf(value)}.`);
  }
  return value;
}
