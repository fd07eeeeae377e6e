import { bodyBytes } from '../core/encoding.js';
import { WebhookError, isWebhookError } from '../core/errors.js';
import { errorResult, successResult } from '../core/result.js';
import type { DeliveryInput, ReceiveResult } from '../core/types.js';
import type { ClaimResult } from '../stores/types.js';
import { ReceivedDelivery } from './delivery.js';
import type { ResolvedOptions } from './options.js';
import { HandlerFailure, type Router } from './router.js';
import type { Delivery } from './types.js';
import { validatePayload } from './validate.js';

const OK = frozen(successResult());
const DUPLICATE = frozen(successResult({ ok: true, duplicate: true }));
const IGNORED = frozen(successResult({ ok: true, ignored: true }));

function frozen(result: ReceiveResult): ReceiveResult {
  Object.freeze(result.headers);
  return Object.freeze(result);
}

/**
 * The pipeline: method → size → verify → parse → handshake → route → validate → claim → handle → answer.
 * Every failure becomes a coded answer; a delivery is either handled or refused with a status
 * that makes the sender retry.
 */
export function createReceive(options: ResolvedOptions, router: Router): (input: DeliveryInput) => Promise<ReceiveResult> {
  const { provider, events, dedupe, unhandled, maxBodyBytes, toleranceSeconds } = options;

  return async function receive(input) {
    let delivery: Delivery | undefined;
    try {
      if (input.method !== undefined && input.method.toUpperCase() !== 'POST') {
        throw new WebhookError('method_not_allowed', `Webhooks are delivered with POST, not ${input.method}.`);
      }
      const body = bodyBytes(input.body);
      if (body.byteLength > maxBodyBytes) {
        throw new WebhookError('body_too_large', `The body is larger than maxBodyBytes (${maxBodyBytes} bytes).`);
      }
      const verified = provider.verify(
        toleranceSeconds === undefined ? { ...input, body } : { ...input, body, toleranceSeconds },
      );
      const parsed = provider.parse(verified);
      const handshake = provider.handshake?.(parsed, verified);
      if (handshake) return handshake;

      const type = parsed.type ?? '';
      const handlers = router.handlersFor(parsed.type, parsed.parentTypes);
      if (handlers.length === 0) {
        if (unhandled === 'ignore') return IGNORED;
        throw new WebhookError('schema_mismatch', `No handler is registered for the event type "${type}".`);
      }
      const schema = events[type] ?? firstSchema(events, parsed.parentTypes);
      const payload = schema ? await validatePayload(schema, parsed.payload, type) : parsed.payload;
      delivery = new ReceivedDelivery(parsed.id, type, payload, verified.timestamp, verified.headers, verified.rawBody, provider.name);

      const id = dedupe === false ? undefined : parsed.id;
      if (id !== undefined && dedupe !== false) {
        const claim = await storeCall(() => dedupe.claim(id));
        if (claim === 'duplicate') return DUPLICATE;
        if (claim === 'in_flight') {
          throw new WebhookError('in_flight', `Delivery ${id} is being handled right now; retry later.`);
        }
      }

      let value: unknown;
      try {
        value = await router.dispatch(handlers, delivery);
      } catch (failure) {
        if (id !== undefined && dedupe !== false) {
          await storeCall(() => dedupe.release(id)).catch((error: unknown) => router.report(asWebhookError(error), delivery));
        }
        throw failure;
      }
      if (id !== undefined && dedupe !== false) {
        // The work is done: a store failure now must not turn it into a retry (that would run it twice).
        await storeCall(() => dedupe.complete(id)).catch((error: unknown) => router.report(asWebhookError(error), delivery));
      }
      return value === undefined ? OK : successResult(value);
    } catch (error) {
      const webhookError = asWebhookError(error);
      router.report(webhookError, delivery);
      return errorResult(webhookError);
    }
  };
}

function firstSchema(events: ResolvedOptions['events'], parents: readonly string[] | undefined) {
  if (!parents) return undefined;
  for (const parent of parents) if (events[parent]) return events[parent];
  return undefined;
}

async function storeCall<T extends ClaimResult | void>(call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    throw new WebhookError('store_unavailable', 'The dedupe store cannot be reached; the sender should retry.', { cause });
  }
}

/** Anything thrown becomes a WebhookError; a handler's own error is kept as the cause, never shown. */
export function asWebhookError(error: unknown): WebhookError {
  if (error instanceof HandlerFailure) {
    return new WebhookError('handler_failed', 'The webhook handler failed; the sender should retry.', { cause: error.reason });
  }
  if (isWebhookError(error)) return error;
  return new WebhookError('handler_failed', 'The webhook could not be processed; the sender should retry.', { cause: error });
}
